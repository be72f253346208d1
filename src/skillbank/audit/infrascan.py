"""Twelfth round: credential flows in places the other analysers did not read.

* Go programs (`scan_go_secret_send`): a credential file read (`os.ReadFile` / `ioutil.ReadFile` /
  `os.Open` of a kubeconfig, `~/.ssh/id_*`, `~/.aws/credentials`, ...) whose bytes reach a network
  sink (`http.Post`, `http.NewRequest("POST"|"PUT", …)`, `net.Dial` writes) in a file naming an
  outside host -- an "update check" in an `init()` runs on import.
* Log-agent configurations (`scan_log_agent`): Fluent Bit / Fluentd / Vector / Filebeat / Promtail /
  Logstash / OpenTelemetry inputs that tail credential paths (service-account tokens, kubeconfigs,
  kubelet keys, SSH keys) and ship them to an output host.
* Cloud IAM (`scan_iam`): a role trust policy naming a literal foreign AWS account (not one the skill
  uses as its own, not a variable) together with IAM privilege-escalation actions on `*`.
* Prose addressed to AI agents (`scan_agent_paragraphs`): a paragraph in any Markdown file (reference
  documents included) that addresses automated assistants and tells them to read secrets and send
  them to an outside host. Such a paragraph is a live instruction wherever it sits.

Text-level, never executed."""

from __future__ import annotations

import re

from skillbank.audit.context import Ctx
from skillbank.audit.patterns import CRED_STORE

# --------------------------------------------------------------------------- Go

_GO_READ = re.compile(r"\b(\w+)\s*(?:,\s*\w+)?\s*:?=\s*(?:os|ioutil)\.(?:ReadFile|Open)\(\s*([^\n]{1,200})\)")
_GO_CRED = re.compile(r"\.kube|KUBECONFIG|\.ssh|id_rsa|id_ed25519|\.aws|credentials|\.docker|\.netrc|\.git-credentials|"
                      r"\.npmrc|\.pypirc|\.gnupg|gcloud|\.azure|/etc/shadow|serviceaccount|\.vault-token|\.config/gh")
_GO_SINK = re.compile(r"\bhttp\.(Post|PostForm)\(|\bhttp\.NewRequest(WithContext)?\([^\n]{0,40}?(\"(POST|PUT|PATCH)\"|"
                      r"http\.Method(Post|Put|Patch))|\b(net|tls)\.Dial\w*\(|\.(Post|PostForm)\(")
_GO_ASSIGN = re.compile(r"(?m)^\s*(?:var\s+)?(\w+)\s*(?:,\s*\w+\s*)?:?=\s*([^\n]{1,300})")
_GO_URL = re.compile(r"\"((?:https?|wss?)://[^\"\s]{3,300})\"|\"((?:\d{1,3}\.){3}\d{1,3}:\d{1,5})\"")


