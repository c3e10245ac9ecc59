"""CFW806 import-not-declared: Worker imports that no runtime dependency provides."""

from cfw8_support import FASTAPI_WHEELS, fix, found, lint, messages, project, pyproject, uv_lock, uv_package, wrangler
from helpers import run_cli, write_project

ENTRY = """\
from workers import WorkerEntrypoint, Response
import json, asyncio
import js
from pyodide.ffi import to_js
import numpy as np
import bs4
from yaml import safe_load
from PIL import Image
import soupsieve
from helpers import util
from . import sibling
from pkg.sub import thing
import requests
from dateutil import parser as dp


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        import httpx
        return Response("ok")
"""


def files(deps, **extra):
    return {
        "pyproject.toml": pyproject(deps),
        "src/entry.py": ENTRY,
        "src/helpers.py": "util = 1\n",
        "src/pkg/__init__.py": "",
        "src/pkg/sub.py": "thing = 1\n",
        **extra,
    }


def test_undeclared_imports_fire_at_the_import(tmp_path):
    root = project(tmp_path, files(["numpy", "beautifulsoup4", "pyyaml", "Pillow", "python-dateutil"]))
    assert found(root, "CFW806") == [
        ("CFW806", "src/entry.py", 13, 8),
        ("CFW806", "src/entry.py", 19, 16),
    ]
    first, second = messages(root, "CFW806")
    assert "ModuleNotFoundError: No module named 'requests'" in first
    assert "Add `requests`" in first and "Add `httpx`" in second


def test_everything_declared_is_silent(tmp_path):
    deps = ["numpy", "beautifulsoup4", "pyyaml", "Pillow", "python-dateutil", "requests", "httpx"]
    assert found(project(tmp_path, files(deps)), "CFW806") == []


def test_guarded_and_type_checking_imports_are_silent(tmp_path):
    src = (
        "from typing import TYPE_CHECKING\n"
        "try:\n    import ujson as json\nexcept ImportError:\n    import json\n"
        "try:\n    import orjson\nexcept (ModuleNotFoundError, ValueError):\n    orjson = None\n"
        "if TYPE_CHECKING:\n    from mypy_boto3_s3 import S3Client\nelse:\n    import boto3\n"
    )
    root = project(tmp_path, {"pyproject.toml": pyproject([]), "src/entry.py": src})
    assert found(root, "CFW806") == [("CFW806", "src/entry.py", 13, 12)]


def test_incomplete_closure_stays_silent(tmp_path):
    # fastapi is not in the 3.13 index, but the bundled 3.14 index says what it pulls in
    root = project(tmp_path / "a", {"pyproject.toml": pyproject(["fastapi"]), "src/entry.py": "import starlette\n"})
    assert found(root, "CFW806") == []
    # a lock file is evidence about this very release: it wins over the index's graph
    lock = uv_lock(
        ["fastapi"],
        uv_package("fastapi", "0.115.6", FASTAPI_WHEELS, deps=["starlette"]),
        uv_package("starlette", "0.41.3", ["starlette-0.41.3-py3-none-any.whl"]),
    )
    src = "import starlette.responses\nimport fastapi\nimport jinja2\n"
    root = project(tmp_path / "b", {"pyproject.toml": pyproject(["fastapi"]), "uv.lock": lock, "src/entry.py": src})
    assert found(root, "CFW806") == [("CFW806", "src/entry.py", 3, 8)]


def test_index_dependencies_count(tmp_path):
    # beautifulsoup4 depends on soupsieve in the index
    root = project(
        tmp_path, {"pyproject.toml": pyproject(["beautifulsoup4"]), "src/entry.py": "import soupsieve, bs4\n"}
    )
    assert found(root, "CFW806") == []


def test_markers_that_exclude_the_runtime_do_not_declare(tmp_path):
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject(["httpx; sys_platform != 'emscripten'"]),
            "src/entry.py": "import httpx\n",
        },
    )
    assert found(root, "CFW806") == [("CFW806", "src/entry.py", 1, 8)]


def test_requirements_txt_counts_as_declared(tmp_path):
    root = project(tmp_path, {"requirements.txt": "httpx\n", "src/entry.py": "import httpx\n"})
    assert found(root, "CFW806") == []


def test_tests_and_host_scripts_are_not_worker_source(tmp_path):
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject([]),
            "src/entry.py": "import json\n",
            "tests/test_entry.py": "import pytest\n",
            "scripts/deploy.py": "import boto3\n",
        },
    )
    assert found(root, "CFW806") == []


