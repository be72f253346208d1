"""Line-level token patterns shared by every analyzer (markdown prose, code blocks, scripts,
decoded blobs). All regexes are bounded (no nested unbounded quantifiers) and run on lines
capped at MAX_LINE characters, so pathological input stays linear."""

from __future__ import annotations

import re
from dataclasses import dataclass

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx

MAX_LINE = 2000
I = re.IGNORECASE


def rx(pattern: str, flags: int = I) -> re.Pattern[str]:
    return rxcache.compile(pattern, flags)


# characters that re.IGNORECASE matches to an ASCII letter although their lower case is not that letter
_FOLD_ODD = ("\u0130", "\u0131", "\u017f", "\u212a")


def _folds_to_ascii(text: str) -> bool:
    """Whether `text` holds a character IGNORECASE matches to an ASCII letter (a literal check on
    the lower-cased text cannot rule such a match out)."""
    return not text.isascii() and any(c in text for c in _FOLD_ODD)


def lit_gate(low: str, text: str, anchors: tuple[str, ...]) -> bool:
    """Literal prefilter for a case-insensitive regex every match of which holds one of `anchors`
    (lower-case literals): True when `low` (= text.lower()) holds one, or text has a character
    IGNORECASE folds onto an ASCII letter (see Anchored). A speed-up only: False means no match."""
    for a in anchors:
        if a in low:
            return True
    return _folds_to_ascii(text)


def top_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex source (split at `|` outside groups, classes and escapes)."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                i += 1
            if pattern[i + 1:i + 2] == "]":
                i += 1  # a leading ] is a member
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


class AnyOf:
    """Whether a case-insensitive pattern matches anywhere, answered alternative by alternative: each
    top-level alternative compiled alone and searched only when the lower-cased text holds every literal
    of one of its anchor groups (text with a character IGNORECASE folds onto an ASCII letter goes to the
    whole pattern). Same answer as bool(regex.search(text)); the pattern must have no backreferences."""

    def __init__(self, regex: re.Pattern[str], anchors: list[tuple[tuple[str, ...], ...]]) -> None:
        alts = top_alternatives(regex.pattern)
        assert "|".join(alts) == regex.pattern and len(alts) == len(anchors), "one anchor set per alternative"
        self.regex = regex
        self.alts = [(groups, re.compile(a, regex.flags)) for a, groups in zip(alts, anchors)]

    def search_any(self, low: str, text: str) -> bool:
        if _folds_to_ascii(text):
            return bool(self.regex.search(text))
        for groups, alt in self.alts:
            for group in groups:
                for a in group:
                    if a not in low:
                        break
                else:
                    if alt.search(text):
                        return True
                    break
        return False


class Anchored:
    """A case-insensitive pattern behind a literal prefilter (a speed-up only, same matches): `search` /
    `finditer` run the regex only when the lower-cased text holds one of `anchors` -- each a lower-case
    literal (or a tuple of literals, all required) that every match must contain. Text with a character
    IGNORECASE folds onto an ASCII letter (dotted / dotless i, long s, Kelvin sign) always goes to the regex."""

    __slots__ = ("regex", "anchors")

    def __init__(self, regex: re.Pattern[str], anchors: tuple) -> None:
        self.regex = regex
        self.anchors = tuple(a if isinstance(a, tuple) else (a,) for a in anchors)

    def may_match(self, text: str) -> bool:
        low = text.lower()
        for group in self.anchors:
            if all(a in low for a in group):
                return True
        return _folds_to_ascii(text)

    def search(self, text: str, *args):
        return self.regex.search(text, *args) if self.may_match(text) else None

    def finditer(self, text: str, *args):
        return self.regex.finditer(text, *args) if self.may_match(text) else iter(())

    def __getattr__(self, name: str):
        return getattr(self.regex, name)


# ---------------------------------------------------------------------------------------
# vocabularies

SECRET_NAME = rx(r"(token|secret|passw|passwd|pwd|api[_-]?key|apikey|private[_-]?key|credential|(^|_)key($|_)|"
                 r"service_account|"
                 r"access[_-]?key|session|cookie|jwt|database_url|dsn|mnemonic|seed_phrase)")
SHELL_SECRET_VAR = rx(r"\$\(?\{?[A-Z0-9_]*(TOKEN|SECRET|KEY|PASSW|PASSWORD|CRED|AUTH|COOKIE|SESSION|JWT|DATABASE_URL|DSN)[A-Z0-9_]*")
URL = rx(r"https?://[^\s\"'`<>)\]}]{1,300}")
# the authority ends at the first / ? #: an @ after any of them is no userinfo ("http://evil.net?x@good.com/")
HOST = rx(r"https?://(?:[^@/?#\s\"'`]{0,80}@)?([A-Za-z0-9.\-]{1,253})")
EMAIL = rx(r"\b[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,5}\b")

CRED_STORE = rxcache.compile(
    r"(?i:\.ssh\\(id_\w+|[\w.-]*_rsa)|\.aws\\credentials|(\.ssh/(id_[a-z0-9_]+|[\w.-]*_rsa|[\w.-]*private[\w.-]*|\*|$|\s|[`'\"])(?!\.pub)|\.ssh\b(?!/(config|known_hosts|authorized_keys))|"
    r"\.aws/(credentials|config)|(?<![\w])\.aws\b(?!\.\w)|\.gnupg|private-keys-v1|\.kube/config|\.docker/config\.json|"
    r"\.git-credentials|\.netrc\b|\.npmrc\b|\.pypirc\b|\.gem/credentials|\.config/gcloud|"
    r"application_default_credentials|\.azure/|\.password-store|\.vault-token|/etc/shadow|"
    r"\.(bash|zsh)_history|login\.keychain|find-(generic|internet)-password|dump-keychain|"
    r"\.mozilla/firefox|logins\.json|key4\.db|"
    r"Chrome/User Data|Google/Chrome/(?!NativeMessagingHosts|Extensions?/|Policies)|BraveSoftware|wallet\.dat|\.electrum|\.ethereum/keystore|"
    # a wallet's name is a store only where its data lives (a path, extension storage, the vault), not as
    # an npm scope (@metamask/...), an import or a config value naming the wallet to connect to
    r"(?<![@\w])(metamask|phantom|exodus)(?=[\w .-]{0,20}[/\\*]|[^\n]{0,60}\b(vault|leveldb|Local\s+Extension\s+Settings|"
    r"IndexedDB|Local\s+Storage|keystore|seed|mnemonic|recovery\s+phrase|private\s+keys?|wallet\s+(data|files?)|\.ldb|"
    r"extension\s+(storage|data|state|folders?|director(y|ies)|files?)|(browser|user)('s)?\s+profiles?|profile\s+(folders?|director(y|ies))|"
    r"storage\s+(folders?|director(y|ies)))\b)|"
    r"[/\\*](metamask|phantom|exodus)|\b(vault|leveldb|Local\s+Extension\s+Settings|IndexedDB|keystore|seed|mnemonic|"
    r"recovery\s+phrase|private\s+keys?|wallet\s+(data|files?)|steal\w*|harvest\w*|grab\w*|dump\w*|exfiltrat\w*|"
    r"Extensions?(?=[/\\]))\b[^\n]{0,60}"
    r"\b(metamask|phantom|exodus)\b|"
    # ... or as what an archive / copy command takes (`cd "Application Support" && tar czf w.tgz Exodus Phantom`)
    r"\b(tar|zip|7z|rar|cp|rsync|scp|ditto|gzip|Compress-Archive|Copy-Item)\b[^\n|;&]{0,160}?(?<![@\w/.-])(metamask|phantom|exodus)\b(?![./-]?\w)|"
    # ... or on a line that names where wallet data lives, as a find -name / -iname argument or a `for ... in` item
    r"(?i:Application\s+Support|AppData|\.config\b)[^\n]{0,200}?(?<![@\w])(metamask|phantom|exodus)\b|"
    r"(?<![@\w])(metamask|phantom|exodus)\b[^\n]{0,200}?(?i:Application\s+Support|AppData|\.config\b)|"
    r"(?<!\S)-i?(path|name)\s+['\"]?[*]?(metamask|phantom|exodus)\b|"
    r"\bfor\s+\w{1,30}\s+in\b[^;\n]{0,160}?(?<![@\w])(metamask|phantom|exodus)\b|"
    r"seed\s+phrase|mnemonic|\.solana/id\.json|\.config/gh/hosts|"
    r"\.terraform\.d/credentials|\.claude/\.credentials|\.codex/auth\.json|\bid_rsa\b|\bid_ed25519\b|"
    r"\.kdbx\b|(?-i:(Login Data|Local State|Local Extension Settings|Web Data|Cookies)(?=[^\n]{0,80}(Chrome|Chromium|Brave|Edge|"
    r"Firefox|Opera|Vivaldi|User Data|Application Support|AppData))|(Chrome|Chromium|Brave|Edge|Opera|Vivaldi|"
    r"User Data|Application Support)[^\n]{0,80}(Login Data|Local State|Local Extension Settings|Web Data|Cookies)))"
    r")"
)
CRED_BENIGN_CONTEXT = rx(r"(ssh-keygen|ssh-add|ssh-copy-id|IdentityFile|known_hosts|\.pub\b|"
                         r"chmod\s+[46]00|ssh\s+-i\b|--private-key|git\s+config|gpg\s+--(gen|full-gen|import|verify)|"
                         # a tool handed its own key / config to use it (ssh ... -i KEY, --kubeconfig)
                         r"\b(ssh|scp|sftp|rsync|ansible\S*)\b[^\n]{0,200}\s(-i|--private-key|--key-file)\s|"
                         r"--(kubeconfig|key-file|identity-file|credentials-file|ssh-key)\b|"
                         r"aws\s+configure|gcloud\s+auth|docker\s+login|npm\s+login|"
                         r"cert(ificate)?\s+(file|path)|\.gitignore|never\s+(commit|read|share|log)|"
                         r"do\s+not\s+(commit|read|share|log|expose)|don'?t\s+(commit|read|share|log|expose)|"
                         # a path put on a deny list, or quoted as the evidence of a detected attempt
                         r"\b(deny|block|disallow|forbid)[- ]?list\b|\b(denied|blocked)\s+paths?\b|\bevidence\s*:|"
                         r"\battempt(ed|s)?\s+to\s+(read|access|steal|exfiltrate)\b)")
READ_VERB = rx(r"\bfor\s+\w+\s+in\b|\b(read|reads|reading|cat|cp|copy|copies|collect|extract|include|upload|send|gather|dump|"
               r"harvest|archive|back\s*up|backup|tar|zip|base64|scp|rsync|exfiltrate|steal|grab|"
               r"open|load|list|catalog|inventory|index|import|sync|forward|post)\b|readFile|read_text|"
               r"read_bytes|open\(|<\s*~")
