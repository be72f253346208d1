"""Text skills distilled from many runs (Trace2Skill-style analysis, SkillX-style tiers).

Pipeline (every LLM call goes through :class:`skillbank.llm.Provider` ``.chat_json``):

1. **Extract** - one call per run, in parallel (a thread pool of ``workers``): lessons from
   successes (what worked) and failures (what went wrong and how to avoid it). Each lesson
   is tagged with a tier and *cites the run's trajectory id* (added by the code, not the LLM).
2. **Consolidate** - hierarchically: lessons sorted by tier are cut into batches of
   ``batch_size``; each batch is merged by the LLM into fewer, more general lessons that name
   the input lessons they come from (``merged_from``), so citations are the union of their
   sources' citations. Levels repeat until at most ``target`` lessons remain, nothing shrinks,
   or ``max_levels`` is reached. A batch whose reply is unusable is kept as it was.
3. **Resolve contradictions** - the LLM lists lessons that contradict each other and gives one
   resolved lesson per conflict; the resolved lesson replaces them and keeps all their citations.
4. **Describe and emit** - the LLM writes the description and an overview; the result is an
   Agent Skills folder (strict spec) whose ``SKILL.md`` lists the three tiers (strategic plans,
   functional skills, atomic skills) with citations; ``references/lessons.json`` holds every
   lesson with its full citation list and the resolved contradictions.

Prompts start with a tag (``[skillbank:distill:extract]``, ``...:consolidate]``,
``...:contradictions]``, ``...:describe]``) so scripted test servers can route on it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from skillbank.learn.runs import Run
from skillbank.llm import LLMError, Provider

__all__ = [
    "TIERS",
    "DistillError",
    "DistilledSkill",
    "Lesson",
    "distill",
    "render_run",
    "slugify",
]

Tier = Literal["strategic", "functional", "atomic"]
TIERS: tuple[Tier, ...] = ("strategic", "functional", "atomic")
TIER_TITLES = {"strategic": "Strategic plans", "functional": "Functional skills", "atomic": "Atomic skills"}

TAG_EXTRACT = "[skillbank:distill:extract]"
TAG_CONSOLIDATE = "[skillbank:distill:consolidate]"
TAG_CONTRADICTIONS = "[skillbank:distill:contradictions]"
TAG_DESCRIBE = "[skillbank:distill:describe]"

MAX_DESCRIPTION = 1024
MAX_NAME = 64


class DistillError(Exception):
    """Distillation produced nothing usable (e.g. no lesson could be extracted from any run)."""


@dataclass
class Lesson:
    tier: Tier
    title: str
    text: str
    runs: list[str]  # trajectory ids cited
    tools: list[str] = field(default_factory=list)
    evidence: dict[str, int] = field(default_factory=lambda: {"success": 0, "failure": 0})

    def to_prompt(self, lid: str) -> dict[str, Any]:
        return {
            "id": lid,
            "tier": self.tier,
            "title": self.title,
            "lesson": self.text,
            "tools": self.tools,
            "evidence": f"{len(self.runs)} runs ({self.evidence['success']} successful, {self.evidence['failure']} failed)",
        }


@dataclass
class DistilledSkill:
    name: str
    description: str
    overview: str
    lessons: list[Lesson]
    contradictions: list[dict[str, Any]]
    stats: dict[str, Any]
    files: dict[str, bytes]
    problems: list[str]

    def tier(self, tier: Tier) -> list[Lesson]:
        return [lesson for lesson in self.lessons if lesson.tier == tier]

    @property
    def skill_md(self) -> str:
        return self.files["SKILL.md"].decode("utf-8")

    def write(self, dest_dir: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write the skill folder to ``dest_dir/<name>/`` (atomically) and return its path."""
        parent = Path(dest_dir)
        parent.mkdir(parents=True, exist_ok=True)
        target = parent / self.name
        if target.exists() and not overwrite:
            raise FileExistsError(f"{target} exists; pass overwrite=True to replace it")
        tmp = Path(tempfile.mkdtemp(prefix=f".{self.name}.", dir=parent))
        try:
            for rel, data in self.files.items():
                f = tmp / rel
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_bytes(data)
            if target.exists():
                old = parent / f".{self.name}.old"
                shutil.rmtree(old, ignore_errors=True)
                target.rename(old)
                tmp.rename(target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                tmp.rename(target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return target


# =============================================================================================
# helpers
# =============================================================================================


def slugify(name: str) -> str:
    """A valid Agent Skills name: lower-case a-z0-9 words joined by single hyphens, <= 64 chars."""
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    s = s[:MAX_NAME].rstrip("-")
    if not s:
        raise ValueError(f"cannot make a skill name out of {name!r}")
    return s


def _clip(text: str, n: int) -> str:
    text = text.strip()
    return text if len(text) <= n else text[: n - 15].rstrip() + " ...[clipped]"


def render_run(run: Run, max_chars: int = 8000, result_chars: int = 400) -> str:
    """A compact text transcript of a run for prompts (system prompts left out)."""
    head = [
        f"Run id: {run.trajectory_id}",
        f"Task: {_clip(run.task, 1500) or '(not given)'}",
        "Outcome: "
        + ("SUCCESS" if run.outcome.success else "FAILURE" if run.outcome.success is False else "UNKNOWN")
        + (f" (reward {run.outcome.reward})" if run.outcome.reward is not None else ""),
    ]
    if run.source.env:
        head.append(f"Environment: {run.source.env}")
    lines: list[str] = []
    for m in run.messages:
        if m.role in ("system", "developer"):
            continue
        if m.role == "tool":
            lines.append(f"RESULT: {_clip(m.text, result_chars)}")
            continue
        if m.text.strip():
            lines.append(f"{m.role.upper()}: {_clip(m.text, 800)}")
        for c in m.tool_calls or []:
            lines.append(f"CALL {c.name}({_clip(c.function.arguments, 400)})")
    body = "\n".join(lines)
    if len(body) > max_chars:  # keep the beginning and the end, where plans and outcomes are
        half = max_chars // 2
        omitted = body[half:-half].count("\n")
        body = body[:half] + f"\n... [{omitted} lines omitted] ...\n" + body[-half:]
    return "\n".join(head) + "\n\nTranscript:\n" + body


def _norm_tier(value: Any) -> Tier:
    v = str(value or "").lower()
    if v.startswith(("strat", "plan")):
        return "strategic"
    if v.startswith("atom") or v in ("tool", "tool-use"):
        return "atomic"
    return "functional"


def _str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int))]
    return []


