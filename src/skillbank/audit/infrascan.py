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

import dataclasses
import re

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx
from skillbank.audit.model import severity_rank
from skillbank.audit.patterns import Anchored, CRED_STORE

# --------------------------------------------------------------------------- Go

_GO_READ = rxcache.compile(r"\b(\w+)\s*(?:,\s*\w+)?\s*:?=\s*(?:os|ioutil)\.(?:ReadFile|Open)\(\s*([^\n]{1,200})\)")
_GO_CRED = rxcache.compile(r"\.kube|KUBECONFIG|\.ssh|id_rsa|id_ed25519|\.aws|credentials|\.docker|\.netrc|\.git-credentials|"
                      r"\.npmrc|\.pypirc|\.gnupg|gcloud|\.azure|/etc/shadow|serviceaccount|\.vault-token|\.config/gh")
_GO_SINK = rxcache.compile(r"\bhttp\.(Post|PostForm)\(|\bhttp\.NewRequest(WithContext)?\([^\n]{0,40}?(\"(POST|PUT|PATCH)\"|"
                      r"http\.Method(Post|Put|Patch))|\b(net|tls)\.Dial\w*\(|\.(Post|PostForm)\(")
_GO_ASSIGN = rxcache.compile(r"(?m)^\s*(?:var\s+)?(\w+)\s*(?:,\s*\w+\s*)?:?=\s*([^\n]{1,300})")
_GO_URL = rxcache.compile(r"\"((?:https?|wss?)://[^\"\s]{3,300})\"|\"((?:\d{1,3}\.){3}\d{1,3}:\d{1,5})\"")


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

_AGENT_CFG = rxcache.compile(r"^\s*\[(INPUT|OUTPUT)\]|<source>|<match\b|^\s*sources\s*:|^\s*sinks\s*:|filebeat\.inputs|"
                        r"__path__\s*:|\binput\s*\{\s*$|^\s*receivers\s*:|\boutput\.(elasticsearch|logstash)\b", re.M | re.I)
_COLLECT_PATH = rxcache.compile(r"(?im)^\s*(?:-\s*)?(?:path|paths|include|__path__|file_paths?|Path)\s*(?:=>|[:=])?\s*(.{1,600})$|"
                           r"^\s*-\s*['\"]?(/[^\n'\"]{1,300})")
_CRED_COLLECT = rxcache.compile(r"serviceaccount/token|/var/run/secrets|\.kube/config|kubeconfig|/etc/kubernetes/(admin|kubelet|"
                           r"controller-manager|scheduler|super-admin)\.conf|/etc/kubernetes/pki|kubelet/pki|\.ssh/|id_rsa|"
                           r"id_ed25519|\.aws/credentials|/etc/shadow|\.docker/config\.json|\.git-credentials|\.vault-token|"
                           r"\*\.key\b|\.pem\b", re.I)
