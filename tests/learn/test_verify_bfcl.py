"""Verification by execution on BFCL multi-turn: a known-good macro passes, a broken one is rejected."""

import pytest

bfcl = pytest.importorskip("skillbank.envs.bfcl")
if not bfcl.available():
    pytest.skip("bfcl_eval not installed", allow_module_level=True)

from skillbank.learn.emit import script_source  # noqa: E402
from skillbank.learn.mine import Slot, Step, Template, find_matches  # noqa: E402
from skillbank.learn.verify import verify_template  # noqa: E402


@pytest.fixture(scope="module")
def traces():
    return bfcl.gold_traces("multi_turn_base")


TIRES = Template((Step("check_tire_pressure", ()), Step("find_nearest_tire_shop", ())), ())


def _cases(traces, t, n=4):
    return [bfcl.Case(tr, ti, i, p) for tr, ti, i, p in find_matches(t, traces)[:n]]


def test_known_good_macro_passes(traces):
    cases = _cases(traces, TIRES)
    assert cases
    res = bfcl.verify_cases(TIRES, script_source(TIRES, "tires"), cases)
    assert all(r.ok for r in res), [r.reason for r in res]


def test_wrong_return_value_with_right_end_state_is_rejected(traces):
    # read-only calls: the end state is the same, only the return values differ
    broken = script_source(TIRES, "tires").replace("call('find_nearest_tire_shop'", "call('check_tire_pressure'")
    cases = _cases(traces, TIRES)
    res = bfcl.verify_cases(TIRES, broken, cases)
    assert res and not any(r.ok for r in res)
    assert all("return value" in r.reason for r in res)


def test_wrong_end_state_is_rejected(traces):
    t = Template(
        (
            Step("lockDoors", (("door", Slot("const", value=["driver", "passenger", "rear_left", "rear_right"])), ("unlock", Slot("const", value=False)))),
            Step("pressBrakePedal", (("pedalPosition", Slot("const", value=1.0)),)),
            Step("startEngine", (("ignitionMode", Slot("const", value="START")),)),
        ),
        (),
    )
    cases = _cases(traces, t)
    assert all(r.ok for r in bfcl.verify_cases(t, script_source(t, "start"), cases))
    broken = script_source(t, "start").replace("'door': ['driver', 'passenger', 'rear_left', 'rear_right']", "'door': ['driver']")
    res = bfcl.verify_cases(t, broken, cases)
    assert not any(r.ok for r in res)


def test_admission_needs_validation_spans_not_mined_from(traces):
    by = {t.id: t for t in traces}
    occ = find_matches(TIRES, traces)
    from skillbank.learn.mine import Occurrence

    t = Template(TIRES.steps, (), occurrences=[Occurrence(tr.id, ti, i) for tr, ti, i, _ in occ[:3]])
    mined_ids = {o.trace for o in t.occurrences}
    val = [tr for tr in traces if tr.id not in mined_ids]
    rec = verify_template(t, "bfcl", by, val)
    assert rec.admitted and rec.validation_cases >= 1 and rec.source_cases == 3
    assert rec.to_json()["env_version"].startswith("bfcl-eval==")
    rec2 = verify_template(t, "bfcl", by, [], held_out=False)
    assert not rec2.admitted and "validation" in rec2.reason


def test_rewritten_task_is_checked_turn_by_turn(traces):
    from skillbank.learn.mine import substitute

    tr = next(tr for tr in traces if find_matches(TIRES, [tr]))
    rewritten = [substitute(turn, [TIRES]) for turn in tr.turns]
    ok = bfcl.verify_rewrite(tr, rewritten, {TIRES.id: script_source(TIRES, "t")})
    assert ok.ok and ok.substitutions >= 1 and ok.turns_checked == len(tr.turns)
    bad_src = script_source(TIRES, "t").replace("call('find_nearest_tire_shop'", "call('check_tire_pressure'")
    bad = bfcl.verify_rewrite(tr, rewritten, {TIRES.id: bad_src})
    assert not bad.ok


def test_admission_from_held_out_mining_tasks(traces):
    from skillbank.learn.mine import Occurrence

    occ = find_matches(TIRES, traces)
    tasks = sorted({tr.task_id for tr, *_ in occ})
    assert len(tasks) >= 3
    t = Template(TIRES.steps, (), occurrences=[Occurrence(tr.id, ti, i) for tr, ti, i, _ in occ])
    by = {tr.id: tr for tr, *_ in occ}
    assert not verify_template(t, "bfcl", by, [], held_out=False).admitted
    rec = verify_template(t, "bfcl", by, [])
    assert rec.admitted and rec.held_out and "held out" in rec.reason, rec.reason
    assert rec.validation_cases >= 1 and rec.validation_passed == rec.validation_cases
    # what it is now recorded as mined from excludes the held-out tasks
    assert not {by[o.trace].task_id for o in t.occurrences} & set(rec.held_out)
    assert rec.to_json()["held_out"] == rec.held_out