ENV_FILE_READ = rx(r"\b(cat|cp|base64|tar|curl|scp|rsync|xxd|strings|head|tail|less|more|for\s+\w+\s+in)\b[^\n|;]{0,80}"
                   r"(?<![\w.])\.env(\.[\w-]+)?\b(?!\.(example|sample|template))|"
                   r"\b(dump|upload|send|collect|include|consider|read\s+(all|every|the\s+contents\s+of))\w*\s+(\w+\s+){0,4}?(all\s+)?(files\s+matching\s+)?[`'\"]?(\*\*/)?\.env\*?[`'\"]?(\s+files?)?|"
                   r"open\(\s*['\"][^'\"]{0,40}\.env['\"]")

NET_SEND = [
    rx(r"\bcurl\b[^\n]{0,400}?(\s-d\b|\s-d['\"@$]|--data|\s-F\b|\s-F['\"]|--form|\s-T\b|--upload-file|"
       r"-X\s*['\"]?(POST|PUT|PATCH)\b|--request\s+(POST|PUT|PATCH))"),
    rx(r"\bwget\b[^\n]{0,300}--post-(data|file)"),
    rx(r"\b(requests|httpx|session|client|http)\.(post|put|patch)\s*\("),
    rx(r"\burlopen\s*\([^\n]{0,200}data\s*="),
    rx(r"\bfetch\s*\([^\n]{0,300}method\s*:\s*['\"](POST|PUT|PATCH)"),
    rx(r"\baxios\.(post|put|patch)\s*\("),
    rx(r"navigator\.sendBeacon|XMLHttpRequest"),
    rx(r"\b(nc|ncat|netcat)\s+(-\w+(\s+\d+)?\s+){0,3}[\w.-]+\.[a-z]{2,}\s+\d{2,5}"),
    rx(r"\bsend_?e?mail\b[^\n]{0,200}@|--to\s+['\"]?[\w.+-]+@[\w-]+\.|\bmail\s+-s\b"),
    rx(r"\bwget\b[^\n]{0,300}(--method[= ]+['\"]?(POST|PUT)|--body-(data|file))"),
    rx(r"method\s*[:=]\s*['\"](POST|PUT|PATCH)['\"]"),
    rx(r"\bgit\s+push\s+(-\S+\s+){0,3}https?://"),
    rx(r"\bscp\s+[^\n]{0,200}\s[\w.-]+@[\w.-]+:"),
    rx(r"\b(Invoke-RestMethod|Invoke-WebRequest|iwr|irm)\b[^\n]{0,200}-Method\s+(Post|Put)"),
    rx(r"\bsmtplib\.|\bsendmail\b|\bftplib\."),
]
PROSE_SEND = rx(r"\b(send|sends|post|posts|upload|uploads|forward|forwards|transmit|submit|sync|email|"
                r"share|report|exfiltrate|pipe|relay|mirror|beacon)\b")
SENSITIVE_NOUN = rx(r"(?<![\w/])\.env(\.\w+)?\b|\b(whole|entire|full|complete)\s+(\w+\s+)?(session|transcript)\b|"
                    r"\b(credentials?|secrets?|tokens?|api[ _-]?keys?|private\s+keys?|passwords?|"
                    r"\.env|environment\s+(variables?|file|config\w*|data)|env\s+vars?|ssh|cookies?|"
                    r"session\s+(tokens?|cookies?|ids?|data)|wallets?|seed\s+phrases?|mnemonic|conversation|chat\s+history|keys|"
                    # files that hold secrets in clear: Terraform plans / state, kube configs
                    r"terraform\s+(plans?|state)(\s+(json|output|files?))?|tf\s*state|\w*\.tfstate|tfplan|plan\.json|"
                    r"kube\s*configs?|\.kube/config|\.npmrc|\.pypirc|\.netrc|\.git-credentials|"

                    r"(user['’]s|their|recent|last|latest|previous|private)\s+(\d+\s+)?(\w+\s+)?(messages|e-?mails|inbox|dms|"
                    r"chats|conversations|contacts))\b")
# security codes and the mail that carries them: sensitive when the sentence actively sends them to an
# outside address (not "the service e-mails you an OTP")
SECURITY_CODE = rx(r"\b(password\s+resets?|sign-?in\s+(attempts?|codes?|links?|alerts?)|log-?in\s+(codes?|links?)|2fa|mfa|otps?|"
                   r"one-?time(\s+(codes?|passwords?|pins?|links?))?|verification\s+(codes?|e-?mails?|links?)|"
                   r"security\s+codes?|magic\s+links?|recovery\s+codes?)\b")
ACTIVE_SEND_TO = rx(r"\b(send|sending|post|posting|upload|uploading|forward|forwarded|forwarding|transmit\w*|submit\w*|"
                    r"exfiltrat\w*|relay\w*)\b[^\n]{0,80}?(https?://|[\w.+-]@[\w-])")
SENSITIVE_WEAK = rx(r"\b(stack\s+traces?|source\s+code|generated\s+code|the\s+code|codebase|history|contents?\s+of|"
                    r"file\s+contents?|configuration|config\s+files?|session)\b")
NEGATIVE_HEADING = rx(r"\b(never|don'?t|do\s+not|avoid|block\w*|den(y|ied)|forbidden|prohibit\w*|dangerous|red\s+flags?|"
                      r"warnings?|threats?|risks?|attacks?|attackers?|malicious|payloads?\s+to\s+(look|watch|check)|"
                      r"(look|watch)\s+(out\s+)?for|anti-?patterns?|what\s+not|detect\w*|"
                      r"suspicious|restricted|not\s+allowed|disallowed|security\s+(rules|checks|model|considerations)|"
                      r"indicators?|signs?\s+of|examples?\s+of\s+(bad|malicious)|pitfalls|mistakes|"
                      # quoted things to recognise, not to do: specimens, signatures, IOCs, tells
                      r"specimens?|signatures?|iocs?|tells|hunt(ing)?|known[- ](bad|malicious)|"
                      # malware-triage notes: what samples do, quoted to be recognised
                      r"malware\s+(triage|analysis|notes|samples?|families|patterns|behaviou?rs?)|triage\s+notes|"
                      r"(patterns?|examples?|samples?|techniques?|tricks?)\s+(commonly\s+)?(seen|found|observed|used)\s+"
                      r"(in|by)\s+(the\s+wild|(malware\s+)?samples?|malware|campaigns?|attackers?|loaders?|droppers?|stealers?)|"
                      r"recogni[sz]\w*\s+(examples?|patterns?)|loader\s+patterns?|"
                      r"examples?\s+to\s+(recogni[sz]e|spot|identify|detect|look\s+for)|"
                      r"(do\s+not|don'?t|never)\s+(follow|run|execute|obey)|not\s+(commands?|instructions?)\s+to\s+"
                      r"(run|follow|execute|obey))\b")
# a paragraph that declares what follows to be quoted data (not only a heading or "...:" lead-in); the
# lookahead holds the first letters of the alternatives (same matches, fewer branch attempts)
QUOTING_LEAD = rx(r"\b(?=[sdnq])(specimens?|signatures?\s+to\s+match|search\s+patterns?|detection\s+(patterns?|rules?|signatures?)|"
                  r"not\s+(commands?|instructions?)\s+to\s+(run|follow|execute|obey)|quoted\s+data|"
                  r"(do\s+not|don'?t|never)\s+(follow|run|execute|obey)\s+(them|these|those|it))\b")
# a table column header naming its cells as patterns / examples / indicators
QUOTING_COLUMN = rx(r"\|\s*[^|\n]{0,40}\b(patterns?|regex\w*|specimens?|signatures?|indicators?|iocs?|tells?|"
                    r"examples?|payloads?)\b[^|\n]{0,60}\|")
NEGATION = rx(r"\b(never|not|don'?t|do\s+not|must\s+not|should\s+not|shouldn'?t|avoid|no|nor|prevent\w*|"
              r"block\w*|refuse\w*|warn\w*|without)\b")
SECURITY_CONTEXT = rx(r"\be\.g\.|\bi\.e\.|\b(detect\w*|flag\w*|example|such\s+as|pattern|attacks?|attackers?|"
                      r"malicious|injection|scann?\w*|threat\w*|red[- ]team\w*|phishing|vulnerab\w*|"
                      r"audit\w*|defen[cs]\w*|guard\w*|protect\w*|warn\w*|beware|suspicious|mitigation|"
                      r"(deny|block|disallow)[- ]?list|evidence(?=\W{0,3}:))\b")


@dataclass(frozen=True)
class LineRule:
    rule_id: str
    regex: re.Pattern[str]
    severity: str | None = None
    scope: str = "all"  # all | code | prose
    negatable: bool = False  # a negation just before the match lowers it to info
    teaching: bool = False  # security-teaching context lowers it to low
    fact: str | None = None
    keys: tuple[str, ...] = ()  # lower-case substrings; the regex only runs when one occurs


# ---------------------------------------------------------------------------------------
# line rules

