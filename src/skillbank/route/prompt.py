"""Routing for a library: keep its index in sync and render routed skills for a prompt."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from skillbank.route.index import Hit, Progress, RouteIndex


def _fingerprint(lib: Any) -> str | None:
    try:
        versions = lib.list()
    except AttributeError:
        return None
    h = hashlib.sha256()
    for v in sorted(versions, key=lambda v: v.name):
        h.update(f"{v.name}\0{getattr(v, 'digest', '')}\n".encode())
    return h.hexdigest()


def library_index(
    lib: Any, progress: Progress | None = None, reindex: bool = False, summary: Any = None
) -> RouteIndex:
    """The route index of a `skillbank.api.Library`, brought in sync with it if needed.

    The library updates the index on add/remove; as a safety net the index remembers a
    fingerprint of the library's (name, digest) list and resyncs (only changed skills
    are re-embedded, removed ones pruned) when it differs. `reindex=True` forces it.
    `summary`: the semantic encoder (spec or instance; default as `RouteIndex`).
    """
    index = RouteIndex(lib.conn, summary=summary)
    fp = _fingerprint(lib)
    row = lib.conn.execute("SELECT value FROM route_state WHERE key = 'library'").fetchone()
    if reindex or fp is None or row is None or row[0] != fp:
        skills = list(lib.iter_latest())
        index.sync(skills, progress=progress, prune=True, total=len(skills))
        if fp is not None:
            index._set_state("library", fp)
    return index


def mark_synced(lib: Any) -> None:
    """Record that the index matches the library (after the library updated it itself)."""
    fp = _fingerprint(lib)
    if fp is not None:
        RouteIndex(lib.conn)._set_state("library", fp)


def render_available_skills(
    hits: list[Hit], location: Callable[[str], str | None] | None = None
) -> str:
    """The `<available_skills>` block (Agent Skills client format) for these hits."""
    lines = ["<available_skills>"]
    for h in hits:
        lines.append("  <skill>")
        lines.append(f"    <name>{escape(h.name)}</name>")
        lines.append(f"    <description>{escape(h.description)}</description>")
        loc = location(h.doc_id) if location else None
        if loc:
            lines.append(f"    <location>{escape(loc)}</location>")
        lines.append("  </skill>")
    lines.append("</available_skills>")
    return "\n".join(lines) + "\n"


def routed_prompt(
    lib: Any, task: str, k: int = 5, location: Callable[[str], str | None] | None = None,
    policy: Any = None,
    policy_tightens_only: bool = False,
) -> str:
    """`<available_skills>` for only the k skills routed to `task` (progressive disclosure).

    Instead of listing every skill (and having the agent truncate the list), list the few
    that the router finds for the task at hand. Skills blocked by their tier (stored, or
    under `policy`, a `skillbank.audit.Policy`) never appear (`Library.find`).
    """
    # A library leaves out what its trust tiers forbid loading (blocked skills).
    hits = (lib.find(task, k=k, policy=policy, policy_tightens_only=policy_tightens_only) if hasattr(lib, "find")
            else library_index(lib).search(task, k=k))
    if location is None and hasattr(lib, "to_prompt"):
        return lib.to_prompt([h.doc_id for h in hits])  # the library's own catalogue format
    return render_available_skills(hits, location)
