"""Side-by-side: skillbank's auditor vs `cisco-ai-skill-scanner` (static engines, no LLM) on
the shared labelled corpus, in one run.

    .venv/bin/python bench/audit_compare.py [--corpus ../shared/bench/security] [--json]

The Cisco scanner is installed from PyPI into its own virtual environment under bench/out/
(created on first run). Both tools are timed as whole processes (start-up included) over the
same skills; a skill counts as flagged when any finding is MEDIUM or above. Precision,
recall, F1, false-positive rate on benign skills and skills/second are printed for both,
plus per-source rows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
CISCO_VENV = OUT / "cisco-venv"
RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def ensure_cisco() -> Path:
    exe = CISCO_VENV / "bin" / "skill-scanner"
    if exe.exists():
        return exe
    print(f"creating {CISCO_VENV} and installing cisco-ai-skill-scanner from PyPI ...", file=sys.stderr)
    venv.EnvBuilder(with_pip=True, clear=True).create(CISCO_VENV)
    subprocess.run([str(CISCO_VENV / "bin" / "pip"), "install", "-q", "cisco-ai-skill-scanner"], check=True)
    return exe


def cisco_version() -> str:
    try:
        out = subprocess.run([str(CISCO_VENV / "bin" / "pip"), "show", "cisco-ai-skill-scanner"],
                             capture_output=True, text=True, check=False).stdout
        return next((line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Version")), "?")
    except OSError:
        return "?"


def run_cisco(skills_dir: Path) -> tuple[dict[str, str | None], float]:
    exe = ensure_cisco()
    out = OUT / "cisco-out.json"
    env = dict(os.environ, LITELLM_LOCAL_MODEL_COST_MAP="True")
    t = time.perf_counter()
    subprocess.run([str(exe), "scan-all", str(skills_dir), "--recursive", "--lenient", "--format", "json",
                    "--output", str(out)], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    data = json.loads(out.read_text())
    sev: dict[str, str | None] = {}
    for r in data.get("results", []):
        worst = None
        for f in r.get("findings", []):
            s = str(f.get("severity", "")).lower()
            if s in RANK and (worst is None or RANK[s] > RANK[worst]):
                worst = s
        sev[str(Path(r["skill_path"]).resolve())] = worst
    return sev, elapsed


def run_ours(skills_dir: Path) -> tuple[dict[str, str | None], float]:
    exe = REPO / ".venv" / "bin" / "skillbank"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "skillbank"]
    t = time.perf_counter()
    proc = subprocess.run(cmd + ["audit", str(skills_dir), "--json"], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - t
    data = json.loads(proc.stdout)
    return {str(Path(s["path"]).resolve()): s["max_severity"] for s in data["skills"]}, elapsed


def score(labels: list[dict], sev: dict[str, str | None], root: Path, elapsed: float) -> dict:
    rows = {"all": [0, 0, 0, 0]}
    for lab in labels:
        key = str((root / lab["skill"]).resolve())
        flagged = RANK.get(sev.get(key) or "", -1) >= RANK["medium"]
        src = lab.get("original_path", "x/?").split("/")[1]
        for k in ("all", src):
            r = rows.setdefault(k, [0, 0, 0, 0])  # tp fp fn tn
            r[0 if lab["malicious"] and flagged else 1 if flagged else 2 if lab["malicious"] else 3] += 1
    out = {}
    for k, (tp, fp, fn, tn) in rows.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        out[k] = {"precision": p, "recall": rc, "f1": 2 * p * rc / (p + rc) if p + rc else 0.0,
                  "fpr": fp / (fp + tn) if fp + tn else 0.0, "tp": tp, "fp": fp, "fn": fn, "tn": tn}
    out["all"]["seconds"] = elapsed
    out["all"]["skills_per_second"] = len(labels) / elapsed
    out["all"]["missing"] = sum(1 for lab in labels if str((root / lab["skill"]).resolve()) not in sev)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "bench" / "security"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    root = Path(args.corpus)
    labels = [json.loads(line) for line in (root / "labels.jsonl").read_text().splitlines() if line.strip()]
    skills_dir = root / "skills"
    OUT.mkdir(parents=True, exist_ok=True)
    sev, t_ours = run_ours(skills_dir)
    ours = score(labels, sev, root, t_ours)
    sev_c, t_cisco = run_cisco(skills_dir)
    cisco = score(labels, sev_c, root, t_cisco)
    result = {"corpus": str(root), "skills": len(labels), "threshold": "medium",
              "skillbank": ours, f"cisco-ai-skill-scanner {cisco_version()}": cisco}
    (OUT / "audit_compare.json").write_text(json.dumps(result, indent=2))
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"corpus: {root} ({len(labels)} skills; flagged = any finding >= MEDIUM; time includes start-up)")
    hdr = f"{'tool':<34}{'precision':>10}{'recall':>8}{'F1':>7}{'FPR':>7}{'seconds':>9}{'skills/s':>10}"
    print(hdr)
    print("-" * len(hdr))
    for name, res in (("skillbank audit", ours), (f"cisco-ai-skill-scanner {cisco_version()}", cisco)):
        a = res["all"]
        print(f"{name:<34}{a['precision']:>10.3f}{a['recall']:>8.3f}{a['f1']:>7.3f}{a['fpr']:>7.3f}"
              f"{a['seconds']:>9.1f}{a['skills_per_second']:>10.1f}")
    print("\nper source (precision / recall / FPR):")
    for src in sorted(k for k in ours if k != "all"):
        o, c = ours[src], cisco.get(src, {})
        print(f"  {src:<28} skillbank {o['precision']:.2f}/{o['recall']:.2f}/{o['fpr']:.2f}   "
              f"cisco {c.get('precision', 0):.2f}/{c.get('recall', 0):.2f}/{c.get('fpr', 0):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
