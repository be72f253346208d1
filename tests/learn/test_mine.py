"""Mining, abstraction, cost and substitution on tiny synthetic runs (no environment needed)."""

import json
import time

from skillbank.learn.mine import (
    Call,
    Slot,
    Step,
    Template,
    Trace,
    cost,
    match_at,
    mine,
    ngram_candidates,
    select_library,
    split_ids,
    substitute,
    trace_from_run,
)
from skillbank.learn.runs import Message, Run, ToolCall


def make_run(tid, turns, task_id=None, success=True):
    msgs = []
    for ti, calls in enumerate(turns):
        msgs.append(Message(role="user", content=f"turn {ti}"))
        for ci, (name, args, result) in enumerate(calls):
            cid = f"c{ti}_{ci}"
            msgs.append(Message(role="assistant", tool_calls=[ToolCall.make(cid, name, args)]))
            msgs.append(Message(role="tool", tool_call_id=cid, content=result if isinstance(result, str) else json.dumps(result)))
    return Run(trajectory_id=tid, task_id=task_id or tid, outcome={"success": success}, messages=msgs)


def stock_run(i, symbol, price, amount=100):
    return make_run(
        f"r{i}",
        [
            [("login", {"user": "u1"}, {"ok": True})],
            [
                ("get_stock_info", {"symbol": symbol}, {"price": price, "volume": 1.5}),
                ("place_order", {"symbol": symbol, "price": price, "amount": amount, "order_type": "Buy"}, {"order_id": 100 + i}),
            ],
        ],
    )


def test_trace_cuts_turns_at_user_messages():
    tr = trace_from_run(stock_run(0, "AAPL", 227.16))
    assert [len(t) for t in tr.turns] == [1, 2]
    assert tr.turns[1][0].value == {"price": 227.16, "volume": 1.5}


def test_constant_parameter_and_dataflow_binding():
    runs = [stock_run(i, s, p) for i, (s, p) in enumerate([("AAPL", 227.16), ("NVDA", 220.34), ("MSFT", 310.23), ("AAPL", 227.16)])]
    cands = mine([trace_from_run(r) for r in runs])
    t = next(c for c in cands if [s.name for s in c.steps] == ["get_stock_info", "place_order"] and len(c.occurrences) == 4)
    slots = {(j, k): s for j, st in enumerate(t.steps) for k, s in st.args}
    assert slots[(0, "symbol")].kind == "param"  # varies -> parameter
    assert slots[(1, "symbol")].kind == "shared" and slots[(1, "symbol")].name == "symbol"  # same value as an earlier slot
    assert slots[(1, "price")] == Slot("bind", step=0, path=("price",))  # taken from the first call's result
    assert slots[(1, "amount")].kind == "const" and slots[(1, "amount")].value == 100  # constant -> fixed
    assert slots[(1, "order_type")].kind == "const"
    assert t.params == ("symbol",) and t.is_skill() and t.saving == 1


def test_a_skill_needs_two_calls_and_fewer_params_than_calls():
    step = Step("f", (("x", Slot("param", name="x")),))
    g = Step("g", (("y", Slot("param", name="y")),))
    assert not Template((step,), ("x",)).is_skill()  # one call
    assert not Template((step, g), ("x", "y")).is_skill()  # as many params as calls
    assert Template((step, Step("h", ())), ("x",)).is_skill()
    # all-varying windows are never returned by the miner
    runs = [make_run(f"r{i}", [[("f", {"x": i}, "ok"), ("g", {"y": i * 7}, "ok")]]) for i in range(5)]
    assert mine([trace_from_run(r) for r in runs]) == []


def test_min_support_counts_distinct_tasks():
    runs = [make_run("a", [[("f", {}, "1"), ("g", {}, "2")], [("f", {}, "1"), ("g", {}, "2")]])]
    assert mine([trace_from_run(r) for r in runs]) == []
    runs.append(make_run("b", [[("f", {}, "1"), ("g", {}, "2")]]))
    assert len(mine([trace_from_run(r) for r in runs])) == 1


def test_cost_and_argslot_variant():
    t = Template((Step("f", (("x", Slot("param", name="x")),)), Step("g", (("y", Slot("const", value=1)),))), ("x",))
    tr = Trace("t", "t", [[Call("f", {"x": 5}), Call("g", {"y": 1}), Call("h", {"z": 0})]])
    r = cost([tr], [t])
    assert (r.cost_before, r.cost_after) == (3, 2)  # f+g -> one skill call with 1 param, h stays
    assert (r.slots_before, r.slots_after) == (6, 4)  # (1+1)+(1+1)+(1+1) -> (1+1) + (1+1)
    assert abs(r.decisions_saved - 1 / 3) < 1e-9
    assert r.saved_by["constants"] == 1 and r.saved_by["calls"] == 1
    # a skill with p free parameters costs max(1, p)
    t2 = Template((Step("f", (("x", Slot("param", name="x")),)), Step("g", (("y", Slot("param", name="y")),)), Step("h", ())), ("x", "y"))
    tr2 = Trace("t", "t", [[Call("f", {"x": 1}), Call("g", {"y": 2}), Call("h", {})]])
    assert cost([tr2], [t2]).cost_after == 2


