"""The library commands through the real CLI (click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from skillbank.cli import main
from tests.conftest import EXAMPLES, write_skill


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_add_list_show_export_remove_json(tmp_path: Path) -> None:
    db = str(tmp_path / "lib.db")
    code, out = run("--library", db, "add", str(EXAMPLES), "--json")
    data = json.loads(out)
    assert code == 0 and data["rejected"] == 0 and data["added"] >= 24
    assert data["library"] == db and data["library_bytes"] > 0

    code, out = run("--library", db, "ls", "--json")
    listed = json.loads(out)
    assert len(listed) == data["added"] and {"name", "version", "digest", "provenance", "tier"} <= set(listed[0])

    name = listed[0]["name"]
    code, out = run("--library", db, "show", name, "--json")
    shown = json.loads(out)
    assert shown["name"] == name and shown["files"][0]["digest"].startswith("sha256:")
    assert shown["versions"] == [{"version": 1, "digest": shown["digest"], "imported_at": shown["provenance"]["imported_at"]}]

    code, out = run("--library", db, "export", name, str(tmp_path / "out"))
    assert code == 0 and (tmp_path / "out" / "SKILL.md").read_bytes() == (EXAMPLES / name / "SKILL.md").read_bytes()

    code, out = run("--library", db, "rm", name, "--json")
    assert json.loads(out) == {"removed": {name: 1}}
    code, out = run("--library", db, "show", name)
    assert code == 2 and "No skill named" in out


def test_add_reports_new_version(tmp_path: Path) -> None:
    folder = write_skill(tmp_path / "src", "changing")
    run("add", str(folder))
    (folder / "extra.md").write_text("new")
    code, out = run("add", str(folder))
    assert code == 0 and "new version" in out and "changing@2" in out and "was @1" in out


def test_add_of_only_bad_skills_exits_1_with_reasons(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "SKILL.md").write_text("no front matter")
    code, out = run("add", str(bad))
    assert code == 1 and "frontmatter-missing" in out


def test_missing_source_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["add", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "error:" in result.output and "no such file" in result.output
    assert "Traceback" not in result.output


def test_validate_json_and_exit_code(tmp_path: Path) -> None:
    good = write_skill(tmp_path, "good")
    bad = write_skill(tmp_path, "bad", extra="colour: blue\n")
    code, out = run("validate", "--json", str(good), str(bad))
    data = json.loads(out)
    assert code == 1 and data["valid"] is False
    problem = data["skills"][1]["problems"][0]
    assert problem == {"rule": "unknown-field", "severity": "error", "file": "SKILL.md", "line": 4,
                       "message": problem["message"]}
    code, _ = run("validate", "--lenient", str(bad))
    assert code == 0


def test_read_properties_and_to_prompt(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "props", extra="metadata:\n  version: 1.0\n")
    code, out = run("read-properties", str(folder))
    assert json.loads(out) == {"name": "props", "description": "Does a thing. Use when testing.",
                               "metadata": {"version": "1.0"}}
    code, out = run("to-prompt", str(tmp_path))
    assert code == 0 and out.startswith("<available_skills>") and str(folder.resolve() / "SKILL.md") in out


def test_install_cli(tmp_path: Path) -> None:
    write_skill(tmp_path / "src", "inst")
    run("add", str(tmp_path / "src"))
    project = tmp_path / "proj"
    project.mkdir()
    code, out = run("install", "inst", "-a", "claude", "--project", str(project), "--json")
    assert code == 0 and json.loads(out)[0]["links"] == [str(project / ".claude" / "skills" / "inst")]
    assert json.loads((project / "skills-lock.json").read_text())["skills"]["inst"]["sourceType"] == "local"


def test_help_lists_commands() -> None:
    code, out = run("--help")
    for command in ("add", "validate", "install", "import-installed", "export", "to-prompt"):
        assert command in out


def test_name_collisions_in_one_add_are_reported(tmp_path: Path) -> None:
    write_skill(tmp_path / "src", "twin", body="# one\n", folder="twin")
    write_skill(tmp_path / "src", "twin", body="# two\n", folder="twin-2")
    code, out = run("add", "--json", str(tmp_path / "src"))
    data = json.loads(out)
    assert (data["added"], data["new_versions"]) == (1, 1)
    assert list(data["collisions"]) == ["twin"] and len(data["collisions"]["twin"]) == 2
    code, out = run("add", str(tmp_path / "src"))
    assert "name collision" in out
