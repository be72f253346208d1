"""The one write-transaction helper every writer to the library database uses."""

from __future__ import annotations

import sqlite3

import pytest

from skillbank.store.tx import write_transaction


@pytest.fixture()
def conn(tmp_path):
    c = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    c.execute("CREATE TABLE t (x INTEGER)")
    yield c
    c.close()


def rows(conn):
    return [r[0] for r in conn.execute("SELECT x FROM t ORDER BY x")]


def test_commits_a_block_that_finishes(conn):
    with write_transaction(conn):
        conn.execute("INSERT INTO t VALUES (1)")
        assert conn.in_transaction
    assert not conn.in_transaction and rows(conn) == [1]


@pytest.mark.parametrize("exc", [ValueError, KeyboardInterrupt])
def test_rolls_back_a_block_that_raises(conn, exc):
    with pytest.raises(exc):
        with write_transaction(conn):
            conn.execute("INSERT INTO t VALUES (1)")
            raise exc()
    assert not conn.in_transaction and rows(conn) == []


def test_takes_the_write_lock_up_front(conn, tmp_path):
    other = sqlite3.connect(tmp_path / "t.db", isolation_level=None, timeout=0)
    with write_transaction(conn):
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()


def test_inside_an_open_transaction_only_the_block_is_undone(conn):
    conn.execute("BEGIN")
    conn.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ValueError):
        with write_transaction(conn, "inner"):
            conn.execute("INSERT INTO t VALUES (2)")
            raise ValueError
    assert conn.in_transaction  # the caller's transaction is still open
    with write_transaction(conn, "inner"):
        conn.execute("INSERT INTO t VALUES (3)")
    conn.execute("COMMIT")
    assert rows(conn) == [1, 3]
