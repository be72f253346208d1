"""The embedded store: one SQLite file in WAL mode.

A skill has versions; a version is its content digest plus provenance, and its files
are content-addressed blobs shared between versions. Writing a version is one
transaction, so a crash or a kill leaves the library with the whole version or none of
it, and concurrent writers wait for each other (busy timeout) instead of failing.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from skillbank.errors import NotFoundError, StoreError
from skillbank.skill import REGULAR, file_digest
from skillbank.store.migrations import migrate
from skillbank.store.tx import write_transaction

SourceKind = Literal["folder", "git", "archive", "learned"]
SOURCE_KINDS = ("folder", "git", "archive", "learned")
BUSY_TIMEOUT_MS = 60_000

MIGRATIONS = [
    """
    CREATE TABLE skills (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );
    CREATE TABLE blobs (
        digest TEXT PRIMARY KEY,
        data BLOB NOT NULL
    );
    CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        skill_id INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        digest TEXT NOT NULL,
        frontmatter TEXT NOT NULL,
        description TEXT NOT NULL,
        body TEXT NOT NULL,
        size INTEGER NOT NULL,
        file_count INTEGER NOT NULL,
        source_kind TEXT NOT NULL CHECK (source_kind IN ('folder', 'git', 'archive', 'learned')),
        origin TEXT,
        git_ref TEXT,
        imported_at TEXT NOT NULL,
        problems TEXT NOT NULL DEFAULT '[]',
        extra TEXT NOT NULL DEFAULT '{}',
        UNIQUE (skill_id, digest),
        UNIQUE (skill_id, seq)
    );
    CREATE TABLE files (
        version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        blob TEXT NOT NULL REFERENCES blobs(digest),
        size INTEGER NOT NULL,
        mode INTEGER NOT NULL,
        PRIMARY KEY (version_id, path)
    );
    CREATE INDEX files_blob ON files (blob);
    """,
    # The auditor's verdict is stored with each version (issue: `add` audits by default).
    """
    ALTER TABLE versions ADD COLUMN tier TEXT;
    ALTER TABLE versions ADD COLUMN max_severity TEXT;
    ALTER TABLE versions ADD COLUMN findings TEXT;
    """,
    # Version numbers are never reused, even after `remove NAME@N` or removing every
    # version: a lock file that says version 2 must never point at other content.
    """
    ALTER TABLE skills ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
    UPDATE skills SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM versions WHERE skill_id = skills.id);
    """,
]


@dataclass
class Provenance:
    source_kind: SourceKind
    origin: str | None = None
    git_ref: str | None = None
    imported_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_kind": self.source_kind,
            "origin": self.origin,
            "git_ref": self.git_ref,
            "imported_at": self.imported_at,
        }


@dataclass
class VersionInfo:
    """A stored version without its file contents."""

    id: int
    name: str
    seq: int
    digest: str
    description: str
    frontmatter: dict[str, Any]
    size: int
    file_count: int
    provenance: Provenance
    problems: list[dict[str, Any]]
    extra: dict[str, Any]
    tier: str | None
    max_severity: str | None
    findings: list[dict[str, Any]] | None
    latest: bool = False

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.seq}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.seq,
            "digest": self.digest,
            "description": self.description,
            "frontmatter": self.frontmatter,
            "size": self.size,
            "file_count": self.file_count,
            "provenance": self.provenance.to_dict(),
            "problems": self.problems,
            "extra": self.extra,
            "tier": self.tier,
            "max_severity": self.max_severity,
            "latest": self.latest,
        }


@dataclass
class StoredVersion(VersionInfo):
    """A version with its body and files, ready to be written back byte for byte."""

    body: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    modes: dict[str, int] = field(default_factory=dict)

    def entries(self) -> list[dict[str, Any]]:
        return [
            {"path": p, "digest": file_digest(self.files[p]), "size": len(self.files[p])}
            for p in sorted(self.files)
        ]


@dataclass
class PutResult:
    name: str
    seq: int
    digest: str
    status: Literal["added", "new-version", "unchanged"]
    previous_seq: int | None = None
    version_id: int = 0


def default_path() -> Path:
    home = os.environ.get("SKILLBANK_HOME")
    if home:
        return Path(home) / "library.db"
    from platformdirs import user_data_dir

    return Path(user_data_dir("skillbank", appauthor=False)) / "library.db"


class SQLiteStore:
    """Skills, versions and file blobs in one SQLite file."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"{self.path}: could not switch the library to WAL mode ({mode}).")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            migrate(self.conn, "store", MIGRATIONS)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a usable skillbank library ({exc}). "
                "Point --library or SKILLBANK_HOME at another file, or move this one away."
            ) from exc

    def close(self) -> None:
        self.conn.close()

    # -- writing ---------------------------------------------------------------------

    def put_version(
        self,
        name: str,
        files: Mapping[str, bytes],
        *,
        digest: str,
        frontmatter: Mapping[str, Any],
        description: str,
        body: str,
        provenance: Provenance,
        modes: Mapping[str, int] | None = None,
        problems: list[dict[str, Any]] | None = None,
        extra: Mapping[str, Any] | None = None,
        audit: Mapping[str, Any] | None = None,
    ) -> PutResult:
        """Store a version unless the skill already has this exact content."""
        modes = modes or {}
        conn = self.conn
        with write_transaction(conn, "put"):
            row = conn.execute("SELECT id, last_seq FROM skills WHERE name = ?", (name,)).fetchone()
            if row is None:
                skill_id = conn.execute(
                    "INSERT INTO skills (name, created_at) VALUES (?, ?)", (name, provenance.imported_at)
                ).lastrowid
                last_seq = 0
            else:
                skill_id, last_seq = row
                same = conn.execute(
                    "SELECT seq, id FROM versions WHERE skill_id = ? AND digest = ?", (skill_id, digest)
                ).fetchone()
                if same is not None:  # nothing written: the transaction ends empty
                    return PutResult(name, same[0], digest, "unchanged", version_id=same[1])
            previous = conn.execute("SELECT MAX(seq) FROM versions WHERE skill_id = ?", (skill_id,)).fetchone()[0]
            seq = max(last_seq, previous or 0) + 1
            conn.execute("UPDATE skills SET last_seq = ? WHERE id = ?", (seq, skill_id))
            version_id = conn.execute(
                """INSERT INTO versions (skill_id, seq, digest, frontmatter, description, body, size,
                       file_count, source_kind, origin, git_ref, imported_at, problems, extra,
                       tier, max_severity, findings)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    skill_id,
                    seq,
                    digest,
                    json.dumps(frontmatter, ensure_ascii=False),
                    description,
                    body,
                    sum(len(b) for b in files.values()),
                    len(files),
                    provenance.source_kind,
                    provenance.origin,
                    provenance.git_ref,
                    provenance.imported_at,
                    json.dumps(problems or []),
                    json.dumps(dict(extra or {}), default=str),
                    (audit or {}).get("tier"),
                    (audit or {}).get("max_severity"),
                    json.dumps((audit or {}).get("findings")) if audit else None,
                ),
            ).lastrowid
            for path in sorted(files):
                self._insert_file(version_id, path, files[path], modes.get(path, REGULAR))
        status = "added" if previous is None else "new-version"
        return PutResult(name, seq, digest, status, previous_seq=previous, version_id=version_id)

    def _insert_file(self, version_id: int, path: str, data: bytes, mode: int) -> None:
        blob = file_digest(data)
        self.conn.execute("INSERT OR IGNORE INTO blobs (digest, data) VALUES (?, ?)", (blob, data))
        self.conn.execute(
            "INSERT INTO files (version_id, path, blob, size, mode) VALUES (?, ?, ?, ?, ?)",
            (version_id, path, blob, len(data), mode),
        )

    def set_audit(self, version_id: int, audit: Mapping[str, Any]) -> None:
        self.conn.execute(
            "UPDATE versions SET tier = ?, max_severity = ?, findings = ? WHERE id = ?",
            (audit.get("tier"), audit.get("max_severity"), json.dumps(audit.get("findings")), version_id),
        )

    def remove(self, name: str, seq: int | None = None) -> int:
        """Remove a skill (every version) or one version; return versions removed."""
        conn = self.conn
        with write_transaction(conn, "remove"):
            row = conn.execute("SELECT id FROM skills WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise NotFoundError(f"No skill named {name!r} in {self.path}. See `skillbank list`.")
            if seq is None:
                removed = conn.execute("DELETE FROM versions WHERE skill_id = ?", (row[0],)).rowcount
            else:
                removed = conn.execute(
                    "DELETE FROM versions WHERE skill_id = ? AND seq = ?", (row[0], seq)
                ).rowcount
                if not removed:
                    raise NotFoundError(f"{name} has no version {seq}. See `skillbank show {name}`.")
            if not removed:
                raise NotFoundError(f"No skill named {name!r} in {self.path}. See `skillbank list`.")
            conn.execute("DELETE FROM blobs WHERE digest NOT IN (SELECT blob FROM files)")
        return removed

    # -- reading ---------------------------------------------------------------------

    _VERSION_COLUMNS = """v.id, s.name, v.seq, v.digest, v.description, v.frontmatter, v.size,
        v.file_count, v.source_kind, v.origin, v.git_ref, v.imported_at, v.problems, v.extra,
        v.tier, v.max_severity, v.findings,
        v.seq = (SELECT MAX(seq) FROM versions WHERE skill_id = v.skill_id)"""

    def _info(self, row: tuple[Any, ...]) -> VersionInfo:
        return VersionInfo(
            id=row[0],
            name=row[1],
            seq=row[2],
            digest=row[3],
            description=row[4],
            frontmatter=json.loads(row[5]),
            size=row[6],
            file_count=row[7],
            provenance=Provenance(row[8], row[9], row[10], row[11]),
            problems=json.loads(row[12]),
            extra=json.loads(row[13]),
            tier=row[14],
            max_severity=row[15],
            findings=json.loads(row[16]) if row[16] else None,
            latest=bool(row[17]),
        )

    def latest_versions(self) -> list[VersionInfo]:
        rows = self.conn.execute(
            f"""SELECT {self._VERSION_COLUMNS} FROM versions v JOIN skills s ON s.id = v.skill_id
                WHERE v.seq = (SELECT MAX(seq) FROM versions WHERE skill_id = v.skill_id)
                ORDER BY s.name"""
        ).fetchall()
        return [self._info(r) for r in rows]

    def versions(self, name: str) -> list[VersionInfo]:
        rows = self.conn.execute(
            f"""SELECT {self._VERSION_COLUMNS} FROM versions v JOIN skills s ON s.id = v.skill_id
                WHERE s.name = ? ORDER BY v.seq""",
            (name,),
        ).fetchall()
        if not rows:
            raise NotFoundError(f"No skill named {name!r} in {self.path}. See `skillbank list`.")
        return [self._info(r) for r in rows]

    def latest_version(self, name: str) -> VersionInfo | None:
        """The latest version of `name`, or None when the library has none."""
        try:
            return self.versions(name)[-1]
        except NotFoundError:
            return None

    def resolve(self, name: str, version: str | int | None = None) -> VersionInfo:
        """Find a version by number, by digest (or a unique prefix of one), or the latest."""
        versions = self.versions(name)
        if version is None or version == "latest":
            return versions[-1]
        text = str(version)
        if text.isascii() and text.isdecimal():
            for info in versions:
                if info.seq == int(text):
                    return info
        else:
            prefix = text if text.startswith("sha256:") else "sha256:" + text
            matches = [v for v in versions if v.digest.startswith(prefix)]
            if len(matches) == 1:
                return matches[0]
        raise NotFoundError(
            f"{name} has no version {text!r}; it has "
            f"{', '.join(str(v.seq) for v in versions)}. See `skillbank show {name}`."
        )

    def load(self, info: VersionInfo) -> StoredVersion:
        body = self.conn.execute("SELECT body FROM versions WHERE id = ?", (info.id,)).fetchone()[0]
        files: dict[str, bytes] = {}
        modes: dict[str, int] = {}
        for path, data, mode in self.conn.execute(
            "SELECT f.path, b.data, f.mode FROM files f JOIN blobs b ON b.digest = f.blob "
            "WHERE f.version_id = ? ORDER BY f.path",
            (info.id,),
        ):
            files[path] = bytes(data)
            modes[path] = mode
        return StoredVersion(**vars(info), body=body, files=files, modes=modes)

    def iter_latest(self) -> Iterator[StoredVersion]:
        for info in self.latest_versions():
            yield self.load(info)

    def stats(self) -> dict[str, Any]:
        skills = self.conn.execute("SELECT COUNT(*) FROM skills").fetchone()[0]
        versions = self.conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
        blob_bytes = self.conn.execute("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM blobs").fetchone()[0]
        return {
            "path": str(self.path),
            "skills": skills,
            "versions": versions,
            "blob_bytes": blob_bytes,
            "file_bytes": self.path.stat().st_size if self.path.exists() else 0,
        }
