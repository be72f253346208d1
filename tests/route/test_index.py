"""RouteIndex: incremental updates, resumable sync, model change, edge cases, explain."""

from __future__ import annotations

import numpy as np
import pytest

from skillbank.route.index import RouteIndex

from .conftest import SKILLS, HashEmbedder


def _fill(index):
    for doc in SKILLS:
        assert index.upsert(*doc) is True
    return index


def test_empty_index_returns_nothing(conn, embedder):
    index = RouteIndex(conn, embedder=embedder)
    assert len(index) == 0
    assert index.search("merge pdf files", k=5) == []
    assert index.search("merge pdf files", k=5, mode="bm25") == []
    assert index.search("merge pdf files", k=5, mode="dense") == []


def test_one_skill_library(conn, embedder):
    index = RouteIndex(conn, embedder=embedder)
    index.upsert(*SKILLS[0])
    hits = index.search("combine two PDF documents", k=5, explain=True)
    assert [h.doc_id for h in hits] == ["pdf-merge"]
    assert hits[0].explanation["name_terms"] == ["pdf"]
    assert index.search("", k=5) == []


def test_upsert_is_a_noop_when_unchanged(conn, embedder):
    index = _fill(RouteIndex(conn, embedder=embedder))
    gen, calls = index.generation(), embedder.calls
    assert index.upsert(*SKILLS[0]) is False
    assert index.generation() == gen and embedder.calls == calls


def test_incremental_upsert_and_remove_change_results(conn, embedder):
    index = _fill(RouteIndex(conn, embedder=embedder))
    assert index.search("find the commit that broke the build with git bisect", k=1)[0].doc_id == "git-bisect"
    before = index.state()
    index.upsert("helm", "helm-charts", "Package Kubernetes apps as Helm charts.",
                 "# Helm\n\nRun `helm install` and `helm upgrade` for kubernetes releases.")
    assert index.state() is not before  # the snapshot was invalidated and rebuilt
    assert index.search("deploy on kubernetes with helm", k=1)[0].doc_id == "helm"
    # changing a skill's content re-indexes it
    index.upsert("helm", "sourdough", "Bake bread at home.", "# Sourdough\n\nKnead the dough.")
    assert index.search("deploy on kubernetes with helm", k=1)[0].doc_id != "helm"
    assert index.remove("helm") is True and index.remove("helm") is False
    assert "helm" not in [h.doc_id for h in index.search("bread dough", k=10)]
    assert len(index) == len(SKILLS)


def test_index_persists_across_connections(tmp_path, embedder):
    import sqlite3

    path = tmp_path / "lib.db"
    c1 = sqlite3.connect(str(path), isolation_level=None)
    _fill(RouteIndex(c1, embedder=embedder)).search("pdf", k=1)
    c1.close()
    c2 = sqlite3.connect(str(path), isolation_level=None)
    fresh = HashEmbedder()
    index = RouteIndex(c2, embedder=fresh)
    assert index.search("split a pdf into pages", k=1)[0].doc_id == "pdf-merge"
    assert fresh.texts == 1  # only the query was embedded: vectors came from the database
    # the BM25F matrix came from the cache for this generation
    assert c2.execute("SELECT generation FROM route_cache WHERE kind='bm25f'").fetchone()[0] == index.generation()
    c2.close()


def test_vectors_are_float32_blobs_with_model_recorded(conn, embedder):
    _fill(RouteIndex(conn, embedder=embedder))
    rows = conn.execute("SELECT model, dim, n_chunks, vectors FROM route_vectors").fetchall()
    assert len(rows) == len(SKILLS)
    model, dim, n, blob = rows[0]
    assert model == "test/hash@1" and dim == 64
    vec = np.frombuffer(blob, dtype=np.float32).reshape(n, dim)
    assert np.allclose(np.linalg.norm(vec, axis=1), 1.0, atol=1e-5)


def test_model_change_reembeds_everything(conn, embedder):
    _fill(RouteIndex(conn, embedder=embedder))
    other = HashEmbedder(name="test/hash", version="2", dim=32)
    index = RouteIndex(conn, embedder=other)
    assert index.stale_count() == len(SKILLS)
    hits = index.search("profile a csv table with pandas", k=1)
    assert hits[0].doc_id == "csv-profile"
    models = {r[0] for r in conn.execute("SELECT DISTINCT model FROM route_vectors")}
    assert models == {"test/hash@2"}  # old vectors dropped, all re-embedded
    assert index.state().vectors.shape[1] == 32
    # sync with the new model skips everything: already indexed
    report = index.sync(SKILLS)
    assert report.indexed == 0 and report.unchanged == len(SKILLS)


