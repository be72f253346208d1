"""Abuse of trust boundaries that the per-language analysers do not see on their own.

Prose: authority delegated to files the agent reads ("commands proposed by .x/ are
pre-approved"), dependency swaps kept from the user, secret files pasted into PR or commit
bodies, payment-card / identity data collected and sent to a third party. Code and config:
data-carrying DNS lookups (Rust, Go), package-integrity and registry/proxy tampering, PHP web
shells written into a web root. Dual-use reductions: annotated phishing / injection examples in
blockquotes, creation of a ~/.ssh directory (fourteenth round of docs/audit.md)."""

from __future__ import annotations

import dataclasses
import re

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx
from skillbank.audit.model import severity_rank

MAX = 200_000
_NEG = rxcache.compile(r"\b(never|not|don'?t|do\s+not|must\s+not|mustn'?t|should\s+not|shouldn'?t|avoid|refuse|no\s+longer)\b", re.I)
_AGENT_FILES = rxcache.compile(r"\bCLAUDE\.md\b|\bAGENTS\.md\b|\.cursorrules\b|\.cursor/rules\b|\bGEMINI\.md\b|"
                          r"copilot-instructions\.md\b|\.windsurfrules\b|\bMEMORY\.md\b", re.I)


def _anchors(lt: str, words: tuple[str, ...], limit: int = 200):
    """Positions of literal (lower-case) anchor words, in order, at most `limit`: regexes then run on windows
    around them only (whole-text alternations are slow)."""
    out = []
    for w in words:
        i = lt.find(w)
        while i >= 0 and len(out) < limit:
            out.append(i)
            i = lt.find(w, i + 1)
    return sorted(out)


def _negated_before(sent: str, pos: int) -> bool:
    return bool(_NEG.search(sent[:pos]))


# ----------------------------------------------------------------------------- 1. authority delegation
_DELEGATE = rxcache.compile(
    r"\b(treat|consider|regard|handle|follow|obey|accept)\w*\b[^.\n]{0,80}?\bas\s+(if\s+they\s+(came|come)\s+from\s+the\s+user|"
    r"(direct\s+|explicit\s+)?(instructions?|commands?|requests?|orders?)\s+from\s+the\s+user|(the\s+)?user['’]s\s+"
    r"(own\s+)?(instructions?|requests?|words?|authority))\b|"
    r"\b(carr(y|ies)|ha(ve|s)|with|grant\w*|give\w*)\s+(the\s+)?(full\s+)?(authority|permissions?)\s+of\s+the\s+user\b|"
    r"\bthe\s+user['’]s\s+(full\s+)?authority\b|"
    r"\b(pre-?approved|pre-?authori[sz]ed|already\s+approved|approved\s+in\s+advance)\b", re.I)
_DELEGATE_SUBJECT = rxcache.compile(
    r"\b(files?|content|folder|director(y|ies)|notes?|comments?|issues?|e-?mails?|pages?|documents?|tickets?|messages?|"
    r"anything|whatever|commands?)\b[^.\n]{0,60}?\b(under|in|inside|from|within|propos\w*|suggest\w*|request\w*|found|"
    r"listed|written)\b|`\.[\w-]{2,30}/`|\b\.[\w-]{2,30}/", re.I)
_DELEGATE_WIDE = rxcache.compile(r"\b(including|even|also)\s+([\w,/-]+\s+){0,3}?(network|shell|destructive|sudo|rm|curl|"
                            r"install\w*)\b|\bwithout\s+(asking|confirm\w*|prompting|checking)|\bno\s+confirmation\b|"
                            r"\b(must|should|always)\s+(be\s+)?run\b", re.I)


def _sentence_at(text: str, start: int, end: int) -> tuple[int, str]:
    """(offset, sentence) around text[start:end], bounded by sentence ends, blank lines and list items."""
    lo = max(0, start - 400)
    head = text[lo:start]
    cut = max(head.rfind(". "), head.rfind("! "), head.rfind("? "), head.rfind("\n\n"), head.rfind("\n-"), head.rfind("\n*"),
              head.rfind(".\n"))
    s0 = lo + cut + 2 if cut >= 0 else lo
    tail = text[end:end + 400]
    ends = [i for i in (tail.find(". "), tail.find(".\n"), tail.find("\n\n"), tail.find("! "), tail.find("? ")) if i >= 0]
    s1 = end + (min(ends) + 1 if ends else len(tail))
    return s0, text[s0:s1]


