import json
from pathlib import Path

import pytest

from skillbank.learn.importers import (
    atif_to_run,
    detect_format,
    export_atif,
    import_atif,
    import_bfcl,
    import_runs,
    import_tau_bench,
    parse_call_string,
    run_to_atif,
)
from skillbank.learn.runs import dump_runs, load_runs, parse_run

FIX = Path(__file__).parent / "fixtures_runs"
BENCH = Path(__file__).parents[2].parent / "shared" / "bench" / "trajectories"
TAU = BENCH / "tau-bench-airline-gpt4o" / "gpt-4o-airline.json"


def _rich_run():
    """A run using the less common message features, to test lossless round trips."""
    return parse_run(
        {
            "trajectory_id": "rich-1",
            "task_id": "t9",
            "task": "Rename a.txt",
            "outcome": {"success": False, "reward": 0.25, "checker": "judge"},
            "source": {"env": "toy", "agent": "a", "model": "m", "split": "test"},
            "metadata": {"k": [1, 2]},
            "messages": [
                {"role": "developer", "content": "dev rules"},
                {"role": "user", "content": [{"type": "text", "text": "Rename"}, {"type": "text", "text": "a.txt"}]},
                {"role": "assistant", "content": "ok", "reasoning_content": "think",
                 "tool_calls": [{"id": "x", "type": "function", "function": {"name": "mv", "arguments": "{\"a\":1}"}},
                                {"id": "y", "type": "function", "function": {"name": "ls", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "y", "name": "ls", "content": "b.txt"},
                {"role": "tool", "tool_call_id": "x", "content": "done"},
                {"role": "assistant", "content": None, "refusal": None},
            ],
        }
    )


def test_atif_roundtrip_lossless(tmp_path):
    runs = load_runs(FIX / "good.jsonl").runs + [_rich_run()]
    for r in runs:
        traj = run_to_atif(r)
        assert traj.extra["reward"] == r.outcome.reward  # reward lives in extra
        assert atif_to_run(traj.to_json_dict()).model_dump() == r.model_dump()
    # through files: a folder of .json and a .jsonl
    files = export_atif(runs, tmp_path / "atif")
    assert len(files) == 4 and detect_format(tmp_path / "atif") == "atif"
    back = import_runs(tmp_path / "atif")
    assert back.ok and {r.trajectory_id: r.model_dump() for r in back.runs} == {r.trajectory_id: r.model_dump() for r in runs}
    export_atif(runs, tmp_path / "all.jsonl")
    back2 = import_runs(tmp_path / "all.jsonl")
    assert back2.ok and [r.model_dump() for r in back2.runs] == [r.model_dump() for r in runs]


def test_atif_native_file():
    rep = import_runs(FIX / "atif_native.json")
    assert rep.ok, rep.problems
    (r,) = rep.runs
    assert r.trajectory_id == "sess-42" and r.task_id == "count-lines"
    assert r.outcome.success is True and r.outcome.reward == 1.0
    assert r.source.agent == "terminus" and r.source.model == "qwen3-8b" and r.source.split == "train"
    calls = r.tool_calls()
    assert [(c.name, c.arguments["command"], c.result) for c in calls] == [
        ("act", "wc -l data.csv", "12 data.csv"),
        ("act", "head -1 data.csv", ""),  # ATIF allows a call without observation
    ]
    assert r.metadata["atif_calls_without_observation"] == 1
    assert r.messages[-1].role == "user" and r.messages[-1].text == "episode ended"
    assert r.messages[2].model_extra["reasoning_content"] == "wc -l is enough"


def test_atif_bad_documents(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"schema_version": "ATIF-v1.8", "session_id": "s1", "agent": {"name": "x", "version": "1"}, "steps": []})
        + "\n{\"schema_version\": \"ATIF-v1.8\", \"steps\": [\n"
        + json.dumps({"schema_version": "ATIF-v1.8", "session_id": "s2", "agent": {"name": "x", "version": "1"},
                      "steps": [{"step_id": 2, "source": "user", "message": "hi"}]})
        + "\n"
    )
    rep = import_atif(tmp_path / "a.jsonl")
    assert [r.trajectory_id for r in rep.runs] == ["s1"]
    assert [p.line for p in rep.problems] == [2, 3]
    assert "invalid JSON" in rep.problems[0].reason and "not sequential" in rep.problems[1].reason


def test_detect_and_convert(tmp_path):
    assert detect_format(FIX / "good.jsonl") == "runs"
    assert detect_format(FIX / "atif_native.json") == "atif"
    (tmp_path / "x.json").write_text('{"hello": 1}')
    with pytest.raises(ValueError, match="not a run file"):
        import_runs(tmp_path / "x.json")
    with pytest.raises(ValueError, match="unknown format"):
        import_runs(FIX / "good.jsonl", format="nope")


def test_tau_bench_synthetic(tmp_path):
    item = {
        "task_id": 3, "trial": 1, "reward": 1.0,
        "info": {"task": {"user_id": "u1", "instruction": "Cancel my trip", "actions": [{"name": "cancel", "kwargs": {"id": "R1"}}], "outputs": []}},
        "traj": [
            {"role": "system", "content": "policy"},
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": None, "tool_calls": [{"id": "c", "type": "function", "function": {"name": "cancel", "arguments": "{\"id\": \"R1\"}"}}]},
            {"role": "tool", "tool_call_id": "c", "name": "cancel", "content": "ok"},
        ],
    }
    broken = dict(item, trial=2, traj=item["traj"][:3])  # tool call without its result
    f = tmp_path / "gpt-4o-retail.json"
    f.write_text(json.dumps([item, broken]))
    assert detect_format(f) == "tau-bench"
    rep = import_runs(f)
    (r,) = rep.runs
    assert r.trajectory_id == "tau-retail-3-1" and r.task_id == "3" and r.task == "Cancel my trip"
    assert r.source.env == "tau-bench-retail" and r.source.model == "gpt-4o" and r.success
    assert r.metadata["gt_actions"] == [{"name": "cancel", "kwargs": {"id": "R1"}}]
    (p,) = rep.problems
    assert p.trajectory_id == "tau-retail-3-2" and "no tool result" in p.reason


