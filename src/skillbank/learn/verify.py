"""Verification by execution: admit a mined skill only if it reproduces its sources and generalises.

A candidate is **admitted** only if, executed in the sandbox by an environment adapter
(:mod:`skillbank.envs`),

1. it reproduces the end state **and** every return value of every occurrence it was mined
   from (source spans; state restored by replaying the run up to the span), and
2. it succeeds the same way on validation spans it was **not** mined from (spans of
   validation runs where its constants, shared parameters and bindings hold) - at least
   ``min_validation`` of them, and all of them.

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

__all__ = ["Verification", "verify_template", "cases_for"]


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


def verify_template(
    t: Template,
    env: str,
    mined_from: dict[str, Trace],
    validation: Sequence[Trace],
    *,
    min_validation: int = 1,
    name: str = "skill",
) -> Verification:
    """Run the skill's script in the sandbox on its source and validation spans; decide admission."""
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
    return rec
