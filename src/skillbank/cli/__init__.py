"""The `skillbank` command line: a thin click layer over the Python API.

Each part registers its commands from its own module (library, route, audit, learn, serve),
so the parts stay independent and the CLI holds no logic of its own.
"""

from __future__ import annotations

import sys

import click

from skillbank import __version__
from skillbank.errors import SkillbankError


class _Group(click.Group):
    """Turns our own errors into one clear line and exit code 2 instead of a traceback, and
    takes the global `--library FILE` after the command too (`skillbank list --library F`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _hoist_library(self, ctx, list(args)))

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except SkillbankError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)


def _hoist_library(group: click.Group, ctx: click.Context, args: list[str]) -> list[str]:
    """Move `--library FILE` / `--library=FILE` given after a command that has no option of
    that name to the front, where the group reads it. `eval route`, `audit` and `serve`
    define their own `--library`, so their arguments are left alone."""
    i = 0
    while i < len(args) and args[i].startswith("-"):  # the group's own options
        i += 2 if args[i] == "--library" else 1
    if i >= len(args):
        return args
    command = group.get_command(ctx, args[i])
    if command is None or isinstance(command, click.Group):
        return args
    if any("--library" in p.opts for p in command.params):
        return args
    head, tail, moved = args[: i + 1], [], []
    rest = args[i + 1 :]
    j = 0
    while j < len(rest):
        a = rest[j]
        if a == "--":
            tail += rest[j:]
            break
        if a == "--library" and j + 1 < len(rest):
            moved += [a, rest[j + 1]]
            j += 2
            continue
        if a.startswith("--library="):
            moved.append(a)
        else:
            tail.append(a)
        j += 1
    return moved + head + tail if moved else args


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--library",
    "library_path",
    type=click.Path(dir_okay=False),
    envvar="SKILLBANK_LIBRARY",
    help="Library database file (env SKILLBANK_LIBRARY; default: $SKILLBANK_HOME/library.db or "
    "the user data dir), before or after the command: `skillbank --library F list`. "
    "Commands that only read refuse a file that does not exist.",
)
@click.version_option(__version__, prog_name="skillbank")
@click.pass_context
def main(ctx: click.Context, library_path: str | None) -> None:
    """skillbank: store, validate, route, audit and learn Agent Skills.

    \b
    Quick start:
      skillbank add examples/skills        import a folder of skills
      skillbank list                       what the library holds
      skillbank find "merge two PDFs"      route a task to skills
      skillbank audit examples/skills      security audit
    """
    ctx.ensure_object(dict)
    ctx.obj["library_path"] = library_path


@main.group(name="eval")
def eval_group() -> None:
    """Benchmarks: measure routing, auditing and learning on labelled data."""


def _register() -> None:
    from skillbank.cli import audit, learn, library, route, serve

    for module in (library, route, audit, learn, serve):
        module.register(main, eval_group)


_register()
