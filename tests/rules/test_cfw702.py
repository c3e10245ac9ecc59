from cfw7_helpers import found, fixed, messages, project

WORKFLOW = """\
from workers import WorkerEntrypoint
from workers import WorkflowEntrypoint as WE


class Pipeline(WE):
    async def run(self, event, step):
        return "done"


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return None
"""

CONFIG = """\
name = "py"
main = "src/entry.py"
compatibility_date = "{date}"
compatibility_flags = ["python_workers"]  # flags

[[workflows]]
name = "pipeline"
binding = "PIPELINE"
class_name = "Pipeline"
"""


def test_workflows_binding_before_the_implied_date(tmp_path):
    project(tmp_path, {"wrangler.toml": CONFIG.format(date="2025-09-19")})
    assert found(tmp_path, "CFW702") == [("CFW702", "wrangler.toml", 4, 1)]
    assert "2025-09-20" in messages(tmp_path, "CFW702")[0]
    assert fixed(tmp_path, "CFW702", "wrangler.toml") == CONFIG.format(date="2025-09-19").replace(
        '["python_workers"]', '["python_workers", "python_workflows"]'
    )


def test_on_and_after_the_implied_date_or_with_the_flag_is_silent(tmp_path):
    project(tmp_path / "a", {"wrangler.toml": CONFIG.format(date="2025-09-20")})
    with_flag = CONFIG.format(date="2025-07-01").replace('"python_workers"]', '"python_workers", "python_workflows"]')
    project(tmp_path / "b", {"wrangler.toml": with_flag})
    assert found(tmp_path, "CFW702") == []


def test_workflow_class_in_main_module_through_an_alias(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.jsonc": """\
            {
              "main": "src/entry.py",
              "compatibility_date": "2025-08-20",
              "compatibility_flags": [
                "python_workers"
              ]
            }
            """,
            "src/entry.py": WORKFLOW,
        },
    )
    assert found(tmp_path, "CFW702") == [("CFW702", "wrangler.jsonc", 4, 3)]
    assert "class Pipeline(WorkflowEntrypoint)" in messages(tmp_path, "CFW702")[0]
    assert fixed(tmp_path, "CFW702", "wrangler.jsonc") == (
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-08-20",\n  "compatibility_flags": [\n'
        '    "python_workflows",\n    "python_workers"\n  ]\n}\n'
    )


def test_look_alikes_stay_silent(tmp_path):
    # a binding to a Workflow that another Worker runs, and a local class named like the SDK's
    config = CONFIG.format(date="2025-07-01") + 'script_name = "other-worker"\n'
    entry = "from mylib import WorkflowEntrypoint\n\n\nclass Pipeline(WorkflowEntrypoint):\n    pass\n"
    project(tmp_path, {"wrangler.toml": config, "src/entry.py": entry})
    assert found(tmp_path, "CFW702") == []


def test_environment_with_its_own_old_date_and_workflows(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": """\
        main = "src/entry.py"
        compatibility_date = "2025-11-01"
        compatibility_flags = ["python_workers"]

        [env.old]
        compatibility_date = "2025-08-01"
        workflows = [{ name = "p", binding = "P", class_name = "Pipeline" }]
        """
        },
    )
    # the env inherits the flags list: reported there, naming the env
    assert found(tmp_path, "CFW702") == [("CFW702", "wrangler.toml", 3, 1)]
    assert 'env "old"' in messages(tmp_path, "CFW702")[0]


def test_disabled_explicitly_is_reported_without_a_fix(tmp_path):
    config = CONFIG.format(date="2025-11-01").replace(
        '"python_workers"]', '"python_workers", "disable_python_workflows"]'
    )
    project(tmp_path, {"wrangler.toml": config})
    assert found(tmp_path, "CFW702") == [("CFW702", "wrangler.toml", 4, 1)]
    assert "disable_python_workflows" in messages(tmp_path, "CFW702")[0]
    assert fixed(tmp_path, "CFW702", "wrangler.toml") == config


def test_workflow_class_defined_in_a_sibling_module_and_subclassed(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": 'main = "src/entry.py"\ncompatibility_date = "2025-08-20"\ncompatibility_flags = ["python_workers"]\n',
            "src/base.py": "from workers import WorkflowEntrypoint\n\n\nclass BaseFlow(WorkflowEntrypoint):\n    pass\n",
            "src/entry.py": "from base import BaseFlow\n\n\nclass Pipeline(BaseFlow):\n    async def run(self, event, step):\n        return None\n",
        },
    )
    assert found(tmp_path, "CFW702") == [("CFW702", "wrangler.toml", 3, 1)]
    assert "class Pipeline(WorkflowEntrypoint)" in messages(tmp_path, "CFW702")[0]


def test_old_guides_flag_set_satisfies_the_rule(tmp_path):
    old = CONFIG.format(date="2025-07-01").replace(
        '["python_workers"]', '["python_workers", "experimental", "python_workflows"]'
    )
    project(tmp_path, {"wrangler.toml": old})
    assert found(tmp_path, "CFW702") == []
