import json
from pathlib import Path

import pytest

from skillbank.learn.runs import Message, Run, ToolCall, dump_runs, load_runs, parse_run

FIX = Path(__file__).parent / "fixtures_runs"


def test_load_good_runs():
    rep = load_runs(FIX / "good.jsonl")
    assert rep.ok and len(rep.runs) == 3
    r = rep.runs[0]
    assert r.trajectory_id == "fs-0" and r.outcome.success is True
    calls = r.tool_calls()
    assert [c.name for c in calls] == ["ls", "mv"]
    name, args, result, call_id = calls[1]
    assert args == {"src": "report.txt", "dst": "archive/"}
    assert result == "ok" and call_id == "c0_1"


def test_broken_jsonl_reports_each_bad_kind():
    rep = load_runs(FIX / "broken.jsonl")
    assert [r.trajectory_id for r in rep.runs] == ["fs-0", "fs-2"]
    by_line = {p.line: p for p in rep.problems}
    assert set(by_line) == {2, 3, 4, 5, 8}
    assert "invalid JSON" in by_line[2].reason
    assert "unknown role 'human'" in by_line[3].reason and by_line[3].trajectory_id == "bad-role"
    assert "has no tool result" in by_line[4].reason
    assert "not valid JSON" in by_line[5].reason and "arguments" in by_line[5].reason
    assert "duplicate" in by_line[8].reason
    assert "line 3" in str(by_line[3])


def test_dump_load_roundtrip(tmp_path):
    runs = load_runs(FIX / "good.jsonl").runs
    out = tmp_path / "sub" / "runs.jsonl"
    assert dump_runs(runs, out) == 3
    again = load_runs(out)
    assert again.ok and [r.model_dump() for r in again.runs] == [r.model_dump() for r in runs]


def test_reused_call_ids_pair_in_order():
    msgs = [
        {"role": "user", "content": "x"},
        {"role": "assistant", "tool_calls": [{"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "a", "content": "1"},
        {"role": "assistant", "tool_calls": [{"id": "a", "type": "function", "function": {"name": "g", "arguments": "{\"k\": 2}"}}]},
        {"role": "tool", "tool_call_id": "a", "content": "2"},
        {"role": "assistant", "content": "done"},
    ]
    r = parse_run({"trajectory_id": 7, "task_id": 3, "messages": msgs})
    assert r.trajectory_id == "7" and r.task_id == "3"
    assert [(c.name, c.arguments, c.result) for c in r.tool_calls()] == [("f", {}, "1"), ("g", {"k": 2}, "2")]


@pytest.mark.parametrize(
    "msgs, needle",
    [
        ([{"role": "tool", "tool_call_id": "zz", "content": "x"}], "answers no pending tool call"),
        ([{"role": "user", "tool_calls": [{"id": "a", "function": {"name": "f"}}]}], "only assistant"),
        ([{"role": "assistant", "tool_calls": [{"id": "a", "function": {"name": "f", "arguments": "[1]"}}]}], "JSON object"),
        ([{"role": "tool", "content": "x"}], "without tool_call_id"),
    ],
)
def test_invalid_runs(msgs, needle):
    with pytest.raises(ValueError, match=needle):
        parse_run({"trajectory_id": "x", "messages": msgs})


def test_not_an_object_and_extra_key():
    with pytest.raises(ValueError, match="JSON object"):
        parse_run([1])
    with pytest.raises(ValueError, match="Extra inputs"):
        parse_run({"trajectory_id": "x", "messages": [], "reward": 1})


def test_builders():
    tc = ToolCall.make("c1", "cd", {"folder": "doc"})
    assert json.loads(tc.function.arguments) == {"folder": "doc"} and tc.name == "cd"
    m = Message(role="user", content=[{"type": "text", "text": "hi"}, {"type": "image_url", "image_url": {}}])
    assert m.text == "hi"
    r = Run(trajectory_id="r", messages=[Message(role="assistant", tool_calls=[tc]), Message(role="tool", tool_call_id="c1", content="ok")])
    assert r.tool_names() == ["cd"] and not r.success


def test_json_array_and_pretty_single_run(tmp_path):
    objs = [json.loads(line) for line in (FIX / "good.jsonl").read_text().splitlines()]
    (tmp_path / "arr.json").write_text(json.dumps([objs[0], {"trajectory_id": "x"}, objs[2]], indent=2))
    rep = load_runs(tmp_path / "arr.json")
    assert [r.trajectory_id for r in rep.runs] == ["fs-0", "fs-2"]
    assert [(p.line, p.trajectory_id) for p in rep.problems] == [(2, "x")] and "messages" in rep.problems[0].reason
    (tmp_path / "one.json").write_text(json.dumps(objs[1], indent=2))
    assert [r.trajectory_id for r in load_runs(tmp_path / "one.json").runs] == ["fs-1"]
    (tmp_path / "empty.jsonl").write_text("\n\n")
    assert load_runs(tmp_path / "empty.jsonl").ok


def test_tool_names_that_could_inject_code_are_rejected_per_run(tmp_path):
    good = json.loads((FIX / "good.jsonl").read_text().splitlines()[0])
    evil = json.loads(json.dumps(good))
    evil["trajectory_id"] = "evil"
    evil_name = 'ls"""\nimport os; os.system("id")\n"""'
    for msg in evil["messages"]:
        for call in msg.get("tool_calls") or []:
            call["function"]["name"] = evil_name
        if msg.get("role") == "tool" and "name" in msg:
            msg["name"] = evil_name
    path = tmp_path / "runs.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(evil) + "\n")
    rep = load_runs(path)
    assert [r.trajectory_id for r in rep.runs] == [good["trajectory_id"]]
    assert [p.line for p in rep.problems] == [2] and "name" in rep.problems[0].reason
