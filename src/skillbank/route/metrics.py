"""Routing metrics, as defined in the shared routing benchmark's README.

Gold is given as groups: one group per needed skill, each listing acceptable ids.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def groups_of(query: dict) -> list[set[str]]:
    groups = query.get("gold_groups")
    if groups:
        return [set(g) for g in groups]
    return [{g} for g in query.get("gold", [])]


def score_ranking(ranking: Sequence[str], groups: list[set[str]]) -> dict[str, float]:
    """Per-query metrics for one ranking (best first)."""
    if not groups:
        return {}
    first_hit: list[int | None] = []
    for g in groups:
        pos = next((i for i, d in enumerate(ranking) if d in g), None)
        first_hit.append(pos)
    hits = [p for p in first_hit if p is not None]
    top1 = 1.0 if ranking and any(ranking[0] in g for g in groups) else 0.0
    r5 = sum(1 for p in hits if p < 5) / len(groups)
    r10 = sum(1 for p in hits if p < 10) / len(groups)
    full10 = 1.0 if len(hits) == len(groups) and all(p < 10 for p in hits) else 0.0
    mrr = 1.0 / (min(hits) + 1) if hits else 0.0
    dcg = sum(1.0 / math.log2(p + 2) for p in hits if p < 10)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(groups), 10)))
    return {
        "top1": top1,
        "recall@5": r5,
        "recall@10": r10,
        "full@10": full10,
        "mrr": mrr,
        "ndcg@10": dcg / ideal if ideal else 0.0,
    }


METRIC_KEYS = ("top1", "recall@5", "recall@10", "full@10", "mrr", "ndcg@10")


def mean_metrics(per_query: list[dict[str, float]]) -> dict[str, float]:
    rows = [r for r in per_query if r]
    if not rows:
        return {k: 0.0 for k in METRIC_KEYS}
    return {k: sum(r[k] for r in rows) / len(rows) for k in METRIC_KEYS}


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    xs = sorted(values)
    idx = (len(xs) - 1) * p / 100.0
    lo, hi = math.floor(idx), math.ceil(idx)
    return xs[lo] + (xs[hi] - xs[lo]) * (idx - lo)
