"""Output formats: a readable (rich) report, JSON with stable keys, SARIF 2.1.0."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from skillbank import __version__
from skillbank.audit.model import PATTERNS, SkillAudit, severity_rank
from skillbank.audit.rules import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}
_TIER_STYLE = {"blocked": "bold red", "instructions-only": "yellow", "scripts-in-sandbox": "cyan", "trusted": "green"}


def to_json(audits: Iterable[SkillAudit]) -> dict[str, Any]:
    audits = list(audits)
    return {
        "version": 1,
        "tool": {"name": "skillbank-audit", "version": __version__},
        "summary": summary(audits),
        "skills": [a.to_dict() for a in audits],
    }


def summary(audits: list[SkillAudit]) -> dict[str, Any]:
    tiers: dict[str, int] = {}
    sev: dict[str, int] = {}
    for a in audits:
        tiers[a.tier] = tiers.get(a.tier, 0) + 1
        for f in a.findings:
            sev[f.severity] = sev.get(f.severity, 0) + 1
    return {"skills": len(audits), "tiers": tiers, "findings_by_severity": sev}


def to_sarif(audits: Iterable[SkillAudit], min_severity: str = "low") -> dict[str, Any]:
    """SARIF 2.1.0 for GitHub code scanning: one run, one rule per rule id, one result per
    finding at or above `min_severity`. Locations are relative to the audited path's parent
    so that a repository-root scan maps onto repository files."""
    audits = list(audits)
    used = sorted({f.rule_id for a in audits for f in a.findings})
    rules = []
    index = {}
    for i, rid in enumerate(used):
        r = RULES[rid]
        index[rid] = i
        rules.append({
            "id": rid,
            "name": "".join(w.capitalize() for w in r.title.replace("/", " ").replace("-", " ").split()),
            "shortDescription": {"text": r.title},
            "fullDescription": {"text": r.why},
            "help": {"text": f"{r.why}\nFix: {r.fix}", "markdown": f"{r.why}\n\n**Fix:** {r.fix}"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
            "properties": {
                "tags": ["security", r.category, r.pattern],
                "category": r.category,
                "pattern": f"{r.pattern} {PATTERNS[r.pattern][1]}",
                "security-severity": _SECURITY_SEVERITY[r.severity],
            },
        })
    results = []
    for a in audits:
        base = (a.path or a.name or "").rstrip("/")
        for f in a.findings:
            if severity_rank(f.severity) < severity_rank(min_severity):
                continue
            uri = _artifact_uri(f"{base}/{f.file}" if base else f.file)
            results.append({
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id],
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f"[{f.severity}] {f.why} Evidence: {f.evidence}"},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {"startLine": max(1, f.line)},
                    },
                    "logicalLocations": [{"name": a.name or base, "kind": "module"}],
                }],
                "properties": {"severity": f.severity, "category": f.category, "pattern": f.pattern,
                               "skill": a.name, "tier": a.tier,
                               "security-severity": _SECURITY_SEVERITY[f.severity]},
                "partialFingerprints": {"skillbank/v1": f"{a.name}:{f.rule_id}:{f.file}:{f.line}"},
            })
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "skillbank-audit",
                "semanticVersion": __version__,
                "informationUri": "https://github.com/skillbank/skillbank",
                "rules": rules,
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }


def _artifact_uri(path: str) -> str:
    """Repository-relative POSIX path when the file is under the working directory (what GitHub
    code scanning expects), else a file:// URI; library entries keep their pseudo-path."""
    if path.startswith("library:"):
        return path.replace("library:", "library/", 1)
    p = Path(path)
    try:
        rel = p.resolve().relative_to(Path.cwd().resolve()) if p.is_absolute() else Path(os.path.normpath(path))
    except ValueError:
        return p.resolve().as_uri()
    return rel.as_posix()


def render(audits: list[SkillAudit], console, min_severity: str = "low", verbose: bool = False) -> None:
    """A readable report on a rich console."""
    from rich.table import Table
    from rich.text import Text

    for a in audits:
        head = Text()
        head.append(f"{a.name or a.path}", style="bold")
        head.append("  tier: ")
        head.append(a.tier, style=_TIER_STYLE.get(a.tier, ""))
        head.append("  max: ")
        head.append(str(a.max_severity or "clean"), style=_STYLE.get(a.max_severity or "", "green"))
        if a.path:
            head.append(f"  ({a.path})", style="dim")
        console.print(head)
        shown = [f for f in a.findings if severity_rank(f.severity) >= severity_rank(min_severity)]
        if not shown:
            continue
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("severity")
        table.add_column("rule")
        table.add_column("where")
        table.add_column("evidence", overflow="fold")
        for f in shown:
            table.add_row(Text(f.severity, style=_STYLE[f.severity]), f"{f.rule_id} ({f.pattern})",
                          f"{f.file}:{f.line}", f.evidence)
            if verbose:
                table.add_row("", "", "", Text(f"why: {f.why}\nfix: {f.fix}", style="dim"))
        console.print(table)
        if a.suppressed:
            console.print(Text(f"  {len(a.suppressed)} finding(s) suppressed by policy", style="dim"))
    s = summary(audits)
    console.print(Text(f"{s['skills']} skill(s); tiers: " + ", ".join(f"{k} {v}" for k, v in sorted(s["tiers"].items())),
                       style="bold"))
