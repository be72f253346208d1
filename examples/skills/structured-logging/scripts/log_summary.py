#!/usr/bin/env python3
"""Summarise a JSON-lines log file: counts per level and logger, top messages."""

import argparse
import json
import re
import sys
from collections import Counter

NORMALISERS = [
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I), "{uuid}"),
    (re.compile(r"\b0x[0-9a-f]+\b", re.I), "{hex}"),
    (re.compile(r"\b[0-9a-f]{12,}\b", re.I), "{id}"),
    (re.compile(r"\d+(\.\d+)?"), "{n}"),
    (re.compile(r"'[^']*'|\"[^\"]*\""), "{str}"),
]


def normalise(message):
    for pattern, repl in NORMALISERS:
        message = pattern.sub(repl, message)
    return message[:200]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", help="JSON-lines log file ('-' for stdin)")
    parser.add_argument("--level", help="only count messages at this level or list, e.g. ERROR,WARNING")
    parser.add_argument("--since", help="ignore entries with timestamp before this ISO prefix")
    parser.add_argument("--top", type=int, default=10, help="how many message groups to show")
    parser.add_argument("--field", help="also count distinct values of this field")
    parser.add_argument("--level-key", default="level")
    parser.add_argument("--msg-key", default="msg")
    parser.add_argument("--logger-key", default="logger")
    parser.add_argument("--ts-key", default="ts")
    args = parser.parse_args()

    wanted = {x.strip().upper() for x in args.level.split(",")} if args.level else None
    levels, loggers, messages, fields = Counter(), Counter(), Counter(), Counter()
    bad = total = 0
    first = last = None
    stream = sys.stdin if args.path == "-" else open(args.path, encoding="utf-8", errors="replace")
    with stream:
        for line in stream:
            line = line.strip()
            if not line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if not isinstance(entry, dict):
                bad += 1
                continue
            ts = str(entry.get(args.ts_key, ""))
            if args.since and ts and ts < args.since:
                continue
            level = str(entry.get(args.level_key, "?")).upper()
            levels[level] += 1
            total += 1
            if ts:
                first = ts if first is None or ts < first else first
                last = ts if last is None or ts > last else last
            if wanted and level not in wanted:
                continue
            loggers[str(entry.get(args.logger_key, "?"))] += 1
            messages[(level, normalise(str(entry.get(args.msg_key, ""))))] += 1
            if args.field and args.field in entry:
                fields[str(entry[args.field])] += 1

    print(f"{total} entries ({bad} unparsable lines), from {first} to {last}")
    print("by level: " + ", ".join(f"{k}={v}" for k, v in levels.most_common()))
    print("by logger: " + ", ".join(f"{k}={v}" for k, v in loggers.most_common(10)))
    print(f"top {args.top} message groups:")
    for (level, msg), count in messages.most_common(args.top):
        print(f"  {count:6d}  {level:8} {msg}")
    if args.field:
        print(f"distinct {args.field}: {len(fields)}; most frequent:")
        for value, count in fields.most_common(5):
            print(f"  {count:6d}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
