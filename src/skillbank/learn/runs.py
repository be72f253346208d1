"""The run format: one agent run = OpenAI Chat Completions messages in an envelope.

One JSON object per run (JSONL for many runs)::

    {"trajectory_id": "tau-airline-3-0", "task_id": "3", "task": "Cancel my trip ...",
     "outcome": {"success": true, "reward": 1.0, "checker": "tau-bench"},
     "source": {"env": "tau-bench-airline", "agent": "tool-calling", "model": "gpt-4o",
                "split": null},
     "metadata": {...},
     "messages": [{"role": "system", "content": "..."},
                  {"role": "user", "content": "..."},
                  {"role": "assistant", "content": null,
                   "tool_calls": [{"id": "call_1", "type": "function",
                                   "function": {"name": "get_user", "arguments": "{\"id\": 1}"}}]},
                  {"role": "tool", "tool_call_id": "call_1", "content": "{...}"}]}

Rules a valid run follows (checked by the models, reported by :func:`load_runs`):

* roles are ``system``, ``developer``, ``user``, ``assistant`` or ``tool``;
* ``function.arguments`` is a JSON **string** that decodes to an object;
* every tool call is answered by a later ``tool`` message with its ``tool_call_id`` before the
  next assistant message (calls are paired in order, so reused ids are tolerated);
* every ``tool`` message answers a pending tool call.

See ``docs/learn-runs.md`` for the full description.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

__all__ = [
    "FORMAT_VERSION",
    "Function",
    "LoadReport",
    "Message",
    "Outcome",
    "Problem",
    "Run",
    "Source",
    "ToolCall",
    "ToolCallRecord",
    "dump_runs",
    "iter_runs",
    "load_runs",
    "parse_run",
]

FORMAT_VERSION = "skillbank.run/1"

Role = Literal["system", "developer", "user", "assistant", "tool"]


class Function(BaseModel):
    """``tool_calls[].function``: the tool name and its arguments as a JSON string."""

    model_config = ConfigDict(extra="forbid")

    # OpenAI's function-name rule (plus dots for namespaced tools). Names end up in
    # generated skill scripts and SKILL.md, so nothing else may pass.
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    arguments: str = "{}"

    @field_validator("arguments", mode="before")
    @classmethod
    def _arguments_json(cls, v: Any) -> Any:
        if v is None or v == "":
            return "{}"
        if isinstance(v, dict):  # be lenient on input, strict on the stored form
            return json.dumps(v, ensure_ascii=False)
        if not isinstance(v, str):
            raise ValueError(f"arguments must be a JSON string, got {type(v).__name__}")
        try:
            decoded = json.loads(v)
        except json.JSONDecodeError as exc:
            raise ValueError(f"arguments are not valid JSON ({exc.msg} at char {exc.pos})") from None
        if not isinstance(decoded, dict):
            raise ValueError(f"arguments must decode to a JSON object, got {type(decoded).__name__}")
        return v

    def args(self) -> dict[str, Any]:
        return json.loads(self.arguments)


class ToolCall(BaseModel):
    """One entry of an assistant message's ``tool_calls``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    type: Literal["function"] = "function"
    function: Function

    @classmethod
    def make(cls, id: str, name: str, arguments: dict[str, Any] | None = None) -> ToolCall:
        return cls(id=id, function=Function(name=name, arguments=json.dumps(arguments or {}, ensure_ascii=False)))

    @property
    def name(self) -> str:
        return self.function.name

    def args(self) -> dict[str, Any]:
        return self.function.args()


class Message(BaseModel):
    """A Chat Completions message. Unknown keys (``refusal``, ``reasoning_content`` ...) are kept."""

    model_config = ConfigDict(extra="allow")

    role: Role
    content: str | list[dict[str, Any]] | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None
    name: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Message:
        if self.tool_calls and self.role != "assistant":
            raise ValueError(f"only assistant messages carry tool_calls (role {self.role!r})")
        if self.role == "tool" and not self.tool_call_id:
            raise ValueError("tool message without tool_call_id")
        return self

    @property
    def text(self) -> str:
        """The content as plain text (text parts joined; non-text parts dropped)."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(str(p.get("text", "")) for p in self.content if p.get("type", "text") == "text")


class Outcome(BaseModel):
    model_config = ConfigDict(extra="forbid")

    success: bool | None = None
    reward: float | None = None
    checker: str | None = None


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    env: str | None = None
    agent: str | None = None
    model: str | None = None
    split: str | None = None


class ToolCallRecord(NamedTuple):
    """One tool call of a run, paired with its result."""

    name: str
    arguments: dict[str, Any]
    result: str | None
    call_id: str


def _pair_calls(messages: list[Message]) -> tuple[list[tuple[int, ToolCall, int | None]], list[str]]:
    """Pair each tool call with the tool message answering it.

    Returns ``[(assistant message index, call, tool message index | None)]`` in call order and a
    list of pairing errors. Calls are matched in order by id, so a source that reuses an id for
    different calls (tau-bench does) still pairs correctly.
    """
    pairs: list[tuple[int, ToolCall, int | None]] = []
    errors: list[str] = []
    pending: list[int] = []  # indices into pairs still waiting for a result

    def close_pending() -> None:
        for p in pending:
            _, call, _ = pairs[p]
            errors.append(f"tool call {call.id!r} ({call.name}) has no tool result")
        pending.clear()

    for i, m in enumerate(messages):
        if m.role == "assistant":
            close_pending()
            for call in m.tool_calls or []:
                pending.append(len(pairs))
                pairs.append((i, call, None))
        elif m.role == "tool":
            match = next((p for p in pending if pairs[p][1].id == m.tool_call_id), None)
            if match is None:
                errors.append(f"message {i}: tool result {m.tool_call_id!r} answers no pending tool call")
                continue
            pending.remove(match)
            a, call, _ = pairs[match]
            pairs[match] = (a, call, i)
    close_pending()
    return pairs, errors


class Run(BaseModel):
    """One agent run on one task."""

    model_config = ConfigDict(extra="forbid")

    trajectory_id: str = Field(min_length=1)
    task_id: str | None = None
    task: str = ""
    outcome: Outcome = Field(default_factory=Outcome)
    source: Source = Field(default_factory=Source)
    metadata: dict[str, Any] = Field(default_factory=dict)
    messages: list[Message]

    @field_validator("task_id", "trajectory_id", mode="before")
    @classmethod
    def _ids_as_str(cls, v: Any) -> Any:
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        return v

    @model_validator(mode="after")
    def _paired(self) -> Run:
        _, errors = _pair_calls(self.messages)
        if errors:
            raise ValueError("; ".join(errors))
        return self

    # -- helpers -----------------------------------------------------------------------------
    def tool_calls(self) -> list[ToolCallRecord]:
        """All tool calls in order, each with its decoded arguments and its result text."""
        pairs, _ = _pair_calls(self.messages)
        out = []
        for _, call, t in pairs:
            result = self.messages[t].text if t is not None else None
            out.append(ToolCallRecord(call.name, call.args(), result, call.id))
        return out

    def tool_names(self) -> list[str]:
        return [c.name for c in self.tool_calls()]

    @property
    def success(self) -> bool:
        return bool(self.outcome.success)

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json", exclude_none=False), ensure_ascii=False)


# -- loading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why one line / run of an input could not be imported."""

    reason: str
    line: int | None = None
    trajectory_id: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = []
        if self.path:
            where.append(self.path)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.trajectory_id:
            where.append(f"run {self.trajectory_id}")
        return f"{':'.join(where) or '?'}: {self.reason}"


