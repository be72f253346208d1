"""BFCL structured `at_path` skills: one path parameter, a cd per directory, verified by execution."""

import pytest

bfcl = pytest.importorskip("skillbank.envs.bfcl")
if not bfcl.available():
    pytest.skip("bfcl_eval not installed", allow_module_level=True)

from skillbank.learn.emit import script_source  # noqa: E402
from skillbank.learn.mine import Call, match_span  # noqa: E402
from skillbank.learn.verify import verify_template  # noqa: E402


@pytest.fixture(scope="module")
def traces():
    return bfcl.gold_traces("multi_turn_base")


def test_at_path_matches_any_number_of_cd_calls(traces):
    cands = bfcl.extra_candidates(traces[:120])
    touch = next(t for t in cands if t.policy.startswith("bfcl.at_path_touch_"))
    assert touch.params == ("path",) and touch.is_skill()
    turn = [Call("cd", {"folder": ".."}), Call("cd", {"folder": "shared"}), Call("touch", {"file_name": "r.txt"}), Call("echo", {"content": "9", "file_name": "r.txt"})]
    assert match_span(touch, turn, 0) == (3, {"path": "../shared/r.txt"})
    assert match_span(touch, turn, 2) is None  # no cd: nothing to bundle
    made = []
    ns: dict = {}
    exec(script_source(touch, "touch-at"), ns)
    ns["run"](lambda tool, **args: made.append((tool, args)), path="../shared/r.txt")
    assert made == [("cd", {"folder": ".."}), ("cd", {"folder": "shared"}), ("touch", {"file_name": "r.txt"})]


def test_at_path_is_admitted_only_after_replay_and_validation(traces):
    train, val = traces[:120], traces[120:160]
    cands = {t.policy.split("_")[2]: t for t in bfcl.extra_candidates(train) if t.policy.startswith("bfcl.at_path_")}
    rec = verify_template(cands["touch"], "bfcl", {t.id: t for t in train}, val)
    assert rec.source_cases >= 2 and rec.source_passed == rec.source_cases
    assert rec.admitted == (rec.validation_cases >= 1), rec.reason


def test_at_path_folder_replays_its_occurrences(traces, tmp_path):
    import subprocess
    import sys

    from skillbank.learn.emit import occurrence_examples, skill_files

    t = next(t for t in bfcl.extra_candidates(traces[:120]) if t.policy.startswith("bfcl.at_path_touch_"))
    files = skill_files(t, "at-path-touch", env="bfcl", examples=occurrence_examples(t, {x.id: x for x in traces}))
    assert "tests/test_replay.py" in files and b"one `cd` per directory" in files["SKILL.md"]
    for k, v in files.items():
        (tmp_path / k).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / k).write_bytes(v)
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-500:]


def _fs_trace(i, tool, fname, **extra):
    from skillbank.learn.mine import Trace

    return Trace(f"t{i}", f"task{i}", [[Call("cd", {"folder": "docs"}, "{}"), Call(tool, {"file_name": fname, **extra}, "{}")]])


def test_at_path_tail_from_one_task_needs_the_family_in_two():
    one = [_fs_trace(0, "cat", "a.txt")]
    assert bfcl.extra_candidates(one) == []  # the cd-then-file-call structure seen in one task only
    two = one + [_fs_trace(1, "tail", "b.txt", lines=1)]
    got = {t.policy.split("_")[2] for t in bfcl.extra_candidates(two)}
    assert got == {"cat", "tail"}
    assert bfcl.extra_candidates(two, min_support=2) == []  # as the test-oracle ceiling mines


def test_at_path_from_two_tasks_is_admitted_on_the_held_out_one(traces):
    from skillbank.learn.verify import hold_out

    with_touch = [tr for tr in traces if any(t.policy.startswith("bfcl.at_path_touch_") for t in bfcl.extra_candidates([tr, traces[0]]))]
    touch_tasks = [tr for tr in with_touch if any(c.name == "touch" for turn in tr.turns for c in turn)]
    # two tasks with `cd ...; touch`, and one with another cd-then-file call (the family's support)
    other = _fs_trace(9, "cat", "x.txt")
    pool = {tr.id: tr for tr in [*touch_tasks[:2], other]}
    t = next(t for t in bfcl.extra_candidates(list(pool.values())) if t.policy.startswith("bfcl.at_path_touch_"))
    assert len({o.trace for o in t.occurrences}) == 2
    kept, aside = hold_out(t, pool, "bfcl")
    assert len(aside) == 1 and {o.trace for o in kept.occurrences}.isdisjoint({a.id for a in aside})
    rec = verify_template(t, "bfcl", pool, [])
    assert rec.admitted and rec.held_out == [aside[0].task_id], rec.reason
    assert not verify_template(t, "bfcl", pool, [], held_out=False).admitted
