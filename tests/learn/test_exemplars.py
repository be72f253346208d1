import sqlite3
from pathlib import Path

import pytest

from skillbank.errors import NotFoundError
from skillbank.learn.exemplars import ExemplarStore, utility
from skillbank.learn.importers import import_tau_bench
from skillbank.learn.runs import load_runs, parse_run

FIX = Path(__file__).parent / "fixtures_runs"
TAU = Path(__file__).parents[2].parent / "shared" / "bench" / "trajectories" / "tau-bench-airline-gpt4o" / "gpt-4o-airline.json"


def _run(i, task, tools, ok=True, task_id=None):
    msgs = [{"role": "user", "content": task}]
    for j, t in enumerate(tools):
        msgs.append({"role": "assistant", "tool_calls": [{"id": f"c{j}", "type": "function", "function": {"name": t, "arguments": "{}"}}]})
        msgs.append({"role": "tool", "tool_call_id": f"c{j}", "content": "ok"})
    return parse_run({"trajectory_id": f"r{i}", "task_id": task_id or f"t{i}", "task": task, "outcome": {"success": ok},
                      "source": {"env": "toy"}, "messages": msgs})


def test_store_in_library_db_and_add(_isolated_home):
    with ExemplarStore() as store:
        rep = store.add_runs(load_runs(FIX / "good.jsonl").runs)
        assert len(rep.added) == 2 and rep.skipped == [("fs-1", "not successful")]
        assert store.add_runs(load_runs(FIX / "good.jsonl").runs).existing == rep.added
        assert len(store) == 2
        e = store.by_trajectory("fs-0")
        assert e.tools == ["ls", "mv"] and e.n_calls == 2 and e.utility == 0.5
        assert e.run.trajectory_id == "fs-0" and "CALL mv" in e.as_text()
        with pytest.raises(ValueError, match="not successful"):
            store.add(load_runs(FIX / "good.jsonl").runs[1])
    db = _isolated_home / "library.db"
    assert db.exists()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT number FROM _migrations WHERE namespace = 'exemplars'").fetchall() == [(1,)]
    assert conn.execute("SELECT COUNT(*) FROM exemplars").fetchone() == (2,)
    conn.close()


def test_shared_connection_must_be_autocommit(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db")
    with pytest.raises(ValueError, match="autocommit"):
        ExemplarStore(conn)
    conn.close()
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    store = ExemplarStore(conn)
    assert len(store) == 0 and store.retrieve("anything") == []
    conn.close()


def test_retrieve_by_similarity_and_tools(tmp_path):
    with ExemplarStore(path=tmp_path / "lib.db") as store:
        for i, (task, tools) in enumerate(
            [
                ("Cancel my reservation for tomorrow", ["get_reservation_details", "cancel_reservation"]),
                ("Book a flight from NYC to Boston", ["search_direct_flight", "book_reservation"]),
                ("Add two checked bags to my booking", ["get_reservation_details", "update_reservation_baggages"]),
            ]
        ):
            store.add(_run(i, task, tools))
        hits = store.retrieve("I need to cancel a reservation", k=2)
        assert hits[0].exemplar.trajectory_id == "r0" and hits[0].similarity == 1.0
        assert hits[0].score == pytest.approx(0.5)
        # tool names count too
        assert store.retrieve("help me", tools=["update_reservation_baggages"])[0].exemplar.trajectory_id == "r2"
        assert store.retrieve("baggages update", k=1)[0].exemplar.trajectory_id == "r2"  # split tool names
        assert store.retrieve("zzz qqq") == []
        assert [h.exemplar.task_id for h in store.retrieve("reservation", exclude_task_ids=["t0", "t2"], k=5)] == ["t1"]
        assert [h.exemplar.trajectory_id for h in store.retrieve("flight", env="other")] == []
        # an exemplar added later is found (index rebuilt)
        store.add(_run(9, "Cancel the flight reservation now", ["cancel_reservation"]))
        assert "r9" in [h.exemplar.trajectory_id for h in store.retrieve("cancel reservation", k=5)]
        assert "Example 1" in store.prompt_block(hits)


def test_utility_changes_ranking(tmp_path):
    with ExemplarStore(path=tmp_path / "lib.db") as store:
        a = store.add(_run(1, "rename the report file", ["mv"]))
        b = store.add(_run(2, "rename the report file", ["mv"]))
        first = [h.exemplar.id for h in store.retrieve("rename report")]
        assert first == [a, b]  # tie broken by id
        for _ in range(3):
            store.record_use(a, False, task_id="t-new")
        e = store.record_use(b, True)
        assert (e.uses, e.successes) == (1, 1) and e.utility == pytest.approx(2 / 3) and e.last_used_at
        assert store.get(a).utility == pytest.approx(utility(3, 0)) == pytest.approx(0.2)
        hits = store.retrieve("rename report")
        assert [h.exemplar.id for h in hits] == [b, a]
        assert hits[0].score == pytest.approx(hits[0].similarity * 2 / 3)
        assert [u["success"] for u in store.uses(a)] == [False, False, False]
        assert store.uses(a)[0]["task_id"] == "t-new"
        with pytest.raises(NotFoundError):
            store.record_use(999, True)
        store.remove(a)
        assert [h.exemplar.id for h in store.retrieve("rename report")] == [b]
        with pytest.raises(NotFoundError):
            store.remove(a)
        assert hits[0].to_dict()["utility"] == pytest.approx(0.6667)


@pytest.mark.bench
def test_tau_bench_exemplars(tmp_path):
    if not TAU.exists():
        pytest.skip(f"{TAU} is absent")
    runs = import_tau_bench(TAU).runs
    with ExemplarStore(path=tmp_path / "lib.db") as store:
        rep = store.add_runs(runs)
        assert len(rep.added) == 84 and len(rep.skipped) == 116
        # a failed run's task: similar successful runs of the same task rank first
        failed = next(r for r in runs if not r.success and any(x.task_id == r.task_id and x.success for x in runs))
        hits = store.retrieve(failed.task, k=3)
        assert hits and hits[0].exemplar.task_id == failed.task_id
        others = store.retrieve(failed.task, k=3, exclude_task_ids=[failed.task_id])
        assert all(h.exemplar.task_id != failed.task_id for h in others)


def test_concurrent_record_use(tmp_path):
    import threading

    with ExemplarStore(path=tmp_path / "lib.db") as store:
        a = store.add(_run(1, "rename the report file", ["mv"]))

        def work(i):
            for j in range(5):
                store.record_use(a, (i + j) % 2 == 0)
                store.retrieve("rename")

        ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        e = store.get(a)
        assert e.uses == 20 and e.successes == 10 and len(store.uses(a)) == 20
