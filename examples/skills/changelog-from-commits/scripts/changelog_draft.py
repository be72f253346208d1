#!/usr/bin/env python3
"""Draft a Keep a Changelog section from Conventional Commit subjects."""

import argparse
import re
import sys
from datetime import date

SUBJECT = re.compile(r"^(?:(?P<hash>[0-9a-f]{7,40})\s+)?(?P<type>[a-zA-Z]+)"
                     r"(?:\((?P<scope>[^)]*)\))?(?P<bang>!)?:\s*(?P<text>.+)$")
SECTIONS = {
    "feat": "Added",
    "fix": "Fixed",
    "perf": "Changed",
    "refactor": "Changed",
    "revert": "Changed",
    "deprecate": "Deprecated",
    "remove": "Removed",
    "security": "Security",
}
SKIPPED = {"chore", "ci", "test", "tests", "build", "style", "docs"}
ORDER = ["Breaking", "Added", "Changed", "Deprecated", "Removed", "Fixed", "Security", "Other"]


def parse(lines, include_skipped):
    groups = {name: [] for name in ORDER}
    last_entry = None
    for raw in lines:
        line = raw.strip()
        if not line or line == "---":
            continue
        if line.startswith("BREAKING CHANGE:") or line.startswith("BREAKING-CHANGE:"):
            note = line.split(":", 1)[1].strip()
            groups["Breaking"].append(note or last_entry or "see commit")
            continue
        m = SUBJECT.match(line)
        if not m:
            # body lines or non-conventional subjects with a leading hash
            parts = line.split(maxsplit=1)
            if len(parts) == 2 and re.fullmatch(r"[0-9a-f]{7,40}", parts[0]):
                groups["Other"].append(parts[1])
            continue
        kind = m.group("type").lower()
        text = m.group("text").strip()
        text = text[0].upper() + text[1:]
        if m.group("scope"):
            text = f"{m.group('scope')}: {text}"
        last_entry = text
        if m.group("bang"):
            groups["Breaking"].append(text)
        if kind in SKIPPED and not include_skipped:
            continue
        groups[SECTIONS.get(kind, "Other")].append(text)
    return groups


def render(groups, version, when):
    out = [f"## [{version}] - {when}"]
    for name in ORDER:
        items = list(dict.fromkeys(groups[name]))
        if not items:
            continue
        out.append(f"### {name}")
        out.extend(f"- {item}" for item in items)
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("commits", nargs="?", default="-",
                        help="file with one commit subject per line (default: stdin)")
    parser.add_argument("--version", default="Unreleased")
    parser.add_argument("--date", default=date.today().isoformat())
    parser.add_argument("--include-internal", action="store_true",
                        help="keep chore/ci/test/build/style/docs commits")
    parser.add_argument("--output", help="write the section to this file instead of stdout")
    args = parser.parse_args()

    if args.commits == "-":
        lines = sys.stdin.readlines()
    else:
        with open(args.commits, encoding="utf-8") as fh:
            lines = fh.readlines()
    text = render(parse(lines, args.include_internal), args.version, args.date)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
