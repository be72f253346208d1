"""The library keeps the router index in sync on add and remove."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from skillbank.api import Library
from skillbank.cli import main
from tests.conftest import write_skill

PDF = "# Merge PDFs\n\nCombine several PDF documents into one file with pypdf, keeping page order.\n"
GIT = "# Bisect\n\nFind the commit that introduced a regression with git bisect run.\n"


def fingerprint_row(lib: Library) -> str | None:
    row = lib.conn.execute("SELECT value FROM route_state WHERE key = 'library'").fetchone()
    return row[0] if row else None


def test_add_indexes_and_remove_unindexes(tmp_path: Path) -> None:
    write_skill(tmp_path / "src", "pdf-merge", description="Merge PDF files. Use when combining PDFs.", body=PDF)
    write_skill(tmp_path / "src", "git-bisect", description="Find a bad commit. Use for regressions.", body=GIT)
    with Library.open(tmp_path / "lib.db") as lib:
        lib.add([str(tmp_path / "src")])
        assert len(lib.route_index) == 2
        hits = lib.route_index.search("combine two pdf documents", k=2)
        assert hits[0].doc_id == "pdf-merge"
        marked = fingerprint_row(lib)
        assert marked is not None
        lib.remove("pdf-merge")
        assert len(lib.route_index) == 1
        assert [h.doc_id for h in lib.route_index.search("combine two pdf documents", k=2)] == ["git-bisect"]
        assert fingerprint_row(lib) not in (None, marked)


def test_new_version_reindexes_and_removing_it_restores_the_old_text(tmp_path: Path) -> None:
    folder = write_skill(tmp_path / "src", "helper", description="Merge PDF files. Use when combining PDFs.", body=PDF)
    with Library.open(tmp_path / "lib.db") as lib:
        lib.add([str(folder)])
        (folder / "SKILL.md").write_text("---\nname: helper\ndescription: Find a bad commit with git bisect.\n---\n" + GIT)
        lib.add([str(folder)])
        doc = lib.conn.execute("SELECT description FROM route_docs WHERE doc_id = 'helper'").fetchone()[0]
        assert "bisect" in doc
        lib.remove("helper@2")
        doc = lib.conn.execute("SELECT description FROM route_docs WHERE doc_id = 'helper'").fetchone()[0]
        assert "PDF" in doc


def test_find_and_routed_prompt_over_the_library(tmp_path: Path) -> None:
    write_skill(tmp_path / "src", "pdf-merge", description="Merge PDF files. Use when combining PDFs.", body=PDF)
    write_skill(tmp_path / "src", "git-bisect", description="Find a bad commit. Use for regressions.", body=GIT)
    db = str(tmp_path / "lib.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--library", db, "add", str(tmp_path / "src")]).exit_code == 0
    found = runner.invoke(main, ["--library", db, "find", "which commit broke the build", "-k", "1"])
    assert found.exit_code == 0 and "git-bisect" in found.output
    block = runner.invoke(main, ["--library", db, "to-prompt", "--for", "join pdf files", "-k", "1"])
    assert block.exit_code == 0
    assert block.output.count("<skill>") == 1 and "<name>\npdf-merge\n</name>" in block.output