def test_namespace_distributions(tmp_path):
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject(["google-cloud-storage"]),
            "uv.lock": uv_lock(
                ["google-cloud-storage"],
                uv_package("google-cloud-storage", "2.0", ["google_cloud_storage-2.0-py2.py3-none-any.whl"]),
            ),
            "src/entry.py": "from google.cloud import storage\nimport google.cloud.storage\n",
        },
    )
    assert found(root, "CFW806") == []


def test_src_prefix_is_not_an_own_module(tmp_path):
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject([]),
            "src/entry.py": "import helpers\nfrom src.helpers import util\n",
            "src/helpers.py": "util = 1\n",
        },
    )
    assert found(root, "CFW806") == [("CFW806", "src/entry.py", 2, 6)]


def test_invalid_pyproject_is_left_to_cfw003(tmp_path):
    root = project(tmp_path, {"pyproject.toml": "[project\nname = 1\n", "src/entry.py": "import requests\n"})
    assert found(root, "CFW806") == []


def test_no_pyproject_means_nothing_is_vendored(tmp_path):
    root = project(tmp_path, {"src/entry.py": "import requests\nimport json\n"})
    assert found(root, "CFW806") == [("CFW806", "src/entry.py", 1, 8)]


def test_installed_metadata_maps_import_names(tmp_path):
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject(["oddly-named-dist"]),
            "pylock.toml": 'lock-version = "1.0"\ncreated-by = "uv"\n\n[[packages]]\nname = "oddly-named-dist"\nversion = "1.0"\nwheels = [{ name = "oddly_named_dist-1.0-py3-none-any.whl" }]\n',
            "python_modules/oddly_named_dist-1.0.dist-info/RECORD": "weird/__init__.py,,\noddly_named_dist-1.0.dist-info/METADATA,,\n",
            "src/entry.py": "import weird\nimport other\n",
        },
    )
    assert found(root, "CFW806") == [("CFW806", "src/entry.py", 2, 8)]


def test_standard_library_of_the_runtime_python(tmp_path):
    src = "import cgi\nimport imghdr\nimport tomllib\nimport asyncio\n"
    root = project(tmp_path / "313", {"pyproject.toml": pyproject([]), "src/entry.py": src})
    assert found(root, "CFW806") == [("CFW806", "src/entry.py", 1, 8), ("CFW806", "src/entry.py", 2, 8)]
    assert "no longer in the standard library of Python 3.13" in messages(root, "CFW806")[0]
    root = project(tmp_path / "312", {"pyproject.toml": pyproject([]), "src/entry.py": src}, python="3.12")
    assert found(root, "CFW806") == []
    root = project(
        tmp_path / "314", {"pyproject.toml": pyproject([]), "src/entry.py": "import annotationlib\n"}, python="3.14"
    )
    assert found(root, "CFW806") == []


def test_backports_of_removed_modules_count(tmp_path):
    root = project(
        tmp_path,
        {"pyproject.toml": pyproject(["legacy-cgi", "standard-imghdr"]), "src/entry.py": "import cgi, imghdr\n"},
    )
    assert found(root, "CFW806") == []


def test_positions_in_multi_name_parenthesised_and_crlf_imports(tmp_path):
    root = project(tmp_path, {"pyproject.toml": pyproject([])})
    (root / "src/entry.py").write_bytes(
        b"import json, requests as rq\r\nfrom attr import (\r\n    define,\r\n    field,\r\n)\r\nimport xml.etree.ElementTree as ET\r\n"
    )
    assert found(root, "CFW806") == [("CFW806", "src/entry.py", 1, 14), ("CFW806", "src/entry.py", 2, 6)]
    assert "Add `attrs`" in messages(root, "CFW806")[1]


def test_only_files_the_main_module_imports_can_fail_the_worker(tmp_path):
    # a seed script next to the Worker is uploaded but never imported: its imports never run
    entry = "from workers import WorkerEntrypoint\nfrom app.routes import hello\n"
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject([]),
            "src/entry.py": entry,
            "src/app/__init__.py": "",
            "src/app/routes.py": "from .db import q\n\ndef hello():\n    return q\n",
            "src/app/db.py": "import sqlalchemy\nq = 1\n",
            "src/app/unused.py": "import pandas\n",
            "src/seed_db.py": "import boto3\n\nif __name__ == '__main__':\n    boto3.client('s3')\n",
        },
    )
    # reached through `from .db import q` in a module the entry imports
    assert found(root, "CFW806") == [("CFW806", "src/app/db.py", 1, 8)]


