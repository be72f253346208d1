"""Test-task cost: a rewrite counts only when its execution matches the gold program."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from skillbank.learn import eval as learn_eval
from skillbank.learn.mine import Call, Trace, mine


def _trace(i, fuel):
    liters = fuel * 3.785
    return Trace(
        f"r{i}",
        f"task{i}",
        [[Call("gallon_to_liter", {"gallon": fuel}, f'{{"liter": {liters}}}'), Call("fill", {"amount": liters}, '{"ok": true}'), Call("done", {}, "{}")]],
    )


@pytest.fixture
def library():
    traces = [_trace(i, f) for i, f in enumerate([2.0, 5.0, 7.0])]
    t = next(t for t in mine(traces) if [s.name for s in t.steps] == ["gallon_to_liter", "fill"])
    assert t.p == 1
    return [t]


def _adapter(monkeypatch, ok: bool):
    calls = []

    def verify_rewrite(trace, rewritten, sources):
        calls.append(trace.id)
        return SimpleNamespace(ok=ok, reason="" if ok else "state differs")

    monkeypatch.setattr("skillbank.envs.get_env", lambda env: SimpleNamespace(verify_rewrite=verify_rewrite))
    return calls


def test_verified_rewrite_saves_decisions(monkeypatch, library):
    calls = _adapter(monkeypatch, ok=True)
    test = [_trace(10, 3.0), _trace(11, 4.0)]
    report, subs, ok, failures = learn_eval.test_cost("bfcl", test, library)
    assert calls == ["r10", "r11"] and subs == ok == 2 and failures == []
    # 3 calls per task -> skill (1 free value) + done = 2 decisions per task
    assert (report.cost_before, report.cost_after) == (6, 4)


def test_failed_rewrite_counts_at_its_original_cost(monkeypatch, library):
    _adapter(monkeypatch, ok=False)
    test = [_trace(10, 3.0), _trace(11, 4.0)]
    report, subs, ok, failures = learn_eval.test_cost("bfcl", test, library)
    assert subs == 2 and ok == 0
    assert [f["run"] for f in failures] == ["r10", "r11"] and failures[0]["reason"] == "state differs"
    assert (report.cost_before, report.cost_after) == (6, 6)  # nothing saved by an unverified rewrite
