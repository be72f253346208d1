"""BFCL multi-turn adapter: restore a run's state, execute skills in the sandbox, check with BFCL.

Needs ``bfcl-eval`` (installed with ``--no-deps`` plus ``mpmath filelock``; see
``scripts/install-envs.sh``). The stateful tool classes (GorillaFileSystem, TradingBot, ...)
run in *this* process; skill code runs in :mod:`skillbank.envs.sandbox` and reaches them
only through the RPC, so every call a skill makes is executed and logged here.

* :func:`load_tasks` - tasks of a category with their ground truth (per-turn call strings).
* :func:`gold_runs` / :func:`gold_traces` - ground truth executed into runs with real results.
* :class:`Backend` - the tool instances of one task, restorable by replaying a call prefix.
* :func:`verify_template` - run a skill on occurrences (source + validation spans) and compare
  end state (BFCL's own ``state_checker``) **and** every return value with the original calls.
* :func:`verify_rewrite` - execute a rewritten test task turn by turn against the gold program.
* :func:`extra_candidates` - structured ``at_path`` skills: ``cd`` into every directory of a
  path parameter (a loop: one call per component), then one call on its last component; and
  the ``cd`` path rule that lets anti-unification fold ``cd(folder=$d); cat(file_name=$f)``
  into one ``path`` parameter.
"""

from __future__ import annotations

import ast
import copy
import importlib
import inspect
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from skillbank.envs.cases import Case, CaseResult, RewriteResult
from skillbank.envs.sandbox import Limits, SandboxError, Session, SkillError
from skillbank.learn.mine import Call, Template, Trace, Use, match_span, register_path_rule

ENV = "bfcl"

# GorillaFileSystem: `cd(folder)` changes the working directory; these arguments of the later
# calls name a file or directory relative to it, so `cd(folder=$d); cat(file_name=$f)` takes one
# path parameter `d/f` (see skillbank.learn.mine.register_path_rule)
register_path_rule("cd", "folder", ("file_name", "dir_name", "source", "file_name1", "destination", "file_name2"))
CATEGORIES = ("multi_turn_base", "multi_turn_miss_func", "multi_turn_miss_param", "multi_turn_long_context")


def available() -> bool:
    try:
        importlib.import_module("bfcl_eval.eval_checker.multi_turn_eval.multi_turn_checker")
    except Exception:  # noqa: BLE001 - any import problem means "not installed properly"
        return False
    return True


def env_version() -> str:
    from importlib.metadata import version

    return f"bfcl-eval=={version('bfcl-eval')}"


def _data_dir() -> Path:
    import bfcl_eval

    return Path(bfcl_eval.__file__).parent / "data"


@lru_cache(maxsize=None)
def load_tasks(category: str = "multi_turn_base") -> tuple[dict[str, Any], ...]:
    """Tasks of a BFCL multi-turn category: id, question (turns), initial_config, classes, ground_truth."""
    d = _data_dir()
    qs = [json.loads(line) for line in (d / f"BFCL_v4_{category}.json").read_text().splitlines() if line.strip()]
    gt = {}
    for line in (d / "possible_answer" / f"BFCL_v4_{category}.json").read_text().splitlines():
        if line.strip():
            o = json.loads(line)
            gt[o["id"]] = o["ground_truth"]
    out = []
    for q in qs:
        q = dict(q)
        q["ground_truth"] = gt[q["id"]]
        out.append(q)
    return tuple(out)


@lru_cache(maxsize=None)
def _task_index() -> dict[str, dict[str, Any]]:
    idx: dict[str, dict[str, Any]] = {}
    for cat in CATEGORIES:
        try:
            for t in load_tasks(cat):
                idx[t["id"]] = t
        except FileNotFoundError:
            continue
    return idx


def task_config(trace: Trace) -> tuple[dict[str, Any], list[str], bool]:
    """(initial_config, involved_classes, long_context) of a trace: from its metadata or the BFCL data."""
    meta = trace.meta or {}
    for m in (meta, meta.get("bfcl") or {}):
        if isinstance(m, dict) and "initial_config" in m and "involved_classes" in m:
            return m["initial_config"], list(m["involved_classes"]), "long_context" in str(m.get("category", ""))
    for key in (trace.task_id, meta.get("bfcl_id"), (meta.get("bfcl") or {}).get("id") if isinstance(meta.get("bfcl"), dict) else None):
        if key and key in _task_index():
            t = _task_index()[key]
            return t["initial_config"], list(t["involved_classes"]), "long_context" in key
    raise KeyError(f"cannot restore BFCL state for {trace.id}: no initial_config in metadata and unknown task id {trace.task_id!r}")


