#!/usr/bin/env python3
"""Test a regular expression against should-match and should-not-match samples."""

import argparse
import re
import sys
import time

SLOW_SECONDS = 0.5


def read_samples(path):
    if not path:
        return []
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh if line.rstrip("\n") != ""]


def run(pattern, text, search):
    start = time.perf_counter()
    m = pattern.search(text) if search else pattern.fullmatch(text)
    return m, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pattern", help="regular expression (Python syntax)")
    parser.add_argument("--match", help="file of samples that must match, one per line")
    parser.add_argument("--no-match", help="file of samples that must not match")
    parser.add_argument("--search", action="store_true",
                        help="match anywhere (re.search) instead of the whole line")
    parser.add_argument("--groups", action="store_true", help="print capture groups")
    parser.add_argument("-i", action="store_true", help="ignore case")
    parser.add_argument("-m", action="store_true", help="multiline")
    parser.add_argument("-x", action="store_true", help="verbose pattern")
    args = parser.parse_args()

    flags = (re.I if args.i else 0) | (re.M if args.m else 0) | (re.X if args.x else 0)
    try:
        pattern = re.compile(args.pattern, flags)
    except re.error as err:
        print(f"invalid pattern: {err}", file=sys.stderr)
        return 2

    good, bad = read_samples(args.match), read_samples(args.no_match)
    if not good and not bad:
        print("give at least one of --match or --no-match", file=sys.stderr)
        return 2
    failures = 0
    for expect, samples in ((True, good), (False, bad)):
        for text in samples:
            m, took = run(pattern, text, args.search)
            ok = bool(m) == expect
            mark = "ok  " if ok else "FAIL"
            detail = ""
            if m and args.groups:
                named = m.groupdict()
                detail = f"  groups={named if named else m.groups()}"
            if took > SLOW_SECONDS:
                detail += f"  SLOW {took:.2f}s (backtracking?)"
            want = "match" if expect else "no match"
            if not ok or args.groups or took > SLOW_SECONDS:
                print(f"{mark} want {want:8} {text!r}{detail}")
            failures += not ok
    total = len(good) + len(bad)
    print(f"{total - failures}/{total} samples behave as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
