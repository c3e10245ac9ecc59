"""The command line. `cfw-lint [OPTIONS] [PATH]...` is `cfw-lint check [OPTIONS] [PATH]...`.

Only click and the standard library are imported at start-up; LibCST and the rules are imported
inside the commands, so `cfw-lint --version` and `--help` are instant.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from cfw_lint import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class DefaultGroup(click.Group):
    """A group whose default command is `check`, so paths can follow the program name."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not any(a in ("--help", "-h", "--version") for a in args[:1]) and (not args or args[0] not in self.commands):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def fail(message: str) -> NoReturn:
    click.echo(f"cfw-lint: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _split(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cfw-lint", message="%(prog)s %(version)s")
def main() -> None:
    """cfw-lint: a linter and code-mod for Cloudflare Python Workers.

    Run `cfw-lint [PATH]...` (same as `cfw-lint check [PATH]...`) to lint, `--fix` to fix.
    """


@main.command("check")
@click.argument("paths", nargs=-1, type=str)
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (and offer) unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print the diff --fix would make; change nothing.")
@click.option("--show-fixes", is_flag=True, help="List the fixes that were applied.")
@click.option("--select", multiple=True, help="Codes or prefixes to enable (replaces the configured set).")
@click.option("--extend-select", multiple=True, help="Codes or prefixes to enable in addition.")
@click.option("--ignore", multiple=True, help="Codes or prefixes to disable.")
@click.option(
    "--output-format",
    type=click.Choice(["full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "text"]),
    default=None,
    help="How to print diagnostics (default: `output-format` in the settings, else full; text = full).",
)
@click.option("--statistics", is_flag=True, help="Count diagnostics per rule instead of listing them.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems were found.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .cfw-lint-cache/.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="A TOML file with cfw-lint settings (replaces discovery).",
)
@click.option("--compat-date", help="Compatibility date to lint against (overrides the Worker config).")
@click.option("--compat-flags", help="Comma-separated compatibility flags (overrides the Worker config).")
@click.option("--stdin-filename", help="With `-`: the path standard input stands for.")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to paths given explicitly too.")
@click.option("--online", is_flag=True, help="Ask the package index about packages the bundled data cannot decide.")
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: CPU count).")
# -- ruff's fix, noqa, introspection and watch options --------------------------------------
@click.option("--fix-only", is_flag=True, help="Apply fixes; do not report or fail on what remains (implies --fix).")
@click.option(
    "--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when files were changed by fixes, even if nothing remains."
)
@click.option(
    "--no-unsafe-fixes", is_flag=True, help="Neither apply nor offer unsafe fixes (overrides `unsafe-fixes = true`)."
)
@click.option("--fixable", multiple=True, help="Codes or prefixes whose fixes apply (replaces `fixable`).")
@click.option("--extend-fixable", multiple=True, help="Codes or prefixes to make fixable in addition.")
@click.option("--unfixable", multiple=True, help="Codes or prefixes whose fixes never apply.")
@click.option("--add-noqa", is_flag=True, help="Add `# noqa: CODE` to every line with a finding; change nothing else.")
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the resolved settings and runtime profile for the first file, then exit.",
)
@click.option("--show-files", is_flag=True, help="Print the files that would be linted, then exit.")
@click.option("--watch", is_flag=True, help="Lint again whenever a linted file changes (polling; Ctrl-C stops).")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Where the cache lives (default: `cache-dir`, $CFW_LINT_CACHE_DIR, .cfw-lint-cache).",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False),
    help="Write diagnostics to this file instead of standard output.",
)
def check(
    paths: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    show_fixes: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str | None,
    statistics: bool,
    exit_zero: bool,
    no_cache: bool,
    config_path: str | None,
    compat_date: str | None,
    compat_flags: str | None,
    stdin_filename: str | None,
    force_exclude: bool,
    online: bool,
    quiet: bool,
    jobs: int | None,
    **more: Any,
) -> None:
    """Lint PATHS (default: the current directory); `-` reads standard input."""
    from cfw_lint.config import SettingsError, SettingsResolver
    from cfw_lint.profile import parse_date
    from cfw_lint.registry import SelectionError, check_selectors
    from cfw_lint.runner import Options, run

    try:
        sel = check_selectors(_split(select), "--select") if select else None
        ext = check_selectors(_split(extend_select), "--extend-select")
        ign = check_selectors(_split(ignore), "--ignore")
    except SelectionError as exc:
        fail(str(exc))
    date = None
    if compat_date is not None:
        date = parse_date(compat_date)
        if date is None:
            fail(f"--compat-date {compat_date!r} is not a date like 2026-03-01")
    flags = tuple(f.strip() for f in compat_flags.split(",") if f.strip()) if compat_flags is not None else None

    path_list = list(paths) or ["."]
    stdin_data = None
    if "-" in path_list:
        if len(path_list) > 1:
            fail("`-` (standard input) cannot be combined with other paths")
        stdin_data = sys.stdin.buffer.read()
    else:
        for p in path_list:
            if not os.path.exists(p):
                fail(f"path does not exist: {p}")
    if stdin_filename is not None and stdin_data is None:
        fail("--stdin-filename needs `-` as the path")

    try:
        fixable = check_selectors(_split(more["fixable"]), "--fixable") if more["fixable"] else None
        extend_fixable = check_selectors(_split(more["extend_fixable"]), "--extend-fixable")
        unfixable = check_selectors(_split(more["unfixable"]), "--unfixable")
    except SelectionError as exc:
        fail(str(exc))
    try:
        top = SettingsResolver(Path(config_path) if config_path else None, Path.cwd()).for_path(Path.cwd())
    except SettingsError as exc:
        fail(str(exc))
    from cfw_lint.output import ALIASES

    fmt = ALIASES.get(output_format or "", output_format) or top.output_format or "full"
    if more["no_unsafe_fixes"]:
        unsafe_fixes = False
    elif not unsafe_fixes and top.unsafe_fixes:
        unsafe_fixes = True
    fix = fix or more["fix_only"]

    options = Options(
        paths=path_list,
        fix_mode=("unsafe" if unsafe_fixes else "safe") if (fix or diff) else None,
        diff=diff,
        select=sel,
        extend_select=ext,
        ignore=ign,
        compat_date=date,
        compat_flags=flags,
        config=Path(config_path) if config_path else None,
        no_cache=no_cache,
        jobs=jobs,
        force_exclude=force_exclude,
        online=online,
        stdin=stdin_data,
        stdin_filename=stdin_filename,
    )
    options.fixable, options.extend_fixable, options.unfixable = fixable, extend_fixable, unfixable
    options.cache_dir = Path(more["cache_dir"]) if more["cache_dir"] else None
    if more["show_files"] or more["show_settings"]:
        _show(options, files=more["show_files"])
        sys.exit(EXIT_OK)
    if more["add_noqa"]:
        sys.exit(_add_noqa(options, quiet))

    def once() -> int:
        try:
            result = run(options)
        except SettingsError as exc:
            fail(str(exc))
        stream = open(more["output_file"], "w", encoding="utf-8") if more["output_file"] else None
        try:
            _report(
                result,
                options,
                fmt,
                statistics,
                show_fixes,
                quiet,
                unsafe_fixes,
                fix_only=more["fix_only"],
                stream=stream,
                url_template=top.rule_url,
            )
        finally:
            if stream is not None:
                stream.close()
        fixed = sum(len(v) for v in result.fixed.values())
        if result.errors:
            return EXIT_USAGE
        if more["exit_non_zero_on_fix"] and fixed:
            return EXIT_PROBLEMS
        if more["fix_only"]:
            return EXIT_OK
        failing = any(d.severity.rank >= 1 for d in result.diagnostics)
        if diff:
            return EXIT_PROBLEMS if result.diffs and not exit_zero else EXIT_OK
        return EXIT_PROBLEMS if failing and not exit_zero else EXIT_OK

    if more["watch"]:
        if stdin_data is not None:
            fail("--watch cannot read standard input")
        _watch(options, once)
    sys.exit(once())


