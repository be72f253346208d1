"""Inputs crafted to exhaust memory, forge digests, smuggle content or race installs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

from skillbank import spec
from skillbank.api import Library
from skillbank.errors import InstallError, NotFoundError, SourceError
from tests.conftest import write_skill
from tests.library.test_store import git

BOMB = "---\nname: bomb\ndescription: x\nmetadata:\n  a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 9)
) + "---\n"


@pytest.mark.parametrize("mode", ["strict", "lenient"])
def test_alias_bomb_is_refused_at_once(mode: spec.Mode) -> None:
    problems = spec.validate_text(BOMB, folder_name="bomb", mode=mode).problems
    assert [p.rule for p in problems] == ["yaml-unsupported"]


@pytest.mark.parametrize("value", ["!!int abc", "!!bool maybe", "!!timestamp 2020-01-01", "!!str hi", "!custom x"])
def test_explicit_tags_are_refused_not_crashing(value: str) -> None:
    text = f"---\nname: t\ndescription: {value}\n---\n"
    assert [p.rule for p in spec.validate_text(text, folder_name="t", mode="lenient").problems] == ["yaml-unsupported"]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    text = "---\nname: d\ndescription: x\nmetadata: " + "[" * 3000 + "]" * 3000 + "\n---\n"
    assert spec.has_errors(spec.validate_text(text, folder_name="d", mode="lenient").problems)


def test_bad_yaml_in_one_skill_does_not_stop_the_import(tmp_path: Path) -> None:
    write_skill(tmp_path / "src", "fine")
    write_skill(tmp_path / "src", "tagged", description="!!timestamp 2020-01-01")
    with Library.open(tmp_path / "lib.db") as lib:
        report = lib.add([str(tmp_path / "src")])
        assert (report.count("added"), report.rejected_by_rule()) == (1, {"yaml-unsupported": 1})


def test_newline_in_a_path_cannot_forge_a_digest(tmp_path: Path) -> None:
    archive = tmp_path / "forge.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("s/SKILL.md", "---\nname: s\ndescription: x\n---\n")
        zf.writestr("s/x\n" + "0" * 64 + "  y", "z")
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError, match="control character"):
        lib.add([str(archive)])


def test_tar_holding_a_zip_is_read_as_tar(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("sneaky/SKILL.md", "---\nname: sneaky\ndescription: x\n---\n")
    archive = tmp_path / "poly.tar"
    with tarfile.open(archive, "w") as tf:
        for name, data in (("good/SKILL.md", b"---\nname: good\ndescription: x\n---\n"), ("good/zz.zip", inner.getvalue())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    with Library.open(tmp_path / "lib.db") as lib:
        assert [o.name for o in lib.add([str(archive)]).outcomes] == ["good"]


def test_tar_with_too_many_entries_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "many.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        data = b"---\nname: m\ndescription: x\n---\n"
        info = tarfile.TarInfo("m/SKILL.md")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        for i in range(20_001):
            d = tarfile.TarInfo(f"m/d{i}")
            d.type = tarfile.DIRTYPE
            tf.addfile(d)
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError, match="entries"):
        lib.add([str(archive)])


def test_file_and_folder_at_one_path_is_rejected(tmp_path: Path) -> None:
    archive = tmp_path / "clash.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("c/SKILL.md", "---\nname: c\ndescription: x\n---\n")
        zf.writestr("c/scripts", "file")
        zf.writestr("c/scripts/run.sh", "echo")
    with Library.open(tmp_path / "lib.db") as lib:
        assert lib.add([str(archive)]).rejected_by_rule() == {"path-conflict": 1}


def test_symlink_loop_is_rejected_per_skill(tmp_path: Path) -> None:
    folder = write_skill(tmp_path / "src", "loopy")
    (folder / "x").symlink_to("x")
    write_skill(tmp_path / "src", "fine")
    with Library.open(tmp_path / "lib.db") as lib:
        report = lib.add([str(tmp_path / "src")])
        assert (report.count("added"), report.rejected_by_rule()) == (1, {"symlink-escape": 1})


def test_unreadable_source_stops_before_anything_is_written(tmp_path: Path) -> None:
    write_skill(tmp_path / "src", "early")
    with Library.open(tmp_path / "lib.db") as lib:
        with pytest.raises(SourceError):
            lib.add([str(tmp_path / "src"), str(tmp_path / "missing")])
        assert lib.list() == []


def test_version_numbers_are_never_reused(tmp_path: Path) -> None:
    folder = write_skill(tmp_path / "src", "seq")
    with Library.open(tmp_path / "lib.db") as lib:
        lib.add([str(folder)])
        (folder / "a.md").write_text("a")
        lib.add([str(folder)])
        lib.remove("seq@2")
        (folder / "a.md").write_text("b")
        assert lib.add([str(folder)]).outcomes[0].version == 3
        lib.remove("seq")
        (folder / "a.md").write_text("c")
        outcome = lib.add([str(folder)]).outcomes[0]
        assert (outcome.status, outcome.version) == ("added", 4)
        with pytest.raises(NotFoundError):
            lib.get("seq@²")


def test_names_with_at_sign_are_refused(tmp_path: Path) -> None:
    write_skill(tmp_path / "src", "team@tools", folder="team-tools")
    with Library.open(tmp_path / "lib.db") as lib:
        assert lib.add([str(tmp_path / "src")]).rejected_by_rule() == {"name-unsafe": 1}


def test_copy_install_never_replaces_a_users_own_folder(tmp_path: Path) -> None:
    write_skill(tmp_path / "src", "alpha")
    project = tmp_path / "proj"
    mine = write_skill(project / ".claude" / "skills", "alpha", body="# my own edits\n")
    with Library.open(tmp_path / "lib.db") as lib:
        lib.add([str(tmp_path / "src")])
        with pytest.raises(InstallError, match="--force"):
            lib.install(["alpha"], agents=["claude"], copy=True, project=project, home=tmp_path / "home")
        assert (mine / "SKILL.md").read_text().endswith("# my own edits\n")
        lib.install(["alpha"], agents=["agents"], project=project, home=tmp_path / "home")
        lib.install(["alpha"], agents=["agents"], project=project, home=tmp_path / "home")  # ours: replaced
        (project / ".agents" / "skills" / "alpha" / "SKILL.md").write_text("edited by hand")
        with pytest.raises(InstallError, match="--force"):
            lib.install(["alpha"], agents=["agents"], project=project, home=tmp_path / "home")
        assert (project / ".agents" / "skills" / "alpha" / "SKILL.md").read_text() == "edited by hand"


def test_installed_folders_are_world_readable(tmp_path: Path) -> None:
    write_skill(tmp_path / "src", "readable")
    with Library.open(tmp_path / "lib.db") as lib:
        lib.add([str(tmp_path / "src")])
        lib.install(["readable"], agents=["agents"], project=tmp_path / "p", home=tmp_path / "h")
    assert (tmp_path / "p" / ".agents" / "skills" / "readable").stat().st_mode & 0o777 == 0o755


RACER = textwrap.dedent(
    """
    import sys
    from skillbank.api import Library
    with Library.open(sys.argv[1]) as lib:
        lib.install([sys.argv[3]], agents=["claude"], project=sys.argv[2], home=sys.argv[2] + "/home")
    """
)


def test_concurrent_installs_keep_every_lock_entry(tmp_path: Path) -> None:
    for i in range(6):
        write_skill(tmp_path / "src", f"s{i}")
    db = tmp_path / "lib.db"
    with Library.open(db) as lib:
        lib.add([str(tmp_path / "src")])
    project = tmp_path / "proj"
    project.mkdir()
    names = [f"s{i}" for i in range(6)] + ["s0", "s0"]
    procs = [subprocess.Popen([sys.executable, "-c", RACER, str(db), str(project), n], stderr=subprocess.PIPE)
             for n in names]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    lock = json.loads((project / "skills-lock.json").read_text())
    assert sorted(lock["skills"]) == [f"s{i}" for i in range(6)]
    leftovers = [p.name for p in (project / ".agents" / "skills").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_git_url_cannot_inject_options(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError):
        lib.add([f"--upload-pack=touch {marker};.git"])
    assert not marker.exists()


def test_lock_entry_of_the_wrong_shape_is_replaced(tmp_path: Path) -> None:
    write_skill(tmp_path / "src", "s1")
    project = tmp_path / "proj"
    project.mkdir()
    (project / "skills-lock.json").write_text(json.dumps({"version": 1, "skills": {"s1": "x"}}))
    with Library.open(tmp_path / "lib.db") as lib:
        lib.add([str(tmp_path / "src")])
        lib.install(["s1"], agents=["claude"], project=project, home=tmp_path / "home")
    assert json.loads((project / "skills-lock.json").read_text())["skills"]["s1"]["sourceType"] == "local"


def test_export_to_current_folder_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_skill(tmp_path / "src", "here")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    with Library.open(tmp_path / "lib.db") as lib:
        lib.add([str(tmp_path / "src")])
        lib.export("here", ".")
    assert (out / "SKILL.md").exists() and os.access(out, os.R_OK)


def test_git_ref_never_runs_the_repositorys_filters(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_skill(repo, "filtered")
    git("init", "-q", cwd=repo)
    (repo / ".gitattributes").write_text("* filter=evil\n")
    git("add", ".", cwd=repo)
    git("commit", "-qm", "init", cwd=repo)
    marker = tmp_path / "FILTER_RAN"
    git("config", "filter.evil.smudge", f"sh -c 'touch {marker}; cat'", cwd=repo)
    git("config", "filter.evil.textconv", f"sh -c 'touch {marker}; cat'", cwd=repo)
    with Library.open(tmp_path / "lib.db") as lib:
        assert lib.add([f"{repo}@HEAD"]).outcomes[0].status == "added"
        assert lib.get("filtered").files["SKILL.md"] == (repo / "filtered" / "SKILL.md").read_bytes()
    assert not marker.exists()


def test_git_tree_with_a_symlink_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    folder = write_skill(repo, "linked")
    (folder / "passwd").symlink_to("/etc/passwd")
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-qm", "init", cwd=repo)
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError, match="symlink"):
        lib.add([f"{repo}@HEAD"])
    with Library.open(tmp_path / "lib.db") as lib, pytest.raises(SourceError, match="not a git ref"):
        lib.add([f"{repo}@--output=x"])
