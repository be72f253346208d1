"""Fusion math, metrics, BM25F and the sparse matrix helper."""

from __future__ import annotations

import numpy as np
import pytest

from skillbank.route.lexical import CSC, BM25FParams, LexicalIndex
from skillbank.route.metrics import mean_metrics, percentile, score_ranking
from skillbank.route.ranker import _ranks, rrf
from skillbank.route.text import chunk_text, split_query, stem, term_counts, tokenize


def test_ranks_are_zero_based_best_first():
    assert _ranks(np.array([0.1, 0.9, 0.5], dtype=np.float32)).tolist() == [2.0, 0.0, 1.0]


def test_rrf_matches_the_formula():
    a = _ranks(np.array([3.0, 2.0, 1.0], dtype=np.float32))  # doc0 first
    b = _ranks(np.array([1.0, 2.0, 3.0], dtype=np.float32))  # doc2 first
    fused = rrf([a, b], [1.0, 0.5], k=10)
    expected0 = 1.0 / (10 + 1) + 0.5 / (10 + 3)
    expected2 = 1.0 / (10 + 3) + 0.5 / (10 + 1)
    assert fused[0] == pytest.approx(expected0)
    assert fused[2] == pytest.approx(expected2)
    assert fused[0] > fused[2]  # the heavier list wins a symmetric disagreement
    # a zero weight removes a list entirely
    assert rrf([a, b], [0.0, 1.0], k=10).argmax() == 2


def test_rrf_rewards_agreement():
    agree = _ranks(np.array([1.0, 2.0, 3.0], dtype=np.float32))
    fused = rrf([agree, agree], [1.0, 1.0], k=60)
    assert fused.argmax() == 2 and fused[2] == pytest.approx(2.0 / 61)


def test_metrics_follow_the_benchmark_definitions():
    groups = [{"a", "a2"}, {"b"}, {"c"}]
    m = score_ranking(["x", "a2", "b", "y", "z", "w", "v", "u", "t", "s", "c"], groups)
    assert m["top1"] == 0.0
    assert m["mrr"] == pytest.approx(0.5)
    assert m["recall@5"] == pytest.approx(2 / 3)
    assert m["recall@10"] == pytest.approx(2 / 3)
    assert m["full@10"] == 0.0
    ideal = 1 + 1 / np.log2(3) + 1 / np.log2(4)
    assert m["ndcg@10"] == pytest.approx((1 / np.log2(3) + 1 / np.log2(4)) / ideal)
    full = score_ranking(["a", "b", "c"], groups)
    assert full["top1"] == 1.0 and full["full@10"] == 1.0 and full["ndcg@10"] == pytest.approx(1.0)
    assert mean_metrics([m, full])["top1"] == 0.5
    assert percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)


def test_tokenizer_stems_and_splits_compounds():
    assert stem("merging") == stem("merged") == stem("merges") == stem("merge")
    assert tokenize("ReportLab") == ["report", "lab", "reportlab"]
    assert tokenize("PDFs") == ["pdf"]
    assert "the" not in tokenize("the pdf-merge tool")
    assert tokenize("pdf-merge") == ["pdf", "merg"]
    assert term_counts("csv csv yaml") == {"csv": 2, "yaml": 1}


def test_chunker_covers_the_whole_body():
    body = "\n\n".join(f"Paragraph {i} " + "word " * 60 for i in range(40))
    chunks = chunk_text(body, size=500)
    assert len(chunks) > 5 and all(len(c) <= 500 for c in chunks)
    assert "Paragraph 39" in chunks[-1]  # the tail is indexed, not cut off
    capped = chunk_text(body, size=500, max_chunks=4)
    assert len(capped) == 4 and capped[0].startswith("Paragraph 0")
    assert chunk_text("   ") == []


def test_split_query_finds_aspects():
    short = "merge two pdfs"
    assert split_query(short) == [short]
    long = (
        "You need to build a report for the quarterly sales numbers and the forecast.\n\n"
        "1. Parse the CSV export in /data/sales.csv and clean the missing values.\n"
        "2. Plot the monthly totals as a bar chart with matplotlib and save a PNG.\n"
        "3. Write the summary into a Word document with python-docx for the managers."
    )
    segs = split_query(long)
    assert len(segs) >= 3
    assert any("CSV" in s for s in segs) and any("matplotlib" in s for s in segs)


def _index(docs, params=BM25FParams()):
    return LexicalIndex.build([tuple(term_counts(f) for f in d) for d in docs], params)


