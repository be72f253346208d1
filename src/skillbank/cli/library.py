"""Library commands: validate, read-properties, to-prompt, add, list, show, remove, export,
install, import-installed, info."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from skillbank.cli.output import console, emit_json, json_option, library_from

AGENTS = ("agents", "claude", "codex", "gemini", "openclaw")
mode_option = click.option(
    "--strict/--lenient",
    "strict",
    default=True,
    help="Strict: the agentskills.io spec as skills-ref applies it (default). "
    "Lenient: load what agent clients load, with warnings.",
)


def _console(err: bool = False) -> Console:
    return console(stderr=err)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@mode_option
@json_option
def validate(paths: tuple[str, ...], strict: bool, as_json: bool) -> None:
    """Check skill folders against the Agent Skills spec; exit 1 if any has an error.

    PATH may be a skill folder, its SKILL.md, or a folder holding many skills. A PATH that
    does not exist (or is not a folder) exits 2, as in the other commands.
    """
    from skillbank.api import validate as run

    results = [r for path in paths for r in run(path, "strict" if strict else "lenient")]
    if as_json:
        emit_json({"valid": all(r.ok for r in results), "skills": [r.to_dict() for r in results]})
    else:
        out = _console()
        for r in results:
            label = "[green]valid[/]" if r.ok else "[red]invalid[/]"
            out.print(f"{label}  {escape(r.path)}")
            for p in r.problems:
                color = "red" if p.severity == "error" else "yellow"
                where = f"{p.file}:{p.line}" if p.line else p.file
                out.print(f"  [{color}]{p.severity}[/] {escape(f'{where} [{p.rule}] {p.message}')}", soft_wrap=True)
        bad = sum(not r.ok for r in results)
        out.print(f"{len(results) - bad} valid, {bad} invalid")
    if any(p.rule in ("not-found", "not-a-folder") for r in results for p in r.problems):
        sys.exit(2)
    sys.exit(0 if all(r.ok for r in results) else 1)


@click.command("read-properties")
@click.argument("path", type=click.Path(exists=True))
@mode_option
def read_properties(path: str, strict: bool) -> None:
    """Print a skill's front-matter properties as JSON (as skills-ref does)."""
    from skillbank.api import load_skill

    skill = load_skill(path, "strict" if strict else "lenient")
    if not skill.frontmatter:
        problems = "; ".join(str(p) for p in skill.problems)
        raise click.ClickException(f"{path}: {problems}")
    emit_json(skill.properties())


@click.command("to-prompt")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--for", "task", help="Route TASK over the library and list only the best skills.")
@click.option("-k", "k", default=5, show_default=True, type=click.IntRange(1, 1000), help="How many skills with --for.")
@click.pass_context
def to_prompt(ctx: click.Context, paths: tuple[str, ...], task: str | None, k: int) -> None:
    """Print the <available_skills> block for an agent's system prompt.

    With PATHs: the skills in those folders. With --for TASK: only the K skills the
    router picks from the library for TASK (progressive disclosure); skills whose trust
    tier is blocked are never listed.
    """
    if task is not None and paths:
        raise click.UsageError("give skill folders or --for TASK, not both (--for routes over the library).")
    if task is not None:
        from skillbank.route import routed_prompt

        from skillbank.audit import find_policy

        with library_from(ctx, create=False) as lib:
            click.echo(routed_prompt(lib, task, k, policy=find_policy(Path.cwd()), policy_tightens_only=True))
        return
    if not paths:
        raise click.UsageError("give skill folders, or --for TASK to route over the library.")
    from skillbank.api import find_skill_dirs, to_prompt as run

    folders: list[Path] = []
    for path in paths:
        p = Path(path)
        folders += [p] if (p / "SKILL.md").exists() or p.name.lower() == "skill.md" else find_skill_dirs(p)
    click.echo(run(folders))


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--strict", is_flag=True, help="Reject skills that break the spec in strict mode (default: lenient, as clients load).")
@click.option("--no-audit", is_flag=True, help="Skip the security audit (no findings or trust tier are stored).")
@click.option("--fail-on-reject", is_flag=True,
              help="Exit 1 if any skill was rejected (default: only if every skill was; for CI).")
