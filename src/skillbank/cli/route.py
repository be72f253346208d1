"""CLI commands of the route part (registered on the main group and the `eval` group)."""

from __future__ import annotations

import json
import time
import tempfile
from contextlib import contextmanager
from pathlib import Path

import click

from skillbank.cli.output import emit_json, json_option


@contextmanager
def _progress(label: str):
    """A rich progress bar on stderr, shown from the first update on (nothing to do: no bar);
    yields a callback (done, total)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True)
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            bar.start()
            task = bar.add_task(label, total=total or None)
        bar.update(task, completed=done, total=total or None)

    try:
        yield update
    finally:
        if task is not None:
            bar.stop()


def _llm_options(func):
    func = click.option("--llm-rerank", is_flag=True,
                        help="Let the configured LLM reorder the top 20 (SKILLBANK_LLM_URL/_MODEL).")(func)
    return click.option("--llm-rewrite", is_flag=True,
                        help="Search with an LLM-written description of the skills the task needs.")(func)


def _provider(rewrite: bool, rerank: bool):
    if not (rewrite or rerank):
        return None
    from skillbank.errors import SkillbankError
    from skillbank.llm import default_provider

    llm = default_provider()
    if llm is None:
        raise SkillbankError("--llm-rewrite/--llm-rerank need an LLM: set SKILLBANK_LLM_URL and SKILLBANK_LLM_MODEL")
    return llm


def _console():
    from skillbank.cli.output import console

    return console()


def _fmt(v: float) -> str:
    return f"{v:.3f}"


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach this part's commands."""

    @main.command("find")
    @click.argument("task")
    @click.option("-k", "k", default=5, show_default=True, type=click.IntRange(1, 1000),
                  help="How many skills to return.")
    @click.option("--explain", is_flag=True, help="Say which fields and terms matched.")
    @click.option("--reindex", is_flag=True, help="Resync the router index with the library first.")
    @click.option("--include-blocked", is_flag=True,
                  help="Also rank skills whose trust tier is blocked (left out by default, as the MCP "
                       "server and to-prompt leave them out).")
    @_llm_options
    @json_option
    @click.pass_context
    def find_cmd(ctx: click.Context, task: str, k: int, explain: bool, reindex: bool, include_blocked: bool,
                 llm_rewrite: bool, llm_rerank: bool, as_json: bool):
        """Route TASK to the best skills of the library (ranked, with scores and trust tier).

        Scores are relative (the best candidate of a task scores highest); they say which
        skill fits best, not whether any fits. Skills blocked by their trust tier (the one
        stored at add, made stricter by the nearest .skillbank-policy.yaml if any — a policy
        found this way never loosens a tier) are left out unless --include-blocked.
        """
        from skillbank.audit import find_policy
        from skillbank.cli.output import library_from

        llm = _provider(llm_rewrite, llm_rerank)
        lib = library_from(ctx, create=False)
        policy = find_policy(Path.cwd())  # the project's .skillbank-policy.yaml, as install and serve read it
        with _progress("indexing skills") as cb:
            hits = lib.find(task, k=k, policy=policy, policy_tightens_only=True, include_blocked=include_blocked, progress=cb, reindex=reindex,
                            explain=explain, llm=llm, llm_rewrite=llm_rewrite, llm_rerank=llm_rerank)
        if as_json:
            emit_json({"task": task, "results": [h.to_dict() for h in hits]})
            return
        _print_hits(hits, explain)

    @eval_group.command("route")
    @click.option("--queries", "queries_path", required=True, type=click.Path(exists=True, dir_okay=False),
                  help="JSONL: one {id, query, gold: [skill ids]} per line.")
    @click.option("--skills", "skills_path", type=click.Path(exists=True, dir_okay=False),
                  help="JSONL corpus to import: one {id, name, description, body} per line.")
    @click.option("--library", "index_path", type=click.Path(dir_okay=False),
                  help="Database holding the index (reused and updated; default: a temporary one "
                       "with --skills, the current library without).")
    @click.option("--embedder", default=None, help="wordllama (default), minilm, st:<model>, openai:<model>@<url>.")
    @click.option("--semantic", default=None,
                  help="Encoder of each skill's name, description and opening prose: auto (default: MiniLM when installed), "
                       "none, minilm, st:<model>, openai:<model>@<url>. Env: SKILLBANK_SUMMARY_EMBEDDER.")
    @click.option("--predictions", "predictions_path", type=click.Path(dir_okay=False),
                  help="Write the router's ranking as JSON {query_id: [skill ids, best first]}.")
    @click.option("--depth", default=100, show_default=True, type=click.IntRange(10, 1000),
                  help="Ranking depth per query (predictions file).")
    @_llm_options
    @json_option
    @click.pass_context
    def eval_route(ctx, queries_path, skills_path, index_path, embedder, semantic, predictions_path, depth,
                   llm_rewrite, llm_rerank, as_json):
        """Score the router against BM25-only and dense-only, side by side.

        Prints top-1, recall@5, recall@10, full@10 (every needed skill in the top 10),
        MRR, nDCG@10, p50/p95 query latency and the index build time.
        """
        from skillbank.route.evaluate import connect, evaluate, import_corpus, load_queries
        from skillbank.route.index import RouteIndex

        llm = _provider(llm_rewrite, llm_rerank)
        queries = load_queries(queries_path)
        with tempfile.TemporaryDirectory(prefix="skillbank-eval-") as tmp:
            build_s, indexed = 0.0, 0
            if skills_path:
                db = Path(index_path) if index_path else Path(tmp) / "eval.db"
                conn = connect(db)
                index = RouteIndex(conn, embedder=embedder, summary=semantic)
                with _progress("indexing corpus") as cb:
                    build_s, indexed = import_corpus(index, skills_path, progress=cb)
            elif index_path:
                conn = connect(index_path)
                index = RouteIndex(conn, embedder=embedder, summary=semantic)
                if index.stale_count():
                    with _progress("embedding skills") as cb:
                        t0 = time.perf_counter()
                        indexed = index.reembed(progress=cb)
                        build_s = time.perf_counter() - t0
            else:
                from skillbank.cli.output import library_from
                from skillbank.route.prompt import library_index

                lib = library_from(ctx, create=False)
                with _progress("indexing library") as cb:
                    index = library_index(lib, progress=cb, summary=semantic)
                conn = None
            with _progress("running queries") as cb:
                result = evaluate(index, queries, depth=depth, on_query=cb,
                                  router_options={"llm": llm, "llm_rewrite": llm_rewrite,
                                                  "llm_rerank": llm_rerank})
            result.build_seconds, result.indexed = build_s, indexed
            if conn is not None:
                conn.close()
        if result.missing_gold:
            click.echo(
                f"warning: {len(result.missing_gold)} of {result.gold_ids} gold skill ids are not in the index "
                f"(e.g. {result.missing_gold[0]!r}); {result.unreachable_needs} needs can never be found and "
                "count as misses",
                err=True,
            )
        if predictions_path:
            Path(predictions_path).write_text(json.dumps(result.predictions, indent=1), encoding="utf-8")
        if as_json:
            emit_json(result.to_json())
            return
        _print_eval(result)


