"""Every rule has a reference page, every page a rule, and every page's examples hold.

Fenced blocks: ```<lang> <role> [file=PATH] [example=NAME] [unsafe]```, role bad|good|fixed|context.
Per example: context + bad must report the page's code; context + good must not; `fixed` is the
exact bad file after --fix (--unsafe-fixes with `unsafe`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cfw_lint.registry import all_rules
from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "rules"
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.S | re.M)
DEFAULT_FILE = {"python": "src/entry.py", "toml": "wrangler.toml", "jsonc": "wrangler.jsonc", "json": "wrangler.json"}
ROLES = {"bad", "good", "fixed", "context"}


@dataclass
class Block:
    role: str
    file: str
    text: str
    unsafe: bool = False


@dataclass
class Example:
    name: str
    blocks: list[Block] = field(default_factory=list)

    def of(self, role: str) -> list[Block]:
        return [b for b in self.blocks if b.role == role]


def parse_page(text: str) -> dict[str, Example]:
    examples: dict[str, Example] = {}
    for info, body in FENCE.findall(text):
        words = info.split()
        if len(words) < 2 or words[1] not in ROLES:
            continue
        lang, role = words[0], words[1]
        attrs = dict(w.split("=", 1) for w in words[2:] if "=" in w)
        name = attrs.get("example", "1")
        file = attrs.get("file", DEFAULT_FILE.get(lang, "src/entry.py"))
        examples.setdefault(name, Example(name)).blocks.append(Block(role, file, body, unsafe="unsafe" in words[2:]))
    return examples


def page_codes() -> list[str]:
    return sorted(p.stem for p in PAGES.glob("CFW*.md"))


def test_every_rule_has_a_page_and_every_page_a_rule() -> None:
    rules = set(all_rules())
    pages = set(page_codes())
    assert rules - pages == set(), f"rules without a page: {sorted(rules - pages)}"
    assert pages - rules == set(), f"pages without a rule: {sorted(pages - rules)}"


@pytest.mark.parametrize("code", page_codes())
def test_page_header(code: str) -> None:
    text = (PAGES / f"{code}.md").read_text(encoding="utf-8")
    rule = all_rules().get(code)
    assert rule is not None
    assert text.startswith(f"# {code}: {rule.name}\n"), "the page starts with `# CODE: name`"
    for heading in ("## What it catches", "## Why", "## Example"):
        assert heading in text, f"{code}.md lacks {heading!r}"


def _write(root: Path, blocks: list[Block]) -> None:
    for block in blocks:
        target = root / block.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text, encoding="utf-8")


def _codes(root: Path, code: str) -> list[dict]:
    result = run_cli(["--output-format", "json", "--no-cache", "--select", code, "."], cwd=root)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _examples() -> list[tuple[str, str]]:
    out = []
    for code in page_codes():
        for name in parse_page((PAGES / f"{code}.md").read_text(encoding="utf-8")):
            out.append((code, name))
    return out


@pytest.mark.parametrize("code,name", _examples())
def test_page_examples(code: str, name: str, tmp_path: Path) -> None:
    example = parse_page((PAGES / f"{code}.md").read_text(encoding="utf-8"))[name]
    bad, good, fixed, context = (example.of(r) for r in ("bad", "good", "fixed", "context"))
    if bad:
        root = tmp_path / "bad"
        _write(root, context + bad)
        found = [d for d in _codes(root, code) if d["code"] == code]
        assert found, f"{code}.md example {name}: the bad example does not report {code}"
    if good:
        root = tmp_path / "good"
        _write(root, context + good)
        found = [d for d in _codes(root, code) if d["code"] == code]
        assert not found, f"{code}.md example {name}: the good example reports {found}"
    for block in fixed:
        root = tmp_path / "fix"
        _write(root, context + bad)
        args = ["--fix", "--no-cache", "--select", code, "."]
        if block.unsafe:
            args.insert(1, "--unsafe-fixes")
        run_cli(args, cwd=root)
        assert (root / block.file).read_text(encoding="utf-8") == block.text, (
            f"{code}.md example {name}: --fix output differs from the page's fixed block"
        )
