"""`skillbank learn`: runs in -> candidates mined -> verified in an environment -> admitted skills.

* :func:`learn` - the whole pipeline over runs; returns a summary (candidates, verified,
  admitted, rejected with reasons). Without an environment nothing can be verified, so
  every candidate stays a candidate (listed by ``skillbank candidates``), never a skill.
* :func:`add_skill` - the one place that writes an admitted skill into the library
  (provenance source kind ``learned``, verification record stored with the version).
* :func:`save_candidates` / :func:`list_candidates` - the ``learn_candidates`` table
  (namespace ``learn``).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from skillbank.learn.emit import occurrence_examples, skill_files, skill_name
from skillbank.learn.mine import Template, Trace, mine, mine_general, select_library, split_ids, traces_from_runs
from skillbank.store.tx import write_transaction

__all__ = ["learn", "add_skill", "save_candidates", "list_candidates", "MIGRATIONS"]

MIGRATIONS = [
    """
    CREATE TABLE learn_candidates (
        id TEXT PRIMARY KEY,
        template_id TEXT NOT NULL,
        env TEXT,
        status TEXT NOT NULL,          -- admitted | rejected | unverified
        reason TEXT NOT NULL DEFAULT '',
        name TEXT,
        calls INTEGER NOT NULL,
        params INTEGER NOT NULL,
        occurrences INTEGER NOT NULL,
        saving INTEGER NOT NULL,
        summary TEXT NOT NULL,
        template TEXT NOT NULL,
        verification TEXT,
        skill_version INTEGER,
        origin TEXT,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX learn_candidates_status ON learn_candidates(status);
    """
]


def _migrate(conn: Any) -> None:
    from skillbank.store.migrations import migrate

    migrate(conn, "learn", MIGRATIONS)


def save_candidates(conn: Any, rows: Iterable[dict[str, Any]]) -> int:
    _migrate(conn)
    n = 0
    with write_transaction(conn, "candidates"):
        for r in rows:
            conn.execute(
                """INSERT INTO learn_candidates
                   (id, template_id, env, status, reason, name, calls, params, occurrences, saving, summary,
                    template, verification, skill_version, origin, updated_at)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                   ON CONFLICT(id) DO UPDATE SET status=excluded.status, reason=excluded.reason,
                     name=excluded.name, occurrences=excluded.occurrences, saving=excluded.saving,
                     template=excluded.template, verification=excluded.verification,
                     skill_version=excluded.skill_version, origin=excluded.origin, updated_at=excluded.updated_at""",
                (
                    f"{r['env'] or '-'}:{r['template_id']}",
                    r["template_id"],
                    r["env"],
                    r["status"],
                    r["reason"],
                    r.get("name"),
                    r["calls"],
                    r["params"],
                    r["occurrences"],
                    r["saving"],
                    r["summary"],
                    json.dumps(r["template"]),
                    json.dumps(r["verification"]) if r.get("verification") is not None else None,
                    r.get("skill_version"),
                    r.get("origin"),
                ),
            )
            n += 1
    return n


def list_candidates(conn: Any, status: str | None = None, env: str | None = None) -> list[dict[str, Any]]:
    _migrate(conn)
    q = "SELECT id, template_id, env, status, reason, name, calls, params, occurrences, saving, summary, skill_version, updated_at FROM learn_candidates"
    where, args = [], []
    if status:
        where.append("status = ?")
        args.append(status)
    if env:
        where.append("env = ?")
        args.append(env)
    if where:
        q += " WHERE " + " AND ".join(where)
    q += " ORDER BY CASE status WHEN 'admitted' THEN 0 WHEN 'rejected' THEN 1 ELSE 2 END, saving * occurrences DESC, id"
    cols = ["id", "template_id", "env", "status", "reason", "name", "calls", "params", "occurrences", "saving", "summary", "skill_version", "updated_at"]
    return [dict(zip(cols, row)) for row in conn.execute(q, args).fetchall()]


def add_skill(library: Any, files: dict[str, bytes], *, origin: str, verification: dict[str, Any]) -> Any:
    """Add one admitted skill to the library with provenance ``learned`` and its verification record."""
    return library.add_files(files, source_kind="learned", origin=origin, extra={"verification": verification})


def _row(t: Template, env: str | None, status: str, reason: str, verification: dict[str, Any] | None = None, name: str | None = None) -> dict[str, Any]:
    from skillbank.learn.emit import describe

    return {
        "template_id": t.id,
        "env": env,
        "status": status,
        "reason": reason,
        "name": name,
        "calls": t.n,
        "params": t.p,
        "occurrences": len(t.occurrences),
        "saving": t.saving,
        "summary": describe(t)[:500],
        "template": t.to_json(),
        "verification": verification,
    }


def distill_text_candidate(runs: Sequence[Any], llm_url: str, *, name: str = "learned-text-skill", model: str | None = None) -> dict[str, Any]:
    """An LLM-distilled text skill (``skillbank.learn.distill``) as a *candidate* row.

    Text skills cannot be verified by execution, so they are never admitted here: they are
    listed by ``skillbank candidates`` (status ``unverified``) for review and ``skillbank add``.
    """
    from skillbank.learn.distill import distill
    from skillbank.llm import OpenAICompatible

    with OpenAICompatible(base_url=llm_url, model=model, max_retries=1) as provider:
        ds = distill([r for r in runs if r.outcome.success is not False], provider, name=name)
    files = {p: b.decode("utf-8", "replace") for p, b in ds.files.items()}
    return {
        "template_id": "text-" + ds.name,
        "env": None,
        "status": "unverified",
        "reason": "text skill distilled by an LLM: not verifiable by execution; review it, then `skillbank add`",
        "name": ds.name,
        "calls": 0,
        "params": 0,
        "occurrences": len(runs),
        "saving": 0,
        "summary": ds.description[:500],
        "template": {"kind": "text", "files": files, "problems": ds.problems},
        "verification": None,
    }


def learn(
    runs: Sequence[Any],
    *,
    env: str | None = None,
    library: Any = None,
    dry_run: bool = False,
    k: int = 20,
    seed: int = 0,
    origin: str = "skillbank learn",
    progress: Callable[[str, int, int], None] | None = None,
    max_unverified: int = 200,
    max_checks: int = 60,
) -> dict[str, Any]:
    """Mine, verify and admit program skills from runs. Returns the summary."""
    started = time.monotonic()
    traces = traces_from_runs(runs)
    if env is not None:
        from skillbank.envs import get_env

        prep = getattr(get_env(env), "prepare", None)
        if prep:
            traces = prep(traces)
    skipped = len(runs) - len(traces)
    mine_ids, val_ids, _ = split_ids([t.task_id for t in traces], seed, (0.8, 0.2, 0.0))
    mset, vset = set(mine_ids), set(val_ids)
    mine_traces = [t for t in traces if t.task_id in mset]
    val_traces = [t for t in traces if t.task_id in vset]
    t0 = time.monotonic()
    cands = mine(mine_traces)
    cands += mine_general(mine_traces, exclude=[t.signature() for t in cands])
    if env is not None:
        from skillbank.envs import get_env

        extra = getattr(get_env(env), "extra_candidates", None)
        if extra:
            cands = extra(mine_traces) + cands
    mine_s = time.monotonic() - t0
    rows: dict[str, dict[str, Any]] = {}
    admitted: list[dict[str, Any]] = []
    taken: set[str] = set()
    by_id: dict[str, Trace] = {t.id: t for t in mine_traces}
    verdicts: dict[str, Any] = {}
    if env is not None:
        from skillbank.envs import get_env
        from skillbank.learn.verify import verify_template

        get_env(env)  # fail early if the environment is not installed
        checked = [0]

        def admit(t: Template) -> bool:
            name = skill_name(t, set(taken))
            rec = verify_template(t, env, by_id, val_traces, name=name)
            verdicts[t.id] = rec
            checked[0] += 1
            if progress:
                progress(f"{'admitted' if rec.admitted else 'rejected'} {name}", checked[0], 0)
            return rec.admitted

        library_skills = select_library(cands, mine_traces + val_traces, k=k, admit=admit, max_checks=max_checks)
        for rank, t in enumerate(library_skills, start=1):
            name = skill_name(t, taken)
            rec = verdicts[t.id].to_json()
            files = skill_files(
                t,
                name,
                env=env,
                examples=occurrence_examples(t, by_id),
                stats={"rank": rank, "verified-cases": rec["source_cases"] + rec["validation_cases"], "env-version": rec["env_version"]},
            )
            entry = {"name": name, "template_id": t.id, "calls": t.n, "params": t.p, "rank": rank, "files": sorted(files)}
            version = None
            if library is not None and not dry_run:
                out = add_skill(library, files, origin=origin, verification=rec)
                entry["status"] = out.status
                version = out.version
                if out.status == "rejected":
                    entry["error"] = out.message
            admitted.append(entry)
            row = _row(t, env, "admitted", rec["reason"], rec, name)
            row["skill_version"] = version
            rows[t.id] = row
        for tid, rec in verdicts.items():
            if tid in rows:
                continue
            t = next(c for c in cands if c.id == tid)
            rows[tid] = _row(t, env, "rejected", rec.reason, rec.to_json())
    for t in cands:
        if len(rows) >= len(verdicts) + max_unverified and env is not None:
            break
        if t.id not in rows:
            why = "not verified: no environment given (--env)" if env is None else "not verified: not selected (lower marginal saving)"
            rows[t.id] = _row(t, env, "unverified", why)
        if env is None and len(rows) >= max_unverified:
            break
    for r in rows.values():
        r["origin"] = origin
    if library is not None and not dry_run:
        save_candidates(library.conn, rows.values())
    reasons = Counter(r["reason"].split(" on ")[0].split(":")[0] for r in rows.values() if r["status"] == "rejected")
    return {
        "runs": len(runs),
        "runs_used": len(traces),
        "runs_skipped_unsuccessful": skipped,
        "tasks_mined": len(mine_traces),
        "tasks_validation": len(val_traces),
        "env": env,
        "dry_run": dry_run,
        "candidates": len(cands),
        "verified": len(verdicts),
        "admitted": len(admitted),
        "rejected": sum(1 for r in rows.values() if r["status"] == "rejected"),
        "unverified": len(cands) - len(verdicts),
        "rejected_reasons": dict(reasons),
        "skills": admitted,
        "seconds": {"mine": round(mine_s, 3), "total": round(time.monotonic() - started, 2)},
    }
