"""Two-sentence rewrites of the short routing sets (hand-run; see docs/route.md, "Two-sentence requests").

Every query of a short set that can be cut mechanically into two sentences of >= 60 characters
at a clause boundary (", and", ", so", ", then", ", but", "; ", " and ", " - ") is rewritten that
way, words unchanged; the router's aspect splitter must then see two aspects. Writes, per set,
OUT/<set>.jsonl (the rewrites) and OUT/<set>.orig.jsonl (the same tasks as written), so both
forms can be ranked with

    skillbank eval route --queries OUT/<set>.jsonl --library INDEX.db --json
    skillbank eval route --queries OUT/<set>.orig.jsonl --library INDEX.db --json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from skillbank.route.text import split_query

CUT = re.compile(r",\s+(?:and\s+|so\s+|then\s+|but\s+)?|\s+and\s+|;\s+|\s+—\s+")
MIN = 60


def two_sentences(query: str) -> str | None:
    """The most balanced cut of `query` into two sentences of >= MIN characters, or None."""
    best = None
    for m in CUT.finditer(query):
        a, b = query[: m.start()].rstrip(), query[m.end() :].lstrip()
        if len(a) >= MIN and len(b) >= MIN and (best is None or abs(len(a) - len(b)) < best[0]):
            best = (abs(len(a) - len(b)), a, b)
    if best is None:
        return None
    _, a, b = best
    out = a.rstrip(".") + ". " + b[0].upper() + b[1:]
    return out if len(split_query(out)) > 1 else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("sets", nargs="*", type=Path, help="query JSONL files (default: bench/data/route_short_queries*.jsonl)")
    ap.add_argument("--out", type=Path, default=Path("bench/out/two_sentences"), help="output folder")
    a = ap.parse_args(argv)
    sets = a.sets or sorted(Path(__file__).parent.joinpath("data").glob("route_short_queries*.jsonl"))
    if not sets:
        sys.exit("no query sets found; pass them as arguments")
    a.out.mkdir(parents=True, exist_ok=True)
    for path in sets:
        try:
            rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        except (OSError, ValueError) as e:
            sys.exit(f"error: cannot read the query set {path}: {e}\n  pass query JSONL files (id, query, gold per line)")
        pairs = [(r, q2) for r in rows if (q2 := two_sentences(r["query"]))]
        with open(a.out / f"{path.stem}.jsonl", "w") as f, open(a.out / f"{path.stem}.orig.jsonl", "w") as g:
            for r, q2 in pairs:
                f.write(json.dumps({**r, "query": q2}) + "\n")
                g.write(json.dumps(r) + "\n")
        print(f"{path.name}: {len(pairs)} of {len(rows)} rewritten -> {a.out / (path.stem + '.jsonl')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
