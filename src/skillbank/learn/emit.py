"""Emit a mined :class:`~skillbank.learn.mine.Template` as an Agent Skills folder.

The folder (``files: dict[str, bytes]``) holds

* ``SKILL.md`` - strict-spec front matter (``name`` = folder name, a-z0-9-, <= 64 chars;
  ``description`` <= 1024 chars without ``<``/``>``; ``metadata`` values are strings) and a
  body saying what the skill does, when to use it, its parameters and the calls it makes;
* ``scripts/<name>.py`` - ``run(call, **params)``: the calls, with constants inlined and
  data-flow bindings read from earlier results; ``call(tool, **args)`` is supplied by the
  host (the agent's tool executor, or the sandbox RPC during verification);
* ``tests/occurrences.json`` + ``tests/test_replay.py`` - replay of the source occurrences
  against their recorded results (no environment needed: ``python -m pytest tests``).
"""

from __future__ import annotations

import json
import keyword
import re
from typing import Any

from skillbank.learn.mine import Template, Trace

__all__ = ["skill_name", "script_source", "skill_md", "skill_files", "occurrence_examples", "describe"]


def _ident(s: str) -> str:
    s = re.sub(r"\W", "_", s)
    if not s or s[0].isdigit() or keyword.iskeyword(s):
        s = "p_" + s
    return s


def _kebab(s: str) -> str:
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", s)
    s = re.sub(r"[^a-zA-Z0-9]+", "-", s).strip("-").lower()
    return re.sub(r"-{2,}", "-", s)


def skill_name(t: Template, taken: set[str] | None = None) -> str:
    """A spec-valid name from the tool names (``cd-ls``), made unique with a short hash."""
    parts = []
    for st in t.steps:
        k = _kebab(st.name) or "call"
        if not parts or parts[-1] != k:
            parts.append(k)
    if t.policy is not None:
        parts = [_kebab(t.policy.split(".")[-1]) or "policy"]
    base = "-".join(parts)
    if len(base) > 48:
        base = base[:48].rstrip("-")
    name = f"{base}-{t.id[:6]}"
    if taken is not None:
        i = 2
        while name in taken:
            name = f"{base}-{t.id[:6]}-{i}"
            i += 1
        taken.add(name)
    return name


def _frontmatter(name: str, description: str, metadata: dict[str, str], stats: dict[str, Any]) -> list[str]:
    """Strict-spec front matter lines; values JSON-quoted so YAML keeps them strings."""
    description = description.replace("<", "(").replace(">", ")")  # some clients reject angle brackets
    if len(description) > 1024:
        description = description[:1021] + "..."
    metadata = {**metadata, **{k: str(v) for k, v in stats.items()}}
    lines = ["---", f"name: {name}", f"description: {json.dumps(description, ensure_ascii=False)}", "metadata:"]
    lines += [f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in metadata.items()]
    return [*lines, "---"]


def _py(v: Any) -> str:
    return repr(v)


def script_source(t: Template, name: str) -> str:
    """Python implementing the skill against the tool API: ``run(call, **params)``."""
    if t.policy is not None:
        from skillbank.learn.mine import POLICIES

        return POLICIES[t.policy].source.replace("{name}", name)
    pnames = {p: _ident(p) for p in t.params}
    lines = [
        f'"""{name}: learned program skill (skillbank, mined from successful runs).',
        "",
        "Calls, in order: " + ", ".join(st.name for st in t.steps) + ".",
        "`call(tool, **args)` executes one tool call and returns its result (a JSON value or text).",
        "Returns the list of the results of every call, in order.",
        '"""',
        "",
        "import json",
        "",
        f"TOOLS = {[st.name for st in t.steps]!r}",
        "PARAMS = " + repr({p: t.param_types.get(p, "any") for p in t.params}),
        "",
        "",
        "def _value(result, path):",
        "    if isinstance(result, str):",
        "        try:",
        "            result = json.loads(result)",
        "        except ValueError:",
        "            pass",
        "    for key in path:",
        "        result = result[key]",
        "    return result",
        "",
        "",
    ]
    nparts: dict[str, int] = {}
    for st in t.steps:
        for _, slot in st.args:
            if slot.kind == "part":
                nparts[slot.name] = max(nparts.get(slot.name, 0), slot.value + 1)
    if nparts:
        lines[-2:-2] = [
            "# path parameters: number of components (leading directories navigated into, then the file)",
            f"PATH_PARTS = {nparts!r}",
            "",
            "",
            "def _part(path, name, i):",
            "    parts = path.split('/')",
            "    if len(parts) != PATH_PARTS[name] or not all(parts):",
            "        raise ValueError(f'{name} must have {PATH_PARTS[name]} components separated by /, got {path!r}')",
            "    return parts[i]",
            "",
        ]
    sig = ", ".join(pnames[p] for p in t.params)
    lines.append(f"def run(call{', *, ' + sig if sig else ''}):")
    lines.append("    results = []")
    for j, st in enumerate(t.steps):
        parts = []
        for key, slot in st.args:
            if slot.kind == "const":
                expr = _py(slot.value)
            elif slot.kind in ("param", "shared"):
                expr = pnames[slot.name]
            elif slot.kind == "part":
                expr = f"_part({pnames[slot.name]}, {slot.name!r}, {slot.value})"
            else:
                expr = f"_value(results[{slot.step}], {list(slot.path)!r})"
                if slot.round is not None:
                    expr = f"round({expr}, {slot.round})"
            parts.append(f"{key!r}: {expr}")
        lines.append(f"    results.append(call({st.name!r}, **{{{', '.join(parts)}}}))")
    lines.append("    return results")
    lines.append("")
    return "\n".join(lines)