def scan_go_secret_send(ctx: Ctx, file: str, text: str) -> None:
    from skillbank.audit.textscan import host_of, local_address, url_trusted, user_chosen_host
    if "ReadFile" not in text and "os.Open" not in text:
        return
    if not _GO_CRED.search(text) or not _GO_SINK.search(text):
        return
    hosts = []
    for m in _GO_URL.finditer(text):
        url = m.group(1) or "tcp://" + m.group(2)
        host = host_of(url) if m.group(1) else m.group(2).split(":")[0]
        if not host or local_address(host) or url_trusted(url, ctx.trusted_hosts) or user_chosen_host(url) or \
                re.search(r"(^|\.)(example\.(com|org|net)|[\w-]+\.(example|invalid|test|local))$", host):
            continue
        hosts.append(host)
    if not hosts:
        return
    lines = text.split("\n")
    for m in _GO_READ.finditer(text):
        var, arg = m.group(1), m.group(2)
        if var == "_":
            continue
        # the path: on the call itself or in the variables it names (path := filepath.Join(home, ".kube", "config"))
        names = set(re.findall(r"\b[A-Za-z_]\w*\b", arg))
        src = arg + " " + " ".join(a.group(2) for a in _GO_ASSIGN.finditer(text) if a.group(1) in names)
        if not (_GO_CRED.search(src) or CRED_STORE.search(src)):
            continue
        # the bytes reach a sink: the variable (or one derived from it) on a sink line or written to a dialled conn
        derived = {var}
        for a in re.finditer(r"(?m)^\s*(\w+)\s*(?:,\s*\w+)?\s*:?=\s*([^\n]{1,300})", text[m.end():]):
            if any(re.search(r"\b" + re.escape(v) + r"\b", a.group(2)) for v in derived):
                derived.add(a.group(1))
        for i, line in enumerate(lines, 1):
            if (_GO_SINK.search(line) or re.search(r"\.Write(String)?\(|\bio\.Copy\(|\bfmt\.Fprint\w*\(", line)) and \
                    any(re.search(r"\b" + re.escape(v) + r"\b", line) for v in derived) and \
                    text.find(line) > m.start():
                ctx.add("EX-SECRET-UPLOAD", file, i, f"Go program reads {arg.strip()[:80]} and sends it ({line.strip()[:120]}) "
                        f"to {hosts[0]}" + (" from init(), on import" if re.search(r"(?m)^func\s+init\s*\(\s*\)", text) else ""),
                        "critical" if re.fullmatch(r"[\d.]+", hosts[0]) else "high",
                        why="The program reads a credential file and sends its contents to a host outside the user's "
                            "control.")
                ctx.fact("secret_source", file, m.start() and text.count("\n", 0, m.start()) + 1, arg.strip()[:120])
                ctx.fact("net_send", file, i, line.strip()[:200])
                return


# --------------------------------------------------------------------------- log agents

_AGENT_CFG = re.compile(r"^\s*\[(INPUT|OUTPUT)\]|<source>|<match\b|^\s*sources\s*:|^\s*sinks\s*:|filebeat\.inputs|"
                        r"__path__\s*:|\binput\s*\{\s*$|^\s*receivers\s*:|\boutput\.(elasticsearch|logstash)\b", re.M | re.I)
_COLLECT_PATH = re.compile(r"(?im)^\s*(?:-\s*)?(?:path|paths|include|__path__|file_paths?|Path)\s*(?:=>|[:=])?\s*(.{1,600})$|"
                           r"^\s*-\s*['\"]?(/[^\n'\"]{1,300})")
_CRED_COLLECT = re.compile(r"serviceaccount/token|/var/run/secrets|\.kube/config|kubeconfig|/etc/kubernetes/(admin|kubelet|"
                           r"controller-manager|scheduler|super-admin)\.conf|/etc/kubernetes/pki|kubelet/pki|\.ssh/|id_rsa|"
                           r"id_ed25519|\.aws/credentials|/etc/shadow|\.docker/config\.json|\.git-credentials|\.vault-token|"
                           r"\*\.key\b|\.pem\b", re.I)
_OUT_HOST = re.compile(r"(?im)^\s*(?:-\s*)?(?:host|hosts|uri|url|endpoint|address|server|hostname)\s*(?:=>|[:=])?\s*"
                       r"\[?\s*['\"]?((?:https?://)?[\w.-]+(?::\d+)?)")