def _print_hits(hits, explain: bool) -> None:
    from rich.table import Table

    console = _console()
    if not hits:
        console.print("no skills matched (is the library empty?)")
        return
    table = Table(show_header=True, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("skill")
    table.add_column("score", justify="right")
    table.add_column("tier")
    table.add_column("description")
    for n, h in enumerate(hits, start=1):
        desc = h.description if len(h.description) <= 100 else h.description[:97] + "..."
        table.add_row(str(n), h.doc_id, f"{h.score:.3f}", h.tier or "-", desc)
    console.print(table)
    if explain:
        for n, h in enumerate(hits, start=1):
            e = h.explanation or {}
            console.print(f"[bold]{n}. {h.doc_id}[/bold]")
            sig = ", ".join(f"{k} {v:.3f}" for k, v in h.signals.items())
            console.print(f"   signals: {sig}", markup=False)
            for key, label in (("name_terms", "name"), ("description_terms", "description"),
                               ("body_terms", "body")):
                terms = e.get(key) or []
                console.print(f"   {label} matched: {', '.join(terms) if terms else '-'}", markup=False)
            chunk = e.get("best_chunk")
            if chunk:
                console.print(
                    f"   closest passage ({chunk['field']}, chunk {chunk['index']}, "
                    f"cos {chunk['similarity']:.3f}): {chunk['text']}",
                    markup=False,
                )


def _print_eval(result) -> None:
    from rich.table import Table

    console = _console()
    keys = ("top1", "recall@5", "recall@10", "full@10", "mrr", "ndcg@10")
    table = Table(title=f"routing: {result.queries} queries over {result.documents} skills")
    table.add_column("system")
    for k in keys:
        table.add_column(k, justify="right")
    table.add_column("p50 ms", justify="right")
    table.add_column("p95 ms", justify="right")
    for name, m in result.systems.items():
        table.add_row(name, *(_fmt(m[k]) for k in keys), f"{m['p50_ms']:.1f}", f"{m['p95_ms']:.1f}")
    console.print(table)
    info = result.to_json()["index"]
    rate = f", {info['skills_per_second']} skills/s" if info["skills_per_second"] else ""
    console.print(
        f"index: {info['documents']} skills, {info['indexed_now']} indexed in this run, "
        f"build {info['build_seconds']:.1f} s{rate}, embedder {info['model']}, "
        f"semantic {info['semantic_model'] or 'off'}, memory {info['memory_mib']} MiB",
        markup=False,
    )
