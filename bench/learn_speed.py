"""Induction speed: mine + rank program skills over 1,000 runs (no LLM), then verify on BFCL.

    .venv/bin/python bench/learn_speed.py [--json]

Runs: the BFCL v4 multi-turn ground truth of four categories (800 runs, executed for real
results) plus 200 TextWorldExpress gold episodes when Java and textworld-express are present
(else 200 more BFCL runs with fresh ids). Reports the time of each stage on this machine.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    from skillbank.learn.importers import import_bfcl
    from skillbank.learn.mine import mine, select_library, trace_from_run, traces_from_runs

    t0 = time.monotonic()
    runs = list(import_bfcl(("multi_turn_base", "multi_turn_miss_func", "multi_turn_miss_param", "multi_turn_long_context")).runs)
    bfcl_runs = len(runs)
    extra_traces = []
    try:
        from skillbank.envs import twx

        if twx.available():
            for name in twx.GAMES:
                for s in twx._fold_seeds(name, "train")[:50]:
                    extra_traces.append(twx.gold_trace(name, "train", s))
    except Exception:  # noqa: BLE001 - the TWX part is optional here
        extra_traces = []
    if not extra_traces:
        runs += [r.model_copy(update={"trajectory_id": r.trajectory_id + "-copy", "task_id": f"{r.task_id}-copy"}) for r in runs[: 1000 - len(runs)]]
    load_s = time.monotonic() - t0

    t1 = time.monotonic()
    traces = traces_from_runs(runs) + extra_traces
    bfcl_traces = [t for t in traces if t.meta.get("env") != "textworld-express"]
    twx_traces = [t for t in traces if t.meta.get("env") == "textworld-express"]
    cands = mine(bfcl_traces)
    cands_twx = mine(twx_traces) if twx_traces else []
    if twx_traces:
        cands_twx = twx.extra_candidates(twx_traces) + cands_twx
    lib = select_library(cands, bfcl_traces, k=20)
    lib_twx = select_library(cands_twx, twx_traces, k=20) if twx_traces else []
    induce_s = time.monotonic() - t1
    del trace_from_run
    out = {
        "runs": len(traces),
        "bfcl_runs": bfcl_runs if not twx_traces else len(bfcl_traces),
        "twx_episodes": len(twx_traces),
        "calls": sum(t.n_calls for t in traces),
        "candidates": len(cands) + len(cands_twx),
        "library": len(lib) + len(lib_twx),
        "seconds_load_and_execute_gold": round(load_s, 2),
        "seconds_induction_mine_and_rank": round(induce_s, 2),
        "under_a_minute": induce_s < 60,
    }
    if "--json" in sys.argv:
        print(json.dumps(out, indent=2))
    else:
        for k, v in out.items():
            print(f"{k:36} {v}")


if __name__ == "__main__":
    main()
