"""CLI commands of the audit part (registered on the main group and the `eval` group).

    skillbank audit PATH... | --library [--json | --sarif FILE] [--fail-on high] [--policy FILE]
    skillbank eval audit --labels LABELS.jsonl --skills DIR [--json]
"""

from __future__ import annotations

import json
import os
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


def _has_skill_md(root: Path) -> bool:
    """A SKILL.md anywhere below root (the walk the engine does: no symlinked folders, no SKIP_DIRS)."""
    from skillbank.audit.engine import SKIP_DIRS

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        if any(f.lower() == "skill.md" for f in filenames):
            return True
        dirnames[:] = sorted(d for d in dirnames
                             if d not in SKIP_DIRS and not os.path.islink(os.path.join(dirpath, d)))
    return False


def _check_exist(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """click's own check and message ("Path '...' does not exist.", exit 2), run after the
    --library check so that `audit --library new.db` is told what --library means."""
    param = next(p for p in ctx.command.params if p.name == "paths")
    for text in paths:
        click.Path(exists=True).convert(text, param, ctx)


def _check_skills(paths: tuple[str, ...]) -> None:
    """Refuse, before any output, a PATH the auditor would not read as skills: a folder with no
    SKILL.md anywhere below it, or a file that is neither a SKILL.md nor an archive."""
    from skillbank.errors import SkillbankError

    for text in paths:
        p = Path(text)
        if p.is_dir():
            if not _has_skill_md(p):
                raise SkillbankError(f"{text}: no SKILL.md found (not a skill folder nor a folder of skills).")
        elif p.name.lower() != "skill.md":
            from skillbank.sources import is_archive

            if not is_archive(p.name):
                raise SkillbankError(f"not a skill: {text} is neither a skill folder, a SKILL.md "
                                     "nor a .zip/.tar.gz archive.")


def _provider(llm_url: str | None, llm_model: str | None):
    if not llm_url:
        return None
    from skillbank.llm import OpenAICompatible

    return OpenAICompatible(llm_url, llm_model)


@click.command(name="audit")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--library", "from_library", is_flag=True,
              help="Audit the latest version of every skill in the library instead of PATHs. Takes no value: "
                   "choose the database with the global option (skillbank --library FILE audit --library) "
                   "or SKILLBANK_LIBRARY.")
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

    Each PATH is a skill folder, a folder of skill folders, a SKILL.md file or a .zip/.tar.gz
    archive (the skills inside it are audited, read in memory as `add` reads them); anything
    else (a folder with no SKILL.md below it, another file) is an error.

    \b
    --library is a flag: it audits every skill in the library and takes no
    value. The library file is the global option, given before `audit`:
      skillbank --library FILE audit --library     (or SKILLBANK_LIBRARY=FILE)
    \b
    Exit codes:
      0  no finding at or above --fail-on (always 0 without --fail-on)
      1  a finding at or above --fail-on
      2  usage or input error (missing path, not a skill, --library with
         PATHs, bad policy file, an unsafe archive or a skill in it that
         cannot be read)
    \b
    Examples:
      skillbank audit ./skills                 readable report
      skillbank audit ./skills --json          stable JSON
      skillbank audit ./skills --sarif out.sarif --fail-on high
      skillbank --library lib.db audit --library
    """
    from skillbank.audit import audit_files, audit_paths, find_skill_dirs
    from skillbank.sources import Candidate, is_archive, iter_candidates
    from skillbank.audit.engine import read_skill_folder
    from skillbank.audit.model import severity_rank
    from skillbank.audit.report import render, to_json, to_sarif

    if not paths and not from_library:
        raise click.UsageError("give one or more PATHs, or --library")
    if paths and from_library:
        raise click.UsageError(
            f"--library here is a flag and takes no value, so {' '.join(paths)} was read as PATH to audit. "
            "To audit the skills of a library file: skillbank --library FILE audit --library "
            "(or set SKILLBANK_LIBRARY=FILE); to audit folders, drop --library.")
    _check_exist(ctx, paths)
    policy = _policy(policy_path, paths)
    _check_skills(paths)
    provider = _provider(llm_url, llm_model)
    audits = []
    sources: list[dict[str, bytes]] = []
    if from_library:
        from skillbank.cli.output import library_from

        lib = library_from(ctx, create=False)
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
    rejected = 0
    for p in paths:
        if Path(p).is_file() and is_archive(Path(p).name):
            # The skills inside, read in memory exactly as `add` would store them (an unsafe
            # archive — a symlink, a path escaping it, too large — is refused whole, exit 2).
            for item in iter_candidates(p):
                if isinstance(item, Candidate):
                    sources.append(item.files)
                    audits.append(audit_files(item.files, name=item.folder_name, path=item.location,
                                              policy=policy, provenance=provenance))
                else:
                    rejected += 1
                    click.echo(f"rejected {item.location}: {item.message}", err=True)
            continue
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
        from skillbank.cli.output import console

        render(audits, console(), min_severity=min_severity, verbose=verbose)
    if fail_on and any(severity_rank(a.max_severity) >= severity_rank(fail_on) for a in audits):
        sys.exit(1)
    if rejected:  # a skill in an archive that cannot be read as a skill is an input error
        sys.exit(2)


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
    con.print(_category_table(res["per_category_recall"], res["per_top_category_recall"]))
    if details:
        for k in ("false_positives", "false_negatives"):
            for row in res.get(k, []):
                con.print(f"{k[:-1]}: {row}")


def _category_table(per_cat: dict, per_top: dict):
    """One row per category name. The corpus labels (per_category_recall) and SkillScan's four
    top-level categories (per_top_category_recall, corpus labels grouped, a skill counted once per
    group) share names such as data_exfiltration: one row each, the SkillScan figure in its own
    column, not a second row with the same name."""
    from rich.table import Table

    from skillbank.audit.evaluate import TOP_LEVEL

    t = Table(title="recall per category",
              caption="SkillScan top-level: the corpus categories grouped into SkillScan's four "
                      "(a skill counts once per group)")
    t.add_column("category", no_wrap=True)
    t.add_column("recall", justify="right")
    t.add_column("detected/total", justify="right")
    t.add_column("SkillScan top-level", no_wrap=True)
    for name in sorted(set(per_cat) | set(per_top)):
        v = per_cat.get(name)
        top = per_top.get(name)
        if top:
            group = f"{top['recall']:.3f} {top['detected']}/{top['total']}"
        else:
            group = f"in {TOP_LEVEL[name]}" if TOP_LEVEL.get(name, name) != name else ""
        t.add_row(name, f"{v['recall']:.3f}" if v else "", f"{v['detected']}/{v['total']}" if v else "", group)
    return t


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach this part's commands."""
    main.add_command(audit_cmd)
    eval_group.add_command(eval_audit_cmd)
