"""Several Workers in one repository: CFW710 walks the repository once per run and parses each
Worker config once, however many Python Workers it checks (was once per project: quadratic)."""

from __future__ import annotations

from pathlib import Path

from cfw_lint.project import repository
from cfw_lint.runner import Options, run

PY = 'name = "{name}"\nmain = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n'
TS = '{{"name": "front", "main": "src/index.ts", "services": [{services}]}}\n'
ENTRY = "from workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return None\n"


def test_one_walk_and_one_parse_per_config_for_many_workers(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    names = [f"py{i}" for i in range(6)]
    for name in names:
        (tmp_path / name / "src").mkdir(parents=True)
        (tmp_path / name / "wrangler.toml").write_text(PY.format(name=name))
        (tmp_path / name / "src" / "entry.py").write_text(ENTRY)
    (tmp_path / "ts").mkdir()
    services = ", ".join(f'{{"binding": "B{i}", "service": "{n}"}}' for i, n in enumerate(names))
    (tmp_path / "ts" / "wrangler.jsonc").write_text(TS.format(services=services))
    (tmp_path / "ts" / "package.json").write_text('{"devDependencies": {"wrangler": "4.20.0"}}\n')
    walks: list[Path] = []
    parses: list[Path] = []
    real_walk, real_load = repository.find_worker_configs, repository._load
    monkeypatch.setattr(repository, "find_worker_configs", lambda root: walks.append(root) or real_walk(root))
    monkeypatch.setattr(repository, "_load", lambda path: parses.append(path) or real_load(path))
    result = run(Options(paths=[str(tmp_path)], no_cache=True, select=["CFW710"]), cwd=tmp_path)
    found = sorted((d.path, d.code, d.start.line) for d in result.diagnostics)
    assert found == [(f"{n}/wrangler.toml", "CFW710", 1) for n in names]
    assert walks == [tmp_path]
    assert sorted(parses) == sorted({*parses}) and len(parses) == len(names) + 1