def _lesson_items(reply: dict[str, Any]) -> list[dict[str, Any]]:
    items = reply.get("lessons")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _text_of_item(item: dict[str, Any]) -> str:
    return str(item.get("lesson") or item.get("text") or "").strip()


def _merge_evidence(lessons: Sequence[Lesson]) -> dict[str, int]:
    return {k: sum(lesson.evidence.get(k, 0) for lesson in lessons) for k in ("success", "failure")}


def _union(lists: Sequence[Sequence[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for lst in lists:
        for x in lst:
            seen.setdefault(x, None)
    return list(seen)


class _Calls:
    """Counts LLM calls and failures (thread-safe enough: list appends are atomic)."""

    def __init__(self, provider: Provider, params: dict[str, Any]) -> None:
        self.provider = provider
        self.params = params
        self.calls: list[str] = []
        self.errors: list[str] = []

    def json(self, stage: str, system: str, user: str, hint: Any) -> dict[str, Any] | None:
        self.calls.append(stage)
        try:
            return self.provider.chat_json(
                [{"role": "system", "content": system}, {"role": "user", "content": user}], hint, **self.params
            )
        except LLMError as exc:
            self.errors.append(f"{stage}: {exc}")
            return None


# =============================================================================================
# stages
# =============================================================================================

_TIER_GUIDE = (
    "Tiers (as in SkillX):\n"
    "- strategic: a plan for a whole kind of task (the order of sub-goals, what to check first);\n"
    "- functional: a reusable multi-step procedure for a sub-goal, usually several tool calls;\n"
    "- atomic: how to use ONE tool correctly (arguments, preconditions, pitfalls)."
)

EXTRACT_SYSTEM = (
    f"{TAG_EXTRACT}\nYou analyse ONE recorded run of a tool-using agent and extract reusable lessons "
    "for future agents on similar tasks. From a successful run, extract what made it work; from a "
    "failed run, find the decisive mistake and state how to avoid it. Lessons must be general "
    "(no one-off ids or values unless they are constants of the environment), actionable and short "
    f"(1-3 sentences).\n{_TIER_GUIDE}"
)
EXTRACT_HINT = {
    "lessons": [{"tier": "strategic|functional|atomic", "title": "short imperative title", "lesson": "text", "tools": ["tool names"]}]
}

CONSOLIDATE_SYSTEM = (
    f"{TAG_CONSOLIDATE}\nYou merge lessons extracted from many agent runs into fewer, more general "
    "lessons. Merge lessons that say the same thing, generalise near-duplicates, keep distinct "
    "lessons separate, drop lessons that are one-off noise. Prefer lessons supported by more runs. "
    "Every output lesson MUST list in merged_from the ids of the input lessons it is based on."
    f"\n{_TIER_GUIDE}"
)
CONSOLIDATE_HINT = {
    "lessons": [{"tier": "strategic|functional|atomic", "title": "...", "lesson": "...", "tools": ["..."], "merged_from": ["L1", "L4"]}]
}

CONTRA_SYSTEM = (
    f"{TAG_CONTRADICTIONS}\nYou check a skill's lessons for contradictions: two or more lessons that "
    "give incompatible advice for the same situation. For each contradiction, give ONE resolved "
    "lesson that is correct (use the evidence: lessons from successful runs and supported by more "
    "runs usually win; a condition can reconcile both). List only real contradictions; reply "
    'with {"contradictions": []} if there are none.'
)
CONTRA_HINT = {
    "contradictions": [
        {"ids": ["L2", "L5"], "reason": "why they conflict", "resolved": {"tier": "...", "title": "...", "lesson": "...", "tools": ["..."]}}
    ]
}

DESCRIBE_SYSTEM = (
    f"{TAG_DESCRIBE}\nYou write the front matter description and a short overview for an Agent "
    "Skill. The description (at most 600 characters) says what the skill does and WHEN an agent "
    "should use it (the kinds of tasks, the environment, the tools). The overview (2-4 sentences) "
    "says how to apply the tiers."
)
DESCRIBE_HINT = {"description": "...", "overview": "..."}


def _extract(run: Run, calls: _Calls, max_lessons: int) -> list[Lesson]:
    user = (
        f"Extract at most {max_lessons} lessons from this run.\n\n{render_run(run)}\n\n"
        f"Tools called in this run: {', '.join(sorted(set(run.tool_names()))) or 'none'}"
    )
    reply = calls.json(f"extract:{run.trajectory_id}", EXTRACT_SYSTEM, user, EXTRACT_HINT)
    if reply is None:
        return []
    out = []
    ok = bool(run.outcome.success)
    for item in _lesson_items(reply)[:max_lessons]:
        text = _text_of_item(item)
        if not text:
            continue
        out.append(
            Lesson(
                tier=_norm_tier(item.get("tier")),
                title=str(item.get("title") or "").strip() or _clip(text, 60),
                text=text,
                runs=[run.trajectory_id],
                tools=_str_list(item.get("tools")),
                evidence={"success": int(ok), "failure": int(not ok)},
            )
        )
    return out


def _consolidate_batch(batch: list[Lesson], calls: _Calls, level: int, idx: int) -> list[Lesson]:
    ids = {f"L{i + 1}": lesson for i, lesson in enumerate(batch)}
    user = "Merge these lessons:\n" + json.dumps([lesson.to_prompt(k) for k, lesson in ids.items()], indent=1, ensure_ascii=False)
    reply = calls.json(f"consolidate:{level}:{idx}", CONSOLIDATE_SYSTEM, user, CONSOLIDATE_HINT)
    if reply is None:
        return batch
    items = _lesson_items(reply)
    out: list[Lesson] = []
    for item in items:
        sources = [ids[s] for s in _str_list(item.get("merged_from")) if s in ids]
        text = _text_of_item(item)
        if not sources or not text:  # an uncited lesson cannot be admitted
            continue
        out.append(
            Lesson(
                tier=_norm_tier(item.get("tier") or sources[0].tier),
                title=str(item.get("title") or "").strip() or sources[0].title,
                text=text,
                runs=_union([s.runs for s in sources]),
                tools=_str_list(item.get("tools")) or _union([s.tools for s in sources]),
                evidence=_merge_evidence(sources),
            )
        )
    if not out:  # nothing usable came back: keep the batch rather than lose it
        return batch
    return out


def _consolidate(lessons: list[Lesson], calls: _Calls, pool: ThreadPoolExecutor, *, batch_size: int, target: int, max_levels: int) -> tuple[list[Lesson], int]:
    levels = 0
    while len(lessons) > target and levels < max_levels:
        order = {t: i for i, t in enumerate(TIERS)}
        ordered = sorted(lessons, key=lambda lesson: (order[lesson.tier], sorted(lesson.tools)[:1], lesson.title.lower()))
        batches = [ordered[i : i + batch_size] for i in range(0, len(ordered), batch_size)]
        levels += 1
        results = list(pool.map(lambda ib: _consolidate_batch(ib[1], calls, levels, ib[0]), enumerate(batches)))
        merged = [lesson for r in results for lesson in r]
        if len(merged) >= len(lessons):
            lessons = merged
            break
        lessons = merged
    return lessons, levels


def _resolve_contradictions(lessons: list[Lesson], calls: _Calls) -> tuple[list[Lesson], list[dict[str, Any]]]:
    if len(lessons) < 2:
        return lessons, []
    ids = {f"L{i + 1}": lesson for i, lesson in enumerate(lessons)}
    user = "Lessons of the skill:\n" + json.dumps([lesson.to_prompt(k) for k, lesson in ids.items()], indent=1, ensure_ascii=False)
    reply = calls.json("contradictions", CONTRA_SYSTEM, user, CONTRA_HINT)
    if reply is None or not isinstance(reply.get("contradictions"), list):
        return lessons, []
    removed: set[str] = set()
    added: list[tuple[int, Lesson]] = []
    resolved_log: list[dict[str, Any]] = []
    for c in reply["contradictions"]:
        if not isinstance(c, dict):
            continue
        involved = [i for i in dict.fromkeys(_str_list(c.get("ids"))) if i in ids and i not in removed]
        res = c.get("resolved") if isinstance(c.get("resolved"), dict) else None
        if len(involved) < 2 or res is None or not _text_of_item(res):
            continue
        sources = [ids[i] for i in involved]
        new = Lesson(
            tier=_norm_tier(res.get("tier") or sources[0].tier),
            title=str(res.get("title") or "").strip() or sources[0].title,
            text=_text_of_item(res),
            runs=_union([s.runs for s in sources]),  # the resolution keeps every citation
            tools=_str_list(res.get("tools")) or _union([s.tools for s in sources]),
            evidence=_merge_evidence(sources),
        )
        removed.update(involved)
        first = min(int(i[1:]) for i in involved) - 1
        added.append((first, new))
        resolved_log.append(
            {
                "reason": str(c.get("reason") or ""),
                "replaced": [{"title": s.title, "lesson": s.text, "runs": s.runs} for s in sources],
                "resolved": {"title": new.title, "lesson": new.text, "runs": new.runs},
            }
        )
    if not removed:
        return lessons, []
    out: list[Lesson] = []
    insert_at = dict(added)
    for i, lesson in enumerate(lessons):
        if i in insert_at:
            out.append(insert_at[i])
        if f"L{i + 1}" not in removed:
            out.append(lesson)
    return out, resolved_log


# =============================================================================================
# emit
# =============================================================================================


def _cite(runs: list[str], limit: int = 6) -> str:
    shown = ", ".join(f"`{r}`" for r in runs[:limit])
    more = f" and {len(runs) - limit} more" if len(runs) > limit else ""
    return f"runs: {shown}{more}"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _render(name: str, description: str, overview: str, lessons: list[Lesson], metadata: dict[str, str], contradictions: list[dict[str, Any]], stats: dict[str, Any]) -> dict[str, bytes]:
    fm = {"name": name, "description": description, "metadata": metadata}
    front = yaml.safe_dump(fm, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    title = name.replace("-", " ").capitalize()
    body = [f"# {title}", ""]
    if overview:
        body += [_one_line(overview), ""]
    body += [
        f"Distilled from {stats['runs']} recorded runs ({stats['successes']} successful, {stats['failures']} failed). "
        "Each item cites the runs (trajectory ids) it was learned from; "
        "`references/lessons.json` has the full citation lists.",
        "",
    ]
    n = 0
    for tier in TIERS:
        items = [lesson for lesson in lessons if lesson.tier == tier]
        body += [f"## {TIER_TITLES[tier]}", ""]
        if not items:
            body += ["(none)", ""]
            continue
        for lesson in items:
            n += 1
            tools = f" Tools: {', '.join(f'`{t}`' for t in lesson.tools)}." if lesson.tools else ""
            body.append(f"{n}. **{_one_line(lesson.title)}**: {_one_line(lesson.text)}{tools} ({_cite(lesson.runs)})")
        body.append("")
    if contradictions:
        body += ["## Resolved contradictions", ""]
        for c in contradictions:
            olds = "; ".join(f'"{_one_line(r["lesson"])}"' for r in c["replaced"])
            why = f" ({_one_line(c['reason'])})" if c["reason"] else ""
            body.append(f"- {olds} conflicted{why}; resolved as \"{_one_line(c['resolved']['lesson'])}\".")
        body.append("")
    skill_md = f"---\n{front}---\n\n" + "\n".join(body).rstrip() + "\n"
    refs = {
        "lessons": [asdict(lesson) for lesson in lessons],
        "contradictions": contradictions,
        "stats": stats,
    }
    return {
        "SKILL.md": skill_md.encode("utf-8"),
        "references/lessons.json": (json.dumps(refs, indent=1, ensure_ascii=False) + "\n").encode("utf-8"),
    }


def _validate(files: dict[str, bytes], name: str) -> list[str]:
    try:
        from skillbank.skill import from_files
    except ImportError:  # pragma: no cover - the library core is part of the package
        return []
    skill = from_files(files, folder_name=name, mode="strict")
    return [str(p) for p in skill.problems if p.severity == "error"]


def _fallback_description(runs: Sequence[Run], lessons: list[Lesson]) -> str:
    envs = sorted({r.source.env for r in runs if r.source.env})
    tools = _union([lesson.tools for lesson in lessons])[:8]
    d = "Lessons distilled from recorded agent runs"
    if envs:
        d += f" in {', '.join(envs)}"
    d += ": plans, procedures and tool-use rules learned from successes and failures."
    if tools:
        d += f" Use when working with {', '.join(tools)}."
    return d


# =============================================================================================
# entry point
# =============================================================================================


def distill(
    runs: Sequence[Run],
    provider: Provider,
    *,
    name: str,
    workers: int = 4,
    batch_size: int = 8,
    target: int = 24,
    max_levels: int = 5,
    max_lessons_per_run: int = 5,
    resolve_contradictions: bool = True,
    params: dict[str, Any] | None = None,
) -> DistilledSkill:
    """Distil one three-tier text skill from ``runs`` with ``provider``.

    Failed LLM calls never abort the whole job: a run whose extraction fails contributes no
    lessons, a batch whose merge fails is kept as it was (see ``stats["llm_errors"]``).
    Raises :class:`DistillError` when no lesson at all could be extracted.
    """
    if not runs:
        raise DistillError("no runs to distil from")
    skill_name = slugify(name)
    calls = _Calls(provider, dict(params if params is not None else {"temperature": 0.0}))
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="distill") as pool:
        per_run = list(pool.map(lambda r: _extract(r, calls, max_lessons_per_run), runs))
        extracted = [lesson for lst in per_run for lesson in lst]
        if not extracted:
            raise DistillError(
                f"no lesson could be extracted from {len(runs)} runs"
                + (f" (first LLM error: {calls.errors[0]})" if calls.errors else "")
            )
        lessons, levels = _consolidate(
            extracted, calls, pool, batch_size=max(2, batch_size), target=max(1, target), max_levels=max_levels
        )
    contradictions: list[dict[str, Any]] = []
    if resolve_contradictions:
        lessons, contradictions = _resolve_contradictions(lessons, calls)

    succ = sum(1 for r in runs if r.outcome.success)
    stats: dict[str, Any] = {
        "runs": len(runs),
        "successes": succ,
        "failures": len(runs) - succ,
        "runs_with_lessons": sum(1 for lst in per_run if lst),
        "lessons_extracted": len(extracted),
        "lessons_final": len(lessons),
        "consolidation_levels": levels,
        "contradictions_resolved": len(contradictions),
        "llm_calls": len(calls.calls),
        "llm_errors": list(calls.errors),
    }

    tier_summary = {t: [lesson.title for lesson in lessons if lesson.tier == t][:6] for t in TIERS}
    envs = sorted({r.source.env for r in runs if r.source.env})
    user = (
        f"Skill name: {skill_name}\nEnvironment(s): {', '.join(envs) or 'unknown'}\n"
        f"Example tasks:\n" + "\n".join(f"- {_clip(r.task, 200)}" for r in runs[:5] if r.task) + "\n"
        f"Lesson titles by tier: {json.dumps(tier_summary, ensure_ascii=False)}"
    )
    reply = calls.json("describe", DESCRIBE_SYSTEM, user, DESCRIBE_HINT)
    stats["llm_calls"] = len(calls.calls)
    stats["llm_errors"] = list(calls.errors)
    description = _one_line(str((reply or {}).get("description") or "")) or _fallback_description(runs, lessons)
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 3].rstrip() + "..."
    overview = str((reply or {}).get("overview") or "").strip()

    models = sorted({r.source.model for r in runs if r.source.model})
    metadata = {
        "generated-by": "skillbank.learn.distill",
        "distill-model": str(getattr(provider, "model", "unknown")),
        "source-runs": str(len(runs)),
        "source-successes": str(succ),
        "source-failures": str(len(runs) - succ),
    }
    if envs:
        metadata["source-env"] = ", ".join(envs)
    if models:
        metadata["source-agent-models"] = ", ".join(models)
    files = _render(skill_name, description, overview, lessons, metadata, contradictions, stats)
    return DistilledSkill(
        name=skill_name,
        description=description,
        overview=overview,
        lessons=lessons,
        contradictions=contradictions,
        stats=stats,
        files=files,
        problems=_validate(files, skill_name),
    )
