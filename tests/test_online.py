"""--online: the PEP 691 client against a real HTTP server on 127.0.0.1 serving recorded-shape
answers from tests/data/index. Nothing here reaches beyond 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest

from helpers import run_cli

from cfw_lint.project.online import ACCEPT, IndexError_, index_url, project_files

from rules.cfw8_support import found, lint, messages, project, pyproject

DATA = Path(__file__).parent / "data" / "index"


class Index:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.html = False
        index = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's API
                index.requests.append((self.path, self.headers.get("Accept", "")))
                name = self.path.strip("/").split("/")[-1]
                source = DATA / f"{name}.json"
                if not source.is_file():
                    self.send_error(404)
                    return
                if index.html or ACCEPT not in self.headers.get("Accept", ""):
                    body, kind = b"<html><body>links</body></html>", "text/html"
                else:
                    body, kind = source.read_bytes(), ACCEPT
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/simple/"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> Index:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def index(monkeypatch):
    with Index() as served:
        monkeypatch.setenv("UV_INDEX_URL", served.url)
        monkeypatch.delenv("PIP_INDEX_URL", raising=False)
        yield served


def online(root: Path, code: str) -> list:
    return found(root, code, "--online")


def test_pure_wheel_on_the_index_is_available(index, tmp_path):
    root = project(tmp_path, {"pyproject.toml": pyproject(["fastapi>=0.110"])})
    assert found(root, "CFW808") == [("CFW808", "pyproject.toml", 5, 5)]  # offline: undecided
    assert index.requests == []  # offline never asks
    assert online(root, "CFW808") == [] and online(root, "CFW801") == []
    assert index.requests[0] == ("/simple/fastapi/", ACCEPT)


def test_native_only_release_is_unavailable(index, tmp_path):
    root = project(tmp_path, {"pyproject.toml": pyproject(["psycopg2==2.9.10"])})
    assert online(root, "CFW801") == [("CFW801", "pyproject.toml", 5, 5)]
    assert "only native wheels" in messages(root, "CFW801", "--online")[0]


def test_unknown_project_is_unavailable(index, tmp_path):
    root = project(tmp_path, {"pyproject.toml": pyproject(["no-such-package-here"])})
    assert online(root, "CFW801") == [("CFW801", "pyproject.toml", 5, 5)]
    assert "has no project named" in messages(root, "CFW801", "--online")[0]


def test_specifier_and_yanked_files(index, tmp_path):
    root = project(tmp_path / "a", {"pyproject.toml": pyproject(["fastapi>=1.0"])})
    assert online(root, "CFW801") == [("CFW801", "pyproject.toml", 5, 5)]
    # tinypkg's only wheel is yanked, leaving an sdist pywrangler will not build
    root = project(tmp_path / "b", {"pyproject.toml": pyproject(["tinypkg"])})
    assert online(root, "CFW801") == [("CFW801", "pyproject.toml", 5, 5)]


def test_pure_package_with_excluded_index_version(index, tmp_path):
    # the 0.28.3 index has pydantic 2.10.6; PyPI has a pure 2.11.7 wheel
    root = project(tmp_path, {"pyproject.toml": pyproject(["pydantic>=2.11"])})
    assert online(root, "CFW808") == [] and online(root, "CFW802") == []


def test_non_json_answer_is_not_a_verdict(index, tmp_path):
    index.html = True
    root = project(tmp_path, {"pyproject.toml": pyproject(["fastapi"])})
    assert online(root, "CFW808") == [("CFW808", "pyproject.toml", 5, 5)]
    assert "could not be asked" in messages(root, "CFW808", "--online")[0]


def test_unreachable_index_is_not_a_verdict(tmp_path, monkeypatch):
    with Index() as served:
        url = served.url
    monkeypatch.setenv("UV_INDEX_URL", url)  # the server is gone: connection refused
    root = project(tmp_path, {"pyproject.toml": pyproject(["fastapi"])})
    assert online(root, "CFW808") == [("CFW808", "pyproject.toml", 5, 5)]


def test_pip_index_url_is_honoured(tmp_path, monkeypatch):
    with Index() as served:
        monkeypatch.delenv("UV_INDEX_URL", raising=False)
        monkeypatch.setenv("PIP_INDEX_URL", served.url.rstrip("/"))
        assert index_url() == served.url
        root = project(tmp_path, {"pyproject.toml": pyproject(["fastapi"])})
        assert online(root, "CFW808") == []
        assert served.requests


def test_answers_are_cached_on_disk(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    with Index() as served:
        files = project_files("FastAPI", cache, base=served.url)
        assert [f["filename"] for f in files][:1] == ["fastapi-0.114.2-py3-none-any.whl"]
        assert len(served.requests) == 1
        assert served.requests[0][0] == "/simple/fastapi/"  # the normalised name
    # the server is gone; the cache answers
    assert project_files("fastapi", cache, base=served.url) == files
    assert len(list((cache / "pep691").glob("*.json"))) == 1
    with pytest.raises(IndexError_):
        project_files("fastapi", None, base=served.url)


def test_cli_uses_the_run_cache_directory(index, tmp_path):
    from cfw_lint.cache import CACHE_DIR_NAME
    from helpers import run_cli

    root = project(tmp_path, {"pyproject.toml": pyproject(["fastapi"])})
    result = run_cli(["--output-format", "json", "--online", "--select", "CFW808", "."], cwd=root)
    assert json.loads(result.stdout) == []
    cached = list((root / CACHE_DIR_NAME / "pep691").glob("*.json"))
    assert len(cached) == 1 and json.loads(cached[0].read_text())["url"] == index.url + "fastapi/"


def test_requires_python_of_the_files(index, tmp_path):
    root = project(tmp_path / "313", {"pyproject.toml": pyproject(["futurepkg"])})
    assert online(root, "CFW801") == [("CFW801", "pyproject.toml", 5, 5)]
    root = project(tmp_path / "314", {"pyproject.toml": pyproject(["futurepkg"])}, python="3.14")
    assert online(root, "CFW801") == [] and online(root, "CFW808") == []


def test_online_metadata_resolves_what_a_declared_package_pulls_in(index, tmp_path):
    # tinychain is in no bundled index and no lock: offline its imports are only "possibly" missing
    src = "import tinychain\nimport yaml\nimport win32api\nimport pytest\n"
    root = project(tmp_path, {"pyproject.toml": pyproject(["tinychain"]), "src/entry.py": src})
    offline = lint(root, "CFW806")
    assert sorted((d["location"]["row"], d["severity"]) for d in offline) == [(2, "info"), (3, "info"), (4, "info")]
    assert "--online" in offline[0]["message"]
    # its newest pure wheel's METADATA requires pyyaml; pywin32 (win32) and pytest (an extra) do not apply
    result = lint(root, "CFW806", "--online")
    assert sorted((d["location"]["row"], d["severity"]) for d in result) == [(3, "error"), (4, "error")]
    assert ("/files/tinychain-1.0-py3-none-any.whl.metadata", f"{ACCEPT}, */*") in index.requests
    out = run_cli(["deps", "--online", "."], cwd=root).output
    assert "pyyaml, pulled in by tinychain" in out
