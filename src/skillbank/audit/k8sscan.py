"""Kubernetes privilege escalation in manifests, Markdown blocks and shell lines (round 8).

Text-level, never parsed as YAML (the same checks read a manifest file, a fenced block, a
`kubectl … --overrides='{json}'` line): cluster-admin (or a role granting `*` verbs on `*`
resources) bound to a default service account or to every (un)authenticated caller, `kubectl
create clusterrolebinding … --clusterrole=cluster-admin --serviceaccount=…`, and privileged pods
that share the host's PID / network namespace and mount the host's root. Narrowly scoped RBAC
(get/list on named resources in one namespace) is not flagged."""

from __future__ import annotations

import re

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx
from skillbank.audit.patterns import lit_gate

PREFILTER = rxcache.compile(r"clusterrolebinding|rolebinding|cluster-admin|hostpid|hostnetwork|hostpath|privileged", re.I)
_PREFILTER_LIT = ("rolebinding", "cluster-admin", "hostpid", "hostnetwork", "hostpath", "privileged")  # (lit_gate)
_DOC_SPLIT = rxcache.compile(r"(?m)^(?:---\s*$|(?=apiVersion\s*:))")
_BINDING = rxcache.compile(r"(?m)^\s*kind\s*:\s*['\"]?(ClusterRoleBinding|RoleBinding)\b")
_ROLE = rxcache.compile(r"(?m)^\s*kind\s*:\s*['\"]?(ClusterRole|Role)\s*$")
_ROLEREF_NAME = rxcache.compile(r"(?ms)^\s*roleRef\s*:\s*$.*?^\s*name\s*:\s*['\"]?([\w:.-]+)|roleRef\s*:\s*\{[^}]*\bname\s*:\s*['\"]?([\w:.-]+)")
_META_NAME = rxcache.compile(r"(?ms)^\s*metadata\s*:\s*$.*?^\s*name\s*:\s*['\"]?([\w:.-]+)")
_WILD_RULE = rxcache.compile(r"(?s)verbs\s*:\s*(\[\s*['\"]\*['\"]\s*\]|\n\s*-\s*['\"]\*['\"]).{0,200}?resources\s*:\s*"
                        r"(\[\s*['\"]\*['\"]\s*\]|\n\s*-\s*['\"]\*['\"])|resources\s*:\s*(\[\s*['\"]\*['\"]\s*\]|\n\s*-\s*['\"]\*['\"])"
                        r".{0,200}?verbs\s*:\s*(\[\s*['\"]\*['\"]\s*\]|\n\s*-\s*['\"]\*['\"])")
_EVERYONE = rxcache.compile(r"system:(unauthenticated|authenticated|anonymous|serviceaccounts)\b")
_DEFAULT_SA = rxcache.compile(r"kind\s*:\s*['\"]?ServiceAccount\b[^\n]*\n(?:[^\n]*\n){0,3}?\s*-?\s*name\s*:\s*['\"]?default\b|"
                         r"name\s*:\s*['\"]?default['\"]?\s*\n(?:[^\n]*\n){0,3}?\s*-?\s*kind\s*:\s*['\"]?ServiceAccount\b|"
                         r"system:serviceaccount:[\w-]+:default\b", re.M)
_KUBECTL_BIND = rxcache.compile(r"\bkubectl\s+create\s+(cluster)?rolebinding\b[^\n;&|]*")
_ADMIN_FLAG = rxcache.compile(r"--(cluster)?role[=\s]+['\"]?(cluster-admin|admin)\b")
SECURITY_TESTING = rxcache.compile(r"\b(penetration[- ]test\w*|pen-?test\w*|red[- ]team\w*|container[- ]escape)\b", re.I)
_PRIV = rxcache.compile(r"['\"]?privileged['\"]?\s*:\s*true\b", re.I)
_HOSTNS = rxcache.compile(r"['\"]?host(PID|Network|IPC)['\"]?\s*:\s*true\b")
_ROOT_MOUNT = rxcache.compile(r"hostPath['\"]?\s*:\s*\{?\s*(?:\n\s*)?['\"]?path['\"]?\s*:\s*['\"]?/['\"]?\s*(?:$|[,}\n])", re.M)


# what a malicious privileged pod does with the host: writes its start-up (cron, systemd, rc files, keys),
# reads its secrets, fetches or dials out, decodes a payload
_HOST_ABUSE = rxcache.compile(r"/etc/(cron\w*|systemd|rc\.local|profile\.d|ld\.so\.preload|sudoers|shadow|passwd)|\.service\b|"
                         r"authorized_keys|\.bashrc|serviceaccount/token|\.kube/config|admin\.conf|\.ssh/|\.aws/|"
                         r"\b(curl|wget|nc|ncat|socat|scp|base64)\b|/dev/tcp/|\bbash\s+-i\b|\bxmrig\b|"
                         r"\b(insmod|modprobe)\b|docker\.sock|containerd\.sock", re.I)


def _line(text: str, pos: int, offset: int) -> int:
    return offset + text.count("\n", 0, pos) + 1