def test_bm25f_weights_the_name_above_the_body():
    docs = [
        ("yaml-config", "Read configuration files.", "Some text about settings."),
        ("settings", "Read configuration files.", "yaml yaml is mentioned in the body."),
        ("other", "Unrelated.", "Nothing here."),
    ]
    scores = _index(docs).scores(tokenize("yaml"))
    assert scores[0] > scores[1] > 0 and scores[2] == 0
    flat = _index(docs, BM25FParams(weights=(1.0, 1.0, 1.0)))
    assert flat.scores(tokenize("yaml"))[1] > 0


def test_csc_products_match_dense_math_and_roundtrip():
    docs = [("a b", "c", "a a d"), ("b", "c d", "e"), ("", "", "")]
    lex = _index(docs)
    dense = np.zeros(lex.matrix.shape, dtype=np.float32)
    for j in range(lex.matrix.shape[1]):
        lo, hi = lex.matrix.indptr[j], lex.matrix.indptr[j + 1]
        dense[lex.matrix.indices[lo:hi], j] = lex.matrix.data[lo:hi]
    q = ["a", "d", "zzz"]
    w = lex.query_weights(q)
    expect = sum(dense[:, j] * v for j, v in w.items())
    assert np.allclose(lex.scores(q), expect)
    multi = lex.multi_scores([["a"], ["d", "e"]])
    assert multi.shape == (3, 2)
    assert np.allclose(multi[:, 0], lex.scores(["a"]))
    back = LexicalIndex.from_bytes(lex.to_bytes())
    assert back.vocab == lex.vocab
    assert np.allclose(back.scores(q), lex.scores(q))
    assert np.allclose(back.nd_scores(q), lex.nd_scores(q))
    empty = CSC(np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(1, np.int64), (2, 0))
    assert empty.dot_columns(np.zeros(0, np.int64), np.zeros((0, 1), np.float32)).shape == (2, 1)


def test_summary_match_prefers_focused_skills():
    docs = [
        ("csv", "Parse CSV files.", ""),
        ("kitchen-sink", "Parse CSV files, send email, deploy servers, draw charts, tune SQL.", ""),
    ]
    s = _index(docs).nd_scores(tokenize("parse a csv file"))
    assert s[0] > s[1] > 0


def test_xquad_puts_a_skill_per_aspect_near_the_top():
    from skillbank.route.ranker import Ranked, _xquad

    out = [Ranked(0, 1.0, {}), Ranked(1, 0.95, {}), Ranked(2, 0.9, {}), Ranked(3, 0.1, {})]
    aspects = np.array([[1.0, 0.0], [0.9, 0.0], [0.0, 1.0], [0.1, 0.1]], dtype=np.float32)
    assert [r.index for r in _xquad(out, aspects, 0.0, 10)] == [0, 1, 2, 3]
    assert [r.index for r in _xquad(out, aspects, 0.5, 10)] == [0, 2, 1, 3]
    # only the head is reordered
    assert [r.index for r in _xquad(out, aspects, 0.5, 2)] == [0, 1, 2, 3]


def test_name_boost_applies_to_long_multi_aspect_tasks_only(conn):
    from skillbank.route.index import RouteIndex
    from skillbank.route.ranker import RankParams, rank

    from .conftest import SKILLS, HashEmbedder

    index = RouteIndex(conn, embedder=HashEmbedder(), summary="none")
    index.sync(SKILLS)
    st, emb = index.state(), index.embedder
    params = RankParams(w_desc=0.0)
    short = rank(st, "merge the pdf files", emb, k=3, params=params)
    assert short[0].signals["name_match"] > 0
    # no name term (the passage term is the short task's only addition)
    assert all(
        r.score == pytest.approx(r.signals["fused"] + params.w_passage * r.signals["passage"]) for r in short
    )
    long_task = (
        "We have a quarterly report to prepare for the managers next week.\n\n"
        "1. Merge the scanned PDF pages of the contracts into one file for the archive.\n"
        "2. Profile the CSV export of the sales table and list the missing values per column."
    )
    multi = rank(st, long_task, emb, k=3, params=params)
    top = multi[0]
    assert top.signals["name_match"] > 0
    assert top.score == pytest.approx(
        top.signals["fused"]
        + params.w_name * top.signals["name_match"]
        + params.w_phrase * top.signals["phrase_match"]
    )


