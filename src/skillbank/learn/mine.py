"""Programmatic skill induction: mine recurring tool-call subsequences, no LLM needed.

Pipeline (all pure functions over :class:`Trace`):

1. :func:`traces_from_runs` turns runs (OpenAI messages) into traces: a list of *turns*
   (a turn starts at each user message), each a list of :class:`Call` (name, arguments,
   result). Skills never span a turn boundary: the agent does not know the next request yet.
2. :func:`mine` groups every window of 2..``max_len`` consecutive calls of a turn by its
   *shape* (tool names + argument keys), then **anti-unifies** the occurrences of a shape:
   an argument slot whose value is the same in every occurrence becomes a *constant*; one
   equal to an earlier slot of the window becomes the same parameter (*shared*); one equal
   to a value inside an earlier call's result becomes a *data-flow binding*
   (``result[k][...]``); anything else is a free *parameter*. Sub-groups whose free slot
   takes a frequent value are anti-unified again (specialisation), so ``cd(folder=X); ls()``
   and ``lockDoors(unlock=False, door=[...all...]); pressBrakePedal(1.0); startEngine(...)``
   both surface; so does the parent with only that value fixed (partial specialisation: a
   slot that varies over the parent's windows stays a parameter even where the sub-group
   happens to agree on it). With a registered navigation tool (:func:`register_path_rule`, BFCL's
   ``cd``) directories navigated into and the file used there fold into one *path*
   parameter: ``cd(folder=$d); touch(file_name=$f)`` takes ``path="d/f"`` (path join,
   dirname/basename: one JSON string, one decision).
3. A :class:`Template` is a skill only if it has at least 2 calls and fewer free parameters
   than calls (:meth:`Template.is_skill`); parameters are JSON values.
4. :func:`cost` and :func:`substitute` implement the measurement: a primitive call costs 1,
   a skill call ``max(1, p)``; substitution is leftmost-greedy in a fixed rank order.
5. :func:`select_library` picks at most ``k`` skills by greedy marginal saving on the
   selection traces (train + validation), optionally calling an ``admit`` callback
   (verification by execution) before taking a skill; the rank order puts skills that save
   more per use first, so a more general skill does not shadow them.

:func:`ngram_candidates` is the plain n-gram baseline (exact call strings) under the same rules.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Call",
    "Trace",
    "Slot",
    "Step",
    "Template",
    "Match",
    "CostReport",
    "traces_from_runs",
    "trace_from_run",
    "split_ids",
    "mine",
    "mine_general",
    "ngram_candidates",
    "match_at",
    "find_matches",
    "substitute",
    "cost",
    "select_library",
    "score",
    "Policy",
    "POLICIES",
    "register_policy",
    "policy_template",
    "match_span",
    "register_path_rule",
    "PATH_RULES",
]


# -- data model ---------------------------------------------------------------------------------


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


_SCALARS = (str, int, float, type(None))


def _same(a: Any, b: Any) -> bool:
    """JSON equality as the miner sees it (1 != true, 1 == 1.0, lists/dicts by canonical text)."""
    ta, tb = type(a), type(b)
    if ta in _SCALARS and tb in _SCALARS:
        if ta is tb:
            return a == b
        return ta in (int, float) and tb in (int, float) and a == b and _canon(a) == _canon(b)
    return _canon(a) == _canon(b)


def parse_result(text: Any) -> Any:
    """A tool result as a JSON value when it is JSON, else the text itself."""
    if not isinstance(text, str):
        return text
    s = text.strip()
    if s[:1] in "{[" or s in ("true", "false", "null") or re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", s or "x"):
        try:
            return json.loads(s)
        except ValueError:
            return text
    return text


@dataclass(frozen=True)
class Call:
    """One primitive tool call with its result (raw text as recorded, and parsed)."""

    name: str
    args: dict[str, Any]
    result: Any = None  # raw text (as the run recorded it)

    @property
    def value(self) -> Any:
        return parse_result(self.result)

    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.name, tuple(sorted(self.args)))

    def text(self) -> str:
        inner = ", ".join(f"{k}={_canon(v)}" for k, v in sorted(self.args.items()))
        return f"{self.name}({inner})"


@dataclass
class Trace:
    """The calls of one successful run, cut into turns."""

    id: str
    task_id: str
    turns: list[list[Call]]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def n_calls(self) -> int:
        return sum(len(t) for t in self.turns)


def trace_from_run(run: Any) -> Trace:
    """Cut a :class:`skillbank.learn.runs.Run` into turns (a new turn at each user message)."""
    calls = run.tool_calls()
    sizes: list[int] = []
    started = False
    for m in run.messages:
        if m.role == "user":
            sizes.append(0)
            started = True
        elif m.role == "assistant" and m.tool_calls:
            if not started:
                sizes.append(0)
                started = True
            sizes[-1] += len(m.tool_calls)
    turns: list[list[Call]] = []
    i = 0
    for n in sizes:
        turns.append([Call(c.name, c.arguments, c.result) for c in calls[i : i + n]])
        i += n
    return Trace(
        id=run.trajectory_id,
        task_id=str(run.task_id if run.task_id is not None else run.trajectory_id),
        turns=turns,
        meta=dict(run.metadata or {}),
    )


def traces_from_runs(runs: Iterable[Any], *, successful_only: bool = True) -> list[Trace]:
    """Traces of the runs (only successful ones by default; runs with unknown outcome count)."""
    out = []
    for r in runs:
        if successful_only and r.outcome.success is False:
            continue
        out.append(trace_from_run(r))
    return out


def split_ids(ids: Iterable[str], seed: int, fractions: tuple[float, float, float] = (0.6, 0.2, 0.2)) -> tuple[list[str], list[str], list[str]]:
    """Seeded shuffle of the distinct task ids, then cut 60/20/20 (never a sorted, contiguous split)."""
    uniq = sorted(set(ids))
    rng = random.Random(seed)
    rng.shuffle(uniq)
    n = len(uniq)
    a = round(n * fractions[0])
    b = a + round(n * fractions[1])
    return uniq[:a], uniq[a:b], uniq[b:]


# -- templates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """How one argument of one step gets its value.

    kind: ``const`` (value), ``param`` (name), ``shared`` (name of a parameter introduced
    by an earlier slot), ``bind`` (step index + path into that step's parsed result),
    ``part`` (component ``value`` of the path parameter ``name``: a directory the template
    navigates into, or the file name used there; see :func:`register_path_rule`).
    """

    kind: str
    value: Any = None
    name: str | None = None
    step: int | None = None
    path: tuple[Any, ...] = ()
    round: int | None = None  # bind only: round(value, n) (a unit conversion feeding the next call)

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        if self.kind in ("const", "part"):
            d["value"] = self.value
        if self.name is not None:
            d["name"] = self.name
        if self.kind == "bind":
            d["step"] = self.step
            d["path"] = list(self.path)
            if self.round is not None:
                d["round"] = self.round
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Slot:
        return cls(d["kind"], d.get("value"), d.get("name"), d.get("step"), tuple(d.get("path") or ()), d.get("round"))


@dataclass(frozen=True)
class Step:
    name: str
    args: tuple[tuple[str, Slot], ...]

    def to_json(self) -> dict[str, Any]:
        return {"tool": self.name, "args": {k: s.to_json() for k, s in self.args}}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Step:
        return cls(d["tool"], tuple((k, Slot.from_json(v)) for k, v in d["args"].items()))


@dataclass(frozen=True)
class Occurrence:
    trace: str  # trace id
    turn: int
    start: int


@dataclass
class Template:
    """A candidate skill: a fixed sequence of tool calls with abstracted arguments."""

    steps: tuple[Step, ...]
    params: tuple[str, ...]
    param_types: dict[str, str] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)  # mined from (train)
    kind: str = "anti-unified"  # or "ngram" or "policy"
    policy: str | None = None  # name of a registered :class:`Policy` (structured skill)

    @property
    def n(self) -> int:
        """Calls of a fixed template (a policy skill's span length varies; its minimum is 2)."""
        return len(self.steps) if self.policy is None else 2

    @property
    def p(self) -> int:
        return len(self.params)

    def is_skill(self) -> bool:
        """At least 2 primitive calls and fewer free parameters than calls."""
        if self.policy is not None:
            return self.p < 2  # policy matches span at least 2 calls
        return self.n >= 2 and self.p < self.n

    @property
    def saving(self) -> int:
        return self.n - max(1, self.p)

    def path_params(self) -> tuple[str, ...]:
        """Parameters that are folded paths ``d1/.../dk/f`` (one JSON string; each component is a
        directory or file name the agent still names)."""
        if self.policy is not None:
            pol = POLICIES.get(self.policy)
            return pol.path_params if pol is not None else ()
        return tuple(dict.fromkeys(s.name for st in self.steps for _, s in st.args if s.kind == "part" and s.name))

    def decisions(self, params: dict[str, Any] | None = None, *, path_components: bool = False) -> int:
        """Cost of one use: ``max(1, p)``; with `path_components`, a path parameter counts as one
        value per component of the path it was given (`params`, the values of this use)."""
        if not path_components:
            return max(1, self.p)
        paths = set(self.path_params())
        n = 0
        for name in self.params:
            v = (params or {}).get(name)
            n += len(v.split("/")) if name in paths and isinstance(v, str) else 1
        return max(1, n)

    def slot_counts(self) -> Counter:
        return Counter(s.kind for st in self.steps for _, s in st.args)

    def shape(self) -> tuple:
        """The call shape a fixed template matches (tool names + argument keys, as :meth:`Call.key`)."""
        return tuple((st.name, tuple(sorted(k for k, _ in st.args))) for st in self.steps)

    def signature(self) -> str:
        if self.policy is not None:
            return _canon({"policy": self.policy, "params": list(self.params)})
        return _canon([st.to_json() for st in self.steps])

    @property
    def id(self) -> str:
        return hashlib.sha256(self.signature().encode()).hexdigest()[:12]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "steps": [s.to_json() for s in self.steps],
            "params": list(self.params),
            "param_types": self.param_types,
            "occurrences": [[o.trace, o.turn, o.start] for o in self.occurrences],
            "policy": self.policy,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Template:
        return cls(
            steps=tuple(Step.from_json(s) for s in d["steps"]),
            params=tuple(d["params"]),
            param_types=dict(d.get("param_types") or {}),
            occurrences=[Occurrence(*o) for o in d.get("occurrences", [])],
            kind=d.get("kind", "anti-unified"),
            policy=d.get("policy"),
        )


@dataclass(frozen=True)
class Policy:
    """A structured skill family: a program over observations, matched by an environment adapter.

    `matcher(calls, i)` returns (span length, parameter values) when calls[i:] starts a span
    the policy replaces; `source` is the skill script (``run(call, **params)``).
    """

    name: str
    params: tuple[str, ...]
    param_types: dict[str, str]
    matcher: Callable[[Sequence[Call], int], tuple[int, dict[str, Any]] | None]
    source: str
    summary: str
    when: str
    tests: dict[str, str] = field(default_factory=dict)  # extra files for the skill folder (tests/...)
    how: str = ""  # SKILL.md "How to run it" text after the script sentence (what `call` returns)
    path_params: tuple[str, ...] = ()  # parameters that are paths d1/.../f (see Template.path_params)


POLICIES: dict[str, Policy] = {}


def register_policy(p: Policy) -> None:
    POLICIES[p.name] = p


def policy_template(name: str, traces: Sequence[Trace] = (), min_support: int = 2) -> Template | None:
    """A candidate for a registered policy if it matches spans in at least `min_support` tasks."""
    pol = POLICIES[name]
    t = Template((), pol.params, dict(pol.param_types), kind="policy", policy=name)
    occ = find_matches(t, traces)
    if len({tr.task_id for tr, *_ in occ}) < min_support:
        return None
    t.occurrences = [Occurrence(tr.id, ti, i) for tr, ti, i, _ in occ]
    return t


def _json_type(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "null"


def get_path(value: Any, path: Sequence[Any]) -> Any:
    for k in path:
        value = value[k]
    return value


def _paths_to(value: Any, target: Any, prefix: tuple = (), depth: int = 0, rnd: int | None = None) -> list[tuple]:
    """Paths inside a parsed result whose value equals `target` (scalars, bounded depth)."""
    out: list[tuple] = []
    if depth > 4:
        return out
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths_to(v, target, prefix + (k,), depth + 1, rnd))
    elif isinstance(value, list):
        for i, v in enumerate(value[:50]):
            out.extend(_paths_to(v, target, prefix + (i,), depth + 1, rnd))
    elif prefix and _eq(_apply_round(value, rnd), target):
        out.append(prefix)
    return out


def _apply_round(v: Any, rnd: int | None) -> Any:
    if rnd is None:
        return v
    if isinstance(v, float):
        return round(v, rnd)
    return object()  # never equal


def resolve(slot: Slot, results: Sequence[Any]) -> Any:
    """The value of a ``bind`` slot given the parsed results of the earlier steps."""
    v = get_path(results[slot.step], slot.path)
    return _apply_round(v, slot.round) if slot.round is not None else v


def _eq(a: Any, b: Any) -> bool:
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return False
    return a == b


def _informative(v: Any) -> bool:
    """Values worth binding by data flow (not booleans/None/tiny ints that match by accident)."""
    if v is None or isinstance(v, bool):
        return False
    if isinstance(v, int) and -1 <= v <= 1:
        return False
    if isinstance(v, str) and len(v) < 2:
        return False
    return not isinstance(v, (list, dict))


def _bind_slot(j: int, vals: Sequence[Any], parsed: Sequence[Sequence[Any]]) -> Slot | None:
    """A data-flow binding (earlier step, path into its result, optional rounding) that gives
    `vals[w]` in every window w, or None."""
    for rnd in (None, 2, 1, 0):
        if rnd is not None and not all(isinstance(v, (int, float)) for v in vals):
            break
        for jj in range(j):
            for path in _paths_to(parsed[0][jj], vals[0], rnd=rnd):
                slot = Slot("bind", step=jj, path=path, round=rnd)
                ok = True
                for w_i in range(1, len(vals)):
                    try:
                        got = resolve(slot, parsed[w_i])
                    except (KeyError, IndexError, TypeError):
                        ok = False
                        break
                    if not _eq(got, vals[w_i]):
                        ok = False
                        break
                if ok:
                    return slot
    return None


def anti_unify(windows: list[list[Call]], *, dataflow: bool = True, prefer_flow: bool = True, general: bool = False) -> Template:
    """The least general template covering all windows (same shape).

    With `general`, the *most* general one instead: a value that is the same in every window
    is not fixed but, unless an earlier result or an earlier parameter gives it (data flow,
    shared value), a free parameter, as if the next occurrence will differ in it.
    """
    first = windows[0]
    steps: list[Step] = []
    params: list[str] = []
    types: dict[str, str] = {}
    # earlier slots that are parameters: (step, key, name) with their value vectors
    earlier: list[tuple[str, list[Any]]] = []
    parsed = [[c.value for c in w] for w in windows]
    for j, call in enumerate(first):
        slots: list[tuple[str, Slot]] = []
        for key in sorted(call.args):
            vals = [w[j].args[key] for w in windows]
            c0 = _canon(vals[0])
            if all(_canon(v) == c0 for v in vals[1:]) and not general:
                # a value read from an earlier result in every window is data flow even when it
                # happens to be the same everywhere (the script reads it, so it holds in other states)
                flow = _bind_slot(j, vals, parsed) if dataflow and prefer_flow and _informative(vals[0]) else None
                slots.append((key, flow or Slot("const", value=vals[0])))
                continue
            shared = next((nm for nm, vv in earlier if all(_canon(a) == _canon(b) for a, b in zip(vv, vals))), None)
            if shared is not None and general and not all(_informative(v) for v in vals):
                shared = None  # equal flags or tiny numbers: no evidence that they are the same value
            if shared is not None:
                slots.append((key, Slot("shared", name=shared)))
                continue
            bound = _bind_slot(j, vals, parsed) if dataflow and all(_informative(v) for v in vals) else None
            if bound is not None:
                slots.append((key, bound))
                continue
            name = key
            i = 2
            while name in params:
                name = f"{key}_{i}"
                i += 1
            params.append(name)
            types[name] = _json_type(vals[0])
            earlier.append((name, vals))
            slots.append((key, Slot("param", name=name)))
        steps.append(Step(call.name, tuple(slots)))
    if PATH_RULES:
        steps, params, types = _fold_paths(steps, params, types, windows)
    return Template(tuple(steps), tuple(params), types)


# -- path parameters ----------------------------------------------------------------------------

# navigation tool -> (its directory argument, file arguments resolved against the new directory)
PATH_RULES: dict[str, tuple[str, tuple[str, ...]]] = {}


def register_path_rule(nav_tool: str, dir_key: str, file_keys: Sequence[str]) -> None:
    """Declare a file-system navigation tool (``cd(folder=...)``) of an environment.

    Then a template that navigates into directories given as free parameters and next uses a
    free file argument there (``cd(folder=$d); touch(file_name=$f)``) takes one **path**
    parameter instead (``path="d/f"``): the directories are its leading components and the
    file its last one (path join / dirname / basename, no per-sample rule). `file_keys` are
    the argument names, in order of preference, that name a file relative to the directory.
    """
    PATH_RULES[nav_tool] = (dir_key, tuple(file_keys))


def _path_component(v: Any) -> bool:
    return isinstance(v, str) and bool(v) and "/" not in v and v not in (".",)


def _fold_paths(steps: list[Step], params: list[str], types: dict[str, str], windows: list[list[Call]]) -> tuple[list[Step], list[str], dict[str, str]]:
    """Replace runs of navigation parameters + the file parameter used right after by one path parameter."""
    first_use: dict[str, tuple[int, str]] = {}
    for j, st in enumerate(steps):
        for key, s in st.args:
            if s.kind == "param":
                first_use[s.name] = (j, key)

    def values_ok(name: str) -> bool:
        j, key = first_use[name]
        return all(_path_component(w[j].args.get(key)) for w in windows)

    folds: list[list[str]] = []  # [components..., file]
    used: set[str] = set()
    j = 0
    while j < len(steps):
        comps: list[str] = []
        k = j
        while k < len(steps) and steps[k].name in PATH_RULES:
            dir_key = PATH_RULES[steps[k].name][0]
            slot = dict(steps[k].args).get(dir_key)
            if slot is None or slot.kind not in ("param", "shared") or slot.name in comps or slot.name in used or not values_ok(slot.name):
                break
            comps.append(slot.name)
            k += 1
        if comps and k < len(steps):
            file_keys = PATH_RULES[steps[k - 1].name][1]
            args = dict(steps[k].args)
            for fk in file_keys:
                s = args.get(fk)
                if s is not None and s.kind == "param" and s.name not in used and values_ok(s.name):
                    folds.append(comps + [s.name])
                    used.update(comps + [s.name])
                    break
        j = max(k, j + 1)
    if not folds:
        return steps, params, types
    role: dict[str, tuple[str, int]] = {}
    new_params = list(params)
    for f in folds:
        name = "path"
        i = 2
        while name in new_params or name in role:
            name = f"path_{i}"
            i += 1
        for idx, comp in enumerate(f):
            role[comp] = (name, idx)
        at = new_params.index(f[0])
        new_params = [p for p in new_params if p not in f]
        new_params.insert(min(at, len(new_params)), name)
        types[name] = "string"
    out = []
    for st in steps:
        slots = []
        for key, s in st.args:
            if s.kind in ("param", "shared") and s.name in role:
                nm, idx = role[s.name]
                s = Slot("part", value=idx, name=nm)
            slots.append((key, s))
        out.append(Step(st.name, tuple(slots)))
    return out, new_params, {p: types[p] for p in new_params if p in types}


# -- matching and substitution ------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    start: int
    params: dict[str, Any]


def match_at(t: Template, calls: Sequence[Call], i: int) -> dict[str, Any] | None:
    """Parameter values if `t` matches calls[i:i+n] (constants, shared params and bindings hold)."""
    if i + t.n > len(calls):
        return None
    bound: dict[str, Any] = {}
    parts: dict[str, dict[int, str]] = {}
    for j, st in enumerate(t.steps):
        c = calls[i + j]
        if c.name != st.name or len(c.args) != len(st.args):
            return None
        for key, slot in st.args:
            if key not in c.args:
                return None
            v = c.args[key]
            if slot.kind == "const":
                if not _same(v, slot.value):
                    return None
            elif slot.kind in ("param", "shared"):
                if slot.name in bound:
                    if not _same(bound[slot.name], v):
                        return None
                else:
                    bound[slot.name] = v
            elif slot.kind == "bind":
                try:
                    got = resolve(slot, [c.value for c in calls[i : i + slot.step + 1]])
                except (KeyError, IndexError, TypeError):
                    return None
                if not _eq(got, v):
                    return None
            elif slot.kind == "part":
                if not _path_component(v):
                    return None
                comp = parts.setdefault(slot.name, {})
                if slot.value in comp and comp[slot.value] != v:
                    return None
                comp[slot.value] = v
            else:
                return None
    for name, comp in parts.items():
        if sorted(comp) != list(range(len(comp))):
            return None
        bound[name] = "/".join(comp[k] for k in range(len(comp)))
    return bound


def match_span(t: Template, calls: Sequence[Call], i: int) -> tuple[int, dict[str, Any]] | None:
    """(span length, params) if `t` matches at calls[i] (fixed templates or policies)."""
    if t.policy is not None:
        got = POLICIES[t.policy].matcher(calls, i)
        if got is None or got[0] < 2:
            return None
        n, params = got
        if any(k not in params for k in t.params):
            return None
        return n, params
    m = match_at(t, calls, i)
    return None if m is None else (t.n, m)


def find_matches(t: Template, traces: Iterable[Trace]) -> list[tuple[Trace, int, int, dict[str, Any]]]:
    """Non-overlapping leftmost matches of one template (trace, turn, start, params)."""
    out = []
    first = t.steps[0].name if t.policy is None and t.steps else None
    for tr in traces:
        for ti, turn in enumerate(tr.turns):
            i = 0
            while i < len(turn):
                if first is not None and turn[i].name != first:
                    i += 1
                    continue
                m = match_span(t, turn, i)
                if m is not None:
                    out.append((tr, ti, i, m[1]))
                    i += m[0]
                else:
                    i += 1
    return out


@dataclass
class Use:
    """One item of a rewritten turn: a primitive call or a skill call."""

    start: int
    length: int
    skill: Template | None = None
    params: dict[str, Any] | None = None


def substitute(turn: Sequence[Call], library: Sequence[Template]) -> list[Use]:
    """Leftmost-greedy rewrite of one turn: at each position the first skill (rank order) that matches."""
    out: list[Use] = []
    i = 0
    order: dict[str, list[Template]] = {}
    while i < len(turn):
        name = turn[i].name
        if name not in order:
            order[name] = [t for t in library if t.policy is not None or t.steps[0].name == name]
        for t in order[name]:
            m = match_span(t, turn, i)
            if m is not None:
                out.append(Use(i, m[0], t, m[1]))
                i += m[0]
                break
        else:
            out.append(Use(i, 1))
            i += 1
    return out


@dataclass
class CostReport:
    cost_before: int = 0
    cost_after: int = 0
    slots_before: int = 0
    slots_after: int = 0
    substitutions: int = 0
    tasks: int = 0
    tasks_with_skill: int = 0
    saved_by: Counter = field(default_factory=Counter)  # argument-slot savings by source

    @property
    def decisions_saved(self) -> float:
        return 1 - self.cost_after / self.cost_before if self.cost_before else 0.0

    @property
    def argslot_saved(self) -> float:
        return 1 - self.slots_after / self.slots_before if self.slots_before else 0.0

    def add(self, other: CostReport) -> None:
        for f in ("cost_before", "cost_after", "slots_before", "slots_after", "substitutions", "tasks", "tasks_with_skill"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.saved_by.update(other.saved_by)


def cost_of_uses(turn: Sequence[Call], uses: Sequence[Use], *, path_components: bool = False) -> CostReport:
    """Cost of one rewritten turn (`path_components`: see :meth:`Template.decisions`)."""
    r = CostReport()
    for u in uses:
        calls = turn[u.start : u.start + u.length]
        before = len(calls)
        slots_before = sum(1 + len(c.args) for c in calls)
        r.cost_before += before
        r.slots_before += slots_before
        if u.skill is None:
            r.cost_after += 1
            r.slots_after += slots_before
        else:
            t = u.skill
            d = t.decisions(u.params, path_components=path_components)
            r.cost_after += d
            r.slots_after += 1 + t.p
            r.substitutions += 1
            kinds = t.slot_counts()
            r.saved_by["calls"] += u.length - 1
            r.saved_by[f"decisions_by_{t.kind}"] += u.length - d
            r.saved_by["constants"] += kinds.get("const", 0)
            r.saved_by["dataflow"] += kinds.get("bind", 0)
            r.saved_by["shared"] += kinds.get("shared", 0)
    return r


def cost(traces: Iterable[Trace], library: Sequence[Template], *, path_components: bool = False) -> CostReport:
    """Decision cost of the traces before and after leftmost-greedy substitution with `library`."""
    total = CostReport()
    for tr in traces:
        r = CostReport(tasks=1)
        for turn in tr.turns:
            r.add(cost_of_uses(turn, substitute(turn, library), path_components=path_components))
        r.tasks = 1
        r.tasks_with_skill = 1 if r.substitutions else 0
        total.add(r)
    return total


def score(t: Template, traces: Iterable[Trace]) -> int:
    """Decisions this template alone saves on the traces."""
    if t.policy is None:
        return len(find_matches(t, traces)) * t.saving
    total = 0
    for tr, ti, i, _ in find_matches(t, traces):
        n, _p = match_span(t, tr.turns[ti], i)  # type: ignore[misc]
        total += n - max(1, t.p)
    return total


# -- mining -------------------------------------------------------------------------------------


def _windows(traces: Sequence[Trace], max_len: int, shapes: Iterable[tuple] | None = None) -> dict[tuple, list[tuple[int, int, int]]]:
    groups: dict[tuple, list[tuple[int, int, int]]] = defaultdict(list)
    only = set(shapes) if shapes is not None else None
    for ti, tr in enumerate(traces):
        for ui, turn in enumerate(tr.turns):
            keys = [c.key() for c in turn]
            for i in range(len(turn)):
                for n in range(2, min(max_len, len(turn) - i) + 1):
                    k = tuple(keys[i : i + n])
                    if only is None or k in only:
                        groups[k].append((ti, ui, i))
    return groups


def _support(occ: list[tuple[int, int, int]], traces: Sequence[Trace]) -> int:
    return len({traces[o[0]].task_id for o in occ})


def _flow_signature(window: Sequence[Call]) -> tuple:
    """For each argument slot: the earlier slot or result path whose value it repeats (or None)."""
    sig = []
    seen: dict[str, tuple] = {}
    parsed = [c.value for c in window]
    for j, c in enumerate(window):
        for key in sorted(c.args):
            v = c.args[key]
            cv = _canon(v)
            src: tuple | None = seen.get(cv) if _informative(v) else None
            if src is None and _informative(v):
                for rnd in (None, 2, 1, 0) if isinstance(v, float) else (None,):
                    for jj in range(j):
                        paths = _paths_to(parsed[jj], v, rnd=rnd)
                        if paths:
                            src = ("bind", jj, paths[0], rnd)
                            break
                    if src is not None:
                        break
            sig.append(src)
            seen.setdefault(cv, ("slot", j, key))
    return tuple(sig)


def mine(
    traces: Sequence[Trace],
    *,
    max_len: int = 6,
    min_support: int = 2,
    dataflow: bool = True,
    specialise: int = 2,
    top_values: int = 3,
    shapes: Iterable[tuple] | None = None,
    partial: bool = True,
) -> list[Template]:
    """Candidate skills mined from `traces` (anti-unification + data-flow bindings).

    Every returned template satisfies :meth:`Template.is_skill` and occurs in at least
    `min_support` distinct tasks. Sorted by decisions saved on the mining traces.
    `shapes`: only windows of these shapes (:meth:`Template.shape`).
    """
    groups = _windows(traces, max_len, shapes)
    seen: dict[str, Template] = {}

    def windows_of(occ):
        return [traces[a].turns[b][c : c + len(shape)] for a, b, c in occ]

    def keep(t: Template, sub: list[tuple[int, int, int]]) -> None:
        """Record `t` (a skill) as mined from `sub`; of equal templates the one seen most often."""
        if not t.is_skill():
            return
        t.occurrences = [Occurrence(traces[a].id, b, c) for a, b, c in sub]
        prev = seen.get(t.signature())
        if prev is None or len(prev.occurrences) < len(t.occurrences):
            seen[t.signature()] = t

    for shape, occ in groups.items():
        if _support(occ, traces) < min_support:
            continue
        stack = [(occ, 0)]
        if dataflow:
            # cluster occurrences by their data-flow structure (which earlier value each slot repeats)
            by_flow: dict[tuple, list[tuple[int, int, int]]] = defaultdict(list)
            for o in occ:
                by_flow[_flow_signature(traces[o[0]].turns[o[1]][o[2] : o[2] + len(shape)])].append(o)
            for sub in by_flow.values():
                if len(sub) < len(occ) and _support(sub, traces) >= min_support:
                    stack.append((sub, 1))
        while stack:
            sub, depth = stack.pop()
            ws = windows_of(sub)
            t = anti_unify(ws, dataflow=dataflow)
            keep(t, sub)
            if depth >= specialise or not t.params:
                continue
            # specialise: fix one free parameter to one of its frequent values
            first_use: dict[str, tuple[int, str]] = {}
            for j, st in enumerate(t.steps):
                for key, s in st.args:
                    if s.kind == "param":
                        first_use[s.name] = (j, key)
            for name, (j, key) in first_use.items():
                counts = Counter(_canon(w[j].args[key]) for w in ws)
                for val, cnt in counts.most_common(top_values):
                    if cnt < 2:
                        break
                    sub2 = [o for o, w in zip(sub, ws) if _canon(w[j].args[key]) == val]
                    if _support(sub2, traces) >= min_support and len(sub2) < len(sub):
                        stack.append((sub2, depth + 1))
                        if partial:
                            # the same value fixed, every other slot as in the parent: a slot that
                            # varies over the parent's windows stays a parameter even if it happens
                            # to be constant in this sub-group
                            keep(_fix_param(t, name, json.loads(val)), sub2)
    cands = list(seen.values())
    cands.sort(key=lambda t: (-len(t.occurrences) * t.saving, t.p, -t.n, t.signature()))
    return cands


def _fix_param(t: Template, name: str, value: Any) -> Template:
    """`t` with the free parameter `name` fixed to `value` (its shared uses too); the rest unchanged."""
    steps = []
    for st in t.steps:
        slots = []
        for key, s in st.args:
            if s.kind in ("param", "shared") and s.name == name:
                s = Slot("const", value=value)
            slots.append((key, s))
        steps.append(Step(st.name, tuple(slots)))
    params = tuple(p for p in t.params if p != name)
    return Template(tuple(steps), params, {p: t.param_types[p] for p in params if p in t.param_types}, kind=t.kind)


def mine_general(
    traces: Sequence[Trace], *, max_len: int = 6, min_support: int = 1, exclude: Iterable[str] = (), shapes: Iterable[tuple] | None = None
) -> list[Template]:
    """Most general candidates (kind ``generalised``): windows clustered by shape and data-flow
    structure, anti-unified with ``general=True``, so only data flow, shared values and path
    parameters keep a free value out of the parameters; a candidate needs spans in
    `min_support` tasks (default 1) and fewer free parameters than calls. Admission must then
    find validation spans it was not mined from. `exclude`: signatures already mined.
    """
    groups = _windows(traces, max_len, shapes)
    skip = set(exclude)
    seen: dict[str, Template] = {}
    for shape, occ in groups.items():
        if _support(occ, traces) < min_support:
            continue
        by_flow: dict[tuple, list[tuple[int, int, int]]] = defaultdict(list)
        for o in occ:
            by_flow[_flow_signature(traces[o[0]].turns[o[1]][o[2] : o[2] + len(shape)])].append(o)
        for sub in by_flow.values():
            if _support(sub, traces) < min_support:
                continue
            t = anti_unify([traces[a].turns[b][c : c + len(shape)] for a, b, c in sub], general=True)
            if not t.is_skill():
                continue
            t.kind = "generalised"
            sig = t.signature()
            if sig in skip:
                continue
            t.occurrences = [Occurrence(traces[a].id, b, c) for a, b, c in sub]
            prev = seen.get(sig)
            if prev is None or len(prev.occurrences) < len(t.occurrences):
                seen[sig] = t
    cands = list(seen.values())
    cands.sort(key=lambda t: (-len(t.occurrences) * t.saving, t.p, -t.n, t.signature()))
    return cands


def ngram_candidates(traces: Sequence[Trace], *, max_len: int = 6, min_support: int = 2) -> list[Template]:
    """Baseline: exact call n-grams (every argument a literal constant), same rules and support."""
    groups: dict[tuple, list[tuple[int, int, int]]] = defaultdict(list)
    for ti, tr in enumerate(traces):
        for ui, turn in enumerate(tr.turns):
            texts = [c.text() for c in turn]
            for i in range(len(turn)):
                for n in range(2, min(max_len, len(turn) - i) + 1):
                    groups[tuple(texts[i : i + n])].append((ti, ui, i))
    out = []
    for key, occ in groups.items():
        if _support(occ, traces) < min_support:
            continue
        a, b, c = occ[0]
        w = traces[a].turns[b][c : c + len(key)]
        steps = tuple(Step(x.name, tuple((k, Slot("const", value=x.args[k])) for k in sorted(x.args))) for x in w)
        out.append(Template(steps, (), {}, [Occurrence(traces[a].id, b, c) for a, b, c in occ], kind="ngram"))
    out.sort(key=lambda t: (-len(t.occurrences) * t.saving, -t.n, t.signature()))
    return out


# -- library selection --------------------------------------------------------------------------


def select_library(
    candidates: Sequence[Template],
    traces: Sequence[Trace],
    *,
    k: int = 20,
    admit: Callable[[Template], bool] | None = None,
    max_checks: int = 200,
    progress: Callable[[Template, bool], None] | None = None,
    order: str = "saving",
) -> list[Template]:
    """Greedy selection by marginal saving on `traces` (train + validation).

    Rank order (``order="saving"``): a skill taken goes after every skill that saves at least
    as much per use (ties: earlier picks first), and a candidate's marginal saving is computed
    at that position. Substitution is leftmost-greedy in rank order, so a skill saving more per
    use is not shadowed by a more general one picked before it (``get_zipcode(SF);
    get_zipcode($c); estimate_distance(...)``, p = 1, after ``get_zipcode($a); get_zipcode($b);
    estimate_distance(...)``, p = 2). ``order="append"``: rank = pick order.

    Lazy greedy: a candidate's saving (almost always) only shrinks as the library grows, so the
    stored value is taken as an upper bound and only the top of the queue is re-evaluated. The
    marginal saving is computed on the traces the candidate matches, with each trace's
    cost under the current library cached. `admit` (verification by execution) is asked
    before a skill is taken; a rejected candidate is never asked again. At most
    `max_checks` admission checks are made.
    """
    import heapq

    library: list[Template] = []
    where: dict[int, list[int]] = {}
    standalone: dict[int, int] = {}
    by_len: dict[int, dict[tuple, list[tuple[int, int, int]]]] = {}

    def windows_of(n: int) -> dict[tuple, list[tuple[int, int, int]]]:
        """Where each window shape of `n` calls starts (only there can a fixed template match)."""
        if n not in by_len:
            got: dict[tuple, list[tuple[int, int, int]]] = defaultdict(list)
            for j, tr in enumerate(traces):
                for ti, turn in enumerate(tr.turns):
                    keys = [c.key() for c in turn]
                    for pos in range(len(turn) - n + 1):
                        got[tuple(keys[pos : pos + n])].append((j, ti, pos))
            by_len[n] = got
        return by_len[n]

    def traces_of(i: int) -> list[int]:
        if i not in where:
            t = candidates[i]
            if t.policy is not None:
                hits = [j for j in range(len(traces)) if find_matches(t, [traces[j]])]
                standalone[i] = score(t, [traces[j] for j in hits])
            else:
                total = 0
                hits_set: set[int] = set()
                last_end: dict[tuple[int, int], int] = {}
                for j, ti, pos in windows_of(t.n).get(t.shape(), ()):
                    if pos < last_end.get((j, ti), 0):
                        continue
                    if match_at(t, traces[j].turns[ti], pos) is not None:
                        hits_set.add(j)
                        last_end[(j, ti)] = pos + t.n
                        total += t.saving
                hits = sorted(hits_set)
                standalone[i] = total
            where[i] = hits
        return where[i]

    cur: dict[int, int] = {}

    def cost_now(j: int) -> int:
        if j not in cur:
            cur[j] = cost([traces[j]], library).cost_after
        return cur[j]

    def per_use(i: int) -> float:
        t = candidates[i]
        if t.policy is None:
            return t.saving
        return standalone[i] / max(1, len(find_matches(t, [traces[j] for j in where[i]])))

    rank_key: dict[int, float] = {}
    picked: list[int] = []

    def position(i: int) -> int:
        """Where candidate `i` goes in the rank order: after every skill saving at least as much per use."""
        if order == "append":
            return len(library)
        key = rank_key.setdefault(i, per_use(i))
        pos = len(library)
        for at, j in enumerate(picked):
            if rank_key[j] < key:
                pos = at
                break
        return pos

    def with_(i: int) -> list[Template]:
        at = position(i)
        return library[:at] + [candidates[i]] + library[at:]

    def gain(i: int) -> int:
        g = 0
        trial = with_(i)
        for j in traces_of(i):
            g += cost_now(j) - cost([traces[j]], trial).cost_after
        return g

    heap: list[tuple[int, int]] = []
    for i in range(len(candidates)):
        traces_of(i)
        if standalone[i] > 0:
            heap.append((-standalone[i], i))
    heapq.heapify(heap)
    checks = 0
    while len(library) < k and heap:
        best = None
        while heap:
            neg, i = heapq.heappop(heap)
            now = gain(i)
            if now <= 0:
                continue
            if not heap or now >= -heap[0][0]:
                best = i
                break
            heapq.heappush(heap, (-now, i))
        if best is None:
            break
        t = candidates[best]
        ok = True
        if admit is not None:
            if checks >= max_checks:
                break
            checks += 1
            ok = admit(t)
        if progress:
            progress(t, ok)
        if ok:
            at = position(best)
            library.insert(at, t)
            picked.insert(at, best)
            for j in traces_of(best):
                cur.pop(j, None)
    return library