def result_text(raw: Any) -> str:
    """A tool result as BFCL's executor records it (str, JSON for dicts, else str())."""
    if type(raw) is str:
        return raw
    if type(raw) is dict:
        try:
            return json.dumps(raw)
        except (TypeError, ValueError):
            return str(raw)
    return str(raw)


def _jsonable(raw: Any) -> Any:
    try:
        return json.loads(json.dumps(raw))
    except (TypeError, ValueError):
        return str(raw)


class Backend:
    """The tool instances of one BFCL task (fresh state from its initial config)."""

    def __init__(self, initial_config: dict[str, Any], involved_classes: Sequence[str], long_context: bool = False):
        from bfcl_eval.constants.executable_backend_config import CLASS_FILE_PATH_MAPPING, STATELESS_CLASSES

        self.instances: dict[str, Any] = {}
        self.methods: dict[str, Any] = {}
        for cls_name in involved_classes:
            mod = importlib.import_module(CLASS_FILE_PATH_MAPPING[cls_name])
            inst = getattr(mod, cls_name)()
            if cls_name not in STATELESS_CLASSES:
                inst._load_scenario(copy.deepcopy(initial_config.get(cls_name, {})), long_context=long_context)
            self.instances[cls_name] = inst
            for name, meth in inspect.getmembers(inst, predicate=inspect.ismethod):
                if not name.startswith("_"):
                    self.methods[name] = meth

    @classmethod
    def for_trace(cls, trace: Trace) -> Backend:
        return cls(*task_config(trace))

    def call(self, name: str, args: dict[str, Any]) -> tuple[Any, str]:
        """Execute one call: (raw result, BFCL result text). Errors become BFCL's error text."""
        meth = self.methods.get(name)
        try:
            if meth is None:
                raise AttributeError(f"unknown tool {name!r}")
            raw = meth(**copy.deepcopy(args))
        except Exception as exc:  # noqa: BLE001 - a failing tool call is a result, as in BFCL
            return {"error": str(exc)}, f"Error during execution: {exc}"
        return raw, result_text(raw)

    def replay(self, calls: Sequence[Call]) -> None:
        for c in calls:
            self.call(c.name, c.args)

    def handler(self, texts: list[str]):
        def h(tool: str, args: dict[str, Any]) -> Any:
            raw, text = self.call(tool, args)
            texts.append(text)
            return _jsonable(raw)

        return h

    def state_matches(self, other: Backend) -> tuple[bool, str]:
        """BFCL's own state checker (this = model, other = ground truth)."""
        from bfcl_eval.eval_checker.multi_turn_eval.multi_turn_checker import state_checker

        r = state_checker(self.instances, other.instances)
        if r["valid"]:
            return True, ""
        return False, f"{r.get('error_message')} differences: {str(r.get('details', {}).get('differences'))[:300]}"


def parse_gold_call(text: str, backend: Backend) -> tuple[str, dict[str, Any]]:
    """``cd(folder='x')`` -> ("cd", {"folder": "x"}); positional arguments get their parameter names."""
    node = ast.parse(text.strip(), mode="eval").body
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise ValueError(f"not a function call: {text!r}")
    name = node.func.id
    kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
    if node.args:
        meth = backend.methods[name]
        names = [p for p in inspect.signature(meth).parameters]
        for pname, a in zip(names, node.args):
            kwargs[pname] = ast.literal_eval(a)
    return name, kwargs


def gold_trace(task: dict[str, Any]) -> Trace:
    """Execute a task's ground truth: a trace with the real results, one turn per user turn."""
    b = Backend(task["initial_config"], task["involved_classes"], "long_context" in task["id"])
    turns: list[list[Call]] = []
    for turn in task["ground_truth"]:
        calls = []
        for s in turn:
            name, args = parse_gold_call(s, b)
            _, text = b.call(name, args)
            calls.append(Call(name, args, text))
        turns.append(calls)
    meta = {"env": ENV, "bfcl_id": task["id"], "involved_classes": task["involved_classes"]}
    return Trace(task["id"], task["id"], turns, meta)


