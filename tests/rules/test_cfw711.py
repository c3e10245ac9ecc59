from cfw7_helpers import found, fixed, messages, project

ENTRY = """\
import jinja2
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return Response(jinja2.Template("x").render())
"""


def config(date: str) -> str:
    return f'main = "src/entry.py"\ncompatibility_date = "{date}"\ncompatibility_flags = ["python_workers"]\n'


def test_vendor_txt_on_a_new_date_fires_at_the_date(tmp_path):
    project(tmp_path, {"wrangler.toml": config("2025-08-11"), "vendor.txt": "jinja2==3.1.4\n"}, entry=ENTRY)
    assert found(tmp_path, "CFW711") == [("CFW711", "wrangler.toml", 2, 1)]
    message = messages(tmp_path, "CFW711")[0]
    assert "No module named 'jinja2'" in message and "src/entry.py:1" in message


def test_before_the_switch_the_vendor_directory_is_searched(tmp_path):
    project(tmp_path, {"wrangler.toml": config("2025-08-10"), "vendor.txt": "jinja2==3.1.4\n"}, entry=ENTRY)
    assert found(tmp_path, "CFW711") == []


def test_vendor_directory_without_vendor_txt_fires_without_a_fix(tmp_path):
    project(
        tmp_path,
        {"wrangler.toml": config("2025-09-01"), "src/vendor/jinja2/__init__.py": "", "src/vendor/jinja2/ext.py": ""},
        entry=ENTRY,
    )
    assert found(tmp_path, "CFW711") == [("CFW711", "wrangler.toml", 2, 1)]
    assert "no automatic fix: there is no vendor.txt" in messages(tmp_path, "CFW711")[0]
    assert fixed(tmp_path, "CFW711", "wrangler.toml", unsafe=True) == config("2025-09-01")


def test_look_alikes_stay_silent(tmp_path):
    # declared in [project].dependencies too: pywrangler installs it into python_modules/
    project(
        tmp_path / "declared",
        {
            "wrangler.toml": config("2025-09-01"),
            "vendor.txt": "jinja2\n",
            "pyproject.toml": '[project]\nname = "w"\nversion = "0"\ndependencies = ["jinja2"]\n',
        },
        entry=ENTRY,
    )
    # the code puts the directory back on sys.path itself
    project(
        tmp_path / "syspath",
        {"wrangler.toml": config("2025-09-01"), "vendor.txt": "jinja2\n"},
        entry='import sys\nsys.path.insert(0, "/session/metadata/vendor")\n' + ENTRY,
    )
    # vendored but never imported by the Worker
    project(
        tmp_path / "unused",
        {"wrangler.toml": config("2025-09-01"), "vendor.txt": "jinja2\n"},
        entry=ENTRY.replace("import jinja2\n", "").replace('jinja2.Template("x").render()', '"x"'),
    )
    assert found(tmp_path / "declared", "CFW711") == []
    assert found(tmp_path / "syspath", "CFW711") == []
    assert found(tmp_path / "unused", "CFW711") == []


def test_environment_with_its_own_new_date(tmp_path):
    text = config("2025-07-01") + '\n[env.next]\ncompatibility_date = "2025-09-01"\n'
    project(tmp_path, {"wrangler.toml": text, "vendor.txt": "jinja2\n"}, entry=ENTRY)
    assert found(tmp_path, "CFW711") == [("CFW711", "wrangler.toml", 6, 1)]


def test_fix_moves_vendor_txt_into_existing_pyproject(tmp_path):
    pyproject = '[project]\nname = "w"\nversion = "0.1.0"\ndependencies = [\n    "httpx",\n]\n'
    project(
        tmp_path,
        {
            "wrangler.toml": config("2025-09-01"),
            "vendor.txt": "jinja2==3.1.4  # templates\n",
            "pyproject.toml": pyproject,
        },
        entry=ENTRY,
    )
    assert fixed(tmp_path, "CFW711", "pyproject.toml") == pyproject  # unsafe only
    assert fixed(tmp_path, "CFW711", "pyproject.toml", unsafe=True) == (
        '[project]\nname = "w"\nversion = "0.1.0"\ndependencies = [\n    "httpx",\n'
        '    "jinja2==3.1.4", # templates\n]\n'
    )
    assert not (tmp_path / "vendor.txt").exists()
    assert found(tmp_path, "CFW711") == []
