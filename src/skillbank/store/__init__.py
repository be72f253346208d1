"""Storage behind the library: the embedded SQLite store and its migrations."""

from skillbank.store.sqlite import (
    SOURCE_KINDS,
    Provenance,
    PutResult,
    SQLiteStore,
    StoredVersion,
    VersionInfo,
    default_path,
)

__all__ = [
    "SOURCE_KINDS",
    "Provenance",
    "PutResult",
    "SQLiteStore",
    "StoredVersion",
    "VersionInfo",
    "default_path",
]