def gold_traces(category: str = "multi_turn_base") -> list[Trace]:
    return [gold_trace(t) for t in load_tasks(category)]


def gold_runs(category: str = "multi_turn_base") -> list[Any]:
    """BFCL ground truth as runs (OpenAI messages with real tool results), one run per task."""
    from skillbank.learn.runs import Message, Run, ToolCall

    runs = []
    for task, tr in zip(load_tasks(category), gold_traces(category)):
        msgs: list[Message] = []
        for ti, (q, calls) in enumerate(zip(task["question"], tr.turns)):
            text = "\n".join(m.get("content", "") for m in q if m.get("role") == "user") or "(continue)"
            msgs.append(Message(role="user", content=text))
            if calls:
                tcs = [ToolCall.make(f"c{ti}_{i}", c.name, c.args) for i, c in enumerate(calls)]
                msgs.append(Message(role="assistant", content=None, tool_calls=tcs))
                for tc, c in zip(tcs, calls):
                    msgs.append(Message(role="tool", tool_call_id=tc.id, content=str(c.result)))
        runs.append(
            Run(
                trajectory_id=f"bfcl-{task['id']}",
                task_id=task["id"],
                task=msgs[0].text if msgs else "",
                outcome={"success": True, "reward": 1.0, "checker": "bfcl-ground-truth"},
                source={"env": ENV, "agent": "ground-truth", "model": None, "split": None},
                metadata={"bfcl_id": task["id"], "category": category},
                messages=msgs,
            )
        )
    return runs


# -- verification -------------------------------------------------------------------------------


def _prefix(trace: Trace, turn: int, start: int) -> list[Call]:
    calls = [c for t in trace.turns[:turn] for c in t]
    return calls + list(trace.turns[turn][:start])


def verify_cases(template: Template, source: str, cases: Sequence[Case], limits: Limits | None = None) -> list[CaseResult]:
    """Run the skill on each case (state restored by replaying the run's prefix) and compare.

    A case passes only if BFCL's state checker finds the end state equal to the one after
    the original calls **and** the skill's calls returned exactly the original return values.
    """
    out: list[CaseResult] = []
    limits = limits or Limits(wall_s=20, cpu_s=30)
    sess = Session({"skill": source}, limits)
    try:
        sess.start()
    except SandboxError as exc:
        return [CaseResult(c.trace.id, c.turn, c.start, c.params, False, f"sandbox: {exc}", c.role) for c in cases]
    try:
        for c in cases:
            prefix = _prefix(c.trace, c.turn, c.start)
            m = match_span(template, c.trace.turns[c.turn], c.start)
            n = m[0] if m is not None else template.n  # a structured skill's span length varies
            span = c.trace.turns[c.turn][c.start : c.start + n]
            gold = Backend.for_trace(c.trace)
            missing = sorted({x.name for x in span} - set(gold.methods))
            if missing:  # an error text matching an error text proves nothing
                out.append(CaseResult(c.trace.id, c.turn, c.start, c.params, False,
                                      f"tool(s) {missing} not provided by the environment", c.role))
                continue
            gold.replay(prefix)
            gold_texts = [gold.call(x.name, x.args)[1] for x in span]
            mine = Backend.for_trace(c.trace)
            mine.replay(prefix)
            texts: list[str] = []
            try:
                sess.run("skill", c.params, mine.handler(texts))
            except SkillError as exc:
                out.append(CaseResult(c.trace.id, c.turn, c.start, c.params, False, f"skill raised {exc}"[:300], c.role))
                continue
            except SandboxError as exc:
                out.append(CaseResult(c.trace.id, c.turn, c.start, c.params, False, f"sandbox: {exc}", c.role))
                sess.close()
                sess = Session({"skill": source}, limits)
                sess.start()
                continue
            ok, why = mine.state_matches(gold)
            if ok and texts != gold_texts:
                ok = False
                diff = next((i for i, (a, b) in enumerate(zip(texts, gold_texts)) if a != b), min(len(texts), len(gold_texts)))
                why = f"return value {diff} differs: got {texts[diff] if diff < len(texts) else None!r:.120} expected {gold_texts[diff] if diff < len(gold_texts) else None!r:.120}"
            elif not ok:
                why = f"end state differs: {why}"
            out.append(CaseResult(c.trace.id, c.turn, c.start, c.params, ok, why, c.role))
    finally:
        sess.close()
    return out


