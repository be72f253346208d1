"""Verification by execution: admit a mined skill only if it reproduces its sources and generalises.

A candidate is **admitted** only if, executed in the sandbox by an environment adapter
(:mod:`skillbank.envs`),

1. it reproduces the end state **and** every return value of every occurrence it was mined
   from (source spans; state restored by replaying the run up to the span), and
2. it succeeds the same way on validation spans it was **not** mined from (spans of
   validation runs where its constants, shared parameters and bindings hold) - at least
   ``min_validation`` of them, and all of them.

When no validation run has a span, the evidence may come from **held-out mining tasks**
(:func:`hold_out`): some of the tasks the candidate occurs in are set aside, the candidate is
mined again from the rest and must come out *identical* (an anti-unified template: from at
least 2 remaining tasks; a structured skill: produced again by the environment's miner under
its own support rule); its occurrences become the remaining ones and the set-aside tasks'
spans are validation spans it was not mined from.

The :class:`Verification` record (runs, per-case results, environment version, sandbox
mode, time) is stored with the skill version; failures keep the candidate as a candidate
with its reason, never as a skill.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from skillbank.learn.emit import script_source
from skillbank.learn.mine import Template, Trace, find_matches, match_span

__all__ = ["Verification", "verify_template", "cases_for", "hold_out"]


@dataclass
class Verification:
    template: str
    admitted: bool
    reason: str
    env: str
    env_version: str
    source_cases: int = 0
    source_passed: int = 0
    validation_cases: int = 0
    validation_passed: int = 0
    results: list[dict[str, Any]] = field(default_factory=list)
    held_out: list[str] = field(default_factory=list)  # mining tasks set aside as validation
    sandbox: str = ""
    seconds: float = 0.0
    verified_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "admitted": self.admitted,
            "reason": self.reason,
            "env": self.env,
            "env_version": self.env_version,
            "source_cases": self.source_cases,
            "source_passed": self.source_passed,
            "validation_cases": self.validation_cases,
            "validation_passed": self.validation_passed,
            "runs": sorted({r["run"] for r in self.results}),
            "results": self.results,
            "held_out": self.held_out,
            "sandbox": self.sandbox,
            "seconds": round(self.seconds, 3),
            "verified_at": self.verified_at,
        }


def cases_for(
    t: Template,
    mined_from: dict[str, Trace],
    validation: Sequence[Trace],
    *,
    max_source: int = 50,
    max_validation: int = 30,
) -> tuple[list[Any], list[Any]]:
    """(source cases, validation cases) as (trace, turn, start, params, role) tuples."""
    src = []
    for o in t.occurrences[:max_source]:
        tr = mined_from.get(o.trace)
        if tr is None:
            continue
        m = match_span(t, tr.turns[o.turn], o.start)  # fixed templates and structured skills
        if m is not None:
            src.append((tr, o.turn, o.start, m[1], "source"))
    mined_ids = {o.trace for o in t.occurrences}
    val = [(tr, ti, i, p, "validation") for tr, ti, i, p in find_matches(t, [v for v in validation if v.id not in mined_ids])]
    return src, val[:max_validation]


def _rederive(t: Template, keep: Sequence[Trace], env: str | None) -> Template | None:
    """The identical candidate mined again from `keep` only (the same miner, its own support
    rule), or None. Identity is the signature; what mining records beside it (parameter
    types) is taken from this re-derivation, not from the full mining."""
    from skillbank.learn.mine import mine, mine_general

    sig = t.signature()
    if t.policy is not None:
        if env is None:
            return None
        from skillbank.envs import get_env

        extra = getattr(get_env(env), "extra_candidates", None)
        if extra is None:
            return None
        return next((c for c in extra(list(keep)) if c.signature() == sig), None)
    by = {tr.id: tr for tr in keep}
    if len({by[o.trace].task_id for o in t.occurrences if o.trace in by}) < (1 if t.kind == "generalised" else 2):
        return None
    if t.kind == "ngram":
        return t  # exact calls: any occurrence yields the same n-gram
    # the same miner over the remaining traces (only windows of this shape) must produce it
    miner = mine_general if t.kind == "generalised" else mine
    return next((c for c in miner(list(keep), shapes=[t.shape()]) if c.signature() == sig), None)


def hold_out(t: Template, mined_from: dict[str, Trace], env: str | None = None, *, fraction: float = 1 / 3) -> tuple[Template, list[Trace]] | None:
    """Set aside some of the mining tasks a candidate occurs in, as validation evidence.

    Tasks are taken in a fixed order (sorted ids) while the candidate mined again from the
    remaining mining traces is identical (anti-unified templates: from >= 2 remaining tasks;
    structured skills: the environment's miner, with its own support rule, must produce it
    again); at most ``fraction`` of its tasks (at least one). Returns (the candidate with only
    the remaining occurrences, the set-aside traces), or None when no task can be set aside.
    """
    from dataclasses import replace

    tasks = sorted({mined_from[o.trace].task_id for o in t.occurrences if o.trace in mined_from})
    if len(tasks) < 2:
        return None
    limit = max(1, int(len(tasks) * fraction))
    out: list[str] = []
    again: Template | None = None
    for task in tasks:
        trial = set(out) | {task}
        keep = [tr for tr in mined_from.values() if tr.task_id not in trial]
        got = _rederive(t, keep, env)
        if got is not None:
            out.append(task)
            again = got
            if len(out) >= limit:
                break
    if not out or again is None:
        return None
    gone = set(out)
    kept = replace(
        t,
        param_types=dict(again.param_types),
        occurrences=[o for o in t.occurrences if o.trace in mined_from and mined_from[o.trace].task_id not in gone],
    )
    return kept, [tr for tr in mined_from.values() if tr.task_id in gone]


def verify_template(
    t: Template,
    env: str,
    mined_from: dict[str, Trace],
    validation: Sequence[Trace],
    *,
    min_validation: int = 1,
    name: str = "skill",
    held_out: bool = True,
) -> Verification:
    """Run the skill's script in the sandbox on its source and validation spans; decide admission.

    With `held_out` and no validation span in `validation`, mining tasks set aside by
    :func:`hold_out` supply the validation spans; an admitted candidate's ``occurrences`` are
    then the remaining ones (what it was mined from).
    """
    from skillbank.envs import get_env
    from skillbank.envs.sandbox import network_mode

    adapter = get_env(env)
    started = time.monotonic()
    rec = Verification(
        template=t.id,
        admitted=False,
        reason="",
        env=env,
        env_version=adapter.env_version(),
        sandbox=network_mode(),
        verified_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    src, val = cases_for(t, mined_from, validation)
    kept = None
    if held_out and len(val) < min_validation:
        ho = hold_out(t, mined_from, env)
        if ho is not None:
            kept, aside = ho
            src2, val2 = cases_for(kept, mined_from, aside)
            if len(val2) >= min_validation:
                src, val = src2, val2
                rec.held_out = sorted({tr.task_id for tr in aside})
            else:
                kept = None
    rec.source_cases, rec.validation_cases = len(src), len(val)
    if not src:
        rec.reason = "no source occurrence could be restored"
        return rec
    if len(val) < min_validation:
        rec.reason = f"no validation span to test generalisation (needs {min_validation}, found {len(val)})"
        # still replay the sources so the record says whether it at least reproduces them
    cases = [adapter.Case(*c) for c in src + val]
    try:
        results = adapter.verify_cases(t, script_source(t, name), cases)
    except Exception as exc:  # noqa: BLE001 - e.g. runs whose state this environment cannot restore
        rec.reason = f"cannot execute in {env}: {type(exc).__name__}: {exc}"[:300]
        rec.seconds = time.monotonic() - started
        return rec
    rec.results = [r.to_json() for r in results]
    rec.source_passed = sum(1 for r in results if r.role == "source" and r.ok)
    rec.validation_passed = sum(1 for r in results if r.role == "validation" and r.ok)
    rec.seconds = time.monotonic() - started
    if rec.source_passed < len(src):
        bad = next(r for r in results if r.role == "source" and not r.ok)
        rec.reason = f"source replay failed on {bad.trace} turn {bad.turn}: {bad.reason}"
    elif rec.reason:
        pass
    elif rec.validation_passed < len(val):
        bad = next(r for r in results if r.role == "validation" and not r.ok)
        rec.reason = f"validation span failed on {bad.trace} turn {bad.turn}: {bad.reason}"
    else:
        rec.admitted = True
        rec.reason = f"reproduced {len(src)} source and {len(val)} validation spans (state and return values)"
        if kept is not None:
            t.occurrences = kept.occurrences  # mined from the remaining tasks only
            rec.reason += f"; validation spans from {len(rec.held_out)} mining task(s) held out"
    return rec