@pytest.mark.bench
def test_tau_bench_airline_import(tmp_path):
    if not TAU.exists():
        pytest.skip(f"{TAU} is absent")
    rep = import_tau_bench(TAU)
    assert rep.ok, rep.problems[:3]
    assert len(rep.runs) == 200
    assert sum(r.success for r in rep.runs) == 84
    assert sum(len(r.tool_calls()) for r in rep.runs) == 1164
    ids = {r.trajectory_id for r in rep.runs}
    assert "tau-airline-0-0" in ids and "tau-airline-49-3" in ids and len({r.task_id for r in rep.runs}) == 50
    # round trips: JSONL and ATIF
    dump_runs(rep.runs, tmp_path / "tau.jsonl")
    again = load_runs(tmp_path / "tau.jsonl")
    assert again.ok and len(again.runs) == 200
    r = rep.runs[17]
    assert atif_to_run(run_to_atif(r).to_json_dict()).model_dump() == r.model_dump()


def test_parse_call_string():
    assert parse_call_string("cd(folder='document')") == ("cd", {"folder": "document"})
    assert parse_call_string("sort('f.pdf')", ["file_name"]) == ("sort", {"file_name": "f.pdf"})
    assert parse_call_string("f(a=[1, 2], b={'x': None}, c=-1.5, d=True)") == (
        "f", {"a": [1, 2], "b": {"x": None}, "c": -1.5, "d": True})
    with pytest.raises(ValueError, match="no known parameter name"):
        parse_call_string("sort('f.pdf')")
    with pytest.raises(ValueError, match="non-literal"):
        parse_call_string("f(a=os.system('x'))")
    with pytest.raises(ValueError, match="cannot parse"):
        parse_call_string("f(")


def _bfcl():
    return pytest.importorskip("bfcl_eval", reason="bfcl-eval is not installed (pip install --no-deps bfcl-eval)")


def test_bfcl_import_few_tasks():
    _bfcl()
    rep = import_bfcl(ids=["multi_turn_base_0", "multi_turn_base_1"])
    assert rep.ok, rep.problems
    r0 = rep.runs[0]
    assert r0.trajectory_id == "bfcl-multi_turn_base_0" and r0.source.env == "bfcl" and r0.success
    calls = r0.tool_calls()
    assert [c.name for c in calls] == ["cd", "mkdir", "mv", "cd", "grep", "sort", "cd", "mv", "cd", "diff"]
    assert calls[5].arguments == {"file_name": "final_report.pdf"}  # positional argument named
    assert "moved" in calls[2].result  # executed on the restored backend
    md = r0.metadata
    assert [t["calls"] for t in md["turns"]] == [[0, 3], [3, 5], [5, 6], [6, 10]]
    assert r0.messages[md["turns"][1]["message_start"]].role == "user"
    assert set(md["involved_classes"]) == {"TwitterAPI", "GorillaFileSystem"} and "GorillaFileSystem" in md["initial_config"]
    assert parse_run(json.loads(r0.to_json())).model_dump() == r0.model_dump()


def test_bfcl_miss_func_and_no_execute():
    _bfcl()
    rep = import_bfcl(["multi_turn_miss_func"], limit=3, execute=False)
    assert rep.ok and len(rep.runs) == 3
    r = rep.runs[0]
    assert r.metadata["missed_function"] == {"3": ["sort"]}
    assert r.metadata["turns"][2]["calls"] == [5, 5]  # the empty turn
    assert all(c.result == "" for c in r.tool_calls())
    with pytest.raises(ValueError, match="unsupported BFCL category"):
        import_bfcl(["simple_python"])


def test_bfcl_via_import_runs():
    _bfcl()
    from skillbank.learn.importers import bfcl_data_dir

    f = bfcl_data_dir() / "BFCL_v4_multi_turn_base.json"
    assert detect_format(f) == "bfcl"
    rep = import_runs(f, limit=2)
    assert [r.task_id for r in rep.runs] == ["multi_turn_base_0", "multi_turn_base_1"]