def verify_rewrite(trace: Trace, rewritten: Sequence[Sequence[Use]], sources: dict[str, str], limits: Limits | None = None) -> RewriteResult:
    """Execute a rewritten task (primitives + skill calls) turn by turn against its gold program.

    After every turn BFCL's state checker compares the two backends and the turn's return
    values must be identical.
    """
    subs = sum(1 for turn in rewritten for u in turn if u.skill is not None)
    gold = Backend.for_trace(trace)
    mine = Backend.for_trace(trace)
    limits = limits or Limits(wall_s=30, cpu_s=60)
    needed = {u.skill.id: sources[u.skill.id] for turn in rewritten for u in turn if u.skill is not None}
    sess = Session(needed, limits) if needed else None
    res = RewriteResult(trace.id, True, subs)
    try:
        if sess:
            sess.start()
        for ti, (turn, uses) in enumerate(zip(trace.turns, rewritten)):
            gold_texts = [gold.call(c.name, c.args)[1] for c in turn]
            texts: list[str] = []
            for u in uses:
                if u.skill is None:
                    c = turn[u.start]
                    texts.append(mine.call(c.name, c.args)[1])
                else:
                    assert sess is not None
                    sess.run(u.skill.id, u.params or {}, mine.handler(texts))
            ok, why = mine.state_matches(gold)
            if ok and texts != gold_texts:
                ok, why = False, "return values differ"
            res.per_turn.append(ok)
            res.turns_checked += 1
            if not ok:
                res.ok = False
                res.reason = f"turn {ti}: {why}"[:300]
                break
    except (SkillError, SandboxError) as exc:
        res.ok = False
        res.reason = f"turn {res.turns_checked}: {exc}"[:300]
    finally:
        if sess:
            sess.close()
    return res


# -- structured skills: act on a path (navigate into its directories, then one call there) ------

_AT_PATH_SOURCE = '''"""{name}: navigate into the directories of a path, then make one call on its last component.

skillbank structured skill for BFCL's file system (learned from successful runs).
`path` is `dir/.../file`: every directory component is entered with `cd` in order (so the
number of calls depends on the path), then `{tool}` is called with `{file_key}` = the last
component{others}. `call(tool, **args)` executes one tool call and returns its result.
Returns the list of the results of every call, in order.
"""

TOOL = {tool!r}
FIXED = {fixed!r}


def run(call, *, path{sig}):
    parts = path.split("/")
    if len(parts) < 2 or not all(parts) or "." in parts:
        raise ValueError(f"path must be dir/.../name with non-empty components, got {{path!r}}")
    results = []
    for folder in parts[:-1]:
        results.append(call("cd", folder=folder))
    args = dict(FIXED)
    args[{file_key!r}] = parts[-1]
{assign}    results.append(call(TOOL, **args))
    return results
'''


def _component(v: Any) -> bool:
    return isinstance(v, str) and bool(v) and "/" not in v and v != "."


def _cd_run(calls: Sequence[Call], i: int) -> int:
    j = i
    while j < len(calls) and calls[j].name == "cd" and set(calls[j].args) == {"folder"} and _component(calls[j].args["folder"]):
        j += 1
    return j


def _at_path_policy(tail: Template, file_key: str) -> Any:
    """A policy `path -> cd into each directory; tail call with file_key = basename` for one tail template."""
    from skillbank.learn.mine import Policy, match_at

    st = tail.steps[0]
    others = [p for p in tail.params if p != file_key]
    fixed = {k: s.value for k, s in st.args if s.kind == "const"}
    name = f"bfcl.at_path_{st.name}_{tail.id[:6]}"

    def matcher(calls: Sequence[Call], i: int) -> tuple[int, dict[str, Any]] | None:
        j = _cd_run(calls, i)
        if j == i or j >= len(calls):
            return None
        m = match_at(tail, calls, j)
        if m is None or not _component(m.get(file_key)):
            return None
        path = "/".join([c.args["folder"] for c in calls[i:j]] + [m[file_key]])
        return j - i + 1, {"path": path, **{p: m[p] for p in others}}

    sig = "".join(f", {p}" for p in others)
    assign = "".join(f"    args[{k!r}] = {s.name}\n" for k, s in st.args if s.kind == "param" and s.name != file_key)
    src = _AT_PATH_SOURCE.format(
        name="{name}", tool=st.name, file_key=file_key, fixed=fixed, sig=sig, assign=assign,
        others=(" and " + ", ".join(others) + " as given") if others else "",
    )
    fixed_txt = ", ".join(f"{k}={json.dumps(v)}" for k, v in fixed.items())
    return (
        name,
        ("path", *others),
        {"path": "string", **{p: tail.param_types.get(p, "any") for p in others}},
        matcher,
        src,
        f"Goes to the directory of a path with one cd per directory component, then calls {st.name}({file_key}=last component of the path{', ' + fixed_txt if fixed_txt else ''}).".replace("<", "(").replace(">", ")"),
        f"when the task is to {st.name} a file or folder given by a path relative to the current directory (dir/name or dir/subdir/name).",
    )