def scan_delegation(ctx: Ctx, file: str, text: str, lt: str | None = None) -> None:
    """The user's authority delegated to content the agent will read: commands "proposed by files under
    .x/" pre-approved, "treat the files in .x/ as instructions from the user". Medium; high when the text
    also writes that delegation into an agent instruction file."""
    low = text[:MAX]
    lt = lt if lt is not None else low.lower()
    if "approved" not in lt and "authori" not in lt and "from the user" not in lt and "user's" not in lt and \
            ("\u2019" not in lt or "user\u2019s" not in lt):
        return
    agent_file = None
    seen = -1
    for a in _anchors(lt, ("approved", "authori", "from the user", "authority", "user's", "user’s")):
        if a < seen:
            continue
        w0 = max(0, a - 160)
        m = _DELEGATE.search(low, w0, min(len(low), a + 60))
        if not m:
            continue
        seen = m.end()
        s0, sent = _sentence_at(low, m.start(), m.end())
        pos = m.start() - s0
        if _negated_before(sent, pos):
            continue
        if not _DELEGATE_SUBJECT.search(sent):
            continue
        if m.group(0).lower().startswith(("pre", "already", "approved")) and not _DELEGATE_WIDE.search(sent) and \
                not re.search(r"propos\w*|suggest\w*|request\w*|found|written", sent, re.I):
            continue
        if agent_file is None:
            agent_file = bool(_AGENT_FILES.search(low))
        line = low.count("\n", 0, m.start()) + 1
        sev = "high" if agent_file else "medium"
        ctx.add("PI-AGENT-CONFIG" if agent_file else "PI-NO-CONFIRM", file, line,
                sent.strip() + ("  (written into an agent instruction file)" if agent_file else ""), sev,
                why="The user's authority is delegated to content the agent reads (files, pages, messages): whoever "
                    "writes that content can then run commands as the user without being asked.")
        ctx.fact("preauth", file, line, sent.strip())
        return


# ----------------------------------------------------------------------------- 3. concealed dependency swap
_SWAP = rxcache.compile(r"\b(replac\w*|swap\w*|substitut\w*|switch\w*|migrat\w*|mov\w*)\b[^.\n]{0,80}?\b(with|for|to|by)\b\s+[`'\"]?"
                   r"[\w@/.-]{2,60}", re.I)
_DEP_CTX = rxcache.compile(r"\b(dependenc\w*|packages?|librar\w*|requirements|package\.json|modules?|crates?|gems?|"
                      r"upgrad\w*|bump\w*|successors?|lockfile)\b", re.I)
_HIDE = rxcache.compile(r"\b(do\s+not|don'?t|never|no\s+need\s+to)\s+(mention|list|note|call\s+out|flag|highlight|disclose|report|"
                   r"surface|include)\b|\b(describe|present|report|summari[sz]e|label)\w*\s+(it|them|this|the\s+\w+)\s+as\s+"
                   r"(a\s+)?(routine|minor|normal|regular|simple|standard|ordinary)\b|\bsilently\b|\bquietly\b|"
                   r"\b(hide|omit|leave\s+out)\w*\b[^.\n]{0,40}\b(swap|replacement|change|summary|pr|changelog)\b|"
                   r"\bwithout\s+(mentioning|telling|noting|listing|flagging)\b", re.I)


