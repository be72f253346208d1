"""CLI commands of the learn part: `learn`, `candidates`, `eval learn`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from skillbank.cli.output import console as _out_console
from skillbank.cli.output import emit_json, json_option, library_from

ENV_CHOICE = click.Choice(["bfcl", "textworld-express"])


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def _load(paths: tuple[str, ...]):
    from skillbank.errors import SkillbankError

    try:
        from skillbank.learn.importers import import_runs
    except ImportError:  # pragma: no cover - importers are optional for plain run files
        from skillbank.learn.runs import load_runs as import_runs  # type: ignore[assignment]
    runs, problems = [], []
    for p in paths:
        try:
            rep = import_runs(p)
        except (ValueError, OSError) as exc:
            msg = str(exc)
            # the importers usually name the file already: name it once
            named = msg.startswith((p, str(Path(p)))) or (isinstance(exc, OSError) and exc.filename is not None)
            raise SkillbankError(msg if named else f"{p}: {msg}") from exc
        runs.extend(rep.runs)
        problems.extend(str(x) for x in rep.problems)
    return runs, problems


@click.command("learn")
@click.argument("runs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--env", type=ENV_CHOICE, help="Verify candidates by execution in this environment (required to admit skills).")
@click.option("--llm", "llm_url", metavar="URL", help="OpenAI-compatible endpoint for text-skill distillation (skillbank.learn.distill).")
@click.option(
    "--llm-model", "llm_model", metavar="NAME", envvar="SKILLBANK_LLM_MODEL", show_envvar=True,
    help="Model name for --llm.",
)
@click.option("--dry-run", is_flag=True, help="Mine and verify, but write nothing to the library.")
@click.option("-k", "k", default=20, show_default=True, type=click.IntRange(min=1), help="At most this many skills admitted.")
@click.option("--seed", default=0, show_default=True, help="Seed of the mining/validation split of task ids.")
@json_option
@click.pass_context
def learn_cmd(
    ctx: click.Context, runs: tuple[str, ...], env: str | None, llm_url: str | None, llm_model: str | None,
    dry_run: bool, k: int, seed: int, as_json: bool,
) -> None:
    """Mine program skills from successful RUNS (JSONL, ATIF, tau-bench or BFCL data), verify, admit.

    A candidate becomes a skill only if, run in the sandbox against ENV, it reproduces the end
    state and every return value of the spans it was mined from and of validation spans it was
    not mined from. Without --env every candidate stays a candidate (`skillbank candidates`).

    With --llm URL --llm-model NAME a text skill is also distilled and kept as a candidate; if it
    cannot be made the command says why on stderr and exits 1 (the program skills stay learned).
    """
    if llm_url and not llm_model:
        raise click.UsageError("--llm needs a model name: pass --llm-model NAME or set SKILLBANK_LLM_MODEL (nothing was mined)")
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from skillbank.learn.induce import learn

    started = time.monotonic()
    loaded, problems = _load(runs)
    lib = None if dry_run else library_from(ctx)
    console = _err()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} checked"), TimeElapsedColumn(), console=console, transient=True, disable=as_json or not console.is_terminal) as bar:
        task = bar.add_task(f"mining {len(loaded)} runs", total=None)

        def progress(msg: str, done: int, total: int) -> None:
            bar.update(task, description=escape(msg[:70]), completed=done)

        summary = learn(loaded, env=env, library=lib, dry_run=dry_run, k=k, seed=seed, origin=",".join(runs), progress=progress)
    summary["input_problems"] = len(problems)
    text_error = None
    if llm_url:
        from skillbank.learn.induce import distill_text_candidate, save_candidates

        try:
            row = distill_text_candidate(loaded, llm_url, model=llm_model)
        except Exception as exc:  # noqa: BLE001 - the program skills above stand on their own
            summary["text_skill"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            text_error = " ".join(str(exc).split())[:300] or type(exc).__name__
        else:
            row["origin"] = ",".join(runs)
            if lib is not None:
                save_candidates(lib.conn, [row])
            summary["text_skill"] = {"name": row["name"], "status": "candidate", "reason": row["reason"], "description": row["summary"]}
    summary["seconds"]["wall"] = round(time.monotonic() - started, 2)
    if as_json:
        emit_json(summary)
    else:
        _print_learn_summary(summary, problems, env)
    if text_error is not None:
        kept = (
            "dry run: nothing was written" if dry_run
            else f"the program skills were learned ({summary['admitted']} admitted, {summary['candidates']} candidate(s) saved)"
        )
        click.echo(f"error: text skill not distilled: {text_error}; {kept}", err=True)
        ctx.exit(1)


def _print_learn_summary(summary: dict, problems: list[str], env: str | None) -> None:
    out = _out_console()  # a pipe gets whole lines, never wrapped
    if problems:
        out.print(f"[yellow]{len(problems)} input problem(s)[/]; first: {escape(problems[0])}")
    why = []
    if summary.get("runs_skipped_unsuccessful"):
        why.append(f"{summary['runs_skipped_unsuccessful']} unsuccessful, not mined")
    if problems:
        why.append(f"{len(problems)} unreadable input record(s) skipped")
    out.print(
        f"runs {summary['runs_used']}/{summary['runs']} used{' (' + '; '.join(why) + ')' if why else ''}  candidates {summary['candidates']}  "
        f"verified {summary['verified']}  admitted [green]{summary['admitted']}[/]  rejected [red]{summary['rejected']}[/]  "
        f"unverified {summary['unverified']}  ({summary['seconds']['wall']}s)"
    )
    if env is None:
        out.print("[yellow]no --env: nothing verified, nothing admitted; candidates kept as candidates[/]")
    for reason, n in summary["rejected_reasons"].items():
        out.print(f"  rejected {n}: {escape(reason)}")
    text = summary.get("text_skill") or {}
    if text.get("name"):
        out.print(f"text skill {escape(text['name'])}: kept as a candidate (not verifiable by execution; review it with `skillbank candidates --status unverified`)")
    if summary["skills"]:
        t = Table("rank", "skill", "calls", "params", "status")
        for s in summary["skills"]:
            t.add_row(str(s["rank"]), s["name"], str(s["calls"]), str(s["params"]), s.get("status", "dry-run"))
        _print_table(out, t)


def _print_table(out: Console, table: Table, *, shrink: int | None = None, shrink_min: int = 24) -> None:
    """Print `table` without ever cutting a cell short: skill names and ids must stay copyable.

    Only column `shrink` (a free-text column) may wrap, down to `shrink_min` characters; every
    other column keeps its full width. If that does not fit the console, the table is printed
    wider than the console (the terminal wraps the lines; the ids stay whole).
    """
    from rich.measure import Measurement

    for i, col in enumerate(table.columns):
        col.no_wrap = i != shrink
    if shrink is not None:
        table.columns[shrink].max_width = shrink_min
    need = Measurement.get(out, out.options.update_width(100_000), table).maximum
    if shrink is not None:
        table.columns[shrink].max_width = None
    if need > out.width:
        out = Console(file=out.file, width=need, highlight=False)
    out.print(table)


@click.command("candidates")
@click.option("--status", type=click.Choice(["admitted", "rejected", "unverified"]), help="Only candidates with this status.")
@click.option("--env", type=ENV_CHOICE, help="Only candidates of this environment.")
@click.option("-n", "limit", default=50, show_default=True, type=click.IntRange(min=1), help="Show at most this many.")
@json_option
@click.pass_context
def candidates_cmd(ctx: click.Context, status: str | None, env: str | None, limit: int, as_json: bool) -> None:
    """List mined candidate skills: admitted, rejected (with the reason) and unverified."""
    from skillbank.learn.induce import list_candidates

    lib = library_from(ctx)
    rows = list_candidates(lib.conn, status=status, env=env)
    if as_json:
        emit_json({"total": len(rows), "candidates": rows[:limit]})
        return
    out = _out_console()  # a pipe gets whole lines, never wrapped
    everything = rows if not (status or env) else list_candidates(lib.conn)
    in_all = f"{len(everything)} candidate{'' if len(everything) == 1 else 's'} in all"
    by_status = ", ".join(
        f"{n} {st}" for st in ("admitted", "rejected", "unverified") if (n := sum(r["status"] == st for r in everything))
    )
    what = (status or f"candidate{'' if len(rows) == 1 else 's'}") + (f" for {env}" if env else "")
    if not rows:
        if everything:
            out.print(f"no {what} ({in_all}: {by_status})")
        else:
            out.print("no candidates yet (run `skillbank learn RUNS.jsonl --env bfcl`)")
        return
    shown = rows[:limit]
    t = Table("status", "id", "calls", "params", "occ")
    t.add_column("summary / reason")
    colors = {"admitted": "green", "rejected": "red", "unverified": "yellow"}
    ids = [r["name"] or r["template_id"] for r in shown]
    for r, cid in zip(shown, ids):
        t.add_row(f"[{colors[r['status']]}]{r['status']}[/]", escape(cid), str(r["calls"]), str(r["params"]), str(r["occurrences"]), escape(f"{r['summary'][:90]}\n{r['reason'][:90]}"))
    _print_table(out, t, shrink=5)
    head = f"showing {len(shown)} of {len(rows)} {what}" if len(shown) < len(rows) else f"{len(rows)} {what}"
    tail = f"({in_all}: {by_status})" if status or env else f"({by_status})"
    more = "; -n N shows more" if len(shown) < len(rows) else ""
    out.print(f"{head} {tail}{more}")


@click.command("learn")
@click.option("--env", "envs", type=ENV_CHOICE, multiple=True, help="Environment to benchmark (default: both).")
@click.option("--seeds", default="0,1,2", show_default=True, help="Comma-separated split seeds (at least 3 for the report).")
@click.option("-k", "k", default=20, show_default=True, type=click.IntRange(min=1), help="Library size per environment.")
@click.option("--limit", type=click.IntRange(min=1), help="Use only this many tasks/episodes (quick runs).")
@click.option(
    "--no-held-out", "no_held_out", is_flag=True,
    help="Admit on validation-split spans only (no spans of held-out mining tasks), for skills and baseline.",
)
@json_option
def eval_learn_cmd(envs: tuple[str, ...], seeds: str, k: int, limit: int | None, no_held_out: bool, as_json: bool) -> None:
    """Decisions saved by verified mined skills on held-out test tasks, vs an n-gram baseline.

    Per environment: split (seeded), mine on train, select and verify on train + validation,
    freeze, substitute on test and execute every rewritten test task against its gold program.
    """
    from skillbank.learn.eval import eval_learn

    seed_list = tuple(int(s) for s in seeds.split(",") if s.strip())
    console = _err()
    results = []
    for env in envs or ("bfcl", "textworld-express"):
        with console.status(f"eval learn {env}") as st:
            results.append(
                eval_learn(
                    env, seeds=seed_list, k=k, limit=limit, held_out=not no_held_out,
                    progress=lambda m: st.update(escape(m[:100])) if not as_json else None,
                )
            )
    if as_json:
        emit_json(results[0] if len(results) == 1 else {r["env"]: r for r in results})
        return
    out = _out_console()  # a pipe gets whole lines, never wrapped
    for res in results:
        t = Table(title=f"eval learn --env {res['env']} ({res['env_version']}, seeds {res['seeds']})")
        t.add_column("metric")
        t.add_column("value", justify="right")
        for key in (
            "tasks_test", "tasks_with_skill", "cost_before", "cost_after", "decisions_saved", "decisions_saved_min",
            "decisions_saved_max", "decisions_saved_path_components", "held_out_admission", "argslot_saved", "baseline_decisions_saved", "ceiling_test_oracle", "substitutions",
            "substitutions_verified", "candidates", "verified", "admitted", "rejected", "library_size",
            "success_gold", "success_after", "episodes_changed", "seconds",
        ):
            if key in res:
                t.add_row(key, str(res[key]))
        t.add_row("argslot_saved_by", ", ".join(f"{k2} {v}" for k2, v in res["argslot_saved_by"].items()))
        out.print(t)
    sys.stdout.flush()


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach this part's commands."""
    main.add_command(learn_cmd)
    main.add_command(candidates_cmd)
    eval_group.add_command(eval_learn_cmd)
