"""Optional LLM stages of the router (off by default; need a configured provider).

* `rewrite_query`: ask the model to describe the skill(s) the task needs (the Skill-KNN
  idea: match skill-shaped text against skills) and search with task + description.
* `llm_rerank`: listwise rerank of the top candidates: the model sees the task and each
  candidate's name, description and the head of its body, and returns an order.

Both go through the one provider interface, `skillbank.llm.OpenAICompatible` (any
OpenAI-compatible endpoint). A failing or malformed reply never loses results: the
rewrite falls back to the task, the rerank to the router's own order.
"""

from __future__ import annotations

import logging
from typing import Any

from skillbank.route.index import Hit

log = logging.getLogger(__name__)

REWRITE_PROMPT = (
    "An AI agent must pick skills (reusable instruction documents) from a large library to "
    "do the task below. Describe the skill or skills it needs as they would be written in "
    "the library: for each, a short hyphenated name and a one-sentence description of what "
    "it does and when to use it, naming the tools, libraries and file types involved. "
    "Reply with plain text only, one skill per line, at most 5 lines.\n\nTask:\n{task}"
)

RERANK_PROMPT = (
    "Task:\n{task}\n\nCandidate skills:\n{candidates}\n\n"
    "Order the candidates by how useful each is for doing the task (most useful first). "
    'Reply with JSON only: {{"ranking": [candidate numbers, best first]}}. Include every '
    "candidate number exactly once."
)


def rewrite_query(provider: Any, task: str, max_chars: int = 4000) -> str:
    """The task plus an LLM-written description of the skills it needs."""
    try:
        reply = provider.chat(
            [{"role": "user", "content": REWRITE_PROMPT.format(task=task[:max_chars])}],
            temperature=0,
        )
    except Exception as exc:  # noqa: BLE001 - the rewrite is an optional aid
        log.warning("query rewrite failed, searching with the task as given: %s", exc)
        return task
    reply = (reply or "").strip()
    return f"{task}\n\n{reply}" if reply else task


def llm_rerank(provider: Any, task: str, hits: list[Hit], bodies: dict[str, str], top: int = 20) -> list[Hit]:
    """Reorder the first `top` hits by the model's listwise judgement; the rest follow."""
    head, tail = hits[:top], hits[top:]
    if len(head) < 2:
        return hits
    lines = []
    for n, h in enumerate(head, start=1):
        body = " ".join((bodies.get(h.doc_id) or "").split())[:600]
        lines.append(f"[{n}] {h.name}: {h.description[:400]}\n    {body}")
    prompt = RERANK_PROMPT.format(task=task[:4000], candidates="\n".join(lines))
    try:
        data = provider.chat_json([{"role": "user", "content": prompt}], {"ranking": [1, 2, 3]}, temperature=0)
        order = [int(x) for x in data.get("ranking", [])]
    except Exception as exc:  # noqa: BLE001 - keep the router's order on any failure
        log.warning("LLM rerank failed, keeping the router's order: %s", exc)
        return hits
    seen: set[int] = set()
    ranked: list[Hit] = []
    for n in order:
        if 1 <= n <= len(head) and n not in seen:
            seen.add(n)
            ranked.append(head[n - 1])
    ranked += [h for i, h in enumerate(head, start=1) if i not in seen]
    for pos, h in enumerate(ranked):
        h.signals["llm_rank"] = float(pos + 1)
    return ranked + tail