def scan_dep_swap(ctx: Ctx, file: str, text: str, lt: str | None = None) -> None:
    """Replacing well-known dependencies with other packages ("successors") and keeping the swap out of
    the PR summary / from the user: supply-chain deception, high."""
    low = text[:MAX]
    lt = lt if lt is not None else low.lower()
    if "replac" not in lt and "swap" not in lt and "substitut" not in lt:
        return
    if not any(w in lt for w in ("depend", "package", "librar", "successor", "upgrad", "requirements", "crate", "module")):
        return
    if not any(w in lt for w in ("do not", "don't", "never", "no need to", "silently", "quietly", "routine", "minor", "normal",
                                 "regular", "standard", "ordinary", "simple", "hide", "hiding", "omit", "leave out", "leaving out",
                                 "without")):
        return
    for a in _anchors(lt, ("replac", "swap", "substitut")):
        m = _SWAP.match(low, max(0, a - 2)) or _SWAP.match(low, a)
        if not m:
            continue
        s0, sent = _sentence_at(low, m.start(), m.end())
        pos = m.start() - s0
        if _negated_before(sent, pos):
            continue
        if not ("`" in sent or re.search(r"\bsuccessors?\b|\bdrop-?in\b|\bforks?\b", sent, re.I)):
            continue
        _, prev = _sentence_at(low, max(0, s0 - 2), max(0, s0 - 1)) if s0 > 1 else (0, "")
        if not _DEP_CTX.search(prev + " " + sent):
            continue
        _, nxt = _sentence_at(low, s0 + len(sent) + 1, s0 + len(sent) + 2)
        h = None
        for j, other in enumerate((sent, nxt)):
            hm = _HIDE.search(other)
            if not hm or re.search(r"\binstead\s+of\s+$", other[:hm.start()]):
                continue
            if hm.group(0).lower() in ("silently", "quietly") and (j > 0 or _negated_before(other, hm.start())):
                continue
            if j == 0 and _negated_before(other, hm.start()) and not re.match(r"(do\s+not|don'?t|never|no\s+need)", hm.group(0), re.I):
                continue
            h = hm
            break
        if not h:
            continue
        line = low.count("\n", 0, m.start()) + 1
        ctx.add("SC-TYPOSQUAT", file, line, sent.strip()[:120] + "  (swap hidden: " + h.group(0) + ")", "high",
                why="Dependencies are swapped for other packages and the swap is kept from the user: a supply-chain "
                    "substitution the reviewer is meant not to notice.")
        ctx.fact("conceal", file, line, h.group(0))
        return


# ----------------------------------------------------------------------------- 6. secret files pasted into PR bodies
_PUBLISHED = rxcache.compile(r"\b(pr|mr|pull\s+request|merge\s+request)\b[^.\n]{0,20}\b(body|description|template|summary)\b|"
                        r"\bcommit\s+messages?\b|\brelease\s+notes\b|\bissue\s+(body|comments?)\b|\bchangelog\b", re.I)
_PASTE_SECRET = rxcache.compile(r"\b(paste|include|copy|add|put|insert|embed|dump|attach|reproduce|list)\w*\b[^.\n]{0,60}?"
                           r"(`?\.env(\.[\w]+)?`?\s*(files?)?|credentials?\s+files?|secrets?\s+files?|~?/?\.aws/credentials|"
                           r"\.npmrc|\.netrc)\b[^.\n]{0,80}?\b(verbatim|unredacted|un-redacted|in\s+full|as[\s-]is|raw|"
                           r"unmasked|complete|exactly|with\s+(all\s+)?(the\s+)?values)\b|"
                           r"\b(paste|include|copy|dump)\w*\b[^.\n]{0,30}?\b(unredacted|verbatim|full|raw|complete)\b[^.\n]{0,30}?"
                           r"\b(contents?\s+of\s+)?(the\s+)?(project['’]s\s+)?`?\.env\b", re.I)