@json_option
@click.pass_context
def add(ctx: click.Context, sources: tuple[str, ...], strict: bool, no_audit: bool, fail_on_reject: bool,
        as_json: bool) -> None:
    """Add skills from folders, folders of skills, git refs or archives.

    \b
    SOURCE forms:
      path/to/skill            one skill folder (holds SKILL.md)
      path/to/many             every SKILL.md below it (skips .git, node_modules)
      path/to/checkout@v1.2    a git checkout at a ref (work tree untouched)
      https://host/repo.git@main   a git URL (cloned to a temp folder)
      skills.zip | skills.tar.gz   an archive (read in memory, never extracted)

    Re-adding identical content changes nothing; changed content becomes a new version.
    Each new version is audited and its findings and trust tier are stored with it.
    Exit status: 0 when anything was stored or unchanged, 1 when every skill was rejected
    (or any, with --fail-on-reject), 2 for a source that cannot be read.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    start = time.perf_counter()
    with library_from(ctx) as lib:
        with Progress(
            SpinnerColumn(), TextColumn("adding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=_console(err=True), transient=True,
            disable=as_json or not sys.stderr.isatty(),
        ) as bar:
            task = bar.add_task("", total=None)
            report = lib.add(
                sources, mode="strict" if strict else "lenient", audit=not no_audit,
                progress=lambda loc: bar.update(task, advance=1, description=Path(loc).name[:40]),
            )
        elapsed = time.perf_counter() - start
        stats = lib.stats()
    data = report.to_dict() | {
        "seconds": round(elapsed, 3),
        "skills_per_second": round(len(report.outcomes) / elapsed, 1) if elapsed else None,
        "library": stats["path"],
        "library_bytes": stats["file_bytes"],
    }
    if as_json:
        emit_json(data)
    else:
        out = _console()
        for o in report.outcomes:
            tier = f"  [red]tier: {o.tier}[/]" if o.tier in ("blocked", "instructions-only") else ""
            if o.status == "added":
                out.print(f"[green]added[/]        {escape(o.name or '')}@{o.version}{tier}")
            elif o.status == "new-version":
                out.print(
                    f"[cyan]new version[/]  {escape(o.name or '')}@{o.version} "
                    f"(was @{o.previous_version}: content changed){tier}"
                )
            elif o.status == "unchanged":
                out.print(f"[dim]unchanged[/]    {o.name}@{o.version}")
            else:
                why = o.message if f"[{o.rule}]" in (o.message or "") else f"[{o.rule}] {o.message}"
                out.print(f"[red]rejected[/]     {escape(f'{o.location}: {why}')}", soft_wrap=True)
        for name, places in data["collisions"].items():
            out.print(
                f"[yellow]name collision[/] {escape(name)}: {len(places)} folders claim it "
                f"({escape(', '.join(places[:3]))}{', …' if len(places) > 3 else ''}); later ones became new versions",
                soft_wrap=True,
            )
        out.print(
            f"{data['added']} added, {data['new_versions']} new versions, {data['unchanged']} unchanged, "
            f"{data['rejected']} rejected in {elapsed:.2f}s"
        )
    rejected = report.count("rejected")
    if rejected and (fail_on_reject or rejected == len(report.outcomes)):
        sys.exit(1)


@click.command("list")
@json_option
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """List the skills in the library (latest version of each)."""
    with library_from(ctx, create=False) as lib:
        rows = lib.list()
    if as_json:
        emit_json([r.to_dict() for r in rows])
        return
    if not rows:
        click.echo("The library is empty: add skills with `skillbank add PATH` (a skill folder, a folder of skills, a git ref or an archive).")
        return
    table = Table("name", "ver", "source", "tier", "files", "description", show_lines=False)
    for r in rows:
        description = (r.description[:70] + "…") if len(r.description) > 70 else r.description
        table.add_row(
            escape(r.name), str(r.seq), r.provenance.source_kind, r.tier or "-", str(r.file_count), escape(description)
        )
    out = _console()
    out.print(table)
    out.print(f"{len(rows)} skills")


@click.command()
@click.argument("ref")
@click.option("--files", "show_files", is_flag=True, help="List every file with its digest and size.")
@click.option("--body", "show_body", is_flag=True, help="Print the SKILL.md body too.")
@json_option
@click.pass_context
def show(ctx: click.Context, ref: str, show_files: bool, show_body: bool, as_json: bool) -> None:
    """Show a skill: NAME (latest), NAME@N (version N) or NAME@sha256:PREFIX."""
    with library_from(ctx, create=False) as lib:
        version = lib.get(ref)
        history = lib.versions(version.name)
    if as_json:
        emit_json(
            version.to_dict()
            | {"files": version.entries(), "body": version.body, "findings": version.findings,
               "versions": [{"version": v.seq, "digest": v.digest, "imported_at": v.provenance.imported_at} for v in history]}
        )
        return
    out = _console()
    out.print(f"[bold]{version.name}[/] @{version.seq}  {version.digest}")
    out.print(escape(version.description), soft_wrap=True)
    prov = version.provenance
    out.print(f"source: {prov.source_kind} {prov.origin or ''} {('@' + prov.git_ref) if prov.git_ref else ''}")
    out.print(f"imported: {prov.imported_at}   files: {version.file_count}   bytes: {version.size}   tier: {version.tier or '-'}")
    out.print("versions: " + ", ".join(f"@{v.seq} {v.digest[7:19]}" for v in history))
    if show_files:
        for e in version.entries():
            out.print(f"  {e['digest'][7:19]}  {e['size']:>8}  {e['path']}")
    if show_body:
        click.echo(version.body)


@click.command()
@click.argument("refs", nargs=-1, required=True)
@json_option
@click.pass_context
def remove(ctx: click.Context, refs: tuple[str, ...], as_json: bool) -> None:
    """Remove skills (NAME: every version; NAME@N: one version)."""
    removed = {}
    with library_from(ctx, create=False) as lib:
        for ref in refs:
            removed[ref] = lib.remove(ref)
    if as_json:
        emit_json({"removed": removed})
    else:
        for ref, n in removed.items():
            click.echo(f"removed {ref} ({n} version{'s' if n != 1 else ''})")


@click.command()
@click.argument("ref")
@click.argument("dest", type=click.Path())
@click.option("--force", is_flag=True, help="Replace DEST if it exists.")
@click.pass_context
def export(ctx: click.Context, ref: str, dest: str, force: bool) -> None:
    """Write a stored version to DEST, byte for byte as it was added."""
    with library_from(ctx, create=False) as lib:
        path = lib.export(ref, dest, force=force)
    click.echo(f"exported {ref} to {path}")


@click.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--agent", "-a", "agents", multiple=True, type=click.Choice(AGENTS), default=("agents",), show_default=True,
              help="Agent(s) to install for; repeat for several.")
@click.option("-g", "--global", "global_", is_flag=True, help="Install for the user (~/) instead of this project.")
@click.option("--copy", is_flag=True, help="Copy into each agent's folder instead of symlinking.")
@click.option("--project", type=click.Path(file_okay=False), help="Project root (default: current folder).")
@click.option("--force", is_flag=True, help="Replace an existing folder that skillbank did not install.")
@json_option
@click.pass_context
def install(ctx: click.Context, refs: tuple[str, ...], agents: tuple[str, ...], global_: bool, copy: bool,
            project: str | None, force: bool, as_json: bool) -> None:
    """Install skills where agents look for them, and record them in skills-lock.json.

    The canonical copy goes to .agents/skills/NAME (~/.agents/skills with -g); each
    agent's folder (.claude/skills, .gemini/skills, ...) gets a symlink to it.
    """
    with library_from(ctx, create=False) as lib:
        done = lib.install(refs, agents=agents, global_=global_, copy=copy, project=project, force=force)
    if as_json:
        emit_json([d.to_dict() for d in done])
    else:
        for d in done:
            click.echo(f"installed {d.name} -> {d.canonical}")
            for link in d.links:
                click.echo(f"  {d.mode}: {link}")


@click.command("import-installed")
@click.option("--project", type=click.Path(file_okay=False), help="Project root (default: current folder).")
@json_option
@click.pass_context
def import_installed(ctx: click.Context, project: str | None, as_json: bool) -> None:
    """Add the skills already in agents' folders (project and user level)."""
    with library_from(ctx) as lib:
        report, shadows = lib.import_installed(project=project)
    if as_json:
        emit_json(report.to_dict() | {"shadows": shadows})
        return
    out = _console()
    out.print(f"{report.count('added')} added, {report.count('new-version')} new versions, "
              f"{report.count('unchanged')} unchanged, {report.count('rejected')} rejected")
    for s in shadows:
        same = " (same content)" if s["same_content"] else ""
        out.print(f"[yellow]shadowing[/] " + escape(f"{s['name']}: {s['winner']} hides {', '.join(s['shadowed'])}{same}"))


@click.command()
@json_option
@click.pass_context
def info(ctx: click.Context, as_json: bool) -> None:
    """Where the library is and what it holds."""
    with library_from(ctx, create=False) as lib:
        stats = lib.stats()
    if as_json:
        emit_json(stats)
    else:
        click.echo(json.dumps(stats, indent=2))


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach the library commands (with the aliases users know: ls, rm)."""
    for command in (validate, read_properties, to_prompt, add, list_, show, remove, export, install, import_installed, info):
        main.add_command(command)
    main.add_command(list_, name="ls")
    main.add_command(remove, name="rm")