def test_phrase_match_counts_word_pairs_of_the_description(conn):
    from skillbank.route.index import RouteIndex
    from skillbank.route.ranker import RankParams, _phrase_match, rank

    from .conftest import HashEmbedder

    docs = [
        ("control-metrics", "Control metrics", "Compute the rise time and steady state error of a controller.", "x"),
        ("time-tools", "Time tools", "Steady tools: time the rise of errors in state counters.", "x"),
        ("unrelated", "Unrelated", "Bake bread in a wood oven.", "x"),
    ]
    index = RouteIndex(conn, embedder=HashEmbedder(), summary="none")
    index.sync(docs)
    st, emb = index.state(), index.embedder
    terms = tokenize("report the rise time and the steady state error")
    qpairs = set(zip(terms, terms[1:]))
    at = {d: i for i, d in enumerate(st.doc_ids)}
    # same words in both descriptions, but only the first has them as pairs
    assert _phrase_match(st, at["control-metrics"], qpairs) > 0
    assert _phrase_match(st, at["time-tools"], qpairs) == 0
    assert _phrase_match(st, at["unrelated"], qpairs) == 0
    long_task = (
        "We tune a cruise controller for a test vehicle this quarter.\n\n"
        "1. Simulate the vehicle for 150 seconds from the parameters file.\n"
        "2. Report the rise time, overshoot and steady state error of the speed loop."
    )
    on = rank(st, long_task, emb, k=3, params=RankParams(w_phrase=1.0))
    off = rank(st, long_task, emb, k=3, params=RankParams(w_phrase=0.0))
    sig = {st.doc_ids[r.index]: r.signals["phrase_match"] for r in on}
    assert sig["control-metrics"] > 0 and sig.get("time-tools", 0.0) == 0
    assert all(r.signals["phrase_match"] == 0 for r in off)
    # a short task never uses it
    assert all(r.signals["phrase_match"] == 0 for r in rank(st, "rise time and steady state error", emb, k=3))


def test_clarity_is_scale_free_and_rewards_a_standout():
    from skillbank.route.ranker import clarity

    rng = np.random.default_rng(0)
    flat = (1.0 + 0.01 * rng.random(2000)).astype(np.float32)
    standout = flat.copy()
    standout[7] = 3.0
    assert clarity(standout) > 0.9 > 0.2 > clarity(flat)
    assert clarity(standout * 100) == pytest.approx(clarity(standout), rel=1e-5)
    assert clarity(standout + 5) == pytest.approx(clarity(standout), rel=1e-4)
    assert clarity(np.ones(50, dtype=np.float32)) == 0.0  # no head at all
    # head and depth beyond the list's length are clipped to it
    assert 0.0 <= clarity(np.array([3.0, 2.0, 1.0], dtype=np.float32), head=10, depth=1000) <= 1.0


class _FixedEmbedder:
    """A semantic encoder that maps every task to one fixed vector."""

    def __init__(self, vec):
        self.name, self.version, self.dim = "test/fixed", "1", len(vec)
        self._vec = np.asarray(vec, dtype=np.float32)

    def embed(self, texts):
        return np.tile(self._vec, (len(texts), 1))


def test_clarity_lets_the_list_that_stands_out_decide(conn):
    """A short task: BM25 barely prefers one skill (every skill has the word, one has it
    twice), the semantic list picks another by far. Plain RRF follows the heavier
    lexical list; clarity weighting follows the list that is sure."""
    from skillbank.route.index import RouteIndex
    from skillbank.route.ranker import RankParams, rank

    from .conftest import HashEmbedder

    docs = [(f"s{i:02d}", f"s{i:02d}", f"Tool number {i}.", "alpha widget gizmo") for i in range(30)]
    docs[3] = ("s03", "s03", "Tool number 3.", "alpha alpha gizmo")  # lexical favourite, barely
    docs[17] = ("s17", "s17", "Tool number 17.", "widget gizmo frob")  # no 'alpha' at all
    index = RouteIndex(conn, embedder=HashEmbedder(), summary="none")
    index.sync(docs)
    st = index.state()
    at = {d: i for i, d in enumerate(st.doc_ids)}
    # the other skills: equal for BM25, slightly apart (in the reverse order) for the encoder
    sem = np.array([[0.001 * i, 1.0, 0.0, 0.0] for i in range(st.n_docs)], dtype=np.float32)
    sem[at["s17"]] = [1.0, 0.0, 0.0, 0.0]  # the semantic list's clear choice
    st.summary_vectors = sem
    enc = _FixedEmbedder([0.9, 0.1, 0.0, 0.0])
    base = dict(w_lex=3.0, w_summary=0.0, w_dense=0.0, w_semantic=1.0, w_passage=0.0)
    emb = index.embedder
    plain = rank(st, "alpha", emb, k=3, params=RankParams(clarity=0.0, **base), summary_embedder=enc)
    clear = rank(st, "alpha", emb, k=3, params=RankParams(clarity=1.0, **base), summary_embedder=enc)
    assert st.doc_ids[plain[0].index] == "s03"
    assert st.doc_ids[clear[0].index] == "s17"
    # long multi-aspect tasks keep plain fusion by default
    assert RankParams().clarity_multi == 0.0