def describe(t: Template) -> str:
    """One line saying what the skill does (no angle brackets)."""
    if t.policy is not None:
        from skillbank.learn.mine import POLICIES

        return POLICIES[t.policy].summary.replace("<", "(").replace(">", ")")
    steps = []
    for st in t.steps:
        args = []
        for key, slot in st.args:
            if slot.kind == "const":
                v = json.dumps(slot.value, ensure_ascii=False)
                args.append(f"{key}={v if len(v) <= 40 else v[:37] + '...'}")
            elif slot.kind in ("param", "shared"):
                args.append(f"{key}=${slot.name}")
            elif slot.kind == "part":
                args.append(f"{key}=${slot.name}[{slot.value}]")
            else:
                ref = f"result{slot.step + 1}.{'.'.join(map(str, slot.path))}"
                args.append(f"{key}=round({ref}, {slot.round})" if slot.round is not None else f"{key}={ref}")
        steps.append(f"{st.name}({', '.join(args)})")
    return "; ".join(steps).replace("<", "(").replace(">", ")")


def _policy_md(t: Template, name: str, *, env: str, stats: dict[str, Any]) -> str:
    from skillbank.learn.mine import POLICIES

    pol = POLICIES[t.policy]  # type: ignore[index]
    desc = f"{pol.summary} Use {pol.when} Parameters: {', '.join(t.params) or 'none'}. Learned from successful {env} runs and verified by execution."
    meta = {"source": "learned", "learner": "skillbank.learn.mine", "env": env, "policy": t.policy or "", "parameters": str(t.p), "template-id": t.id}
    fm = _frontmatter(name, desc, meta, stats)
    body = [
        "",
        f"# {name}",
        "",
        "## What it does",
        "",
        pol.summary,
        "",
        "## When to use it",
        "",
        f"Use {pol.when}",
        "",
        "## Parameters",
        "",
    ]
    body += [f"- `{p}` ({t.param_types.get(p, 'any')})" for p in t.params] or ["None."]
    body += [
        "",
        "## How to run it",
        "",
        f"`scripts/{name}.py` defines `run(call, **params)`; `call(tool, **args)` executes one environment",
        *(
            pol.how.splitlines()
            if pol.how
            else [
                "command (tool `act`, argument `command`) and returns a mapping with `observation` and",
                "`valid_actions`. The script chooses its commands from those observations.",
            ]
        ),
        "",
    ]
    return "\n".join(fm + body)


