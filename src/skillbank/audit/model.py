"""Findings, rules and the per-skill audit result (plain data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}

TIERS: tuple[str, ...] = ("blocked", "instructions-only", "scripts-in-sandbox", "trusted")

#: SkillScan's four top-level categories.
CATEGORIES: tuple[str, ...] = (
    "prompt_injection",
    "data_exfiltration",
    "privilege_escalation",
    "supply_chain",
)

#: SkillScan's 14 patterns, grouped by category.
PATTERNS: dict[str, tuple[str, str]] = {
    "P1": ("prompt_injection", "instruction override"),
    "P2": ("prompt_injection", "concealed instructions"),
    "P3": ("prompt_injection", "exfiltration commands"),
    "P4": ("prompt_injection", "behaviour manipulation"),
    "E1": ("data_exfiltration", "external data transmission"),
    "E2": ("data_exfiltration", "env-var harvesting"),
    "E3": ("data_exfiltration", "file-system enumeration"),
    "E4": ("data_exfiltration", "context leakage"),
    "PE1": ("privilege_escalation", "excessive permission requests"),
    "PE2": ("privilege_escalation", "sudo or root execution"),
    "PE3": ("privilege_escalation", "credential access"),
    "SC1": ("supply_chain", "unpinned dependencies"),
    "SC2": ("supply_chain", "external script fetching"),
    "SC3": ("supply_chain", "obfuscated code"),
}


def severity_rank(severity: str | None) -> int:
    """Numeric rank of a severity (-1 for None/unknown)."""
    if severity is None:
        return -1
    return _RANK.get(severity, -1)


def max_severity(severities) -> str | None:
    best: str | None = None
    for s in severities:
        if severity_rank(s) > severity_rank(best):
            best = s
    return best


@dataclass(frozen=True)
class Rule:
    """Static description of one rule: what it catches and why it matters."""

    id: str
    pattern: str  # one of PATTERNS
    severity: str  # default severity
    title: str
    why: str
    fix: str

    @property
    def category(self) -> str:
        return PATTERNS[self.pattern][0]


@dataclass
class Finding:
    rule_id: str
    category: str
    pattern: str
    severity: str
    file: str
    line: int
    evidence: str
    why: str
    fix: str
    title: str = ""
    suppressed: str | None = None  # reason when a policy suppression matched

    def to_dict(self) -> dict[str, Any]:
        d = {
            "rule_id": self.rule_id,
            "category": self.category,
            "pattern": self.pattern,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "evidence": self.evidence,
            "why": self.why,
            "fix": self.fix,
        }
        if self.suppressed is not None:
            d["suppressed"] = self.suppressed
        return d


@dataclass
class SkillAudit:
    """The audit of one skill. `findings` holds active findings; suppressed ones are kept apart."""

    path: str | None
    name: str | None
    tier: str
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    provenance: str | None = None
    semantic: dict[str, Any] | None = None

    @property
    def max_severity(self) -> str | None:
        return max_severity(f.severity for f in self.findings)

    def flagged(self, threshold: str = "medium") -> bool:
        """True when any active finding is at or above `threshold`."""
        return severity_rank(self.max_severity) >= severity_rank(threshold)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "path": self.path,
            "name": self.name,
            "tier": self.tier,
            "max_severity": self.max_severity,
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.suppressed:
            d["suppressed"] = [f.to_dict() for f in self.suppressed]
        if self.semantic is not None:
            d["semantic"] = self.semantic
        return d