def test_run_time_importing_by_name_keeps_every_file(tmp_path):
    # a computed name (like Django's app and url loading) can import anything: nothing can be
    # ruled out
    entry = "import importlib\nfrom workers import WorkerEntrypoint\nmod = importlib.import_module(NAME)\n"
    files = {
        "pyproject.toml": pyproject([]),
        "src/entry.py": entry,
        "src/blog/__init__.py": "",
        "src/blog/views.py": "import markdown\n",
    }
    root = project(tmp_path / "computed", files)
    assert found(root, "CFW806") == [("CFW806", "src/blog/views.py", 1, 8)]
    # a literal name reaches that module (and its packages), and only it
    files["src/entry.py"] = entry.replace("NAME", '"blog.views"')
    files["src/other.py"] = "import yaml\n"
    root = project(tmp_path / "literal", files)
    assert found(root, "CFW806") == [("CFW806", "src/blog/views.py", 1, 8)]
    # importlib without any import by name rules nothing in
    files["src/entry.py"] = "import importlib.metadata\nfrom workers import WorkerEntrypoint\n"
    root = project(tmp_path / "metadata", files)
    assert found(root, "CFW806") == []


def test_package_modules_imported_with_from_dot_are_reached(tmp_path):
    entry = "from workers import WorkerEntrypoint\nimport blog\n"
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject([]),
            "src/entry.py": entry,
            "src/blog/__init__.py": "from . import views\n",
            "src/blog/views.py": "import markdown\n",
        },
    )
    assert found(root, "CFW806") == [("CFW806", "src/blog/views.py", 1, 8)]


def severities(root, code="CFW806"):
    return sorted((d["location"]["row"], d["severity"]) for d in lint(root, code) if d["code"] == code)


def test_requirements_txt_only_fastapi_worker(tmp_path):
    # the pre-pyproject recipe: requirements.txt is CFW803's business; pydantic and starlette come
    # with fastapi (per the bundled index's dependency graph), not a missing module
    src = "from fastapi import FastAPI\nfrom pydantic import BaseModel\nimport starlette.requests\nimport jinja2\n"
    files = {"wrangler.toml": wrangler("3.12"), "requirements.txt": "fastapi\n", "src/entry.py": src}
    root = project(tmp_path, files, python="3.12")
    assert found(root, "CFW806") == []
    assert found(root, "CFW803") == [("CFW803", "requirements.txt", 1, 1)]
    out = run_cli(["deps", "."], cwd=root).output
    assert "pydantic, pulled in by fastapi (per the Pyodide index) from requirements.txt" in out
    assert "requirements.txt: fastapi" in out


def test_vendored_jinja2_worker(tmp_path):
    files = {
        "wrangler.toml": wrangler("3.12"),
        "vendor.txt": "jinja2\n",
        "src/entry.py": "import jinja2\nimport markupsafe\nfrom workers import WorkerEntrypoint\n",
        "src/vendor/jinja2/__init__.py": "import asyncio\n",
        "src/vendor/markupsafe/__init__.py": "",
    }
    root = project(tmp_path, files, python="3.12")
    assert found(root, "CFW806") == []
    assert "src/vendor/" in run_cli(["deps", "."], cwd=root).output
    # python_modules/ and a literal sys.path directory provide modules too
    root = project(
        tmp_path / "pm",
        {
            "pyproject.toml": pyproject([]),
            "src/entry.py": "import sys\nsys.path.append('/session/metadata/extra')\nimport six\nimport attrs_lite\nimport toolz\n",
            "python_modules/six.py": "",
            "python_modules/toolz/__init__.py": "",
            "src/extra/attrs_lite/__init__.py": "",
        },
    )
    assert found(root, "CFW806") == []


def test_uv_workspace_and_path_dependencies(tmp_path):
    root_pyproject = pyproject(
        ["shared", "mylib"],
        extra="""
        [tool.uv.workspace]
        members = ["packages/*"]

        [tool.uv.sources]
        shared = { workspace = true }
        mylib = { path = "libs/mylib" }
    """,
    )
    files = {
        "pyproject.toml": root_pyproject,
        "packages/shared/pyproject.toml": '[project]\nname = "shared"\nversion = "0.1.0"\n',
        "packages/shared/src/shared_utils/__init__.py": "",
        "libs/mylib/pyproject.toml": '[project]\nname = "mylib"\nversion = "0.1.0"\n',
        "libs/mylib/my_lib_core.py": "",
        "src/entry.py": "import shared\nimport shared_utils\nimport my_lib_core\nimport notthere\n",
    }
    root = project(tmp_path, files)
    # the path/workspace packages' own dependencies are unknown: notthere is only possibly missing
    assert severities(root) == [(4, "info")]