def _report(
    result,
    options,
    fmt: str,
    statistics: bool,
    show_fixes: bool,
    quiet: bool,
    unsafe: bool,  # type: ignore[no-untyped-def]
    *,
    fix_only: bool = False,
    stream=None,
    url_template: str | None = None,
) -> None:
    from cfw_lint import output

    for warning in result.warnings:
        click.echo(f"cfw-lint: warning: {warning}", err=True)
    for error in result.errors:
        click.echo(f"cfw-lint: error: {error}", err=True)

    stdin_fixing = options.stdin is not None and options.fix_mode is not None and not options.diff
    # with --fix on standard input, stdout carries the fixed source; diagnostics go to stderr
    out = sys.stderr if stdin_fixing else sys.stdout
    if stream is not None:
        out = stream
    if stdin_fixing:
        text = result.stdin_output
        if text is None:
            text = (options.stdin or b"").decode("utf-8", errors="surrogateescape")
        sys.stdout.write(text)
        sys.stdout.flush()

    if options.diff:
        for chunk in result.diffs:
            click.echo(chunk, nl=False)
        if not quiet:
            # the numbers --fix would print
            files = len(result.diffs)
            if files:
                remaining = len(result.diagnostics)
                new = remaining - (result.found_count - result.fixed_count)
                click.echo(
                    f"Would fix {result.fixed_count} of {_errors(result.found_count)} in {files} "
                    f"file{'s' if files != 1 else ''} ({remaining} remaining{f', {new} new' if new > 0 else ''}).",
                    err=True,
                )
            else:
                click.echo("No fixes available.", err=True)
        return

    color = fmt in ("full", "concise") and output.use_color(out)
    fixed_count = sum(len(v) for v in result.fixed.values())  # fixes applied
    if fix_only:
        if not quiet:
            noun = "problem" if fixed_count == 1 else "problems"
            click.echo(f"Fixed {fixed_count} {noun}." if fixed_count else "No problems fixed.", file=out)
        return
    if statistics:
        output.statistics(result.diagnostics, out, unsafe=unsafe, fmt=fmt)
    elif fmt == "json":
        output.render_json(result.diagnostics, out, url_template=url_template)
    elif fmt == "json-lines":
        output.render_json_lines(result.diagnostics, out, url_template=url_template)
    elif fmt == "sarif":
        output.render_sarif(result.diagnostics, out, url_template=url_template)
    elif fmt == "github":
        output.render_github(result.diagnostics, out)
    elif fmt == "gitlab":
        output.render_gitlab(result.diagnostics, out)
    elif fmt == "concise":
        output.render_concise(result.diagnostics, out, color=color, unsafe=unsafe)
    else:
        output.render_full(result.diagnostics, out, color=color, source_of=_source_reader(options), unsafe=unsafe)
    if show_fixes and result.fixed:
        click.echo(f"Fixed {fixed_count} problem{'s' if fixed_count != 1 else ''}:", file=out)
        for path, codes in sorted(result.fixed.items()):
            click.echo(f"- {path}:", file=out)
            from collections import Counter

            for code, count in sorted(Counter(codes).items()):
                click.echo(f"    {count} × {code}", file=out)
            for note in result.fix_notes.get(path, []):
                click.echo(f"    note: {note}", file=out)
    # unused noqa directives (CFW005) are found and fixed after the project fix loop
    noqa_fixed = sum(codes.count("CFW005") for codes in result.fixed.values())
    if not quiet and fmt in ("full", "concise") and not statistics:
        click.echo(
            output.summary(
                result.diagnostics,
                result.fixed_count + noqa_fixed,
                unsafe=unsafe,
                fixing=options.fix_mode is not None,
                found=result.found_count + noqa_fixed,
            ),
            file=out,
        )


