"""CLI commands of the route part (registered on the main group and the `eval` group)."""

from __future__ import annotations

import click


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach this part's commands."""