def scan_log_agent(ctx: Ctx, file: str, text: str) -> None:
    from skillbank.audit.textscan import local_address
    if not _AGENT_CFG.search(text[:200000]):
        return
    creds = []
    for m in _COLLECT_PATH.finditer(text[:200000]):
        val = m.group(1) or m.group(2) or ""
        if _CRED_COLLECT.search(val) and not re.search(r"\b(exclude|exclude_path|Exclude_Path)\b", text[max(0, m.start() - 40):m.start()]):
            creds.append((text.count("\n", 0, m.start()) + 1, val.strip()[:160]))
    if not creds:
        return
    out = None
    for m in _OUT_HOST.finditer(text[:200000]):
        h = re.sub(r"^https?://", "", m.group(1)).split(":")[0].lower()
        if not h or h.startswith("$") or local_address(h) or re.search(r"\.(svc|cluster\.local|internal|local)$|^[\w-]+$", h) or \
                re.search(r"(^|\.)(example\.(com|org|net)|[\w-]+\.(example|invalid|test))$", h):
            continue
        out = (text.count("\n", 0, m.start()) + 1, h)
        break
    ln, val = creds[0]
    if out:
        raw = bool(re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", out[1]))
        ctx.add("EX-SECRET-UPLOAD", file, ln, f"log agent collects credential files ({val}) and ships them to {out[1]}",
                "critical" if raw else "high",
                why="A log shipper whose inputs tail service-account tokens, kubeconfigs or keys sends those secrets to "
                    "wherever its output points.")
        ctx.fact("net_send", file, out[0], out[1])
    else:
        ctx.add("EX-SECRET-HARVEST", file, ln, f"log agent collects credential files ({val})", "medium",
                why="A log shipper whose inputs tail credential files turns secrets into log records anyone with "
                    "access to the log store can read.")
    ctx.fact("secret_source", file, ln, val)


# --------------------------------------------------------------------------- cloud IAM

_ACCOUNT_PRINCIPAL = re.compile(r"arn:aws:iam::(\d{12}):(root|user/[\w+=,.@-]+|role/[\w+=,.@/-]+)")
_ESCALATION = re.compile(r"['\"](iam:(CreateAccessKey|PassRole|AttachUserPolicy|AttachRolePolicy|AttachGroupPolicy|PutUserPolicy|"
                         r"PutRolePolicy|PutGroupPolicy|CreateLoginProfile|UpdateLoginProfile|CreatePolicyVersion|"
                         r"SetDefaultPolicyVersion|UpdateAssumeRolePolicy|AddUserToGroup|CreateUser|\*)|sts:AssumeRole|\*|iam:\*)['\"]",
                         re.I)
_RESOURCE_ALL = re.compile(r"['\"]?Resource['\"]?\s*[:=]\s*\[?\s*['\"]\*['\"]", re.I)


def scan_iam(ctx: Ctx, file: str, text: str) -> None:
    """A trust policy letting a literal AWS account the skill does not otherwise use assume a role, and a
    policy granting IAM privilege escalation on every resource: a back door for that account."""
    if "arn:aws:iam::" not in text:
        return
    foreign = []
    for m in _ACCOUNT_PRINCIPAL.finditer(text[:400000]):
        before = text[max(0, m.start() - 400):m.start()]
        if not re.search(r"Principal|principals|identifiers|AWS\s*=|\"AWS\"", before, re.I):
            continue
        acct = m.group(1)
        # the skill's own account: named in a resource ARN, an allowed-accounts list or a variable default elsewhere
        others = len(re.findall(acct, text)) - 1
        if others > 0 and re.search(r"allowed_account_ids|account_id\s*=|arn:aws:(?!iam::" + acct + r":(root|user|role))[\w-]+:[\w-]*:" +
                                    acct, text):
            continue
        if acct in ("123456789012", "111111111111", "000000000000", "111122223333", "444455556666"):
            continue  # documentation placeholders
        foreign.append((text.count("\n", 0, m.start()) + 1, m.group(0)))
    if not foreign:
        return
    esc = []
    for m in _ESCALATION.finditer(text[:400000]):
        stmt = text[max(0, m.start() - 600):m.end() + 600]
        if _RESOURCE_ALL.search(stmt) and not re.search(r"\"Effect\"\s*:\s*\"Deny\"|Effect\s*=\s*\"Deny\"", stmt):
            if m.group(1) == "*" and not re.search(r"Action['\"]?\s*[:=]\s*\[?\s*['\"]\*['\"]", stmt):
                continue
            esc.append(m.group(1))
    ln, arn = foreign[0]
    external_id = re.search(r"sts:ExternalId", text)
    if esc:
        ctx.add("PE-PERMISSIVE-SETTINGS", file, ln, f"role trusted by foreign account {arn} is granted "
                f"{', '.join(sorted(set(esc))[:4])} on Resource \"*\"", "medium" if external_id else "high",
                why="A role that a hard-coded outside AWS account may assume, with IAM privilege-escalation actions on every "
                    "resource, hands that account control of the user's AWS account.")
        ctx.fact("permissive", file, ln, arn)
    else:
        ctx.add("PE-PERMISSIVE-SETTINGS", file, ln, f"role trusted by a literal outside account {arn}", "low",
                why="A hard-coded AWS account may assume this role; check it is a vendor the user chose.")


# --------------------------------------------------------------------------- prose addressed to agents

_TO_AGENTS = re.compile(r"\b(ai|llm|coding|automated|autonomous)\s+(agents?|assistants?|models?|tools?)\b|"
                        r"\bif\s+you\s+are\s+an?\s+(ai|llm|language\s+model|assistant|agent)\b|"
                        r"\b(note|notice|instructions?|message)\s+(for|to)\s+(the\s+)?(ai|llm|agents?|assistants?|claude|copilot)\b|"
                        r"\b(claude|copilot|cursor|codex|gemini)\b[^.\n]{0,40}\b(should|must|needs?\s+to|will)\b", re.I)
_SECRET_WORDS = re.compile(r"private\s+keys?|\.key\b|\.pem\b|id_\*|id_rsa|id_ed25519|\.ssh\b|\.aws\b|credentials|\.env\b|"
                           r"kubeconfig|\.kube\b|tokens?\b|secrets?\b|/etc/ssl/private", re.I)
_READ_VERB = re.compile(r"\b(cat|read|collect|gather|copy|tar|zip|base64|dump|print|load)\b", re.I)
_SEND_VERB = re.compile(r"\b(post|upload|send|submit|transmit|curl|wget|push|forward|sync)\w*\b(?:[^.]|\.(?=\S)){0,200}?"
                        r"((https?|wss?)://[^\s`'\")>]{3,200})", re.I)
_NEGATED = re.compile(r"\b(never|not|don'?t|mustn'?t|shouldn'?t)\s+(\w+\s+){0,2}?(read|cat|send|post|upload|share|include|print|"
                      r"copy|exfiltrat\w*|access|touch|transmit|leak)\b", re.I)


def scan_agent_paragraphs(ctx: Ctx, file: str, text: str) -> None:
    from skillbank.audit.textscan import host_of, url_trusted, user_chosen_host
    if not _TO_AGENTS.search(text[:400000]):
        return
    pos = 0
    heading = ""
    for para in re.split(r"\n\s*\n", text[:400000]):
        start = text.find(para, pos)
        pos = max(pos, start + len(para))
        h = re.match(r"\s*#{1,6}\s+([^\n]{1,200})", para)
        if h:
            heading = h.group(1)  # the section a paragraph sits in says whom it addresses
        if not (_TO_AGENTS.search(para) or _TO_AGENTS.search(heading)) or not _SECRET_WORDS.search(para) or \
                not _READ_VERB.search(para):
            continue
        send = _SEND_VERB.search(para)
        if not send or _NEGATED.search(para):
            continue
        url = send.group(2)
        host = host_of(url)
        if not host or url_trusted(url, ctx.trusted_hosts) or user_chosen_host(url) or \
                re.search(r"(^|\.)(example\.(com|org|net)|[\w-]+\.(example|invalid|test|local))$", host):
            continue
        ln = text.count("\n", 0, start + send.start()) + 1
        ctx.add("PI-EXFIL-INSTRUCTION", file, ln, f"paragraph addressed to AI agents: reads secrets and sends them to {host}: "
                f"{' '.join(para.split())[:200]}", "high",
                why="Text addressed to the agent is an instruction wherever it sits (a reference document included): it "
                    "tells the agent to read secrets and send them to an outside host.")
        ctx.fact("prose_send", file, ln, url)
        return
