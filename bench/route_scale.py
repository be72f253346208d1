"""Router scale series: build time, skills/s, query latency and index memory at 1K, 10K, all.

    .venv/bin/python bench/route_scale.py [--sizes 1000,10000,0] [--json out.json]

Each size is a deterministic sample of ../shared/bench/routing/skills.jsonl that always
contains the gold skills of the 75 queries (so quality is comparable across sizes), built
into a fresh SQLite index. Latency is one query at a time over the 75 expert queries,
after a warm-up; memory is the resident-set growth when a new process-level index is
loaded from the database in a fresh process (which then runs the queries), plus the bytes
of its matrices and the database file size.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from skillbank.route.evaluate import evaluate
from skillbank.route.index import RouteIndex

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "routing"


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def load(bench: Path):
    queries = [json.loads(x) for x in (bench / "queries.jsonl").read_text().splitlines() if x.strip()]
    gold = {g for q in queries for g in q["gold"]}
    gold_docs, others = [], []
    with open(bench / "skills.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            row = (d["id"], d["name"], d["description"], d["body"])
            (gold_docs if d["id"] in gold else others).append(row)
    random.Random(13).shuffle(others)
    return queries, gold_docs, others


def run_size(n: int, queries, gold_docs, others, workdir: Path, bench: Path) -> dict:
    docs = gold_docs + others[: max(0, n - len(gold_docs))] if n else gold_docs + others
    db = workdir / f"scale-{len(docs)}.db"
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    index = RouteIndex(conn)
    _ = index.embedder  # model load is not part of the build rate
    t0 = time.perf_counter()
    index.sync(docs, batch_size=256)
    index.state()
    build = time.perf_counter() - t0
    conn.close()
    # memory and latency in a fresh process: load the index from the database, then query
    proc = subprocess.run(
        [sys.executable, __file__, "--measure", str(db), "--bench", str(bench)],
        capture_output=True, text=True, check=True,
    )
    m = json.loads(proc.stdout.strip().splitlines()[-1])
    out = {
        "skills": len(docs),
        "build_s": round(build, 2),
        "skills_per_s": round(len(docs) / build, 1),
        "db_bytes": db.stat().st_size + sum(p.stat().st_size for p in workdir.glob(db.name + "-*")),
        **m,
    }
    return out


def measure(db: Path, bench: Path) -> dict:
    queries = [json.loads(x) for x in (bench / "queries.jsonl").read_text().splitlines() if x.strip()]
    conn = sqlite3.connect(str(db), isolation_level=None)
    index = RouteIndex(conn)
    _ = index.embedder
    gc.collect()
    before = rss_bytes()
    t1 = time.perf_counter()
    st = index.state()
    load_s = time.perf_counter() - t1
    after = rss_bytes()
    result = evaluate(index, queries)
    out = {
        "load_s": round(load_s, 2),
        "chunks": int(len(st.vectors)),
        "index_bytes": st.nbytes(),
        "rss_delta_bytes": after - before,
        "rss_after_queries_bytes": rss_bytes(),
    }
    out.update(result.systems)
    conn.close()
    return out



def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=BENCH)
    ap.add_argument("--sizes", default="1000,10000,0", help="comma list; 0 = the whole corpus")
    ap.add_argument("--json", type=Path, help="also write the series as JSON here")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # internal: one fresh process
    args = ap.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.bench)))
        return 0
    if not (args.bench / "skills.jsonl").exists():
        print(f"no benchmark at {args.bench}", file=sys.stderr)
        return 2
    queries, gold_docs, others = load(args.bench)
    rows = []
    with tempfile.TemporaryDirectory(prefix="route-scale-") as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            row = run_size(n, queries, gold_docs, others, Path(tmp), args.bench)
            rows.append(row)
            r = row["router"]
            print(
                f"{row['skills']:>6} skills  build {row['build_s']:7.1f} s ({row['skills_per_s']:6.1f}/s)  "
                f"load {row['load_s']:4.1f} s  chunks {row['chunks']:>7}  "
                f"index {row['index_bytes'] / 2**20:6.1f} MiB  rss +{row['rss_delta_bytes'] / 2**20:6.1f} MiB (process {row['rss_after_queries_bytes'] / 2**20:6.1f} MiB)  "
                f"db {row['db_bytes'] / 2**20:6.1f} MiB | router p50 {r['p50_ms']:5.1f} ms p95 {r['p95_ms']:5.1f} ms  "
                f"bm25 p50 {row['bm25']['p50_ms']:4.1f}  dense p50 {row['dense']['p50_ms']:4.1f} | "
                f"top1 {r['top1']:.3f} R@10 {r['recall@10']:.3f} full@10 {r['full@10']:.3f}",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
