"""Bad input gets a clear error and loses nothing."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

from skillbank.api import Library
from skillbank.errors import SkillLoadError, SourceError, StoreError
from skillbank.skill import MAX_FILES, read_folder
from tests.conftest import write_skill

GOOD = b"---\nname: good\ndescription: A good skill. Use when testing.\n---\n# Good\n"


def add_one(lib: Library, path: Path) -> tuple[str, str | None]:
    outcome = lib.add([str(path)]).outcomes[0]
    return outcome.status, outcome.rule


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (b"---\nname: s\ndescription: [broken\n---\n", "yaml-syntax"),
        (b"# no front matter at all\n", "frontmatter-missing"),
        (b"---\n---\n", "frontmatter-empty"),
        (b"---\nname: s\nname: s\ndescription: x\n---\n", "yaml-duplicate-key"),
        (b"---\nname: s\ndescription: caf\xe9\n---\n", "skill-md-encoding"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "skill-md-binary"),
    ],
)
def test_bad_skill_md_is_rejected_with_rule(tmp_path: Path, text: bytes, rule: str) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "SKILL.md").write_bytes(text)
    with Library.open(tmp_path / "lib.db") as lib:
        assert add_one(lib, folder) == ("rejected", rule)
        assert lib.list() == []


def test_one_bad_skill_does_not_stop_the_others(tmp_path: Path) -> None:
    write_skill(tmp_path / "src", "good")
    bad = tmp_path / "src" / "bad"
    bad.mkdir()
    (bad / "SKILL.md").write_text("no front matter")
    with Library.open(tmp_path / "lib.db") as lib:
        report = lib.add([str(tmp_path / "src")])
        assert report.count("added") == 1 and report.rejected_by_rule() == {"frontmatter-missing": 1}


def test_skill_md_over_one_mib(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "big", body="x" * (1 << 20))
    with pytest.raises(SkillLoadError) as err:
        read_folder(folder)
    assert err.value.rule == "skill-md-too-large"
    with Library.open(tmp_path / "lib.db") as lib:
        assert add_one(lib, folder) == ("rejected", "skill-md-too-large")


def test_skill_over_16_mib(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "huge", files={f"assets/blob{i}.bin": os.urandom(6 << 20) for i in range(3)})
    with Library.open(tmp_path / "lib.db") as lib:
        assert add_one(lib, folder) == ("rejected", "skill-too-large")


def test_skill_over_512_files(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "many", files={f"refs/f{i}.md": b"x" for i in range(MAX_FILES)})
    with Library.open(tmp_path / "lib.db") as lib:
        assert add_one(lib, folder) == ("rejected", "too-many-files")


def test_symlink_out_of_skill_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    folder = write_skill(tmp_path / "skills", "linky")
    (folder / "leak.txt").symlink_to(secret)
    with Library.open(tmp_path / "lib.db") as lib:
        outcome = lib.add([str(folder)]).outcomes[0]
        assert (outcome.status, outcome.rule) == ("rejected", "symlink-escape")
        assert "outside the skill folder" in (outcome.message or "")
        assert lib.list() == []


def test_symlinked_directory_out_of_skill_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "id_rsa").write_text("key")
    folder = write_skill(tmp_path / "skills", "dirlink")
    (folder / "refs").symlink_to(outside, target_is_directory=True)
    with Library.open(tmp_path / "lib.db") as lib:
        assert add_one(lib, folder) == ("rejected", "symlink-escape")


def test_symlink_inside_skill_is_stored_as_its_target(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "inner", files={"refs/a.md": b"A"})
    (folder / "b.md").symlink_to(folder / "refs" / "a.md")
    files, _ = read_folder(folder)
    assert files["b.md"] == b"A"


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("evil", ["../escape/SKILL.md", "/abs/SKILL.md", "good/../../x.md"])
def test_zip_with_escaping_entries_is_refused_whole(tmp_path: Path, evil: str) -> None:
    archive = _zip(tmp_path / "a.zip", {"good/SKILL.md": GOOD, evil: b"x"})
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError, match="(?i)refusing the whole archive"):
        lib.add([str(archive)])
    with Library.open(tmp_path / "lib.db") as lib:
        assert lib.list() == []
    assert not (tmp_path / "escape").exists()


def test_zip_with_symlink_entry_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("good/SKILL.md", GOOD)
        info = zipfile.ZipInfo("good/link")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError, match="link or special file"):
        lib.add([str(archive)])


@pytest.mark.parametrize("kind", ["sym", "hard", "dotdot", "abs"])
def test_tar_with_links_or_escapes_is_refused(tmp_path: Path, kind: str) -> None:
    archive = tmp_path / "a.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        info = tarfile.TarInfo("good/SKILL.md")
        info.size = len(GOOD)
        tf.addfile(info, io.BytesIO(GOOD))
        if kind in ("sym", "hard"):
            link = tarfile.TarInfo("good/link")
            link.type = tarfile.SYMTYPE if kind == "sym" else tarfile.LNKTYPE
            link.linkname = "/etc/passwd"
            tf.addfile(link)
        else:
            evil = tarfile.TarInfo("../x.md" if kind == "dotdot" else "/tmp/x.md")
            evil.size = 1
            tf.addfile(evil, io.BytesIO(b"x"))
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError):
        lib.add([str(archive)])


def test_zip_bomb_is_refused_without_inflating(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bomb.zip", {"good/SKILL.md": GOOD, "good/assets/zeros.bin": b"\0" * (64 << 20)})
    assert archive.stat().st_size < 1 << 20
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError, match="bomb"):
        lib.add([str(archive)])


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated", os.urandom(4096)])
def test_broken_archive_gives_clear_error(tmp_path: Path, content: bytes) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(content)
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError, match="broken.zip"):
        lib.add([str(archive)])


def test_corrupt_library_file_gives_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "lib.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable skillbank library"):
        Library.open(bad)


ADDER = textwrap.dedent(
    """
    import sys
    from skillbank.api import Library
    with Library.open(sys.argv[1]) as lib:
        report = lib.add([sys.argv[2]])
    print(report.count("added"), report.count("unchanged"), report.count("new-version"))
    """
)


def test_four_concurrent_adders_store_each_version_once(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for i in range(12):
        write_skill(src, f"skill-{i:02d}", files={"refs/data.md": os.urandom(2048)})
    db = tmp_path / "lib.db"
    procs = [
        subprocess.Popen([sys.executable, "-c", ADDER, str(db), str(src)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1].decode() for o in outputs]
    totals = [list(map(int, o[0].split())) for o in outputs]
    assert sum(t[0] for t in totals) == 12  # each skill added by exactly one process
    assert sum(t[1] for t in totals) == 36  # and found unchanged by the other three
    assert sum(t[2] for t in totals) == 0
    with Library.open(db) as lib:
        assert len(lib.list()) == 12
        assert all(len(lib.versions(v.name)) == 1 for v in lib.list())


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from skillbank.store.sqlite import SQLiteStore
    from skillbank.api import Library
    original = SQLiteStore._insert_file
    count = 0
    def dying_insert(self, *args):
        global count
        count += 1
        if count == int(sys.argv[3]):
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, *args)
    SQLiteStore._insert_file = dying_insert
    with Library.open(sys.argv[1]) as lib:
        lib.add([sys.argv[2]])
    """
)


@pytest.mark.parametrize("die_at", [1, 20, 39])
def test_killed_add_leaves_whole_version_or_none(tmp_path: Path, die_at: int) -> None:
    db = tmp_path / "lib.db"
    v1 = write_skill(tmp_path / "v1", "victim", files={f"refs/{i}.md": b"v1-%d" % i for i in range(40)})
    with Library.open(db) as lib:
        assert lib.add([str(v1)]).count("added") == 1
    v2 = write_skill(tmp_path / "v2", "victim", description="Changed. Use when testing.",
                     files={f"refs/{i}.md": b"v2-%d" % i for i in range(40)})
    proc = subprocess.run([sys.executable, "-c", KILLER, str(db), str(v2), str(die_at)], capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    with Library.open(db) as lib:
        versions = lib.versions("victim")
        assert [v.seq for v in versions] == [1]
        stored = lib.get("victim")
        assert len(stored.files) == 41 and stored.files["refs/0.md"] == b"v1-0"
        assert lib.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert lib.add([str(v2)]).outcomes[0].status == "new-version"
        assert len(lib.get("victim@2").files) == 41
