"""Optional LLM rewrite and rerank, against the scripted OpenAI-compatible server."""

from __future__ import annotations

import json

from skillbank.llm.testing import ScriptedServer
from skillbank.route.index import RouteIndex

from .conftest import SKILLS


def test_llm_rerank_reorders_the_head_and_rewrite_extends_the_query(conn, embedder):
    index = RouteIndex(conn, embedder=embedder)
    index.sync(SKILLS)
    plain = [h.doc_id for h in index.search("write an email about the pdf report", k=3)]
    with ScriptedServer() as srv:
        def reply(req):
            text = req.last_user
            if "Candidate skills" in text:
                # put the last candidate first
                n = sum(1 for line in text.splitlines() if line.startswith("["))
                return json.dumps({"ranking": [n, *range(1, n)]})
            return "email-draft: draft professional emails and replies"

        srv.set_script(reply)
        with srv.provider() as llm:
            hits = index.search("write an email about the pdf report", k=3, llm=llm, llm_rerank=True, llm_top=3)
            rewritten = index.search("tell the customer", k=1, llm=llm, llm_rewrite=True)
        assert [h.doc_id for h in hits] == [plain[2], plain[0], plain[1]]
        assert hits[0].signals["llm_rank"] == 1.0
        assert rewritten[0].doc_id == "email-draft"
        assert any("Task:" in r.last_user for r in srv.chat_requests)


def test_llm_failures_keep_the_router_order(conn, embedder):
    index = RouteIndex(conn, embedder=embedder)
    index.sync(SKILLS)
    plain = [h.doc_id for h in index.search("merge pdf pages", k=3)]
    with ScriptedServer(["not json at all", "still not json", "nope"]) as srv, srv.provider(max_retries=0) as llm:
        hits = index.search("merge pdf pages", k=3, llm=llm, llm_rerank=True)
    assert [h.doc_id for h in hits] == plain
