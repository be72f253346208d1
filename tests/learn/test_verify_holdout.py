"""Held-out mining tasks as validation evidence: the candidate mined without them must be identical."""

from skillbank.learn.mine import Call, Occurrence, Trace, anti_unify, mine
from skillbank.learn.verify import hold_out


def _trace(i, fuel, liters=None):
    liters = liters if liters is not None else fuel * 3.785
    return Trace(
        f"r{i}",
        f"task{i}",
        [[Call("gallon_to_liter", {"gallon": fuel}, f'{{"liter": {liters}}}'), Call("fill", {"amount": liters}, '{"ok": true}')]],
    )


def _candidate(traces):
    return next(t for t in mine(traces) if [s.name for s in t.steps] == ["gallon_to_liter", "fill"] and len(t.occurrences) == len(traces))


def test_holds_out_tasks_whose_removal_leaves_the_same_candidate():
    traces = [_trace(i, f) for i, f in enumerate([2.0, 5.0, 7.0, 9.0, 11.0, 13.0])]
    t = _candidate(traces)
    assert t.p == 1 and dict(t.steps[1].args)["amount"].kind == "bind"
    kept, aside = hold_out(t, {x.id: x for x in traces})
    assert [a.task_id for a in aside] == ["task0", "task1"]  # a third of the 6 tasks, in id order
    assert {o.trace for o in kept.occurrences} == {"r2", "r3", "r4", "r5"}
    assert kept.signature() == t.signature() and len(t.occurrences) == 6  # the original is not changed


def test_no_hold_out_with_fewer_than_three_tasks_or_when_the_candidate_would_change():
    two = [_trace(0, 2.0), _trace(1, 5.0)]
    assert hold_out(_candidate(two), {x.id: x for x in two}) is None
    # three tasks, two of them with the same value: without the odd one out the value would be
    # a constant (another candidate), so only a task whose removal keeps it a parameter can go
    three = [_trace(0, 2.0), _trace(1, 2.0), _trace(2, 5.0)]
    t = _candidate(three)
    assert dict(t.steps[0].args)["gallon"].kind == "param"
    res = hold_out(t, {x.id: x for x in three})
    assert res is not None
    kept, aside = res
    assert [a.task_id for a in aside] == ["task0"]
    assert anti_unify([x.turns[0] for x in three if x.task_id != "task0"]).signature() == t.signature()
    assert {o.trace for o in kept.occurrences} == {"r1", "r2"}
    same = [_trace(0, 2.0), _trace(1, 2.0), _trace(2, 2.0)]
    t_param = anti_unify([x.turns[0] for x in three])
    t_param.occurrences = [Occurrence(x.id, 0, 0) for x in same]
    assert hold_out(t_param, {x.id: x for x in same}) is None  # mined from these it would be all-constant


def test_most_general_candidate_from_one_task():
    from skillbank.learn.mine import mine_general

    one = [_trace(0, 2.0)]
    assert not [t for t in mine(one) if len(t.steps) == 2]  # the usual miner needs 2 tasks
    t = next(t for t in mine_general(one) if [s.name for s in t.steps] == ["gallon_to_liter", "fill"])
    assert t.kind == "generalised" and t.params == ("gallon",)  # the same-everywhere value is still a parameter
    assert dict(t.steps[1].args)["amount"].kind == "bind"
    # only data flow and shared values keep free values out of the parameters
    consts = [Trace("c", "c", [[Call("lock", {"door": ["a", "b"], "unlock": False}, "{}"), Call("brake", {"position": 1.0}, "{}")]])]
    assert mine_general(consts) == []  # 3 free values for 2 calls: not a skill
    # flags that merely happen to be equal are not one shared value
    flags = [Trace("f", "f", [[Call("a", {"x": False}, "{}"), Call("b", {"y": False}, "{}")]])]
    assert mine_general(flags) == []
    # already mined signatures are left out; two tasks hold one out, re-mined from the other
    two = [_trace(0, 2.0), _trace(1, 5.0)]
    g = next(t for t in mine_general(two) if [s.name for s in t.steps] == ["gallon_to_liter", "fill"])
    assert mine_general(two, exclude=[g.signature()]) == [x for x in mine_general(two) if x.signature() != g.signature()]
    kept, aside = hold_out(g, {x.id: x for x in two})
    assert [a.task_id for a in aside] == ["task0"] and {o.trace for o in kept.occurrences} == {"r1"}


def test_mining_restricted_to_one_shape():
    traces = [
        Trace(f"s{i}", f"s{i}", [[Call("a", {"x": i}, "{}"), Call("b", {"y": 1}, "{}"), Call("c", {}, "{}")]]) for i in range(3)
    ]
    full = mine(traces)
    ab = next(t for t in full if [s.name for s in t.steps] == ["a", "b"])
    assert ab.shape() == tuple(c.key() for c in traces[0].turns[0][:2])
    only = mine(traces, shapes=[ab.shape()])
    assert only and all(t.shape() == ab.shape() for t in only)
    assert {t.signature() for t in only} == {t.signature() for t in full if t.shape() == ab.shape()}


def test_held_out_candidate_takes_its_parameter_types_from_the_re_derivation():
    # the first task (held out, in id order) has an integer amount, the rest fractional ones:
    # mined from all tasks the type comes from the first window ("integer"); the candidate
    # admitted as mined from the remaining tasks must say what those say ("number")
    traces = [_trace(0, 2)] + [_trace(i, f) for i, f in enumerate([5.5, 7.5, 9.5, 11.5, 13.5], start=1)]
    t = _candidate(traces)
    assert t.param_types["gallon"] == "integer"
    kept, aside = hold_out(t, {x.id: x for x in traces})
    assert "task0" in [a.task_id for a in aside]
    assert kept.param_types["gallon"] == "number"
    assert t.param_types["gallon"] == "integer"  # the original is not changed
