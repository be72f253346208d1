"""Importers into the run format (and the ATIF exporter).

* :func:`import_runs` - any supported file, format auto-detected.
* ATIF (Harbor's Agent Trajectory Interchange Format, PyPI ``atif``): :func:`import_atif`,
  :func:`atif_to_run`, and out again with :func:`run_to_atif` / :func:`export_atif`.
  ATIF has no reward field: the outcome (and the rest of the envelope) goes into ``extra``.
* tau-bench result files (``historical_trajectories/*.json``): :func:`import_tau_bench`.
* BFCL v4 multi-turn ground truth (the ``bfcl-eval`` package): :func:`import_bfcl`.

Every importer returns a :class:`~skillbank.learn.runs.LoadReport`: runs that could not be
converted are reported as problems, never raised.
"""

from __future__ import annotations

import ast
import copy
import inspect
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from skillbank.learn.runs import (
    LoadReport,
    Message,
    Outcome,
    Problem,
    Run,
    Source,
    ToolCall,
    dump_runs,
    load_runs,
    parse_run,
)

__all__ = [
    "FORMATS",
    "atif_to_run",
    "detect_format",
    "export_atif",
    "import_atif",
    "import_bfcl",
    "import_runs",
    "import_tau_bench",
    "parse_call_string",
    "run_to_atif",
]

FORMATS = ("runs", "atif", "tau-bench", "bfcl")

ATIF_SCHEMA_VERSION = "ATIF-v1.8"
_ENVELOPE_KEY = "skillbank"  # key in Trajectory.extra holding the run envelope


# =============================================================================================
# format detection
# =============================================================================================


def _first_json_value(path: Path) -> Any:
    """Decode the first JSON value of a file (whole file for JSON, first line for JSONL)."""
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        head = fh.read(1 << 16)
    stripped = head.lstrip()
    if not stripped:
        return None
    first_line = stripped.splitlines()[0]
    try:
        return json.loads(first_line)
    except json.JSONDecodeError:
        pass
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _kind_of(obj: Any) -> str | None:
    if isinstance(obj, list):
        obj = obj[0] if obj else None
    if not isinstance(obj, dict):
        return None
    if "schema_version" in obj and "steps" in obj:
        return "atif"
    if "messages" in obj and "trajectory_id" in obj:
        return "runs"
    if "traj" in obj and "task_id" in obj and "reward" in obj:
        return "tau-bench"
    if "question" in obj and "initial_config" in obj and "involved_classes" in obj:
        return "bfcl"
    return None


def detect_format(path: str | os.PathLike[str]) -> str:
    """Return one of :data:`FORMATS` for a file or folder (raises ``ValueError`` if unknown)."""
    p = Path(path)
    if p.is_dir():
        if any(p.glob("BFCL_v*_multi_turn_*.json")):
            return "bfcl"
        kinds = {_kind_of(_first_json_value(f)) for f in sorted(p.glob("*.json"))[:20]}
        kinds |= {_kind_of(_first_json_value(f)) for f in sorted(p.glob("*.jsonl"))[:20]}
        kinds.discard(None)
        if len(kinds) == 1:
            return kinds.pop()
        raise ValueError(f"{p}: cannot tell the format of this folder (found {sorted(kinds) or 'nothing'})")
    kind = _kind_of(_first_json_value(p))
    if kind is None:
        raise ValueError(f"{p}: not a run file, ATIF trajectory, tau-bench result file or BFCL data file")
    return kind


def import_runs(path: str | os.PathLike[str], format: str = "auto", **kwargs: Any) -> LoadReport:
    """Import runs from ``path`` in ``format`` (``auto`` detects it). Extra kwargs go to the importer."""
    fmt = detect_format(path) if format == "auto" else format
    if fmt == "runs":
        p = Path(path)
        if p.is_dir():
            rep = LoadReport()
            for f in sorted(p.glob("*.jsonl")):
                rep.extend(load_runs(f))
            return rep
        return load_runs(p)
    if fmt == "atif":
        return import_atif(path, **kwargs)
    if fmt == "tau-bench":
        return import_tau_bench(path, **kwargs)
    if fmt == "bfcl":
        p = Path(path)
        if p.is_file():
            m = re.match(r"BFCL_v\d+_(multi_turn_\w+)\.json$", p.name)
            if not m:
                raise ValueError(f"{p}: not a BFCL multi-turn data file")
            kwargs.setdefault("categories", (m.group(1),))
            return import_bfcl(data_dir=p.parent, **kwargs)
        return import_bfcl(data_dir=p, **kwargs)
    raise ValueError(f"unknown format {fmt!r}; expected 'auto' or one of {FORMATS}")


