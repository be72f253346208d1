"""The agentskills.io specification: front matter parsing and the validation rules.

Pure functions over text: nothing here touches the file system. Every problem found
carries a stable rule id, the file, a line number (1-based, in SKILL.md) and a message
that says what to change.

Two modes:
* ``strict`` reproduces the specification and the reference validator `skills-ref`.
* ``lenient`` loads what agent clients load: a name/folder mismatch, unknown keys and
  OpenClaw-style nested ``metadata`` are warnings; an unquoted ``key: a: b`` value is
  retried quoted. Duplicate keys are errors in both modes.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

import yaml

Mode = Literal["strict", "lenient"]
Severity = Literal["error", "warning"]

MAX_NAME = 64
MAX_DESCRIPTION = 1024
MAX_COMPATIBILITY = 500
ALLOWED_FIELDS = ("name", "description", "license", "compatibility", "metadata", "allowed-tools")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SKILL_MD = "SKILL.md"


@dataclass(frozen=True)
class Problem:
    """One finding of the validator."""

    rule: str
    severity: Severity
    message: str
    file: str = SKILL_MD
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity} [{self.rule}] {self.message}"


class _Refused(yaml.MarkedYAMLError):
    """YAML features front matter never needs and that can be abused (alias bombs, tags)."""


class _StringLoader(yaml.SafeLoader):
    """Safe YAML where every scalar stays a string and duplicate keys are an error.

    The spec wants strings (`version: 1.0` must stay "1.0", `on` must not become True),
    and PyYAML would otherwise keep the last of two duplicate keys silently. Aliases
    (a few hundred bytes can expand to gigabytes) and explicit tags (`!!timestamp`,
    `!!int`) are refused: front matter never needs them, and skills-ref rejects them too.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(None, None, "an alias (*name), which is not allowed", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise _Refused(None, None, f"an explicit YAML tag ({tag}), which is not allowed", event.start_mark)
        return super().compose_node(parent, index)


# Drop the implicit resolvers for bool/int/float/null/timestamp: plain scalars are str.
_StringLoader.yaml_implicit_resolvers = {}


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass




def _construct_mapping(loader: _StringLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain strings", key_node.start_mark
            )
        if key in mapping:
            raise DuplicateKeyError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StringLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class Parsed:
    """SKILL.md split into front matter and body, with the problems found doing so."""

    frontmatter: dict[str, Any] | None
    body: str
    problems: list[Problem]
    key_lines: dict[str, int]


def split_frontmatter(text: str) -> tuple[str, str, int] | Problem:
    """Return (yaml text, body, line number of the first YAML line) or the problem."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return Problem(
            "frontmatter-missing",
            "error",
            "SKILL.md must start with a '---' line opening the YAML front matter "
            "(name and description).",
            line=1,
        )
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), 2
    return Problem(
        "frontmatter-unclosed",
        "error",
        "The YAML front matter is never closed: add a line '---' after the last key.",
        line=1,
    )


def _quote_colon_values(yaml_text: str) -> tuple[str, list[int]]:
    """Quote unquoted top-level values that contain ': ' (what clients retry with)."""
    out: list[str] = []
    fixed: list[int] = []
    pattern = re.compile(r"^([A-Za-z0-9_-]+):[ \t]+(.*?)[ \t]*$")
    for number, line in enumerate(yaml_text.splitlines(), start=1):
        match = pattern.match(line)
        if match:
            value = match.group(2)
            if ": " in value and value[0] not in "'\"[{|>&*!#":
                escaped = value.replace("\\", "\\\\").replace('"', '\\"')
                line = f'{match.group(1)}: "{escaped}"'
                fixed.append(number)
        out.append(line)
    return "\n".join(out) + "\n", fixed


def _load_yaml(yaml_text: str) -> tuple[Any, dict[str, int]]:
    loader = _StringLoader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        key_lines: dict[str, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key_lines.setdefault(key_node.value, key_node.start_mark.line)
        return loader.construct_document(node), key_lines
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.YAMLError, first_line: int, rule: str = "yaml-syntax") -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = first_line + mark.line if mark is not None else None
    detail = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, _Refused):
        return Problem("yaml-unsupported", "error", f"Front matter uses {detail}; write plain values instead.", line=line)
    if isinstance(exc, DuplicateKeyError):
        return Problem(
            "yaml-duplicate-key",
            "error",
            f"Front matter has a duplicate key ({detail.removeprefix('found duplicate key ')}): "
            "keep one of them.",
            line=line,
        )
    return Problem(
        rule,
        "error",
        f"Front matter is not valid YAML ({detail}). Quote values that contain ': ' or "
        "start with a special character.",
        line=line,
    )


def parse(text: str, mode: Mode = "strict") -> Parsed:
    """Split SKILL.md and load its front matter (no spec rules applied yet)."""
    split = split_frontmatter(text)
    if isinstance(split, Problem):
        return Parsed(None, text, [split], {})
    yaml_text, body, first = split
    problems: list[Problem] = []
    try:
        data, key_lines = _load_yaml(yaml_text)
    except DuplicateKeyError as exc:
        return Parsed(None, body, [_yaml_problem(exc, first)], {})
    except RecursionError:
        return Parsed(None, body, [Problem("yaml-syntax", "error", "Front matter is nested too deeply to load.", line=first)], {})
    except yaml.YAMLError as exc:
        if mode != "lenient":
            return Parsed(None, body, [_yaml_problem(exc, first)], {})
        quoted, fixed = _quote_colon_values(yaml_text)
        if not fixed:
            return Parsed(None, body, [_yaml_problem(exc, first)], {})
        try:
            data, key_lines = _load_yaml(quoted)
        except (yaml.YAMLError, RecursionError):
            return Parsed(None, body, [_yaml_problem(exc, first)], {})
        for number in fixed:
            problems.append(
                Problem(
                    "yaml-unquoted-colon",
                    "warning",
                    "Value contains ': ' without quotes; loaded it quoted. Quote it so "
                    "strict parsers accept it.",
                    line=first + number - 1,
                )
            )
    if data is None:
        return Parsed(
            None,
            body,
            [Problem("frontmatter-empty", "error", "Front matter is empty: add name and description.", line=1)],
            {},
        )
    if not isinstance(data, dict):
        return Parsed(
            None,
            body,
            [
                Problem(
                    "frontmatter-not-mapping",
                    "error",
                    "Front matter must be a YAML mapping of keys to values (name: ..., description: ...).",
                    line=first,
                )
            ],
            {},
        )
    return Parsed(data, body, problems, {k: first + v for k, v in key_lines.items()})


def check(
    frontmatter: dict[str, Any],
    *,
    folder_name: str | None,
    mode: Mode = "strict",
    key_lines: dict[str, int] | None = None,
) -> list[Problem]:
    """Apply the specification's rules to parsed front matter."""
    lines = key_lines or {}
    problems: list[Problem] = []
    lenient = mode == "lenient"

    def add(rule: str, message: str, key: str | None = None, severity: Severity = "error") -> None:
        problems.append(Problem(rule, severity, message, line=lines.get(key, 1) if key else 1))

    for key in frontmatter:
        if key not in ALLOWED_FIELDS:
            add(
                "unknown-field",
                f"Unknown front-matter key {key!r}; the spec allows only "
                f"{', '.join(ALLOWED_FIELDS)}. Move it under 'metadata' or remove it.",
                key,
                "warning" if lenient else "error",
            )

    name = frontmatter.get("name")
    if isinstance(name, str):
        name = name.strip()
    if "name" not in frontmatter:
        add("name-missing", "Required key 'name' is missing: add 'name: <folder-name>'.")
    elif not isinstance(name, str) or not name.strip():
        add("name-type", "'name' must be a non-empty string.", "name")
    elif not _safe_component(name):
        add(
            "name-unsafe",
            f"'name' {name!r} cannot be used as a folder name or reference (slash, '@', control "
            "character, leading dot or over 255 bytes); use lowercase letters, digits and hyphens.",
            "name",
        )
    else:
        # Clients load these names; the library keeps them, with a warning, in lenient mode.
        soft: Severity = "warning" if lenient else "error"
        if len(name) > MAX_NAME:
            add("name-length", f"'name' is {len(name)} characters; the limit is {MAX_NAME}.", "name", soft)
        if name != name.lower():
            add("name-case", f"'name' {name!r} must be lowercase.", "name", soft)
        if name.startswith("-") or name.endswith("-"):
            add("name-hyphen", "'name' cannot start or end with a hyphen.", "name", soft)
        elif "--" in name:
            add("name-hyphen", "'name' cannot contain consecutive hyphens ('--').", "name", soft)
        if not re.fullmatch(r"[A-Za-z0-9-]+", name):
            add(
                "name-charset",
                f"'name' {name!r} may only hold lowercase letters a-z, digits and hyphens.",
                "name",
                soft,
            )
        if folder_name is not None and folder_name != name:
            add(
                "name-folder-mismatch",
                f"'name' is {name!r} but the folder is {folder_name!r}: rename one to match.",
                "name",
                "warning" if lenient else "error",
            )

    description = frontmatter.get("description")
    if "description" not in frontmatter:
        add(
            "description-missing",
            "Required key 'description' is missing: say what the skill does and when to use it.",
        )
    elif not isinstance(description, str) or not description.strip():
        add("description-empty", "'description' must be a non-empty string.", "description")
    else:
        if len(description) > MAX_DESCRIPTION:
            add(
                "description-length",
                f"'description' is {len(description)} characters; the limit is {MAX_DESCRIPTION}.",
                "description",
            )
        if "<" in description or ">" in description:
            add(
                "description-angle-brackets",
                "'description' contains '<' or '>', which some clients (Anthropic's validator) reject.",
                "description",
                "warning",
            )

    if "compatibility" in frontmatter:
        value = frontmatter["compatibility"]
        if not isinstance(value, str):
            add("compatibility-type", "'compatibility' must be a string.", "compatibility")
        elif len(value) > MAX_COMPATIBILITY:
            add(
                "compatibility-length",
                f"'compatibility' is {len(value)} characters; the limit is {MAX_COMPATIBILITY}.",
                "compatibility",
            )

    if "license" in frontmatter and not isinstance(frontmatter["license"], str):
        add("license-type", "'license' must be a string (a licence name or file).", "license")

    if "allowed-tools" in frontmatter and not isinstance(frontmatter["allowed-tools"], str):
        tools = frontmatter["allowed-tools"]
        as_list = isinstance(tools, list) and all(isinstance(t, str) for t in tools)
        add(
            "allowed-tools-type",
            "'allowed-tools' must be one space-separated string, e.g. 'Bash(git:*) Read'"
            + (" (a YAML list of tools loads only in lenient mode)." if as_list else "."),
            "allowed-tools",
            "warning" if lenient and as_list else "error",
        )

    if "metadata" in frontmatter:
        metadata = frontmatter["metadata"]
        if metadata in ("", None):
            metadata = {}  # `metadata:` with nothing under it
        if not isinstance(metadata, dict):
            add("metadata-type", "'metadata' must be a mapping of string keys to string values.", "metadata")
        else:
            nested = [k for k, v in metadata.items() if not isinstance(v, str)]
            if nested:
                add(
                    "metadata-type",
                    f"'metadata' values must be strings; {', '.join(map(repr, nested))} "
                    "are not (OpenClaw-style nested metadata loads only in lenient mode).",
                    "metadata",
                    "warning" if lenient else "error",
                )
    return problems


def validate_text(text: str, *, folder_name: str | None, mode: Mode = "strict") -> Parsed:
    """Parse SKILL.md text and apply every rule; problems accumulate in the result."""
    parsed = parse(text, mode)
    if parsed.frontmatter is not None:
        parsed.problems.extend(
            check(parsed.frontmatter, folder_name=folder_name, mode=mode, key_lines=parsed.key_lines)
        )
    return parsed


def _safe_component(name: str) -> bool:
    return (
        not any(c in name for c in "/\\@") and name.isprintable()
        and not name.startswith(".")
        and len(name.encode()) <= 255
    )


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)
