"""The agentskills.io rules, strict and lenient, with rule ids and line numbers."""

from __future__ import annotations

import pytest

from skillbank import spec
from skillbank.skill import from_files


def problems(text: str, folder: str | None = "demo", mode: spec.Mode = "strict") -> list[spec.Problem]:
    return spec.validate_text(text, folder_name=folder, mode=mode).problems


def rules(text: str, folder: str | None = "demo", mode: spec.Mode = "strict") -> set[str]:
    return {p.rule for p in problems(text, folder, mode) if p.severity == "error"}


def fm(body: str) -> str:
    return f"---\n{body}---\n# Body\n"


def test_valid_minimal_skill_has_no_problems() -> None:
    assert problems(fm("name: demo\ndescription: Does demo things. Use when demoing.\n")) == []


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("Demo", "name-case"),
        ("-demo", "name-hyphen"),
        ("demo-", "name-hyphen"),
        ("de--mo", "name-hyphen"),
        ("de_mo", "name-charset"),
        ("a" * 65, "name-length"),
    ],
)
def test_name_rules(name: str, rule: str) -> None:
    assert rule in rules(fm(f"name: {name}\ndescription: x\n"), folder=name)


def test_name_must_equal_folder_in_strict_and_warns_in_lenient() -> None:
    text = fm("name: demo\ndescription: x\n")
    assert "name-folder-mismatch" in rules(text, folder="other")
    lenient = problems(text, folder="other", mode="lenient")
    assert [p.severity for p in lenient if p.rule == "name-folder-mismatch"] == ["warning"]


def test_description_rules() -> None:
    assert "description-missing" in rules(fm("name: demo\n"))
    assert "description-empty" in rules(fm("name: demo\ndescription: ''\n"))
    assert "description-length" in rules(fm(f"name: demo\ndescription: {'x' * 1025}\n"))
    assert rules(fm(f"name: demo\ndescription: {'x' * 1024}\n")) == set()


def test_optional_field_rules() -> None:
    assert "compatibility-length" in rules(fm(f"name: demo\ndescription: x\ncompatibility: {'c' * 501}\n"))
    assert "metadata-type" in rules(fm("name: demo\ndescription: x\nmetadata: plain\n"))
    assert "metadata-type" in rules(fm("name: demo\ndescription: x\nmetadata:\n  a:\n    b: c\n"))
    assert "allowed-tools-type" in rules(fm("name: demo\ndescription: x\nallowed-tools:\n  - Read\n"))
    assert "license-type" in rules(fm("name: demo\ndescription: x\nlicense:\n  k: v\n"))


def test_unknown_key_is_error_in_strict_and_warning_in_lenient() -> None:
    text = fm("name: demo\ndescription: x\nversion: 1.0\n")
    assert "unknown-field" in rules(text)
    assert "unknown-field" not in rules(text, mode="lenient")
    assert any(p.rule == "unknown-field" and p.severity == "warning" for p in problems(text, mode="lenient"))


def test_scalars_stay_strings() -> None:
    parsed = spec.parse(fm("name: demo\ndescription: x\nmetadata:\n  version: 1.0\n  on: yes\n  n: 007\n"))
    assert parsed.frontmatter is not None
    assert parsed.frontmatter["metadata"] == {"version": "1.0", "on": "yes", "n": "007"}


def test_duplicate_keys_are_errors_in_both_modes_with_line() -> None:
    text = fm("name: demo\ndescription: x\nname: demo\n")
    for mode in ("strict", "lenient"):
        found = [p for p in problems(text, mode=mode) if p.rule == "yaml-duplicate-key"]
        assert found and found[0].line == 4 and "'name'" in found[0].message


def test_duplicate_keys_inside_metadata_are_errors() -> None:
    assert "yaml-duplicate-key" in rules(fm("name: demo\ndescription: x\nmetadata:\n  a: '1'\n  a: '2'\n"))


def test_unquoted_colon_fails_strict_and_is_retried_lenient() -> None:
    text = fm("name: demo\ndescription: Use when: things break\n")
    assert rules(text) == {"yaml-syntax"}
    parsed = spec.validate_text(text, folder_name="demo", mode="lenient")
    assert parsed.frontmatter == {"name": "demo", "description": "Use when: things break"}
    assert [p.rule for p in parsed.problems] == ["yaml-unquoted-colon"]
    assert parsed.problems[0].line == 3


def test_openclaw_inline_json_metadata_loads_in_lenient_only() -> None:
    text = fm('name: demo\ndescription: x\nmetadata: {"openclaw": {"requires": {"bins": ["jq"]}}}\n')
    assert "metadata-type" in rules(text)
    parsed = spec.validate_text(text, folder_name="demo", mode="lenient")
    assert not spec.has_errors(parsed.problems)
    assert parsed.frontmatter["metadata"]["openclaw"]["requires"]["bins"] == ["jq"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("# no front matter\n", "frontmatter-missing"),
        ("---\nname: demo\n", "frontmatter-unclosed"),
        ("---\n---\nbody\n", "frontmatter-empty"),
        ("---\n- a\n- b\n---\n", "frontmatter-not-mapping"),
        ("---\nname: [unclosed\n---\n", "yaml-syntax"),
    ],
)
def test_front_matter_shape_errors(text: str, rule: str) -> None:
    assert rules(text) == {rule}
    assert rules(text, mode="lenient") == {rule}


def test_yaml_error_line_points_into_skill_md() -> None:
    found = problems("---\nname: demo\ndescription: x\nbad: [1, 2\n---\n")
    assert found[0].rule == "yaml-syntax" and found[0].line is not None and found[0].line >= 4


def test_binary_and_non_utf8_skill_md() -> None:
    binary = from_files({"SKILL.md": b"---\nname: demo\x00\n---\n"}, folder_name="demo")
    assert [p.rule for p in binary.problems] == ["skill-md-binary"]
    latin1 = from_files({"SKILL.md": "---\nname: démo\ndescription: x\n---\n".encode("latin-1")}, folder_name="demo")
    assert [p.rule for p in latin1.problems] == ["skill-md-encoding"]
    assert latin1.problems[0].line == 2


def test_missing_skill_md() -> None:
    skill = from_files({"README.md": b"hi"}, folder_name="demo")
    assert [p.rule for p in skill.problems] == ["skill-md-missing"]


def test_every_problem_has_rule_file_and_actionable_message() -> None:
    for p in problems(fm("name: Bad_Name\nfoo: bar\n"), folder="x"):
        assert p.rule and p.file == "SKILL.md" and len(p.message) > 20
        assert p.line is not None


def test_lenient_loads_client_style_names_and_tool_lists() -> None:
    text = fm("name: My.Skill\ndescription: x\nallowed-tools:\n  - Read\n  - Bash(ls *)\n")
    assert {"name-case", "name-charset", "allowed-tools-type"} <= rules(text, folder="My.Skill")
    lenient = problems(text, folder="My.Skill", mode="lenient")
    assert not spec.has_errors(lenient)
    assert {"name-case", "name-charset", "allowed-tools-type"} <= {p.rule for p in lenient}


@pytest.mark.parametrize("name", ["../evil", ".hidden", "a/b"])
def test_names_unusable_as_folders_are_errors_in_both_modes(name: str) -> None:
    text = fm(f"name: '{name}'\ndescription: x\n")
    assert "name-unsafe" in rules(text, folder=None)
    assert "name-unsafe" in rules(text, folder=None, mode="lenient")