def skill_md(t: Template, name: str, *, env: str, stats: dict[str, Any] | None = None) -> str:
    stats = stats or {}
    if t.policy is not None:
        return _policy_md(t, name, env=env, stats=stats)
    tools = ", ".join(dict.fromkeys(st.name for st in t.steps))
    params = ", ".join(t.params) if t.params else "none"
    plan = describe(t)
    if len(plan) > 600:
        plan = plan[:597] + "..."
    desc = (
        f"Runs {t.n} {env} tool calls as one step: {plan}. "
        f"Use when a task needs exactly this sequence ({tools}); parameters: {params}. "
        f"Learned from successful runs and verified by execution."
    )
    meta = {
        "source": "learned",
        "learner": "skillbank.learn.mine",
        "env": env,
        "calls": str(t.n),
        "parameters": str(t.p),
        "template-id": t.id,
    }
    fm = _frontmatter(name, desc, meta, stats)
    body = [
        "",
        f"# {name}",
        "",
        "## What it does",
        "",
        f"Makes these {t.n} tool calls in order, so the agent decides once instead of {t.n} times:",
        "",
    ]
    for j, st in enumerate(t.steps):
        body.append(f"{j + 1}. `{describe(Template((st,), ()))}`")
    body += [
        "",
        "`$name` is a parameter you supply; `$path[i]` is component i of the path parameter",
        "(directories navigated into, then the file: `dir/file`); `resultN.key` is taken from the result of call N",
        "(data flow); every other value is fixed.",
        "",
        "## When to use it",
        "",
        f"When the next steps of the task are exactly these calls ({tools}) with fixed values as listed.",
        "Do not use it when any fixed value differs: make the calls one by one instead.",
        "",
        "## Parameters",
        "",
    ]
    if t.params:
        for p in t.params:
            body.append(f"- `{p}` ({t.param_types.get(p, 'any')})")
    else:
        body.append("None.")
    body += [
        "",
        "## How to run it",
        "",
        f"`scripts/{name}.py` defines `run(call, **params)`; `call(tool, **args)` must execute one",
        "tool call and return its result. It returns the list of results of every call.",
        "`tests/test_replay.py` replays the runs it was mined from against their recorded results.",
        "",
    ]
    return "\n".join(fm + body)


def occurrence_examples(t: Template, traces: dict[str, Trace], limit: int = 10) -> list[dict[str, Any]]:
    """Recorded source occurrences: params, expected calls and their recorded results."""
    from skillbank.learn.mine import match_span

    out = []
    for o in t.occurrences[:limit]:
        tr = traces.get(o.trace)
        if tr is None:
            continue
        turn = tr.turns[o.turn]
        m = match_span(t, turn, o.start)
        if m is None:
            continue
        n, params = m
        span = turn[o.start : o.start + n]
        out.append(
            {
                "run": o.trace,
                "turn": o.turn,
                "start": o.start,
                "params": params,
                "calls": [{"tool": c.name, "args": c.args, "result": c.result} for c in span],
            }
        )
    return out


_TEST = '''"""Replays the runs this skill was mined from against their recorded results."""

import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE.parent / "scripts" / "{name}.py"


def _load():
    spec = importlib.util.spec_from_file_location("skill_script", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_replay_source_occurrences():
    mod = _load()
    cases = json.loads((HERE / "occurrences.json").read_text(encoding="utf-8"))
    assert cases
    for case in cases:
        expected = case["calls"]
        made = []

        def call(tool, **args):
            i = len(made)
            made.append({{"tool": tool, "args": args}})
            assert i < len(expected), "more calls than recorded"
            return expected[i]["result"]

        mod.run(call, **case["params"])
        assert made == [{{"tool": c["tool"], "args": c["args"]}} for c in expected]
'''


def skill_files(
    t: Template,
    name: str,
    *,
    env: str,
    examples: list[dict[str, Any]] | None = None,
    stats: dict[str, Any] | None = None,
) -> dict[str, bytes]:
    """The Agent Skills folder for one template: SKILL.md, the script and replay tests."""
    files = {
        "SKILL.md": skill_md(t, name, env=env, stats=stats).encode(),
        f"scripts/{name}.py": script_source(t, name).encode(),
        "references/template.json": (json.dumps(t.to_json(), indent=2, ensure_ascii=False) + "\n").encode(),
    }
    if t.policy is not None:
        from skillbank.learn.mine import POLICIES

        for path, text in POLICIES[t.policy].tests.items():
            files[path] = text.replace("{name}", name).encode()
        if examples:
            files["tests/occurrences.json"] = (json.dumps(examples, indent=2, ensure_ascii=False) + "\n").encode()
            if not POLICIES[t.policy].tests:
                # a policy whose calls follow from its parameters alone (BFCL at_path): replay them
                files["tests/test_replay.py"] = _TEST.format(name=name).encode()
        return files
    if examples:
        files["tests/occurrences.json"] = (json.dumps(examples, indent=2, ensure_ascii=False) + "\n").encode()
        files["tests/test_replay.py"] = _TEST.format(name=name).encode()
    return files
