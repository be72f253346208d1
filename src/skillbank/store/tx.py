"""One write transaction helper for every module that writes to the library database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def write_transaction(conn: sqlite3.Connection, savepoint: str = "skillbank_write") -> Iterator[None]:
    """`BEGIN IMMEDIATE` … `COMMIT`, rolled back if the block raises (any exception,
    KeyboardInterrupt included), so a write is whole or absent.

    The write lock is taken up front, so concurrent writers queue on the connection's busy
    timeout instead of failing at their first write. Inside a transaction the caller
    already holds, the block runs in a savepoint instead: its writes are undone on error
    and committed with the caller's transaction."""
    if conn.in_transaction:
        conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield
        except BaseException:
            conn.execute(f"ROLLBACK TO {savepoint}")
            conn.execute(f"RELEASE {savepoint}")
            raise
        conn.execute(f"RELEASE {savepoint}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