# =============================================================================================
# ATIF
# =============================================================================================


def _atif():
    try:
        import atif
    except ImportError as exc:  # pragma: no cover - atif is an extra
        raise RuntimeError("ATIF support needs the 'atif' package: pip install 'skillbank[learn]'") from exc
    return atif


def _text_of(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    parts = []
    for part in content:
        if isinstance(part, dict):
            if part.get("type", "text") == "text":
                parts.append(str(part.get("text") or ""))
        elif getattr(part, "type", None) == "text":
            parts.append(part.text or "")
    return "\n".join(parts)


def _atif_call(c: ToolCall) -> dict[str, Any]:
    args = c.args()
    call: dict[str, Any] = {"tool_call_id": c.id, "function_name": c.name, "arguments": args}
    if json.dumps(args, ensure_ascii=False) != c.function.arguments:
        call["extra"] = {"arguments_json": c.function.arguments}  # keep the exact string
    return call


def _openai_arguments(c: Any) -> str:
    exact = (c.extra or {}).get("arguments_json")
    if isinstance(exact, str):
        try:
            if json.loads(exact) == c.arguments:
                return exact
        except json.JSONDecodeError:
            pass
    return json.dumps(c.arguments, ensure_ascii=False)


def run_to_atif(run: Run) -> Any:
    """Convert a run to an ``atif.Trajectory`` (the envelope and reward go into ``extra``)."""
    atif = _atif()
    steps: list[Any] = []
    pending_agent: dict[str, Any] | None = None  # the agent step that tool messages attach to

    def add(step: dict[str, Any]) -> dict[str, Any]:
        step["step_id"] = len(steps) + 1
        steps.append(step)
        return step

    for m in run.messages:
        extra: dict[str, Any] = dict(m.model_extra or {})
        if m.name is not None and m.role != "tool":
            extra["name"] = m.name
        if m.role == "tool":
            if pending_agent is None:  # cannot happen for a valid run
                raise ValueError(f"{run.trajectory_id}: tool message without a preceding assistant message")
            res: dict[str, Any] = {"source_call_id": m.tool_call_id, "content": _text_of(m.content)}
            rextra = {k: v for k, v in (m.model_extra or {}).items()}
            if m.name is not None:
                rextra["name"] = m.name
            if not isinstance(m.content, str):
                rextra["content"] = m.content
            if rextra:
                res["extra"] = rextra
            pending_agent.setdefault("observation", {"results": []})["results"].append(res)
            continue
        step: dict[str, Any] = {"message": _text_of(m.content)}
        if not isinstance(m.content, str):
            extra["content"] = m.content  # None or a parts list: keep the exact value
        if m.role == "assistant":
            step["source"] = "agent"
            if "reasoning_content" in extra and isinstance(extra["reasoning_content"], str):
                step["reasoning_content"] = extra.pop("reasoning_content")
            if m.tool_calls:
                step["tool_calls"] = [_atif_call(c) for c in m.tool_calls]
        else:
            step["source"] = "user" if m.role == "user" else "system"
            if m.role == "developer":
                extra["role"] = "developer"
        if extra:
            step["extra"] = extra
        add(step)
        pending_agent = step if m.role == "assistant" else None

    envelope = run.model_dump(mode="json", exclude={"messages"})
    traj_extra = {
        _ENVELOPE_KEY: envelope,
        "reward": run.outcome.reward,
        "success": run.outcome.success,
    }
    return atif.Trajectory(
        schema_version=ATIF_SCHEMA_VERSION,
        session_id=run.trajectory_id,
        trajectory_id=run.trajectory_id,
        agent=atif.Agent(name=run.source.agent or "unknown", version="unknown", model_name=run.source.model),
        steps=steps,
        extra=traj_extra,
    )


def atif_to_run(traj: Any, *, trajectory_id: str | None = None) -> Run:
    """Convert an ``atif.Trajectory`` (or its dict) to a run. Raises ``ValueError`` on bad input."""
    atif = _atif()
    if isinstance(traj, dict):
        try:
            traj = atif.Trajectory.model_validate(traj)
        except Exception as exc:  # pydantic.ValidationError
            raise ValueError(f"not a valid ATIF trajectory: {exc}") from None
    extra = dict(traj.extra or {})
    env = extra.get(_ENVELOPE_KEY) if isinstance(extra.get(_ENVELOPE_KEY), dict) else {}
    messages: list[dict[str, Any]] = []
    missing = 0
    for step in traj.steps:
        sextra = dict(step.extra or {})
        content: Any = sextra.pop("content") if "content" in sextra else _text_of(
            [p.model_dump() for p in step.message] if isinstance(step.message, list) else step.message
        )
        msg: dict[str, Any]
        if step.source == "agent":
            msg = {"role": "assistant", "content": content}
            if step.reasoning_content is not None:
                msg["reasoning_content"] = step.reasoning_content
            if step.tool_calls:
                msg["tool_calls"] = [
                    {
                        "id": c.tool_call_id,
                        "type": "function",
                        "function": {"name": c.function_name, "arguments": _openai_arguments(c)},
                    }
                    for c in step.tool_calls
                ]
        elif step.source == "user":
            msg = {"role": "user", "content": content}
        else:
            msg = {"role": sextra.pop("role", "system"), "content": content}
        msg.update(sextra)
        messages.append(msg)
        results = step.observation.results if step.observation is not None else []
        answered = set()
        for r in results:
            rextra = dict(r.extra or {})
            rcontent = rextra.pop("content") if "content" in rextra else _text_of(
                [p.model_dump() for p in r.content] if isinstance(r.content, list) else r.content
            )
            if r.source_call_id is not None and step.tool_calls:
                answered.add(r.source_call_id)
                tmsg = {"role": "tool", "tool_call_id": r.source_call_id, "content": rcontent}
                tmsg.update(rextra)
                messages.append(tmsg)
            else:  # an observation not tied to a tool call: environment feedback as a user turn
                messages.append({"role": "user", "name": "observation", "content": rcontent})
        for c in step.tool_calls or []:
            if c.tool_call_id not in answered:  # ATIF allows calls without observations
                missing += 1
                messages.append({"role": "tool", "tool_call_id": c.tool_call_id, "content": ""})
                answered.add(c.tool_call_id)

    tid = trajectory_id or env.get("trajectory_id") or traj.trajectory_id or traj.session_id
    if not tid:
        raise ValueError("ATIF trajectory has neither trajectory_id nor session_id")
    outcome = env.get("outcome") or {}
    if not env:
        reward = extra.get("reward")
        success = extra.get("success")
        if success is None and isinstance(reward, (int, float)):
            success = reward >= 1.0
        outcome = {"success": success, "reward": reward, "checker": extra.get("checker")}
    source = env.get("source") or {
        "env": extra.get("env"),
        "agent": traj.agent.name,
        "model": traj.agent.model_name,
        "split": extra.get("split"),
    }
    metadata = dict(env.get("metadata") or {})
    if not env:
        rest = {k: v for k, v in extra.items() if k not in {"reward", "success", "checker", "env", "split"}}
        if rest:
            metadata["atif_extra"] = rest
        if traj.session_id and traj.session_id != tid:
            metadata["atif_session_id"] = traj.session_id
    if missing:
        metadata["atif_calls_without_observation"] = missing
    return parse_run(
        {
            "trajectory_id": tid,
            "task_id": env.get("task_id", extra.get("task_id")),
            "task": env.get("task", extra.get("task") or ""),
            "outcome": outcome,
            "source": source,
            "metadata": metadata,
            "messages": messages,
        }
    )


def _atif_documents(p: Path) -> Iterable[tuple[str, int | None, Any]]:
    """Yield (file, line, decoded object | exception) for every ATIF document under ``p``."""
    files = sorted([*p.glob("*.json"), *p.glob("*.jsonl")]) if p.is_dir() else [p]
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            if f.suffix != ".jsonl" and "\n" not in text.strip():
                yield str(f), None, exc
                continue
            for lineno, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    yield str(f), lineno, json.loads(line)
                except json.JSONDecodeError as exc2:
                    yield str(f), lineno, exc2
            continue
        if isinstance(obj, list):
            for i, item in enumerate(obj):
                yield str(f), i + 1, item
        else:
            yield str(f), None, obj


def import_atif(path: str | os.PathLike[str]) -> LoadReport:
    """Import ATIF trajectories: one ``.json`` document, a JSON array, JSONL, or a folder of them."""
    rep = LoadReport()
    seen: set[str] = set()
    for fname, line, obj in _atif_documents(Path(path)):
        if isinstance(obj, Exception):
            rep.problems.append(Problem(f"invalid JSON ({obj})", line, None, fname))
            continue
        tid = obj.get("trajectory_id") or obj.get("session_id") if isinstance(obj, dict) else None
        fallback = Path(fname).stem if line is None else f"{Path(fname).stem}-{line}"
        try:
            run = atif_to_run(obj, trajectory_id=None if tid else fallback)
        except ValueError as exc:
            rep.problems.append(Problem(str(exc), line, tid, fname))
            continue
        if run.trajectory_id in seen:
            rep.problems.append(Problem("duplicate trajectory_id (first one kept)", line, run.trajectory_id, fname))
            continue
        seen.add(run.trajectory_id)
        rep.runs.append(run)
    return rep


def _safe_filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "run"


def export_atif(runs: Iterable[Run], dest: str | os.PathLike[str]) -> list[Path]:
    """Write runs as ATIF: to ``dest.jsonl`` (one trajectory a line) or a folder (one ``.json`` each)."""
    d = Path(dest)
    trajs = [(r.trajectory_id, run_to_atif(r).to_json_dict()) for r in runs]
    if d.suffix == ".jsonl":
        d.parent.mkdir(parents=True, exist_ok=True)
        tmp = d.with_name(f".{d.name}.tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for _, t in trajs:
                fh.write(json.dumps(t, ensure_ascii=False) + "\n")
        os.replace(tmp, d)
        return [d]
    d.mkdir(parents=True, exist_ok=True)
    out = []
    used: set[str] = set()
    for tid, t in trajs:
        stem = _safe_filename(tid)
        while stem in used:
            stem += "_"
        used.add(stem)
        f = d / f"{stem}.json"
        f.write_text(json.dumps(t, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        out.append(f)
    return out


# =============================================================================================
# tau-bench
# =============================================================================================


def import_tau_bench(
    path: str | os.PathLike[str],
    *,
    domain: str | None = None,
    model: str | None = None,
    agent: str = "tool-calling",
) -> LoadReport:
    """Import a tau-bench ``historical_trajectories`` file (a JSON array of results).

    ``trajectory_id`` is ``tau-<domain>-<task_id>-<trial>``; ``success`` is ``reward == 1.0``.
    Domain and model default to what the file name says (``gpt-4o-airline.json``).
    """
    p = Path(path)
    stem = p.stem
    if domain is None:
        domain = next((d for d in ("airline", "retail") if stem.endswith(d)), "unknown")
    if model is None:
        model = stem[: -len(domain) - 1] if stem.endswith("-" + domain) else stem
    rep = LoadReport()
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        rep.problems.append(Problem(f"invalid JSON ({exc})", None, None, str(p)))
        return rep
    if not isinstance(data, list):
        rep.problems.append(Problem("a tau-bench result file is a JSON array", None, None, str(p)))
        return rep
    seen: set[str] = set()
    for i, item in enumerate(data):
        if not isinstance(item, dict) or "traj" not in item:
            rep.problems.append(Problem("element is not a tau-bench result (no 'traj')", i + 1, None, str(p)))
            continue
        task_id, trial = item.get("task_id"), item.get("trial", 0)
        tid = f"tau-{domain}-{task_id}-{trial}"
        info = item.get("info") or {}
        task = info.get("task") or {}
        reward = item.get("reward")
        metadata: dict[str, Any] = {"trial": trial}
        for key in ("user_id", "actions", "outputs"):
            if key in task:
                metadata[key if key != "actions" else "gt_actions"] = task[key]
        if "reward_info" in info:
            metadata["reward_info"] = info["reward_info"]
        if "user_cost" in info:
            metadata["user_cost"] = info["user_cost"]
        try:
            run = parse_run(
                {
                    "trajectory_id": tid,
                    "task_id": str(task_id),
                    "task": task.get("instruction", ""),
                    "outcome": {
                        "success": reward == 1.0 if isinstance(reward, (int, float)) else None,
                        "reward": reward,
                        "checker": "tau-bench",
                    },
                    "source": {"env": f"tau-bench-{domain}", "agent": agent, "model": model, "split": None},
                    "metadata": metadata,
                    "messages": item["traj"],
                }
            )
        except ValueError as exc:
            rep.problems.append(Problem(str(exc), i + 1, tid, str(p)))
            continue
        if tid in seen:
            rep.problems.append(Problem("duplicate trajectory_id (first one kept)", i + 1, tid, str(p)))
            continue
        seen.add(tid)
        rep.runs.append(run)
    return rep


# =============================================================================================
# BFCL multi-turn ground truth
# =============================================================================================

BFCL_CATEGORIES = ("multi_turn_base", "multi_turn_long_context", "multi_turn_miss_func", "multi_turn_miss_param")


def bfcl_data_dir() -> Path:
    """The ``data`` folder of the installed ``bfcl_eval`` package (``ImportError`` if absent)."""
    import bfcl_eval

    return Path(bfcl_eval.__file__).parent / "data"


def parse_call_string(s: str, param_names: list[str] | None = None) -> tuple[str, dict[str, Any]]:
    """Parse a BFCL call string like ``mv(source='a', destination='b')`` into (name, kwargs).

    Positional arguments are named with ``param_names`` (the function's parameters in order).
    Only literal argument values are accepted (nothing is evaluated).
    """
    try:
        node = ast.parse(s.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ValueError(f"cannot parse call {s!r}: {exc.msg}") from None
    if not isinstance(node, ast.Call):
        raise ValueError(f"not a call: {s!r}")
    func = node.func
    if isinstance(func, ast.Name):
        name = func.id
    elif isinstance(func, ast.Attribute):
        name = func.attr
    else:
        raise ValueError(f"unsupported callee in {s!r}")
    kwargs: dict[str, Any] = {}
    try:
        for i, arg in enumerate(node.args):
            if param_names is None or i >= len(param_names):
                raise ValueError(f"positional argument {i} of {name}() has no known parameter name")
            kwargs[param_names[i]] = ast.literal_eval(arg)
        for kw in node.keywords:
            if kw.arg is None:
                raise ValueError(f"**kwargs in {s!r}")
            kwargs[kw.arg] = ast.literal_eval(kw.value)
    except (ValueError, SyntaxError, TypeError) as exc:
        if isinstance(exc, ValueError) and str(exc).startswith(("positional", "**")):
            raise
        raise ValueError(f"non-literal argument in {s!r}") from None
    return name, kwargs


def _bfcl_param_names(data_dir: Path) -> dict[str, list[str]]:
    """Function name -> parameter names in order, from ``multi_turn_func_doc``."""
    names: dict[str, list[str]] = {}
    for f in sorted((data_dir / "multi_turn_func_doc").glob("*.json")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                names.setdefault(doc["name"], list(doc.get("parameters", {}).get("properties", {})))
    return names


class _BfclBackend:
    """The BFCL backend instances of one task, restored from its initial config (no ``eval``)."""

    def __init__(self, initial_config: dict, involved_classes: list[str], long_context: bool) -> None:
        import importlib

        from bfcl_eval.constants.executable_backend_config import CLASS_FILE_PATH_MAPPING, STATELESS_CLASSES

        self.methods: dict[str, Any] = {}
        for cls_name in involved_classes:
            module = importlib.import_module(CLASS_FILE_PATH_MAPPING[cls_name])
            inst = getattr(module, cls_name)()
            if cls_name not in STATELESS_CLASSES:
                inst._load_scenario(copy.deepcopy(initial_config.get(cls_name, {})), long_context=long_context)
            for mname, meth in inspect.getmembers(inst, predicate=inspect.ismethod):
                if not mname.startswith("_"):
                    self.methods.setdefault(mname, meth)

    def params(self, name: str) -> list[str] | None:
        meth = self.methods.get(name)
        return list(inspect.signature(meth).parameters) if meth else None

    def call(self, name: str, kwargs: dict[str, Any]) -> str:
        meth = self.methods.get(name)
        if meth is None:
            return f"Error during execution: unknown function {name}"
        try:
            res = meth(**copy.deepcopy(kwargs))
        except Exception as exc:  # the backend's own errors are results, as in BFCL
            return f"Error during execution: {exc}"
        if isinstance(res, str):
            return res
        try:
            return json.dumps(res, ensure_ascii=False)
        except (TypeError, ValueError):
            return str(res)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def import_bfcl(
    categories: Iterable[str] = ("multi_turn_base",),
    *,
    ids: Iterable[str] | None = None,
    limit: int | None = None,
    execute: bool = True,
    data_dir: str | os.PathLike[str] | None = None,
) -> LoadReport:
    """Import BFCL v4 multi-turn tasks with their ground-truth calls as successful runs.

    One run per task: the user turns, each followed by the turn's ground-truth calls (one
    assistant message per call, then its ``tool`` result). With ``execute`` the calls run on
    the BFCL backend classes restored from the task's ``initial_config`` (results are the real
    outputs); without it results are empty strings. ``metadata`` keeps what is needed to
    restore and check state: ``initial_config``, ``involved_classes``, ``turns`` (per turn:
    ``message_start`` and the ``[start, end)`` range of its calls in ``run.tool_calls()``),
    ``ground_truth`` (the call strings), ``category``, ``excluded_function``,
    ``missed_function``, ``long_context``.
    """
    ddir = Path(data_dir) if data_dir is not None else bfcl_data_dir()
    doc_params = _bfcl_param_names(ddir)
    wanted = set(ids) if ids is not None else None
    rep = LoadReport()
    for cat in categories:
        if cat not in BFCL_CATEGORIES:
            raise ValueError(f"unsupported BFCL category {cat!r}; expected one of {BFCL_CATEGORIES}")
        qfile = next(iter(sorted(ddir.glob(f"BFCL_v*_{cat}.json"))), None)
        afile = next(iter(sorted((ddir / "possible_answer").glob(f"BFCL_v*_{cat}.json"))), None)
        if qfile is None or afile is None:
            rep.problems.append(Problem(f"BFCL data for {cat} not found", None, None, str(ddir)))
            continue
        answers = {a["id"]: a["ground_truth"] for a in _read_jsonl(afile)}
        long_context = "long_context" in cat
        for lineno, task in enumerate(_read_jsonl(qfile), start=1):
            if wanted is not None and task["id"] not in wanted:
                continue
            if limit is not None and len(rep.runs) + len(rep.problems) >= limit:
                break
            try:
                run = _bfcl_run(task, answers.get(task["id"]), cat, long_context, execute, doc_params)
            except Exception as exc:  # a broken task is a problem, not a crash
                rep.problems.append(Problem(str(exc), lineno, f"bfcl-{task.get('id')}", str(qfile)))
                continue
            rep.runs.append(run)
    return rep


def _bfcl_run(
    task: dict[str, Any],
    ground_truth: list[list[str]] | None,
    category: str,
    long_context: bool,
    execute: bool,
    doc_params: dict[str, list[str]],
) -> Run:
    if ground_truth is None:
        raise ValueError("no ground truth for this task")
    questions = task["question"]
    if len(questions) != len(ground_truth):
        raise ValueError(f"{len(questions)} question turns but {len(ground_truth)} ground-truth turns")
    backend = _BfclBackend(task.get("initial_config", {}), task["involved_classes"], long_context) if execute else None
    messages: list[Message] = []
    turns = []
    n_calls = 0
    for t, (q, calls) in enumerate(zip(questions, ground_truth, strict=True)):
        start_msg, start_call = len(messages), n_calls
        for m in q:
            messages.append(Message(role=m["role"], content=m["content"]))
        for s in calls:
            fname = s.split("(", 1)[0].strip()
            params = (backend.params(fname) if backend else None) or doc_params.get(fname)
            name, kwargs = parse_call_string(s, params)
            call_id = f"call_{t}_{n_calls}"
            messages.append(Message(role="assistant", content=None, tool_calls=[ToolCall.make(call_id, name, kwargs)]))
            result = backend.call(name, kwargs) if backend else ""
            messages.append(Message(role="tool", tool_call_id=call_id, name=name, content=result))
            n_calls += 1
        turns.append({"message_start": start_msg, "calls": [start_call, n_calls]})
    task_text = "\n".join(_text_of(m["content"]) for q in questions for m in q if m.get("role") == "user")
    return Run(
        trajectory_id=f"bfcl-{task['id']}",
        task_id=task["id"],
        task=task_text,
        outcome=Outcome(success=True, reward=1.0, checker="bfcl-ground-truth"),
        source=Source(env="bfcl", agent="ground-truth", model=None, split=None),
        metadata={
            "category": category,
            "turns": turns,
            "ground_truth": ground_truth,
            "initial_config": task.get("initial_config", {}),
            "involved_classes": task["involved_classes"],
            "excluded_function": task.get("excluded_function", []),
            "missed_function": task.get("missed_function", {}),
            "long_context": long_context,
            "path": task.get("path", []),
            "executed": execute,
        },
        messages=messages,
    )


def convert(src: str | os.PathLike[str], dest: str | os.PathLike[str], format: str = "auto") -> LoadReport:
    """Import ``src`` and write the runs as JSONL to ``dest``; returns the import report."""
    rep = import_runs(src, format=format)
    dump_runs(rep.runs, dest)
    return rep
