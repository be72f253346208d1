"""`skillbank find` and `skillbank eval route` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillbank.cli import main

from .conftest import SKILLS

EXAMPLES = Path(__file__).parents[2] / "examples" / "skills"


def _jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path):
    skills = _jsonl(tmp_path / "skills.jsonl", [
        {"id": f"c/{i}", "name": n, "description": d, "body": b} for i, (_, n, d, b) in enumerate(SKILLS)
    ])
    queries = _jsonl(tmp_path / "queries.jsonl", [
        {"id": "q1", "query": "merge two pdf files into one document", "gold": ["c/0"]},
        {"id": "q2", "query": "which commit broke the tests? bisect it", "gold": ["c/2"]},
        {"id": "q3", "query": "profile the csv and shrink the docker image",
         "gold_groups": [["c/1"], ["c/3"]], "gold": ["c/1", "c/3"]},
    ])
    return skills, queries


def test_eval_route_json_has_all_systems_and_keys(corpus, tmp_path):
    skills, queries = corpus
    preds = tmp_path / "pred.json"
    res = CliRunner().invoke(main, ["eval", "route", "--skills", str(skills), "--queries", str(queries),
                                    "--json", "--predictions", str(preds)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    for system in ("router", "bm25", "dense"):
        assert set(data[system]) >= {"top1", "recall@5", "recall@10", "full@10", "mrr", "ndcg@10",
                                     "p50_ms", "p95_ms"}
    assert data["router"]["top1"] == pytest.approx(1.0)
    assert data["index"]["documents"] == len(SKILLS) and data["index"]["build_seconds"] > 0
    ranking = json.loads(preds.read_text())
    assert set(ranking) == {"q1", "q2", "q3"} and ranking["q1"][0] == "c/0"
    assert len(ranking["q1"]) == len(SKILLS)


def test_eval_route_table_and_reused_index(corpus, tmp_path):
    skills, queries = corpus
    db = tmp_path / "index.db"
    args = ["eval", "route", "--skills", str(skills), "--queries", str(queries), "--library", str(db)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "router" in first.output and "full@10" in first.output and "p50 ms" in first.output
    assert f"{len(SKILLS)} indexed in this run" in first.output
    second = CliRunner().invoke(main, args)
    assert "0 indexed in this run" in second.output  # resumable: nothing left to do
    only_index = CliRunner().invoke(main, ["eval", "route", "--queries", str(queries), "--library", str(db), "--json"])
    assert json.loads(only_index.output)["router"]["top1"] == pytest.approx(1.0)


def test_eval_route_names_the_choices_for_an_unknown_semantic_encoder(corpus):
    skills, queries = corpus
    res = CliRunner().invoke(main, ["eval", "route", "--skills", str(skills), "--queries", str(queries),
                                    "--semantic", "bogus"])
    assert res.exit_code != 0
    assert "unknown semantic encoder 'bogus'" in res.output and "auto, none, minilm" in res.output


def test_eval_route_rejects_queries_without_gold(tmp_path):
    q = _jsonl(tmp_path / "q.jsonl", [{"id": "x", "query": "something"}])
    s = _jsonl(tmp_path / "s.jsonl", [{"id": "a", "name": "a", "description": "d", "body": "b"}])
    res = CliRunner().invoke(main, ["eval", "route", "--skills", str(s), "--queries", str(q)])
    assert res.exit_code == 2 and "gold" in res.output


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/skills not present")
def test_find_over_the_library():
    runner = CliRunner()
    added = runner.invoke(main, ["add", str(EXAMPLES)])
    assert added.exit_code == 0, added.output
    res = runner.invoke(main, ["find", "combine several PDF files into one", "-k", "3", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["results"][0]["name"] == "pdf-merge-split"
    assert len(data["results"]) == 3
    assert data["results"][0]["score"] >= data["results"][1]["score"]
    explained = runner.invoke(main, ["find", "shrink the container image", "-k", "2", "--explain"])
    assert explained.exit_code == 0, explained.output
    assert "dockerfile-optimization" in explained.output and "name matched" in explained.output
    # the index follows the library: a removed skill is no longer found
    removed = runner.invoke(main, ["remove", "pdf-merge-split"])
    if removed.exit_code == 0:
        res = runner.invoke(main, ["find", "combine several PDF files into one", "--json"])
        assert "pdf-merge-split" not in [r["name"] for r in json.loads(res.output)["results"]]


def test_find_on_an_empty_library():
    res = CliRunner().invoke(main, ["find", "anything at all"])
    assert res.exit_code == 0 and "no skills matched" in res.output


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/skills not present")
def test_routed_prompt_lists_only_routed_skills():
    from skillbank.api import Library
    from skillbank.route import routed_prompt

    with Library.open() as lib:
        lib.add([str(EXAMPLES)])
        block = routed_prompt(lib, "make thumbnails of all the photos in a folder", k=2)
    assert block.count("<skill>") == 2
    assert "image-resizing" in block and "pdf-merge-split" not in block


def test_eval_route_over_the_current_library_takes_semantic_without_touching_the_environment(corpus, tmp_path):
    import os

    _, queries = corpus
    before = os.environ.get("SKILLBANK_SUMMARY_EMBEDDER")
    lib = str(tmp_path / "lib.db")
    from skillbank.api import Library

    Library.open(lib).close()  # an existing (empty) library: eval route only reads it
    res = CliRunner().invoke(main, ["--library", lib, "eval", "route", "--queries", str(queries),
                                    "--semantic", "bogus"])
    assert res.exit_code != 0 and "unknown semantic encoder 'bogus'" in res.output
    assert os.environ.get("SKILLBANK_SUMMARY_EMBEDDER") == before