def extra_candidates(traces: Sequence[Trace], min_support: int = 1, family_support: int = 2) -> list[Template]:
    """Structured `at_path` skills: spans `cd(d1) ... cd(dk); tool(file=f)` (k >= 1) become one call
    with one path parameter `d1/.../dk/f`; the script loops over the directories, so one skill
    covers every depth.

    The program (a `cd` per directory, then one call on the last component) is fixed, like
    TextWorldExpress's `go_to`: it is used only if spans "cd run, then a call on a file" occur
    in at least `family_support` tasks. What is learned per candidate is the tail: tail calls
    are grouped by shape (and by the frequent values of each non-file argument) and
    anti-unified (constants stay fixed); the file argument is always the path's last component.
    A candidate needs spans in at least `min_support` tasks (default 1: admission then needs
    validation spans it was not mined from, from validation tasks or held-out mining tasks) and
    no free value but the path (p = 1), so every use replaces at least two calls with one decision.
    """
    from skillbank.learn.mine import PATH_RULES, Policy, Slot, Step, anti_unify, policy_template, register_policy

    file_keys = PATH_RULES.get("cd", ("folder", ()))[1]
    groups: dict[tuple, list[tuple[Trace, Call]]] = {}
    for tr in traces:
        for turn in tr.turns:
            i = 0
            while i < len(turn):
                j = _cd_run(turn, i)
                if j > i and j < len(turn) and turn[j].name != "cd":
                    groups.setdefault(turn[j].key(), []).append((tr, turn[j]))
                i = max(j, i + 1)
    out: list[Template] = []
    if len({tr.task_id for occ in groups.values() for tr, _ in occ}) < family_support:
        return out
    for key, occ in groups.items():
        if len({tr.task_id for tr, _ in occ}) < min_support:
            continue
        subsets = [occ]
        # also the sub-groups where each non-file argument takes one of its frequent values
        for k in key[1]:
            if k in file_keys:
                continue
            vals: dict[str, list] = {}
            for o in occ:
                vals.setdefault(json.dumps(o[1].args[k], sort_keys=True), []).append(o)
            subsets += [v for v in vals.values() if len(v) < len(occ)]
        for sub in subsets:
            if len({tr.task_id for tr, _ in sub}) < min_support:
                continue
            tail = anti_unify([[c] for _, c in sub], dataflow=False)
            if any(s.kind == "part" for _, s in tail.steps[0].args):
                continue
            fk = next((k for k in file_keys if k in dict(tail.steps[0].args)), None)
            if fk is None:
                continue
            # the file argument is always the path's last component (a parameter), even if it
            # happened to be the same in every span
            st = tail.steps[0]
            if dict(st.args)[fk].kind == "const":
                tail = Template((Step(st.name, tuple((k, Slot("param", name=fk) if k == fk else s) for k, s in st.args)),), (fk, *tail.params), {fk: "string", **tail.param_types})
            if len(tail.params) > 1:
                continue
            name, params, types, matcher, src, summary, when = _at_path_policy(tail, fk)
            how = "tool call and returns its result; the script makes one `cd` per directory of `path`, then the\nfinal call, and returns the list of results."
            register_policy(Policy(name, params, types, matcher, src, summary, when, how=how, path_params=("path",)))
            t = policy_template(name, traces, min_support)
            if t is not None and t.is_skill():
                out.append(t)
    return out
