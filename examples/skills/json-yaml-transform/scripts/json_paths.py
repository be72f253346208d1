#!/usr/bin/env python3
"""Flatten JSON into path = value lines, or convert an array of objects to CSV."""

import argparse
import csv
import json
import sys


def walk(node, path, arrays):
    if isinstance(node, dict):
        if not node:
            yield path or ".", {}
        for key, value in node.items():
            child = f"{path}.{key}" if path else str(key)
            yield from walk(value, child, arrays)
    elif isinstance(node, list):
        if not node:
            yield path or ".", []
        items = node[:1] if arrays == "first" else node
        for index, value in enumerate(items):
            yield from walk(value, f"{path}[{index}]", arrays)
    else:
        yield path or ".", node


def flatten_object(obj):
    row = {}
    for key, value in (obj.items() if isinstance(obj, dict) else [("value", obj)]):
        if isinstance(value, dict):
            for sub_key, sub_value in flatten_object(value).items():
                row[f"{key}.{sub_key}"] = sub_value
        elif isinstance(value, list):
            row[key] = json.dumps(value, ensure_ascii=False)
        else:
            row[key] = value
    return row


def select(data, dotted):
    for part in [p for p in (dotted or "").split(".") if p]:
        if isinstance(data, list):
            data = data[int(part)]
        else:
            data = data[part]
    return data


def load(path):
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    flat = sub.add_parser("flatten", help="print path = value for every leaf")
    flat.add_argument("path", help="JSON file or - for stdin")
    flat.add_argument("--arrays", choices=["all", "first"], default="all")
    to_csv = sub.add_parser("to-csv", help="convert an array of objects to CSV")
    to_csv.add_argument("path", help="JSON file or - for stdin")
    to_csv.add_argument("--root", help="dotted path to the array, e.g. data.items")
    to_csv.add_argument("--output", help="CSV file to write (default stdout)")
    args = parser.parse_args()

    data = load(args.path)
    if args.command == "flatten":
        for path, value in walk(data, "", args.arrays):
            print(f"{path} = {json.dumps(value, ensure_ascii=False)}")
        return 0

    try:
        rows_in = select(data, args.root)
    except (KeyError, IndexError, ValueError):
        print(f"--root {args.root!r} not found", file=sys.stderr)
        return 2
    if not isinstance(rows_in, list):
        print("the selected node is not an array", file=sys.stderr)
        return 2
    rows = [flatten_object(item) for item in rows_in]
    columns = list(dict.fromkeys(key for row in rows for key in row))
    out = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout
    try:
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if args.output:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
