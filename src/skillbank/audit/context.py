"""The collector analyzers write findings into, plus facts used for cross-file correlation."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from skillbank.audit import rxcache
from skillbank.audit.model import Finding, severity_rank
from skillbank.audit.rules import RULES

MAX_EVIDENCE = 200

# a URL whose host is a template placeholder (http://<ip>/ldr.sh, https://<your-domain>/u) names no
# destination: a line that sends or fetches only through such URLs cannot reach anyone (a dump of the
# whole environment stays: no destination is a fit for it)
PLACEHOLDER_URL = rxcache.compile(r"\b(https?|ftp)://<[\w .-]{0,30}\b(ip|host|hostname|domain|server|c2|addr|address)\b[\w .-]{0,20}>", re.I)
REAL_URL = rxcache.compile(r"\b(https?|ftp)://(?!<)[\w.-]+", re.I)
PLACEHOLDER_RULES = ("EX-", "SC-PIPE-EXEC", "SC-DOWNLOAD-EXEC", "OB-DECODE-EXEC")


def clip(text: str, limit: int = MAX_EVIDENCE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Ctx:
    findings: dict[tuple[str, str, int], Finding] = field(default_factory=dict)
    # facts for correlation: (file, line, evidence)
    facts: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)
    trusted_hosts: tuple[str, ...] = ()
    depth: int = 0  # nesting of decoded content
    identity: str = ""  # the skill's name + description (first-party hosts)
    deadline: float = 0.0  # perf_counter() after which analyzers stop (0 = none)
    timed_out: bool = False
    own_index: bool = False  # SKILL.md says the package index is the team's / company's own
    indicator_files: dict = field(default_factory=dict)  # rule files (YARA/Sigma) analysed aside: rel -> Ctx
    placeholder_hosts: bool = True  # cap sends / fetches whose every URL host is a placeholder
    env_redirect: bool = False  # some file sets CURL_HOME / WGETRC / a proxy / CA vars or ships a .curlrc

    def add(
        self,
        rule_id: str,
        file: str,
        line: int,
        evidence: str,
        severity: str | None = None,
        why: str | None = None,
    ) -> None:
        rule = RULES[rule_id]
        sev = severity or rule.severity
        if self.placeholder_hosts and severity_rank(sev) > 1 and rule_id.startswith(PLACEHOLDER_RULES) and \
                rule_id != "EX-ENV-DUMP" and \
                "://<" in evidence and PLACEHOLDER_URL.search(evidence) and not REAL_URL.search(evidence):
            sev = "low"
            evidence += "  (placeholder host)"
        key = (rule_id, file, line)
        old = self.findings.get(key)
        if old is not None and severity_rank(old.severity) >= severity_rank(sev):
            return
        self.findings[key] = Finding(
            rule_id=rule_id,
            category=rule.category,
            pattern=rule.pattern,
            severity=sev,
            file=file,
            line=max(1, int(line)),
            evidence=clip(evidence),
            why=why or rule.why,
            fix=rule.fix,
            title=rule.title,
        )

    def child(self, deeper: int = 1) -> Ctx:
        return Ctx(trusted_hosts=self.trusted_hosts, depth=self.depth + deeper, identity=self.identity,
                   deadline=self.deadline, own_index=self.own_index, env_redirect=self.env_redirect)

    def out_of_time(self) -> bool:
        if self.deadline and not self.timed_out and time.perf_counter() > self.deadline:
            self.timed_out = True
        return self.timed_out

    def fact(self, name: str, file: str, line: int, evidence: str) -> None:
        self.facts.setdefault(name, []).append((file, line, clip(evidence)))

    def has(self, name: str) -> bool:
        return bool(self.facts.get(name))