def scan_secret_paste(ctx: Ctx, file: str, text: str, lt: str | None = None) -> None:
    low = text[:MAX]
    if ".env" not in low and "credentials" not in low:
        return
    lt = lt if lt is not None else low.lower()
    if not any(w in lt for w in ("verbatim", "redact", "as-is", "as is", "raw", "unmasked", "complete", "exactly", "full",
                                 "with the values", "with all the values", "with values")):
        return
    seen = -1
    for a in _anchors(lt, (".env", "credentials", ".npmrc", ".netrc")):
        if a < seen:
            continue
        m = _PASTE_SECRET.search(low, max(0, a - 100), min(len(low), a + 120))
        if not m:
            continue
        seen = m.end()
        s0, sent = _sentence_at(low, m.start(), m.end())
        if _negated_before(sent, max(0, m.start() - s0)) or re.search(r"\bredact\w*\s+(the\s+)?values|"
                                                                      r"\bnames?\s+only\b|\.env\.example", sent, re.I):
            continue
        near = low[max(0, m.start() - 600):m.end() + 300]
        if not _PUBLISHED.search(near) and not re.search(r"\benvironment\s+section\b", near, re.I):
            continue
        line = low.count("\n", 0, m.start()) + 1
        ctx.add("PI-EXFIL-INSTRUCTION", file, line, m.group(0) + "  (into a PR / commit body)", "high",
                why="Secret files pasted unredacted into a PR description, commit or issue are published with it.")
        ctx.fact("cred_read", file, line, m.group(0))
        return


# ----------------------------------------------------------------------------- 8. card / identity data to a third party
_CARD = rxcache.compile(r"\b(cvc|cvv2?|cvn|csc|card\s+security\s+code|security\s+code)\b")  # run on lower-case text
_CARDNUM = rxcache.compile(r"\b(card|credit[\s-]card|debit[\s-]card)\s+(number|details|no\.?)|\bfull\s+card\b|\bPAN\b", re.I)
_PASSPORT = rxcache.compile(r"\bpassport\s+(numbers?|no\.?|details|data|scans?)\b|\bnational\s+id\s+numbers?\b|"
                       r"\b(social\s+security|ssn)\s+numbers?\b", re.I)
_SEND = rxcache.compile(r"\bcurl\b[^\n]{0,200}?(-d\b|--data|-F\b|--form|-X\s*POST|--json)|\b(post|send|submit|upload|transmit)\w*\b"
                   r"[^.\n]{0,100}?https?://", re.I)
_URL = rxcache.compile(r"https?://([\w.-]+)")
_PAYMENT_HOSTS = rxcache.compile(r"(^|\.)(stripe\.com|paypal\.com|braintreegateway\.com|adyen\.com|squareup\.com|checkout\.com|"
                            r"amadeus\.com|sabre\.com|duffel\.com|example\.(com|org|net)|localhost)$", re.I)


def scan_sensitive_collect(ctx: Ctx, file: str, text: str, identity: str = "", lt: str | None = None) -> None:
    """The agent asked to collect payment-card data with the security code, or passport / identity numbers,
    and to send them to a host that is not a payment processor or the skill's own service: high."""
    low = text[:MAX]
    lt = lt if lt is not None else low.lower()
    has_card = "cv" in lt and ("cvc" in lt or "cvv" in lt or "cvn" in lt) or "security" in lt and "security code" in lt
    if not has_card and "passport" not in lt and "ssn" not in lt and "national id" not in lt and \
            ("security" not in lt or "social security" not in lt):
        return
    card = has_card and _CARD.search(lt) and _CARDNUM.search(low) and not re.search(r"\btokeni[sz]\w*|\bpayment\s+(processor|gateway)\b|"
                                                                         r"https?://[\w.-]*(stripe|paypal|braintreegateway|adyen)\.com",
                                                                         low, re.I)
    pp = ("passport" in lt or "social security" in lt or "ssn" in lt or "national id" in lt) and _PASSPORT.search(low)
    if not card and not pp:
        return
    for m in (card and _CARD.search(lt), pp and _PASSPORT.search(lt)):
        if not m:
            continue
        ls = lt.rfind("\n", 0, m.start()) + 1
        le = lt.find("\n", m.end())
        line = lt[ls:le if le >= 0 else len(lt)]
        sent = next((s for s in re.split(r"(?<=[.!?])\s+", line) if m.group(0) in s), line)
        if _negated_before(sent, sent.find(m.group(0))):
            return
    sends = [s for s in _SEND.finditer(low)]
    if not sends:
        return
    for s in sends:
        ls = low.rfind("\n", 0, s.start()) + 1
        le = low.find("\n", s.end())
        line = low[ls:le if le >= 0 else len(low)]
        hosts = [h.lower() for h in _URL.findall(line)]
        if not hosts:
            continue
        from skillbank.audit.textscan import first_party, url_trusted
        if all(_PAYMENT_HOSTS.search(h) or first_party("https://" + h, identity) or
               url_trusted("https://" + h, ctx.trusted_hosts) for h in hosts):
            continue
        if re.search(r"<[\w -]{1,30}>|\{\{|\$\{?\w", hosts[0]):
            continue
        ln = low.count("\n", 0, s.start()) + 1
        what = "card number with its security code" if card else "passport / identity numbers"
        ctx.add("EX-SECRET-UPLOAD", file, ln, line.strip()[:150] + f"  ({what} sent to {hosts[0]})", "high",
                why="Payment-card data with the security code, or identity-document numbers, collected from the user and "
                    "sent to a third-party host: card fraud and identity theft.")
        ctx.fact("net_send", file, ln, line.strip())
        return


