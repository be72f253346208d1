"""The router index, kept in the library's SQLite database (namespace "route").

Tables
  route_docs     one row per document: fields, content hash, term counts per field
  route_vectors  one row per (document, model): all chunk vectors as one float32 blob,
                 with the model name@version and the content hash they were made from
  route_summary  one row per document: the semantic encoder's vector of its summary text
                 (name, description, opening prose; MiniLM by default when installed),
                 with model@version/text-version and content hash
  route_state    generation counter (bumped by every change) and the embedder in use
  route_cache    the built BM25F matrix for a generation, so a new process does not
                 rebuild it

`upsert` is a cheap no-op when the content hash and the vectors for the current model
are unchanged; `sync` commits in batches and skips what is already indexed, so an
interrupted build resumes where it stopped. In-memory structures are rebuilt lazily
when the generation or the model changes.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from skillbank.route.embedders import Embedder, get_embedder, get_summary_embedder
from skillbank.route.lexical import BM25FParams, LexicalIndex
from skillbank.route.ranker import LazyColumn, RankParams, RankState, rank
from skillbank.route.text import TOKENIZER_VERSION, chunk_text, opening_prose, term_counts, tokenize
from skillbank.store.migrations import migrate
from skillbank.store.tx import write_transaction

MIGRATIONS = [
    """
    CREATE TABLE route_docs (
        doc_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        body TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        terms TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE route_vectors (
        doc_id TEXT NOT NULL,
        model TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        dim INTEGER NOT NULL,
        n_chunks INTEGER NOT NULL,
        vectors BLOB NOT NULL,
        PRIMARY KEY (doc_id, model)
    );
    CREATE TABLE route_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE route_cache (
        kind TEXT PRIMARY KEY,
        generation INTEGER NOT NULL,
        data BLOB NOT NULL
    );
    INSERT INTO route_state (key, value) VALUES ('generation', '0');
    """,
    """
    CREATE TABLE route_summary (
        doc_id TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL
    );
    """,
]

Progress = Callable[[int, int], None]  # (done, total or 0 if unknown)

# Documents whose chunk vectors (model ?) or summary vector (model ?, when the third
# parameter is true) are missing or older than their content.
_STALE = (
    "FROM route_docs d "
    "LEFT JOIN route_vectors v ON v.doc_id = d.doc_id AND v.model = ? AND v.content_hash = d.content_hash "
    "LEFT JOIN route_summary s ON s.doc_id = d.doc_id AND s.model = ? AND s.content_hash = d.content_hash "
    "WHERE v.doc_id IS NULL OR (? AND s.doc_id IS NULL)"
)


class _Pending(NamedTuple):
    """One document to write, and which of its parts are out of date."""

    doc_id: str
    name: str
    description: str
    body: str
    digest: str
    doc: bool  # the route_docs row (fields, terms)
    chunks: bool  # chunk vectors of the current model
    summary: bool  # summary vector of the current summary model


@dataclass
class Hit:
    doc_id: str
    name: str
    description: str
    score: float
    signals: dict[str, float] = field(default_factory=dict)
    explanation: dict[str, Any] | None = None
    tier: str | None = None  # the stored trust tier, when searched through a library

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.doc_id,
            "name": self.name,
            "description": self.description,
            "score": round(self.score, 6),
            "signals": {k: round(v, 6) for k, v in self.signals.items()},
        }
        if self.tier is not None:
            out["tier"] = self.tier
        if self.explanation is not None:
            out["explanation"] = self.explanation
        return out


@dataclass
class SyncReport:
    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    total: int = 0


def content_hash(name: str, description: str, body: str) -> str:
    h = hashlib.sha256()
    for part in (name, description, body):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return "sha256:" + h.hexdigest()


def chunks_for(name: str, description: str, body: str) -> list[str]:
    """Texts embedded for one document: the summary, then every body chunk (titled)."""
    head = f"{name}: {description}".strip()
    return [head] + [f"{name}: {c}" for c in chunk_text(body)]


_POOL = None


def _pool():
    """One worker thread for the summary encoder, shared by every index in the process."""
    global _POOL
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="skillbank-summary")
    return _POOL


# Bump when summary_text() changes: summary vectors made from another text are re-embedded.
SUMMARY_TEXT_VERSION = "2"


def summary_text(name: str, description: str, body: str = "") -> str:
    """What the semantic encoder reads of a skill: its name as words, its description, then
    the opening prose of its body (the encoder reads the first 64 tokens, so a long
    description leaves little room for the body; a terse one is completed by it)."""
    head = f"{re.sub(r'[-_]+', ' ', name)}: {description}".strip()
    prose = opening_prose(body)
    return f"{head} {prose}" if prose else head


def dup_key(name: str, description: str) -> str:
    return re.sub(r"\s+", " ", f"{name}|{description}".lower()).strip()[:300]


def _doc_fields(doc: Any) -> tuple[str, str, str, str]:
    """Accept (id, name, description, body) tuples, dicts or objects with attributes."""
    if isinstance(doc, tuple | list):
        doc_id, name, description, body = doc
    elif isinstance(doc, dict):
        name = doc.get("name") or ""
        doc_id = doc.get("id") or doc.get("doc_id") or name
        description, body = doc.get("description") or "", doc.get("body") or ""
    else:
        # library objects (StoredVersion) are keyed by skill name; their `.id` is a row id
        name = getattr(doc, "name", "") or ""
        doc_id = getattr(doc, "doc_id", None) or name
        description = getattr(doc, "description", "") or ""
        body = getattr(doc, "body", "") or ""
    return str(doc_id), str(name), str(description), str(body)


class RouteIndex:
    """Hybrid skill index over a SQLite connection in autocommit mode."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        embedder: Embedder | str | None = None,
        params: RankParams | None = None,
        bm25: BM25FParams | None = None,
        summary: Embedder | str | None = None,
    ):
        """`embedder`: chunk encoder (spec or instance; default: the one recorded in the
        index, else $SKILLBANK_EMBEDDER, else wordllama). `summary`: the semantic encoder
        of each skill's summary text (spec or instance; default $SKILLBANK_SUMMARY_EMBEDDER,
        else "auto" = MiniLM when installed; "none" turns it off)."""
        self.conn = conn
        migrate(conn, "route", MIGRATIONS)
        self._embedder_arg = embedder
        self._embedder: Embedder | None = embedder if not isinstance(embedder, str | None) else None
        self.params = params or RankParams()
        self.bm25 = bm25 or BM25FParams()
        self._summary_arg = summary
        self._summary: Embedder | None = summary if not isinstance(summary, str | None) else None
        self._summary_resolved = self._summary is not None
        self._state: RankState | None = None
        self._state_key: tuple[int, str, str] | None = None
        row = conn.execute("SELECT value FROM route_state WHERE key = 'tokenizer'").fetchone()
        if row is None and conn.execute("SELECT 1 FROM route_docs LIMIT 1").fetchone() is None:
            self._set_state("tokenizer", TOKENIZER_VERSION)

    # ------------------------------------------------------------------ embedder
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            spec = self._embedder_arg if isinstance(self._embedder_arg, str) else None
            if spec is None:
                row = self.conn.execute(
                    "SELECT value FROM route_state WHERE key = 'embedder'"
                ).fetchone()
                spec = row[0] if row else None
            self._embedder = get_embedder(spec)
            if isinstance(self._embedder_arg, str):
                self._set_state("embedder", self._embedder_arg)
        return self._embedder

    @property
    def model_key(self) -> str:
        e = self.embedder
        return f"{e.name}@{e.version}"

    @property
    def summary_embedder(self) -> Embedder | None:
        if not self._summary_resolved:
            spec = self._summary_arg if isinstance(self._summary_arg, str) else None
            self._summary = get_summary_embedder(spec)
            self._summary_resolved = True
        return self._summary

    @property
    def summary_key(self) -> str:
        """model@version/text-version of the semantic summary encoder, "" when there is none."""
        e = self.summary_embedder
        return f"{e.name}@{e.version}/t{SUMMARY_TEXT_VERSION}" if e is not None else ""

    def _set_state(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO route_state (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _tx(self):
        """A write transaction, or a savepoint inside the caller's open transaction."""
        return write_transaction(self.conn, "route_write")

    def generation(self) -> int:
        row = self.conn.execute("SELECT value FROM route_state WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def _bump(self) -> None:
        self.conn.execute(
            "UPDATE route_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'"
        )

    # ------------------------------------------------------------------ writes
    def _needs(self, doc_id: str, digest: str) -> tuple[bool, bool, bool]:
        """(document row must be written, chunk vectors / summary vector must be computed)."""
        row = self.conn.execute(
            "SELECT content_hash FROM route_docs WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        doc_stale = row is None or row[0] != digest
        vrow = self.conn.execute(
            "SELECT content_hash FROM route_vectors WHERE doc_id = ? AND model = ?",
            (doc_id, self.model_key),
        ).fetchone()
        summary_stale = False
        if self.summary_key:
            srow = self.conn.execute(
                "SELECT content_hash FROM route_summary WHERE doc_id = ? AND model = ?",
                (doc_id, self.summary_key),
            ).fetchone()
            summary_stale = srow is None or srow[0] != digest
        return doc_stale, (vrow is None or vrow[0] != digest), summary_stale

    def _write(self, batch: list[_Pending]) -> None:
        """Write one batch in one transaction (terms + vectors computed before BEGIN)."""
        texts: list[str] = []
        spans: list[tuple[int, int]] = []
        for p in batch:
            if p.chunks:
                cs = chunks_for(p.name, p.description, p.body)
                spans.append((len(texts), len(texts) + len(cs)))
                texts.extend(cs)
            else:
                spans.append((0, 0))
        model = self.model_key
        skey = self.summary_key
        sdocs = [p for p in batch if p.summary] if skey else []
        # The two encoders run side by side (both release the GIL in their numeric code):
        # the chunk encoder is mostly single-threaded numpy, so the summary encoder gets
        # the other core instead of waiting its turn.
        pending = (
            _pool().submit(self.summary_embedder.embed, [summary_text(p.name, p.description, p.body) for p in sdocs])  # type: ignore[union-attr]
            if sdocs
            else None
        )
        try:
            vecs = self.embedder.embed(texts) if texts else None
        finally:
            svecs = pending.result() if pending is not None else None
        rows_docs = []
        for p in batch:
            if p.doc:
                terms = json.dumps(
                    [term_counts(p.name), term_counts(p.description), term_counts(p.body)],
                    separators=(",", ":"),
                )
                rows_docs.append((p.doc_id, p.name, p.description, p.body, p.digest, terms))
        with self._tx():
            self.conn.executemany(
                "INSERT INTO route_docs (doc_id, name, description, body, content_hash, terms) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET "
                "name = excluded.name, description = excluded.description, "
                "body = excluded.body, content_hash = excluded.content_hash, "
                "terms = excluded.terms, updated_at = excluded.updated_at",
                rows_docs,
            )
            for p, (a, b) in zip(batch, spans, strict=True):
                if not p.chunks or vecs is None:
                    continue
                block = np.ascontiguousarray(vecs[a:b], dtype=np.float32)
                self.conn.execute(
                    "INSERT INTO route_vectors (doc_id, model, content_hash, dim, n_chunks, vectors) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id, model) DO UPDATE SET "
                    "content_hash = excluded.content_hash, dim = excluded.dim, "
                    "n_chunks = excluded.n_chunks, vectors = excluded.vectors",
                    (p.doc_id, model, p.digest, block.shape[1], block.shape[0], block.tobytes()),
                )
            # vectors of other models are dropped: changing the model re-embeds
            self.conn.executemany(
                "DELETE FROM route_vectors WHERE doc_id = ? AND model != ?",
                [(p.doc_id, model) for p in batch if p.chunks],
            )
            if svecs is not None:
                self.conn.executemany(
                    "INSERT INTO route_summary (doc_id, model, content_hash, dim, vector) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET "
                    "model = excluded.model, content_hash = excluded.content_hash, "
                    "dim = excluded.dim, vector = excluded.vector",
                    [
                        (p.doc_id, skey, p.digest, int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
                        for p, v in zip(sdocs, svecs, strict=True)
                    ],
                )
            self._set_state("model", model)
            self._bump()

    def upsert(self, doc_id: str, name: str, description: str, body: str | None = None) -> bool:
        """Index or re-index one document; returns False (and writes nothing) if unchanged.

        `upsert(doc_id, name, description, body)`; the library form
        `upsert(name, description, body)` keys the document by its name.
        """
        if body is None:
            doc_id, name, description, body = doc_id, doc_id, name, description
        digest = content_hash(name, description, body)
        ds, vs, ss = self._needs(doc_id, digest)
        if not ds and not vs and not ss:
            return False
        self._write([_Pending(doc_id, name, description, body, digest, ds, vs, ss)])
        return True

    def remove(self, doc_id: str) -> bool:
        with self._tx():
            cur = self.conn.execute("DELETE FROM route_docs WHERE doc_id = ?", (doc_id,))
            self.conn.execute("DELETE FROM route_vectors WHERE doc_id = ?", (doc_id,))
            self.conn.execute("DELETE FROM route_summary WHERE doc_id = ?", (doc_id,))
            if cur.rowcount:
                self._bump()
        return bool(cur.rowcount)

    def sync(
        self,
        docs: Iterable[Any],
        progress: Progress | None = None,
        batch_size: int = 256,
        prune: bool = False,
        total: int | None = None,
    ) -> SyncReport:
        """Bring the index up to date with `docs` (tuples, dicts or skill objects).

        Commits every `batch_size` changed documents, so an interrupted run resumes where
        it stopped; documents already indexed with the current model are skipped. With
        `prune`, documents not in `docs` are removed.
        """
        report = SyncReport()
        seen: set[str] = set()
        known = {
            r[0]: r[1] for r in self.conn.execute("SELECT doc_id, content_hash FROM route_docs")
        }
        model = self.model_key
        vec_known = {
            r[0]: r[1]
            for r in self.conn.execute(
                "SELECT doc_id, content_hash FROM route_vectors WHERE model = ?", (model,)
            )
        }
        skey = self.summary_key
        sum_known = (
            {
                r[0]: r[1]
                for r in self.conn.execute(
                    "SELECT doc_id, content_hash FROM route_summary WHERE model = ?", (skey,)
                )
            }
            if skey
            else {}
        )
        batch: list[_Pending] = []
        done = 0
        for doc in docs:
            doc_id, name, desc, body = _doc_fields(doc)
            seen.add(doc_id)
            report.total += 1
            digest = content_hash(name, desc, body)
            ds = known.get(doc_id) != digest
            vs = vec_known.get(doc_id) != digest
            ss = bool(skey) and sum_known.get(doc_id) != digest
            if ds or vs or ss:
                batch.append(_Pending(doc_id, name, desc, body, digest, ds, vs, ss))
                report.indexed += 1
            else:
                report.unchanged += 1
                done += 1
            if len(batch) >= batch_size:
                self._write(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, total or 0)
        if batch:
            self._write(batch)
            done += len(batch)
        if prune:
            for doc_id in set(known) - seen:
                report.removed += int(self.remove(doc_id))
        if progress:
            progress(done, total or done)
        return report

    def reembed(self, progress: Progress | None = None, batch_size: int = 128) -> int:
        """Embed every document that has no vectors (or summary vector) for the current models."""
        skey = self.summary_key
        rows = self.conn.execute(
            "SELECT d.doc_id, d.name, d.description, d.body, d.content_hash, "
            f"v.doc_id IS NULL, s.doc_id IS NULL {_STALE} ORDER BY d.doc_id",
            (self.model_key, skey, bool(skey)),
        ).fetchall()
        for i in range(0, len(rows), batch_size):
            part = rows[i : i + batch_size]
            self._write(
                [_Pending(*r[:5], doc=False, chunks=bool(r[5]), summary=bool(skey) and bool(r[6])) for r in part]
            )
            if progress:
                progress(min(i + batch_size, len(rows)), len(rows))
        return len(rows)

    # ------------------------------------------------------------------ reads
    def __len__(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM route_docs").fetchone()[0])

    def stale_count(self) -> int:
        """Documents without vectors for the current models (re-embedded on next search)."""
        skey = self.summary_key
        return int(
            self.conn.execute(f"SELECT COUNT(*) {_STALE}", (self.model_key, skey, bool(skey))).fetchone()[0]
        )

    def state(self, progress: Progress | None = None) -> RankState:
        """The in-memory snapshot for the current generation and model (built lazily)."""
        model = self.model_key
        skey = self.summary_key
        gen = self.generation()
        if self._state is not None and self._state_key == (gen, model, skey):
            return self._state
        if self.stale_count():
            self.reembed(progress=progress)
            gen = self.generation()
        if self._retokenize():
            gen = self.generation()
        rows = self.conn.execute(
            "SELECT doc_id, name, description FROM route_docs ORDER BY doc_id"
        ).fetchall()
        doc_ids = [r[0] for r in rows]
        lexical = self._lexical(gen, doc_ids)
        dim = self.embedder.dim
        total, vdim = self.conn.execute(
            "SELECT COALESCE(SUM(v.n_chunks), 0), MAX(v.dim) FROM route_docs d JOIN route_vectors v "
            "ON v.doc_id = d.doc_id AND v.model = ?",
            (model,),
        ).fetchone()
        dim = int(vdim or dim)
        # one preallocated matrix, filled blob by blob: no second copy at load time
        vectors = np.empty((int(total), dim), dtype=np.float32)
        starts = np.zeros(len(rows), dtype=np.int64)
        pos = 0
        vec_rows = self.conn.execute(
            "SELECT v.n_chunks, v.vectors FROM route_docs d JOIN route_vectors v "
            "ON v.doc_id = d.doc_id AND v.model = ? ORDER BY d.doc_id",
            (model,),
        )
        for i, (n_chunks, blob) in enumerate(vec_rows):
            starts[i] = pos
            vectors[pos : pos + n_chunks] = np.frombuffer(blob, dtype=np.float32).reshape(n_chunks, dim)
            pos += n_chunks
        summary = None
        if skey:
            sdim = self.summary_embedder.dim  # type: ignore[union-attr]
            summary = np.zeros((len(rows), sdim), dtype=np.float32)
            srows = self.conn.execute(
                "SELECT s.vector FROM route_docs d LEFT JOIN route_summary s "
                "ON s.doc_id = d.doc_id AND s.model = ? ORDER BY d.doc_id",
                (skey,),
            )
            for i, (blob,) in enumerate(srows):
                if blob is not None:  # not embedded yet: a zero vector scores 0
                    summary[i] = np.frombuffer(blob, dtype=np.float32)
        names = [r[1] for r in rows]
        descriptions = [r[2] for r in rows]
        self._state = RankState(
            doc_ids=doc_ids,
            names=names,
            descriptions=descriptions,
            name_terms=LazyColumn(names, lambda text: tuple(tokenize(text))),
            desc_terms=LazyColumn(descriptions, lambda text: tuple(tokenize(text))),
            lexical=lexical,
            vectors=vectors,
            chunk_starts=starts,
            dup_keys=LazyColumn([(r[1], r[2]) for r in rows], lambda nd: dup_key(*nd)),
            summary_vectors=summary,
        )
        self._state_key = (gen, model, skey)
        return self._state

    def _retokenize(self, batch_size: int = 512) -> bool:
        """Recompute stored term counts if they were made by another tokenizer version."""
        row = self.conn.execute("SELECT value FROM route_state WHERE key = 'tokenizer'").fetchone()
        if row is not None and row[0] == TOKENIZER_VERSION:
            return False
        ids = [r[0] for r in self.conn.execute("SELECT doc_id FROM route_docs ORDER BY doc_id")]
        for i in range(0, len(ids), batch_size):
            part = ids[i : i + batch_size]
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                f"SELECT doc_id, name, description, body FROM route_docs WHERE doc_id IN ({marks})",
                part,
            ).fetchall()
            updates = [
                (json.dumps([term_counts(n), term_counts(d), term_counts(b)], separators=(",", ":")), i_)
                for i_, n, d, b in rows
            ]
            with self._tx():
                self.conn.executemany("UPDATE route_docs SET terms = ? WHERE doc_id = ?", updates)
        with self._tx():
            self._set_state("tokenizer", TOKENIZER_VERSION)
            self._bump()
        return True

    def _lexical(self, gen: int, doc_ids: list[str]) -> LexicalIndex:
        row = self.conn.execute(
            "SELECT generation, data FROM route_cache WHERE kind = 'bm25f'"
        ).fetchone()
        if row and int(row[0]) == gen:
            lex = LexicalIndex.from_bytes(row[1])
            if lex.n_docs == len(doc_ids):
                return lex
        terms = [
            tuple(json.loads(r[0]))
            for r in self.conn.execute("SELECT terms FROM route_docs ORDER BY doc_id")
        ]
        lex = LexicalIndex.build(terms, self.bm25)
        self.conn.execute(
            "INSERT INTO route_cache (kind, generation, data) VALUES ('bm25f', ?, ?) "
            "ON CONFLICT(kind) DO UPDATE SET generation = excluded.generation, data = excluded.data",
            (gen, lex.to_bytes()),
        )
        return lex

    def search(
        self,
        query: str,
        k: int = 5,
        explain: bool = False,
        mode: str = "router",
        llm: Any = None,
        llm_rewrite: bool = False,
        llm_rerank: bool = False,
        llm_top: int = 20,
        exclude: Callable[[str], bool] | None = None,
    ) -> list[Hit]:
        """Top-k documents for a task; mode "router" (default), "bm25" or "dense".

        With an LLM provider (`skillbank.llm.OpenAICompatible`), `llm_rewrite` searches
        with the task plus the model's description of the skills it needs, and
        `llm_rerank` lets the model reorder the top `llm_top` candidates. Both are off by
        default and only apply to the router mode. `exclude(doc_id)` drops documents right
        after ranking, before the LLM rerank or `explain` sees them (a library's blocked
        skills never reach a model or the result).
        """
        from skillbank.route import llm_stage

        st = self.state()
        use_llm = llm is not None and mode == "router"
        text = llm_stage.rewrite_query(llm, query) if use_llm and llm_rewrite else query
        depth = max(k, llm_top) if use_llm and llm_rerank else k
        want = depth
        while True:
            ranked = rank(
                st, text, self.embedder, k=want, mode=mode, params=self.params,
                summary_embedder=self.summary_embedder if st.summary_vectors is not None else None,
            )
            if exclude is None:
                break
            kept = [r for r in ranked if not exclude(st.doc_ids[r.index])]
            if len(kept) >= depth or len(ranked) < want or want >= st.n_docs:
                ranked = kept
                break
            want *= 2  # excluded documents took places: rank deeper
        hits = [
            Hit(st.doc_ids[r.index], st.names[r.index], st.descriptions[r.index], r.score, r.signals)
            for r in ranked
        ]
        if use_llm and llm_rerank and hits:
            bodies = self._bodies([h.doc_id for h in hits[:llm_top]])
            order = {id(h): r for h, r in zip(hits, ranked, strict=True)}
            hits = llm_stage.llm_rerank(llm, query, hits, bodies, top=llm_top)
            ranked = [order[id(h)] for h in hits]
        hits, ranked = hits[:k], ranked[:k]
        if explain:
            qterms = set(tokenize(query))
            qvec = self.embedder.embed([query])[0] if hits else None
            for hit, r in zip(hits, ranked, strict=True):
                hit.explanation = self._explain(st, r.index, hit.doc_id, qterms, qvec)
        return hits

    def _bodies(self, doc_ids: list[str]) -> dict[str, str]:
        marks = ",".join("?" * len(doc_ids))
        rows = self.conn.execute(
            f"SELECT doc_id, body FROM route_docs WHERE doc_id IN ({marks})", doc_ids
        ).fetchall()
        return dict(rows)

    def _explain(
        self, st: RankState, i: int, doc_id: str, qterms: set[str], qvec: np.ndarray | None
    ) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT name, description, body, terms FROM route_docs WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        name, desc, body, terms_json = row
        fields = json.loads(terms_json)
        lex = st.lexical

        def matched(counts: dict[str, int]) -> list[str]:
            ts = [t for t in counts if t in qterms]
            return sorted(ts, key=lambda t: -lex.term_idf(t) * (1 + np.log(counts[t])))

        out: dict[str, Any] = {
            "name_terms": matched(fields[0]),
            "description_terms": matched(fields[1]),
            "body_terms": matched(fields[2])[:12],
        }
        if qvec is not None and len(st.vectors):
            start = int(st.chunk_starts[i])
            end = int(st.chunk_starts[i + 1]) if i + 1 < st.n_docs else len(st.vectors)
            sims = st.vectors[start:end] @ qvec
            best = int(np.argmax(sims)) if len(sims) else 0
            texts = chunks_for(name, desc, body)
            if best < len(texts):
                snippet = re.sub(r"\s+", " ", texts[best])[:240]
                out["best_chunk"] = {
                    "index": best,
                    "field": "description" if best == 0 else "body",
                    "similarity": round(float(sims[best]), 4),
                    "text": snippet,
                }
        if st.names.count(name) > 1:
            out["same_name_skills"] = st.names.count(name)
        return out

    def stats(self) -> dict[str, Any]:
        st = self.state()
        size = self.conn.execute(
            "SELECT COALESCE(SUM(LENGTH(vectors)), 0) FROM route_vectors"
        ).fetchone()[0]
        return {
            "documents": st.n_docs,
            "chunks": int(len(st.vectors)),
            "model": self.model_key,
            "summary_model": self.summary_key or None,
            "memory_bytes": st.nbytes(),
            "vector_bytes_on_disk": int(size),
        }