def _errors(n: int) -> str:
    return f"{n} error{'s' if n != 1 else ''}"


def _source_reader(options):  # type: ignore[no-untyped-def]
    def read(display: str) -> str | None:
        if display == "-" or (options.stdin is not None and display == options.stdin_filename):
            return (options.stdin or b"").decode("utf-8", errors="replace")
        try:
            return Path(display).read_bytes().decode("utf-8", errors="replace")
        except OSError:
            return None

    return read


# -- --show-files, --show-settings, --add-noqa, --watch ---------------------------------------
def _discover(options):  # type: ignore[no-untyped-def]
    from cfw_lint.files import Discovery, Found, file_kind
    from cfw_lint.runner import Runner

    runner = Runner(options)
    if runner.stdin_path is not None:
        return runner, [Found(runner.stdin_path, file_kind(runner.stdin_path) or "python")]
    discovery = Discovery(runner.resolver, force_exclude=options.force_exclude)
    return runner, list(discovery.walk([Path(p) for p in options.paths]))


def _show(options, *, files: bool) -> None:  # type: ignore[no-untyped-def]
    """--show-files: one path a line. --show-settings: what applies to the first file."""
    import dataclasses

    from cfw_lint.config import SettingsError

    try:
        runner, found = _discover(options)
        if files:
            for f in sorted(found, key=lambda f: runner.display(f.path)):
                click.echo(runner.display(f.path))
            return
        if not found:
            fail("no files to lint under the given paths")
        # the first Python file, as ruff's; else the first file found
        path = next((f.path for f in found if f.kind == "python"), found[0].path)
        settings = runner.resolver.for_path(path)
        codes = runner.codes_for(path)
        policy = runner.fix_policy_for(path)
    except SettingsError as exc:
        fail(str(exc))
    context, project = runner.context_for(path)

    def value(v):  # type: ignore[no-untyped-def]
        if isinstance(v, (list, tuple, frozenset, set)):
            return "[" + ", ".join(f'"{x}"' if isinstance(x, str) else repr(x) for x in sorted(map(str, v))) + "]"
        return (
            "(default)"
            if v is None
            else (f'"{v}"' if isinstance(v, (str, Path)) else str(v).lower() if isinstance(v, bool) else str(v))
        )

    click.echo(f"Resolved settings for: {runner.display(path)}")
    click.echo(f"Settings file: {settings.source or '(none: defaults)'}")
    click.echo("")
    click.echo("# [tool.cfw-lint]")
    for f in dataclasses.fields(settings):
        if f.name in ("root", "source"):
            continue
        raw = getattr(settings, f.name)
        if f.name == "per_file_ignores":
            raw = [f"{glob} = {','.join(c)}" for glob, c in raw]
        click.echo(f"{f.name.replace('_', '-')} = {value(raw)}")
    click.echo("")
    click.echo("# resolved for this file (settings and command line)")
    click.echo(f"enabled-rules = {value(codes)}")
    click.echo(f"fixable-rules = {value(policy.fixable & codes)}")
    click.echo(f"fixes-made-safe = {value(policy.safe & codes)}")
    click.echo(f"fixes-made-unsafe = {value(policy.unsafe & codes)}")
    click.echo(f"cache-dir = {value(runner.cache_dir())}")
    click.echo(f"worker-source = {value(project.is_worker_source(path))}")
    click.echo(f"main-module = {value(context.is_main)}")
    click.echo("")
    click.echo("# runtime profile")
    for key, v in context.profile.to_json().items():
        click.echo(f"{key.replace('_', '-')} = {value(v)}")


