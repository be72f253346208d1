"""The router: hybrid lexical + dense retrieval over name, description and body, then rerank.

    from skillbank.route import RouteIndex
    index = RouteIndex(conn)                # conn: sqlite3 in autocommit mode
    index.upsert("pdf", "pdf", "Merge and split PDFs", body)
    index.search("combine two PDF files", k=5, explain=True)
"""

from skillbank.route.embedders import Embedder, get_embedder
from skillbank.route.index import Hit, RouteIndex, SyncReport
from skillbank.route.prompt import library_index, render_available_skills, routed_prompt
from skillbank.route.ranker import RankParams

__all__ = [
    "Embedder",
    "Hit",
    "RankParams",
    "RouteIndex",
    "SyncReport",
    "get_embedder",
    "library_index",
    "render_available_skills",
    "routed_prompt",
]