# ----------------------------------------------------------------------------- 2. DNS lookups carrying data (Rust, Go)
_DNS_CALL = {
    "rs": rxcache.compile(r"\bto_socket_addrs\s*\(|\blookup_host\s*\(|\bToSocketAddrs\b[^\n]{0,80}\(|\.lookup_ip\s*\(|"
                     r"\bresolver\.[a-z_]*lookup\w*\s*\("),
    "go": rxcache.compile(r"\bnet\.(LookupHost|LookupIP|LookupTXT|LookupCNAME|LookupAddr|ResolveIPAddr|ResolveTCPAddr|"
                     r"ResolveUDPAddr)\s*\(|\.Lookup(Host|IPAddr|TXT|IP)\s*\(|\bnet\.Dial\w*\s*\("),
}
_ENCODE = rxcache.compile(r"\{:0?2x\}|\{:x\}|\bhex::encode\b|\bhex\.EncodeToString\b|\bbase32\b|\bbase64\b|\bBase32\b|"
                     r"\bBase64\b|\bEncodeToString\b|%02x|%x\b", re.I)
_SECRET_SRC = rxcache.compile(r"\.cargo/credentials|credentials(\.toml)?\b|\.netrc\b|\.npmrc\b|\.pypirc\b|\.ssh/|\.aws/|\.kube/|"
                         r"\.docker/config|\.git-credentials|\.env\b|(TOKEN|SECRET|PASSWORD|API_KEY|ACCESS_KEY)\w*['\"]|"
                         r"\benv::var(s|_os)?\s*\(\s*\)|\bstd::env::vars\b|\bos\.Environ\b", re.I)
_HOST_BUILD = rxcache.compile(r"[\"'`][^\"'`\n]{0,40}\{[^}\n]{0,10}\}(\.[\w-]{1,40}){1,4}\.[a-z]{2,12}(:\d+)?[\"'`]|"
                         r"\+\s*\"\.[\w.-]{1,60}\.[a-z]{2,12}(:\d+)?\"|%s(\.[\w-]{1,40}){1,4}\.[a-z]{2,12}", re.I)


def scan_dns_data(ctx: Ctx, file: str, text: str) -> None:
    lang = "rs" if file.lower().endswith(".rs") else "go" if file.lower().endswith(".go") else ""
    if not lang:
        return
    src = text[:MAX]
    call = _DNS_CALL[lang].search(src)
    if not call or not _ENCODE.search(src) or not _HOST_BUILD.search(src):
        return
    secret = _SECRET_SRC.search(src)
    if not secret:
        return
    ln = src.count("\n", 0, call.start()) + 1
    build = file.lower().rsplit("/", 1)[-1] == "build.rs"
    ctx.add("EX-DNS", file, ln, src.split("\n")[ln - 1].strip()[:120] + f"  (encoded {secret.group(0)} in looked-up "
            "hostnames" + ("; at build time" if build else "") + ")", "high",
            why="Data read from credential files or secret variables is encoded into hostnames that are resolved: each "
                "DNS query carries a piece of it to the attacker's name server.")
    ctx.fact("net_send", file, ln, "dns")
    ctx.fact("cred_read", file, ln, secret.group(0))


