"""`skillbank learn`, `skillbank candidates`, `skillbank eval learn` from the command line."""

import json

import pytest
from click.testing import CliRunner

from skillbank.cli import main

bfcl = pytest.importorskip("skillbank.envs.bfcl")


@pytest.fixture(scope="module")
def runs_file(tmp_path_factory):
    if not bfcl.available():
        pytest.skip("bfcl_eval not installed")
    from skillbank.learn.runs import dump_runs

    p = tmp_path_factory.mktemp("runs") / "bfcl.jsonl"
    dump_runs(bfcl.gold_runs()[:120], p)
    return p


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.slow
def test_learn_verifies_admits_and_lists_candidates(runs_file, tmp_path):
    lib = str(tmp_path / "lib.db")
    r = CliRunner().invoke(main, ["--library", lib, "learn", str(runs_file), "--env", "bfcl", "--json"])
    s = _json(r)
    assert s["candidates"] > 0 and s["verified"] > 0
    assert s["admitted"] == len(s["skills"]) > 0
    assert s["verified"] == s["admitted"] + s["rejected"]
    assert all(sk["status"] == "added" for sk in s["skills"])
    c = _json(CliRunner().invoke(main, ["--library", lib, "candidates", "--json", "-n", "500"]))
    statuses = {row["status"] for row in c["candidates"]}
    assert "admitted" in statuses
    assert sum(row["status"] == "admitted" for row in c["candidates"]) == s["admitted"]
    rejected = [row for row in c["candidates"] if row["status"] == "rejected"]
    assert all(row["reason"] for row in rejected)
    # admitted skills are strict-valid Agent Skills with provenance "learned"
    lst = CliRunner().invoke(main, ["--library", lib, "list", "--json"])
    assert lst.exit_code == 0 and "learned" in lst.output
    out = tmp_path / "export"
    name = s["skills"][0]["name"]
    assert CliRunner().invoke(main, ["--library", lib, "export", name, str(out / name)]).exit_code == 0
    v = CliRunner().invoke(main, ["validate", "--strict", str(out / name)])
    assert v.exit_code == 0, v.output
    assert (out / name / "scripts" / f"{name}.py").exists() and (out / name / "tests" / "test_replay.py").exists()
    if "audit" in main.commands:
        a = CliRunner().invoke(main, ["audit", str(out / name), "--fail-on", "high"])
        assert a.exit_code == 0, a.output
    # the verification record is stored with the version
    from skillbank.api import Library

    with Library.open(lib) as library:
        row = library.conn.execute("SELECT verification FROM learn_candidates WHERE name = ?", (name,)).fetchone()
        stored = library.get(name)
    assert stored.provenance.to_dict()["source_kind"] == "learned"
    assert stored.extra["verification"]["admitted"] and stored.extra["verification"]["results"]
    rec = json.loads(row[0])
    assert rec["admitted"] and rec["env_version"].startswith("bfcl-eval") and rec["validation_cases"] >= 1


def test_learn_without_env_admits_nothing(runs_file, tmp_path):
    lib = str(tmp_path / "lib.db")
    s = _json(CliRunner().invoke(main, ["--library", lib, "learn", str(runs_file), "--json"]))
    assert s["admitted"] == 0 and s["candidates"] > 0 and s["verified"] == 0
    c = _json(CliRunner().invoke(main, ["--library", lib, "candidates", "--json"]))
    assert c["total"] > 0 and {row["status"] for row in c["candidates"]} == {"unverified"}


def test_learn_dry_run_writes_nothing(runs_file, tmp_path):
    lib = tmp_path / "lib.db"
    s = _json(CliRunner().invoke(main, ["--library", str(lib), "learn", str(runs_file), "--env", "bfcl", "--dry-run", "--json"]))
    assert s["dry_run"] and s["admitted"] > 0
    assert not lib.exists()


@pytest.mark.slow
def test_eval_learn_json(runs_file):
    res = _json(CliRunner().invoke(main, ["eval", "learn", "--env", "bfcl", "--seeds", "0", "--limit", "100", "--json"]))
    assert res["env"] == "bfcl" and res["seeds"] == [0] and "baseline_decisions_saved" in res
    assert res["held_out_admission"] is True
    assert res["decisions_saved_path_components"] <= res["decisions_saved"]


@pytest.mark.slow
def test_eval_learn_without_held_out_admission(runs_file):
    args = ["eval", "learn", "--env", "bfcl", "--seeds", "0", "--limit", "100", "--json"]
    res = _json(CliRunner().invoke(main, args + ["--no-held-out"]))
    assert res["held_out_admission"] is False
    # every admitted skill had a validation-split span: none was admitted on held-out mining tasks
    assert [seed["admitted_on_held_out"] for seed in res["per_seed"]] == [0]
    full = _json(CliRunner().invoke(main, args))
    assert full["per_seed"][0]["admitted_on_held_out"] > 0


def test_learn_with_llm_keeps_the_text_skill_as_a_candidate(tmp_path, monkeypatch):
    monkeypatch.setenv("SKILLBANK_LLM_MODEL", "scripted")
    from skillbank.learn.runs import dump_runs
    from skillbank.llm.testing import ScriptedServer
    from tests.learn.test_mine import stock_run

    runs = tmp_path / "runs.jsonl"
    dump_runs([stock_run(i, s, p) for i, (s, p) in enumerate([("AAPL", 227.16), ("NVDA", 220.34), ("AAPL", 227.16)])], runs)
    reply = json.dumps(
        {
            "lessons": [{"tier": "functional", "title": "Buy at the quoted price", "lesson": "Call get_stock_info, then place_order with its price.", "tools": ["get_stock_info", "place_order"], "merged_from": ["L1"]}],
            "contradictions": [],
            "description": "Buying stock at the quoted price. Use when a task asks to buy shares.",
            "overview": "Quote, then order.",
        }
    )
    lib = str(tmp_path / "lib.db")
    with ScriptedServer(lambda req: reply) as srv:
        s = _json(CliRunner().invoke(main, ["--library", lib, "learn", str(runs), "--llm", srv.url, "--json"]))
    assert s["admitted"] == 0 and s["text_skill"].get("status") == "candidate", s["text_skill"]
    c = _json(CliRunner().invoke(main, ["--library", lib, "candidates", "--json"]))
    text = [r for r in c["candidates"] if r["template_id"].startswith("text-")]
    assert text and text[0]["status"] == "unverified"


def test_runs_the_environment_cannot_restore_are_rejected_not_admitted(tmp_path):
    from skillbank.learn.runs import dump_runs
    from tests.learn.test_mine import stock_run

    if not bfcl.available():
        pytest.skip("bfcl_eval not installed")
    runs = tmp_path / "runs.jsonl"
    dump_runs([stock_run(i, s, p) for i, (s, p) in enumerate([("AAPL", 227.16), ("NVDA", 220.34), ("AAPL", 227.16), ("MSFT", 310.2), ("AAPL", 227.16)])], runs)
    lib = str(tmp_path / "lib.db")
    s = _json(CliRunner().invoke(main, ["--library", lib, "learn", str(runs), "--env", "bfcl", "--json"]))
    assert s["admitted"] == 0 and s["candidates"] > 0
    c = _json(CliRunner().invoke(main, ["--library", lib, "candidates", "--status", "rejected", "--json"]))
    assert c["total"] >= 1 and all("cannot execute" in r["reason"] or "validation" in r["reason"] for r in c["candidates"])
