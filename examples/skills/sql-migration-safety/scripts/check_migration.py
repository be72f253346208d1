#!/usr/bin/env python3
"""Heuristic linter for risky statements in SQL migration files (PostgreSQL)."""

import argparse
import re
import sys

RULES = [
    ("index-not-concurrent",
     re.compile(r"\bCREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)", re.I),
     "CREATE INDEX blocks writes; use CREATE INDEX CONCURRENTLY outside a transaction"),
    ("drop-index-not-concurrent",
     re.compile(r"\bDROP\s+INDEX\s+(?!CONCURRENTLY)", re.I),
     "use DROP INDEX CONCURRENTLY"),
    ("add-column-not-null",
     re.compile(r"\bADD\s+(COLUMN\s+)?\w+\s+[\w(), ]+?\bNOT\s+NULL\b(?![^;]*\bDEFAULT\b)", re.I),
     "NOT NULL column without default fails on existing rows; add nullable, backfill, then constrain"),
    ("volatile-default",
     re.compile(r"\bDEFAULT\s+(now\(\)|current_timestamp|clock_timestamp\(\)|gen_random_uuid\(\)|random\(\))", re.I),
     "volatile default on ADD COLUMN rewrites the table; add column, backfill, then set default"),
    ("alter-type",
     re.compile(r"\bALTER\s+COLUMN\s+\w+\s+(SET\s+DATA\s+)?TYPE\b", re.I),
     "type change usually rewrites the table; use a new column and backfill"),
    ("set-not-null",
     re.compile(r"\bALTER\s+COLUMN\s+\w+\s+SET\s+NOT\s+NULL\b", re.I),
     "SET NOT NULL scans the table under lock; add a CHECK ... NOT VALID and VALIDATE first"),
    ("fk-without-not-valid",
     re.compile(r"\bFOREIGN\s+KEY\b(?![^;]*\bNOT\s+VALID\b)", re.I),
     "add foreign keys with NOT VALID, then VALIDATE CONSTRAINT separately"),
    ("rename",
     re.compile(r"\bRENAME\s+(COLUMN\s+|TO\b)", re.I),
     "renames break running code; use expand and contract"),
    ("drop-column-or-table",
     re.compile(r"\bDROP\s+(COLUMN|TABLE)\b", re.I),
     "irreversible; make sure no deployed code still uses it"),
    ("unbounded-write",
     re.compile(r"\b(UPDATE\s+\w+\s+SET|DELETE\s+FROM\s+\w+)\b(?![^;]*\bWHERE\b)", re.I),
     "UPDATE or DELETE without WHERE touches every row; batch it"),
    ("full-rewrite",
     re.compile(r"\b(VACUUM\s+FULL|CLUSTER)\b", re.I),
     "takes an exclusive lock for the whole rewrite"),
]

LOCK_TIMEOUT = re.compile(r"\bSET\s+(LOCAL\s+)?lock_timeout\b", re.I)
ALTER = re.compile(r"\bALTER\s+TABLE\b", re.I)


def strip_comments(sql):
    sql = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), sql, flags=re.S)
    return re.sub(r"--[^\n]*", "", sql)


def statements(sql):
    """Yield (line_number, statement_text) split on semicolons."""
    start_line, buf, line = 1, [], 1
    for ch in sql:
        buf.append(ch)
        if ch == "\n":
            line += 1
        if ch == ";":
            text = "".join(buf)
            yield start_line + text[: len(text) - len(text.lstrip())].count("\n"), text
            buf, start_line = [], line
    rest = "".join(buf)
    if rest.strip():
        yield start_line + rest[: len(rest) - len(rest.lstrip())].count("\n"), rest


def check(path, disabled):
    with open(path, encoding="utf-8") as fh:
        sql = strip_comments(fh.read())
    findings = []
    for line, stmt in statements(sql):
        for rule_id, pattern, advice in RULES:
            if rule_id not in disabled and pattern.search(stmt):
                findings.append((line, rule_id, advice))
    if ALTER.search(sql) and not LOCK_TIMEOUT.search(sql) and "no-lock-timeout" not in disabled:
        findings.append((1, "no-lock-timeout", "ALTER TABLE without SET lock_timeout; add one at the top"))
    return sorted(findings)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+", help="SQL migration files")
    parser.add_argument("--disable", action="append", default=[],
                        help="rule id to skip (repeatable)")
    args = parser.parse_args()
    total = 0
    for path in args.files:
        for line, rule_id, advice in check(path, set(args.disable)):
            print(f"{path}:{line}: [{rule_id}] {advice}")
            total += 1
    print(f"{total} finding(s)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
