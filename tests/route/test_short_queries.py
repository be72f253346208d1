"""Short, paraphrased tasks that name no tool, over the example library (synthetic set)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillbank.route.evaluate import evaluate
from skillbank.route.index import RouteIndex
from skillbank.skill import load

HERE = Path(__file__).parent
EXAMPLES = HERE.parents[1] / "examples" / "skills"


def _example_docs():
    docs = []
    for folder in sorted(p for p in EXAMPLES.iterdir() if (p / "SKILL.md").exists()):
        skill = load(folder, "lenient")
        docs.append((skill.name, skill.name, skill.description, skill.body))
    return docs


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/skills not present")
def test_short_paraphrased_queries_route_well(conn, monkeypatch):
    monkeypatch.delenv("SKILLBANK_SUMMARY_EMBEDDER", raising=False)
    docs = _example_docs()
    assert len(docs) >= 20
    index = RouteIndex(conn)  # the default embedder
    index.sync(docs)
    queries = [json.loads(line) for line in (HERE / "short_queries.jsonl").read_text().splitlines()]
    result = evaluate(index, queries)
    router, bm25 = result.systems["router"], result.systems["bm25"]
    # measured: router top1 0.83, recall@5 0.98 on this set; keep a margin for noise
    assert router["top1"] >= 0.7
    assert router["recall@5"] >= 0.85
    assert router["top1"] >= bm25["top1"]
    assert router["p50_ms"] < 200