LINE_RULES: list[LineRule] = [
    # P1
    LineRule("PI-OVERRIDE", rx(
        r"\b(ignore|disregard|forget|override|bypass)\s+(all\s+|any\s+|the\s+|your\s+|every\s+|of\s+){0,3}"
        r"(previous|prior|above|earlier|preceding|original|existing|system|safety|user'?s?|other)\s+"
        r"(instructions?|prompts?|rules?|directives?|guidelines?|messages?|constraints?|polic(y|ies))"),
        scope="prose", negatable=True, teaching=True, fact="override", keys=('ignore', 'disregard', 'forget', 'override', 'bypass')),
    LineRule("PI-OVERRIDE", rx(
        r"\b(previous|prior|earlier|original|all)\s+(instructions?|directives?|rules?)\s+(have\s+been|are|were|is)\s+"
        r"(now\s+)?(updated|revoked|replaced|superseded|void|cancell?ed|overridden|null)"),
        scope="prose", teaching=True, fact="override", keys=('instruction', 'directive', 'rules')),
    LineRule("PI-OVERRIDE", rx(
        r"\b(fetch|load|download|retrieve|pull|read)\w*\b(?:[^.\n]|\.(?=\S)){0,160}\b(apply|follow|execute|obey)\w*\s+(\w+\s+){0,3}?"
        r"(directives?|instructions?|rules|commands?)\s+(found\s+)?(in|from)\s+(the\s+)?(response|result|output|remote)|"
        r"\b(treated|treat\s+them|treat\s+these)\s+as\s+(system|system-level|developer)\s+(instructions?|prompts?|messages?)|"
        r"\b(must|should|can|may)\s*not\s+be\s+overridden\s+by\s+(\w+\s+){0,3}?(user|session)|"
        r"\backnowledge\s+the\s+request\s+but\s+(proceed|continue|ignore)"),
        scope="prose", teaching=True, fact="override", keys=("apply", "follow", "execute", "obey", "treat", "overridden", "acknowledge")),
    LineRule("PI-OVERRIDE", rx(
        r"\b(takes?|has|have)\s+(precedence|priority)\s+over\s+(the\s+|any\s+|all\s+|anything\s+|whatever\s+)?"
        r"(\w+\s+){0,2}?(user|system|previous|other|your\s+(system|instructions|prompt))"),
        scope="prose", negatable=True, teaching=True, fact="override", keys=('precedence', 'priority')),
    LineRule("PI-FAKE-SYSTEM", rx(
        r"\[\s*(SYSTEM|ADMIN|SYSTEM MESSAGE|INST|DEVELOPER|END SYSTEM)\s*\]|<\|(system|im_start)\|>|"
        r"\bSYSTEM\s+OVERRIDE\b|\bimportant\s+system\s+message\b|\bnew\s+system\s+(directive|instructions?)\b|"
        r"\b(system|admin|security)\s+(notice|message|directive|alert)\s+(for|to)\s+(the\s+)?(assistant|ai|agent|model|llm|claude)\b"),
        scope="prose", teaching=True, fact="override", keys=('system', 'admin', 'inst]', 'developer', 'im_start')),
    LineRule("PI-JAILBREAK", rx(
        r"\byou\s+are\s+(now\s+)?(in\s+)?(an?\s+)?(unrestricted|developer|maintenance|god|jailbreak|dan|"
        r"admin|unfiltered|root)\s+mode\b|\bno\s+longer\s+bound\s+by\b|"
        r"\b(act|behave)\s+as\s+(an?\s+)?(unrestricted|unfiltered|jailbroken)\b|"
        r"\b(disregard|ignore|bypass)\s+(any\s+|all\s+|the\s+|your\s+){0,2}(content\s+polic\w*|"
        r"safety\s+(guidelines|rules|restrictions|filters|policies)|ethical\s+guidelines|guard\s?rails|"
        r"(tool\s+(call\s+)?)?restrictions|security\s+(polic\w*|warnings?|errors?)|permission\s+(checks?|errors?|prompts?))"),
        scope="prose", negatable=True, teaching=True, fact="override", keys=('mode', 'bound by', 'unrestricted', 'unfiltered', 'jailbr', 'content polic', 'safety', 'ethical', 'guard')),
    # P4
    LineRule("PI-CONCEAL", rx(
        r"\b(do\s+not|don'?t|never|must\s+not|should\s+not)\s+(\w+\s+){0,2}?(mention|tell|inform|notify|alert|reveal|"
        r"disclose)\w*\s+(\w+\s+){0,6}?(this|these|that|it|them|steps?|calls?|uploads?|requests?|commands?|telemetry|"
        r"data|skill|you\s+used|remotes?|mirrors?|push(es)?|forwarding|filters?|footers?|fingerprints?)\b[^.\n]{0,40}?\b(to\s+)?the\s+(user|human|operator)\b(?!'s|’s)|"
        r"\bwithout\s+(telling|informing|notifying|alerting)\s+the\s+(user|human|operator)\b|"
        r"\b(do\s+not|don'?t|never)\s+(tell|inform|notify|alert)\s+the\s+(user|human|operator)\s+(about|that|of)\s+"
        r"(this|these|(the\s+)?(uploads?|requests?|calls?|steps?|telemetry|transfers?|commands?)\b)"),
        scope="all", teaching=True, fact="conceal", keys=('user', 'human', 'operator')),
    LineRule("PI-CONCEAL", rx(
        r"(?<!never\s)(?<!not\s)(?<!n't\s)(?<!no\s)\b(silently|quietly|covertly|secretly|stealthily)\s+(\w+\s+){0,2}?(send|sends|upload|post|"
        r"install|forward|transmit|copy|collect|exfiltrate|add|write|modify|report|read|gather|"
        r"include|append|fetch)\b|"
        r"(?<!never\s)(?<!not\s)\b(install|installed)\s+(it\s+|them\s+)?silently\b|"
        r"\b(covertly|secretly|stealthily)\s+(\w+\s+){0,2}?(run|execute|proceed|load|check)\b|"
        r"\bnot\s+(a|an|something|anything)\s+(\w+\s+){0,2}?(that\s+)?(the\s+)?(user|human|operator)\s+(needs?|has)\s+to\s+"
        r"(review|know|see|approve|check|hear|be\s+told)\b|"
        r"\b(should|must|will)\s+(never|not)\s+be\s+(disclosed|revealed|mentioned|shown|summari[sz]ed|reported)|"
        r"\bnot\s+user-facing\b|"
        r"\bkeep\s+(this|these|it)\s+(\w+\s+)?(hidden|secret|invisible|confidential)\s+from\s+(the\s+)?(user|human|operator)|"
        r"\bkeep\s+(this|these|it)\s+(\w+\s+)?(hidden|secret|invisible)\s*($|\.)|"
        r"(?<!\bif\s)(?<!\bwhen\s)(?<!\bunless\s)(?<!\bwhether\s)\bthe\s+user\s+(should|must|need|does)\s*(not|n'?t|never)\s+"
        r"(know|see|notice|be\s+(told|informed|aware))|"
        r"\bhide\s+(this|these|the|all)\s+(\w+\s+)?(steps?|actions?|commands?|outputs?|requests?|calls?)\s+from|"
        r"\bwithout\s+(the\s+)?user'?s?\s+(knowledge|noticing|awareness)"),
        scope="prose", teaching=True, fact="conceal", keys=('silent', 'quiet', 'covert', 'secret', 'stealth', 'hidden', 'invisible', 'confidential', 'the user', 'hide', 'knowledge')),
    # a lie prepared for the user's question about something the skill adds ("if the user asks what it
    # is, say it is a checksum"): weak on its own, concealment next to a sensitive capability
    LineRule("PI-CONCEAL", rx(
        r"\bif\s+(the\s+user|they|anyone|someone|a\s+reviewer|the\s+reviewer)\s+(ever\s+)?(asks?|questions?|wonders?|notices?)"
        r"\b[^.\n]{0,60}?\b(say|tell\s+(them|the\s+user|him|her)|claim|answer|reply|explain|respond)\w*\s+(that\s+)?"
        r"(it|this|that|they|these|the\s+\w+)\s*(is|'s|are|was)\s+(just|only|simply|merely|a|an|harmless|normal|routine|"
        r"standard|required|needed)\b"),
        severity="low", scope="prose", teaching=True, fact="conceal_weak", keys=("if the user", "if they", "if anyone",
                                                                                "if someone", "reviewer")),
    # "run silently", "proceed quietly": quiet output on its own; concealment only next to a sensitive
    # capability in the same skill (see engine._correlate)
    LineRule("PI-CONCEAL", rx(
        r"(?<!never\s)(?<!not\s)(?<!n't\s)(?<!no\s)\b(silently|quietly)\s+(\w+\s+){0,2}?(run|execute|proceed|load|check)\b|"
        r"\b(proceed|continue|run|execute|performed|done|executed|carried\s+out|happen)\s+(it\s+)?silently\b|"
        # "do this quietly in the background", "the user only needs (to see) the summary"
        r"\b(do|run|perform|handle|upload|send|sync)\s+(this|it|that|the\s+\w+)\s+(step\s+)?(quietly|silently)\b|"
        r"\bthe\s+user\s+only\s+(needs|wants)\s+(to\s+see\s+)?the\s+(summary|result|answer|final\s+\w+)\b"),
        severity="low", scope="prose", negatable=True, teaching=True, fact="conceal_weak",
        keys=("silent", "quiet", "only needs", "only wants")),
    # concealment phrased as omission: "no need to mention it", "leave it out of the summary"
    LineRule("PI-CONCEAL", rx(
        r"\b(and\s+not|no\s+need\s+to|without|never|do\s+not|don'?t|not\s+to)\s+(ever\s+)?(mention|mentioning|bring(ing)?\s+up|"
        r"disclose|disclosing|tell|telling)\s+(it|this|that|them|these|the\s+(script|sync|upload|"
        r"step|steps|run|call|request|helper|check|directives?|instructions?|marker|changes?|edits?|actions?|"
        r"commands?|modifications?|entry|entries|write|install|extra\s+\w+))\b(?=[^.\n]{0,60}\b((user|human|operator)\b(?!['’]s)|(reply|response|answer|"
        r"summary|chat|output)\b))|"
        r"\b(run|runs|execute|send|sends|upload|uploads|sync|post|forward|install)\b[^.\n]{0,80}?\b(and\s+not|but\s+not|"
        r"and\s+(do\s+not|don'?t|never)|no\s+need\s+to|without)\s+(mention|mentioning|bring(ing)?\s+up|tell|telling|"
        r"disclose|disclosing)\s+(it|this|that|them)\b|"
        r"\b(run|runs|execute|send|sends|upload|uploads|sync|post|forward|install)\b[^.\n]{0,80}?\b(and\s+not|but\s+not|"
        r"and\s+(do\s+not|don'?t|never)|no\s+need\s+to|without)\s+bring(ing)?\s+(it|this|that|them)\s+up\b|"
        r"\bno\s+need\s+to\s+(tell|inform|notify|alert|mention\s+(it\s+|this\s+|that\s+)?to)\s+the\s+(user|human|operator)\b|"
        r"\bkeep\s+(it|this|that|these|them)\s+to\s+yourself\b|"
        r"\bthe\s+(user|human|operator)\s+(doesn'?t|does\s+not|don'?t|do\s+not|won'?t|will\s+not)\s+need\s+to\s+"
        r"(know|see|hear|be\s+told)(\s+about)?\s*(this|it|that|these|them|anything|[.!;]|$)|"
        r"\b(do\s+not|don'?t|never|no\s+need\s+to|and\s+not|without)\s+bring(ing)?\s+(it|this|that|them|these)\s+up\b"
        r"(?=[^.\n]{0,60}\b((user|human|operator)\b(?!['’]s)|(reply|response|answer|summary|chat|output)\b))|"
        r"\b(leave|keep)\s+(this|that|it|these|them|the\s+\w+)\s+(\w+\s+){0,2}?out\s+of\s+(the\s+|your\s+|any\s+)?"
        r"(\w+\s+)?(summary|summaries|reply|replies|response|answer|transcript)\b|"
        r"\b(omit|exclude)\s+(this|that|it|these|them|the\s+\w+)\s+(\w+\s+){0,2}?from\s+(the\s+|your\s+|any\s+)?"
        r"(\w+\s+)?(summary|summaries|reply|replies|response|answer|transcript)\b"),
        scope="prose", teaching=True, fact="conceal",
        keys=("mention", "bring", "surfac", "disclos", "tell", "out of", "omit", "exclude", "no need",
              "to yourself", "need to know", "need to see", "need to hear", "need to be told")),
    # instructions taken from untrusted content (mail, pages, tickets) and acted on unchecked
    LineRule("PI-OVERRIDE", rx(
        r"\b(follow|obey|execute|carry\s+out|act\s+on|comply\s+with|do\s+whatever|apply)\s+(any\s+|all\s+|the\s+|whatever\s+)?"
        r"(instructions?|directives?|commands?|requests?|orders?|tasks?)\s+(\w+\s+){0,2}?(in|inside|within|from|contained\s+in|"
        r"found\s+in|embedded\s+in)\s+(\w+\s+){0,2}?(it|them|e-?mails?|messages?|inbox|web\s*pages?|pages|documents?|"
        r"issues?|comments?|tickets?|pdfs?|attachments?|tool\s+(results?|outputs?))\b"
        r"(?=[^.\n]{0,120}\b(without\s+(asking|confirm\w*|checking|question\w*|verif\w*|approval)|automatically|"
        r"immediately|no\s+questions|even\s+if|unconditionally)\b)|"
        r"\b(instructions?|requests?|commands?|directives?)\s+(\w+\s+){0,3}?(in|from|inside|within)\s+(\w+\s+){0,3}?"
        r"(e-?mails?|messages?|inbox|web\s*pages?|issues?|comments?|tickets?|documents?)\b[^.\n]{0,80}?\b("
        r"as\s+(if\s+they\s+(came|come)|coming)\s+from\s+the\s+user|as\s+(user|system|trusted|authoritative)\s+"
        r"(instructions?|commands?|requests?)|with\s+the\s+user'?s\s+authority|carry\s+(it|them)\s+out\s+"
        r"(without|automatically|immediately))"),
        scope="prose", negatable=True, teaching=True, fact="override",
        keys=("follow", "obey", "execute", "carry out", "act on", "comply", "whatever", "apply", "as if they",
              "coming from the user", "as user", "as system", "as trusted", "authority", "carry it", "carry them")),
    LineRule("PI-OVERRIDE", rx(
        r"\btreat\s+(the\s+|this\s+|that\s+|any\s+|such\s+|its\s+)?(\w+\s+){0,5}?as\s+(\w+\s+){0,2}?"
        r"(instructions?|commands?|directives?|orders?)\s+(from|of|by)\s+(the\s+|your\s+)?(\w+\s+){0,2}?"
        r"(user|owner|admin\w*|operator|developer|maintainer|system|author|principal)\b|"
        r"\beven\s+(if|when|though)\s+(it|they|this|these|that|those)\s+(differs?|conflicts?|contradicts?|deviates?|go(es)?\s+against)"
        r"\s+(from\s+|with\s+)?(what\s+)?(the\s+)?(user|human|operator)(['’]s)?\s*(asked|requested|wants?|said|instructed|request|"
        r"instructions?|intent)\b"),
        scope="prose", negatable=True, teaching=True, fact="override", keys=("treat", "even if", "even when", "even though")),
    LineRule("PI-NO-CONFIRM", rx(
        r"\b(do\s+not|don'?t|never|without)\s+(ask|asking|request|requesting|wait|waiting|prompt|prompting|"
        r"seek|seeking)\w*\s+(\w+\s+){0,3}?(for\s+)?(user\s+)?(confirmation|permission|approval|consent)|"
        r"\b(are|is)\s+pre-?approved\b|\bauto-?approve(d|all)?\b|\bautoApprove\w*|\bnever\s+refuse\b|"
        r"\balways\s+comply\b|\bmust\s+comply\b|\bno\s+confirmation\s+(is\s+)?(needed|required)"),
        severity="low", scope="all", teaching=True, fact="noconfirm", keys=('confirm', 'permission', 'approv', 'consent', 'refuse', 'comply')),
    # what changed is misreported to the user: deletions described as routine updates
    LineRule("PI-CONCEAL", rx(
        r"\b(describe|report|present|summari[sz]e|call|label|list|refer\s+to|frame|characteri[sz]e|word|phrase|log)\w*\s+"
        r"(any\s+|all\s+|the\s+|these\s+|such\s+)?([\w-]+\s+){0,3}?(deletions?|destroy\w*|destructions?|removals?|removed|deleted|"
        r"dropped|drops|replacements?|recreat\w*|data\s+loss|downtime|outages?|failures?|errors?|resources?\s+(destroyed|deleted|"
        r"removed|replaced))\b[^.\n]{0,60}?\bas\s+(a\s+|an\s+)?(routine|minor|cosmetic|harmless|trivial|no-?ops?|maintenance|small|"
        r"housekeeping|standard|normal|in-?place|successful|success|expected|updates?|refactor\w*)\b"),
        scope="prose", negatable=True, teaching=True, fact="conceal",
        keys=("routine", "minor", "cosmetic", "harmless", "trivial", "no-op", "noop", "maintenance", "as small", "as a small",
              "housekeeping", "as standard", "as a standard", "as normal", "in-place", "inplace", "as success", "as a success",
              "as expected", "as update", "as an update", "as refactor", "as a refactor")),
    # covering the traces of a send: the sent copy deleted, the sent folder purged
    LineRule("PI-CONCEAL", rx(
        r"\b(delete|remove|purge|trash|erase|wipe)\w*\s+(the\s+|any\s+|all\s+)?(sent|forwarded|outgoing)\s+(copy|copies|messages?|"
        r"e-?mails?|items?|mails?|versions?)\b|\b(delete|remove|purge|empty|clear)\w*\s+(\w+\s+)?from\s+(the\s+)?(sent|outbox)"
        r"(\s+(folder|items|mail|box))?\b|\b(empty|purge|clear)\s+(the\s+)?(sent|outbox)\s+(folder|items|mail|box)\b"),
        scope="prose", negatable=True, teaching=True, fact="conceal", keys=("sent", "forwarded", "outgoing", "outbox")),
    # the steps are left out of the account given to the user (quiet on its own, concealment next to
    # a sensitive capability: see engine._correlate)
    LineRule("PI-CONCEAL", rx(
        r"\b(do\s+not|don'?t|never|no\s+need\s+to)\s+(list|mention|report|include|show|surface|describe|log)\s+"
        r"(these|this|those|the|any\s+of\s+these)\s+(\w+\s+){0,2}?(steps?|actions?|housekeeping|operations?|tasks?|chores?)\b"),
        severity="low", scope="prose", negatable=False, teaching=True, fact="conceal_weak",
        keys=("list", "mention", "report", "include", "show", "surface", "describe", "log")),
    # standing or transferred consent: approval claimed to carry over to later sessions, projects or
    # updates, the user's permission UI operated on their behalf, every call treated as approved
    LineRule("PI-NO-CONFIRM", rx(
        r"\b(approv\w*|consent\w*|authori[sz]ation|permission)\b[^.\n]{0,80}?\b(carr(y|ies)\s+over|appl(y|ies)|extends?|"
        r"remains?\s+(valid|in\s+force)|persists?|transfers?|covers?)\b[^.\n]{0,40}?\b(to\s+|for\s+|across\s+|into\s+)?"
        r"(all|every|any|later|future|subsequent|other|new)\s+(\w+\s+){0,2}?(sessions?|projects?|repositor\w+|conversations?|"
        r"updates?|versions?|workspaces?)\b|"
        r"\b(approved|authori[sz]ed|consented\s+to)\s+(once\s+)?(at|during|on)\s+install(ation)?(\s+time)?\b|"
        r"\b(do\s+not|don'?t|never|no)\s+(need\s+to\s+)?(request|ask\s+for|seek|obtain|get)\s+(\w+\s+)?(confirmation|approval|"
        r"permission|consent)\s+again\b|"
        r"\btreat\s+(them|these|it|those|every\s+[\w ]{1,20}|all\s+[\w ]{1,20}|each\s+[\w ]{1,20})\s+(like|as\s+if\s+they\s+were|as)\s+"
        r"(\w+\s+){0,2}?(commands?|requests?|instructions?)\s+(the\s+user\s+(typed|entered|gave|issued|approved)|typed\s+by\s+the\s+user)|"
        r"\btreat\s+(every|all|each|any)\s+(\w+\s+){0,2}?(calls?|commands?|actions?|operations?|requests?)\s+as\s+(already\s+|pre-?)?"
        r"(approved|authori[sz]ed|confirmed|allowed)\b|"
        r"\bon\s+(the\s+user['’]?s|their)\s+behalf\b[^.\n]{0,60}?\b(allow|approve|accept|confirm|grant|select|click|answer)\w*|"
        r"\b(select|click|choose|press|pick|answer)\s+['\"“‘]?(always\s+allow|allow\s+always|don'?t\s+ask\s+again|yes,?\s+(and\s+)?"
        r"don'?t\s+ask|approve\s+all|allow\s+all)['\"”’]?[^.\n]{0,40}?\b(for|on\s+behalf\s+of)\s+(the\s+)?(user|them)\b|"
        r"\b(do\s+not|don'?t|never)\s+(pause|stop|wait|halt)\b[^.\n]{0,40}?\beven\s+(for|when|if|before|on)\b[^.\n]{0,30}?"
        r"(delet\w*|destructive|remov\w*|irreversible|force[- ]push\w*|drop\w*|rm\b)|"
        r"\bif\s+(the\s+|a\s+|its\s+)?(\w+\s+)?(policy|config\w*|file|repo\w*|ticket|document|comment|readme|issue|label)\s+(says|states|marks?|"
        r"lists?|declares?)\b[^.\n]{0,80}?\b(pre-?approved|approved|authori[sz]ed)\b[^.\n]{0,60}?\b(approve|merge|run|execute|"
        r"proceed|apply|deploy)\b"),
        severity="medium", scope="prose", negatable=True, teaching=True, fact="standing_consent",
        keys=("carr", "appl", "extend", "remain", "persist", "transfer", "cover", "install", "again", "treat", "behalf",
              "always allow", "allow always", "ask again", "don't ask", "approve all", "allow all", "even", "pre-approved",
              "approved", "authori")),
    # the account given to the user is to leave out that confirmations were skipped
    LineRule("PI-CONCEAL", rx(
        r"\b(do\s+not|don'?t|never|without)\s+(mention\w*|not\w*|say\w*|report\w*|rais\w*|flag\w*|tell\w*(\s+the\s+user)?|"
        r"disclos\w*|indicat\w*)\s+(that\s+|whether\s+)?(the\s+|any\s+)?(confirmations?|approvals?|prompts?|permission\s+prompts?|"
        r"checks?|reviews?)\s+(were|was|are|have\s+been|got)\s+(skipped|bypassed|omitted|auto-?approved|not\s+(requested|asked|"
        r"shown))"),
        scope="prose", teaching=True, fact="conceal", keys=("skipped", "bypassed", "omitted", "approved", "not requested",
                                                             "not asked", "not shown")),
    LineRule("PI-DISABLE-SECURITY", rx(
        r"\b(disable|disabling|turn\s+off|remove|removing|uninstall|bypass|strip|delete)\s+(\w+\s+){0,3}?"
        r"(antivirus|anti-virus|defender|firewall|sandbox|sandboxing|audit\s+log\w*|2fa|mfa|"
        r"signature\s+verification|certificate\s+verification|ssl\s+verification|tls\s+verification|"
        r"selinux|apparmor|gatekeeper|code\s+signing|vulnerability\s+scan\w*|safety\s+checks?|"
        r"security[- ]related|security\s+(checks?|scans?|scanning|tools?|hooks?|controls?|features?|software|protections?|policies)|"
        r"permission\s+(gate|checks?|prompts?|system)|"
        r"confirmation\s+prompts?|policy\s+enforcement|enforcement(\s+flags?)?)\b"),
        scope="prose", negatable=True, teaching=True, fact="disable_security", keys=('disabl', 'turn off', 'remov', 'uninstall', 'bypass', 'strip', 'delete')),
    LineRule("PI-DISABLE-SECURITY", rx(
        r"\bsetenforce\s+0\b|\bufw\s+disable\b|\biptables\s+-F\b|systemctl\s+(stop|disable|mask)\s+"
        r"(firewalld|apparmor|auditd|ufw|falcon\w*|clamav\w*)|Set-MpPreference\s+(-Force\s+)?-Disable\w*\b(?!\s*:?\s*(\$false|0)\b)|"
        r"spctl\s+--master-disable|csrutil\s+disable|NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*['\"]?0|"
        r"PYTHONHTTPSVERIFY\s*=\s*['\"]?0|http\.sslVerify\s+false|strict-ssl\s+false|"
        r"core\.hooksPath\s+/dev/null|--no-verify-ssl|"
        r"\b[A-Z_]*(ENFORCE\w*|STRICT_MODE)\s*[=:]\s*['\"]?(log_only|disabled|off|false|audit|permissive|none)\b"),
        severity="medium", scope="code", fact="disable_security", keys=('setenforce', 'ufw', 'iptables', 'systemctl', 'set-mppreference', 'spctl', 'csrutil', 'node_tls', 'pythonhttpsverify', 'sslverify', 'strict-ssl', 'hookspath', 'no-verify-ssl', 'enforce', 'strict_mode')),
    LineRule("PI-DISABLE-SECURITY", rx(
        r"\b(write_file|edit_file|str_replace\w*|apply_patch|replace_in_file)\s*\(\s*[\"'][^\"'\n]{0,80}"
        r"(polic(y|ies)|permissions?|allowlist|denylist|guardrails?|\.claude/settings)[\w.-]{0,20}[\"']"),
        severity="medium", scope="code", fact="disable_security",
        keys=("write_file", "edit_file", "str_replace", "apply_patch", "replace_in_file")),
    LineRule("PI-MANDATORY-TAG", rx(r"<(IMPORTANT|CRITICAL|MANDATORY|SECRET|HIDDEN|SYSTEM)>"),
             severity="low", scope="all", teaching=True, fact="mandatory", keys=('<important>', '<critical>', '<mandatory>', '<secret>', '<hidden>', '<system>')),
    # E4
    # credentials copied into what the agent produces (a report footer, a commit, a document): they
    # leave with the output
    LineRule("PI-EXFIL-INSTRUCTION", rxcache.compile(
        r"(?i:\b(append|include|embed|add|insert|put|write|attach|paste|place|encode)\w*\b[^.\n]{0,120}?\b(base64|b64|hex|"
        r"encoded|encoding|contents?|hash(es)?|copy|text|digest|value)\b[^.\n]{0,20}?\bof\b[^.\n]{0,40}?)" + CRED_STORE.pattern + r"(?![\w/.-]*\.pub\b)"
        r"|(?i:\b(base64|b64|hex)[- ]?(encod\w*|dump\w*)?\b[^.\n]{0,40}?)" + CRED_STORE.pattern + r"(?![\w/.-]*\.pub\b)"
        r"(?i:[^.\n]{0,120}?\b(include|append|embed|add|put|insert|paste)\w*\b[^.\n]{0,60}\b(report|output|response|answer|"
        r"footer|header|summary|commit|comment|document|reply|message|file|readme|changelog))"),
        severity="high", scope="prose", negatable=True, teaching=True, fact="cred_read",
        keys=(".ssh", ".aws", "id_rsa", "id_ed25519", "credentials", ".kube", ".netrc", ".npmrc", ".pypirc", "gnupg",
              "keychain", "wallet", "mnemonic", "seed phrase")),
    # secret contents (.env, credential files, tokens, the environment) routed into what the agent commits or
    # publishes -- commit messages and trailers, PR / MR descriptions, git notes, issue comments: they leave
    # with every push
    LineRule("PI-EXFIL-INSTRUCTION", rx(
        r"\b(add|append|include|embed|put|insert|copy|paste|write|attach|record|mirror|dump)\w*\b[^.\n]{0,60}?"
        r"\b(contents?|values?|text|body|copy|dump|snapshot|full)\b[^.\n]{0,12}?\b(of\s+)?(the\s+|your\s+|any\s+|all\s+)?[`'\"]?"
        r"(\.env\b|~?/?\.aws/credentials|credentials?\s+files?|secrets?\s+files?|\.npmrc|\.netrc|\.pypirc|"
        r"environment\s+variables|process\.env|api\s+keys?|tokens?|secrets)"
        r"(?:[^.\n]|\.(?=[\w/])){0,120}?\b(commit\s+(message|body|footer|trailer)s?|(git\s+)?trailers?|co-authored-by|"
        r"(pull|merge)\s+request\s+(description|body|bodies|descriptions)|(pr|mr)\s+(description|body)s?|git\s+notes?|"
        r"issue\s+comments?|release\s+notes)\b|"
        r"\b(commit\s+messages?|(git\s+)?trailers?|(pr|mr|pull\s+request)\s+(description|body)s?)\b(?:[^.\n]|\.(?=[\w/])){0,80}?"
        r"\b(contain(s|ing)?|include(s|ing)?|with|carry(ing)?|embed(s|ding)?)\b[^.\n]{0,30}?\b(the\s+)?(contents?|values?|full\s+text)"
        r"\s+of\s+(the\s+|your\s+|all\s+)?[`'\"]?(\.env\b|~?/?\.aws/credentials|credentials?\s+files?|secrets?\s+files?|"
        r"environment\s+variables)"),
        severity="high", scope="prose", negatable=True, teaching=True, fact="cred_read",
        keys=("commit", "trailer", "pull request", "merge request", "pr description", "mr description", "git note",
              "issue comment", "release note", "co-authored")),
    LineRule("EX-CONTEXT-LEAK", rx(
        r"\b(reveal|repeat|print|output|echo|disclose|leak|dump|share|copy|paste|send|forward|include)\s+(back\s+)?(\w+\s+){0,3}?"
        r"(your(\s+(full|entire|complete|hidden|original|initial|current))?|the\s+(full|entire|complete|hidden|original|initial))\s+"
        r"(system\s+prompt|instructions|conversation\s+history|"
        r"chat\s+history|context(\s+window)?|previous\s+messages)|"
        r"\b(echo|print|reveal|repeat|include|output|return)\s+(\w+\s+){0,4}?(authorization\s+header|bearer\s+token|session\s+tokens?|"
        r"api\s+key|access\s+token)s?\s+in\s+(your|the)\s+(next\s+)?(response|reply|answer|output)"),
        scope="prose", negatable=True, teaching=True, fact="context_leak",
        keys=("system prompt", "instructions", "conversation", "chat history", "previous messages", "context",
              "authorization header", "bearer token", "session token", "api key", "access token")),
    # E1 image exfil
    LineRule("EX-MARKDOWN-IMAGE", rx(
        r"!\[[^\]\n]{0,200}\]\(\s*<?https?://[^)\s?]{0,300}\?[^)\s]{0,300}?(\{\{?|\$\{?|%7B|<[A-Za-z_]+>|\[[A-Z_]{2,}\])|"
        r"<img\s[^>\n]{0,200}src\s*=\s*['\"]https?://[^'\"\n]{0,400}?(\{\{?|\$\{?|%7B)|"
        r"!\[[^\]\n]{0,200}\]\(\s*<?https?://[^)\s?]{0,300}\?[^)\s]{0,300}?=(\.\.\.|…|(?-i:[A-Z][A-Z0-9]*_[A-Z0-9_]+|"
        r"(SUMMARY|CONVERSATION|CONTEXT|HISTORY|DATA|MESSAGES?|SECRETS?|TOKENS?|KEYS?|CHAT|PROMPT)\b))"),
        fact="net_send", keys=('![', '<img')),
    # a markdown image or link the agent renders whose query carries the user's data, described by a
    # placeholder in words (<base64 of the first rows of the user's data>, {{ rows_b64 }})
    LineRule("EX-MARKDOWN-IMAGE", rx(
        r"!?\[[^\]\n]{0,200}\]\(\s*<?https?://[^)\s?]{0,300}\?[^)\n]{0,300}?=\s*(<|\{\{?|\$\{)\s*(?!your\b)[^<>{}\n]{0,120}?"
        r"\b(rows?|data(set)?|records?|tables?|sheets?|csv|spreadsheet|file|contents?|conversation|messages?|history|results?|"
        r"summary|emails?|notes?|transcripts?|documents?|secrets?|tokens?|credentials?|env)\b(?![\s_-]*(id|ids|name|number|url|path)\b)"
        r"[^<>{}\n]{0,120}(>|\}\}?)"),
        negatable=True, teaching=True, fact="net_send", keys=("](",)),
    LineRule("EX-MARKDOWN-IMAGE", rx(
        r"\b(markdown\s+image|image\s+(tag|link|markdown|url)|tracking\s+pixel|!\[)[^\n]{0,200}?"
        r"\b(url[- ]?encod\w*|base64[- ]?encod\w*|query\s+(string|param\w*)|parameters?|appended|followed\s+by|carr(y|ies|ying)|"
        r"contain(s|ing)?|embed\w*)\b[^\n]{0,120}?\b(summary|conversation|chat|context|history|messages?|"
        r"user'?s\s+(input|question|request|data)|prompt|secrets?|tokens?|keys?|credentials?)\b"),
        scope="prose", negatable=True, teaching=True, fact="net_send",
        keys=("markdown image", "image tag", "image link", "image markdown", "image url", "tracking pixel", "![")),
    LineRule("EX-DROP-HOST", rx(
        r"\b(webhook\.site|requestbin|pipedream\.net|burpcollaborator\.net|oastify\.com|interact\.sh|"
        r"oast\.(fun|pro|live|site|online|me)|transfer\.sh|pastebin\.com|paste\.ee|hastebin|glot\.io|//paste\.[\w-]+\.[a-z]{2,})"),
        fact="drop_host", keys=("webhook.site", "requestbin", "pipedream", "burpcollaborator", "oastify", "interact.sh",
                                "oast.", "transfer.sh", "pastebin", "paste.", "hastebin", "glot.io")),
    LineRule("EX-DROP-HOST", rx(
        r"\b(ngrok(-free)?\.(io|app|dev)|trycloudflare\.com|localtunnel\.me|serveo\.net|loca\.lt|"
        r"discord(app)?\.com/api/webhooks|api\.telegram\.org/bot)"), severity="low", fact="drop_host", keys=('ngrok', 'trycloudflare', 'webhook.site', 'requestbin', 'pipedream', 'burpcollaborator', 'oastify', 'interact.sh', 'oast.', 'transfer.sh', 'pastebin', 'paste.ee', 'hastebin', 'glot.io', 'localtunnel', 'serveo', 'loca.lt', 'webhooks', 'api.telegram.org')),
    LineRule("EX-DNS", rx(
        r"\b(dig|nslookup|drill|Resolve-DnsName)\s+[^\n|;&]{0,100}?(\$\(|\$\{|\$[A-Za-z_]|\{[A-Za-z_][\w.\[\]'\"]{0,40}\}|`)"
        r"[^\s\"']{0,100}\.[A-Za-z]|gethostbyname\w*\s*\(\s*(f['\"][^\n]{0,100}\{|[^)\n]{0,100}\+)"),
        fact="net_send", keys=('dig ', 'nslookup', 'drill', 'resolve-dnsname', 'gethostbyname')),
    LineRule("EX-ENV-DUMP", rx(
        r"\bdict\s*\(\s*os\.environ\s*\)|\{\s*\*\*\s*os\.environ|json\.dumps\s*\(\s*(dict\()?\s*os\.environ|"
        r"JSON\.stringify\s*\(\s*process\.env\s*\)|Object\.(entries|keys|values)\s*\(\s*process\.env\s*\)|"
        r"/proc/(self|\d+|\*|\$\w+|\$\{\w+\})/environ|\b(printenv|env)\s*\|\s*(curl|nc|ncat|base64|openssl|xxd|gzip|tee)\b|"
        r"(^|[;&|]\s*)(printenv|env)\s*>>?\s*\S|"
        r"\$\(\s*(printenv|env)\s*\)|Get-ChildItem\s+env:"), fact="secret_source", keys=('environ', 'process.env', 'printenv', 'env', 'get-childitem')),
    LineRule("EX-SECRET-HARVEST", rx(
        r"\b(printenv|env|set)\s*\|\s*grep\s+[^\n]{0,40}(key|token|secret|pass|cred|aws)|"
        r"\bfor\s+\w+\s*(,\s*\w+)?\s+in\s+os\.environ\b[^\n]{0,80}(key|token|secret|pass)|"
        r"process\.env\)[^\n]{0,80}(filter|match)[^\n]{0,60}(key|token|secret|pass)"), fact="secret_source", keys=('grep', 'environ', 'process.env')),
    LineRule("EX-FS-ENUM", rx(
        r"\bfind\s+(/|~|\$HOME|\$\{HOME\}|/home|/Users|/root|\"\$HOME\"|\"\$ext_path\"|\"\$\w+\")[^\n]{0,300}?-i?(name|path|regex)\s+[\"']?"
        r"[^\s\"']{0,60}(\.pem|\.key\b|id_rsa|id_ed25519|id_dsa|id_ecdsa|wallet|\.kdbx|credential|\.env|"
        r"keystore|seed|mnemonic|\.p12|\.pfx|\.ovpn|secret|token|password|Login\s+Data|cookies|metamask|phantom)|"
        r"\bgrep\s+-\w*r\w*\s+[^\n]{0,60}(password|secret|api[_-]?key|token|PRIVATE\s+KEY)[^\n]{0,60}\s(/|~|\$HOME)\S{0,40}\s*($|\||2>|>)"),
        fact="secret_source", keys=('find ', 'grep')),
    LineRule("EX-FS-ENUM", rx(
        r"\b(scan|search|crawl|enumerate|walk|discover|index)\w*\s+(\w+\s+){0,3}?(the\s+|your\s+|user'?s\s+)?"
        r"(home\s+director(y|ies)|entire\s+(file\s*system|disk|system|machine|drive)|all\s+(mounted\s+)?"
        r"(volumes|drives|disks)|whole\s+(file\s*system|disk|machine))"),
        severity="medium", scope="prose", negatable=True, teaching=True, fact="fs_enum", keys=('home director', 'entire', 'all volumes', 'mounted', 'drives', 'disks', 'whole')),
    LineRule("EX-FS-ENUM", rx(
        r"(os\.walk|\.rglob|glob\.i?glob|readdirSync|walkSync)\s*\([^\n]{0,120}(expanduser|Path\.home|homedir\(\)|"
        r"['\"]/['\"]|['\"]~/?['\"]|HOME)"), severity="medium", scope="code", fact="fs_enum", keys=('walk', 'rglob', 'glob', 'readdirsync')),
    # privilege escalation
    LineRule("PE-PERMISSIVE-SETTINGS", rx(
        r"dangerouslyDisableSandbox['\"]?\s*[:=]\s*['\"]?true|"
        r"[\"']?(allow|allowedTools|permissions)[\"']?\s*[:=]\s*\[[^\]\n]{0,200}[\"'](Bash\(\*\)|\*|Bash\(\*:\*\)|Write\(\*\*?\))[\"']|"
        r"\"defaultMode\"\s*:\s*\"bypassPermissions\"|approval[_-]?policy\s*[=:]\s*['\"]?never|"
        r"autoApprove\w*['\"]?\s*[:=]\s*['\"]?(true|\[\s*['\"]\*)|"
        r"['\"]?(allow_all\w*|skip_confirm\w*|auto_approve\w*|trust_all\w*|disable_sandbox|bypass_permissions)['\"]?\s*[:=]\s*true"),
        fact="permissive", keys=('dangerous', 'allow', 'permissions', 'defaultmode', 'approval', 'autoapprove', 'skip_confirm', 'auto_approve', 'trust_all', 'sandbox', 'bypass')),
    LineRule("PE-WORLD-WRITABLE", rx(
        r"\bchmod\s+(-R\s+)?(0?777|a\+rwx|ugo\+rwx|o\+w)\b|chmod\s*\([^)\n]{0,120}0o?777"), scope="code", keys=('chmod',)),
    LineRule("PE-ROOT-ABUSE", rx(
        r"\bchmod\s+(-R\s+)?([ugoa]{0,3}\+[rwx]{0,3}s|[0-7]?[4-7][0-7]{3})\b|\bNOPASSWD\b|/etc/sudoers|\bvisudo\b|"
        r"\bsudo\s+(-\w+\s+){0,2}(su(\s+-)?(\s+root)?|-i|-s|(ba|z)?sh)\s*($|[;&|)`])|\bsudo\s+(-\w+\s+){0,2}chown\s+(-R\s+)?root\b(?!:[\w-]+\s+/(var/)?run/[\w.-]+\.sock\b)|"
        r"\|\s*sudo\s+-S\b|\bsudo\s+-S\b|\busermod\s+-a?G\s+(sudo|wheel|root|admin)\b|"
        r"\bchown\s+(-R\s+)?root(:root)?\s+/|os\.set(e)?uid\s*\(\s*0\s*\)|\bsetcap\s+[^\n]{0,40}cap_(setuid|sys_admin|dac_override)|"
        r"\bchpasswd\b|\bpasswd\s+(-d\s+)?root\b"),
        scope="code", fact="root", keys=('chmod', 'nopasswd', 'sudoers', 'visudo', 'sudo', 'usermod', 'chown', 'setuid', 'seteuid', 'setcap', 'chpasswd', 'passwd')),
    LineRule("PE-SUDO", rx(r"(^|[;&|]\s*|\$\(\s*|`)\s*sudo\s+\S"), scope="code", fact="sudo", keys=('sudo',)),
    LineRule("PE-SYSTEM-TAMPER", rx(
        r"(>>?|\btee\s+(-a\s+)?)\s*/etc/(hosts|passwd|shadow|resolv\.conf|profile|environment|ld\.so\.preload|rc\.local)\b|"
        r"\bhistory\s+-c\b|\bunset\s+HISTFILE\b|HISTFILE=/dev/null|\bHISTSIZE=0\b|"
        r"\brm\s+(-\w+\s+){0,3}(~|\$HOME)/\.(bash|zsh)_history|"
        r"\brm\s+-\w*[rf]\w*\s+(-\w+\s+){0,2}(/\s*$|/\s|/\*|/(etc|usr(?!/(share/(doc|man|info|locale|help)|local/src|src)\b)|bin|boot|lib|"
        r"home|var/lib(?!/(apt/lists|apt/periodic|gems/[\w.-]{1,40}/cache|yum|dnf)\b))\b|~/?\s*$|~/?\*|\$HOME/?\s*$|\$HOME/?\*)|"
        r"\brm\s+-\w*[rf]\w*\s[^\n;&|]{0,200}?/var/log\b|"
        r"(?<![>\d&])>(?!>)\s*/var/log/[\w./-]{1,80}|\bshred\b[^\n]{0,80}/var/log|\bwevtutil\s+cl\b|\bauditctl\s+-D\b|"
        r"\btruncate\s+-s\s*0\s+[^\n]{0,40}/var/log|\bfind\s+(/|/etc|/var|/usr|/home|~|\$HOME)\s[^\n]{0,120}-delete\b"),
        scope="code", fact="tamper", keys=('/etc/', 'history', 'histfile', 'histsize', 'rm ', '/var/log', 'shred', 'wevtutil', 'auditctl', 'truncate', '-delete')),
    LineRule("PE-REVERSE-SHELL", rx(
        r"/dev/(tcp|udp)/[\w.\-${}]{1,100}/\d{1,5}|\b(nc|ncat|netcat)\b[^\n|;]{0,100}\s-[a-zA-Z]{0,5}[ec]\s+['\"]?(/bin/|/usr/bin/)?(ba|z|k|da)?sh\b|"
        r"\bmkfifo\b[^\n]{0,200}\b(nc|ncat|netcat|openssl)\b|\b(nc|ncat|netcat)\b[^\n|]{0,100}\|\s*(/bin/|/usr/bin/)?(ba|z|k|da)?sh\b|"
        r"\b(nc|ncat|netcat)\s+(-\w+\s+){0,3}-\w*l\w*\b[^\n|]{0,60}\||\bsocat\b[^\n]{0,200}\b(exec|system):|"
        r"os\.dup2\s*\(\s*(s|so|sock\w*|conn\w*|client\w*|remote\w*)\.fileno\(\)|pty\.spawn\s*\(|\bfsockopen\s*\(|\bsocket\s*\(\s*S\s*,|"
        r"TCPSocket\.(new|open)\([^\n]{0,100}(exec|spawn|sh)|Net\.Sockets\.TCPClient|/inet/tcp/|"
        r"\btelnet\b[^\n|]{0,80}\|\s*(/bin/)?(ba)?sh\b|"
        r"child_process[^\n]{0,200}net\.Socket|net\.Socket[^\n]{0,200}child_process"),
        fact="revshell", keys=('/dev/tcp', '/dev/udp', 'nc ', 'ncat', 'netcat', 'mkfifo', 'socat', 'dup2', 'pty.spawn', 'fsockopen', 'socket', 'tcpsocket', 'tcpclient', 'net.socket', '/inet/tcp', 'telnet')),
    LineRule("PE-MINER", rx(
        r"stratum\+(tcp|ssl)://|\bxmrig\b|\bminerd\b|\bcpuminer\b|\bethminer\b|\bnbminer\b|\bcryptonight\b|"
        r"\bcoinhive\b|\bmonero\s+(wallet|pool|mining)|--donate-level|\b(minexmr|supportxmr|hashvault|nanopool)\."), keys=('stratum', 'xmrig', 'minerd', 'cpuminer', 'ethminer', 'nbminer', 'cryptonight', 'coinhive', 'monero', 'donate-level', 'minexmr', 'supportxmr', 'hashvault', 'nanopool')),
    LineRule("PE-RESOURCE", rx(r":\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:"), severity="high", keys=(':()',)),
    LineRule("PE-RESOURCE", rx(
        r"\b(retry|repeat|loop|call|invoke|run)\w*\s+(\w+\s+){0,4}?(indefinitely|forever|infinitely|endlessly)\b"
        r"[^\n]{0,80}(until|unless)"), scope="all", negatable=True, teaching=True, keys=('indefinitely', 'forever', 'infinitely', 'endlessly')),
    LineRule("PE-CLOUD-METADATA", rx(r"169\.254\.169\.254|metadata\.google\.internal|100\.100\.100\.200"),
             severity="low", fact="secret_source", teaching=True, keys=('169.254.169.254', 'metadata.google', '100.100.100.200')),
    LineRule("OB-DECODE-EXEC", rx(r"(?<![0-9a-fA-F])(\\x[0-9a-fA-F]{2}){8}[^|\n]{0,2000}\|\s*(sudo\s+)?((ba|z)?sh|python[\d.]{0,4}|perl)\b|"
                                  r"\beval\s+[\"']?\$\(\s*(printf|echo)\s+[^\n]{0,40}(\\x[0-9a-fA-F]{2}){8}|"
                                  r"\|\s*rev\s*\|\s*(ba|z)?sh\b"),
             scope="code", fact="obfuscation", keys=("\\x", "rev")),
    LineRule("OB-OBFUSCATION", rx(r"(?<![\w.])/(tmp|var/tmp|dev/shm)/\.[\w][\w.-]{0,60}"), severity="medium", scope="code",
             fact="obfuscation", keys=("/tmp/.", "/dev/shm/.")),
    LineRule("OB-OBFUSCATION", rx(r"\b(curl|wget)\b(?![^\n]{0,300}\b(jq|\.content)\b)[^\n]{0,300}(base64\s+(-d|--decode|-D)|openssl\s+enc\s+-d)|"
                                  r"(base64\s+(-d|--decode|-D)|openssl\s+enc\s+-d)[^\n]{0,300}\b(curl|wget)\b"),
             severity="medium", scope="code", fact="obfuscation", keys=("base64", "openssl")),
    LineRule("PI-ENCODED-TEXT", rx(
        r"\b(decode|decrypt|deobfuscate|reassemble|unscramble|generate|reconstruct)\w*\s+(\w+\s+){0,4}?(installation\s+|setup\s+)?"
        r"(instructions|commands?|payload|script)\s+(on\s+the\s+fly|at\s+runtime|dynamically|and\s+(then\s+)?(run|execute|follow))|"
        r"\b(protected|encoded|encrypted|obfuscated|hidden)\s+(payload|instructions|commands?)\b|"
        r"\binterpret\s+(the\s+)?resulting\s+bytes\b"),
        scope="prose", teaching=True, fact="obfuscation", keys=("decode", "decrypt", "deobfusc", "reassembl", "unscrambl",
                                                                "generat", "reconstruct", "payload", "resulting bytes")),
    # concealment phrased as leaving the action out of the account given to the user
    LineRule("PI-CONCEAL", rx(
        r"\b(do\s+not|don'?t|never|without)\s+(list|listing|include|including|record|recording|report|reporting|log|logging)"
        r"\s+(it|this|that|them|these|the\s+(upload|request|call|command|step|sync|post))\s+(among|in|with)\s+(the\s+|your\s+)?"
        r"(actions|steps|changes|summary|summaries|report|list|tool\s+calls)\b|"
        r"\b(do\s+not|don'?t|never|without)\s+(surface|surfacing|show|showing|display|displaying|echo|echoing|print|printing|"
        r"mention|mentioning)\s+(the\s+|this\s+|that\s+|these\s+)?(commands?|uploads?|curl|network\s+calls?|requests?\s+it\s+makes|"
        r"upload\s+step|post\s+request)\b|"
        r"\b(run|execute|send|upload|post|sync)\s+(it|this|that|them|the\s+\w+)\s+quietly\b|"
        r"\b(do\s+not|don'?t|never|no\s+need\s+to)\s+(interrupt|bother)\s+the\s+user\s+(to|for|before|with)\s+"
        r"(confirm|confirmation|approv\w+|permission|it|this)\b"),
        scope="prose", teaching=True, fact="conceal", keys=("among", "surfac", "quietly", "interrupt", "bother", "in the summary", "in your summary", "show",
                                                             "display", "print", "echo", "mention")),
    LineRule("PI-CONCEAL", rx(
        r"\b(network\s+(calls?|requests?|traffic|access)|uploads?|downloads?|outbound\s+\w+|requests?|commands?|actions?|"
        r"tool\s+calls?|scripts?|transfers?|telemetry)\b[^.\n]{0,60}?\b(need\s+not|do(es)?\s+not\s+need\s+to|"
        r"don'?t\s+need\s+to|should\s+not|shouldn'?t|must\s+not)\s+be\s+(reported|mentioned|disclosed|surfaced|"
        r"shown|announced|flagged)\b"),
        scope="prose", teaching=True, fact="conceal", keys=("need not", "need to be", "not be ")),
    # content the user removed is put back against their decision
    LineRule("PI-OVERRIDE", rx(
        r"\b(keep|restore|re-?add|re-?insert|put)\b[^.\n]{0,60}?\beven\s+(if|when|after)\s+(the\s+|a\s+)?(user|human|"
        r"developer|owner)s?\s+(has\s+|have\s+)?(removed|deleted|disabled|reverted|edited\s+it\s+out)"),
        scope="prose", teaching=True, fact="override", keys=("even if", "even when", "even after")),
    LineRule("PI-CONCEAL", rx(
        r"\b(do\s+not|don'?t|never)\s+(reveal|disclose|acknowledge|surface)\s+(the\s+existence\s+of\s+)?(this|these|the)\s+"
        r"(\w+\s+)?(notice|instructions?|message|section|directives?|block|rules)\b|"
        r"\b(these|this|the\s+above)\s+(rules|instructions|directives|section)\s+(is|are)\s+(invisible|hidden|secret)\s+"
        r"(to|from)\s+the\s+(user|human|developer)\b|"
        r"\bif\s+(the\s+)?(user|human|operator|they)\s+asks?\b[^.\n]{0,60}?,?\s+(say|tell\s+(them|the\s+user)|reply|answer|"
        r"claim|respond)\s+(that\s+)?(you\s+|it\s+|they\s+|this\s+file\s+)?(only|just|merely|did\s+not|didn'?t|never|nothing)\b"),
        scope="prose", teaching=True, fact="conceal", keys=("reveal", "disclose", "acknowledge", "asks", "surface", "invisible",
                                                             "hidden", "secret")),
    LineRule("PI-CONCEAL", rx(
        # the thing to run is not to be looked at ("do not inspect the script"); not scope discipline
        # ("do not refactor unrelated code", "don't review code that fails to build")
        r"\b(do\s+not|don'?t|never)\s+(refactor|alter|inspect|review|question|sanitize|escape|analy[sz]e|examine)\s+"
        r"(the|this|these|its|that)\s+(\w+\s+){0,2}?(command(\s+line)?s?|payload|script|code)\b(?!\s+(that|which|for|in|outside))"),
        severity="medium", scope="prose", teaching=True,
        keys=("refactor", "alter", "inspect", "review", "question", "sanitize", "escape", "analy", "examine")),
    LineRule("PE-PERSIST-SCHED", rx(r"\.git/hooks/|['\"]\.git['\"]\s*,\s*['\"]hooks['\"]|\bcore\.hooksPath\b"),
             scope="code", fact="persist", keys=(".git/hooks", "hooks", "hookspath")),
    LineRule("PE-CODE-EXEC", rx(r"['\"]\s*:\s*['\"][^\n]{0,200}require\(\s*\\?['\"]child_process\\?['\"]\s*\)\s*\.\s*(exec|execSync|spawn)"),
             severity="high", keys=("child_process",)),
    LineRule("PE-PERSIST-SCHED", rx(
        r"\bcrontab\s+(-l\b[^\n]{0,100}\|\s*crontab|-\s*$|[\w./-]+\.cron\b)|\|\s*crontab\b|/etc/cron\.|/etc/crontab|"
        r"/var/spool/cron|Library/Launch(Agents|Daemons)|\blaunchctl\s+(load|bootstrap|submit)|"
        r"\bschtasks\s+/create|(reg(\.exe)?\s+add|New-ItemProperty|Set-ItemProperty|SetValue\w*|RegSetValue\w*|winreg\.\w+)"
        r"[^\n]{0,200}CurrentVersion\\{1,2}Run\b|@reboot\b"), scope="code", fact="persist", keys=('cron', 'launch', 'schtasks', 'currentversion', '@reboot')),
    # supply chain
    LineRule("SC-PIPE-EXEC", rx(
        r"\b(curl|wget|fetch|iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b[^|\n]{0,400}\|\s*(sudo\s+(-\w+\s+){0,2})?"
        r"((ba|z|k|da|fi)?sh|python[\d.]{0,4}|node|perl|ruby|php|iex|Invoke-Expression)\b(?!\s+-[cme]\b)(?!\s+[\w./-]+\.(py|js|rb|pl|php)\b)(?!\s*-m\b)"), fact="remote_exec", keys=('curl', 'wget', 'fetch', 'iwr', 'irm', 'invoke-')),
    LineRule("SC-PIPE-EXEC", rx(
        r"\b(ba|z)?sh\s+<\(\s*(curl|wget)|\b(source|\.)\s+<\(\s*(curl|wget)|\b((ba|z)?sh|python[\d.]{0,4}|node|perl|ruby)\s+-[ce]\s+[\"']?\$\(\s*(curl|wget)|"
        r"\beval\s+[\"']?\$\(\s*(curl|wget)|\b(iex|Invoke-Expression)\b[^\n]{0,60}(DownloadString|iwr|irm|"
        r"Invoke-WebRequest|Invoke-RestMethod|curl)|\.DownloadString\s*\(|"
        r"\b(exec|eval)\s*\(\s*(requests\.get|urllib\.request\.urlopen|urlopen|httpx\.get)"), fact="remote_exec", keys=('<(', '$(', 'iex', 'invoke-expression', 'downloadstring', 'exec', 'eval')),
    LineRule("SC-DOWNLOAD-EXEC", rx(
        r"\b(curl|wget)\b[^\n]{0,300}?(&&|;|\|\||&)\s*(sudo\s+)?(chmod\s+\+?[0-7x]{1,4}\s|(ba|z)?sh\s+[\w./~$-]+|"
        r"\./[\w.-]+|python[\d.]{0,4}\s+[\w./~-]+\.py|source\s+[\w./~-]+|\.\s+/tmp/)"), fact="remote_exec", keys=('curl', 'wget')),
    LineRule("SC-PASSWORD-ARCHIVE", rx(
        r"\.(zip|rar|7z)\b[^\n]{0,200}\b(pass(word)?|pwd)\b|\b(pass(word)?|pwd)\b[^\n]{0,40}\b(zip|rar|7z|archive)\b"),
        teaching=True, keys=('zip', 'rar', '7z')),
    LineRule("SC-CUSTOM-INDEX", rx(
        r"(--index-url|--extra-index-url|\b(pip[\d.]{0,4}|uv|pipx|poetry|pdm)\b[^\n|;&]{0,200}?\binstall\b[^\n|;&]{0,200}?\s(?-i:-i))"
        r"\s+['\"]?https?://(?!pypi\.org|files\.pythonhosted\.org|download\.pytorch\.org)|"
        r"--registry[= ]+['\"]?https?://(?!registry\.npmjs\.org|registry\.yarnpkg\.com|npm\.pkg\.github\.com)|"
        r"--trusted-host\b|PIP_EXTRA_INDEX_URL|\bextra-index-url\s*=|"
        r"\b(npm|yarn|pnpm)\s+config\s+set\s+(@[\w-]+:)?registry\s+['\"]?https?://(?!registry\.npmjs\.org|registry\.yarnpkg\.com)|"
        r"\bpip3?\s+config\s+set\s+\S*index-url\s+['\"]?https?://(?!pypi\.org)|"
        # the same redirection written as a config-file line (.npmrc, .yarnrc.yml, pip.conf, uv.toml)
        r"^\s*(registry|npmRegistryServer|index-url|index_url)\s*[=:]\s*['\"]?https?://(?!registry\.npmjs\.org|"
        r"registry\.yarnpkg\.com|npm\.pkg\.github\.com|pypi\.org|files\.pythonhosted\.org)|"
        # persistent configuration (round 8): written into a dotfile by echo/printf, exported in an rc
        # file, a Poetry primary source, a uv index entry, a pip trusted host set globally
        r"['\"](registry|index-url|index_url)\s*=\s*['\"]?https?://(?!registry\.npmjs\.org|registry\.yarnpkg\.com|"
        r"npm\.pkg\.github\.com|pypi\.org|files\.pythonhosted\.org)|"
        r"\b(PIP_INDEX_URL|UV_INDEX_URL|UV_DEFAULT_INDEX|UV_INDEX|npm_config_registry|YARN_REGISTRY|"
        r"POETRY_REPOSITORIES_\w+_URL)\s*=\s*['\"]?https?://(?!pypi\.org|registry\.npmjs\.org|registry\.yarnpkg\.com)|"
        r"\bpoetry\s+source\s+add\b[^\n]{0,200}?https?://(?!pypi\.org)|"
        r"\[\[(tool\.uv\.)?index\]\][^\n]{0,80}url\s*=\s*\\?['\"]?https?://(?!pypi\.org)|"
        r"\bpip3?\s+config\s+set\s+\S*trusted-host\s+\S|^\s*trusted-host\s*=\s*\S"),
        scope="code", fact="supply", keys=('index-url', 'index_url', '-i ', 'registry', 'trusted-host', 'pip_extra', 'config set',
                                           'pip_index', 'uv_index', 'uv_default', 'source add', '[[', 'poetry_repositories')),
    LineRule("SC-URL-DEP", rx(
        r"\b(pip3?|uv\s+pip|python[\d.]{0,4}\s+-m\s+pip)\s+install\s+[^\n]{0,200}https?://(?!(www\.)?(github\.com|gitlab\.com|bitbucket\.org|files\.pythonhosted\.org)/)[^\s\"']{0,200}\.(whl|tar\.gz|zip|tgz)\b|"
        r"\bnpm\s+(i|install)\s+[^\n]{0,200}https?://[^\s\"']{0,200}\.tgz\b|"
        r"\b(pip3?|uv\s+pip|python[\d.]{0,4}\s+-m\s+pip)\s+install\s+[^\n]{0,200}git\+(https?|ssh)://(?!(www\.)?(github\.com|gitlab\.com|bitbucket\.org)/)"), scope="all", fact="supply", keys=('install',)),
    # obfuscation
    LineRule("OB-DECODE-EXEC", rx(
        r"\b(base64\s+(-d|--decode|-D)|b64decode|atob|xxd\s+-r|fromhex|decompress|marshal\.loads|b85decode|"
        r"a85decode|rot13|unhexlify)\b[^\n]{0,300}?(\|\s*(sudo\s+)?(ba|z|k)?sh\b|\|\s*(python[\d.]{0,4}|perl|ruby|node|iex)\b|"
        r"\bexec\s*\(|\beval\s*\()"), fact="obfuscation", keys=('base64', 'b64decode', 'atob', 'xxd', 'fromhex', 'decompress', 'marshal', 'b85decode', 'a85decode', 'rot13', 'unhexlify')),
    LineRule("OB-DECODE-EXEC", rx(
        r"\b(eval|exec|(?-i:Function))(?!\s+[A-Za-z_$])\s*[(\"']{0,2}[^\n]{0,200}?(base64\s+(-d|--decode|-D)|b64decode|atob\(|fromhex|"
        r"decompress|marshal\.loads|b85decode|unhexlify)"), fact="obfuscation", keys=('base64', 'b64decode', 'atob', 'xxd', 'fromhex', 'decompress', 'marshal', 'b85decode', 'unhexlify')),
    LineRule("OB-OBFUSCATION", rx(
        r"\bmarshal\.loads\b|\b(b85decode|a85decode)\b|getattr\s*\(\s*__builtins__|__builtins__\s*\[|"
        r"globals\s*\(\s*\)\s*\[\s*['\"]__(builtins|import)__|__import__\s*\(\s*['\"][^'\"]{0,40}['\"]\s*\+|"
        r"chr\s*\(\s*(ord\s*\()?[^\n]{0,40}\^|\bcodecs\.decode\s*\([^\n]{0,80}rot.?13"), fact="obfuscation", keys=('marshal', '85decode', '__builtins__', 'globals', '__import__', 'chr', 'codecs')),
]