def test_sync_is_resumable_and_prunes(conn, embedder):
    index = RouteIndex(conn, embedder=embedder)

    def interrupted():
        for i, doc in enumerate(SKILLS):
            if i == 3:
                raise KeyboardInterrupt
            yield doc

    with pytest.raises(KeyboardInterrupt):
        index.sync(interrupted(), batch_size=2)
    assert len(index) == 2  # the first full batch was committed
    seen = []
    report = index.sync(SKILLS, batch_size=2, progress=lambda d, t: seen.append((d, t)))
    assert report.indexed == 3 and report.unchanged == 2 and len(index) == 5
    assert seen[-1][0] == 5
    report = index.sync(SKILLS[:2], prune=True)
    assert report.removed == 3 and len(index) == 2


def test_sync_accepts_dicts_and_objects(conn, embedder):
    class Obj:
        def __init__(self, name, description, body):
            self.id, self.name, self.description, self.body = 99, name, description, body

    index = RouteIndex(conn, embedder=embedder)
    index.sync([{"id": "x/1", "name": "pdf-merge", "description": "Merge PDFs.", "body": "qpdf"},
                Obj("csv-profile", "Profile CSV.", "pandas")])
    assert {r[0] for r in conn.execute("SELECT doc_id FROM route_docs")} == {"x/1", "csv-profile"}


def test_explain_names_fields_terms_and_passage(conn, embedder):
    index = _fill(RouteIndex(conn, embedder=embedder))
    hit = index.search("shrink my docker image with a multi-stage build", k=3, explain=True)[0]
    assert hit.doc_id == "docker-slim"
    e = hit.explanation
    assert "docker" in e["name_terms"]
    assert "multi" in e["description_terms"] and "stag" in e["description_terms"]
    assert e["best_chunk"]["field"] in {"description", "body"} and e["best_chunk"]["text"]
    assert {"bm25", "dense", "summary", "fused", "name_match"} <= set(hit.signals)
    assert hit.to_dict()["explanation"] == e


def test_near_duplicates_are_demoted(conn, embedder):
    index = _fill(RouteIndex(conn, embedder=embedder))
    name, _, desc, body = SKILLS[0]
    index.upsert("copy-of-pdf", name, desc, body + "\n\nmerge merge pdf")
    ids = [h.doc_id for h in index.search("merge pdf pages with qpdf", k=6)]
    first = min(ids.index("pdf-merge"), ids.index("copy-of-pdf"))
    second = max(ids.index("pdf-merge"), ids.index("copy-of-pdf"))
    assert first == 0 and second == len(ids) - 1  # the copy goes below distinct skills
    dup = next(h for h in index.search("merge pdf pages with qpdf", k=6) if h.signals.get("duplicate"))
    assert dup.doc_id in {"pdf-merge", "copy-of-pdf"}


def test_modes_give_single_signal_rankings(conn, embedder):
    index = _fill(RouteIndex(conn, embedder=embedder))
    bm = index.search("git bisect regression", k=2, mode="bm25")
    de = index.search("git bisect regression", k=2, mode="dense")
    assert bm[0].doc_id == de[0].doc_id == "git-bisect"
    assert set(bm[0].signals) == {"bm25"} and set(de[0].signals) == {"dense"}


def test_library_call_forms_and_open_transactions(conn, embedder):
    index = RouteIndex(conn, embedder=embedder)
    assert index.upsert("pdf-merge", "Merge PDF files.", "Use qpdf.") is True  # (name, desc, body)
    assert conn.execute("SELECT doc_id, name FROM route_docs").fetchall() == [("pdf-merge", "pdf-merge")]
    conn.execute("BEGIN")  # the caller's own transaction: the index joins it
    index.upsert("csv", "Profile CSV tables.", "pandas")
    conn.execute("ROLLBACK")
    assert len(index) == 1
    conn.execute("BEGIN")
    index.upsert("csv", "Profile CSV tables.", "pandas")
    index.remove("pdf-merge")
    conn.execute("COMMIT")
    assert [h.doc_id for h in index.search("profile a csv", k=5)] == ["csv"]


def test_optional_ranking_switches_run_on_multi_aspect_tasks(conn, embedder):
    from skillbank.route.ranker import RankParams

    task = ("Profile the sales CSV export with pandas and report missing values per column.\n\n"
            "Then shrink the Docker image of the reporting service with a multi-stage build.\n\n"
            "Finally draft a short email to the team with the findings.")
    index = RouteIndex(conn, embedder=embedder)
    index.sync(SKILLS)
    base = [h.doc_id for h in index.search(task, k=3)]
    assert set(base) == {"csv-profile", "docker-slim", "email-draft"}
    for params in (RankParams(diversify=0.5), RankParams(w_summary_seg=0.5), RankParams(segments=False)):
        hits = RouteIndex(conn, embedder=embedder, params=params).search(task, k=5)
        assert {"csv-profile", "docker-slim"} <= {h.doc_id for h in hits}
