"""Numbered, transactional schema migrations tracked per namespace.

Each part that keeps tables in the library (the store itself, the router index, the
auditor, the learner) owns a namespace and an ordered list of migrations. A migration
is applied inside one transaction together with the row that records it, so a crash
leaves the schema either before or after that step, never in between.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from skillbank.store.tx import write_transaction

Migration = Callable[[sqlite3.Connection], None] | str

_TABLE = """
CREATE TABLE IF NOT EXISTS _migrations (
    namespace TEXT NOT NULL,
    number INTEGER NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (namespace, number)
)
"""


def applied(conn: sqlite3.Connection, namespace: str) -> int:
    """Number of migrations of `namespace` already applied."""
    conn.execute(_TABLE)
    row = conn.execute(
        "SELECT COALESCE(MAX(number), 0) FROM _migrations WHERE namespace = ?", (namespace,)
    ).fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, namespace: str, migrations: Sequence[Migration]) -> int:
    """Apply the migrations of `namespace` not applied yet; return how many ran.

    A migration is either SQL text (may hold several statements) or a callable taking
    the connection. The connection must be in autocommit mode (isolation_level=None).
    """
    conn.execute(_TABLE)
    ran = 0
    for number, step in enumerate(migrations, start=1):
        if number <= applied(conn, namespace):
            continue
        with write_transaction(conn, "migrate"):
            # Another process may have applied it while we waited for the write lock.
            if number <= applied(conn, namespace):
                continue
            if isinstance(step, str):
                for statement in _split_sql(step):
                    conn.execute(statement)
            else:
                step(conn)
            conn.execute(
                "INSERT INTO _migrations (namespace, number) VALUES (?, ?)", (namespace, number)
            )
        ran += 1
    return ran


def _split_sql(script: str) -> list[str]:
    """Split a script into complete statements (sqlite3.complete_statement knows quoting)."""
    statements: list[str] = []
    buf = ""
    for part in script.split(";"):
        buf += part + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n\t;"):
                statements.append(buf.strip())
            buf = ""
    return statements
