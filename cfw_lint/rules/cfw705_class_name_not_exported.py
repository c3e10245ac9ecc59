"""CFW705: a Workflow or Durable Object `class_name` the main module does not export."""

from __future__ import annotations

from typing import Iterable, Iterator

from cfw_lint.diagnostics import Severity
from cfw_lint.project.worker_module import main_entrypoint_kinds, module_namespace
from cfw_lint.project.wrangler import EnvSettings
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class ClassNameNotExported(ProjectRule):
    code = "CFW705"
    name = "class-name-not-exported"
    severity = Severity.ERROR
    summary = "A Workflow/Durable Object `class_name` not defined in, or not exported by, the main module."

    def check(self) -> Iterable[ProjectDiagnostic]:
        config = self.project.config
        if config is None or not config.is_python_worker():
            return
        for settings in config.settings():
            main = settings.main_path()
            if main is None or main.suffix != ".py":
                continue
            text = self.project.read_text(main)
            namespace = module_namespace(text) if text is not None else None
            if namespace is None:
                continue  # missing (CFW704) or unparsable (CFW001): nothing to compare with
            facts = self.project.facts_for(main) or {}
            kinds = main_entrypoint_kinds(self.project, main)
            plain = {
                c["name"]
                for c in facts.get("classes", [])
                if isinstance(c, dict) and not [b for b in c.get("bases", []) if b != "object"]
            }
            reported: set[str] = set()
            for key, class_name, kind, what in self._references(settings):
                if class_name in reported:
                    continue
                problem = None
                exported = namespace.exports(class_name)
                if exported is None:
                    continue  # star import or computed __all__: cannot tell
                if not exported:
                    if namespace.dunder_all is not None and class_name in namespace.names:
                        problem = f"is left out of __all__ in {main.name}, so the runtime does not export it"
                    elif class_name in namespace.names:
                        problem = f"is private in {main.name} (leading underscore), so the runtime does not export it"
                    else:
                        problem = f"is not defined in the main module {main.name}"
                elif class_name in kinds and kinds[class_name] != kind:
                    problem = f"is a {kinds[class_name]} subclass in {main.name}, not a {kind}"
                elif class_name in plain:
                    problem = f"does not subclass {kind} in {main.name}, so the runtime does not export it"
                if problem is None:
                    continue
                reported.add(class_name)
                message = (
                    f'{what} class "{class_name}"{settings.label} {problem}. The runtime exports only '
                    f"DurableObject/WorkerEntrypoint/WorkflowEntrypoint subclasses visible in the main "
                    "module (or listed in its __all__)."
                )
                line, column = config.position(*key)
                yield self.diagnostic(config.path, line, column, message)

    def _references(self, settings: EnvSettings) -> Iterator[tuple[tuple, str, str, str]]:
        """(key path, class name, expected base, what) of each class this Worker must export."""
        prefix = settings.prefix
        workflows = settings.own("workflows")
        if isinstance(workflows, list):
            for i, entry in enumerate(workflows):
                # script_name: the Workflow runs in another Worker
                if (
                    isinstance(entry, dict)
                    and isinstance(entry.get("class_name"), str)
                    and not entry.get("script_name")
                ):
                    yield prefix + ("workflows", i, "class_name"), entry["class_name"], "WorkflowEntrypoint", "Workflow"
        objects = settings.own("durable_objects")
        bindings = objects.get("bindings") if isinstance(objects, dict) else None
        if isinstance(bindings, list):
            for i, entry in enumerate(bindings):
                if (
                    isinstance(entry, dict)
                    and isinstance(entry.get("class_name"), str)
                    and not entry.get("script_name")
                ):
                    yield (
                        prefix + ("durable_objects", "bindings", i, "class_name"),
                        entry["class_name"],
                        "DurableObject",
                        "Durable Object",
                    )
        yield from self._migrated_classes(settings)

    def _migrated_classes(self, settings: EnvSettings) -> Iterator[tuple[tuple, str, str, str]]:
        """Classes that exist after applying every migration in order (created, renamed to,
        transferred in, minus deleted), each at the key that last introduced it."""
        migrations = settings.own("migrations")
        if not isinstance(migrations, list):
            return
        prefix = settings.prefix + ("migrations",)
        alive: dict[str, tuple] = {}
        for i, step in enumerate(migrations):
            if not isinstance(step, dict):
                continue
            for field in ("new_classes", "new_sqlite_classes"):
                names = step.get(field)
                if isinstance(names, list):
                    for j, name in enumerate(names):
                        if isinstance(name, str):
                            alive[name] = prefix + (i, field, j)
            for field in ("renamed_classes", "transferred_classes"):
                moves = step.get(field)
                if isinstance(moves, list):
                    for j, move in enumerate(moves):
                        if not isinstance(move, dict) or not isinstance(move.get("to"), str):
                            continue
                        if field == "renamed_classes" and isinstance(move.get("from"), str):
                            alive.pop(move["from"], None)
                        alive[move["to"]] = prefix + (i, field, j, "to")
            deleted = step.get("deleted_classes")
            if isinstance(deleted, list):
                for name in deleted:
                    alive.pop(name, None) if isinstance(name, str) else None
        for name, key in alive.items():
            yield key, name, "DurableObject", "Durable Object migration"