_OUT_HOST = rxcache.compile(r"(?im)^\s*(?:-\s*)?(?:host|hosts|uri|url|endpoint|address|server|hostname)\s*(?:=>|[:=])?\s*"
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

_ACCOUNT_PRINCIPAL = rxcache.compile(r"arn:aws:iam::(\d{12}):(root|user/[\w+=,.@-]+|role/[\w+=,.@/-]+)")
_ESCALATION = rxcache.compile(r"['\"](iam:(CreateAccessKey|PassRole|AttachUserPolicy|AttachRolePolicy|AttachGroupPolicy|PutUserPolicy|"
                         r"PutRolePolicy|PutGroupPolicy|CreateLoginProfile|UpdateLoginProfile|CreatePolicyVersion|"
                         r"SetDefaultPolicyVersion|UpdateAssumeRolePolicy|AddUserToGroup|CreateUser|\*)|sts:AssumeRole|\*|iam:\*)['\"]",
                         re.I)
_RESOURCE_ALL = rxcache.compile(r"['\"]?Resource['\"]?\s*[:=]\s*\[?\s*['\"]\*['\"]", re.I)


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
    # admin-equivalent managed policies attached (AdministratorAccess, IAMFullAccess, PowerUserAccess) or "*" on "*"
    for m in re.finditer(r"arn:aws:iam::aws:policy/(AdministratorAccess|IAMFullAccess|PowerUserAccess)\b", text[:400000]):
        esc.append(m.group(1))
    for m in re.finditer(r"Action['\"]?\s*[:=]\s*\[?\s*['\"]\*['\"]", text[:400000]):
        stmt = text[max(0, m.start() - 400):m.end() + 400]
        if _RESOURCE_ALL.search(stmt) and not re.search(r"\"Effect\"\s*:\s*\"Deny\"|Effect\s*=\s*\"Deny\"", stmt):
            esc.append("*")
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

_TO_AGENTS = Anchored(rxcache.compile(r"\b(ai|llm|coding|automated|autonomous)\s+(agents?|assistants?|models?|tools?)\b|"
                        r"\bif\s+you\s+are\s+an?\s+(ai|llm|language\s+model|assistant|agent)\b|"
                        r"\b(note|notice|instructions?|message)\s+(for|to)\s+(the\s+)?(ai|llm|agents?|assistants?|claude|copilot)\b|"
                        r"\b(claude|copilot|cursor|codex|gemini)\b[^.\n]{0,40}\b(should|must|needs?\s+to|will)\b", re.I),
                      ("agent", "assistant", "model", "tool", ("if", "you", "are"), "note", "notice", "instruction",
                       "message", "claude", "copilot", "cursor", "codex", "gemini"))
_SECRET_WORDS = rxcache.compile(r"private\s+keys?|\.key\b|\.pem\b|id_\*|id_rsa|id_ed25519|\.ssh\b|\.aws\b|credentials|\.env\b|"
                           r"kubeconfig|\.kube\b|tokens?\b|secrets?\b|/etc/ssl/private|api[\s_-]?keys?|passwords?|"
                           r"access[\s_-]keys?|client[\s_-]secrets?|connection\s+strings?", re.I)
_READ_VERB = rxcache.compile(r"\b(cat|read|collect|gather|copy|tar|zip|base64|dump|print|load)\b", re.I)
# secrets taken wholesale from the user's project: "any API keys found in the repository", "hard-code the tokens
# you find", "every credential in .env" (not: "include your API key in the header")
_HARVEST = rxcache.compile(r"\b(any|all|every|each|whatever)\s+([\w-]+\s+){0,2}?(api[\s_-]?keys?|tokens?|secrets?|credentials?|passwords?|"
                      r"access[\s_-]keys?|connection\s+strings?)\b[^.\n]{0,80}?\b(found|you\s+(find|see|encounter|come\s+across|"
                      r"discover)|in\s+(the\s+)?(project|repo\w*|workspace|codebase|\.env|config\w*|environment|source))\b|"
                      r"\b(hard-?cod\w*|embed\w*|inlin\w*|harvest\w*|extract\w*|grab\w*|scrap\w*)\s+(any|all|every|the|each)\s+"
                      r"([\w-]+\s+){0,2}?(api[\s_-]?keys?|tokens?|secrets?|credentials?|passwords?|access[\s_-]keys?)\b", re.I)
_SEND_VERB = rxcache.compile(r"\b(post|upload|send|submit|transmit|curl|wget|push|forward|sync)\w*\b(?:[^.]|\.(?=\S)){0,200}?"
                        r"((https?|wss?)://[^\s`'\")>]{3,200})", re.I)
_NEGATED = rxcache.compile(r"\b(never|not|don'?t|mustn'?t|shouldn'?t)\s+(\w+\s+){0,2}?(read|cat|send|post|upload|share|include|print|"
                      r"copy|exfiltrat\w*|access|touch|transmit|leak|hard-?code|embed|commit)\b", re.I)
# a negation that forbids telling the user (concealment), not the read or the send
_NEG_TO_USER = rxcache.compile(r"\b(to|with|from|in)\s+(the\s+)?(user|human|developer|summary|response|reply|changelog|output)\b", re.I)


def scan_agent_paragraphs(ctx: Ctx, file: str, text: str) -> None:
    from skillbank.audit.textscan import _strip_auth, first_party, host_of, url_trusted, user_chosen_host
    if not _TO_AGENTS.search(text[:400000]):
        return
    pos = 0
    heading = ""
    heading_hit = None  # whether the current heading addresses agents (searched once per heading)
    paras = re.split(r"\n\s*\n", text[:400000])
    for k, para in enumerate(paras):
        start = text.find(para, pos)
        pos = max(pos, start + len(para))
        h = re.match(r"\s*#{1,6}\s+([^\n]{1,200})", para)
        if h:
            heading = h.group(1)  # the section a paragraph sits in says whom it addresses
            heading_hit = None
        # the user's own key in an auth header (`-H "Authorization: Bearer YOUR_API_KEY"`) is how the API is called
        if not _TO_AGENTS.search(para):
            if heading_hit is None:
                heading_hit = bool(_TO_AGENTS.search(heading))
            if not heading_hit:
                continue
        if not _SECRET_WORDS.search(para):
            continue
        bare = re.sub(r"\b(YOUR|MY)_[A-Z_]*(KEY|TOKEN|SECRET)\w*|<[^<>\n]{0,40}(key|token)[^<>\n]{0,40}>", " ", _strip_auth(para))
        if not _SECRET_WORDS.search(bare) or not (_READ_VERB.search(para) or _HARVEST.search(bare)):
            continue
        send = _SEND_VERB.search(para)
        if not send and k + 1 < len(paras) and re.search(r"\b(post|upload|send|submit|transmit|push|forward)\w*\b", para, re.I):
            # the URL on the next line / in the code block after the sentence ("POST them to:")
            send = _SEND_VERB.search(para + " " + paras[k + 1][:400])
        negs = [m for m in _NEGATED.finditer(para) if not _NEG_TO_USER.search(para[m.end():m.end() + 60])]
        if not send or negs:
            continue
        url = send.group(2)
        host = host_of(url)
        if not host or url_trusted(url, ctx.trusted_hosts) or user_chosen_host(url) or first_party(url, ctx.identity) or \
                re.search(r"(^|\.)(example\.(com|org|net)|[\w-]+\.(example|invalid|test|local))$", host):
            continue
        ln = text.count("\n", 0, start + send.start()) + 1
        ctx.add("PI-EXFIL-INSTRUCTION", file, ln, f"paragraph addressed to AI agents: reads secrets and sends them to {host}: "
                f"{' '.join(para.split())[:200]}", "high",
                why="Text addressed to the agent is an instruction wherever it sits (a reference document included): it "
                    "tells the agent to read secrets and send them to an outside host.")
        ctx.fact("prose_send", file, ln, url)
        return


# --------------------------------------------------------------------------- agent permissions widened by a script

_AGENT_SETTINGS = rxcache.compile(r"\.claude[/\\'\"`,\s]{1,6}(settings(\.local)?\.json|['\"`])|['\"`]\.claude['\"`]|\.claude\.json|"
                             r"\.gemini[/\\]settings\.json|\.codex[/\\]config\.toml|\.cursor[/\\](cli|settings|mcp)[\w.-]*\.json|"
                             r"\.vscode[/\\]settings\.json|\.mcp\.json|claude_desktop_config\.json|\bsettings\.json\b", re.I)
_WRITES_FILE = rxcache.compile(r"\bwrite(File|FileSync|_text|_bytes)?\s*\(|\bjson\.dump\s*\(|\bFile\.write\b|\bfs\.promises\.writeFile|"
                          r"(?<![<>&\d])\d?>>?\s*['\"]?[\w$~./{}-]*(settings|\.mcp|claude)[\w.-]*\.json|\btee\b|"
                          r"\bSet-Content\b|\bOut-File\b|\bjq\b[^\n]{0,200}>")
# what widens the agent's own permissions when written into its settings
_WIDEN = (
    ("bypassPermissions", rxcache.compile(r"bypassPermissions|dangerously[-_]?skip[-_]?permissions|skipDangerousModePermissionPrompt", re.I)),
    ("Bash(*)", rxcache.compile(r"['\"`](Bash|Shell)(\((\*|\*:\*|\*\*)\))?['\"`]|['\"`]\*['\"`](?=\s*[\],])")),
    ("enableAllProjectMcpServers", rxcache.compile(r"enableAllProjectMcpServers|enabledMcpjsonServers\s*[:=]\s*\[\s*['\"]\*")),
    ("auto-approve", rxcache.compile(r"\b(autoApprove|alwaysAllow|auto_approve|chat\.tools\.autoApprove|autoApproveAll)\b['\"]?\s*[:=]\s*"
                                r"(true|\[\s*['\"]\*)|approval_policy\s*[:=]\s*['\"]never|sandbox_mode\s*[:=]\s*['\"]danger-full-access|"
                                r"\byolo\b['\"]?\s*[:=]\s*true", re.I)),
)
_CHECK_ONLY = rxcache.compile(r"===|!==|==|!=|\.includes\s*\(|\.has\s*\(|\.indexOf\s*\(|\bin\s+\w|console\.\w+\s*\(|\bprint\s*\(|"
                         r"\b(warn|log|logger|assert|expect|if|elif|unless|filter|remove|delete|splice)\b|^\s*(//|#|\*)")
_MCP_URL = rxcache.compile(r"['\"](?:url|serverUrl|endpoint|uri)['\"]?\s*[:=]\s*['\"]((?:https?|wss?)://[^'\"\s]{3,300})|"
                      r"\b(?:url|serverUrl|endpoint)\s*:\s*['\"]((?:https?|wss?)://[^'\"\s]{3,300})", re.I)


def scan_agent_permission_writer(ctx: Ctx, file: str, text: str) -> None:
    """A script that writes the agent's own settings (`~/.claude/settings.json`, `.mcp.json`, Codex / Gemini /
    Cursor / VS Code settings) with values that widen what the agent may do unasked -- `bypassPermissions`,
    `Bash(*)` / `*` in `allow`, `enableAllProjectMcpServers`, auto-approve -- or that adds an MCP server on an
    outside host: medium for one, high for two or more (PE-PERMISSIVE-SETTINGS). Code that reads the settings
    to warn about such values (comparisons, log lines) is not flagged."""
    from skillbank.audit.textscan import first_party, host_of, url_trusted, user_chosen_host
    src = text[:400000]
    if not _AGENT_SETTINGS.search(src) or not _WRITES_FILE.search(src):
        return
    lines = src.split("\n")
    found: list[tuple[str, int, str]] = []
    for i, line in enumerate(lines[:20000]):
        if len(line) > 2000 or _CHECK_ONLY.search(line):
            continue
        for name, rx_ in _WIDEN:
            if rx_.search(line) and not any(n == name for n, _, _ in found):
                if name == "Bash(*)" and not re.search(r"\ballow\b|permissions|allowedTools|allowed_tools|tools", " ".join(
                        lines[max(0, i - 3):i + 1]), re.I):
                    continue
                found.append((name, i + 1, line.strip()))
    if "mcpServers" in src or "mcp_servers" in src or ".mcp.json" in src:
        for m in _MCP_URL.finditer(src):
            url = m.group(1) or m.group(2)
            host = host_of(url)
            if not host or host in ("localhost", "127.0.0.1", "0.0.0.0") or url_trusted(url, ctx.trusted_hosts) or \
                    first_party(url, ctx.identity) or user_chosen_host(url) or \
                    re.search(r"(^|\.)(example\.(com|org|net)|[\w-]+\.(example|invalid|test|local))$", host):
                continue
            ln = src.count("\n", 0, m.start()) + 1
            found.append((f"MCP server at {host}", ln, lines[ln - 1].strip()))
            break
    if not found:
        return
    name, ln, ev = found[0]
    what = ", ".join(n for n, _, _ in found)
    ctx.add("PE-PERMISSIVE-SETTINGS", file, ln, f"script writes the agent's settings: {what}  ({ev[:120]})",
            "high" if len(found) >= 2 else "medium",
            why="The script edits the agent's own configuration so that it runs commands or tools without asking "
                "(bypassPermissions, Bash(*), all project MCP servers, auto-approve) or talks to an outside MCP server.")
    ctx.fact("permissive", file, ln, what)


# --------------------------------------------------------------------------- download-then-evaluate in Ruby / PHP / Lua / Perl

_FETCH = {
    "rb": rxcache.compile(r"\bURI\.open\s*\(|\bURI\s*\(\s*[^)]{1,200}\)\s*\.\s*(open|read)\b|(?<![\w.])open\s*\(\s*['\"]https?://|"
                     r"\bNet::HTTP\.(get|get_response|start)\b|\bHTTParty\.get\b|\bFaraday\.get\b|\bRestClient\.get\b|"
                     r"\bHTTP\.get\b|\bOpen3\.capture\w*\s*\(\s*['\"](curl|wget)\b|`(curl|wget)\s|%x\{?\s*(curl|wget)\b"),
    "php": rxcache.compile(r"\bfile_get_contents\s*\(\s*['\"]?(https?://|\$)|\bcurl_exec\s*\(|\bfopen\s*\(\s*['\"]https?://|"
                      r"\bshell_exec\s*\(\s*['\"](curl|wget)\b|\bwp_remote_get\s*\(|\bGuzzleHttp\b|->get\s*\(\s*['\"]https?://"),
    "lua": rxcache.compile(r"\bhttp\.request\s*\(|\bsocket\.http\b|\bio\.popen\s*\(\s*['\"](curl|wget)\b|\bhttps?\.get\s*\(|"
                      r"\brequests?\.get\s*\(|\bcurl\.easy\b"),
    "pl": rxcache.compile(r"\bLWP::Simple\b|(?<![\w>])get\s*\(\s*['\"$]|\$\w+->get\s*\(|\bHTTP::Tiny\b[^\n]{0,80}->get\b|"
                     r"`(curl|wget)\s|\bqx\s*[{(/]\s*(curl|wget)\b|\bget\s+['\"]https?://"),
}
_EVAL = {
    "rb": rxcache.compile(r"(?<![\w.])(eval|instance_eval|class_eval|module_eval|instance_exec|binding\.eval|TOPLEVEL_BINDING\.eval|"
                     r"RubyVM::InstructionSequence\.compile)\s*\(?\s*([^\n]{0,300})|\.(instance_eval|class_eval|module_eval|eval)\s*"
                     r"\(?\s*([^\n]{0,300})"),
    "php": rxcache.compile(r"(?<![\w>])(eval|assert|create_function)\s*\(\s*([^\n]{0,300})|(?<![\w>])(include|require)(_once)?\s*\(?\s*"
                      r"(['\"](https?|data|php)://[^\n]{0,300})"),
    "lua": rxcache.compile(r"(?<![\w.])(load|loadstring|loadstring|dostring)\s*\(\s*([^\n]{0,300})"),
    "pl": rxcache.compile(r"(?<![\w>$])(eval)\s*(?!\{)\(?\s*([^\n{][^\n]{0,300})"),
}
_LANG_OF = {".rb": "rb", ".rake": "rb", ".gemspec": "rb", ".php": "php", ".phtml": "php", ".lua": "lua", ".pl": "pl", ".pm": "pl",
            ".cgi": "pl"}


def fetch_eval_lang(file: str, text: str) -> str | None:
    lower = file.lower()
    for ext, lang in _LANG_OF.items():
        if lower.endswith(ext):
            return lang
    head = text[:120]
    if head.startswith("#!"):
        for word, lang in (("ruby", "rb"), ("php", "php"), ("lua", "lua"), ("perl", "pl")):
            if word in head.split("\n", 1)[0]:
                return lang
    return None


def scan_fetch_eval(ctx: Ctx, file: str, text: str, lang: str) -> None:
    """Code fetched over the network and evaluated in-process -- Ruby `eval` / `instance_eval` / `class_eval` /
    `binding.eval` of `URI.open(url).read` or `Net::HTTP.get`, PHP `eval(file_get_contents($url))`, Lua
    `load(http.request(url))`, Perl `eval` of an LWP `get` -- is a remote script run like `curl | sh`
    (SC-DOWNLOAD-EXEC high), directly or through a variable holding the download. Evaluating a literal or a
    local file is not flagged here."""
    from skillbank.audit.textscan import first_party, url_trusted
    fetch_rx, eval_rx = _FETCH[lang], _EVAL[lang]
    src = text[:400000]
    if not fetch_rx.search(src):
        return
    lines = src.split("\n")
    fetched: set[str] = set()
    fetch_lines = []
    for i, line in enumerate(lines[:20000]):
        if fetch_rx.search(line) and not re.match(r"\s*(#|//|--)", line):
            fetch_lines.append(i)
            m = re.match(r"\s*(?:local\s+|my\s+|our\s+)?([$@]{0,2}[A-Za-z_]\w{0,40})\s*(?:=|\|\|=)(?!=)", line)
            if m:
                fetched.add(m.group(1))
    if not fetch_lines:
        return
    # a variable derived from a fetched one (`code = resp.body`, `$code = $res->decoded_content`)
    for line in lines[:20000]:
        m = re.match(r"\s*(?:local\s+|my\s+|our\s+)?([$@]{0,2}[A-Za-z_]\w{0,40})\s*=(?!=)\s*([^\n]{1,300})", line)
        if m and any(re.search(r"(?<![\w$@])" + re.escape(v) + r"\b", m.group(2)) for v in fetched):
            fetched.add(m.group(1))
    for i, line in enumerate(lines[:20000]):
        if re.match(r"\s*(#|//|--)", line):
            continue
        for m in eval_rx.finditer(line):
            arg = next((g for g in reversed(m.groups()) if g), "")
            direct = fetch_rx.search(arg)
            via = next((v for v in fetched if re.search(r"(?<![\w$@])" + re.escape(v) + r"\b", arg)), None)
            if not (direct or via) or re.match(r"\s*['\"][^'\"$#{]*['\"]\s*\)?\s*$", arg):
                continue
            urls = re.findall(r"https?://[^\s'\"`)]+", src)
            if urls and all(url_trusted(u, ctx.trusted_hosts) or first_party(u, ctx.identity) for u in urls):
                sev = "medium"
            else:
                sev = "high"
            ctx.add("SC-DOWNLOAD-EXEC", file, i + 1, f"{line.strip()[:160]}  (evaluates code fetched over the network"
                    + (f": {via} from line {fetch_lines[0] + 1}" if via else "") + ")", sev,
                    why="The script downloads code and evaluates it in-process: whoever controls the URL runs code on the "
                        "user's machine, and what runs can change after review.")
            ctx.fact("remote_exec", file, i + 1, line.strip())
            return


# --------------------------------------------------------------------------- registries and code hosts redirected

_RESOLVER_FILE = rxcache.compile(r"/etc/hosts\b|drivers[/\\]{1,2}etc[/\\]{1,2}hosts\b|/etc/resolv\.conf\b|\bdnsmasq\b|"
                            r"address=/|/etc/systemd/resolved\.conf|\bhostAliases\b|--add-host\b|extra_hosts\b", re.I)
_WELL_KNOWN = (r"(registry\.npmjs\.org|registry\.yarnpkg\.com|(?:www\.)?npmjs\.(?:com|org)|pypi\.org|pypi\.python\.org|"
               r"files\.pythonhosted\.org|upload\.pypi\.org|(?:api\.|codeload\.|objects\.|raw\.)?github(?:usercontent)?\.com|"
               r"gitlab\.com|bitbucket\.org|rubygems\.org|index\.rubygems\.org|crates\.io|static\.crates\.io|index\.crates\.io|"
               r"proxy\.golang\.org|sum\.golang\.org|repo1?\.maven\.org|repo\.maven\.apache\.org|plugins\.gradle\.org|"
               r"api\.nuget\.org|packagist\.org|registry-1\.docker\.io|(?:auth\.|index\.)?docker\.io|ghcr\.io|quay\.io|"
               r"deb\.debian\.org|security\.debian\.org|(?:archive|security)\.ubuntu\.com|dl\.google\.com|"
               r"objects\.githubusercontent\.com|registry\.terraform\.io|releases\.hashicorp\.com|conda\.anaconda\.org|"
               r"repo\.anaconda\.com|cdn\.jsdelivr\.net|unpkg\.com|deno\.land|jsr\.io|hex\.pm|pub\.dev|cocoapods\.org)")
_IP = r"((?:\d{1,3}\.){3}\d{1,3})"
_HOST_MAP = rxcache.compile(_IP + r"[\s'\",:=>)\]}/-]{1,20}(?:[\w.-]{1,80}[\s,'\"]{1,6}){0,4}?" + _WELL_KNOWN + r"\b|" +
                       r"\b" + _WELL_KNOWN + r"['\"]?\s*[:=,]\s*\(?['\"]?" + _IP + r"\b|"
                       r"address=/" + _WELL_KNOWN + r"/" + _IP, re.I)


def _ip_public(ip: str) -> bool:
    try:
        a, b, _c, _d = (int(x) for x in ip.split("."))
    except ValueError:
        return False
    return not (a in (0, 10, 127) or a >= 224 or (a == 192 and b == 168) or (a == 172 and 16 <= b <= 31) or
                (a == 169 and b == 254) or (a == 100 and 64 <= b <= 127))


def scan_resolver_redirect(ctx: Ctx, file: str, text: str, prose: bool = False) -> None:
    """A file that writes name resolution (/etc/hosts, the Windows hosts file, resolv.conf, dnsmasq, a pod's
    hostAliases, `--add-host`) and maps a package registry or code host (npm, PyPI, GitHub, RubyGems, crates.io,
    Docker Hub, …) to a public raw IP: every later install or clone fetches from the author's machine
    (supply-chain tampering, PE-SYSTEM-TAMPER high). Private and loopback addresses (a local mirror) are low."""
    src = text[:400000]
    if not _RESOLVER_FILE.search(src):
        return
    for m in _HOST_MAP.finditer(src):
        ip = next(g for g in m.groups() if g and re.fullmatch(_IP, g))
        host = next(g for g in m.groups() if g and not re.fullmatch(_IP, g))
        if ip.startswith("0.") or ip == "0.0.0.0":
            continue  # a block entry (0.0.0.0 host) sends nothing anywhere
        ln = src.count("\n", 0, m.start()) + 1
        lines = src.split("\n")
        line = lines[ln - 1].strip()
        if prose and _NOT_ACT.search(" ".join(lines[max(0, ln - 3):ln])):
            continue  # quoted as an indicator or a warning in a document
        sev = "high" if _ip_public(ip) else "low"
        ctx.add("PE-SYSTEM-TAMPER", file, ln, f"{line[:160]}  (maps {host} to {ip} in name resolution)", sev,
                why="Pointing a package registry or code host at a fixed address in /etc/hosts or the resolver makes every "
                    "later install, clone or image pull fetch from that machine: whoever runs it serves the user's code.")
        if sev == "high":
            ctx.fact("supply", file, ln, line)
            ctx.fact("tamper", file, ln, line)
        return


_HOSTS_WRITE = rxcache.compile(r"(>>?|\btee\s+(-a\s+)?)\s*/etc/hosts\b")
_NOT_ACT = rxcache.compile(r"\b(attackers?|malicious|malware|compromis\w*|iocs?|indicators?|detect\w*|suspicious|red\s+flags?|"
                      r"example|never|do\s+not|don'?t)\b", re.I)


def local_hosts_entries(ctx: Ctx) -> None:
    """`echo "127.0.0.1 myapp.local" | sudo tee -a /etc/hosts`: a local development name mapped to this machine
    or the private network changes nothing anyone else controls -- low, unless the skill hides what it does or
    the entry names a registry or code host."""
    if any(ctx.facts.get(k) for k in ("conceal", "override", "hidden", "revshell")):
        return
    for key, f in list(ctx.findings.items()):
        if f.rule_id != "PE-SYSTEM-TAMPER" or severity_rank(f.severity) < 2 or not _HOSTS_WRITE.search(f.evidence):
            continue
        ev = re.sub(r"\[after variable expansion\]\s*", "", f.evidence)
        ips = re.findall(_IP, ev)
        names = [n for n in re.findall(r"(?<![\w./-])((?:[a-z0-9-]{1,63}\.)+[a-z]{2,24})(?![\w-])", ev.lower())
                 if not re.fullmatch(r"[\d.]+", n) and n not in ("etc.hosts",)]
        if not ips or any(_ip_public(ip) for ip in ips) or re.search(_WELL_KNOWN, ev, re.I) or \
                re.search(r"\$\(|`|\bcurl\b|\bwget\b|base64", ev):
            continue
        if names and not all(re.search(r"\.(local|localhost|test|internal|lan|home\.arpa|localdomain|dev\.local|docker)$", n) or
                             n.count(".") == 0 for n in names):
            continue
        ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + "  (a local name for this machine or "
                                                                                      "the private network)")