def test_passage_term_adds_the_scaled_best_chunk_cosine_for_short_tasks(conn):
    from skillbank.route.index import RouteIndex
    from skillbank.route.ranker import RankParams, rank

    from .conftest import SKILLS, HashEmbedder

    index = RouteIndex(conn, embedder=HashEmbedder(), summary="none")
    index.sync(SKILLS)
    st, emb = index.state(), index.embedder
    task = "merge the pdf files"
    on = rank(st, task, emb, k=5, params=RankParams(w_passage=0.4))
    off = rank(st, task, emb, k=5, params=RankParams(w_passage=0.0))
    pas = [r.signals["passage"] for r in on]
    assert max(pas) == pytest.approx(1.0) and min(pas) == pytest.approx(0.0)  # min-max over candidates
    best = max(on, key=lambda r: r.signals["dense"])
    assert best.signals["passage"] == pytest.approx(1.0)
    for r in on:
        assert r.score == pytest.approx(r.signals["fused"] + 0.4 * r.signals["passage"])
    assert all(r.score == pytest.approx(r.signals["fused"]) for r in off)
    # the skill whose passage says what the task says leads
    assert st.doc_ids[on[0].index] == "pdf-merge"
    # long multi-aspect tasks leave it out by default
    long_task = (
        "We have a quarterly report to prepare for the managers next week.\n\n"
        "1. Merge the scanned PDF pages of the contracts into one file for the archive.\n"
        "2. Profile the CSV export of the sales table and list the missing values per column."
    )
    multi = rank(st, long_task, emb, k=3)
    assert all(r.score == pytest.approx(
        r.signals["fused"] + 0.2 * r.signals["name_match"] + 0.1 * r.signals["phrase_match"]
    ) for r in multi)


def test_a_two_sentence_request_is_ranked_as_a_short_task_with_its_aspects(conn):
    """Two sentences of 60+ characters split into two aspects, but a request this short is
    no long specification: single-aspect scoring (passage term, no name or phrase boost,
    full dense scan) plus the best-aspect BM25F list, so each sentence still counts."""
    from skillbank.route.index import RouteIndex
    from skillbank.route.ranker import RankParams, rank
    from skillbank.route.text import split_query

    from .conftest import SKILLS, HashEmbedder

    index = RouteIndex(conn, embedder=HashEmbedder(), summary="none")
    index.sync(SKILLS)
    st, emb = index.state(), index.embedder
    task = ("I have scanned contract pages that should end up as one PDF file. "
            "Then profile the CSV export of our sales table for missing values.")
    assert len(split_query(task)) == 2 and len(task) < RankParams().long_task_chars
    out = rank(st, task, emb, k=5)
    assert all("bm25_aspect" in r.signals and "dense_aspect" not in r.signals for r in out)
    p = RankParams()
    assert all(r.score == pytest.approx(r.signals["fused"] + p.w_passage * r.signals["passage"]) for r in out)
    # both needs surface
    top = {st.doc_ids[r.index] for r in out}
    assert "pdf-merge" in top and any("csv" in d for d in top), top
    # the same text past the threshold is a long task: aspect dense scores, name and phrase boosts
    long_out = rank(st, task, emb, k=5, params=RankParams(long_task_chars=len(task)))
    assert all("dense_aspect" in r.signals for r in long_out)
    assert all(r.score == pytest.approx(
        r.signals["fused"] + p.w_name * r.signals["name_match"] + p.w_phrase * r.signals["phrase_match"]
    ) for r in long_out)


def test_lazy_columns_compute_on_demand_and_match_eager_values():
    from skillbank.route.ranker import LazyColumn
    from skillbank.route.text import tokenize

    calls = []
    names = ["pdf-merge", "csvProfile", ""]
    col = LazyColumn(names, lambda t: calls.append(t) or tuple(tokenize(t)))
    assert len(col) == 3 and calls == []  # nothing computed on load
    assert col[1] == tuple(tokenize("csvProfile")) and calls == ["csvProfile"]
    assert col[1] == tuple(tokenize("csvProfile")) and calls == ["csvProfile"]  # cached
    assert list(col) == [tuple(tokenize(n)) for n in names]
    assert not LazyColumn([], str) and LazyColumn(["x"], str)
