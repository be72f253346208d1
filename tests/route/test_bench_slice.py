"""The router on a slice of the shared routing benchmark (real skills, expert queries).

Slice: every gold skill of every other query plus a fixed random sample of the other
skills, 1,000 in all, so the test stays fast; skipped only when ../shared is absent.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from skillbank.route.evaluate import evaluate
from skillbank.route.index import RouteIndex

BENCH = Path(__file__).parents[2].parent / "shared" / "bench" / "routing"
SIZE = 1000


@pytest.mark.bench
@pytest.mark.skipif(not (BENCH / "skills.jsonl").exists(), reason="shared routing benchmark absent")
def test_router_beats_single_signals_on_a_benchmark_slice(tmp_path):
    queries = [json.loads(line) for line in (BENCH / "queries.jsonl").read_text().splitlines() if line.strip()]
    queries = queries[::2]
    gold = {g for q in queries for g in q["gold"]}
    docs, others = [], []
    with open(BENCH / "skills.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            row = (d["id"], d["name"], d["description"], d["body"])
            (docs if d["id"] in gold else others).append(row)
    random.Random(7).shuffle(others)
    docs += others[: SIZE - len(docs)]
    conn = sqlite3.connect(str(tmp_path / "bench.db"), isolation_level=None)
    index = RouteIndex(conn)
    index.sync(docs)
    result = evaluate(index, queries)
    router, bm25, dense = (result.systems[s] for s in ("router", "bm25", "dense"))
    print(json.dumps(result.to_json(), indent=1))
    assert result.documents == SIZE
    assert router["top1"] >= max(bm25["top1"], dense["top1"])
    assert router["recall@10"] > max(bm25["recall@10"], dense["recall@10"])
    assert router["top1"] >= 0.75 and router["recall@10"] >= 0.75
    assert router["p50_ms"] < 100
    conn.close()
