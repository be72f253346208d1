"""Where skills come from: a skill folder, a folder of many, a git ref, an archive.

Every source is turned into `Candidate`s (one per SKILL.md found): the skill's files
in memory plus provenance. Archives and git trees are read entry by entry with hard
limits, never extracted to disk, so `..`, absolute paths, links and zip bombs are
refused before anything is written.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import re
import subprocess
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from skillbank.errors import SkillLoadError, SourceError
from skillbank.skill import MAX_SKILL_BYTES, SKIP_DIRS, check_limits, check_relpath, read_folder
from skillbank.store import Provenance

MAX_DEPTH = 6
MAX_FOLDERS = 20_000
MAX_ARCHIVE_BYTES = 256 << 20
MAX_ARCHIVE_ENTRIES = 20_000
MAX_RATIO = 200  # uncompressed / compressed for one zip entry; beyond it is a bomb
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz", ".skill")


@dataclass
class Candidate:
    """One skill found in a source, not yet validated."""

    folder_name: str
    files: dict[str, bytes]
    provenance: Provenance
    location: str
    modes: dict[str, int] = field(default_factory=dict)


@dataclass
class Rejected:
    """A skill (or a whole source) that could not be read, and why."""

    location: str
    rule: str
    message: str


def is_archive(path: str) -> bool:
    return path.lower().endswith(ARCHIVE_SUFFIXES)


def _is_git_url(text: str) -> bool:
    return bool(re.match(r"^(git\+)?(https?|ssh|file|git)://", text)) or text.startswith("git@") or (
        text.endswith(".git") and not os.path.isdir(text)
    )


def split_ref(source: str) -> tuple[str, str | None]:
    """`path@ref` -> (path, ref); an `@` that belongs to the path or URL is left alone."""
    if os.path.exists(source):
        return source, None
    base, sep, ref = source.rpartition("@")
    # git refs cannot hold ':' (so `git@host:repo` is not split) nor start with '/'.
    if sep and base and ref and ":" not in ref and not ref.startswith("/"):
        return base, ref
    return source, None


def find_skill_dirs(root: Path) -> list[Path]:
    """Folders holding a SKILL.md under root (depth-bounded; .git/node_modules skipped)."""
    found: list[Path] = []
    seen = 0
    root_depth = len(root.parts)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        seen += 1
        if seen > MAX_FOLDERS:
            raise SourceError(
                f"{root}: more than {MAX_FOLDERS} folders searched for SKILL.md; "
                "point `add` at the folder that holds the skills."
            )
        depth = len(Path(dirpath).parts) - root_depth
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        if depth >= MAX_DEPTH:
            dirnames[:] = []
        if "SKILL.md" in filenames or "skill.md" in filenames:
            found.append(Path(dirpath))
    return found


def iter_candidates(source: str) -> Iterator[Candidate | Rejected]:
    """Expand one SOURCE argument of `add` into candidates (or rejections)."""
    path_text, ref = split_ref(source)
    if _is_git_url(path_text):
        yield from _from_git_url(path_text, ref)
        return
    path = Path(path_text).expanduser()
    if not path.exists():
        raise SourceError(f"{source}: no such file or folder.")
    if path.is_file() and is_archive(path.name):
        yield from _from_archive(path)
        return
    if ref is not None:
        yield from _from_git(path, ref, origin=str(path.resolve()))
        return
    if path.is_file():
        if path.name.lower() == "skill.md":
            path = path.parent
        else:
            raise SourceError(
                f"{source}: not a skill folder, SKILL.md, git ref or archive "
                f"({', '.join(ARCHIVE_SUFFIXES)})."
            )
    dirs = find_skill_dirs(path)
    if not dirs:
        raise SourceError(f"{source}: no SKILL.md found (searched {MAX_DEPTH} levels deep).")
    for folder in dirs:
        try:
            files, modes = read_folder(folder)
        except SkillLoadError as exc:
            yield Rejected(str(folder), exc.rule, str(exc))
            continue
        yield Candidate(
            folder.resolve().name,
            files,
            Provenance("folder", str(folder.resolve())),
            str(folder),
            modes,
        )


# -- archives -------------------------------------------------------------------------


def _safe_member_name(name: str, archive: Path) -> str | None:
    if name.endswith("/"):
        return None
    try:
        return check_relpath(name)
    except SkillLoadError as exc:
        raise SourceError(f"{archive}: entry {name!r}: {exc} Refusing the whole archive.") from exc


class _Capped(io.RawIOBase):
    """A decompressed stream that refuses to yield more than `limit` bytes (tar bombs,
    huge GNU long-name headers): tarfile reads everything through it."""

    def __init__(self, inner: BinaryIO, limit: int, archive: Path) -> None:
        self.inner, self.left, self.archive = inner, limit, archive

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        self.left -= len(data)
        if self.left < 0:
            raise SourceError(
                f"{self.archive}: expands past {MAX_ARCHIVE_BYTES >> 20} MiB; refusing it as a possible archive bomb."
            )
        buffer[: len(data)] = data
        return len(data)


def archive_kind(name: str) -> str:
    """'zip' or 'tar', from the file name: never guessed from content (polyglot files)."""
    lower = name.lower()
    return "zip" if lower.endswith((".zip", ".skill")) else "tar"


def _open_tar_stream(archive: Path) -> BinaryIO:
    with open(archive, "rb") as fh:
        magic = fh.read(6)
    if magic.startswith(b"\x1f\x8b"):
        return gzip.open(archive, "rb")  # type: ignore[return-value]
    if magic.startswith(b"BZh"):
        return bz2.open(archive, "rb")  # type: ignore[return-value]
    if magic.startswith(b"\xfd7zXZ"):
        return lzma.open(archive, "rb")  # type: ignore[return-value]
    return open(archive, "rb")


def read_archive(archive: Path, kind: str | None = None) -> tuple[dict[str, bytes], dict[str, int]]:
    """Read every regular file of a zip or tar archive into memory, with limits.

    Every entry counts against MAX_ARCHIVE_ENTRIES (folders too), every decompressed
    byte against MAX_ARCHIVE_BYTES; links, devices, `..` and absolute paths refuse the
    whole archive.
    """
    files: dict[str, bytes] = {}
    modes: dict[str, int] = {}
    entries = 0
    total = 0

    def account(name: str, size: int) -> None:
        nonlocal total, entries
        entries += 1
        total += size
        if total > MAX_ARCHIVE_BYTES or entries > MAX_ARCHIVE_ENTRIES:
            raise SourceError(
                f"{archive}: expands past {MAX_ARCHIVE_BYTES >> 20} MiB or "
                f"{MAX_ARCHIVE_ENTRIES} entries (at {name!r}); refusing it as a possible archive bomb."
            )

    kind = kind or archive_kind(archive.name)
    try:
        if kind == "zip":
            with zipfile.ZipFile(archive) as zf:
                for info in zf.infolist():
                    account(info.filename, info.file_size)
                    name = _safe_member_name(info.filename, archive)
                    if name is None:
                        continue
                    unix_mode = info.external_attr >> 16
                    if unix_mode and (unix_mode & 0o170000) not in (0, 0o100000):
                        raise SourceError(
                            f"{archive}: entry {info.filename!r} is a link or special file; "
                            "refusing the whole archive."
                        )
                    if info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_RATIO:
                        raise SourceError(
                            f"{archive}: entry {info.filename!r} expands {info.file_size} bytes from "
                            f"{info.compress_size}; refusing it as a zip bomb."
                        )
                    with zf.open(info) as fh:
                        data = fh.read(MAX_SKILL_BYTES + 1)
                    if len(data) > MAX_SKILL_BYTES or len(data) != info.file_size:
                        raise SourceError(
                            f"{archive}: entry {info.filename!r} does not hold the size it declares "
                            "or exceeds 16 MiB; refusing the archive."
                        )
                    files[name] = data
                    modes[name] = 0o755 if unix_mode & 0o111 else 0o644
        else:
            with _open_tar_stream(archive) as raw, tarfile.open(
                fileobj=io.BufferedReader(_Capped(raw, MAX_ARCHIVE_BYTES + (1 << 20), archive)), mode="r|"
            ) as tf:
                for member in tf:
                    account(member.name, member.size)
                    if member.isdir():
                        continue
                    if not member.isfile():
                        raise SourceError(
                            f"{archive}: entry {member.name!r} is a link or special file; "
                            "refusing the whole archive."
                        )
                    name = _safe_member_name(member.name, archive)
                    if name is None:
                        continue
                    if member.size > MAX_SKILL_BYTES:
                        raise SourceError(f"{archive}: entry {member.name!r} exceeds 16 MiB.")
                    fh = tf.extractfile(member)
                    files[name] = fh.read(MAX_SKILL_BYTES + 1) if fh else b""
                    modes[name] = 0o755 if member.mode & 0o111 else 0o644
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError, zlib.error, lzma.LZMAError) as exc:
        raise SourceError(f"{archive}: broken or not a {kind} archive ({exc}).") from exc
    return files, modes


def group_skills(
    files: dict[str, bytes], modes: dict[str, int]
) -> Iterator[tuple[str, dict[str, bytes], dict[str, int]]]:
    """Split a flat path->bytes mapping into skills: one per folder holding SKILL.md."""
    roots = sorted(
        {str(PurePosixPath(p).parent) for p in files if PurePosixPath(p).name in ("SKILL.md", "skill.md")},
        key=lambda r: (-r.count("/"), r),
    )
    claimed: set[str] = set()
    for root in roots:
        prefix = "" if root == "." else root + "/"
        own = {
            p[len(prefix):]: b
            for p, b in files.items()
            if p.startswith(prefix) and p not in claimed
            and not any(part in SKIP_DIRS for part in PurePosixPath(p).parts)
        }
        claimed.update(prefix + p for p in own)
        yield root, own, {p: modes.get(prefix + p, 0o644) for p in own}


def _candidates_from_tree(
    files: dict[str, bytes], modes: dict[str, int], *, kind: str, origin: str, ref: str | None, fallback: str
) -> Iterator[Candidate | Rejected]:
    found = False
    for root, own, own_modes in group_skills(files, modes):
        found = True
        folder_name = PurePosixPath(root).name if root != "." else fallback
        location = f"{origin}:{root}" if root != "." else origin
        try:
            check_limits(own, location)
        except SkillLoadError as exc:
            yield Rejected(location, exc.rule, str(exc))
            continue
        yield Candidate(folder_name, own, Provenance(kind, origin, ref), location, own_modes)  # type: ignore[arg-type]
    if not found:
        raise SourceError(f"{origin}: no SKILL.md inside.")


def _from_archive(archive: Path) -> Iterator[Candidate | Rejected]:
    files, modes = read_archive(archive)
    stem = archive.name
    for suffix in ARCHIVE_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    yield from _candidates_from_tree(
        files, modes, kind="archive", origin=str(archive.resolve()), ref=None, fallback=stem
    )


# -- git --------------------------------------------------------------------------------


# Git must not run anything a repository's own config asks for (smudge/textconv filters,
# hooks, exotic transports): repositories given to `add` are untrusted input.
_GIT_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_ALLOW_PROTOCOL": "https:http:ssh:git:file",
}


def _git(args: list[str], cwd: Path | None = None, stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=300, input=stdin,
            env={**os.environ, **_GIT_ENV},
        )
    except FileNotFoundError as exc:
        raise SourceError("git is not installed; install it to add skills from git.") from exc
    if result.returncode != 0:
        raise SourceError(f"git {' '.join(args)} failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def read_git_tree(top: Path, commit: str, sub: str) -> tuple[dict[str, bytes], dict[str, int]]:
    """Blobs of `commit` under `sub`, read raw (`cat-file`, no filters), with the archive limits."""
    listing = _git(["ls-tree", "-r", "-z", "-l", "--full-tree", commit] + ([sub] if sub != "." else []), cwd=top)
    entries: list[tuple[str, str, int]] = []
    total = 0
    for record in filter(None, listing.split(b"\0")):
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, oid, size = meta.decode().split()
        path = raw_path.decode("utf-8", errors="surrogateescape")
        if kind == "commit":
            continue  # submodules are not followed
        if mode == "120000":
            raise SourceError(f"{top}@{commit[:12]}: {path!r} is a symlink; refusing the whole tree.")
        try:
            check_relpath(path)
        except SkillLoadError as exc:
            raise SourceError(f"{top}@{commit[:12]}: {exc}") from exc
        total += int(size)
        if total > MAX_ARCHIVE_BYTES or len(entries) >= MAX_ARCHIVE_ENTRIES:
            raise SourceError(
                f"{top}@{commit[:12]}: more than {MAX_ARCHIVE_BYTES >> 20} MiB or {MAX_ARCHIVE_ENTRIES} files; "
                "point `add` at the folder that holds the skills."
            )
        entries.append((path, oid, 0o755 if mode == "100755" else 0o644))
    out = _git(["cat-file", "--batch"], cwd=top, stdin="".join(f"{oid}\n" for _, oid, _ in entries).encode())
    files: dict[str, bytes] = {}
    modes: dict[str, int] = {}
    pos = 0
    for path, _oid, mode in entries:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        files[path] = out[header_end + 1 : header_end + 1 + size]
        modes[path] = mode
        pos = header_end + 1 + size + 1
    return files, modes


def _from_git(repo: Path, ref: str, origin: str) -> Iterator[Candidate | Rejected]:
    """Read the tree at `ref` straight from the object store (the work tree is never touched)."""
    if ref.startswith("-"):
        raise SourceError(f"{ref!r} is not a git ref.")
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd=repo).decode().strip())
    commit = _git(["rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}"], cwd=repo).decode().strip()
    sub = repo.resolve().relative_to(top.resolve()).as_posix()
    files, modes = read_git_tree(top, commit, sub)
    if sub != ".":
        files = {p[len(sub) + 1 :]: b for p, b in files.items()}
        modes = {p[len(sub) + 1 :]: m for p, m in modes.items()}
    yield from _candidates_from_tree(
        files, modes, kind="git", origin=origin, ref=commit, fallback=repo.resolve().name
    )


def _from_git_url(url: str, ref: str | None) -> Iterator[Candidate | Rejected]:
    url = url.removeprefix("git+")
    with tempfile.TemporaryDirectory(prefix="skillbank-git-") as tmp:
        _git(["clone", "--quiet", "--no-checkout", "--", url, tmp])
        yield from _from_git(Path(tmp), ref or "HEAD", origin=url)


__all__ = [
    "Candidate",
    "Rejected",
    "find_skill_dirs",
    "iter_candidates",
    "read_archive",
    "group_skills",
]