def _add_noqa(options, quiet: bool) -> int:  # type: ignore[no-untyped-def]
    """Suppress every current finding with a noqa directive on its line (as ruff's --add-noqa)."""
    import dataclasses

    from cfw_lint.config import SettingsError
    from cfw_lint.runner import _encode_config, run, write_atomic
    from cfw_lint.source import DecodeError, decode_python
    from cfw_lint.suppress import add_noqa

    if options.stdin is not None:
        fail("--add-noqa cannot be combined with standard input")
    try:
        result = run(dataclasses.replace(options, fix_mode=None, diff=False))
    except SettingsError as exc:
        fail(str(exc))
    for error in result.errors:
        click.echo(f"cfw-lint: error: {error}", err=True)
    wanted: dict[str, dict[int, set[str]]] = {}
    for d in result.diagnostics:
        # a file that does not parse or read cannot take a comment safely; CFW005 is removed, not suppressed
        if d.code in ("CFW001", "CFW002", "CFW003", "CFW005"):
            continue
        wanted.setdefault(d.path, {}).setdefault(d.noqa_line or d.start.line, set()).add(d.code)
    added, skipped = 0, 0
    for display, lines in sorted(wanted.items()):
        path = Path(display)
        try:
            data = path.read_bytes()
            if path.suffix == ".py":
                source = decode_python(data)
                text, count, missed = add_noqa(source.text, lines)
                encoded = source.encode(text)
            else:
                comment = "//" if path.suffix in (".json", ".jsonc") else "#"
                text, count, missed = add_noqa(data.decode("utf-8-sig"), lines, comment=comment, python=False)
                encoded = _encode_config(path, text)
            if count:
                write_atomic(path, encoded)
        except (OSError, UnicodeDecodeError, DecodeError) as exc:
            click.echo(f"cfw-lint: error: {display}: could not add noqa directives: {exc}", err=True)
            continue
        added += count
        skipped += len(missed)
        for line in missed:
            click.echo(
                f"cfw-lint: warning: {display}:{line}: no noqa added (the line ends inside a string or continues)",
                err=True,
            )
    if not quiet:
        click.echo(f"Added {added} noqa directive{'s' if added != 1 else ''}.", err=True)
        if skipped:
            click.echo(f"Could not add one on {skipped} line{'s' if skipped != 1 else ''}.", err=True)
    return EXIT_USAGE if result.errors else EXIT_OK


