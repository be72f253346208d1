"""The main job on the embedded default, as `make demo` runs it.

Runs the real CLI commands over the bundled example library in a project-local library
file (./.skillbank/demo.db), printing each command before its output, so a new user
sees exactly what to type. No network, no key.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from skillbank.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "skills"
TASKS = (
    "merge two PDF files into one",
    "find which commit introduced a bug",
    "speed up a slow postgres query",
)


def _run(args: list[str], library: Path) -> int:
    click.secho(f"\n$ skillbank {shlex.join(args)}", fg="cyan", bold=True)
    try:
        cli.main(["--library", str(library), *args], prog_name="skillbank", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0


def steps(examples: Path) -> list[list[str]]:
    first = sorted(p.name for p in examples.iterdir() if (p / "SKILL.md").exists())[:2]
    plan = [
        ["validate", "--strict", str(examples)],
        ["add", str(examples)],
        ["list"],
        ["show", first[0], "--files"],
        ["to-prompt", *(str(examples / name) for name in first)],
    ]
    plan += [["find", task, "-k", "3"] for task in TASKS]
    plan += [["to-prompt", "--for", TASKS[0], "-k", "2"], ["audit", str(examples)]]
    return plan


def main() -> None:
    library = Path.cwd() / ".skillbank" / "demo.db"
    library.parent.mkdir(exist_ok=True)
    click.secho(f"skillbank demo: library at {library}", bold=True)
    failed = [" ".join(s[:2]) for s in steps(EXAMPLES) if _run(s, library) != 0]
    if failed:
        click.secho(f"\nsteps that failed: {', '.join(failed)}", fg="red", err=True)
        sys.exit(1)
    click.secho("\ndemo finished: every step succeeded", fg="green", bold=True)


if __name__ == "__main__":
    main()
