"""The command line. `cfw-lint [OPTIONS] [PATH]...` is `cfw-lint check [OPTIONS] [PATH]...`.

Only click and the standard library are imported at start-up; LibCST and the rules are imported
inside the commands, so `cfw-lint --version` and `--help` are instant.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cfw_lint import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class DefaultGroup(click.Group):
    """A group whose default command is `check`, so paths can follow the program name."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not any(a in ("--help", "-h", "--version") for a in args[:1]) and (
            not args or args[0] not in self.commands
        ):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def fail(message: str) -> None:
    click.echo(f"cfw-lint: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _split(values: tuple[str, ...]) -> list[str]:
    out = []
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
    type=click.Choice(["text", "concise", "json", "sarif", "github"]),
    default=None,
    help="How to print diagnostics (default: text).",
)
@click.option("--statistics", is_flag=True, help="Count diagnostics per rule instead of listing them.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems were found.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .cfw-lint-cache/.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="A TOML file with cfw-lint settings (replaces discovery).")
@click.option("--compat-date", help="Compatibility date to lint against (overrides the Worker config).")
@click.option("--compat-flags", help="Comma-separated compatibility flags (overrides the Worker config).")
@click.option("--stdin-filename", help="With `-`: the path standard input stands for.")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to paths given explicitly too.")
@click.option("--online", is_flag=True, help="Ask the package index about packages the bundled data cannot decide.")
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: CPU count).")
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
) -> None:
    """Lint PATHS (default: the current directory); `-` reads standard input."""
    from cfw_lint.config import SettingsError
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
    try:
        result = run(options)
    except SettingsError as exc:
        fail(str(exc))

    _report(result, options, output_format or "text", statistics, show_fixes, quiet, unsafe_fixes)
    if result.errors:
        sys.exit(EXIT_USAGE)
    failing = any(d.severity.rank >= 1 for d in result.diagnostics)
    if diff:
        sys.exit(EXIT_PROBLEMS if result.diffs and not exit_zero else EXIT_OK)
    sys.exit(EXIT_PROBLEMS if failing and not exit_zero else EXIT_OK)


def _report(result, options, fmt: str, statistics: bool, show_fixes: bool, quiet: bool, unsafe: bool) -> None:  # type: ignore[no-untyped-def]
    from cfw_lint import output

    for warning in result.warnings:
        click.echo(f"cfw-lint: warning: {warning}", err=True)
    for error in result.errors:
        click.echo(f"cfw-lint: error: {error}", err=True)

    stdin_fixing = options.stdin is not None and options.fix_mode is not None and not options.diff
    # with --fix on standard input, stdout carries the fixed source; diagnostics go to stderr
    out = sys.stderr if stdin_fixing else sys.stdout
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

    color = fmt in ("text", "concise") and out.isatty() and "NO_COLOR" not in os.environ
    fixed_count = sum(len(v) for v in result.fixed.values())  # fixes applied
    if statistics:
        output.statistics(result.diagnostics, out, unsafe=unsafe)
    elif fmt == "json":
        output.render_json(result.diagnostics, out)
    elif fmt == "sarif":
        output.render_sarif(result.diagnostics, out)
    elif fmt == "github":
        output.render_github(result.diagnostics, out)
    elif fmt == "concise":
        output.render_concise(result.diagnostics, out, color=color, unsafe=unsafe)
    else:
        output.render_text(result.diagnostics, out, color=color, source_of=_source_reader(options), unsafe=unsafe)
    if show_fixes and result.fixed:
        click.echo(f"Fixed {fixed_count} problem{'s' if fixed_count != 1 else ''}:", file=out)
        for path, codes in sorted(result.fixed.items()):
            click.echo(f"- {path}:", file=out)
            from collections import Counter

            for code, count in sorted(Counter(codes).items()):
                click.echo(f"    {count} × {code}", file=out)
            for note in result.fix_notes.get(path, []):
                click.echo(f"    note: {note}", file=out)
    if not quiet and fmt in ("text", "concise") and not statistics:
        click.echo(
            output.summary(
                result.diagnostics, result.fixed_count, unsafe=unsafe, fixing=options.fix_mode is not None,
                found=result.found_count,
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


@main.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Print the reference page of rule CODE."""
    from cfw_lint.docs import rule_page
    from cfw_lint.registry import get_rule

    rule = get_rule(code)
    if rule is None:
        fail(f"unknown rule code {code!r} (see `cfw-lint rules`)")
    page = rule_page(rule.code)
    if page is None:
        click.echo(f"# {rule.code}: {rule.name}\n\n{rule.summary}")
    else:
        click.echo(page, nl=not page.endswith("\n"))


@main.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
def rules_command(output_format: str) -> None:
    """List every rule with its code, name, severity and fix availability."""
    import json

    from cfw_lint.registry import all_rules

    rules = [r.meta() for r in all_rules().values()]
    if output_format == "json":
        click.echo(json.dumps(rules, indent=2))
        return
    for r in rules:
        click.echo(f"{r['code']}  {r['name']:<36} {r['severity']:<8} fix: {r['fix']:<9} {r['summary']}")


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
        ProfileOverrides(date, flags, settings.compat_date, settings.compat_flags,
                         f"[tool.cfw-lint] in {settings.source}" if settings.source else None)
    )
    data = profile.to_json()
    click.echo(f"Runtime profile for {path}")
    click.echo(f"  source:               {data['source']}")
    if project.config_error is not None:
        click.echo(f"  (the Worker config did not parse: {project.config_error.message})")
    click.echo(f"  compatibility date:   {data['compatibility_date'] or 'unknown'}")
    click.echo(f"  compatibility flags:  {', '.join(data['compatibility_flags']) or '(none)'}")
    click.echo(f"  Python:               {data['python']} (Pyodide {data['pyodide']}, selected by {data['release_flag']})")
    click.echo(f"  package index:        {data['package_index']}")
    click.echo(f"  handlers:             {data['handlers']}")
    click.echo(f"  Workflows:            {'enabled' if data['workflows'] else 'not enabled'}; step.do: {data['step_do']}")
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
    if not project.is_worker_source(Path(path).resolve()):
        click.echo(
            f"  note: {path} is outside the Worker's sources ({project.source_root()}) or a test; "
            "only parse problems are reported for it"
        )
    click.echo(f"  enabled flags:        {', '.join(data['enabled_flags'])}")
    if data["unknown"]:
        click.echo(f"  unknown facts:        {', '.join(data['unknown'])} (rules that need them stay silent)")
