"""Partial specialisation, rank order by saving per use, path components counted one by one
(tiny synthetic traces, no environment needed)."""

from skillbank.learn.mine import (
    Call,
    Slot,
    Step,
    Template,
    Trace,
    cost,
    mine,
    select_library,
    substitute,
)


def _zip_turn(a, b):
    za, zb = f"z{a}", f"z{b}"
    return [
        Call("zip", {"city": a}, f'{{"zipcode": "{za}"}}'),
        Call("zip", {"city": b}, f'{{"zipcode": "{zb}"}}'),
        Call("dist", {"a": za, "b": zb}, '{"km": 10.0}'),
    ]


def _traces(pairs):
    return [Trace(f"r{i}", f"t{i}", [_zip_turn(a, b)]) for i, (a, b) in enumerate(pairs)]


def _sig(t):
    return [(st.name, {k: (s.kind, s.value if s.kind == "const" else s.name) for k, s in st.args}) for st in t.steps]


# the first city is "home" in 4 tasks, and with it the second is always "north"; elsewhere both vary
PAIRS = [("home", "north")] * 4 + [("east", "west"), ("south", "east"), ("west", "south")]


def _three_call(cands):
    return [t for t in cands if [s.name for s in t.steps] == ["zip", "zip", "dist"]]


def test_partial_specialisation_keeps_a_varying_slot_free():
    traces = _traces(PAIRS)
    three = _three_call(mine(traces))
    # the parent (both cities free) and the least general sub-group template (both fixed) as before
    assert any(t.p == 2 for t in three)
    assert any(t.p == 0 and dict(t.steps[1].args)["city"].value == "north" for t in three)
    # new: only the frequent value fixed; the second city varies over the parent's windows, so
    # it stays a parameter although the "home" windows happen to agree on it
    part = [t for t in three if t.p == 1 and dict(t.steps[0].args)["city"].kind == "const"]
    assert len(part) == 1
    t = part[0]
    assert dict(t.steps[0].args)["city"].value == "home" and dict(t.steps[1].args)["city"].kind == "param"
    assert [s.kind for _, s in t.steps[2].args] == ["bind", "bind"]  # data flow kept from the parent
    assert len({o.trace for o in t.occurrences}) == 4
    # it matches a new pair from home the fixed sub-group template does not
    new = _zip_turn("home", "lake")
    assert [u.skill for u in substitute(new, [t])][0] is t
    assert all(u.skill is None for u in substitute(new, [x for x in three if x.p == 0]))
    assert _sig(t) not in [_sig(x) for x in _three_call(mine(traces, partial=False))]


def test_partial_specialisation_fixes_shared_uses_of_the_parameter_too():
    def turn(sym, amount):
        return [Call("info", {"symbol": sym}, '{"price": 5.5}'), Call("order", {"symbol": sym, "amount": amount, "price": 5.5}, "{}")]

    traces = [Trace(f"r{i}", f"t{i}", [turn(s, a)]) for i, (s, a) in enumerate([("A", 1), ("A", 2), ("A", 3), ("B", 4), ("C", 5)])]
    cands = [t for t in mine(traces) if len(t.steps) == 2 and t.p == 1]
    fixed_symbol = [t for t in cands if dict(t.steps[0].args)["symbol"].kind == "const"]
    assert fixed_symbol
    t = fixed_symbol[0]
    assert dict(t.steps[1].args)["symbol"].kind == "const" and dict(t.steps[1].args)["symbol"].value == "A"
    assert t.params == ("amount",)


def _skill(names, p):
    steps = tuple(Step(n, ((f"x{i}", Slot("param", name=f"x{i}")),) if i < p else ()) for i, n in enumerate(names))
    return Template(steps, tuple(f"x{i}" for i in range(p)))


def test_rank_order_puts_the_skill_saving_more_per_use_first():
    # "a b c d" occurs in 4 tasks; "a b" alone (p=0) in 10 more, so "a b" is picked first.
    # Appended after it, "a b c d" (saves 3 per use) would never be reached at position 0.
    ab = Template((Step("a", ()), Step("b", ())), ())
    abcd = Template((Step("a", ()), Step("b", ()), Step("c", ()), Step("d", ())), ())
    long = [Trace(f"l{i}", f"l{i}", [[Call("a", {}), Call("b", {}), Call("c", {}), Call("d", {})]]) for i in range(4)]
    short = [Trace(f"s{i}", f"s{i}", [[Call("a", {}), Call("b", {})]]) for i in range(10)]
    traces = long + short
    appended = select_library([ab, abcd], traces, k=2, order="append")
    assert appended == [ab]  # abcd's marginal saving behind ab is 0: shadowed, never taken
    ranked = select_library([ab, abcd], traces, k=2)
    assert ranked == [abcd, ab]
    assert cost(traces, ranked).cost_after == 4 * 1 + 10 * 1
    assert cost(traces, appended).cost_after == 4 * 3 + 10 * 1


def test_rank_order_ties_keep_pick_order():
    ab = Template((Step("a", ()), Step("b", ())), ())
    cd = Template((Step("c", ()), Step("d", ())), ())
    traces = [Trace(f"t{i}", f"t{i}", [[Call("a", {}), Call("b", {})]]) for i in range(3)] + [Trace("u", "u", [[Call("c", {}), Call("d", {})]])]
    assert select_library([cd, ab], traces, k=2) == [ab, cd]  # equal saving per use: the bigger gain first


def test_path_parameter_counts_one_value_per_component_when_asked():
    t = Template(
        (Step("cd", (("folder", Slot("part", value=0, name="path")),)), Step("cd", (("folder", Slot("part", value=1, name="path")),)),
         Step("touch", (("file_name", Slot("part", value=2, name="path")),))),
        ("path",),
        {"path": "string"},
    )
    assert t.path_params() == ("path",)
    turn = [Call("cd", {"folder": "a"}), Call("cd", {"folder": "b"}), Call("touch", {"file_name": "f"})]
    tr = Trace("t", "t", [turn])
    assert cost([tr], [t]).cost_after == 1  # one JSON string "a/b/f"
    assert cost([tr], [t], path_components=True).cost_after == 3  # a, b and f: saves nothing
    assert t.decisions({"path": "a/b/f"}, path_components=True) == 3 and t.decisions({"path": "a/b/f"}) == 1
    # other parameters still count one each
    t2 = Template((Step("f", (("x", Slot("param", name="x")),)), Step("g", ())), ("x",))
    assert t2.path_params() == () and t2.decisions({"x": "a/b"}, path_components=True) == 1


def test_rescore_counts_failed_rewrites_at_their_original_cost_and_paths_per_component():
    from skillbank.learn.eval import rescore

    t = Template(
        (Step("cd", (("folder", Slot("part", value=0, name="path")),)), Step("touch", (("file_name", Slot("part", value=1, name="path")),))),
        ("path",),
        {"path": "string"},
    )
    trs = [Trace(f"r{i}", f"t{i}", [[Call("cd", {"folder": "d"}), Call("touch", {"file_name": f"f{i}"})]]) for i in range(3)]
    assert rescore(trs, [t], set()).cost_after == 3
    assert rescore(trs, [t], {"r0"}).cost_after == 2 + 1 + 1  # r0's rewrite failed: its 2 calls
    assert rescore(trs, [t], set(), path_components=True).cost_after == 6  # d and f each: no saving
