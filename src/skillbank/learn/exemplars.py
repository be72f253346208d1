"""Experience as examples: successful runs kept as in-context exemplars, ranked by utility.

Successful runs are stored in the library database (tables of namespace ``exemplars``).
For a new task, :meth:`ExemplarStore.retrieve` finds the most similar exemplars by BM25
(``bm25s``) over the task text and the tool names of each run, and ranks them by

    score = similarity x utility,   utility = (successes + 1) / (uses + 2)

where ``uses``/``successes`` count how often the exemplar was shown to an agent and the agent
then succeeded (:meth:`ExemplarStore.record_use`). A new exemplar starts at utility 0.5
(Laplace prior); one that keeps helping rises, one that keeps failing sinks (as in
self-generated in-context learning, arXiv 2505.00234: keep exemplars by measured utility).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillbank.errors import NotFoundError
from skillbank.learn.runs import Run, parse_run
from skillbank.store.migrations import migrate
from skillbank.store.tx import write_transaction

__all__ = ["AddReport", "Exemplar", "ExemplarHit", "ExemplarStore", "MIGRATIONS", "utility"]

NAMESPACE = "exemplars"

MIGRATIONS = [
    """
    CREATE TABLE exemplars (
        id INTEGER PRIMARY KEY,
        trajectory_id TEXT NOT NULL UNIQUE,
        task_id TEXT,
        task TEXT NOT NULL,
        env TEXT,
        tools TEXT NOT NULL,               -- JSON list of tool names in call order
        n_calls INTEGER NOT NULL,
        reward REAL,
        run_json TEXT NOT NULL,            -- the whole run (skillbank.learn.runs format)
        uses INTEGER NOT NULL DEFAULT 0,
        successes INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        last_used_at TEXT
    );
    CREATE INDEX exemplars_env ON exemplars (env);
    CREATE INDEX exemplars_task ON exemplars (task_id);
    CREATE TABLE exemplar_uses (
        id INTEGER PRIMARY KEY,
        exemplar_id INTEGER NOT NULL REFERENCES exemplars (id) ON DELETE CASCADE,
        success INTEGER NOT NULL,
        task_id TEXT,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX exemplar_uses_exemplar ON exemplar_uses (exemplar_id);
    """
]

PRIOR_SUCCESSES = 1.0
PRIOR_FAILURES = 1.0


def utility(uses: int, successes: int) -> float:
    """Laplace-smoothed success rate of an exemplar: (successes + 1) / (uses + 2)."""
    return (successes + PRIOR_SUCCESSES) / (uses + PRIOR_SUCCESSES + PRIOR_FAILURES)


@dataclass
class Exemplar:
    id: int
    trajectory_id: str
    task_id: str | None
    task: str
    env: str | None
    tools: list[str]
    n_calls: int
    reward: float | None
    uses: int
    successes: int
    added_at: str
    last_used_at: str | None
    _run_json: str = field(repr=False, default="")

    @property
    def utility(self) -> float:
        return utility(self.uses, self.successes)

    @property
    def run(self) -> Run:
        return parse_run(json.loads(self._run_json))

    def as_text(self, max_chars: int = 4000) -> str:
        """The exemplar as a compact transcript for a prompt."""
        from skillbank.learn.distill import render_run

        return render_run(self.run, max_chars=max_chars)


@dataclass
class ExemplarHit:
    exemplar: Exemplar
    similarity: float  # BM25 score divided by the best score of this query (0..1)
    utility: float
    score: float  # similarity x utility

    def to_dict(self) -> dict[str, Any]:
        e = self.exemplar
        return {
            "id": e.id,
            "trajectory_id": e.trajectory_id,
            "task_id": e.task_id,
            "task": e.task,
            "similarity": round(self.similarity, 4),
            "utility": round(self.utility, 4),
            "score": round(self.score, 4),
            "uses": e.uses,
            "successes": e.successes,
        }


@dataclass
class AddReport:
    added: list[int] = field(default_factory=list)
    existing: list[int] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (trajectory_id, reason)


_COLUMNS = "id, trajectory_id, task_id, task, env, tools, n_calls, reward, uses, successes, added_at, last_used_at, run_json"

_SPLIT = re.compile(r"[_\W]+")


def _doc_text(task: str, tools: Sequence[str]) -> str:
    """Task text plus tool names, each both whole and split into words."""
    names = list(dict.fromkeys(tools))
    parts = [task, " ".join(names), " ".join(w for n in names for w in _SPLIT.split(n) if w)]
    return "\n".join(p for p in parts if p)


class ExemplarStore:
    """Exemplars in the library database (``SKILLBANK_HOME/library.db`` by default).

    Pass an open connection (autocommit, e.g. ``SQLiteStore(...).conn``) to share it, or a
    path; without either the library's default database is used.
    """

    def __init__(self, conn: sqlite3.Connection | None = None, *, path: str | os.PathLike[str] | None = None) -> None:
        self._own = conn is None
        if conn is None:
            if path is None:
                from skillbank.store import default_path

                path = default_path()
            p = Path(path)
            p.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(p, isolation_level=None, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
        if conn.isolation_level is not None:
            raise ValueError("ExemplarStore needs a connection in autocommit mode (isolation_level=None)")
        conn.execute("PRAGMA foreign_keys = ON")
        self.conn = conn
        migrate(conn, NAMESPACE, MIGRATIONS)
        self._lock = threading.RLock()
        self._index: Any = None
        self._index_ids: list[int] = []
        self._index_stamp: tuple[int, int] | None = None

    def close(self) -> None:
        if self._own:
            self.conn.close()

    def __enter__(self) -> ExemplarStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------
    def add(self, run: Run, *, allow_unsuccessful: bool = False) -> int:
        """Store a successful run as an exemplar; returns its id (the existing id if already stored)."""
        if run.outcome.success is not True and not allow_unsuccessful:
            raise ValueError(f"run {run.trajectory_id} is not successful; only successful runs become exemplars")
        tools = run.tool_names()
        with self._lock:
            row = self.conn.execute("SELECT id FROM exemplars WHERE trajectory_id = ?", (run.trajectory_id,)).fetchone()
            if row:
                return int(row[0])
            cur = self.conn.execute(
                "INSERT INTO exemplars (trajectory_id, task_id, task, env, tools, n_calls, reward, run_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.trajectory_id,
                    run.task_id,
                    run.task,
                    run.source.env,
                    json.dumps(tools),
                    len(tools),
                    run.outcome.reward,
                    run.to_json(),
                ),
            )
            self._index_stamp = None
            return int(cur.lastrowid)

    def add_runs(self, runs: Iterable[Run]) -> AddReport:
        """Add every successful run; failed or unlabelled runs are skipped with a reason."""
        rep = AddReport()
        for run in runs:
            if run.outcome.success is not True:
                rep.skipped.append((run.trajectory_id, "not successful" if run.outcome.success is False else "no success label"))
                continue
            known = self._rows("SELECT id FROM exemplars WHERE trajectory_id = ?", (run.trajectory_id,))
            if known:
                rep.existing.append(int(known[0][0]))
            else:
                rep.added.append(self.add(run))
        return rep

    def remove(self, exemplar_id: int) -> None:
        with self._lock:
            cur = self.conn.execute("DELETE FROM exemplars WHERE id = ?", (exemplar_id,))
            if cur.rowcount == 0:
                raise NotFoundError(f"no exemplar with id {exemplar_id}")
            self._index_stamp = None

    def record_use(self, exemplar_id: int, success: bool, *, task_id: str | None = None) -> Exemplar:
        """Record that the exemplar was shown to an agent that then succeeded (or not)."""
        with self._lock:
            with write_transaction(self.conn, "exemplar_use"):
                cur = self.conn.execute(
                    "UPDATE exemplars SET uses = uses + 1, successes = successes + ?, "
                    "last_used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                    (1 if success else 0, exemplar_id),
                )
                if cur.rowcount == 0:
                    raise NotFoundError(f"no exemplar with id {exemplar_id}")
                self.conn.execute(
                    "INSERT INTO exemplar_uses (exemplar_id, success, task_id) VALUES (?, ?, ?)",
                    (exemplar_id, 1 if success else 0, task_id),
                )
        return self.get(exemplar_id)

    # -- reading -----------------------------------------------------------------------------
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:  # one connection may be shared by threads: serialise its use
            return self.conn.execute(sql, params).fetchall()

    @staticmethod
    def _row(row: Sequence[Any]) -> Exemplar:
        return Exemplar(
            id=row[0],
            trajectory_id=row[1],
            task_id=row[2],
            task=row[3],
            env=row[4],
            tools=json.loads(row[5]),
            n_calls=row[6],
            reward=row[7],
            uses=row[8],
            successes=row[9],
            added_at=row[10],
            last_used_at=row[11],
            _run_json=row[12],
        )

    def get(self, exemplar_id: int) -> Exemplar:
        rows = self._rows(f"SELECT {_COLUMNS} FROM exemplars WHERE id = ?", (exemplar_id,))
        if not rows:
            raise NotFoundError(f"no exemplar with id {exemplar_id}")
        return self._row(rows[0])

    def by_trajectory(self, trajectory_id: str) -> Exemplar:
        rows = self._rows(f"SELECT {_COLUMNS} FROM exemplars WHERE trajectory_id = ?", (trajectory_id,))
        if not rows:
            raise NotFoundError(f"no exemplar for run {trajectory_id}")
        return self._row(rows[0])

    def all(self) -> list[Exemplar]:
        return [self._row(r) for r in self._rows(f"SELECT {_COLUMNS} FROM exemplars ORDER BY id")]

    def __len__(self) -> int:
        return int(self._rows("SELECT COUNT(*) FROM exemplars")[0][0])

    def uses(self, exemplar_id: int) -> list[dict[str, Any]]:
        rows = self._rows("SELECT success, task_id, at FROM exemplar_uses WHERE exemplar_id = ? ORDER BY id", (exemplar_id,))
        return [{"success": bool(s), "task_id": t, "at": at} for s, t, at in rows]

    # -- retrieval ---------------------------------------------------------------------------
    def _stamp(self) -> tuple[int, int]:
        n, mx = self.conn.execute("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM exemplars").fetchone()
        return int(n), int(mx)

    def _ensure_index(self) -> None:
        import bm25s

        stamp = self._stamp()
        if self._index is not None and stamp == self._index_stamp:
            return
        rows = self.conn.execute("SELECT id, task, tools FROM exemplars ORDER BY id").fetchall()
        self._index_ids = [r[0] for r in rows]
        if not rows:
            self._index = None
            self._index_stamp = stamp
            return
        tokenizer = bm25s.tokenization.Tokenizer(stopwords="en", stemmer=None)
        docs = [_doc_text(task, json.loads(tools)) for _, task, tools in rows]
        ids = tokenizer.tokenize(docs, update_vocab=True, return_as="ids", show_progress=False)
        retriever = bm25s.BM25()
        retriever.index(ids, show_progress=False)
        self._index = (tokenizer, retriever)
        self._index_stamp = stamp

    def similarities(self, task: str, tools: Sequence[str] = ()) -> dict[int, float]:
        """Raw BM25 score of every exemplar for a task text (and optional tool names)."""
        with self._lock:
            self._ensure_index()
            if self._index is None:
                return {}
            tokenizer, retriever = self._index
            q = tokenizer.tokenize([_doc_text(task, tools)], update_vocab=False, return_as="ids", show_progress=False)[0]
            q = [t for t in q if t != 0]  # 0 is bm25s's id for out-of-vocabulary words
            if not q:
                return {}
            scores = retriever.get_scores(q)
            return {eid: float(s) for eid, s in zip(self._index_ids, scores, strict=True) if s > 0}

    def retrieve(
        self,
        task: str,
        *,
        k: int = 3,
        tools: Sequence[str] = (),
        env: str | None = None,
        exclude_task_ids: Iterable[str] = (),
        min_similarity: float = 0.0,
    ) -> list[ExemplarHit]:
        """The ``k`` best exemplars for a new task, by similarity x utility (best first).

        ``env`` keeps exemplars of one environment; ``exclude_task_ids`` leaves out exemplars
        of the given tasks (to keep a task's own runs out of its evaluation).
        """
        sims = self.similarities(task, tools)
        if not sims:
            return []
        best = max(sims.values())
        excluded = set(exclude_task_ids)
        ids = list(sims)
        exemplars: dict[int, Exemplar] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._rows(f"SELECT {_COLUMNS} FROM exemplars WHERE id IN ({marks})", chunk):
                exemplars[row[0]] = self._row(row)
        hits = []
        for eid, raw in sims.items():
            e = exemplars.get(eid)
            if e is None or (env is not None and e.env != env) or (e.task_id is not None and e.task_id in excluded):
                continue
            sim = raw / best
            if sim < min_similarity:
                continue
            u = e.utility
            hits.append(ExemplarHit(e, sim, u, sim * u))
        hits.sort(key=lambda h: (-h.score, -h.similarity, h.exemplar.id))
        return hits[: max(0, k)]

    def prompt_block(self, hits: Sequence[ExemplarHit], max_chars: int = 4000) -> str:
        """Render hits as in-context examples for an agent's prompt."""
        parts = []
        for n, h in enumerate(hits, start=1):
            parts.append(f"### Example {n} (a successful past run)\n{h.exemplar.as_text(max_chars)}")
        return "\n\n".join(parts)