@dataclass
class LoadReport:
    runs: list[Run] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __iter__(self) -> Iterator[Run]:
        return iter(self.runs)

    def __len__(self) -> int:
        return len(self.runs)

    def extend(self, other: LoadReport) -> None:
        self.runs.extend(other.runs)
        self.problems.extend(other.problems)


def _format_validation_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(x) for x in err["loc"])
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if err["type"] == "literal_error" and loc.endswith("role"):
            msg = f"unknown role {err.get('input')!r} ({msg})"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def parse_run(obj: Any) -> Run:
    """Validate one decoded JSON object as a :class:`Run` (raises ``ValueError`` with a clear reason)."""
    if not isinstance(obj, dict):
        raise ValueError(f"a run must be a JSON object, got {type(obj).__name__}")
    try:
        return Run.model_validate(obj)
    except ValidationError as exc:
        raise ValueError(_format_validation_error(exc)) from None


def iter_runs(path: str | os.PathLike[str]) -> Iterator[Run | Problem]:
    """Yield each run of a JSONL file (or a :class:`Problem` for a bad line), never raising on content."""
    for _, item in _iter_lines(path):
        yield item


def _objects(p: Path) -> Iterator[tuple[int, Any]]:
    """(line or element number, decoded object | JSONDecodeError) for each run of a file.

    JSONL is the format; a file holding one JSON array of runs (element numbers are reported
    as lines) or one pretty-printed run object is accepted too.
    """
    with p.open("r", encoding="utf-8", errors="replace") as fh:
        first = ""
        for line in fh:
            if line.strip():
                first = line.strip()
                break
    whole_file = first.startswith("[")
    if first.startswith("{"):  # JSONL unless the first line alone is not a JSON value
        try:
            json.loads(first)
        except json.JSONDecodeError:
            whole_file = True
    if whole_file:
        text = p.read_text(encoding="utf-8", errors="replace")
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
            whole = None
        if isinstance(whole, list):
            yield from enumerate(whole, start=1)
            return
        if isinstance(whole, dict) and text.strip().count("\n") > 0:
            yield 1, whole
            return
    with p.open("r", encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                yield lineno, exc


def _iter_lines(path: str | os.PathLike[str]) -> Iterator[tuple[int, Run | Problem]]:
    p = Path(path)
    for lineno, obj in _objects(p):
        if isinstance(obj, json.JSONDecodeError):
            yield lineno, Problem(f"invalid JSON ({obj.msg} at char {obj.pos}); truncated line?", lineno, None, str(p))
            continue
        tid = obj.get("trajectory_id") if isinstance(obj, dict) else None
        try:
            yield lineno, parse_run(obj)
        except ValueError as exc:
            yield lineno, Problem(str(exc), lineno, str(tid) if tid is not None else None, str(p))


def load_runs(path: str | os.PathLike[str]) -> LoadReport:
    """Load a JSONL file of runs. Bad lines and duplicate ids are reported, never raised."""
    report = LoadReport()
    seen: dict[str, int] = {}
    for lineno, item in _iter_lines(path):
        if isinstance(item, Problem):
            report.problems.append(item)
            continue
        if item.trajectory_id in seen:
            report.problems.append(
                Problem(
                    f"duplicate trajectory_id (first seen on line {seen[item.trajectory_id]}, kept)",
                    lineno,
                    item.trajectory_id,
                    str(path),
                )
            )
            continue
        seen[item.trajectory_id] = lineno
        report.runs.append(item)
    return report


def dump_runs(runs: Iterable[Run], path: str | os.PathLike[str]) -> int:
    """Write runs as JSONL (atomically: temp file + rename). Returns the number written."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", dir=p.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for run in runs:
                fh.write(run.to_json())
                fh.write("\n")
                n += 1
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return n
