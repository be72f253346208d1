"""The skill model: a skill folder's files, its front matter, body and content digest.

A skill is its files: a mapping of POSIX relative path to bytes that always holds
``SKILL.md``. Reading a folder never follows a link out of it and refuses sizes an agent
client would refuse (the MCP skills extension's 512 files and 16 MiB per skill).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from skillbank import spec
from skillbank.errors import SkillLoadError
from skillbank.spec import Mode, Problem

MAX_SKILL_MD_BYTES = 1 << 20
MAX_SKILL_BYTES = 16 << 20
MAX_FILES = 512
SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__"})
EXECUTABLE = 0o755
REGULAR = 0o644


@dataclass(frozen=True)
class FileEntry:
    """One file as listed by the MCP skills extension (SEP-2640)."""

    path: str
    digest: str
    size: int


def file_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def content_digest(files: Mapping[str, bytes]) -> str:
    """The version id: sha256 over every file's path and bytes, in path order.

    Each file contributes ``<sha256 of bytes> <path>\\n`` (a sha256sum manifest), so
    a path and its bytes can never run into the next file's.
    """
    manifest = "".join(
        f"{hashlib.sha256(files[p]).hexdigest()}  {p}\n" for p in sorted(files)
    )
    return "sha256:" + hashlib.sha256(manifest.encode()).hexdigest()


def lock_hash(files: Mapping[str, bytes]) -> str:
    """The `computedHash` of Vercel's skills-lock.json: sha256 of sorted path + bytes."""
    h = hashlib.sha256()
    for p in sorted(files):
        h.update(p.encode())
        h.update(files[p])
    return h.hexdigest()


def check_relpath(rel: str) -> str:
    """Normalise a path inside a skill and refuse one that could escape it."""
    if "\\" in rel or not rel.isprintable():
        raise SkillLoadError(
            f"Unsafe file name {rel!r} in skill (backslash or control character).", path=rel, rule="path-unsafe"
        )
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise SkillLoadError(
            f"Path {rel!r} would land outside the skill folder.", path=rel, rule="path-escape"
        )
    return str(pure)


def check_limits(files: Mapping[str, bytes], where: str) -> None:
    if len(files) > MAX_FILES:
        raise SkillLoadError(
            f"{where}: {len(files)} files; a skill may hold at most {MAX_FILES}. "
            "Move data out of the skill folder.",
            path=where,
            rule="too-many-files",
        )
    total = sum(len(b) for b in files.values())
    if total > MAX_SKILL_BYTES:
        raise SkillLoadError(
            f"{where}: {total / (1 << 20):.1f} MiB; a skill may hold at most 16 MiB.",
            path=where,
            rule="skill-too-large",
        )
    folders = {str(parent) for p in files for parent in PurePosixPath(p).parents}
    clash = sorted(folders & set(files))
    if clash:
        raise SkillLoadError(
            f"{where}: {clash[0]!r} is both a file and a folder; a skill cannot hold both.",
            path=where,
            rule="path-conflict",
        )
    skill_md = files.get(spec.SKILL_MD)
    if skill_md is not None and len(skill_md) > MAX_SKILL_MD_BYTES:
        raise SkillLoadError(
            f"{where}/SKILL.md is {len(skill_md) / (1 << 20):.1f} MiB; the limit is 1 MiB. "
            "Move detail into references/.",
            path=where,
            rule="skill-md-too-large",
        )


