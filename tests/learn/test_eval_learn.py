"""A small `eval learn` run on BFCL multi-turn base (the Makefile installs bfcl-eval)."""

import pytest

bfcl = pytest.importorskip("skillbank.envs.bfcl")
if not bfcl.available():
    pytest.skip("bfcl_eval not installed", allow_module_level=True)

from skillbank.learn.eval import eval_learn  # noqa: E402

KEYS = {
    "seeds", "tasks_test", "tasks_with_skill", "cost_before", "cost_after", "decisions_saved", "decisions_saved_min",
    "decisions_saved_max", "argslot_saved", "baseline_decisions_saved", "substitutions", "substitutions_verified",
    "candidates", "admitted", "library_size",
}


@pytest.mark.slow
def test_eval_learn_bfcl_small():
    res = eval_learn("bfcl", seeds=(0, 1), limit=120)
    assert KEYS <= set(res)
    assert res["tasks_test"] == 2 * 24
    assert res["library_size"] <= 20
    assert res["substitutions_verified"] == res["substitutions"] > 0
    assert 0 < res["decisions_saved"] < 1 and res["decisions_saved_min"] <= res["decisions_saved"] <= res["decisions_saved_max"]
    assert res["cost_after"] < res["cost_before"]
    for seed in res["per_seed"]:
        # every admitted skill obeys the rules: >= 2 calls, fewer free parameters than calls
        assert all(s["calls"] >= 2 and s["params"] < s["calls"] for s in seed["library"])
        assert seed["admitted"] >= seed["library_size"]


@pytest.mark.slow
def test_eval_learn_textworld_small():
    import shutil

    twx = pytest.importorskip("skillbank.envs.twx")
    if not twx.available() or shutil.which("java") is None:
        pytest.skip("textworld-express or Java not installed")
    res = eval_learn("textworld-express", seeds=(0,), limit=48, k=5)
    assert KEYS <= set(res)
    seed = res["per_seed"][0]
    assert seed["success_after"] == seed["success_gold"] - seed["episodes_changed"]
    assert res["library_size"] <= 5 and res["substitutions_verified"] <= res["substitutions"]
    assert res["cost_after"] <= res["cost_before"]
