from cfw7_helpers import found, messages, project

ENTRY = """\
from workers import DurableObject, WorkerEntrypoint, WorkflowEntrypoint

from .counter import Counter  # re-exported: visible in the main module


class Pipeline(WorkflowEntrypoint):
    async def run(self, event, step):
        return None


class Helper:
    pass


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return None
"""

HEAD = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n'


def test_defined_and_re_exported_classes_are_fine(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": HEAD
            + """
[[workflows]]
name = "p"
binding = "P"
class_name = "Pipeline"

[[durable_objects.bindings]]
name = "COUNTER"
class_name = "Counter"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Counter"]
"""
        },
        entry=ENTRY,
    )
    assert found(tmp_path, "CFW705") == []


def test_missing_workflow_class(tmp_path):
    project(
        tmp_path,
        {"wrangler.toml": HEAD + '\n[[workflows]]\nname = "p"\nbinding = "P"\nclass_name = "Pipline"\n'},
        entry=ENTRY,
    )
    assert found(tmp_path, "CFW705") == [("CFW705", "wrangler.toml", 8, 1)]
    assert 'Workflow class "Pipline" is not defined in the main module entry.py' in messages(tmp_path, "CFW705")[0]


def test_left_out_of_dunder_all(tmp_path):
    entry = ENTRY + '\n__all__ = ["Default", "Counter"]\n'
    project(
        tmp_path,
        {
            "wrangler.jsonc": """\
        {
          "main": "src/entry.py",
          "compatibility_date": "2025-11-01",
          "compatibility_flags": ["python_workers"],
          "workflows": [{"name": "p", "binding": "P", "class_name": "Pipeline"}],
          "durable_objects": {"bindings": [{"name": "C", "class_name": "Counter"}]}
        }
        """
        },
        entry=entry,
    )
    assert found(tmp_path, "CFW705") == [("CFW705", "wrangler.jsonc", 5, 47)]
    assert "__all__" in messages(tmp_path, "CFW705")[0]


def test_wrong_kind_and_plain_class(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": HEAD
            + """
[durable_objects]
bindings = [
  { name = "A", class_name = "Pipeline" },
  { name = "B", class_name = "Helper" },
]
"""
        },
        entry=ENTRY,
    )
    assert found(tmp_path, "CFW705") == [("CFW705", "wrangler.toml", 7, 17), ("CFW705", "wrangler.toml", 8, 17)]


def test_script_name_star_import_and_computed_all_are_silent(tmp_path):
    other = HEAD + '\n[[durable_objects.bindings]]\nname = "X"\nclass_name = "Elsewhere"\nscript_name = "other"\n'
    project(tmp_path / "a", {"wrangler.toml": other}, entry=ENTRY)
    star = HEAD + '\n[[workflows]]\nname = "p"\nbinding = "P"\nclass_name = "Hidden"\n'
    project(tmp_path / "b", {"wrangler.toml": star}, entry="from .impl import *\n")
    project(
        tmp_path / "c", {"wrangler.toml": star}, entry="from .impl import names\n__all__ = list(names)\nHidden = 1\n"
    )
    assert found(tmp_path, "CFW705") == []


def test_migrations_follow_renames_and_deletes(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": HEAD
            + """
[[migrations]]
tag = "v1"
new_classes = ["OldCounter", "Gone"]

[[migrations]]
tag = "v2"
renamed_classes = [{ from = "OldCounter", to = "Counter" }]
deleted_classes = ["Gone"]

[[migrations]]
tag = "v3"
new_sqlite_classes = ["Missing"]
"""
        },
        entry=ENTRY,
    )
    assert found(tmp_path, "CFW705") == [("CFW705", "wrangler.toml", 16, 23)]


def test_environment_bindings_use_the_environment_main(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": HEAD
            + '\n[env.beta]\nmain = "src/beta.py"\nworkflows = [{ name = "p", binding = "P", class_name = "Pipeline" }]\n',
            "src/beta.py": "from workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    pass\n",
        },
        entry=ENTRY,
    )
    assert found(tmp_path, "CFW705") == [("CFW705", "wrangler.toml", 7, 43)]


def test_private_class_is_not_exported(tmp_path):
    entry = ENTRY.replace("class Pipeline(", "class _Pipeline(")
    project(
        tmp_path,
        {"wrangler.toml": HEAD + '\n[[workflows]]\nname = "p"\nbinding = "P"\nclass_name = "_Pipeline"\n'},
        entry=entry,
    )
    assert found(tmp_path, "CFW705") == [("CFW705", "wrangler.toml", 8, 1)]
    assert "private" in messages(tmp_path, "CFW705")[0]


def test_imported_class_of_the_wrong_kind(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": HEAD + '\n[[durable_objects.bindings]]\nname = "C"\nclass_name = "Flow"\n',
            "src/flows.py": "from workers import WorkflowEntrypoint\n\n\nclass Flow(WorkflowEntrypoint):\n    pass\n",
        },
        entry="from flows import Flow\n",
    )
    assert found(tmp_path, "CFW705") == [("CFW705", "wrangler.toml", 7, 1)]
    assert "is a WorkflowEntrypoint subclass" in messages(tmp_path, "CFW705")[0]


def test_a_class_bound_by_assignment_counts(tmp_path):
    # facts §1.2: the runtime exports classes by __name__ and looks the name up on the module
    entry = "from workers import asgi\nfrom .objects import make_counter\n\nCounter = make_counter()\nDefault = asgi.entrypoint(app)\n"
    project(
        tmp_path,
        {"wrangler.toml": HEAD + '\n[[durable_objects.bindings]]\nname = "C"\nclass_name = "Counter"\n'},
        entry=entry,
    )
    assert found(tmp_path, "CFW705") == []
    project(
        tmp_path,
        {"wrangler.toml": HEAD + '\n[[durable_objects.bindings]]\nname = "C"\nclass_name = "Counters"\n'},
        entry=entry,
    )
    assert found(tmp_path, "CFW705") == [("CFW705", "wrangler.toml", 7, 1)]