def read_folder(folder: Path) -> tuple[dict[str, bytes], dict[str, int]]:
    """Read every file of a skill folder, refusing links out of it and oversize content.

    Returns (files, modes). A link inside the folder is stored as the file it points
    to; a link that leaves the folder is an error, never followed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SkillLoadError(f"{folder}: not a directory.", path=str(folder), rule="not-a-folder")
    root = folder.resolve()
    files: dict[str, bytes] = {}
    modes: dict[str, int] = {}
    total = 0
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in list(dirnames):
            full = Path(dirpath) / name
            if full.is_symlink():
                _check_link(full, root, folder)
                dirnames.remove(name)  # content reached through its real path
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(folder).as_posix()
            if full.is_symlink():
                target = _check_link(full, root, folder)
                if not target.is_file():
                    continue
                st = target.stat()
            else:
                st = full.lstat()
                if not stat.S_ISREG(st.st_mode):
                    continue  # sockets, fifos, devices: never read
            if len(files) + 1 > MAX_FILES:
                check_limits({**files, rel: b""}, str(folder))
            if rel == spec.SKILL_MD and st.st_size > MAX_SKILL_MD_BYTES:
                check_limits({rel: b"\0" * (MAX_SKILL_MD_BYTES + 1)}, str(folder))
            total += st.st_size
            if total > MAX_SKILL_BYTES:
                raise SkillLoadError(
                    f"{folder}: more than 16 MiB of files; a skill may hold at most 16 MiB.",
                    path=str(folder),
                    rule="skill-too-large",
                )
            with open(full, "rb") as fh:
                data = fh.read(MAX_SKILL_BYTES + 1)
            files[rel] = data
            modes[rel] = EXECUTABLE if st.st_mode & 0o111 else REGULAR
    check_limits(files, str(folder))
    return files, modes


def _check_link(link: Path, root: Path, folder: Path) -> Path:
    try:
        target = link.resolve(strict=False)
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise SkillLoadError(
            f"{link} in {folder} is a symlink that cannot be resolved ({exc}).", path=str(link), rule="symlink-escape"
        ) from exc
    if target != root and root not in target.parents:
        raise SkillLoadError(
            f"{link.relative_to(folder).as_posix()} in {folder} is a symlink to {target}, "
            "outside the skill folder; skillbank never follows it. Copy the file in instead.",
            path=str(link),
            rule="symlink-escape",
        )
    return target


@dataclass
class Skill:
    """A parsed skill: files plus what SKILL.md says, and every problem found."""

    files: dict[str, bytes]
    folder_name: str | None = None
    modes: dict[str, int] = field(default_factory=dict)
    frontmatter: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    problems: list[Problem] = field(default_factory=list)
    location: str | None = None

    @property
    def name(self) -> str:
        value = self.frontmatter.get("name")
        return value.strip() if isinstance(value, str) and value.strip() else (self.folder_name or "")

    @property
    def description(self) -> str:
        value = self.frontmatter.get("description")
        return value.strip() if isinstance(value, str) else ""

    @property
    def ok(self) -> bool:
        return not spec.has_errors(self.problems)

    @property
    def digest(self) -> str:
        return content_digest(self.files)

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.files.values())

    def entries(self) -> list[FileEntry]:
        return [FileEntry(p, file_digest(self.files[p]), len(self.files[p])) for p in sorted(self.files)]

    def properties(self) -> dict[str, Any]:
        """The fields set in front matter, as `skills-ref read-properties` prints them."""
        out: dict[str, Any] = {"name": self.name, "description": self.description}
        for key in ("license", "compatibility", "allowed-tools", "metadata"):
            if key in self.frontmatter and self.frontmatter[key] not in (None, {}, ""):
                out[key] = self.frontmatter[key]
        return out


def from_files(
    files: Mapping[str, bytes],
    *,
    folder_name: str | None,
    mode: Mode = "strict",
    modes: Mapping[str, int] | None = None,
    location: str | None = None,
) -> Skill:
    """Parse a skill from its files; problems are collected, never raised."""
    files = {check_relpath(p): b for p, b in files.items()}
    skill = Skill(files=dict(files), folder_name=folder_name, modes=dict(modes or {}), location=location)
    raw = files.get(spec.SKILL_MD, files.get("skill.md"))
    if raw is None:
        skill.problems.append(
            Problem("skill-md-missing", "error", "No SKILL.md in the skill folder.", line=None)
        )
        return skill
    if len(raw) > MAX_SKILL_MD_BYTES:
        skill.problems.append(
            Problem("skill-md-too-large", "error", f"SKILL.md is {len(raw)} bytes; the limit is 1 MiB.")
        )
        return skill
    if b"\x00" in raw:
        skill.problems.append(
            Problem("skill-md-binary", "error", "SKILL.md holds NUL bytes: it is a binary file, not markdown.")
        )
        return skill
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        skill.problems.append(
            Problem(
                "skill-md-encoding",
                "error",
                f"SKILL.md is not UTF-8 (byte {exc.start}); save it as UTF-8.",
                line=line,
            )
        )
        return skill
    parsed = spec.validate_text(text, folder_name=folder_name, mode=mode)
    skill.frontmatter = parsed.frontmatter or {}
    skill.body = parsed.body
    skill.problems.extend(parsed.problems)
    return skill


def find_skill_md(folder: Path) -> Path | None:
    for name in ("SKILL.md", "skill.md"):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def load(path: str | os.PathLike[str], mode: Mode = "strict") -> Skill:
    """Load a skill from a folder (or a path to its SKILL.md).

    Raises SkillLoadError for what cannot be read safely (links out of the folder, size
    limits); spec problems are collected in ``Skill.problems``.
    """
    path = Path(path)
    if path.is_file() and path.name.lower() == "skill.md":
        path = path.parent
    if not path.exists():
        raise SkillLoadError(f"{path}: no such file or folder.", path=str(path), rule="not-found")
    files, modes = read_folder(path)
    folder_name = path.resolve().name
    return from_files(
        files, folder_name=folder_name, mode=mode, modes=modes, location=str(path.resolve() / spec.SKILL_MD)
    )
