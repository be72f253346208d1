"""Team-editable audit policy and the trust-tier computation.

A policy file (`.skillbank-policy.yaml`, or `.toml`) looks like::

    thresholds:
      blocked: high                # any finding at or above -> blocked
      instructions_only: medium    # any finding at or above -> instructions-only
    trusted_sources:               # provenance patterns (fnmatch) that may reach `trusted`
      - "github:my-org/*"
      - "local"
    trusted_hosts:                 # extra hosts/prefixes treated as legitimate endpoints
      - "artifacts.my-org.com"
    allow_skills: ["pdf"]          # names always `trusted` unless a critical finding
    block_skills: ["evil-*"]       # names always `blocked`
    disabled_rules: ["SC-UNPINNED"]
    severity_overrides: {PE-SUDO: info}
    suppressions:
      - rule: PE-SUDO              # fnmatch on rule id
        skill: "docker-setup"      # optional fnmatch on skill name
        file: "SKILL.md"           # optional fnmatch on file
        reason: "documented apt install"   # required
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from skillbank.audit.model import SEVERITIES, TIERS, Finding, severity_rank
from skillbank.audit.patterns import TRUSTED_INSTALLERS
from skillbank.errors import SkillbankError

POLICY_FILENAMES = (".skillbank-policy.yaml", ".skillbank-policy.yml", ".skillbank-policy.toml")


class PolicyError(SkillbankError):
    """The policy file is malformed."""


@dataclass(frozen=True)
class Suppression:
    rule: str
    reason: str
    skill: str | None = None
    file: str | None = None

    def matches(self, finding: Finding, skill: str | None) -> bool:
        if not fnmatch.fnmatchcase(finding.rule_id, self.rule):
            return False
        if self.skill is not None and not fnmatch.fnmatchcase(skill or "", self.skill):
            return False
        if self.file is not None and not fnmatch.fnmatchcase(finding.file, self.file):
            return False
        return True


@dataclass(frozen=True)
class Policy:
    blocked_at: str = "high"
    instructions_only_at: str = "medium"
    trusted_sources: tuple[str, ...] = ()
    trusted_hosts: tuple[str, ...] = ()
    allow_skills: tuple[str, ...] = ()
    block_skills: tuple[str, ...] = ()
    disabled_rules: tuple[str, ...] = ()
    severity_overrides: dict[str, str] = field(default_factory=dict)
    suppressions: tuple[Suppression, ...] = ()
    use_default_hosts: bool = True

    @property
    def all_trusted_hosts(self) -> tuple[str, ...]:
        return (TRUSTED_INSTALLERS if self.use_default_hosts else ()) + self.trusted_hosts

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, where: str = "policy") -> Policy:
        data = data or {}
        if not isinstance(data, dict):
            raise PolicyError(f"{where}: expected a mapping at the top level")
        known = {"thresholds", "trusted_sources", "trusted_hosts", "allow_skills", "block_skills", "disabled_rules",
                 "severity_overrides", "suppressions", "use_default_hosts", "version"}
        unknown = set(data) - known
        if unknown:
            raise PolicyError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(known)}")
        th = data.get("thresholds") or {}
        if not isinstance(th, dict):
            raise PolicyError(f"{where}: 'thresholds' must be a mapping")
        blocked = str(th.get("blocked", "high"))
        instr = str(th.get("instructions_only", th.get("instructions-only", "medium")))
        for label, sev in (("blocked", blocked), ("instructions_only", instr)):
            if sev not in SEVERITIES:
                raise PolicyError(f"{where}: thresholds.{label} must be one of {SEVERITIES}, got {sev!r}")

        def strs(key: str) -> tuple[str, ...]:
            v = data.get(key) or []
            if isinstance(v, str):
                v = [v]
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise PolicyError(f"{where}: '{key}' must be a list of strings")
            return tuple(v)

        overrides = data.get("severity_overrides") or {}
        if not isinstance(overrides, dict) or any(v not in SEVERITIES for v in overrides.values()):
            raise PolicyError(f"{where}: 'severity_overrides' maps rule ids to one of {SEVERITIES}")
        sups = []
        for i, s in enumerate(data.get("suppressions") or []):
            if not isinstance(s, dict) or not s.get("rule"):
                raise PolicyError(f"{where}: suppressions[{i}] needs a 'rule'")
            reason = s.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise PolicyError(f"{where}: suppressions[{i}] ({s.get('rule')}) needs a non-empty 'reason'")
            sups.append(Suppression(rule=str(s["rule"]), reason=reason.strip(),
                                    skill=s.get("skill"), file=s.get("file")))
        return cls(
            blocked_at=blocked,
            instructions_only_at=instr,
            trusted_sources=strs("trusted_sources"),
            trusted_hosts=strs("trusted_hosts"),
            allow_skills=strs("allow_skills"),
            block_skills=strs("block_skills"),
            disabled_rules=strs("disabled_rules"),
            severity_overrides={str(k): str(v) for k, v in overrides.items()},
            suppressions=tuple(sups),
            use_default_hosts=bool(data.get("use_default_hosts", True)),
        )


def load_policy(path: str | Path) -> Policy:
    """Read a policy from a YAML or TOML file."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"cannot read policy file {p}: {exc}") from exc
    try:
        data = tomllib.loads(raw) if p.suffix == ".toml" else yaml.safe_load(raw)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise PolicyError(f"policy file {p} does not parse: {exc}") from exc
    return Policy.from_dict(data, where=str(p))


