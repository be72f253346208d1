"""`skillbank eval route`: the full router and both single-signal baselines, side by side.

All three systems run over the same index in the same process: `bm25` is the BM25F
stage alone, `dense` the best-chunk embedding stage alone, `router` the whole pipeline
(fusion + rerank). Latency is measured one query at a time.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillbank.errors import SkillbankError
from skillbank.route.index import Progress, RouteIndex
from skillbank.route.metrics import groups_of, mean_metrics, percentile, score_ranking

SYSTEMS = ("router", "bm25", "dense")


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """JSON objects, one per non-blank line; a bad line raises SkillbankError naming it."""
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8").strip()
            except UnicodeDecodeError as exc:
                raise SkillbankError(f"{path}:{n}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SkillbankError(f"{path}:{n}: not a JSON object ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise SkillbankError(f"{path}:{n}: not a JSON object (a {type(obj).__name__})")
            yield obj


def count_lines(path: str | Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


def load_queries(path: str | Path) -> list[dict[str, Any]]:
    queries = []
    for n, q in enumerate(read_jsonl(path), start=1):
        if "query" not in q:
            raise SkillbankError(f"{path}: query {n} has no 'query' field")
        q.setdefault("id", f"q{n}")
        gold, groups = q.get("gold"), q.get("gold_groups")
        if gold is not None and not (isinstance(gold, list) and all(isinstance(g, str) for g in gold)):
            raise SkillbankError(f"{path}: query {q['id']}: 'gold' must be a list of skill ids")
        if groups is not None and not (
            isinstance(groups, list) and all(isinstance(g, list) and all(isinstance(x, str) for x in g) for g in groups)
        ):
            raise SkillbankError(f"{path}: query {q['id']}: 'gold_groups' must be a list of lists of skill ids")
        if not (q.get("gold") or q.get("gold_groups")):
            raise SkillbankError(f"{path}: query {q['id']} has no 'gold' list of skill ids")
        queries.append(q)
    if not queries:
        raise SkillbankError(f"{path}: no queries (one JSON object per line: id, query, gold)")
    return queries


def connect(path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def import_corpus(
    index: RouteIndex, skills_path: str | Path, progress: Progress | None = None
) -> tuple[float, int]:
    """Sync a skills JSONL (id, name, description, body) into the index; (seconds, indexed)."""
    total = count_lines(skills_path)
    docs = (
        (str(d.get("id") or d.get("name")), d.get("name") or "", d.get("description") or "", d.get("body") or "")
        for d in read_jsonl(skills_path)
    )
    t0 = time.perf_counter()
    report = index.sync(docs, progress=progress, total=total)
    index.state()  # the lexical matrix and the vector matrix are part of the build
    return time.perf_counter() - t0, report.indexed


@dataclass
class EvalResult:
    systems: dict[str, dict[str, float]] = field(default_factory=dict)
    build_seconds: float = 0.0
    indexed: int = 0
    documents: int = 0
    queries: int = 0
    model: str = ""
    semantic_model: str = ""
    memory_bytes: int = 0
    predictions: dict[str, list[str]] = field(default_factory=dict)
    per_query: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    gold_ids: int = 0  # distinct gold ids over all queries
    missing_gold: list[str] = field(default_factory=list)  # gold ids not in the index
    unreachable_needs: int = 0  # gold groups none of whose ids is in the index

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: self.systems[name] for name in SYSTEMS if name in self.systems}
        out["index"] = {
            "documents": self.documents,
            "indexed_now": self.indexed,
            "build_seconds": round(self.build_seconds, 3),
            "skills_per_second": round(self.indexed / self.build_seconds, 1)
            if self.build_seconds and self.indexed
            else None,
            "model": self.model,
            "semantic_model": self.semantic_model or None,
            "memory_mib": round(self.memory_bytes / 2**20, 1),
        }
        out["queries"] = self.queries
        out["gold"] = {
            "ids": self.gold_ids,
            "missing_from_index": len(self.missing_gold),
            "unreachable_needs": self.unreachable_needs,
        }
        return out


def evaluate(
    index: RouteIndex,
    queries: list[dict[str, Any]],
    systems: tuple[str, ...] = SYSTEMS,
    depth: int = 100,
    on_query: Callable[[int, int], None] | None = None,
    router_options: dict[str, Any] | None = None,
) -> EvalResult:
    result = EvalResult(queries=len(queries), model=index.model_key, semantic_model=index.summary_key)
    st = index.state()
    result.documents = st.n_docs
    result.memory_bytes = st.nbytes()
    indexed = set(st.doc_ids)
    gold = {g for q in queries for group in groups_of(q) for g in group}
    result.gold_ids = len(gold)
    result.missing_gold = sorted(gold - indexed)
    result.unreachable_needs = sum(1 for q in queries for group in groups_of(q) if not group & indexed)
    if gold and not gold & indexed:
        raise SkillbankError(
            f"none of the {len(gold)} gold skill ids is in the index of {st.n_docs} skills "
            f"(e.g. {sorted(gold)[0]!r}): do the queries' ids match the skills' ids?"
        )
    if st.n_docs:  # warm up (first BLAS call, caches) so latency is steady-state
        index.search("warm up the router", k=10)
    steps = len(systems) * len(queries)
    done = 0
    for system in systems:
        rows: list[dict[str, float]] = []
        lat: list[float] = []
        for q in queries:
            t0 = time.perf_counter()
            extra = (router_options or {}) if system == "router" else {}
            hits = index.search(q["query"], k=depth, mode=system, **extra)
            lat.append((time.perf_counter() - t0) * 1000.0)
            ids = [h.doc_id for h in hits]
            scores = score_ranking(ids, groups_of(q))
            rows.append(scores)
            result.per_query.setdefault(q["id"], {})[system] = scores
            if system == "router":
                result.predictions[q["id"]] = ids
            done += 1
            if on_query:
                on_query(done, steps)
        m = mean_metrics(rows)
        m["p50_ms"] = percentile(lat, 50)
        m["p95_ms"] = percentile(lat, 95)
        result.systems[system] = {k: round(v, 4) for k, v in m.items()}
    return result


def subset_metrics(result: EvalResult, ids: list[str]) -> dict[str, dict[str, float]]:
    """Mean metrics of each system over a subset of the queries (for split checks)."""
    out = {}
    for system in result.systems:
        rows = [result.per_query[i][system] for i in ids if i in result.per_query]
        out[system] = {k: round(v, 4) for k, v in mean_metrics(rows).items()}
    return out