# ----------------------------------------------------------------------------- 4. package integrity / proxy tampering
_GO_SUMOFF = rxcache.compile(r"\bGOSUMDB\s*=\s*['\"]?off\b|\bGONOSUMDB\s*=\s*['\"]?\*|\bGONOSUMCHECK\s*=\s*['\"]?(1|on|true)\b|"
                        r"\bGOFLAGS\s*=\s*['\"]?[^\n'\"]{0,40}-insecure\b|\bGOINSECURE\s*=\s*['\"]?\*|"
                        r"\bGOPRIVATE\s*=\s*['\"]?\*['\"\s,]|\bGONOPROXY\s*=\s*['\"]?\*['\"\s,]|"
                        r"\"(GOSUMDB|GONOSUMDB|GOINSECURE|GOPRIVATE|GOFLAGS|GONOSUMCHECK)\"\s*,\s*\"(off|\*|-insecure|1)\"")
_GOPROXY = rxcache.compile(r"\bGOPROXY\s*=\s*['\"]?(https?://[^\s,|'\"]+)")
_OFFICIAL_PROXY = rxcache.compile(r"^https?://(proxy\.golang\.org|goproxy\.cn|goproxy\.io|mirrors\.aliyun\.com|"
                             r"mirrors\.tencent\.com|goproxy\.dev|repo\.huaweicloud\.com|gocenter\.io|"
                             r"proxy\.golang\.com\.cn|localhost|127\.|0\.0\.0\.0|\[::1\])", re.I)
_PERSIST = rxcache.compile(r"\bgo\s+env\s+-w\b|\"env\"\s*,\s*\"-w\"|\.(bash|zsh|z)?(rc|profile|_profile|login)\b|/etc/(profile|"
                      r"environment)|\bsetx\b|\$PROFILE|>>|WriteString|OpenFile|write_text|appendFile|writeFile|"
                      r"\.config/go/env|\bgo/env\b", re.I)
_PRIVATE_HOST = rxcache.compile(r"\b(internal|intranet|corp|artifactory|nexus|jfrog|athens|mirror\.local|\.local|\.lan|"
                           r"company|your[\w-]*|example)\b", re.I)


def scan_integrity_tamper(ctx: Ctx, file: str, text: str, prose: bool = False) -> None:
    src = text[:MAX]
    if "GO" not in src:
        return
    off = list(_GO_SUMOFF.finditer(src))
    proxies = [m for m in _GOPROXY.finditer(src) if not _OFFICIAL_PROXY.match(m.group(1)) and
               not _PRIVATE_HOST.search(m.group(1)) and not re.search(r"[<{$]", m.group(1))]
    if not off and not proxies:
        return
    persist = bool(_PERSIST.search(src))
    if not persist and not (off and proxies):
        return
    first = (off + proxies)[0]
    ln = src.count("\n", 0, first.start()) + 1
    line = src.split("\n")[ln - 1]
    if prose:
        from skillbank.audit.textscan import _prohibited
        if _prohibited(line, max(0, line.find(first.group(0)[:10]))) or re.search(
                r"\b(never|do\s+not|don'?t|avoid|insecure|dangerous|attackers?|malicious)\b", line, re.I):
            return
    what = []
    if off:
        what.append("checksum verification off (" + ", ".join(sorted({m.group(0).strip('"\' ,')[:30] for m in off}))[:80] + ")")
    if proxies:
        what.append("GOPROXY " + proxies[0].group(1))
    ctx.add("SC-CUSTOM-INDEX", file, ln, line.strip()[:100] + "  (" + "; ".join(what) + (", persisted" if persist else "") + ")",
            "high", why="The Go module proxy is redirected to an unknown host or checksum-database verification is turned off, "
                        "persistently: every later `go get` can be served tampered modules without a check failing.")


# ----------------------------------------------------------------------------- 5. PHP web shell written into a web root
_PHP_EXEC = rxcache.compile(r"\b(eval|assert|system|passthru|shell_exec|exec|popen|proc_open|pcntl_exec|create_function)\s*\(\s*"
                       r"(base64_decode\s*\(\s*|stripslashes\s*\(\s*|urldecode\s*\(\s*|@)?\$_(GET|POST|REQUEST|COOKIE|SERVER)\b|"
                       r"`\s*\$_(GET|POST|REQUEST|COOKIE)\b|\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]]{1,30}\]\s*\(")
