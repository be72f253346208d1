"""Output helpers shared by every command: one `--json` option, one way to print JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def json_option(func: F) -> F:
    """Add `--json` (machine-readable output, stable keys, no colour)."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON (stable keys, no colour)."
    )(func)


def console(stderr: bool = False):
    """A rich console for human output. Written to a pipe or a file, it never wraps: one
    table row, one line (80 columns would break rows and `| grep` would see halves)."""
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False)
    if not out.is_terminal:
        out = Console(stderr=stderr, highlight=False, width=100_000, soft_wrap=True)
    return out


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, default=str))


def library_from(ctx: click.Context, *, create: bool = True):
    """Open the library named by the global `--library` option (or the default one).

    Commands that only read a library pass `create=False`: a library file named explicitly
    (`--library`, `SKILLBANK_LIBRARY`) must then exist, so a mistyped path is an error
    instead of a new, empty library. The default library is created on first use."""
    from pathlib import Path

    from skillbank.api import Library
    from skillbank.errors import SkillbankError

    path = ctx.find_root().obj.get("library_path")
    if path and not create and not Path(path).is_file():
        raise SkillbankError(f"{path}: no such library file. Create it with `skillbank --library {path} add ...`.")
    return Library.open(path)
