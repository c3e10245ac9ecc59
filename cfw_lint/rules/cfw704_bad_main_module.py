"""CFW704: a Python Worker's `main` is missing, not a .py file, or not found."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.project.worker_module import display_path
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class BadMainModule(ProjectRule):
    code = "CFW704"
    name = "bad-main-module"
    severity = Severity.ERROR
    summary = "A Python Worker's `main` is missing, does not end in .py, or does not exist."

    def check(self) -> Iterable[ProjectDiagnostic]:
        config = self.project.config
        if config is None or not config.is_python_worker():
            return  # a JavaScript Worker's config is not ours to judge
        seen: set = set()
        for settings in config.settings():
            key = settings.key("main")
            if key in seen:
                continue
            seen.add(key)
            main = settings.main
            message = None
            if key is None:
                message = (
                    f'no "main" module{settings.label}: a Python Worker needs main = '
                    '"src/entry.py" (the module that defines class Default(WorkerEntrypoint)).'
                )
            elif not isinstance(main, str) or not main.strip():
                message = f'"main"{settings.label} must be the path of a .py module, relative to the config.'
            elif not main.strip().endswith(".py"):
                message = (
                    f'main "{main}"{settings.label} is not a .py module: the runtime fails with '
                    '"Main module needs to end with a .py file extension".'
                )
            else:
                path = settings.main_path()
                assert path is not None
                if not (path.is_file() or path in self.project.overrides):
                    shown = display_path(path, config.directory)
                    message = (
                        f'main module "{main}"{settings.label} not found (looked for {shown}, '
                        "relative to the config file)."
                    )
            if message is None:
                continue
            line, column = config.position(*key) if key else (1, 1)
            yield self.diagnostic(config.path, line, column, message)