def test_a_declared_package_with_unknown_dependencies_makes_it_info(tmp_path):
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject(["langchain-core"]),
            "src/entry.py": "import langchain_core\nimport tiktoken\n",
        },
    )
    assert severities(root) == [(2, "info")]
    assert "perhaps langchain-core" in messages(root, "CFW806")[0]
    # with nothing unknown declared, the same import is an error
    root = project(tmp_path / "b", {"pyproject.toml": pyproject([]), "src/entry.py": "import tiktoken\n"})
    assert severities(root) == [(1, "error")]


def test_a_package_beside_src_is_only_possibly_missing(tmp_path):
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject([]),
            "mylib/__init__.py": "",
            "src/entry.py": "import mylib\n",
        },
    )
    assert severities(root) == [(1, "info")]
    assert "beside the uploaded directory" in messages(root, "CFW806")[0]


def test_fix_adds_the_named_distribution(tmp_path):
    # requests: the 3.13 index names exactly that distribution, so the fix is safe
    root = project(
        tmp_path, {"pyproject.toml": pyproject(["numpy"]), "src/entry.py": "import requests\nimport numpy\n"}
    )
    (diag,) = [d for d in lint(root, "CFW806") if d["code"] == "CFW806"]
    assert diag["fix"]["applicability"] == "safe"
    fix(root, "CFW806")
    assert (root / "pyproject.toml").read_text() == pyproject(["numpy", "requests"])
    assert found(root, "CFW806") == []
    before = (root / "pyproject.toml").read_text()
    fix(root, "CFW806")
    assert (root / "pyproject.toml").read_text() == before


def test_fix_from_the_bundled_name_map_is_unsafe(tmp_path):
    root = project(tmp_path, {"pyproject.toml": pyproject([]), "src/entry.py": "import jwt\n"})
    (diag,) = [d for d in lint(root, "CFW806") if d["code"] == "CFW806"]
    assert diag["fix"]["applicability"] == "unsafe"
    fix(root, "CFW806")
    assert (root / "pyproject.toml").read_text() == pyproject([])  # not applied without --unsafe-fixes
    result = run_cli(["--fix", "--unsafe-fixes", "--no-cache", "--select", "CFW806", "."], cwd=root)
    assert result.exit_code == 0, result.output
    assert (root / "pyproject.toml").read_text() == pyproject(["pyjwt"])


def test_no_fix_without_a_known_distribution(tmp_path):
    root = project(tmp_path, {"pyproject.toml": pyproject([]), "src/entry.py": "import zzqx_internal\n"})
    (diag,) = [d for d in lint(root, "CFW806") if d["code"] == "CFW806"]
    assert diag["fix"] is None


def test_fix_named_by_another_runtimes_index_is_unsafe(tmp_path):
    # fastapi is in the 3.14 index only; on 3.13 that is a hint, not certainty
    root = project(tmp_path, {"pyproject.toml": pyproject([]), "src/entry.py": "from fastapi import FastAPI\n"})
    (diag,) = [d for d in lint(root, "CFW806") if d["code"] == "CFW806"]
    assert "Add `fastapi`" in diag["message"] and diag["fix"]["applicability"] == "unsafe"


def test_worker_that_is_itself_a_workspace_member(tmp_path):
    # the workspace root holds the members list; the Worker's own pyproject only says
    # `shared = { workspace = true }`, and the shared member's package has another name
    member = pyproject(
        ["shared-lib"],
        extra="""
        [tool.uv.sources]
        shared-lib = { workspace = true }
    """,
    )
    write_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.uv.workspace]\nmembers = ["apps/*", "libs/*"]\n',
            "libs/shared/pyproject.toml": '[project]\nname = "shared-lib"\nversion = "0.1.0"\n',
            "libs/shared/src/common_tools/__init__.py": "",
        },
    )
    root = project(tmp_path / "apps" / "api", {"pyproject.toml": member, "src/entry.py": "import common_tools\n"})
    assert found(root, "CFW806") == []
    assert "shared-lib (" in run_cli(["deps", "."], cwd=root).output


def test_removed_stdlib_module_with_an_unknown_python_is_silent(tmp_path):
    config = 'name = "w"\nmain = "src/entry.py"\ncompatibility_date = "%COMPAT_DATE%"\ncompatibility_flags = ["python_workers"]\n'
    root = project(
        tmp_path,
        {"wrangler.toml": config, "pyproject.toml": pyproject([]), "src/entry.py": "import cgi\nimport zzqx\n"},
    )
    assert found(root, "CFW806") == [("CFW806", "src/entry.py", 2, 8)]
