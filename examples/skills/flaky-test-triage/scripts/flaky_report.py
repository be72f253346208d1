#!/usr/bin/env python3
"""Aggregate pytest -rA outcomes from several log files and list flaky tests."""

import argparse
import re
import sys
from collections import defaultdict

# Matches lines like "PASSED tests/test_a.py::test_x" or
# "FAILED tests/test_a.py::test_y - AssertionError: ..."
OUTCOME = re.compile(r"^(PASSED|FAILED|ERROR|XPASS|XFAIL|SKIPPED)\s+(\S+::\S+)")


def read_outcomes(paths):
    counts = defaultdict(lambda: defaultdict(int))
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                m = OUTCOME.match(line.strip())
                if m:
                    counts[m.group(2)][m.group(1)] += 1
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("logs", nargs="+", help="files holding pytest -rA output")
    parser.add_argument("--min-runs", type=int, default=1,
                        help="ignore tests seen fewer times than this")
    parser.add_argument("--all", action="store_true",
                        help="also list always-passing and always-failing tests")
    args = parser.parse_args()

    counts = read_outcomes(args.logs)
    if not counts:
        print("no outcome lines found; run pytest with -rA", file=sys.stderr)
        return 2
    rows = []
    for test, c in counts.items():
        passed = c["PASSED"] + c["XFAIL"]
        failed = c["FAILED"] + c["ERROR"] + c["XPASS"]
        runs = passed + failed
        if runs < args.min_runs:
            continue
        if passed and failed:
            status = "FLAKY"
        elif failed:
            status = "BROKEN"
        else:
            status = "OK"
        rows.append((status, failed / runs if runs else 0.0, test, passed, failed))

    order = {"FLAKY": 0, "BROKEN": 1, "OK": 2}
    rows.sort(key=lambda r: (order[r[0]], -r[1], r[2]))
    flaky = 0
    for status, rate, test, passed, failed in rows:
        if status == "OK" and not args.all:
            continue
        if status == "BROKEN" and not args.all and not passed:
            print(f"BROKEN  fail {failed}/{failed}  {test}")
            continue
        flaky += status == "FLAKY"
        print(f"{status:6}  fail {failed}/{passed + failed} ({rate:.0%})  {test}")
    print(f"{flaky} flaky test(s) out of {len(rows)} seen")
    return 1 if flaky else 0


if __name__ == "__main__":
    sys.exit(main())
