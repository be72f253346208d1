"""The learner: trajectories in, candidate skills out.

* :mod:`skillbank.learn.runs` - the run format (OpenAI messages in an envelope), load/dump.
* :mod:`skillbank.learn.importers` - ATIF, tau-bench, BFCL importers and the ATIF exporter.
* :mod:`skillbank.learn.distill` - text skills distilled from many runs by an LLM.
* :mod:`skillbank.learn.exemplars` - successful runs kept as in-context examples with utility.
"""

from skillbank.learn.runs import LoadReport, Message, Outcome, Problem, Run, Source, ToolCall, dump_runs, load_runs

__all__ = ["LoadReport", "Message", "Outcome", "Problem", "Run", "Source", "ToolCall", "dump_runs", "load_runs"]
