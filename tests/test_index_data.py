"""The bundled Pyodide index data: present for every index a runtime uses, small, and right."""

from __future__ import annotations

import gzip
import importlib.util
import json
from importlib import resources
from pathlib import Path

import pytest

from cfw_lint.profile import runtime_data
from cfw_lint.project.index import available_versions, load_index, normalize

ROOT = Path(__file__).resolve().parent.parent


def test_every_runtime_index_is_bundled():
    needed = {r.package_index for r in runtime_data().releases}
    assert needed <= set(available_versions())
    for version in needed:
        assert load_index(version) is not None


def test_unknown_version_is_none():
    assert load_index("0.0.1") is None


@pytest.mark.parametrize(
    "version,python,numpy", [("0.27.7", "3.12", "2.0.2"), ("0.28.3", "3.13", "2.2.5"), ("314.0.6", "3.14", "2.4.6")]
)
def test_known_facts(version, python, numpy):
    index = load_index(version)
    assert index.python.startswith(python + ".")
    assert index.get("numpy").version == numpy and not index.get("numpy").pure
    assert index.get("pydantic_core").imports == ("pydantic_core",)  # looked up by normalised name
    assert index.get("beautifulsoup4").imports == ("bs4",) and index.get("beautifulsoup4").pure
    assert "yaml" in index.get("PyYAML").imports
    assert index.get("Pillow").imports == ("PIL",)
    for native in ("lxml", "cryptography", "pydantic-core"):
        assert index.get(native) is not None and not index.get(native).pure
    assert index.get("psycopg2") is None
    assert index.import_providers["bs4"] == ("beautifulsoup4",)
    assert "soupsieve" in index.closure(["beautifulsoup4"])


def test_fastapi_only_in_the_314_index():
    assert load_index("0.28.3").get("fastapi") is None
    assert load_index("314.0.6").get("fastapi").pure


def test_data_is_small_and_reduced():
    for version in available_versions():
        blob = resources.files("cfw_lint.data").joinpath(f"pyodide-index-{version}.json.gz").read_bytes()
        assert len(blob) < 20_000
        raw = json.loads(gzip.decompress(blob))
        for key, package in raw["packages"].items():
            assert key == normalize(key)
            assert set(package) == {"name", "version", "imports", "depends", "package_type", "pure"}
            assert not key.endswith("-tests")


def _script():
    spec = importlib.util.spec_from_file_location("update_index_data", ROOT / "scripts" / "update_index_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_reduces_a_lock():
    script = _script()
    lock = {
        "info": {"abi_version": "2025_0", "arch": "wasm32", "platform": "emscripten_4_0_9", "python": "3.13.2"},
        "packages": {
            "pydantic-core": {
                "name": "pydantic_core",
                "version": "2.27.2",
                "file_name": "pydantic_core-2.27.2-cp313-cp313-pyodide_2025_0_wasm32.whl",
                "imports": ["pydantic_core"],
                "depends": ["typing_extensions"],
                "package_type": "package",
                "install_dir": "site",
                "sha256": "0",
                "unvendored_tests": False,
            },
            "six": {
                "name": "six",
                "version": "1.17.0",
                "file_name": "six-1.17.0-py2.py3-none-any.whl",
                "imports": ["six"],
                "depends": [],
                "package_type": "package",
                "install_dir": "site",
                "sha256": "0",
                "unvendored_tests": False,
            },
            "six-tests": {
                "name": "six-tests",
                "version": "1.17.0",
                "file_name": "six-tests.tar",
                "imports": [],
                "depends": ["six"],
                "package_type": "package",
                "install_dir": "site",
                "sha256": "0",
                "unvendored_tests": False,
            },
        },
    }
    data = script.reduce("0.28.3", lock)
    assert data["info"] == {
        "python": "3.13.2",
        "abi_version": "2025_0",
        "platform": "emscripten_4_0_9",
        "arch": "wasm32",
    }
    assert data["packages"] == {
        "pydantic-core": {
            "name": "pydantic_core",
            "version": "2.27.2",
            "imports": ["pydantic_core"],
            "depends": ["typing-extensions"],
            "package_type": "package",
            "pure": False,
        },
        "six": {
            "name": "six",
            "version": "1.17.0",
            "imports": ["six"],
            "depends": [],
            "package_type": "package",
            "pure": True,
        },
    }


def test_generator_output_is_deterministic(tmp_path, monkeypatch):
    script = _script()
    monkeypatch.setattr(script, "DATA", tmp_path)
    data = {"pyodide": "9.9.9", "info": {}, "packages": {}}
    first = script.write("9.9.9", data).read_bytes()
    assert script.write("9.9.9", data).read_bytes() == first
