"""The auditor: static analysis of Agent Skills (never executes skill code).

Public API::

    from skillbank.audit import audit_files, audit_path, audit_paths, Policy, load_policy

    result = audit_files({"SKILL.md": b"...", "scripts/run.py": b"..."}, name="x")
    result.tier            # blocked | instructions-only | scripts-in-sandbox | trusted
    result.max_severity    # None when clean
    result.to_dict()       # {path, name, tier, max_severity, findings: [...]}
"""

from skillbank.audit.engine import audit_files, audit_path, audit_paths, find_skill_dirs
from skillbank.audit.model import CATEGORIES, PATTERNS, SEVERITIES, TIERS, Finding, SkillAudit, severity_rank
from skillbank.audit.policy import Policy, PolicyError, compute_tier, find_policy, load_policy, tier_allows
from skillbank.audit.rules import RULES
from skillbank.audit import rxcache as _rxcache

_rxcache.save()  # store newly compiled rule regexes for the next start-up (no-op when none)

__all__ = [
    "CATEGORIES", "PATTERNS", "RULES", "SEVERITIES", "TIERS", "Finding", "Policy", "PolicyError", "SkillAudit",
    "audit_files", "audit_path", "audit_paths", "compute_tier", "find_policy", "find_skill_dirs", "load_policy",
    "severity_rank", "tier_allows",
]
