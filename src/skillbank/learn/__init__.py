"""The learner: trajectories in, candidate skills out.

* :mod:`skillbank.learn.runs` - the run format (OpenAI messages in an envelope), load/dump.
* :mod:`skillbank.learn.importers` - ATIF, tau-bench, BFCL importers and the ATIF exporter.
* :mod:`skillbank.learn.distill` - text skills distilled from many runs by an LLM.
* :mod:`skillbank.learn.exemplars` - successful runs kept as in-context examples with utility.

See ``docs/learn-runs.md``.
"""

from skillbank.learn.runs import (
    LoadReport,
    Message,
    Outcome,
    Problem,
    Run,
    Source,
    ToolCall,
    ToolCallRecord,
    dump_runs,
    load_runs,
    parse_run,
)

__all__ = [
    "LoadReport",
    "Message",
    "Outcome",
    "Problem",
    "Run",
    "Source",
    "ToolCall",
    "ToolCallRecord",
    "dump_runs",
    "import_runs",
    "load_runs",
    "parse_run",
]


def import_runs(path, format: str = "auto", **kwargs):  # noqa: A002 - mirrors importers.import_runs
    """Import runs from a file or folder (see :func:`skillbank.learn.importers.import_runs`)."""
    from skillbank.learn.importers import import_runs as _import_runs

    return _import_runs(path, format=format, **kwargs)