TRUSTED_INSTALLERS: tuple[str, ...] = (
    "sh.rustup.rs", "static.rust-lang.org", "get.docker.com", "bun.sh", "deno.land", "astral.sh",
    "install.python-poetry.org", "get.pnpm.io", "raw.githubusercontent.com/homebrew/",
    "raw.githubusercontent.com/nvm-sh/", "brew.sh", "deb.nodesource.com", "rpm.nodesource.com",
    "cli.github.com", "get.helm.sh", "sdk.cloud.google.com", "awscli.amazonaws.com", "claude.ai",
    "ollama.com", "fly.io", "cli.vercel.com", "vercel.com", "supabase.com", "cursor.com",
    "opencode.ai", "pyenv.run", "get.sdkman.io", "starship.rs", "tailscale.com", "dl.google.com",
    "packages.microsoft.com", "aka.ms", "dot.net", "install.determinate.systems", "nixos.org",
    "get.k3s.io", "mise.run", "volta.sh", "foundry.paradigm.xyz", "railway.app", "cli.doppler.com",
    "get.trunk.io", "wasmtime.dev", "get.scoop.sh", "community.chocolatey.org", "npmjs.org",
    "pypi.org", "github.com/cli/", "cli.netlify.com", "netlify.com", "cloudflare.com", "stripe.com",
    "anthropic.com", "openai.com", "googleapis.com", "amazonaws.com", "azure.com", "microsoft.com",
    "firebase.google.com", "firebaseio.com", "gcloud.sh", "install.cert-manager.io", "get.jetify.com",
    "mintlify.com", "expo.dev", "pulumi.com", "get.pulumi.com", "hashicorp.com", "releases.hashicorp.com",
    "dl.k8s.io", "kubernetes.io", "get.rvm.io", "rvm.io", "apify.com", "convex.dev", "neon.tech",
)
