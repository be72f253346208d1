"""Hand-run benchmark: the auditor on real public skills (the routing corpus).

Every routing-corpus row (id, name, description, body) is audited as a one-file skill whose
SKILL.md is front matter (``name:`` and ``description:`` JSON-quoted) followed by the body.
These skills are overwhelmingly benign, so the number flagged at medium or above is a proxy
for the auditor's false-positive rate on real-world skills.

    .venv/bin/python bench/audit_realworld.py                      # all 14,006
    .venv/bin/python bench/audit_realworld.py --sample 1000 --seed 7
    .venv/bin/python bench/audit_realworld.py --out /tmp/flagged.json

Prints the number flagged, a histogram of rule ids among the flagged skills (each rule
counted once per skill), and skills/s. ``--out FILE`` writes JSON
``{skill id: [{rule_id, severity, line, evidence}, ...]}`` for the flagged skills only.
Not a test: it reads a corpus outside the repository and takes about a minute.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
from pathlib import Path

from skillbank.audit import audit_files

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "bench" / "routing" / "skills.jsonl"
FLAG = ("medium", "high", "critical")


def skill_md(row: dict) -> str:
    return (f"---\nname: {json.dumps(row['name'])}\ndescription: {json.dumps(row['description'])}"
            f"\n---\n{row['body']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS),
                    help="routing skills.jsonl (default: ../shared/bench/routing/skills.jsonl)")
    ap.add_argument("--sample", type=int, default=0, help="audit a random subset of N skills")
    ap.add_argument("--seed", type=int, default=0, help="seed for --sample")
    ap.add_argument("--out", help="write {skill id: [medium+ findings]} JSON here")
    ap.add_argument("--top", type=int, default=40, help="rule ids shown in the histogram")
    args = ap.parse_args(argv)

    corpus = Path(args.corpus)
    if not corpus.is_file():
        print(f"error: routing corpus not found at {corpus}\n"
              f"  pass --corpus PATH (a JSONL with id, name, description, body per line)",
              file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    if args.sample and args.sample < len(rows):
        rows = random.Random(args.seed).sample(rows, args.sample)

    flagged: dict[str, list[dict]] = {}
    rules: collections.Counter[str] = collections.Counter()
    t0 = time.perf_counter()
    for row in rows:
        res = audit_files({"SKILL.md": skill_md(row).encode("utf-8")}, name=row["name"])
        hits = [f for f in res.findings if f.severity in FLAG]
        if hits:
            flagged[row["id"]] = [{"rule_id": f.rule_id, "severity": f.severity,
                                   "line": f.line, "evidence": f.evidence} for f in hits]
            rules.update({f.rule_id for f in hits})
    dt = time.perf_counter() - t0

    n = len(rows)
    print(f"flagged (medium+): {len(flagged)}/{n} ({100 * len(flagged) / max(n, 1):.2f}%)")
    print(f"time {dt:.1f} s, {n / max(dt, 1e-9):.1f} skills/s")
    print("rule ids among flagged skills (skills per rule):")
    for rid, c in rules.most_common(args.top):
        print(f"  {c:5d}  {rid}")
    if args.out:
        Path(args.out).write_text(json.dumps(flagged, indent=1, sort_keys=True), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