WATCH_INTERVAL = 0.5  # seconds between polls


def _watch(options, once) -> None:  # type: ignore[no-untyped-def]
    """Lint, then poll the files (and settings) for changes and lint again, until Ctrl-C."""
    import time

    from cfw_lint.config import SettingsError

    def snapshot() -> dict[Path, tuple[int, int]]:
        try:
            _, found = _discover(options)
        except SettingsError:
            found = []
        state = {}
        for p in [f.path for f in found] + [Path.cwd() / "pyproject.toml"]:
            try:
                st = p.stat()
                state[p] = (st.st_mtime_ns, st.st_size)
            except OSError:
                pass
        return state

    click.echo("Watching for file changes (Ctrl-C stops).", err=True)
    try:
        while True:
            try:
                once()
            except SystemExit:
                pass  # a configuration error was printed; wait for the fix
            sys.stdout.flush()
            before = snapshot()
            while snapshot() == before:
                time.sleep(WATCH_INTERVAL)
            click.echo("File change detected; linting again.", err=True)
    except KeyboardInterrupt:
        sys.exit(EXIT_OK)


@main.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Print the reference page of rule CODE."""
    from cfw_lint.docs import rule_page
    from cfw_lint.registry import rule_table

    rule = rule_table().get(code.upper())
    if rule is None:
        fail(f"unknown rule code {code!r} (see `cfw-lint rules`)")
    page = rule_page(rule["code"])
    if page is None:
        click.echo(f"# {rule['code']}: {rule['name']}\n\n{rule['summary']}")
    else:
        click.echo(page, nl=not page.endswith("\n"))


@main.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
def rules_command(output_format: str) -> None:
    """List every rule with its code, name, severity and fix availability."""
    import json

    from cfw_lint.registry import rule_table

    rules = list(rule_table().values())
    if output_format == "json":
        click.echo(json.dumps(rules, indent=2))
        return
    for r in rules:
        click.echo(f"{r['code']}  {r['name']:<36} {r['severity']:<8} fix: {r['fix']:<9} {r['summary']}")


def _flag_origins(data: dict) -> str:  # type: ignore[type-arg]
    """The enabled flags grouped by origin: given, implied by the date, or assumed."""
    from cfw_lint.profile import runtime_data

    flags = runtime_data().flags
    given, implied, assumed = [], [], []
    for flag in data["enabled_flags"]:
        info = flags.get(flag)
        if flag in data["compatibility_flags"]:
            given.append(flag)
        elif info is not None and info.implied_from is not None and data["compatibility_date"]:
            implied.append(f"{flag} (from {info.implied_from.isoformat()})")
        else:
            assumed.append(flag)
    lines = []
    if given:
        lines.append(f"given: {', '.join(given)}")
    if implied:
        lines.append(f"implied by the date {data['compatibility_date']}: {', '.join(implied)}")
    if assumed:
        lines.append(f"assumed (Python code needs it): {', '.join(assumed)}")
    return ("\n" + " " * 24).join(lines) or "(none)"


@main.command("profile")
@click.argument("path", type=click.Path(exists=True))
@click.option("--compat-date", help="As for check.")
@click.option("--compat-flags", help="As for check.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
def profile_command(path: str, compat_date: str | None, compat_flags: str | None, config_path: str | None) -> None:
    """Print the runtime profile PATH is linted against, and where it came from."""
    from cfw_lint.config import SettingsError, SettingsResolver
    from cfw_lint.profile import parse_date
    from cfw_lint.project import ProfileOverrides, ProjectIndex

    try:
        resolver = SettingsResolver(Path(config_path) if config_path else None, Path.cwd())
        settings = resolver.for_path(Path(path))
    except SettingsError as exc:
        fail(str(exc))
    date = parse_date(compat_date) if compat_date else None
    if compat_date and date is None:
        fail(f"--compat-date {compat_date!r} is not a date like 2026-03-01")
    flags = tuple(f.strip() for f in compat_flags.split(",") if f.strip()) if compat_flags else None
    index = ProjectIndex()
    project = index.project_of(Path(path))
    profile = project.profile(
        ProfileOverrides(
            date,
            flags,
            settings.compat_date,
            settings.compat_flags,
            f"[tool.cfw-lint] in {settings.source}" if settings.source else None,
        )
    )
    data = profile.to_json()
    click.echo(f"Runtime profile for {path}")
    click.echo(f"  source:               {data['source']}")
    if project.config_error is not None:
        click.echo(f"  (the Worker config did not parse: {project.config_error.message})")
    click.echo(f"  compatibility date:   {data['compatibility_date'] or 'unknown'}")
    click.echo(f"  compatibility flags:  {', '.join(data['compatibility_flags']) or '(none given)'}")
    click.echo(
        f"  Python:               {data['python']} (Pyodide {data['pyodide']}, selected by {data['release_flag']})"
    )
    click.echo(f"  package index:        {data['package_index']}")
    click.echo(f"  handlers:             {data['handlers']}")
    click.echo(
        f"  Workflows:            {'enabled' if data['workflows'] else 'not enabled'}; step.do: {data['step_do']}"
    )
    click.echo(f"  external SDK needed:  {'yes' if data['external_sdk_required'] else 'no'}")
    sdk = data["sdk_version"]
    if sdk:
        sdk_text = f"{sdk} (from {data['sdk_source']})"
    elif data["sdk_source"] == "pylock.toml":
        sdk_text = "not vendored (pylock.toml has none: the runtime's own SDK is used)"
    elif data["sdk_source"]:
        sdk_text = f"not vendored ({data['sdk_source']}: the runtime's own SDK is used)"
    else:
        sdk_text = "unknown (no pylock.toml or uv.lock pins it)"
    click.echo(f"  workers-runtime-sdk:  {sdk_text}")
    wrapped = data["wrapped_bindings"]
    click.echo(f"  bindings wrapped:     {'unknown' if wrapped is None else 'yes' if wrapped else 'no'}")
    if project.main_path is not None:
        click.echo(f"  main module:          {project.main_path}")
    if not project.is_worker_source(Path(path).resolve(), settings.worker_source(Path(path))):
        click.echo(
            f"  note: {path} is not Worker code (outside {project.source_root()}, a test, vendored, "
            "or not imported by the main module); only parse problems are reported for it"
        )
    click.echo(f"  enabled flags:        {_flag_origins(data)}")
    if data["unknown"]:
        click.echo(f"  unknown facts:        {', '.join(data['unknown'])} (rules that need them stay silent)")


@main.command("server")
@click.option(
    "--stdio",
    is_flag=True,
    help="Speak LSP over standard input/output (the only transport; accepted because some clients pass it).",
)
def server_command(stdio: bool) -> None:
    """Run the language server (LSP over stdio) for editors."""
    try:
        from cfw_lint.server.lsp import main as serve
    except ImportError as exc:
        fail(f"the language server needs pygls >= 2 ({exc}); install it with `pip install 'pygls>=2,<3'`")
    serve()


@main.command("deps")
@click.argument("path", type=click.Path(exists=True), default=".")
@click.option("--online", is_flag=True, help="Ask the package index what undecided packages require.")
def deps_command(path: str, online: bool) -> None:
    """Print where each module the Worker at PATH imports comes from (stdlib, runtime, own
    module, [project].dependencies, transitive, vendored, path dependency, requirements.txt...)."""
    from cfw_lint.project import ProjectIndex
    from cfw_lint.project.deps import deps_of, provenance

    project = ProjectIndex().project_of(Path(path))
    if project.config is None:
        fail(f"{path}: no wrangler.toml, wrangler.jsonc or wrangler.json at or above it")
    project.online = online
    rows = provenance(deps_of(project))
    click.echo(f"Imports of the Worker {project.config_path} (files its main module reaches)")
    width = max([len(m) for m, _, _ in rows] + [6])
    for module, origin, sites in rows:
        where, site = sites[0]
        first = f"{os.path.relpath(where)}:{site.line}"
        more = f" (+{len(sites) - 1})" if len(sites) > 1 else ""
        click.echo(f"  {module:<{width}}  {origin.kind:<16} {origin.detail}  [{first}{more}]")