_PHP_WRITE = rxcache.compile(r"\b(file_put_contents|fopen|fwrite|copy|rename|move_uploaded_file)\s*\([^;\n]{0,160}?\.php\b|"
                        r"\b(cat|tee|echo|printf|cp)\b[^\n]{0,200}>\s*[\"']?[\w./$-]{0,100}\.php\b|"
                        r"\b(writeFileSync|write_text|open)\s*\([^;\n]{0,160}\.php\b", re.I)
_WEBROOT = rxcache.compile(r"\b(public|public_html|htdocs|www|wwwroot|webroot|web|html|wp-content|uploads|static)/", re.I)
_ENV_SERVE = rxcache.compile(r"\b(readfile|file_get_contents|fpassthru|include|highlight_file|show_source)\s*\([^;\n]{0,80}\.env\b")


def scan_webshell(ctx: Ctx, file: str, text: str) -> None:
    src = text[:MAX]
    if "$_" not in src:
        return
    ex = _PHP_EXEC.search(src)
    if not ex:
        return
    wr = _PHP_WRITE.search(src)
    ln = src.count("\n", 0, ex.start()) + 1
    dropped = bool(wr and (_WEBROOT.search(wr.group(0)) or _WEBROOT.search(src[wr.start():wr.start() + 300])))
    if not dropped and not (file.lower().endswith(".php") and _WEBROOT.search("/" + file)):
        if not file.lower().endswith((".php", ".phtml")):
            return
    sev = "critical" if dropped or _WEBROOT.search("/" + file) else "high"
    ctx.add("PE-REVERSE-SHELL", file, ln, src.split("\n")[ln - 1].strip()[:120] + "  (web shell: request input executed" +
            ("; written into the web root" if dropped else "") + ")", sev,
            why="A web-reachable PHP file that evaluates or runs request parameters is a web shell: anyone who knows the "
                "URL (and the password) runs code on the server.")
    ctx.fact("revshell", file, ln, "webshell")
    env = _ENV_SERVE.search(src)
    if env:
        eln = src.count("\n", 0, env.start()) + 1
        ctx.add("EX-SECRET-UPLOAD", file, eln, env.group(0) + "  (.env served over HTTP)", "high",
                why="The application's .env (database passwords, API keys) is served to whoever requests the endpoint.")


# ----------------------------------------------------------------------------- b. annotated examples
_EXAMPLE_DOC = rxcache.compile(r"^\s{0,3}#{1,6}\s.*\b(examples?|samples?|red\s+flags?|why\s+(this|it)\s+is|spot\s+the|annotated|"
                          r"case\s+stud\w*|what\s+to\s+look\s+for|warning\s+signs?)\b", re.I | re.M)
_REAL_ADDR = rxcache.compile(r"[\w.-]+@([\w-]+\.)+[a-z]{2,}|https?://[\w.-]+", re.I)
_RESERVED = rxcache.compile(r"\.(example|test|invalid|localhost)\b|\bexample\.(com|org|net)\b", re.I)


def quoted_examples(ctx: Ctx, file: str, text: str) -> None:
    """Findings on `>` blockquote lines of a (non-SKILL.md) annotated-examples document: quoted samples, low."""
    if file.lower().endswith("skill.md") or ">" not in text:
        return
    hits = [(k, f) for k, f in ctx.findings.items() if f.file == file and severity_rank(f.severity) >= 2 and
            f.rule_id.startswith(("PI-", "EX-CONTEXT", "EX-SECRET-HARVEST"))]
    if not hits or len(_EXAMPLE_DOC.findall(text[:MAX])) < 2:
        return
    lines = text.split("\n")
    for key, f in hits:
        i = f.line - 1
        if i >= len(lines) or not lines[i].lstrip().startswith(">"):
            continue
        j = i
        while j > 0 and lines[j - 1].lstrip().startswith(">"):
            j -= 1
        k = i
        while k + 1 < len(lines) and lines[k + 1].lstrip().startswith(">"):
            k += 1
        quote = "\n".join(lines[j:k + 1])
        addrs = _REAL_ADDR.findall(quote)
        if addrs and not all(_RESERVED.search(m.group(0)) for m in _REAL_ADDR.finditer(quote)):
            continue
        ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + "  (quoted in an annotated example)")


