"""Installing skills where agents look for them, and the lock files that record it.

The canonical copy goes to `.agents/skills/<name>` (project) or `~/.agents/skills/<name>`
(`global_=True`); each agent's own folder gets a relative symlink to it (or a copy).
Every write goes to a temporary sibling first and is renamed into place, so an
interrupted install leaves the old skill or the new one, never a mix.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from skillbank.errors import InstallError, SkillbankError
from skillbank.skill import check_relpath, content_digest, read_folder

# agent -> (project folder, user folder), from each client's documentation.
AGENT_DIRS: dict[str, tuple[str, str]] = {
    "agents": (".agents/skills", "~/.agents/skills"),
    "claude": (".claude/skills", "~/.claude/skills"),
    "codex": (".agents/skills", "~/.agents/skills"),
    "gemini": (".gemini/skills", "~/.gemini/skills"),
    "openclaw": (".agents/skills", "~/.openclaw/skills"),
}
# Where `import-installed` looks (project and user level), beyond the install targets.
DISCOVERY_DIRS: tuple[str, ...] = (
    ".agents/skills",
    ".claude/skills",
    ".gemini/skills",
    ".codex/skills",
    ".openclaw/skills",
    "skills",
    "~/.agents/skills",
    "~/.claude/skills",
    "~/.codex/skills",
    "~/.gemini/skills",
    "~/.openclaw/skills",
    "~/.cursor/skills",
    "~/.copilot/skills",
    "~/.config/opencode/skills",
    "~/.config/goose/skills",
    "~/.config/agents/skills",
)
PROJECT_LOCK = "skills-lock.json"
GLOBAL_LOCK = "~/.agents/.skill-lock.json"


@dataclass
class Installed:
    name: str
    canonical: Path
    links: list[Path]
    mode: str  # "symlink" or "copy"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "canonical": str(self.canonical),
            "links": [str(p) for p in self.links],
            "mode": self.mode,
        }


def _expand(folder: str, home: Path) -> Path:
    return home / folder[2:] if folder.startswith("~/") else Path(folder)


def agent_dir(agent: str, *, global_: bool, project: Path, home: Path) -> Path:
    if agent not in AGENT_DIRS:
        raise InstallError(f"Unknown agent {agent!r}; choose one of {', '.join(sorted(AGENT_DIRS))}.")
    project_dir, user_dir = AGENT_DIRS[agent]
    return _expand(user_dir, home) if global_ else project / project_dir


def write_tree(dest: Path, files: Mapping[str, bytes], modes: Mapping[str, int] | None = None) -> None:
    """Write files to `dest` atomically: build a sibling temp folder, then swap it in."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; agents may run as another user
    try:
        for rel, data in files.items():
            target = tmp / check_relpath(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(data)
            os.chmod(target, (modes or {}).get(rel, 0o644))
        _swap_in(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_in(new: Path, dest: Path) -> None:
    if dest.is_symlink() or dest.is_file():
        dest.unlink()  # a directory cannot replace a link or file in one rename
        os.replace(new, dest)
        return
    if not dest.exists():
        os.replace(new, dest)
        return
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    os.replace(dest, old)
    try:
        os.replace(new, dest)
    except BaseException:
        os.replace(old, dest)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _link(link: Path, target: Path, *, force: bool) -> None:
    """Point `link` at `target` with a relative symlink, swapped in atomically."""
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.exists() and not link.is_symlink():
        if not force:
            raise InstallError(
                f"{link} already exists and is not a skillbank link; it may be a skill of yours. "
                "Move it away or pass --force to replace it."
            )
        shutil.rmtree(link) if link.is_dir() else link.unlink()
    relative = os.path.relpath(target, link.parent)
    tmp = link.with_name(f".{link.name}.link-{os.getpid()}")
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(relative, tmp)
    os.replace(tmp, link)


@contextmanager
def install_lock(root: Path) -> Iterator[None]:
    """Serialise installs into one skills root (folders and lock file) across processes."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".skillbank-install.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _check_replaceable(place: Path, known: Iterable[str], *, force: bool) -> None:
    """Refuse to replace a real folder unless it holds a version we know (or --force)."""
    if force or place.is_symlink() or not place.exists():
        return
    try:
        files, _ = read_folder(place)
        ours = content_digest(files) in set(known)
    except SkillbankError:
        ours = False
    if not ours:
        raise InstallError(
            f"{place} already exists and is not a version of this skill that skillbank knows; it may hold "
            "your own edits. Move it away or pass --force to replace it."
        )


def install_skill(
    name: str,
    files: Mapping[str, bytes],
    modes: Mapping[str, int],
    *,
    agents: Iterable[str],
    global_: bool = False,
    copy: bool = False,
    project: Path | None = None,
    home: Path | None = None,
    force: bool = False,
    known_digests: Iterable[str] = (),
) -> Installed:
    """Write the canonical copy and link (or copy) it into each agent's folder.

    A real folder already in place is replaced only if it holds a version of this skill
    skillbank knows (`known_digests`), or with `force`.
    """
    project = Path(project or Path.cwd())
    home = Path(home or Path.home())
    known = [*known_digests, content_digest(files)]
    canonical = agent_dir("agents", global_=global_, project=project, home=home) / name
    places = [
        agent_dir(agent, global_=global_, project=project, home=home) / name for agent in dict.fromkeys(agents)
    ]
    places = [p for p in places if p != canonical]
    for place in [canonical, *(places if copy else [])]:
        _check_replaceable(place, known, force=force)
    write_tree(canonical, files, modes)
    links: list[Path] = []
    for place in places:
        if copy:
            write_tree(place, files, modes)
        else:
            _link(place, canonical, force=force)
        links.append(place)
    return Installed(name, canonical, links, "copy" if copy else "symlink")


# -- lock files -------------------------------------------------------------------------


def read_lock(path: Path) -> dict[str, Any]:
    """Read a skills lock file (Vercel project v1 or global v3); empty if absent."""
    if not path.exists():
        return {"version": 1, "skills": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InstallError(f"{path} is not valid JSON ({exc}); fix or remove it.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("skills", {}), dict):
        raise InstallError(f"{path}: expected an object with a 'skills' map.")
    data.setdefault("skills", {})
    return data


def _write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def record_lock(
    entries: Mapping[str, Mapping[str, Any]], *, global_: bool, project: Path, home: Path
) -> Path:
    """Add or update entries in the project `skills-lock.json` or the global lock.

    `entries` maps name -> {source, sourceType, computedHash, digest, version, ref?}.
    Unknown fields already in the file are kept, so other tools' data survives.
    """
    now = datetime.now(UTC).isoformat(timespec="seconds")
    path = _expand(GLOBAL_LOCK, home) if global_ else project / PROJECT_LOCK
    lock = read_lock(path)
    if global_:
        lock["version"] = max(int(lock.get("version", 3)), 3)
    for name, entry in entries.items():
        previous = lock["skills"].get(name)
        current = dict(previous) if isinstance(previous, dict) else {}
        if global_:
            current.update(
                {
                    "source": entry["source"],
                    "sourceType": entry["sourceType"],
                    "sourceUrl": entry.get("sourceUrl", entry["source"]),
                    "skillFolderHash": entry["computedHash"],
                    "installedAt": current.get("installedAt", now),
                    "updatedAt": now,
                    "skillbankDigest": entry["digest"],
                    "skillbankVersion": entry["version"],
                    "skillbankTier": entry["tier"],
                }
            )
        else:
            current.update({k: v for k, v in entry.items() if k in ("source", "sourceType", "computedHash", "ref")})
            current["skillbankDigest"] = entry["digest"]
            current["skillbankVersion"] = entry["version"]
            current["skillbankTier"] = entry["tier"]
        lock["skills"][name] = current
    lock["skills"] = dict(sorted(lock["skills"].items()))
    _write_json_atomic(path, lock)
    return path


def discovery_roots(project: Path, home: Path) -> list[tuple[str, Path]]:
    """(scope, folder) pairs where agents keep skills, project level first."""
    roots: list[tuple[str, Path]] = []
    for folder in DISCOVERY_DIRS:
        scope = "user" if folder.startswith("~/") else "project"
        path = _expand(folder, home) if scope == "user" else project / folder
        if path.is_dir():
            roots.append((scope, path))
    return roots
