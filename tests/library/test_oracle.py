"""`skillbank validate --strict` agrees with the reference `skills-ref validate` (pass/fail)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from skills_ref.prompt import to_prompt as ref_to_prompt
from skills_ref.validator import validate as ref_validate

from skillbank.api import to_prompt, validate
from skillbank.cli import main
from tests.conftest import EXAMPLES

BROKEN: dict[str, str] = {
    "no-frontmatter": "# Just markdown\n",
    "unclosed": "---\nname: unclosed\ndescription: x\n",
    "bad-yaml": "---\nname: bad-yaml\ndescription: [oops\n---\n",
    "colon-value": "---\nname: colon-value\ndescription: Use when: it breaks\n---\n",
    "dup-key": "---\nname: dup-key\ndescription: a\ndescription: b\n---\n",
    "missing-name": "---\ndescription: x\n---\n",
    "missing-desc": "---\nname: missing-desc\n---\n",
    "empty-desc": "---\nname: empty-desc\ndescription: ''\n---\n",
    "upper": "---\nname: Upper\ndescription: x\n---\n",
    "lead-hyphen": "---\nname: -lead-hyphen\ndescription: x\n---\n",
    "double--hyphen": "---\nname: double--hyphen\ndescription: x\n---\n",
    "mismatch": "---\nname: other-name\ndescription: x\n---\n",
    "unknown-key": "---\nname: unknown-key\ndescription: x\nversion: '2'\n---\n",
    "long-desc": "---\nname: long-desc\ndescription: " + "d" * 1025 + "\n---\n",
    "long-compat": "---\nname: long-compat\ndescription: x\ncompatibility: " + "c" * 501 + "\n---\n",
    "long-name": "---\nname: " + "n" * 65 + "\ndescription: x\n---\n",
    "ok-full": "---\nname: ok-full\ndescription: Valid. Use when testing.\nlicense: MIT\ncompatibility: python3\n"
    "metadata:\n  author: me\n  version: '1.0'\nallowed-tools: Bash(git:*) Read\n---\n# Body\n",
    "ok-min": "---\nname: ok-min\ndescription: Minimal.\n---\n",
}


def _write_broken(root: Path) -> list[Path]:
    folders = []
    for folder, text in BROKEN.items():
        path = root / folder
        path.mkdir()
        (path / "SKILL.md").write_text(text)
        folders.append(path)
    return folders


def test_examples_library_is_large_and_strictly_valid() -> None:
    folders = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
    assert len(folders) >= 30
    for folder in folders:
        ours = validate(folder, "strict")
        assert len(ours) == 1 and ours[0].ok, (folder, [str(p) for p in ours[0].problems])
        assert ref_validate(folder) == [], folder


def test_strict_agrees_with_skills_ref_on_broken_fixtures(tmp_path: Path) -> None:
    disagreements = []
    for folder in _write_broken(tmp_path):
        ours = validate(folder, "strict")[0].ok
        theirs = ref_validate(folder) == []
        if ours != theirs:
            disagreements.append((folder.name, ours, theirs))
    assert disagreements == []
    # The fixtures exercise both outcomes, so agreement is not trivial.
    assert sum(validate(f, "strict")[0].ok for f in tmp_path.iterdir()) == 2


def test_cli_exit_codes_match_oracle(tmp_path: Path) -> None:
    runner = CliRunner()
    for folder in _write_broken(tmp_path):
        result = runner.invoke(main, ["validate", "--strict", str(folder)])
        assert result.exit_code == (0 if ref_validate(folder) == [] else 1), (folder.name, result.output)


@pytest.mark.parametrize("count", [1, 3])
def test_to_prompt_matches_skills_ref_byte_for_byte(count: int) -> None:
    folders = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())[:count]
    assert to_prompt(folders) == ref_to_prompt(folders)
