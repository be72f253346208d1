"""Shared fixtures: every test gets its own empty library and home folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "skills"
SHARED_BENCH = ROOT.parent / "shared" / "bench"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("skillbank-home")
    monkeypatch.setenv("SKILLBANK_HOME", str(home))
    monkeypatch.delenv("SKILLBANK_LIBRARY", raising=False)
    # The router's semantic summary encoder (MiniLM) is off unless a test asks for the
    # default: tests that exercise the default router delete this variable.
    monkeypatch.setenv("SKILLBANK_SUMMARY_EMBEDDER", "none")
    return home


def write_skill(root: Path, name: str, description: str = "Does a thing. Use when testing.", body: str = "# Body\n",
                extra: str = "", files: dict[str, bytes] | None = None, folder: str | None = None) -> Path:
    """Write a small skill folder and return it."""
    folder_path = root / (folder or name)
    folder_path.mkdir(parents=True, exist_ok=True)
    (folder_path / "SKILL.md").write_text(f"---\nname: {name}\ndescription: {description}\n{extra}---\n{body}")
    for rel, data in (files or {}).items():
        target = folder_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder_path
