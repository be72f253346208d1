"""The semantic summary encoder: one vector per skill (name, description, opening prose), stored with
its model, updated incrementally, replaced when the model changes, fused into ranking."""

from __future__ import annotations

import numpy as np

from skillbank.route.index import RouteIndex, summary_text
from skillbank.route.text import opening_prose

from .conftest import SKILLS, HashEmbedder

SYNONYMS = {"stitch": "merge", "combine": "merge", "documents": "pdf", "document": "pdf"}


class SynonymEmbedder(HashEmbedder):
    """A toy 'paraphrase' encoder: maps a few synonyms to one word, then hashes."""

    def embed(self, texts):
        mapped = [" ".join(SYNONYMS.get(w.lower(), w) for w in t.split()) for t in texts]
        return super().embed(mapped)


def _index(conn, summary=None):
    return RouteIndex(conn, embedder=HashEmbedder(), summary=summary or SynonymEmbedder("test/syn"))


def test_summary_vectors_are_stored_per_skill_with_their_model(conn):
    index = _index(conn)
    index.sync(SKILLS)
    rows = conn.execute("SELECT doc_id, model, dim, vector FROM route_summary ORDER BY doc_id").fetchall()
    assert [r[0] for r in rows] == sorted(s[0] for s in SKILLS)
    assert {r[1] for r in rows} == {"test/syn@1/t2"} and rows[0][2] == 64
    st = index.state()
    assert st.summary_vectors.shape == (len(SKILLS), 64)
    i = st.doc_ids.index("pdf-merge")
    expected = SynonymEmbedder().embed([summary_text("pdf-merge", SKILLS[0][2], SKILLS[0][3])])[0]
    assert np.allclose(st.summary_vectors[i], expected)


def test_summary_text_spells_the_name_as_words():
    assert summary_text("pdf-merge_tool", "Merge PDFs.") == "pdf merge tool: Merge PDFs."


def test_summary_text_adds_the_opening_prose_of_the_body():
    body = (
        "# PDF merge\n\nCombine **several** files into [one](http://x.test).\n\n"
        "```bash\nqpdf --empty out.pdf\n```\n| col | col |\n<!-- note to self -->\n"
        "1. Keep `bookmarks`.\n"
    )
    text = summary_text("pdf-merge", "Merge PDFs.", body)
    assert text == "pdf merge: Merge PDFs. PDF merge Combine several files into one. Keep bookmarks."
    assert summary_text("x", "Desc.", "```\ncode only\n```") == "x: Desc."


def test_opening_prose_stops_near_its_limit():
    body = "\n".join(f"Sentence number {i} about the skill." for i in range(200))
    assert 0 < len(opening_prose(body, limit=100)) <= 100
    assert opening_prose(body).startswith("Sentence number 0 about the skill. Sentence number 1")


def test_changing_the_summary_text_reembeds_summaries(conn, monkeypatch):
    import skillbank.route.index as index_mod

    RouteIndex(conn, embedder=HashEmbedder(), summary=SynonymEmbedder("test/syn")).sync(SKILLS)
    monkeypatch.setattr(index_mod, "SUMMARY_TEXT_VERSION", "99")
    summary = SynonymEmbedder("test/syn")
    index = RouteIndex(conn, embedder=HashEmbedder(), summary=summary)
    assert index.summary_key == "test/syn@1/t99"
    assert index.stale_count() == len(SKILLS)
    index.sync(SKILLS)
    assert summary.texts == len(SKILLS)
    assert {r[0] for r in conn.execute("SELECT DISTINCT model FROM route_summary")} == {"test/syn@1/t99"}


def test_semantic_signal_lifts_a_paraphrase(conn):
    plain = RouteIndex(conn, embedder=HashEmbedder(), summary="none")
    plain.sync(SKILLS)
    query = "stitch documents"  # no word of the pdf-merge skill, only synonyms
    assert all("semantic" not in h.signals for h in plain.search(query, k=5))
    index = _index(conn)
    hits = index.search(query, k=5)
    assert hits[0].doc_id == "pdf-merge"
    assert hits[0].signals["semantic"] > 0.5
    assert all(h.signals["semantic"] <= hits[0].signals["semantic"] for h in hits)


def test_summary_updates_incrementally_and_on_remove(conn):
    emb = SynonymEmbedder("test/syn")
    index = _index(conn, emb)
    index.sync(SKILLS)
    before = emb.texts
    assert index.upsert(*SKILLS[0]) is False and emb.texts == before  # unchanged: nothing embedded
    index.upsert("pdf-merge", "pdf-merge", "Combine PDF documents.", SKILLS[0][3])
    assert emb.texts == before + 1  # only the changed skill's summary
    index.remove("csv-profile")
    assert conn.execute("SELECT COUNT(*) FROM route_summary WHERE doc_id='csv-profile'").fetchone()[0] == 0
    assert index.state().summary_vectors.shape[0] == len(SKILLS) - 1


def test_changing_the_summary_model_reembeds_only_summaries(conn):
    chunk = HashEmbedder()
    RouteIndex(conn, embedder=chunk, summary=SynonymEmbedder("test/syn")).sync(SKILLS)
    chunk_texts = chunk.texts
    other = SynonymEmbedder("test/syn", version="2", dim=32)
    index = RouteIndex(conn, embedder=chunk, summary=other)
    assert index.stale_count() == len(SKILLS)
    index.search("merge pdf", k=1)
    assert other.texts == len(SKILLS) + 1  # every summary once, then the query
    assert chunk.texts == chunk_texts + 1  # chunk vectors kept: only the query embedded
    assert {r[0] for r in conn.execute("SELECT DISTINCT model FROM route_summary")} == {"test/syn@2/t2"}
    assert index.state().summary_vectors.shape == (len(SKILLS), 32)


def test_turning_the_summary_encoder_off_keeps_ranking_working(conn):
    _index(conn).sync(SKILLS)
    index = RouteIndex(conn, embedder=HashEmbedder(), summary="none")
    assert index.summary_key == "" and index.stale_count() == 0
    hits = index.search("profile a csv table with pandas", k=1)
    assert hits[0].doc_id == "csv-profile" and "semantic" not in hits[0].signals


def test_lazy_summary_encoder_loads_only_when_it_embeds():
    from skillbank.route.embedders import LazyEmbedder

    loads = []

    def factory():
        loads.append(1)
        return SynonymEmbedder("test/syn")

    lazy = LazyEmbedder("test/syn", "1", 64, factory)
    assert (lazy.name, lazy.version, lazy.dim) == ("test/syn", "1", 64) and loads == []
    vec = lazy.embed(["combine documents"])
    assert loads == [1] and vec.shape == (1, 64)
    lazy.embed(["again"])
    assert loads == [1]
    wrong = LazyEmbedder("test/syn", "9", 64, factory)
    import pytest

    from skillbank.errors import SkillbankError

    with pytest.raises(SkillbankError, match="identity changed"):
        wrong.embed(["x"])
