"""Installing into agents' folders, lock files, and importing what is installed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from skillbank.api import Library
from skillbank.errors import InstallError
from skillbank.skill import lock_hash, read_folder
from tests.conftest import write_skill


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.db")
    write_skill(tmp_path / "src", "alpha", files={"scripts/run.sh": b"#!/bin/sh\necho alpha\n"})
    write_skill(tmp_path / "src", "beta")
    os.chmod(tmp_path / "src" / "alpha" / "scripts" / "run.sh", 0o755)
    library.add([str(tmp_path / "src")])
    yield library
    library.close()


def test_install_symlinks_agents_to_canonical_copy(lib: Library, tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    done = lib.install(["alpha"], agents=["claude", "gemini", "codex"], project=project, home=tmp_path / "home")
    canonical = project / ".agents" / "skills" / "alpha"
    assert done[0].canonical == canonical
    assert (canonical / "SKILL.md").is_file() and os.access(canonical / "scripts" / "run.sh", os.X_OK)
    for agent_dir in (".claude/skills", ".gemini/skills"):
        link = project / agent_dir / "alpha"
        assert link.is_symlink() and not os.path.isabs(os.readlink(link))
        assert link.resolve() == canonical.resolve()
    assert len(done[0].links) == 2  # codex reads .agents/skills itself
    files, _ = read_folder(canonical)
    assert files == lib.get("alpha").files


def test_install_copy_and_global(lib: Library, tmp_path: Path) -> None:
    home = tmp_path / "home"
    lib.install(["beta"], agents=["claude"], global_=True, copy=True, project=tmp_path, home=home)
    placed = home / ".claude" / "skills" / "beta"
    assert placed.is_dir() and not placed.is_symlink()
    assert (home / ".agents" / "skills" / "beta" / "SKILL.md").exists()
    lock = json.loads((home / ".agents" / ".skill-lock.json").read_text())
    assert lock["version"] == 3 and lock["skills"]["beta"]["skillFolderHash"] == lock_hash(lib.get("beta").files)


def test_project_lock_is_vercel_compatible_and_keeps_foreign_entries(lib: Library, tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    foreign = {"version": 1, "skills": {"zeta": {"source": "owner/repo", "sourceType": "github", "computedHash": "ab"}}}
    (project / "skills-lock.json").write_text(json.dumps(foreign))
    lib.install(["beta", "alpha"], agents=["claude"], project=project, home=tmp_path / "home")
    lock = json.loads((project / "skills-lock.json").read_text())
    assert lock["version"] == 1
    assert list(lock["skills"]) == ["alpha", "beta", "zeta"]
    assert lock["skills"]["zeta"] == foreign["skills"]["zeta"]
    entry = lock["skills"]["alpha"]
    assert entry["sourceType"] == "local" and entry["computedHash"] == lock_hash(lib.get("alpha").files)
    assert entry["skillbankDigest"] == lib.get("alpha").digest


def test_reinstall_replaces_atomically_and_refuses_foreign_folders(lib: Library, tmp_path: Path) -> None:
    project = tmp_path / "proj"
    (project / ".claude" / "skills" / "beta").mkdir(parents=True)
    (project / ".claude" / "skills" / "beta" / "mine.md").write_text("hand-made")
    with pytest.raises(InstallError, match="--force"):
        lib.install(["beta"], agents=["claude"], project=project, home=tmp_path / "home")
    assert (project / ".claude" / "skills" / "beta" / "mine.md").read_text() == "hand-made"
    lib.install(["alpha"], agents=["claude"], project=project, home=tmp_path / "home")
    lib.install(["alpha"], agents=["claude"], project=project, home=tmp_path / "home")
    leftovers = [p.name for p in (project / ".agents" / "skills").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_install_unknown_skill_writes_nothing(lib: Library, tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    with pytest.raises(Exception, match="nope"):
        lib.install(["alpha", "nope"], agents=["claude"], project=project, home=tmp_path / "home")
    assert not (project / ".agents").exists() and not (project / "skills-lock.json").exists()


def test_corrupt_lock_file_is_a_clear_error(lib: Library, tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "skills-lock.json").write_text("{not json")
    with pytest.raises(InstallError, match="not valid JSON"):
        lib.install(["alpha"], agents=["claude"], project=project, home=tmp_path / "home")
    assert (project / "skills-lock.json").read_text() == "{not json"


def test_import_installed_reports_shadowing(tmp_path: Path) -> None:
    project, home = tmp_path / "proj", tmp_path / "home"
    write_skill(project / ".claude" / "skills", "shared", description="Project copy. Use when testing.")
    write_skill(home / ".claude" / "skills", "shared", description="User copy. Use when testing.")
    write_skill(home / ".agents" / "skills", "solo")
    (project / ".gemini" / "skills").mkdir(parents=True)
    (project / ".gemini" / "skills" / "solo").symlink_to(home / ".agents" / "skills" / "solo")
    with Library.open(tmp_path / "lib.db") as lib:
        report, shadows = lib.import_installed(project=project, home=home)
        assert sorted(v.name for v in lib.list()) == ["shared", "solo"]
        assert len(lib.versions("shared")) == 2
        assert report.count("unchanged") == 1  # the linked copy of solo is the same skill
    assert [s["name"] for s in shadows] == ["shared"]
    assert shadows[0]["winner"].startswith(str(project)) and not shadows[0]["same_content"]