def scan_k8s(ctx: Ctx, file: str, text: str, offset: int = 0, soft: dict[int, str] | None = None) -> None:
    if not lit_gate(text.lower(), text, _PREFILTER_LIT) or not PREFILTER.search(text):
        return

    def add(pos: int, evidence: str, sev: str, why: str) -> None:
        ln = _line(text, pos, offset)
        if soft and ln in soft:
            sev = "low"  # quoted under an indicator / misconfiguration heading: a thing to recognise
        ctx.add("PE-ROOT-ABUSE", file, ln, evidence.strip()[:300], sev, why=why or None)
        if sev in ("high", "critical"):
            ctx.fact("root", file, ln, evidence.strip()[:300])

    # manifests: roles granting everything, then bindings of them
    # split() drops the "---" separators, so positions are recomputed from the text
    docs, cur = [], 0
    for part in _DOC_SPLIT.split(text):
        at = text.find(part, cur) if part else cur
        docs.append((max(at, 0), part))
        cur = max(at, 0) + len(part)
    admin_roles = {"cluster-admin"}
    for _, d in docs:
        if _ROLE.search(d) and _WILD_RULE.search(d):
            m = _META_NAME.search(d)
            if m:
                admin_roles.add(m.group(1))
    for at, d in docs:
        b = _BINDING.search(d)
        if not b:
            continue
        rr = _ROLEREF_NAME.search(d)
        role = (rr.group(1) or rr.group(2)) if rr else ""
        if role not in admin_roles:
            continue
        everyone = _EVERYONE.search(d)
        default_sa = _DEFAULT_SA.search(d)
        what = "cluster-admin" if role == "cluster-admin" else f"{role} (every verb on every resource)"
        if everyone:
            add(at + b.start(), f"{b.group(1)} of {what} to {everyone.group(0)}", "critical",
                "Full control of the cluster is granted to every caller (anonymous or any authenticated identity).")
        elif default_sa:
            add(at + b.start(), f"{b.group(1)} of {what} to a default service account", "high",
                "Full control of the cluster is granted to a namespace's default service account: every pod "
                "there runs as cluster administrator.")
        elif re.search(r"kind\s*:\s*['\"]?(ServiceAccount|Group|User)\b", d):
            add(at + b.start(), f"{b.group(1)} of {what}", "medium",
                "A subject is bound to full control of the cluster; check it needs more than scoped permissions.")
    # kubectl create clusterrolebinding NAME --clusterrole=cluster-admin --serviceaccount=NS:SA / --group=system:...
    for m in _KUBECTL_BIND.finditer(text):
        cmd = m.group(0)
        a = _ADMIN_FLAG.search(cmd)
        if not a or a.group(2) == "admin" and not m.group(1):
            continue
        if _EVERYONE.search(cmd) or re.search(r"--user[=\s]+['\"]?system:anonymous", cmd):
            add(m.start(), cmd, "critical", "Full control of the cluster is granted to every caller.")
        elif re.search(r"--serviceaccount[=\s]", cmd):
            # (--user=$(gcloud config get-value account) is the documented GKE set-up step for oneself)
            add(m.start(), cmd, "high",
                "cluster-admin is bound to a service account or group from the command line: whatever runs as it "
                "controls the whole cluster.")
    # privileged pods sharing the host's namespaces and mounting its root
    for at, d in docs or [(0, text)]:
        root = _ROOT_MOUNT.search(d)
        priv = _PRIV.search(d)
        hostns = _HOSTNS.search(d)
        if root and (priv or hostns):
            image = re.search(r"image\s*['\"]?\s*:\s*['\"]?([\w.-]+/)?([\w.-]+)/([\w.-]+)", d)
            owner = (image.group(2) if image else "").lower()
            if re.search(r"(?m)^\s*kind\s*:\s*['\"]?DaemonSet\b", d) and len(owner) >= 4 and owner in ctx.identity.lower():
                # a node agent (EDR, monitoring, networking) of the vendor the skill is about, deployed as a
                # DaemonSet: the documented install of that product, not an escape pod
                add(at + root.start(), f"node agent DaemonSet of {owner} mounting the host's /", "low", "")
                continue
            if SECURITY_TESTING.search(ctx.identity):
                # a privileged test pod in a penetration-testing guide: the technique the engagement checks
                # (gated on the skill's own identity, like the decoder gate of round 6)
                add(at + root.start(), "privileged test pod mounting the host's / (security-testing skill)", "low", "")
                continue
            abuse = _HOST_ABUSE.search(d)
            if not abuse:
                # a node-debug pod the user applies by hand: root on the node by design; what it is for shows in
                # what it runs (see _HOST_ABUSE) and in log-agent inputs (scan_log_agent)
                add(at + root.start(), "privileged pod mounting the host's / " + (f"with host{hostns.group(1)}" if hostns else "") +
                    " (nothing in it acts on the host)", "low", "")
                continue
            add(at + root.start(), "privileged pod mounting the host's / " + (f"with host{hostns.group(1)}" if hostns else "") +
                f" and running {abuse.group(0)[:80]!r}",
                "high", "A pod that mounts the node's root file system with host namespaces or privileges is root on "
                        "the node (and every secret on it).")
        elif priv and hostns and len(set(_HOSTNS.findall(d))) >= 2:
            add(at + priv.start(), "privileged pod with host namespaces", "medium",
                "A privileged pod sharing the node's PID and network namespaces can take over the node.")
