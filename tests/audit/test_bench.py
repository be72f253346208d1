"""The auditor against the shared labelled corpus (764 skills): the issue's targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillbank.audit.evaluate import evaluate

CORPUS = Path(__file__).parents[2].parent / "shared" / "bench" / "security"


@pytest.mark.bench
@pytest.mark.skipif(not (CORPUS / "labels.jsonl").is_file(), reason=f"labelled corpus not found at {CORPUS}")
def test_targets_on_the_shared_corpus() -> None:
    res = evaluate(CORPUS / "labels.jsonl", CORPUS, threshold="medium")
    assert res["skills"] == 764
    assert res["f1"] >= 0.95, res
    assert res["fpr"] <= 0.03, res
    for cat, v in res["per_top_category_recall"].items():
        assert v["recall"] >= 0.9, (cat, v)
    # throughput in one process; CPU time so that other jobs on the machine do not skew it
    assert res["skills_per_cpu_second"] >= 200, res
