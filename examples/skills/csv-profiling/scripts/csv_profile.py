#!/usr/bin/env python3
"""Stream a CSV/TSV file and print a per-column profile."""

import argparse
import csv
import json
import re
import sys
from datetime import datetime

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y")
BOOLS = {"true", "false", "yes", "no", "t", "f", "y", "n"}
INT_RE = re.compile(r"^[+-]?\d+$")
FLOAT_RE = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")
DISTINCT_CAP = 10000


def kind_of(value):
    v = value.strip()
    if INT_RE.match(v):
        return "int"
    if FLOAT_RE.match(v):
        return "float"
    if v.lower() in BOOLS:
        return "bool"
    for fmt in DATE_FORMATS:
        try:
            datetime.strptime(v, fmt)
            return "date:" + fmt
        except ValueError:
            pass
    return "text"


def summarise_kinds(kinds):
    base = {k.split(":")[0] for k in kinds}
    if not base:
        return "empty"
    if base == {"int", "float"}:
        return "float"
    if len(base) == 1:
        only = base.pop()
        if only == "date":
            return "date (" + ", ".join(sorted(k[5:] for k in kinds)) + ")"
        return only
    return "mixed (" + ", ".join(sorted(base)) + ")"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", help="CSV or TSV file")
    parser.add_argument("--encoding", default="utf-8-sig")
    parser.add_argument("--delimiter", help="force a delimiter instead of sniffing")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--max-bad", type=int, default=20, help="ragged rows to list")
    args = parser.parse_args()

    with open(args.path, newline="", encoding=args.encoding, errors="replace") as fh:
        sample = fh.read(65536)
        fh.seek(0)
        if args.delimiter:
            delimiter = args.delimiter
        else:
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
            except csv.Error:
                delimiter = ","
        reader = csv.reader(fh, delimiter=delimiter)
        header = next(reader, [])
        cols = [{"name": h, "filled": 0, "empty": 0, "distinct": set(),
                 "kinds": set(), "examples": []} for h in header]
        rows, ragged = 0, []
        for row in reader:
            rows += 1
            if len(row) != len(header):
                if len(ragged) < args.max_bad:
                    ragged.append({"line": reader.line_num, "fields": len(row)})
            for col, value in zip(cols, row):
                if value.strip() == "":
                    col["empty"] += 1
                    continue
                col["filled"] += 1
                if len(col["distinct"]) < DISTINCT_CAP:
                    col["distinct"].add(value)
                col["kinds"].add(kind_of(value))
                if len(col["examples"]) < 3 and value not in col["examples"]:
                    col["examples"].append(value)

    dupes = sorted({h for h in header if header.count(h) > 1})
    report = {
        "file": args.path,
        "delimiter": delimiter,
        "rows": rows,
        "columns": len(header),
        "duplicate_headers": dupes,
        "ragged_rows": ragged,
        "profile": [{
            "name": c["name"],
            "type": summarise_kinds(c["kinds"]),
            "filled": c["filled"],
            "empty": c["empty"],
            "distinct": len(c["distinct"]) if len(c["distinct"]) < DISTINCT_CAP
            else f">={DISTINCT_CAP}",
            "examples": c["examples"],
        } for c in cols],
    }
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    print(f"{args.path}: {rows} rows, {len(header)} columns, delimiter {delimiter!r}")
    if dupes:
        print("duplicate header names:", ", ".join(dupes))
    for r in ragged:
        print(f"ragged row at line {r['line']}: {r['fields']} fields")
    for p in report["profile"]:
        print(f"- {p['name']!r}: {p['type']}, filled {p['filled']}, empty {p['empty']}, "
              f"distinct {p['distinct']}, e.g. {p['examples']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
