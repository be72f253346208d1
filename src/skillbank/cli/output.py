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


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, default=str))


def library_from(ctx: click.Context):
    """Open the library named by the global `--library` option (or the default one)."""
    from skillbank.api import Library

    return Library.open(ctx.find_root().obj.get("library_path"))
