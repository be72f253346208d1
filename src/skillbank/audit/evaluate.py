"""Evaluation on a labelled corpus: skill-level precision/recall/F1, false-positive rate,
per-category recall and throughput."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from skillbank.audit.engine import audit_path
from skillbank.audit.model import severity_rank
from skillbank.audit.policy import Policy
from skillbank.errors import SkillbankError

#: corpus categories -> SkillScan's four top-level categories (see the corpus README)
TOP_LEVEL = {
    "prompt_injection": "prompt_injection",
    "data_exfiltration": "data_exfiltration",
    "credential_theft": "data_exfiltration",
    "privilege_escalation": "privilege_escalation",
    "persistence": "privilege_escalation",
    "system_tampering": "privilege_escalation",
    "supply_chain": "supply_chain",
}


def load_labels(path: str | Path) -> list[dict[str, Any]]:
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SkillbankError(f"cannot read labels file {path}: {exc}") from exc
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise SkillbankError(f"{path}:{i}: not JSON ({exc})") from exc
        if "skill" not in row or "malicious" not in row:
            raise SkillbankError(f"{path}:{i}: each line needs 'skill' and 'malicious'")
        out.append(row)
    return out


def _prf(tp: int, fp: int, fn: int, tn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    fpr = fp / (fp + tn) if fp + tn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "fpr": round(fpr, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def evaluate(labels_path: str | Path, skills_dir: str | Path, threshold: str = "medium",
             policy: Policy | None = None, details: bool = False) -> dict[str, Any]:
    labels = load_labels(labels_path)
    root = Path(skills_dir)
    rows = []
    t0, c0 = time.perf_counter(), time.process_time()
    for lab in labels:
        p = root / lab["skill"]
        if not p.exists():
            p = root / Path(lab["skill"]).name
        if not p.exists():
            raise SkillbankError(f"skill folder {lab['skill']!r} not found under {root}")
        audit = audit_path(p, policy=policy)
        rows.append((lab, audit, severity_rank(audit.max_severity) >= severity_rank(threshold)))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    tp = sum(1 for lab, _, fl in rows if lab["malicious"] and fl)
    fn = sum(1 for lab, _, fl in rows if lab["malicious"] and not fl)
    fp = sum(1 for lab, _, fl in rows if not lab["malicious"] and fl)
    tn = sum(1 for lab, _, fl in rows if not lab["malicious"] and not fl)
    per_cat: dict[str, list[int]] = {}
    per_top: dict[str, list[int]] = {}
    for lab, _, fl in rows:
        if not lab["malicious"]:
            continue
        tops = set()
        for c in lab.get("categories") or []:
            per_cat.setdefault(c, [0, 0])
            per_cat[c][0] += int(fl)
            per_cat[c][1] += 1
            if c in TOP_LEVEL:
                tops.add(TOP_LEVEL[c])
        for t in tops:
            per_top.setdefault(t, [0, 0])
            per_top[t][0] += int(fl)
            per_top[t][1] += 1
    per_source: dict[str, list[int]] = {}
    for lab, _, fl in rows:
        src = str(lab.get("original_path", "")).split("/")[1] if "/" in str(lab.get("original_path", "")) else "?"
        d = per_source.setdefault(src, [0, 0, 0, 0])  # tp fp fn tn
        d[0 if lab["malicious"] and fl else 1 if fl else 2 if lab["malicious"] else 3] += 1
    result: dict[str, Any] = {
        "threshold": threshold,
        "skills": len(rows),
        "malicious": tp + fn,
        "benign": fp + tn,
        **_prf(tp, fp, fn, tn),
        "per_category_recall": {c: {"recall": round(a / b, 4), "detected": a, "total": b}
                                for c, (a, b) in sorted(per_cat.items())},
        "per_top_category_recall": {c: {"recall": round(a / b, 4), "detected": a, "total": b}
                                    for c, (a, b) in sorted(per_top.items())},
        "per_source": {s: _prf(*v) for s, v in sorted(per_source.items())},
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "skills_per_second": round(len(rows) / wall, 1) if wall else None,
        "skills_per_cpu_second": round(len(rows) / cpu, 1) if cpu else None,
    }
    if details:
        result["false_positives"] = [{"skill": lab["skill"], "max_severity": a.max_severity,
                                      "rules": sorted({f.rule_id for f in a.findings
                                                       if severity_rank(f.severity) >= severity_rank(threshold)})}
                                     for lab, a, fl in rows if fl and not lab["malicious"]]
        result["false_negatives"] = [{"skill": lab["skill"], "categories": lab.get("categories")}
                                     for lab, a, fl in rows if lab["malicious"] and not fl]
    return result
