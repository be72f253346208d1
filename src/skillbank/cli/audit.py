"""CLI commands of the audit part (registered on the main group and the `eval` group).

    skillbank audit PATH... | --library [--json | --sarif FILE] [--fail-on high] [--policy FILE]
    skillbank eval audit --labels LABELS.jsonl --skills DIR [--json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from skillbank.cli.output import emit_json, json_option

SEVERITY_CHOICE = click.Choice(["info", "low", "medium", "high", "critical"])


def _policy(policy_path: str | None, paths: tuple[str, ...]):
    from skillbank.audit import find_policy, load_policy

    if policy_path:
        return load_policy(policy_path)
    return find_policy(paths[0] if paths else ".")


def _provider(llm_url: str | None, llm_model: str | None):
    if not llm_url:
        return None
    from skillbank.llm import OpenAICompatible

    return OpenAICompatible(llm_url, llm_model)


@click.command(name="audit")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--library", "from_library", is_flag=True, help="Audit the latest version of every skill in the library.")
@json_option
@click.option("--sarif", "sarif_path", type=click.Path(dir_okay=False, writable=True),
              help="Also write SARIF 2.1.0 (GitHub code scanning) to this file ('-' for stdout).")
@click.option("--fail-on", type=SEVERITY_CHOICE, default=None,
              help="Exit 1 when any finding is at or above this severity (CI gate).")
@click.option("--policy", "policy_path", type=click.Path(exists=True, dir_okay=False),
              help="Policy file (default: nearest .skillbank-policy.yaml/.toml).")
@click.option("--min-severity", type=SEVERITY_CHOICE, default="low", show_default=True,
              help="Hide findings below this severity in the readable report and SARIF.")
@click.option("--provenance", default=None, help="Provenance string for tiering (e.g. github:org/repo).")
@click.option("-v", "--verbose", is_flag=True, help="Show why each finding matters and how to fix it.")
@click.option("--llm", "llm_url", default=None, help="Optional semantic pass: OpenAI-compatible base URL.")
@click.option("--llm-model", default=None, help="Model name for --llm.")
@click.pass_context
def audit_cmd(ctx: click.Context, paths: tuple[str, ...], from_library: bool, as_json: bool, sarif_path: str | None,
              fail_on: str | None, policy_path: str | None, min_severity: str, provenance: str | None,
              verbose: bool, llm_url: str | None, llm_model: str | None) -> None:
    """Statically audit skills (never runs their code).

    \b
    Exit codes: 0 = ok, 1 = a finding at or above --fail-on, 2 = usage or input error.
    Examples:
      skillbank audit ./skills                 readable report
      skillbank audit ./skills --json          stable JSON
      skillbank audit ./skills --sarif out.sarif --fail-on high
    """
    from skillbank.audit import audit_files, audit_paths, find_skill_dirs
    from skillbank.audit.engine import read_skill_folder
    from skillbank.audit.model import severity_rank
    from skillbank.audit.report import render, to_json, to_sarif

    if not paths and not from_library:
        raise click.UsageError("give one or more PATHs, or --library")
    policy = _policy(policy_path, paths)
    provider = _provider(llm_url, llm_model)
    audits = []
    sources: list[dict[str, bytes]] = []
    if from_library:
        from skillbank.cli.output import library_from

        lib = library_from(ctx)
        for v in lib.iter_latest():
            files = dict(v.files)
            sources.append(files)
            prov = provenance
            if getattr(v, "provenance", None) is not None:
                try:
                    from skillbank.api import provenance_uri

                    prov = provenance_uri(v.provenance)
                except (ImportError, AttributeError, TypeError):
                    prov = v.provenance if isinstance(v.provenance, str) else provenance
            audits.append(audit_files(files, name=v.name, path=f"library:{v.name}", policy=policy, provenance=prov))
    for p in paths:
        if provider is None:
            audits.extend(audit_paths([p], policy=policy, provenance=provenance))
            continue
        from skillbank.audit import audit_path

        for d in find_skill_dirs(p):
            files, _ = read_skill_folder(d)
            sources.append(files)
            audits.append(audit_path(d, policy=policy, provenance=provenance))
    if provider is not None:
        from skillbank.audit.semantic import semantic_review

        try:
            for a, files in zip(audits, sources):
                semantic_review(a, files, provider, policy=policy)
        finally:
            provider.close()
    if sarif_path:
        sarif = json.dumps(to_sarif(audits, min_severity=min_severity), indent=2)
        if sarif_path == "-":
            click.echo(sarif)
        else:
            Path(sarif_path).write_text(sarif + "\n", encoding="utf-8")
    if as_json:
        emit_json(to_json(audits))
    elif sarif_path != "-":
        from rich.console import Console

        render(audits, Console(), min_severity=min_severity, verbose=verbose)
    if fail_on and any(severity_rank(a.max_severity) >= severity_rank(fail_on) for a in audits):
        sys.exit(1)


@click.command(name="audit")
@click.option("--labels", "labels_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSONL, one {skill, malicious, categories} per line.")
@click.option("--skills", "skills_dir", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder the label paths are relative to.")
@click.option("--threshold", type=SEVERITY_CHOICE, default="medium", show_default=True,
              help="A skill counts as flagged with any finding at or above this severity.")
@click.option("--details", is_flag=True, help="List false positives and false negatives.")
@json_option
def eval_audit_cmd(labels_path: str, skills_dir: str, threshold: str, details: bool, as_json: bool) -> None:
    """Precision, recall, F1, false-positive rate, per-category recall and throughput."""
    from skillbank.audit.evaluate import evaluate

    res = evaluate(labels_path, skills_dir, threshold=threshold, details=details)
    if as_json:
        emit_json(res)
        return
    from rich.console import Console
    from rich.table import Table

    con = Console()
    t = Table(title=f"audit eval (flagged = any finding >= {threshold})")
    for col in ("skills", "precision", "recall", "F1", "FPR", "skills/s", "skills/CPU-s"):
        t.add_column(col, justify="right")
    t.add_row(str(res["skills"]), f"{res['precision']:.3f}", f"{res['recall']:.3f}", f"{res['f1']:.3f}",
              f"{res['fpr']:.3f}", str(res["skills_per_second"]), str(res["skills_per_cpu_second"]))
    con.print(t)
    c = Table(title="recall per category")
    c.add_column("category")
    c.add_column("recall", justify="right")
    c.add_column("detected/total", justify="right")
    rows = [(f"[SkillScan] {k}", v) for k, v in res["per_top_category_recall"].items()]
    rows += list(res["per_category_recall"].items())
    for name, v in rows:
        c.add_row(name, f"{v['recall']:.3f}", f"{v['detected']}/{v['total']}")
    con.print(c)
    if details:
        for k in ("false_positives", "false_negatives"):
            for row in res.get(k, []):
                con.print(f"{k[:-1]}: {row}")


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach this part's commands."""
    main.add_command(audit_cmd)
    eval_group.add_command(eval_audit_cmd)