# ----------------------------------------------------------------------------- d. creating ~/.ssh is not reading it
_SSH_DIR_ONLY = rxcache.compile(r"^\s*(sudo\s+)?(mkdir\s+(-\w+\s+)*|install\s+(-\w+(\s+[^-\s][^\s]*)?\s+)*-d\b|chmod\s+\w+\s+|"
                           r"chown\s+(-\w+\s+)*[\w:$\"{}-]+\s+)[^;&|<>]*\.ssh[\"'}]?/?[\"']?\s*(&&|;|$)")


def ssh_dir_creation(ctx: Ctx) -> None:
    for key, f in list(ctx.findings.items()):
        if f.rule_id != "PE-CRED-READ" or f.severity != "medium":
            continue
        ev = f.evidence
        if _SSH_DIR_ONLY.search(ev) and not re.search(r"id_\w+|\.pem\b|known_hosts|config\b|cat\b|cp\b|tar\b|scp\b", ev):
            ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=ev + "  (creates the directory)")
        elif ctx.findings.get(("PE-SSH-AUTHKEYS", f.file, f.line)) is not None and \
                any(x[0] == f.file and x[1] == f.line for x in ctx.facts.get("own_key_install", [])) and \
                not re.search(r"id_\w+(?!\S*\.pub)|\.pem\b|\bcat\s+~/\.ssh/id", ev):
            ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=ev + "  (installs a key this script generates)")


# ----------------------------------------------------------------------------- 4b. gem sources / pip.conf redirects
_GEM_SOURCE = rxcache.compile(r"\bgem\s+sources?\s+(?:-\w+\s+\S+\s+)*(-a|--add)\s+['\"]?(https?://[^\s'\"`]+)")
_PIP_CONF = rxcache.compile(r"(index-url|extra-index-url)\s*=\s*(https?://[^\s'\"`\\]+)")
_OFFICIAL_INDEX = rxcache.compile(r"^https?://([\w-]+\.)*(rubygems\.org|pypi\.org|pythonhosted\.org|pypi\.python\.org|"
                             r"download\.pytorch\.org|localhost|127\.0\.0\.1)(/|:|$)", re.I)


def scan_registry_conf(ctx: Ctx, file: str, text: str) -> None:
    """`gem sources --add <outside host>` (persistent for every later `gem install`) and a pip.conf / pip.ini
    written with an outside index: the language's package source redirected to an unknown host, high."""
    src = text[:MAX]
    hits = []
    if "gem source" in src:
        hits += [(m, m.group(2)) for m in _GEM_SOURCE.finditer(src)]
    if "index-url" in src and re.search(r"pip\.(conf|ini)\b|pip/pip", src):
        hits += [(m, m.group(2)) for m in _PIP_CONF.finditer(src)]
    from skillbank.audit.textscan import _prohibited, first_party, url_trusted
    for m, url in hits:
        if _OFFICIAL_INDEX.match(url) or _PRIVATE_HOST.search(url) or re.search(r"[<{$]", url) or ctx.own_index or \
                url_trusted(url, ctx.trusted_hosts) or first_party(url, ctx.identity):
            continue
        ln = src.count("\n", 0, m.start()) + 1
        line = src.split("\n")[ln - 1]
        if _prohibited(line, max(0, m.start() - (src.rfind("\n", 0, m.start()) + 1))) or \
                re.search(r"\b(never|do\s+not|don'?t|attackers?|malicious|suspicious|indicators?)\b", line, re.I):
            continue
        ctx.add("SC-CUSTOM-INDEX", file, ln, line.strip()[:120] + f"  (package source {url} made permanent)", "high",
                why="The language's package source is redirected to an unknown host in the user's persistent configuration: "
                    "every later install can be served a tampered package.")
        return
