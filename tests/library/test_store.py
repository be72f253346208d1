"""Versions, provenance, digests and byte-for-byte export."""

from __future__ import annotations

import filecmp
import hashlib
import os
import sqlite3
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from skillbank.api import Library
from skillbank.errors import NotFoundError, SourceError
from skillbank.skill import content_digest, load
from skillbank.store.migrations import applied, migrate
from tests.conftest import EXAMPLES, write_skill


def tree(folder: Path) -> dict[str, tuple[bytes, bool]]:
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            out[p.relative_to(folder).as_posix()] = (p.read_bytes(), os.access(p, os.X_OK))
    return out


def test_export_reproduces_every_example_byte_for_byte(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.db") as lib:
        report = lib.add([str(EXAMPLES)], mode="strict")
        assert report.count("rejected") == 0 and report.count("added") >= 24
        for info in lib.list():
            dest = tmp_path / "out" / info.name
            lib.export(info.name, dest)
            assert tree(dest) == tree(EXAMPLES / info.name), info.name
            assert content_digest({p: b for p, (b, _) in tree(dest).items()}) == info.digest


def test_readd_is_noop_and_changed_content_is_new_version(tmp_path: Path) -> None:
    folder = write_skill(tmp_path / "src", "evolving")
    with Library.open(tmp_path / "lib.db") as lib:
        assert lib.add([str(folder)]).outcomes[0].status == "added"
        assert lib.add([str(folder)]).outcomes[0].status == "unchanged"
        (folder / "notes.md").write_text("more")
        outcome = lib.add([str(folder)]).outcomes[0]
        assert (outcome.status, outcome.version, outcome.previous_version) == ("new-version", 2, 1)
        assert [v.seq for v in lib.versions("evolving")] == [1, 2]
        assert "notes.md" not in lib.get("evolving@1").files
        assert lib.get("evolving").files["notes.md"] == b"more"
        v1 = lib.versions("evolving")[0]
        assert lib.get(f"evolving@{v1.digest[7:19]}").seq == 1
        assert lib.get(f"evolving@{v1.digest}").seq == 1


def test_digest_and_file_entries(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "digest", files={"scripts/run.py": b"print(1)\n"})
    skill = load(folder)
    manifest = "".join(
        f"{hashlib.sha256((folder / p).read_bytes()).hexdigest()}  {p}\n" for p in ["SKILL.md", "scripts/run.py"]
    )
    assert skill.digest == "sha256:" + hashlib.sha256(manifest.encode()).hexdigest()
    entries = {e.path: e for e in skill.entries()}
    assert entries["scripts/run.py"].size == 9
    assert entries["scripts/run.py"].digest == "sha256:" + hashlib.sha256(b"print(1)\n").hexdigest()


def test_provenance_folder(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "prov")
    with Library.open(tmp_path / "lib.db") as lib:
        lib.add([str(folder)])
        prov = lib.get("prov").provenance
        assert prov.source_kind == "folder" and prov.origin == str(folder.resolve()) and prov.imported_at


def test_exec_bit_survives_round_trip(tmp_path: Path) -> None:
    folder = write_skill(tmp_path / "src", "runner", files={"scripts/go.sh": b"#!/bin/sh\necho hi\n"})
    os.chmod(folder / "scripts" / "go.sh", 0o755)
    with Library.open(tmp_path / "lib.db") as lib:
        lib.add([str(folder)])
        lib.export("runner", tmp_path / "out")
    assert os.access(tmp_path / "out" / "scripts" / "go.sh", os.X_OK)
    assert not os.access(tmp_path / "out" / "SKILL.md", os.X_OK)


def test_remove_one_version_and_all(tmp_path: Path) -> None:
    folder = write_skill(tmp_path / "src", "gone")
    with Library.open(tmp_path / "lib.db") as lib:
        lib.add([str(folder)])
        (folder / "x.md").write_text("x")
        lib.add([str(folder)])
        assert lib.remove("gone@1") == 1
        assert [v.seq for v in lib.versions("gone")] == [2]
        assert lib.remove("gone") == 1
        with pytest.raises(NotFoundError, match="skillbank list"):
            lib.get("gone")
        assert lib.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 0


def test_export_refuses_non_empty_destination(tmp_path: Path) -> None:
    folder = write_skill(tmp_path / "src", "exp")
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    with Library.open(tmp_path / "lib.db") as lib:
        lib.add([str(folder)])
        with pytest.raises(SourceError, match="--force"):
            lib.export("exp", dest)
        assert (dest / "keep.txt").read_text() == "mine"
        lib.export("exp", dest, force=True)
        assert not (dest / "keep.txt").exists() and (dest / "SKILL.md").exists()


def test_migrations_are_numbered_and_idempotent(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    steps = ["CREATE TABLE a (x INTEGER);", "ALTER TABLE a ADD COLUMN y TEXT;"]
    assert migrate(conn, "demo", steps) == 2
    assert migrate(conn, "demo", steps) == 0
    assert applied(conn, "demo") == 2
    assert migrate(conn, "demo", steps + ["CREATE TABLE b (z INTEGER);"]) == 1


def test_failed_migration_rolls_back(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, "demo", ["CREATE TABLE a (x INTEGER); CREATE TABLE a (x INTEGER);"])
    assert applied(conn, "demo") == 0
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'a'").fetchone() is None


def test_wal_mode(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.db") as lib:
        assert lib.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_library_location_follows_skillbank_home(tmp_path: Path, _isolated_home: Path) -> None:
    with Library.open() as lib:
        assert lib.path == _isolated_home / "library.db"


# -- sources ------------------------------------------------------------------------------


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout.strip()


def test_add_from_git_checkout_at_ref(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_skill(repo / "skills", "gitty", body="# version one\n")
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-qm", "v1", cwd=repo)
    git("tag", "v1", cwd=repo)
    first = git("rev-parse", "HEAD", cwd=repo)
    (repo / "skills" / "gitty" / "SKILL.md").write_text("---\nname: gitty\ndescription: two\n---\n# two\n")
    git("commit", "-qam", "v2", cwd=repo)
    (repo / "skills" / "gitty" / "SKILL.md").write_text("dirty work tree, not committed")
    with Library.open(tmp_path / "lib.db") as lib:
        outcome = lib.add([f"{repo}@v1"]).outcomes[0]
        assert outcome.status == "added"
        stored = lib.get("gitty")
        assert stored.body == "# version one\n"
        assert stored.provenance.source_kind == "git" and stored.provenance.git_ref == first
        assert lib.add([f"{repo / 'skills'}@HEAD"]).outcomes[0].status == "new-version"
        assert lib.get("gitty").body == "# two\n"
    assert (repo / "skills" / "gitty" / "SKILL.md").read_text() == "dirty work tree, not committed"


def test_add_from_git_url(tmp_path: Path) -> None:
    repo = tmp_path / "remote"
    write_skill(repo, "remote-skill")
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-qm", "init", cwd=repo)
    with Library.open(tmp_path / "lib.db") as lib:
        outcome = lib.add([f"file://{repo}"]).outcomes[0]
        assert outcome.status == "added" and outcome.name == "remote-skill"
        assert lib.get("remote-skill").provenance.origin == f"file://{repo}"


def test_bad_git_ref_is_a_clear_error(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_skill(repo, "x")
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-qm", "init", cwd=repo)
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError, match="no-such-ref"):
        lib.add([f"{repo}@no-such-ref"])


def test_add_from_zip_and_tar_matches_folder(tmp_path: Path) -> None:
    names = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())[:5]
    zpath = tmp_path / "skills.zip"
    tpath = tmp_path / "skills.tar.gz"
    with zipfile.ZipFile(zpath, "w") as zf, tarfile.open(tpath, "w:gz") as tf:
        for name in names:
            for f in (EXAMPLES / name).rglob("*"):
                if f.is_file():
                    arc = f"bundle/{f.relative_to(EXAMPLES).as_posix()}"
                    zf.write(f, arc)
                    tf.add(f, arc)
    for archive in (zpath, tpath):
        with Library.open(tmp_path / f"{archive.name}.db") as lib:
            report = lib.add([str(archive)], mode="strict")
            assert report.count("added") == 5, report.to_dict()
            for name in names:
                lib.export(name, tmp_path / "out" / archive.name / name)
                assert not filecmp.dircmp(tmp_path / "out" / archive.name / name, EXAMPLES / name).diff_files
                assert lib.get(name).provenance.source_kind == "archive"


def test_folder_search_skips_git_and_node_modules_and_is_bounded(tmp_path: Path) -> None:
    write_skill(tmp_path / "a" / "b", "found")
    write_skill(tmp_path / "node_modules", "hidden-npm")
    write_skill(tmp_path / ".git", "hidden-git")
    write_skill(tmp_path / "1" / "2" / "3" / "4" / "5" / "6" / "7", "too-deep")
    with Library.open(tmp_path / "lib.db") as lib:
        report = lib.add([str(tmp_path)])
        assert [o.name for o in report.outcomes] == ["found"]


def test_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError, match="no such file"):
        lib.add([str(tmp_path / "nope")])