def test_substitution_is_leftmost_greedy_in_rank_order():
    fg = Template((Step("f", ()), Step("g", ())), ())
    gh = Template((Step("g", ()), Step("h", ())), ())
    turn = [Call("f", {}), Call("g", {}), Call("h", {})]
    uses = substitute(turn, [gh, fg])
    # position 0: only fg matches, it is taken even though gh ranks first
    assert [(u.start, u.skill is not None) for u in uses] == [(0, True), (2, False)]
    uses = substitute([Call("g", {}), Call("h", {}), Call("f", {}), Call("g", {})], [gh, fg])
    assert [u.skill for u in uses] == [gh, fg]


def test_match_requires_constants_and_bindings():
    t = Template(
        (Step("a", (("k", Slot("param", name="k")),)), Step("b", (("v", Slot("bind", step=0, path=("out",))), ("m", Slot("const", value="x"))))),
        ("k",),
    )
    ok = [Call("a", {"k": 1}, '{"out": 9}'), Call("b", {"v": 9, "m": "x"})]
    assert match_at(t, ok, 0) == {"k": 1}
    assert match_at(t, [ok[0], Call("b", {"v": 8, "m": "x"})], 0) is None  # binding broken
    assert match_at(t, [ok[0], Call("b", {"v": 9, "m": "y"})], 0) is None  # constant differs


def test_split_is_a_seeded_shuffle_not_contiguous():
    ids = [f"task_{i:03d}" for i in range(100)]
    a = split_ids(ids, 0)
    assert [len(x) for x in a] == [60, 20, 20]
    assert a == split_ids(ids, 0) and a != split_ids(ids, 1)
    assert set(a[0]) | set(a[1]) | set(a[2]) == set(ids)
    assert a[2] != sorted(a[2]) or a[2] != ids[80:]  # not the last contiguous block
    assert sorted(a[0]) != ids[:60]


def test_ngram_baseline_and_library_selection():
    runs = [stock_run(i, "AAPL", 227.16) for i in range(3)] + [stock_run(i + 3, "NVDA", 220.34) for i in range(2)]
    traces = [trace_from_run(r) for r in runs]
    base = ngram_candidates(traces)
    assert base and all(s.kind == "const" for t in base for st in t.steps for _, s in st.args)
    lib = select_library(mine(traces), traces, k=1)
    assert len(lib) == 1 and lib[0].params == ("symbol",)  # the general skill covers all 5 runs
    seen = []
    assert select_library(mine(traces), traces, k=3, admit=lambda t: seen.append(t) or False) == []
    assert seen  # admission was asked and refusal keeps them out


def test_unsuccessful_runs_are_not_mined():
    from skillbank.learn.mine import traces_from_runs

    runs = [stock_run(0, "A", 1.5), make_run("bad", [[("f", {}, "x")]], success=False)]
    assert [t.id for t in traces_from_runs(runs)] == ["r0"]


def test_induction_over_1000_runs_is_fast():
    runs = []
    for i in range(1000):
        sym = ["AAPL", "NVDA", "MSFT", "GOOG"][i % 4]
        runs.append(stock_run(i, sym, 100.0 + i % 4, amount=[10, 50, 100][i % 3]))
    traces = [trace_from_run(r) for r in runs]
    t0 = time.monotonic()
    cands = mine(traces)
    select_library(cands, traces, k=20)
    assert time.monotonic() - t0 < 60
    assert cands


def test_a_constant_read_from_an_earlier_result_is_data_flow():
    from skillbank.learn.mine import anti_unify

    w = [
        Call("find_shop", {}, '{"shop": "456 Oak Ave"}'),
        Call("navigate", {"destination": "456 Oak Ave"}, '{"status": "ok"}'),
    ]
    t = anti_unify([w, list(w)])
    assert dict(t.steps[1].args)["destination"] == Slot("bind", step=0, path=("shop",))
    assert t.p == 0
    # the script reads it, so it also matches where the result (the state) differs
    other = [Call("find_shop", {}, '{"shop": "9 Elm St"}'), Call("navigate", {"destination": "9 Elm St"}, "{}")]
    assert match_at(t, other, 0) == {}
    assert dict(anti_unify([w, list(w)], prefer_flow=False).steps[1].args)["destination"].kind == "const"
    # a value not found in an earlier result stays a constant
    w2 = [Call("find_shop", {}, '{"shop": "x"}'), Call("navigate", {"destination": "456 Oak Ave"}, "{}")]
    assert dict(anti_unify([w2, list(w2)]).steps[1].args)["destination"].kind == "const"
