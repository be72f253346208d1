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
    # the human table never cuts a skill name short (names are what `show`/`export` take)
    r = CliRunner().invoke(main, ["--library", str(lib), "learn", str(runs_file), "--env", "bfcl", "--dry-run"])
    assert r.exit_code == 0, r.output
    assert all(sk["name"] in r.stdout for sk in s["skills"]), r.stdout


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
    with ScriptedServer(lambda req: reply) as srv:
        r = CliRunner().invoke(main, ["--library", str(tmp_path / "lib2.db"), "learn", str(runs), "--llm", srv.url])
    assert r.exit_code == 0 and f"text skill {s['text_skill']['name']}: kept as a candidate" in r.stdout, r.output
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


# -- user-facing fixes: --llm failures, count ranges, error lines, candidates footer, skip reasons ----


def _stock_runs(tmp_path, n=3, failed=0):
    from skillbank.learn.runs import dump_runs
    from tests.learn.test_mine import make_run, stock_run

    prices = [("AAPL", 227.16), ("NVDA", 220.34), ("MSFT", 310.2)]
    runs = [stock_run(i, *prices[i % 3]) for i in range(n)]
    runs += [make_run(f"f{i}", [[("login", {"user": "u1"}, {"ok": True})]], success=False) for i in range(failed)]
    p = tmp_path / "runs.jsonl"
    dump_runs(runs, p)
    return p


def _closed_port_url():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def test_learn_llm_without_a_model_is_an_error_before_mining(tmp_path, monkeypatch):
    monkeypatch.delenv("SKILLBANK_LLM_MODEL", raising=False)
    runs = _stock_runs(tmp_path)
    lib = tmp_path / "lib.db"
    r = CliRunner().invoke(main, ["--library", str(lib), "learn", str(runs), "--llm", _closed_port_url()])
    assert r.exit_code == 2, r.output
    assert "--llm-model" in r.stderr and "SKILLBANK_LLM_MODEL" in r.stderr
    assert not lib.exists()


def test_learn_llm_text_skill_failure_exits_nonzero_and_keeps_program_skills(tmp_path, monkeypatch):
    monkeypatch.delenv("SKILLBANK_LLM_MODEL", raising=False)
    from skillbank.llm.testing import ScriptedServer

    runs = _stock_runs(tmp_path)
    lib = str(tmp_path / "lib.db")
    with ScriptedServer(lambda req: json.dumps({"lessons": []})) as srv:
        r = CliRunner().invoke(main, ["--library", lib, "learn", str(runs), "--llm", srv.url, "--llm-model", "m1"])
    assert srv.requests and {req.body["model"] for req in srv.requests} == {"m1"}  # --llm-model is used
    assert r.exit_code == 1, r.output
    err = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("error: text skill not distilled: ") and "program skills were learned" in err[0]
    assert "runs 3/3 used" in r.stdout
    c = _json(CliRunner().invoke(main, ["--library", lib, "candidates", "--json"]))
    assert c["total"] > 0 and not any(row["template_id"].startswith("text-") for row in c["candidates"])


def test_learn_llm_unreachable_in_json_mode_prints_json_and_exits_nonzero(tmp_path, monkeypatch):
    monkeypatch.setenv("SKILLBANK_LLM_MODEL", "m1")
    runs = _stock_runs(tmp_path)
    r = CliRunner().invoke(main, ["--library", str(tmp_path / "lib.db"), "learn", str(runs), "--llm", _closed_port_url(), "--json"])
    assert r.exit_code == 1, r.output
    s = json.loads(r.stdout)
    assert "cannot reach" in s["text_skill"]["error"] and s["candidates"] > 0
    assert "error: text skill not distilled" in r.stderr and "cannot reach" in r.stderr


def test_every_count_option_has_a_lower_bound():
    import click

    from skillbank.cli.learn import candidates_cmd, eval_learn_cmd, learn_cmd

    counts = {(learn_cmd, "k"), (candidates_cmd, "limit"), (eval_learn_cmd, "k"), (eval_learn_cmd, "limit")}
    for cmd, name in counts:
        opt = next(p for p in cmd.params if p.name == name)
        assert isinstance(opt.type, click.IntRange) and opt.type.min == 1, (cmd.name, name, opt.type)


def test_negative_or_zero_counts_are_refused(tmp_path):
    runs = _stock_runs(tmp_path)
    lib = str(tmp_path / "lib.db")
    for args in (["candidates", "-n", "-1"], ["candidates", "-n", "0"], ["learn", str(runs), "-k", "-1"], ["learn", str(runs), "-k", "0"]):
        r = CliRunner().invoke(main, ["--library", lib, *args])
        assert r.exit_code == 2 and "x>=1" in r.stderr, (args, r.output)


def test_learn_error_names_the_file_once(tmp_path):
    bad = tmp_path / "bin.jsonl"
    bad.write_text("garbage\n")
    r = CliRunner().invoke(main, ["--library", str(tmp_path / "lib.db"), "learn", str(bad)])
    assert r.exit_code == 2
    assert r.stderr.count(str(bad)) == 1 and r.stderr.startswith(f"error: {bad}: not a run file"), r.stderr


def _seed_candidates(lib_path, n_admitted, n_unverified):
    from skillbank.api import Library
    from skillbank.learn.induce import save_candidates

    def row(i, status):
        name = f"lock-doors-press-brake-pedal-start-engine-check-tire-pressure-{i:04d}" if status == "admitted" else None
        return {
            "template_id": f"t{status[0]}{i:03d}", "env": "bfcl", "status": status, "reason": "because",
            "name": name, "calls": 3, "params": 1, "occurrences": 5 + i, "saving": 2,
            "summary": "lockDoors(door=['driver', 'passenger']); pressBrakePedal(pedalPosition=1.0)" * 2,
            "template": {}, "verification": None,
        }

    with Library.open(lib_path) as lib:
        save_candidates(lib.conn, [row(i, "admitted") for i in range(n_admitted)] + [row(i, "unverified") for i in range(n_unverified)])


def test_candidates_footer_says_what_was_shown_and_ids_are_whole(tmp_path):
    lib = str(tmp_path / "lib.db")
    _seed_candidates(lib, 5, 4)
    r = CliRunner().invoke(main, ["--library", lib, "candidates", "--status", "admitted", "-n", "3"])
    assert r.exit_code == 0, r.output
    ids = [f"lock-doors-press-brake-pedal-start-engine-check-tire-pressure-{i:04d}" for i in range(5)]
    shown = [i for i in ids if i in r.output]
    assert len(shown) == 3, r.output  # whole ids, never cut
    footer = " ".join(r.output.strip().splitlines()[-2:])
    assert "showing 3 of 5 admitted (9 candidates in all" in footer, footer
    r = CliRunner().invoke(main, ["--library", lib, "candidates"])
    assert all(i in r.output for i in ids) and "9 candidates (5 admitted, 4 unverified)" in r.output, r.output
    r = CliRunner().invoke(main, ["--library", lib, "candidates", "--status", "rejected"])
    assert "no rejected (9 candidates in all" in r.output, r.output


def test_learn_summary_says_why_runs_were_not_used(tmp_path):
    runs = _stock_runs(tmp_path, n=3, failed=2)
    with open(runs, "a") as f:
        f.write("{not json\n")
    r = CliRunner().invoke(main, ["--library", str(tmp_path / "lib.db"), "learn", str(runs)])
    assert r.exit_code == 0, r.output
    assert "runs 3/5 used (2 unsuccessful, not mined; 1 unreadable input record(s) skipped)" in " ".join(r.stdout.split()), r.stdout