def find_policy(start: str | Path | None = None) -> Policy | None:
    """The nearest policy file in `start` or its parents, if any."""
    here = Path(start or ".").resolve()
    for d in [here, *here.parents]:
        for name in POLICY_FILENAMES:
            if (d / name).is_file():
                return load_policy(d / name)
    return None


def apply_policy(findings: list[Finding], policy: Policy, skill: str | None) -> tuple[list[Finding], list[Finding]]:
    """Disable, re-grade and suppress findings. Returns (active, suppressed)."""
    active, suppressed = [], []
    for f in findings:
        if any(fnmatch.fnmatchcase(f.rule_id, r) for r in policy.disabled_rules):
            continue
        if f.rule_id in policy.severity_overrides:
            f.severity = policy.severity_overrides[f.rule_id]
        sup = next((s for s in policy.suppressions if s.matches(f, skill)), None)
        if sup is not None:
            f.suppressed = sup.reason
            suppressed.append(f)
        else:
            active.append(f)
    return active, suppressed


def provenance_trusted(provenance: str | None, policy: Policy) -> bool:
    return provenance is not None and any(fnmatch.fnmatchcase(provenance, p) for p in policy.trusted_sources)


def compute_tier(findings: list[Finding], provenance: str | None = None, policy: Policy | None = None,
                 name: str | None = None) -> str:
    """Trust tier from active findings, provenance and policy.

    * ``blocked``            – block-listed, or any finding >= thresholds.blocked (default high)
    * ``instructions-only``  – any finding >= thresholds.instructions_only (default medium):
                               the agent may read the instructions but must not run bundled scripts
    * ``trusted``            – clean enough and the provenance matches trusted_sources
                               (or the name is allow-listed and nothing is critical)
    * ``scripts-in-sandbox`` – otherwise: scripts may run, but only in a sandbox
    """
    policy = policy or Policy()
    worst = max((severity_rank(f.severity) for f in findings), default=-1)
    if name and any(fnmatch.fnmatchcase(name, p) for p in policy.block_skills):
        return "blocked"
    if name and any(fnmatch.fnmatchcase(name, p) for p in policy.allow_skills):
        return "blocked" if worst >= severity_rank("critical") else "trusted"
    if worst >= severity_rank(policy.blocked_at):
        return "blocked"
    if worst >= severity_rank(policy.instructions_only_at):
        return "instructions-only"
    if provenance_trusted(provenance, policy):
        return "trusted"
    return "scripts-in-sandbox"


def tier_allows(tier: str, action: str) -> bool:
    """Whether a tier permits an action: 'load' (read instructions), 'install', 'run-scripts',
    'run-scripts-unsandboxed'."""
    if tier not in TIERS:
        return False
    order = {t: i for i, t in enumerate(TIERS)}  # blocked=0 … trusted=3
    need = {"load": 1, "install": 1, "run-scripts": 2, "run-scripts-unsandboxed": 3}.get(action, 3)
    return order[tier] >= need
