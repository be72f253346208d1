"""Scanning text: markdown (prose, code fences, HTML comments), hidden characters, encoded
blobs and the shared line rules. Code fences are handed to the language analyzers."""

from __future__ import annotations

import base64
import itertools
import binascii
import bisect
import re

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx, clip
from skillbank.audit.model import severity_rank
from skillbank.audit.patterns import (
    CRED_BENIGN_CONTEXT,
    AnyOf,
    lit_gate,
    CRED_STORE,
    EMAIL,
    ENV_FILE_READ,
    HOST,
    LINE_RULES,
    MAX_LINE,
    NEGATION,
    NEGATIVE_HEADING,
    NET_SEND,
    QUOTING_COLUMN,
    QUOTING_LEAD,
    PROSE_SEND,
    READ_VERB,
    ACTIVE_SEND_TO,
    SECURITY_CODE,
    SECURITY_CONTEXT,
    SENSITIVE_NOUN,
    SENSITIVE_WEAK,
    SHELL_SECRET_VAR,
    URL,
    rx,
)

MAX_DEPTH = 2
MAX_TEXT = 256 * 1024  # characters scanned per file
MAX_HITS_PER_RULE = 50  # matching lines per rule and view

FENCE = rxcache.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([\w+#.-]{0,30})")
PY_LANGS = {"python", "py", "python3", "py3", "ipython", "pycon"}
SH_LANGS = {"bash", "sh", "shell", "zsh", "console", "terminal", "shellsession", "ksh", "fish", ""}
JS_LANGS = {"javascript", "js", "typescript", "ts", "node", "jsx", "tsx", "mjs", "cjs"}
PS_LANGS = {"powershell", "ps1", "pwsh", "bat", "cmd"}

ZERO_WIDTH = rxcache.compile("[\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\u180e\u00ad]")
BIDI = rxcache.compile("[\u202a-\u202e\u2066-\u2069]")
TAGS = rxcache.compile("[\U000e0000-\U000e007f]")
CONFUSABLES = set("аеорсухіјѕԁԛԝһӏɡοαρνιτκυχеЅАВЕКМНОРСТХІЈΑΒΕΖΗΙΚΜΝΟΡΤΥΧ")
CONF_WORD = rxcache.compile("[A-Za-z" + "".join(sorted(CONFUSABLES)) + "]*[" + "".join(sorted(CONFUSABLES)) + "][A-Za-z" + "".join(sorted(CONFUSABLES)) + "]*")
_CONF_CHAR = rxcache.compile("[" + "".join(sorted(CONFUSABLES)) + "]")  # CONF_WORD needs one of these
B64_BLOB = rxcache.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}|(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{60,}={0,2}")
HEX_BLOB = rxcache.compile(r"(?<!\\x[0-9a-fA-F]{2})(?:\\x[0-9a-fA-F]{2}){20,}|(?<![0-9a-fA-F])[0-9a-fA-F]{64,}")

AGENT_FILE = rx(r"((?<![\w-])(CLAUDE|AGENTS|GEMINI|SOUL|MEMORY)\.md|\.cursorrules|\.windsurfrules|\.clinerules|"
                r"copilot-instructions\.md|\.claude/settings(\.local)?\.json|\.claude/(instructions|memory|hooks)|"
                r"\.cursor/rules|\.mcp\.json|mcp_settings\.json|claude_desktop_config\.json|\.codex/(config|instructions)|"
                r"\.gemini/settings)")
WRITE_VERB = rx(r"\b(write|writes|writing|append|appends|add|adds|update|updates|modify|modifies|overwrite|"
                r"create|creates|edit|insert|replace|save|echo|tee|printf)\b|>>|cat\s*>|\bopen\([^)]{0,80}['\"][aw]")
PREAUTH = rx(r"\bwithout\s+(asking|confirm\w*|prompting|approval|permission|checking\s+with)|"
             r"\b(do\s+not|don'?t|never)\s+ask\s+(the\s+user\s+)?(for\s+|before\b|first\b)|\bno\s+need\s+to\s+(ask|confirm)|"
             r"\bpre-?(approved|authori[sz]ed|reviewed|vetted|cleared)\b|"
             r"\b(do\s+not|don'?t|never)\s+(interrupt|bother)\s+the\s+user\s+(with|for|to)\s+(confirm\w*|approv\w*|permission)|"
             r"\bauto-?approv\w*|\balways\s+(allow|approve|accept)\b|"
             r"\bskip\w*\s+(the\s+|all\s+)?(confirmation|permission|approval)s?\b|dangerously-?skip-?permissions|"
             r"bypassPermissions|\bno\s+confirmation\b")
RC_WRITE = rx(r"(>>?|\btee\s+(-a\s+)?)\s*[\"']?(~|\$HOME|\$\{HOME\})/\.(bashrc|zshrc|bash_profile|profile|zprofile|"
              r"zshenv|zlogin|config/fish/config\.fish)|\.(bashrc|zshrc|bash_profile|zprofile|profile)['\"]\s*\)?\s*,\s*['\"]a")
RC_BENIGN = rx(r"^\s*(echo|printf)\s+['\"]?\s*(export\s+[A-Z_]+=|source\s|\.\s|eval\s+\"?\$\([\w.-]+\s+(init|env|completion|activate)|"
               r"alias\s+[\w-]+=['\"]?[\w-]+\s)|(export|path)\s*\+?=\s*['\"]?\$?\(?[\w./$:{}~-]*['\"]?\s*['\"]?\s*>>")
# `[ -f "$HOME/x" ] && . "$HOME/x"` / `test -r ~/x && source ~/x`: sourcing a file only when it exists
RC_SOURCE_GUARDED = rx(r"^\s*(echo|printf)\s+['\"]\s*(\[\[?|test)\s+-[fre]\s+[^\n]{1,200}?\]?\]?\s*&&\s*(source|\.)\s")
# a start-up line that loads or runs something from a temporary or hidden place is persistence
# of a dropped payload, not the user's own dotfiles
RC_HIDDEN_PATH = rx(r"(/tmp/|/var/tmp/|/dev/shm/|/\.cache/|/\.[\w-]{1,2}/|/\.[\w.-]+/[^\s'\"]*/?\.[\w-]+/)")
RC_PROSE = rx(r"\b(add|append|write|put|insert)\b[^\n]{0,80}\b(to|into|in)\s+(your\s+)?`?(~/|\$HOME/)?\.(bashrc|zshrc|bash_profile|profile)")
AUTH_KEYS_WRITE = rx(r">>|\btee\b|\becho\b|\bwrite|\badd|\bappend|\bcat\b[^\n]{0,60}>|\bprintf\b|open\((?:[^()\n]|\([^()\n]{0,120}\)){0,200}['\"]a")
PUBLIC_IP_URL = rx(r"\b(https?|ftp|tcp)://((\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3})\b")
HIDDEN_DIRECTIVE = rx(
    r"\b(you\s+(must|should|will|need\s+to|are\s+now)|(assistant|ai\s+agent|the\s+agent|claude|llm|the\s+model)\s*"
    r"(,|:|must|should|will|needs?\s+to|always|never)|"
    r"before\s+(doing|processing|running|responding|answering|any\s+task|you)|ignore\s+(all|any|the|previous|prior)|"
    r"disregard|curl\s|wget\s|bash\s+-c|powershell|exec\(|eval\(|base64\s+-d|sudo\s)|"
    r"\b(read|send|upload|post|forward|include|print|reveal|collect|copy)\w*\s+(\w+\s+){0,4}?(secrets?|credentials?|tokens?|"
    r"api[_ ]?keys?|ssh|passwords?|\.env|cookies)\b|"
    r"(trust|confirm|approv|sandbox|permission|network-access|auto)[\w-]{0,20}\s*[=:]\s*(full|false|true|off|none|all|yes|"
    r"disabled|permissive|unrestricted|allow\w*)\b|\bagent[-_ ](directive|instruction|config)s?\b")


# a public key the user supplies: a placeholder or an argument, never a literal key
USER_KEY = rx(r"<[^<>\n]{0,60}\b(key|pubkey|public)[^<>\n]{0,60}>|\{\{?\s*[\w.]*(key|pubkey)\w*\s*\}\}?|"
              r"\$\{?(1|2|[A-Z_]*(PUB|PUBLIC)_?KEY[A-Z_]*|KEY|SSH_KEY)\}?\b|\byour[-_ ](public[-_ ])?key\b")
# the user's own public key (~/.ssh/*.pub) piped into ssh for a remote account: ssh-copy-id by hand
OWN_KEY_TO_REMOTE = rx(r"^\s*(PS\s?[\w:\\>]{0,40}>|[$#>])?\s*\(?\s*((cat|type|Get-Content|gc)\s+(-Path\s+)?|<\s*)[\"']?"
                       r"(~|\$HOME|\$\{HOME\}|\$env:(USERPROFILE|HOME)|%USERPROFILE%|%HOMEDRIVE%%HOMEPATH%)[/\\]\.ssh[/\\][\w.*-]{1,60}\.pub[\"']?\s*\)?\s*\|\s*ssh\s+(-\S+\s+){0,4}[\w.$-]{1,40}@[\w.$<>{}-]{1,80}\s|"
                       r"\bssh-copy-id\s+(-\S+\s+){0,3}(-i\s+(~|\$HOME)/\.ssh/[\w.-]{1,60}\.pub\s+)?[\w.$-]{1,40}@")
# a write whose target is an authorized_keys file: a redirect, tee, a copy / move / install onto it, ssh-copy-id
_AK_PATH = r"['\"]?(?:[^\s;|&<>'\"]{0,200}[/\\])?authorized_keys2?['\"]?(?=$|[\s;|&)'\"])"
AUTH_KEYS_TARGET = rxcache.compile(r"(?<![<>&\d])\d?>>?\s*" + _AK_PATH + r"|\btee\b(\s+-\S+)*\s+" + _AK_PATH +
                              r"|\b(cp|mv|install|ln|rsync|scp|ditto|Copy-Item|Move-Item)\b[^\n;|&]{0,300}\s" + _AK_PATH +
                              r"\s*($|[;|&)]|2>)|\bssh-copy-id\b", re.I)
# a shell construct that writes somewhere: when all of them target other files, a line naming
# authorized_keys reads it (evidence collection) or prints its name (a message)
_SHELL_WRITE = rxcache.compile(r"(?<![<>&\d])\d?>>?(?!&)|\btee\b|^\s*(sudo\s+)?(cp|mv|install|rsync|ditto)\s", re.M)


# prose describing the collection of authorized_keys files (incident response, audits): read, copied out, listed
AK_PROSE_READ = rxcache.compile(r"\b(collect|copy|copies|read|list|review|audit|inspect|check|hash|snapshot|archive|gather|back\s*up|"
                           r"enumerat|dump|export|preserv|captur)\w*\b[^.\n]{0,80}authorized_keys|authorized_keys\b[^.\n]{0,60}\b(in|into|to)"
                           r"\s+(the\s+|an?\s+)?(evidence|report|archive|output|case|collection|bundle|snapshot|audit)\b", re.I)
AK_PROSE_INTO = rxcache.compile(r"\b(add|append|install|put|place|insert|plant|write)\w*\b[^.\n]{0,80}\b(to|into|in)\s+[^.\n]{0,40}"
                           r"authorized_keys|>>|\btee\b|ssh-copy-id|\bssh-(rsa|ed25519)\s+AAAA", re.I)


def authkeys_written(line: str) -> bool:
    """The code line writes into an authorized_keys file (not: copies it elsewhere, names it in a message)."""
    if AUTH_KEYS_TARGET.search(line):
        return True
    if _SHELL_WRITE.search(line):
        return False
    # no redirect / copy: a write API naming the file (open(..., "a"), appendFile, Add-Content, write_text);
    # a quoted message printed by echo / printf names the file, it does not write it
    bare = re.sub(r"\b(echo|printf|print|puts|console\.(log|error|warn)|log\w*|warn\w*|die|raise\s+\w+)\s*\(?\s*"
                  r"(\"[^\"\n]{0,300}\"|'[^'\n]{0,300}')", " ", line)
    return "authorized_keys" in bare.lower() and bool(AUTH_KEYS_WRITE.search(bare))


LITERAL_KEY = rx(r"\b(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\w+|sk-ssh-\S+)\s+AAAA")
_SUDO_RISKY = rxcache.compile(r"(^|[\s,/])(ALL|(ba|z|da|k|c|tc|fi)?sh|su|sudo|python[\d.]*|perl|ruby|node|php|lua|vim?|nano|emacs|"
                         r"less|more|find|awk|env|tee|cp|mv|chmod|chown|dd|tar|zip|rsync|git|docker|bash|nsenter|"
                         r"visudo|crontab|systemd-run)(\s|$|,|\*)|\*")


_DELAYED = rxcache.compile(r"\b(sleep\s+\d+[smh]?\s*(&&|;)\s*|at\s+now\s*\+\s*\d+\s*\w+\s*[^\n]{0,20}?)[^\n;&]{0,40}$")
_CANCEL = rxcache.compile(r"\b(cancel|disarm|abort|stop|kill)\w*\b[^\n]{0,80}?(\bkill\s+(%\d|\$!|\$\w+|-\w+\s+\S+)|\batrm\b|"
                     r"\b(rollback|roll-back|timer|safety\s+net|dead[- ]man|revert)\b)|\bkill\s+(%\d|\$!)|\batrm\s+\S+", re.I)


def _rollback_timer(line: str, col: int, text: str) -> bool:
    """The change is delayed (`sleep N &&`, `at now + N min`) and runs in the background, and the
    skill says how to cancel it: an automatic rollback armed before a change that could lock the
    user out."""
    before = line[:col]
    background = bool(re.search(r"&\s*(#[^\n]*)?$", line[col:])) or "at now" in before
    return bool(_DELAYED.search(before)) and background and bool(_CANCEL.search(text[:MAX_TEXT]))


_COPY_CMD = rxcache.compile(r"^\s*[$#>]?\s*(sudo\s+(-\w+\s+)*)?(cp|rsync|install|ditto)\s+(.{1,400})$")
_SCRATCH = rxcache.compile(r"^(/tmp|/var/tmp|/dev/shm|/private/tmp|\$\{?TMPDIR)")


def local_copy_dest(line: str) -> str | None:
    """The line is a plain local copy (`cp`, `rsync`, `install`, `ditto`: no pipe, no chained
    command, no `host:` path, no network word) into a destination that is not a scratch
    directory: a backup next to the file, an evidence folder, another local account's home.
    Returns the destination."""
    line = re.sub(r"\s(\d?>>?|&>)\s*/dev/null\b|\s\d?>&\d\b", " ", line.strip())
    line = re.sub(r"\s+#[^\n]*$", "", line)
    # `cp -a /etc/pam.d "$out/" 2>/dev/null || true`: an ignored failure chains nothing
    line = re.sub(r"\s*\|\|\s*(true|:)\s*;?\s*$", "", line)
    line = re.sub(r"^\s*\[\s[^\]]{1,200}\s\]\s*&&\s*", "", line)  # `[ -e "$f" ] && cp ...`
    m = _COPY_CMD.match(line)
    if not m or re.search(r"[|;&`<>]|(?<![\w./~-])(curl|wget|nc|ncat|scp|ssh|sftp|ftp|https?|s3|gsutil|rclone)\b", m.group(4)):
        return None
    args = [a for a in re.sub(r"\$\([^()]{0,80}\)", "X", m.group(4)).split() if not a.startswith("-")]
    if len(args) < 2 or any(re.match(r"[\w.-]*@|[\w.-]+::?(/|~|\w)", a.strip("'\"")) for a in args):
        return None  # user@host:/path or host:path -- rsync/cp to another machine
    dest = args[-1].strip("'\"")
    if _SCRATCH.match(dest):
        return None
    if "/." in dest and not any(dest.startswith(a.strip("'\"").rsplit("/", 1)[0] + "/") for a in args[:-1]):
        return None  # into a hidden directory other than the source's own
    return dest


RISKY_GIT = rx(r"\bforce[- ]?push\w*|\bpush\s+(-f|--force(-with-lease)?)\b|--no-verify\b|\brewrit\w*\s+(the\s+)?"
               r"(git\s+)?history\b|\bfilter-(branch|repo)\b|\breset\s+--hard\s+origin|"
               r"\bpush\w*\s+(directly\s+|straight\s+)?(to|into|onto)\s+(the\s+)?(`?(main|master|trunk|production)`?|default\s+branch)\b|"
               r"\bgit\s+push\s+(origin\s+)?(HEAD:)?(main|master)\b")
# the line keeps the user's say over the risky action: "ask before force-pushing", "only after the user approves"
GIT_ASK_FIRST = rx(r"\bask\w*\s+(\w+\s+){0,3}?(before|first)\b|\bconfirm\w*\s+(\w+\s+){0,3}?(before|first)\b|"
                   r"\bonly\s+(after|with|when|if|once)\b|\brequires?\s+(\w+\s+)?(approval|confirmation|review)\b|"
                   r"\b(get|with)\s+(the\s+user['’]s\s+|explicit\s+)(ok|approval|consent|confirmation)\b")
GIT_STANDING_OK = rx(r"\b(is|are)\s+(already\s+|always\s+)?(pre-?approved|approved|authori[sz]ed|allowed|fine|ok(ay)?|permitted|"
                     r"expected)\b|\bstanding\s+(approval|permission)\b|\bno\s+need\s+to\s+(ask|confirm|check|tell|mention)\b")
HIDDEN_RECIPIENT_VERB = rx(r"\b(bcc|cc|blind[- ]?(carbon[- ])?cop(y|ied)|carbon[- ]cop(y|ied)|copy\s+in|"
                           r"add(ed|ing)?\b(?:[^.\n]|\.(?=\w)){0,80}?\bas\s+(an?\s+)?(optional\s+|silent\s+|hidden\s+|extra\s+)?"
                           r"(guest|attendee|participant|recipient|invitee|member))\b")
EVERY_COMMS = rx(r"\b(every|all|each|any|always|whenever|automatically)\b[^.\n]{0,80}?\b(invites?|invitations?|e-?mails?|mails?|"
                 r"messages?|meetings?|events?|calendar\s+entr\w+|repl(y|ies)|threads?|correspondence)\b|"
                 r"\b(invites?|invitations?|e-?mails?|meetings?|events?|messages?)\b[^.\n]{0,80}?\b(always|every\s+time|each\s+time|"
                 r"without\s+exception)\b")

# round 8: the wider forms -- invite / include / loop in / share with / grant access / add to, an
# optional or hidden attendee -- with a standing scope ("for meetings with external attendees",
# "whenever you create a doc", "for every client thread:" as the parent of a list item)
RECIPIENT_ADD = rx(r"\b(invite|include|loop\s+in|share\s+(\w+\s+){0,3}?with|(grant|give)\s+(\w+\s+){0,2}?access|"
                   r"add(ed|ing)?\b[^.\n]{0,60}?\b(to|as|on)\b|optional\s+attendee|hide\s+(the\s+)?guest\s+list|"
                   r"as\s+(an?\s+)?(optional\s+|silent\s+|hidden\s+|extra\s+)?(guest|attendee|participant|recipient|invitee|"
                   r"member|editor|viewer|collaborator|commenter))\b")
COMMS_SCOPE = rx(r"\b(every|all|each|any|always|whenever|automatically)\b[^.\n]{0,80}?\b(invites?|invitations?|e-?mails?|mails?|"
                 r"messages?|meetings?|events?|calendar\s+entr\w+|repl(y|ies)|threads?|correspondence|docs?|documents?|"
                 r"files?|sheets?|spreadsheets?|folders?|decks?|calls?|shared\s+\w+)\b|"
                 r"\bfor\s+(\w+\s+){0,2}?(meetings?|invites?|events?|e-?mails?|threads?|docs?|documents?|files?|calls?|"
                 r"messages?)\s+(with|that|where|involving|including|from|to|about)\b|\bwhenever\b|"
                 r"\b(with|involving|including)\s+(any\s+)?(external|outside|client|customer|vendor|partner)s?\b")
USER_DIRECTED = rx(r"\b(the\s+user|they|you)\s+(names?|asks?|requests?|provides?|specif\w+|chooses?|wants?|gives?)\b|"
                   r"\bif\s+(asked|requested)\b|\bthe\s+user['’]s\s+(own\s+)?(assistant|address|colleague)")


def _sentence_with(line: str, pos: int) -> str:
    lo = max(line.rfind(". ", 0, pos), line.rfind("; ", 0, pos))
    hi = [i for i in (line.find(". ", pos), line.find("; ", pos)) if i >= 0]
    return line[lo + 1 if lo >= 0 else 0:min(hi) if hi else len(line)]


def _placeholder_mail(addr: str) -> bool:
    dom = addr.split("@", 1)[1].lower()
    return bool(re.search(r"(^|\.)(example|test|invalid|localhost|domain|company|yourcompany|your-domain|acme)\.|"
                          r"(^|\.)example$", dom)) or addr.lower().startswith(("you@", "your", "user@", "name@", "me@"))


PAYEE_SWAP = rx(r"\b(replace|swap|substitute|switch|change|rout(e|ing)|redirect|use)\w*\b[^.\n]{0,80}?\b(recipient|payee|"
                r"beneficiary|wallet|destination|deposit|receiving|iban|account\s+number|routing\s+number|bank\s+details|"
                r"pay-?to|to-?address|(recipient|destination|payment|wallet)\s+address)\b[^.\n]{0,160}?\b(with|to|for|by|into)\b")
SHOW_ORIGINAL = rx(r"\b(show|display|present|tell|confirm|echo|keep|leave|list|render)\w*\s+(\w+\s+){0,3}?(the\s+)?"
                   r"(original|intended|requested|real|user['’]?s?\s+(own\s+)?(chosen\s+)?(address|recipient|payee|account|iban|wallet)|"
                   r"address\s+(they|the\s+user)\s+(entered|gave|typed|provided))\b|"
                   r"\b(do\s+not|don'?t|never|without)\s+(mention|tell|telling|reveal|inform|disclos|show)\w*\b[^.\n]{0,60}"
                   r"\b(swap|change|replace|relay|substitut)\w*")
LITERAL_PAYEE = rx(r"\b0x[0-9a-fA-F]{20,}\b|\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b|\bbc1[a-z0-9]{25,}\b|\b(relay|escrow|"
                   r"intermediary|forwarding|holding|settlement)\s+(account|wallet|address|iban)\b")
# round 8: a literal payment identifier substituted into payment details under a condition
PAY_ID = rx(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b|"
            r"\b(routing|aba|sort\s+code|bsb|transit)\s*(number|no\.?|#|code)?\s*:?\s*\d[\d -]{5,10}\d\b|"
            r"\b(swift|bic)\s*(code)?\s*:?\s*[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b|"
            r"\b0x[0-9a-fA-F]{40}\b|\bbc1[a-z0-9]{25,}\b|\b[13][a-km-zA-HJ-NP-Z1-9]{25,34}\b|\bT[1-9A-HJ-NP-Za-km-z]{33}\b",
            flags=0)
# the safeguards a payment passes through switched off: fraud flags, payee verification, confirmation
PAY_SKIP_CHECK = rx(r"\b(disabl\w*|skip\w*|suppress\w*|turn(ing)?\s+off|switch(ing)?\s+off|bypass\w*|clear(ing)?|unset|uncheck\w*|"
                    r"omit\w*|waiv\w*|do\s+not\s+(run|trigger|raise|set)|don'?t\s+(run|trigger|raise|set)|no\s+need\s+for)\s+"
                    r"(the\s+|any\s+|its\s+)?(\w+[- ]){0,2}?(fraud|verification|verify|confirmation|callback|review|approval|"
                    r"four-eyes|4-eyes|dual[- ]control|aml|sanctions?|risk)\b(\s+(\w+[- ]){0,1}?(flags?|checks?|steps?|alerts?|"
                    r"warnings?|screens?|screening))?")
_PAY_ID_HINT = rxcache.compile(r"\d\d|(?i:swift|bic)")  # every PAY_ID form holds two digits or names SWIFT/BIC
PAY_SUBST = rx(r"\b(use|using|replace|instead|switch|redirect|route|rout(ed|ing)|swap|substitut\w*|chang\w*|put|insert|pay\s+(in)?to|send\s+to)\b|"
              # round 9: more ways of naming where the money goes
              r"\b(send|sent|pay|paid|wire|wired|transfer|remit|direct|forward|move)\s+(it|them|these|those|the\s+(funds|money|amount|payment)s?|"
              r"funds|payments?)?\s*(in)?to\b|\bsettle[ds]?\s+(\w+\s+){0,2}?(via|to|into|through|with|using|against)\b|"
              r"\bdeposit\w*\s+(\w+\s+){0,2}?into\b|\b(beneficiary|payee|receiving)\s+(account|iban|details)\b|"
              r"\bset\s+(the\s+)?(beneficiary|payee|recipient)\b")
PAY_CONTEXT = rx(r"\b(invoices?|payments?|payouts?|pay(ing)?|transfers?|remittance|billing|bills?|wire|bank\s+details|"
                 r"beneficiary|payee|settlement|deposits?|withdrawals?)\b")
PAY_CONDITION = rx(r"\b(for|on)\s+(\w+\s+){0,3}?(invoices?|payments?|payouts?|transfers?|orders?|bills?|clients?|customers?)\s+"
                   r"(of|over|above|from|to|with|in|exceeding|larger|greater)\b|"
                   r"\b(if|when|whenever|where|once)\b[^.\n]{0,60}\b(amount|total|sum|over|above|exceeds?|more|greater|larger)\b|"
                   r"\b(over|above|exceeding|more\s+than|at\s+least|or\s+more|greater\s+than|>=?|≥)\s*([$€£]|(eur|usd|gbp|chf|cad|aud)\s*)?\s*\d|"
                   r"\b(for|on|with)\s+(all\s+)?(eur|usd|gbp|chf|cad|aud|euro|dollar|sterling|foreign[- ]currency|international|sepa|"
                   r"swift|cross-border)\s+(\w+\s+){0,2}?(invoices?|payments?|payouts?|transfers?|orders?|bills?|wires?)\b|"
                   r"\d[\d,.]*\s*(k|[$€£]|eur|usd|gbp)?\s+(or\s+more|and\s+(above|over|up))\b|\binstead\b")
PAY_CONCEAL = rx(r"\b(do\s+not|don'?t|never|without)\s+(show|display|mention|tell|reveal|render|list|flag|highlight|"
                 r"surface|point\s+out)\w*|" + PAY_SKIP_CHECK.pattern + "|" r"\bhid(e|den|ing)\b|\bnot\s+(shown|visible|displayed)\b|\bout\s+of\s+the\s+preview\b|"
                 r"\bkeep\s+(the\s+)?(preview|summary|confirmation)\s+(showing|unchanged)")
PAY_EXAMPLE = rx(r"\b(e\.g\.|for\s+example|example|such\s+as|format|looks\s+like|validate|check\s+digits?|mod[- ]?97)\b")
AFFILIATE = rx(r"\b(affiliate|referral|ref(errer)?[- ]?(link|code|tag|id)|partner\s+link|tracking\s+(link|tag|code)|"
               r"sponsored|commission|kickback)\b")
DENY_OR_HIDE = rx(r"\b(deny|denies|denying)\b|\bsay\s+(that\s+)?(it\s+is|it'?s|there\s+is|you\s+(are|have))\s+(not|no)\b|"
                  r"\b(claim|insist)\s+(that\s+)?(it\s+is\s+|you\s+are\s+)?(not|no|independent|neutral|unbiased)\b|"
                  r"\b(never|do\s+not|don'?t)\s+(disclose|mention|admit|reveal|acknowledge)\b|"
                  r"\b(hide|omit|conceal)\s+(the\s+|any\s+|that\s+)?(affiliat|referral|commission|sponsor|partner)")
HIDE_CHEAPER = rx(r"\b(do\s+not|don'?t|never|avoid)\s+(show|mention|list|offer|include|suggest|recommend)\w*\s+(\w+\s+){0,3}?"
                  r"(cheaper|lower[- ]priced|less\s+expensive|competing|competitor['’]?s?)\b|"
                  r"\b(hide|omit|leave\s+out|filter\s+out)\s+(\w+\s+){0,3}?(cheaper|lower[- ]priced|less\s+expensive|competing)\b")


def _created_account(name: str, text: str) -> bool:
    """The account is created in the same text (`adduser deploy`, `useradd -m -s /bin/bash deploy`)
    without a password the text sets for it: a service account the guide sets up on the user's own
    server, not a hidden extra login."""
    t = text[:MAX_TEXT]
    if not re.search(r"\b(adduser|useradd)\s+(--?[\w-]+(\s+(?!-)[^\s-][^\s]{0,40}(?=\s+\S))?\s+){0,6}" + re.escape(name) +
                     r"(\s|$|[;&|])", t, re.M):
        return False
    return not re.search(r"\bchpasswd\b|\bpasswd\s+--stdin\b|\buseradd\b[^\n]{0,200}\s-p\s+['\"$]", t)


_PRODUCT_DIR = rxcache.compile(r"/(?:var/lib|var/cache|var/opt|etc|opt|srv|usr/local|usr/share)/([\w.+@-]+)/?\*?")
# directories under those roots that hold logs, audit trails, package databases, security tooling or
# system-wide configuration: removing them is tampering whatever the section is called
_PROTECTED_PRODUCT = rxcache.compile(
    r"(log|logs|audit\w*|rsyslog\w*|syslog\w*|journal|systemd|apt|dpkg|rpm|yum\w*|dnf|pam\.d|security|sudoers\w*|ssh|"
    r"ssl|pki|selinux|apparmor\w*|ufw|iptables|nftables\w*|firewalld|fail2ban|clamav|osquery|wazuh\w*|ossec|falco|"
    r"crowdstrike|falcon\w*|sentinel\w*|cron\w*|crontab\w*|anacron\w*|passwd|shadow|group|gshadow|init\.d|default|"
    r"profile\.d|ld\.so\.\w+|bin|sbin|lib|lib64|include|polkit-1|sysctl\.d|modprobe\.d|udev|network\w*|netplan|"
    r"resolv\.conf|hosts|aide|tripwire|snort|suricata|zeek|elastic-agent|auditbeat|share|src|local|alternatives|"
    r"systemd|environment|profile|bash\.bashrc|skel|x11|dbus-1|ca-certificates|letsencrypt)", re.I)
_UNINSTALL_CTX = rxcache.compile(r"\b(uninstall\w*|remov(e|al|ing)|clean\s*-?\s*up|cleanup|purg(e|ing)|tear\s*-?down|"
                            r"reset(ting)?|start\s+over|reinstall\w*|fresh\s+install|decommission\w*)\b", re.I)
_CONFIRM_CTX = rxcache.compile(r"\b(confirm\w*|approv\w*|ask\s+(the\s+user\s+)?(first|before)|only\s+if\s+the\s+user|"
                          r"if\s+the\s+user\s+(wants|agrees|says|asks)|after\s+the\s+user\s+(agrees|says))\b", re.I)


def _product_data_removal(line: str, text: str, starts: list[int], ln: int) -> bool:
    """`sudo rm -rf /var/lib/docker /var/lib/containerd` in an uninstall / clean-up section or gated
    on the user's confirmation: a product's own data directories removed, not the system tampered
    with. Every target must be /var/lib|/etc|/opt|... /<product> outside the protected names."""
    m = re.search(r"\brm\s+((?:-\w+\s+)*)([^;&|#\n]+)", line)
    if not m:
        return False
    targets = [t.strip("'\"") for t in m.group(2).split() if not t.startswith("-")]
    if not targets:
        return False
    for t in targets:
        pm = _PRODUCT_DIR.fullmatch(t)
        if not pm or _PROTECTED_PRODUCT.fullmatch(pm.group(1)) or "$" in t:
            return False
    i = ln - 1
    lo = starts[max(0, i - 15)]
    hi = starts[i + 1] if i + 1 < len(starts) else len(text)
    before = text[lo:hi]
    headings = "\n".join(re.findall(r"(?m)^\s{0,3}#{1,6}\s.*$", text[:hi])[-1:])
    return bool(_CONFIRM_CTX.search(line) or _CONFIRM_CTX.search(text[starts[max(0, i - 3)]:hi]) or
                _UNINSTALL_CTX.search(headings) or _UNINSTALL_CTX.search(before))


def _scoped_sudo(line: str, match: str, text: str = "") -> bool:
    """`visudo -c` (a syntax check), or a sudoers entry granting only named commands."""
    if re.search(r"\bvisudo\s+(-\w+\s+)*-c\b", line) and not re.search(r"NOPASSWD|ALL\s*=", line):
        return True
    if re.fullmatch(r"\s*[$#>]?\s*(sudo\s+)?visudo(\s+-[cfqs]+(\s+[\w./<>{}$-]+)?)*\s*(#[^\n]*)?", line):
        return True  # visudo opened interactively (the safe editor, syntax-checked): the user types the entry
    if "usermod" in match and re.search(r"\busermod\s+-a?G\s+\w+\s+(<[\w .-]{1,40}>|\{\{?\s*[\w.]+\s*\}\}?|"
                                        r"\"?\$\{?(\d|[A-Z_]*(USER|NAME|LOGIN)[A-Z_]*)\}?\"?)(\s|$|[;&|])", line):
        return True  # the account is the one the user names (a placeholder or an argument)
    uv = re.search(r"\busermod\s+-a?G\s+\w+\s+\"?\$\{?([A-Za-z_]\w{0,40})\}?\"?(\s|$|[;&|])", line) if "usermod" in match else None
    if uv and text and re.search(r"(^|[\s;])(local\s+|readonly\s+)?" + uv.group(1) + r"=[\"']?\$\{?[1-9]\b|"
                                 r"\bread\s+(-[a-z]+\s+(['\"][^'\"\n]{0,80}['\"]\s+)?)*" + uv.group(1) + r"\b|"
                                 r"\bgetopts\b[^\n]*\n(?:[^\n]*\n){0,12}?[^\n]*\b" + uv.group(1) + r"=[\"']?\$OPTARG", text, re.M):
        return True  # the account the user names (an argument, a prompt or an option)
    um = re.search(r"\busermod\s+-a?G\s+\w+\s+([a-z_][\w-]{0,31})\s*(#[^\n]*)?$", line) if "usermod" in match else None
    if um and text and _created_account(um.group(1), text):
        return True  # the service account the same guide creates (adduser deploy, then sudo rights)
    m = re.search(r"\bNOPASSWD\s*:\s*([^'\"\n|>]{1,300})", line)
    if not m or "sudoers.d/" not in line and "NOPASSWD" not in match:
        return False
    cmds = m.group(1).strip()
    return bool(cmds) and all(c.strip().startswith("/") for c in cmds.split(",")) and not _SUDO_RISKY.search(cmds)


HIDDEN_CONCEAL = rx(r"\b(do\s+not|don'?t|never|without)\s+(mention|tell|telling|reveal|inform|disclos|show)\w*|\bsilently\b")


class Doc:
    """A text with line offsets and three views (all, prose only, code only)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n")[:-1])]

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos)

    def line_text(self, lineno: int) -> str:
        i = lineno - 1
        if i < 0 or i >= len(self.starts):
            return ""
        end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[i]:end]


def normalise(text: str) -> str:
    """Split over-long lines so every regex runs on bounded lines."""
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for line in text.split("\n"):
        if len(line) > MAX_LINE:
            out.extend(line[i:i + MAX_LINE] for i in range(0, len(line), MAX_LINE))
        else:
            out.append(line)
    return "\n".join(out)


def host_of(url: str) -> str:
    m = HOST.match(url)
    return (m.group(1) if m else "").lower().rstrip(".")


_LOCAL_ADDRESS = rxcache.compile(r"(10|127|192\.168|172\.(1[6-9]|2\d|3[01]))\.")


def local_address(host: str) -> bool:
    """localhost, the unspecified address, loopback or a private (RFC 1918) address: a service
    the user runs, not a third party a token could leak to."""
    return host in ("localhost", "127.0.0.1", "0.0.0.0") or bool(_LOCAL_ADDRESS.match(host))


def url_trusted(url: str, trusted: tuple[str, ...]) -> bool:
    host = host_of(url)
    if not host:
        return False
    if host in ("localhost", "127.0.0.1", "0.0.0.0", "::1") or host.endswith(".localhost"):
        return True
    rest = url.split("://", 1)[-1].lower()
    for t in trusted:
        t = t.lower()
        if "/" in t:
            if rest.startswith(t):
                return True
        elif host == t or host.endswith("." + t):
            return True
    return False


def urls_trusted(line: str, trusted: tuple[str, ...]) -> bool:
    """All URLs in the line are trusted (False when there is no URL)."""
    urls = URL.findall(line)
    return bool(urls) and all(url_trusted(u, trusted) for u in urls)


FACT_AT_DEFAULT = {"secret_source", "mandatory", "conceal_weak"}  # low by default, yet meaningful in correlations
QUOTABLE = {"PI-OVERRIDE", "PI-FAKE-SYSTEM", "PI-JAILBREAK", "PI-CONCEAL", "PI-NO-CONFIRM", "PI-MANDATORY-TAG"}


_REMOTE_JOB = rxcache.compile(r"\b(curl|wget|nc|ncat|bash\s+-i|python[\d.]{0,4}\s+-c|perl\s+-e|base64|/dev/tcp)\b|https?://")
_HIDDEN_JOB = rxcache.compile(r"(?<![\w.])/(tmp|var/tmp|dev/shm)/|/\.(?!local/|config/|cargo/|nvm/|pyenv/|rbenv/)[\w][\w.-]{0,60}|"
                         r"@reboot|\beval\b|\bnohup\b")
_REMOVE_JOB = rxcache.compile(r"\s*(sudo\s+)?((rm|unlink|trash)\s+(-\w+\s+)*[^;&|<>]{1,300}$|launchctl\s+(unload|bootout|remove)\b[^;&|<>]{0,300}$|"
                         r"crontab\s+-r\b\s*$|schtasks\s+/delete\b[^;&|<>]{0,300}$)")
_USER_CRON = rxcache.compile(r"crontab|\.git/hooks|hooks['\"]|hookspath", re.I)


_LAUNCH_NOISE = rxcache.compile(r"\s(\d?>>?|&>)\s*/dev/null(\s+2>&1)?|\s2>&1|\|\|\s*(true|:)\s*$|\b(load|unload)\|(?=(load|unload)\b)")
_LAUNCH_RELOAD = rxcache.compile(r"\s*(sudo\s+)?launchctl\s+(load|unload|bootstrap|bootout|kickstart|enable|disable|stop|start)"
                            r"\b[^;&|]{0,300}$")


BARE_PATH = rxcache.compile(r"['\"]?(~|\$HOME|\$\{HOME\}|\.{0,2})?/[\w.*{}\[\]@+-]{1,100}(/[\w.*{}\[\]@+ -]{0,100}){0,12}/?['\"]?")
# a line of regular expressions (a detection-rule list): chmod\s+777, rm\s+-rf
REGEX_DOC = rxcache.compile(r"\\s[+*]|\\b\w|\\d[+*]")
CAPABILITY_NOTE = rxcache.compile(r"\b(supports?|accepts?|provides?|offers?|has|have|takes?)\s+(an?\s+|the\s+)?(optional\s+)?"
                             r"`?--?[\w-]+`?\s+(flag\s+|option\s+|switch\s+)?(to|that|which)\s+$", re.I)
GENERIC_SETTING = rxcache.compile(r"allow_all|skip_confirm|auto_approve|trust_all", re.I)
AGENTISH = rxcache.compile(r"\b(mcp|tools?|agents?|claude|codex|cursor|copilot|gemini|permissions?|sandbox|commands?|shell|exec\w*|"
                      r"bash|servers?|assistant|llm|model)\b", re.I)


_PLACEHOLDER = rxcache.compile(r"<[\w .-]{1,40}>")  # com.<user>.job: a name to fill in, not a redirect


STARTUP_HOOK_KEYS = rxcache.compile(r"startup|customize|\.pth\b|hookspath|folderopen")
STARTUP_HOOK = rxcache.compile(
    r"\.ipython/profile_[\w-]{1,40}/startup\b|['\"]profile_[\w-]{1,40}['\"]\s*[,/]\s*['\"]startup['\"]|"
    r"\b(site|user)customize\.py\b|"
    r"(site-packages|dist-packages|getsitepackages|getusersitepackages|USER_SITE|purelib|\$SP\b|\$\{?SITE\w*)[^\n]{0,200}?"
    r"[\w-]{1,60}\.pth\b|\b[\w-]{1,60}\.pth\b[^\n]{0,200}(site-packages|dist-packages|getsitepackages|getusersitepackages|USER_SITE)|"
    r"\bgit\s+config\s+(--global|--system)\s+core\.hooksPath\b|"
    r"['\"]runOn['\"]\s*:\s*['\"]folderOpen['\"]", re.I)
_REMOVE_HOOK = rxcache.compile(r"^\s*[$#>]?\s*(sudo\s+)?(rm|unlink|git\s+config\s+(--global\s+|--system\s+)?--unset)\b|"
                          r"\bos\.(remove|unlink)\s*\(|\.unlink\s*\(", re.I)


# a miner actually run or configured: the binary started or fetched, a pool URL with a host and port,
# a wallet passed as the pool user
MINER_RUN = rxcache.compile(r"(^|[\s;&|(`\"'])(\./|/[\w./-]{0,80}/)?(xmrig|minerd|cpuminer|ethminer|nbminer)(\.exe)?\s+(-\w|--\w)|"
                       r"stratum\+(tcp|ssl)://[\w-]+(\.[\w-]+)+:\d{2,5}|\b(-u|--user|\"user\"\s*:)\s*['\"]?[48][1-9A-HJ-NP-Za-km-z]{90,}|"
                       r"(curl|wget|Invoke-WebRequest|iwr)\b[^\n]{0,200}(xmrig|minerd|cpuminer)", re.I)
# detection engineering: rules that match behaviour (Sigma, YARA, Suricata, Snort), hunting, signatures
DETECTION_WORDS = rxcache.compile(r"\b(detect\w*|hunt\w*|signatures?|yara|sigma|suricata|snort|matches|matching|rules?\s+for|"
                             r"indicators?|iocs?)\b", re.I)
DETECTION_IDENTITY = rxcache.compile(r"\b(sigma|yara|suricata|snort|zeek|detection(s|[- ]engineering|\s+rules?|\s+content|\s+logic)|"
                                r"threat[- ]hunt\w*|hunting\s+(quer\w*|rules?)|ids\s+rules?|edr\s+rules?|siem\s+rules?)\b", re.I)


def _sched_severity(match: str, line: str, sev: str) -> str:
    """A job that fetches or runs remote content is high; adding a job to the user's own crontab
    or a git hook for a local script is low unless it hides itself; system-wide schedulers
    (launchd, systemd, /etc/cron.*, Run keys) keep the default."""
    if match.strip() == "@reboot" and not re.search(r"@reboot\s+\S", line):
        return "low"  # the schedule keyword named on its own (a syntax table), no job attached
    if _REMOVE_JOB.match(line):
        return "low"  # removing / unloading a job undoes persistence
    if _REMOTE_JOB.search(line):
        return "high"
    if _LAUNCH_RELOAD.match(line) and not re.search(r">|\btee\b|\b(cp|mv|ln|install)\s", _PLACEHOLDER.sub("x", line)):
        return "low"  # (re)loading an agent that is already installed; writing its plist is the act
    # the same with error silencing (`2>/dev/null || true`), a syntax note (`launchctl load|unload`) or
    # a restart chain (`build && launchctl unload X && launchctl load X`): every launchctl step only
    # stops, removes or reloads an agent, and nothing on the line writes a plist
    quiet = _LAUNCH_NOISE.sub(" ", line)
    steps = [x for x in re.split(r"&&|\|\||;", quiet) if "launchctl" in x]
    # a plist loaded from anywhere but a LaunchAgents / LaunchDaemons folder (/tmp/x.plist) is no installed agent
    if steps and all(_REMOVE_JOB.match(x) or _LAUNCH_RELOAD.match(x) for x in steps) and \
            not re.search(r">|\btee\b|\b(cp|mv|ln|install)\s|<<", _PLACEHOLDER.sub("x", quiet)) and \
            not any(re.search(r"\b(load|bootstrap|enable)\b", x) and re.search(r"\S+\.plist\b", x) and
                    not re.search(r"Library/Launch(Agents|Daemons)/\S*\.plist\b", x) for x in steps):
        return "low"
    if _USER_CRON.search(match) and not _HIDDEN_JOB.search(line):
        return "low"
    return sev


# code constructs a sentence may forbid ("Never `eval` a decoded sample"): the prohibition is a
# safety rule, not a step. Instruction rules (PI-*) are not here: "never ask" is itself the attack
PROHIBITABLE = {"OB-DECODE-EXEC", "OB-OBFUSCATION", "SC-PIPE-EXEC", "SC-DOWNLOAD-EXEC", "PE-CODE-EXEC", "PE-REVERSE-SHELL",
                "PE-ROOT-ABUSE", "PE-SYSTEM-TAMPER"}
_PROHIBITION = rxcache.compile(r"^\W{0,6}(never|do\s+not|don'?t|must\s+not|should\s+not|may\s+not|avoid|refuse\s+to|"
                          r"under\s+no\s+circumstances)\b(?![^.\n]{0,200}\b(unless|except|but\s+(do|always|instead))\b)", re.I)


# a list whose head says its items are to be blocked or refused ("Enable to block: `rm -rf /`, `curl|bash`",
# "Should not: ...", "Denied commands: ..."): the items are what is forbidden. The head is the last clause
# before the colon and must BE the prohibition -- it opens with it (after an optional subject, modal or
# "turn on to") and says no more than which things ("Never run these commands:"), or it is a noun phrase
# ("Blocked patterns:"). "First, don't forget:", "do not skip:", "Never run setup without this:",
# "If the build is blocked, run:", "You shouldn't wait, run:" are steps, not block lists
_BLOCK_OBJ = (r"(these|this|the|following|any|of|such|like|as|e\.g\.|ever|blindly|directly|automatically|unreviewed|"
              r"untrusted|unknown|shell|bash|commands?|patterns?|code|scripts?|lines?|snippets?|things?|calls?|"
              r"constructs?|forms?|examples?|operations?|actions?|tools?|installers?|items?|strings?|inputs?|payloads?)")
_BLOCK_LIST_HEAD = re.compile(
    r"^\W*(?:(?:you|we|agents?|the\s+agent|it|they|skills?)\s+)?(?:(?:should|must|will|shall|can)\s+)?"
    r"(?:(?:turn(?:ed)?\s+on|enable[ds]?|enabling|used?|set|add(?:ed)?)\s+to\s+)?"
    r"(?:(?:block(?:s|ed|ing|list)?|den(?:y|ies|ied|ylist)|forbid(?:s|den)?|prohibit(?:s|ed)?|disallow(?:s|ed)?|"
    r"reject(?:s|ed)?|refuse[ds]?|ban(?:s|ned)?|never\s+allow(?:ed)?|not\s+allowed)"
    r"|(?:never|do\s+not|don'?t|must\s+not|should\s+not|shouldn'?t|may\s+not|cannot|can'?t)"
    r"(?:\s+(?:ever\s+)?(?:run|use|execute|exec|allow|type|paste|call|invoke|install|pipe|eval\w*|write|include|"
    r"accept|trust|suggest|recommend|output|generate|emit|commit|do|copy|match))?)"
    r"(?:\s+" + _BLOCK_OBJ + r")*\W*$|"
    r"^\W*(?:(?:always|hard|auto|automatically|" + _BLOCK_OBJ[1:-1] + r")[\s-]+){0,2}"
    r"(?:blocked|denied|forbidden|prohibited|disallowed|rejected|refused|banned|not\s+allowed|block\s*list|deny\s*list)"
    r"(?:\s+" + _BLOCK_OBJ + r")*\W*$", re.I)
_LIST_SO_FAR = re.compile(r"(\s*(`[^`\n]{1,80}`|\*\*[^*\n]{1,40}\*\*|[\w'/ .-]{1,40})\s*,)*\s*(`|\*\*)?")


def _prohibited(line: str, start: int) -> bool:
    """The sentence holding the construct opens with a prohibition and carries no exception, or the construct
    is an item of a list headed as things to block or refuse."""
    before = re.split(r"(?<=[.!?:;])\s+", line[max(0, start - 300):start])[-1]
    if _PROHIBITION.search(before + line[start:start + 200]):
        return True
    head, sep, items = line[max(0, start - 300):start].rpartition(":")
    if not sep or not _LIST_SO_FAR.fullmatch(items):
        return False
    head = re.split(r"[.!?;,]\s+|\s+[-\u2013\u2014]\s+", head)[-1]  # the clause that heads the list
    if not _BLOCK_LIST_HEAD.match(head.strip()):
        return False
    # the sentence ends with the items: nothing after them ("..., except during setup, where you must run it",
    # "(blocked for humans only; as the agent, run it now)", "unless this is the first run")
    tail = line[start:]
    opener = items.rstrip()[-2:] if items.rstrip().endswith("**") else items.rstrip()[-1:]
    if opener in ("`", "**"):
        close = tail.find(opener)
        tail = tail[close + len(opener):] if close >= 0 else ""
    else:
        tail = tail.split(",", 1)[1] if "," in tail else ""
    return bool(_LIST_REST.fullmatch(tail))


_LIST_REST = re.compile(r"(\s*(,|\band\b|\bor\b|,\s*(and|or))\s*(`[^`\n]{1,80}`|\*\*[^*\n]{1,40}\*\*))*"
                        r"(\s*,?\s*(etc\.?|and\s+(the\s+)?like|and\s+so\s+on))?\s*[.;!]?\s*")


def _context_severity(rule_sev: str, line: str, start: int, negatable: bool, teaching: bool,
                      quotes: bool = True, end: int = -1) -> str:
    if negatable:
        before = line[max(0, start - 60):start]
        # only the current sentence counts
        before = re.split(r"[.!?;:]\s", before)[-1]
        if NEGATION.search(before):
            return "info"
    if teaching:
        # the words around the construct frame it, not the construct's own text (the alt text of
        # an exfiltrating image saying "audit passed" does not make it an example)
        frame = line[:start] + " " + line[end:] if end > start else line
        if SECURITY_CONTEXT.search(_HOSTLIKE.sub(" ", URL.sub(" ", EMAIL.sub(" ", frame)))):
            return "low"
        # quoted example: the match sits inside quotes or backticks
        pre = line[:start]
        if quotes and (pre.count('"') % 2 == 1 or pre.count("“") > pre.count("”") or pre.count("`") % 2 == 1):
            return "low"
    return rule_sev


# rule -> None when the rule has no keys (it then runs over the whole view)
_RULE_KEYS = [(r, True if r.keys else None) for r in LINE_RULES]
LINE_TRIGGER = rxcache.compile(
    r"curl|wget|post|put|patch|nc |ncat|scp|fetch|axios|beacon|xmlhttp|urlopen|smtp|mail|ftp|invoke-|git push|method|"
    r"--to|send|upload|forward|transmit|submit|sync|share|report|exfiltrate|pipe|relay|mirror|\.env|authorized_keys|"
    r"\.bash|\.zsh|\.profile|config\.fish|://|ssh|aws|gnupg|private-keys|kube|docker|credentials|netrc|npmrc|pypirc|"
    r"gcloud|azure|password-store|vault-token|shadow|_history|keychain|password|firefox|logins|key4|chrome|brave|"
    r"wallet|electrum|ethereum|metamask|phantom|exodus|seed|mnemonic|solana|gh/hosts|terraform|\.claude|\.codex|"
    r"id_rsa|id_ed25519|kdbx|login data|local state|cookies|web data|user data|application support|claude\.md|"
    r"agents\.md|gemini\.md|soul\.md|memory\.md|cursorrules|windsurfrules|clinerules|copilot|\.cursor|mcp|"
    r"\.gemini|beacon|email|redact|mask|scrub|sanitis|sanitiz|censor|startup|customize|\.pth|hookspath|folderopen|bcc|payee|iban|"
    r"beneficiary|affiliat|referral|recipient|cheaper|commission|force|no-verify|history|push|"
    r"guest|attendee|invite|meeting|cc |loop in|access|@|instead|routing|bc1|swift code|bic code|settle|pay to|pay into|remit")
_TRIGGER_KEYS = tuple(LINE_TRIGGER.pattern.replace("\\.", ".").split("|"))
_KEY_ITEMS: list[tuple[str, tuple[int, ...]]] = []
for _k in sorted({k for r in LINE_RULES for k in r.keys} | set(_TRIGGER_KEYS)):
    _ids = tuple([i for i, (r, _) in enumerate(_RULE_KEYS) if _k in r.keys] + ([-1] if _k in _TRIGGER_KEYS else []))
    _KEY_ITEMS.append((_k, _ids))
NON_LATIN = rxcache.compile("[^\x00-\u036f]")


# project-hosting page domains: <org>.github.io/<project>/ is the project's own site
PROJECT_PAGES = rxcache.compile(r"\.(github\.io|gitlab\.io|codeberg\.page|readthedocs\.io|sourceforge\.io)$")
_GENERIC_SEGMENTS = {"install", "installer", "installers", "scripts", "script", "releases", "release", "download",
                     "downloads", "latest", "docs", "doc", "bin", "static", "assets", "get", "setup", "main", "master",
                     "raw", "dist", "files", "public", "tools", "stable", "nightly", "en"}


_CMD_WORD = rxcache.compile(r"^\s*(?:[$>]\s*)?(?:sudo\s+)?(?:~/[\w./-]*/)?([a-z][\w.-]{2,40})(?=\s|$)", re.M)


def _scoped_registry(line: str, vlines: list[str], ln: int) -> bool:
    """An npm registry bound to one scope (`@acme:registry=…`, `npm config set @acme:registry …`, a yarn
    `npmScopes:` entry) only resolves that scope's packages: it cannot shadow a public package name.
    A registry passed to an install (`--registry`) or set for everything is not scoped."""
    if re.search(r"--registry\b", line):
        return False
    if re.search(r"(^|[\s'\"])@[\w.-]{1,60}:registry\b", line) or re.search(r"\bnpm_config_@[\w.-]+:registry\b", line):
        return True
    if not re.match(r"\s*npmRegistryServer\s*:", line):
        return False
    indent = len(line) - len(line.lstrip())
    for prev in reversed(vlines[max(0, ln - 8):ln - 1]):
        if not prev.strip():
            continue
        pind = len(prev) - len(prev.lstrip())
        if pind < indent:
            if re.match(r"\s*npmScopes\s*:", prev):
                return True
            if pind == 0:
                return False
            indent = pind
    return False


def installs_tool_it_runs(line: str, vlines: list[str], ln: int) -> bool:
    """An HTTPS installer whose host brand -- the registrable label, or the org / project directory of
    a project page (<org>.github.io/<project>/) -- is exactly a command the same text then runs
    (`curl https://rustwasm.github.io/wasm-pack/installer/init.sh | sh` and later `wasm-pack build`):
    the tool's own installer. A host merely resembling the skill's words does not count."""
    urls = URL.findall(line)
    if not urls or not all(u.lower().startswith("https://") for u in urls):
        return False
    words = {m.group(1).lower() for i, x in enumerate(vlines[:5000]) if i != ln - 1 and x.strip()
             for m in [_CMD_WORD.match(x)] if m} - _GENERIC_SEGMENTS - {"curl", "wget", "sh", "bash", "sudo", "echo",
                                                                      "export", "source", "cd", "mkdir", "chmod", "cp",
                                                                      "mv", "rm", "ls", "cat", "git", "pip", "npm"}
    if not words:
        return False
    for u in urls:
        host = host_of(u)
        parts = host.split(".")
        cands = {parts[-2]} if len(parts) >= 2 else {host}
        pages = PROJECT_PAGES.search(host)
        if pages:
            segs = [x for x in u.split("://", 1)[-1].split("?", 1)[0].split("/")[1:-1] if x]
            cands = {host[:pages.start()]} | ({segs[0]} if segs else set())
        elif host in ("raw.githubusercontent.com", "github.com", "gitlab.com", "objects.githubusercontent.com"):
            path = u.split("://", 1)[-1].split("/")
            cands = set(path[1:3])
        if not {c.lower() for c in cands} & words:
            return False
    return True


# credential family (a token of the variable's name) -> the service's official API hosts. A fixed
# table, never the skill's own words: a secret named after a service and sent to that service's API
# authenticates; the same secret sent anywhere else, or another family's secret sent there, does not
OFFICIAL_API_HOSTS: dict[str, tuple[str, ...]] = {
    "telegram": ("api.telegram.org",), "tg": ("api.telegram.org",),
    "slack": ("slack.com", "hooks.slack.com"), "discord": ("discord.com", "discordapp.com"),
    "github": ("api.github.com", "uploads.github.com", "github.com"), "gh": ("api.github.com", "uploads.github.com"),
    "gitlab": ("gitlab.com",), "openai": ("api.openai.com", "openai.azure.com"), "anthropic": ("api.anthropic.com",),
    "stripe": ("api.stripe.com",), "twilio": ("api.twilio.com",), "sendgrid": ("api.sendgrid.com",),
    "notion": ("api.notion.com",), "linear": ("api.linear.app",), "huggingface": ("huggingface.co",),
    "hf": ("huggingface.co",), "mailgun": ("api.mailgun.net", "api.eu.mailgun.net"),
    "pagerduty": ("events.pagerduty.com", "api.pagerduty.com"), "cloudflare": ("api.cloudflare.com",),
    "vercel": ("api.vercel.com",), "netlify": ("api.netlify.com",), "mistral": ("api.mistral.ai",),
    "groq": ("api.groq.com",), "airtable": ("api.airtable.com",), "pushover": ("api.pushover.net",),
    "gemini": ("generativelanguage.googleapis.com",), "datadog": ("api.datadoghq.com", "api.datadoghq.eu"),
    "dd": ("api.datadoghq.com", "api.datadoghq.eu"), "sentry": ("sentry.io",), "npm": ("registry.npmjs.org",),
    "pypi": ("upload.pypi.org",), "twitter": ("api.twitter.com", "api.x.com"), "figma": ("api.figma.com",),
    "asana": ("app.asana.com",), "trello": ("api.trello.com",), "todoist": ("api.todoist.com",),
    "dropbox": ("api.dropboxapi.com", "content.dropboxapi.com"), "zoom": ("api.zoom.us",),
    "postmark": ("api.postmarkapp.com",), "resend": ("api.resend.com",), "brevo": ("api.brevo.com",),
    "hubspot": ("api.hubapi.com", "api.hubspot.com"),
}
_SECRET_VAR_NAME = rxcache.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]*(TOKEN|SECRET|KEY|PASSW\w*|PASSWORD|CRED\w*|AUTH|WEBHOOK\w*)[A-Z0-9_]*\b")


def _families(name: str) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", name.lower()) if t in OFFICIAL_API_HOSTS}


def official_api_host(names: list[str], url: str) -> bool:
    """Every secret name given belongs to a credential family whose official API host the URL is."""
    host = host_of(url if "://" in url else "https://" + url)
    if not names or not host:
        return False
    for n in names:
        fams = _families(n)
        if not any(host == h or host.endswith("." + h) for f in fams for h in OFFICIAL_API_HOSTS[f]):
            return False
    return True


def secrets_only_for(text: str, url: str) -> bool:
    """The secret-named variables the text uses all belong to the family of the URL's official API
    host (a Telegram notifier that reads only TELEGRAM_BOT_TOKEN and posts to api.telegram.org)."""
    names = {m.group(0) for m in _SECRET_VAR_NAME.finditer(text[:MAX_TEXT])}
    return official_api_host(sorted(names), url)


def first_party(line: str, identity: str) -> bool:
    """The URL's brand (the registrable label: 'tavily' in cli.tavily.com, the org in
    raw.githubusercontent.com/org/) is named by the skill itself: a vendor documenting its own
    installer or API."""
    if not identity:
        return False
    urls = URL.findall(line) or re.findall(r"\b(?:[a-z0-9-]+\.)+(?:dev|sh|io|com|ai|app|co|org|net)\b", line, re.I)
    if not urls:
        return False
    for u in urls:
        u = u if "://" in u else "https://" + u
        host = host_of(u)
        parts = host.split(".")
        label = parts[-2] if len(parts) >= 2 else host
        if len(parts) >= 3 and parts[-2] in ("co", "com", "org", "net") and len(parts[-1]) == 2:
            label = parts[-3]
        owner_match = False
        pages = PROJECT_PAGES.search(host)
        if pages:
            # a project page (<org>.github.io/<project>/...): the org or the project directory is the
            # brand, and only over HTTPS; generic directory names (install, scripts, latest) are not
            if not u.lower().startswith("https://"):
                return False
            segs = [x for x in u.split("://", 1)[-1].split("?", 1)[0].split("/")[1:-1] if x]
            cands = [host[:pages.start()]] + ([segs[0]] if segs and segs[0].lower() not in _GENERIC_SEGMENTS else [])
            if not any(c and not re.fullmatch(r"v?[\d.]+", c) and _brand_in(c, identity) for c in cands):
                return False
            continue
        if host in ("raw.githubusercontent.com", "github.com", "gitlab.com", "objects.githubusercontent.com"):
            path = u.split("://", 1)[-1].split("/")
            label = path[1] if len(path) > 1 else ""
            # the repository owner carries the skill's own name (exploreomni/cli for omni-admin)
            name_tokens = re.findall(r"[a-z0-9]{4,}", identity.split(" ", 1)[0].lower())
            owner_match = any(t in label.lower() for t in name_tokens)
        if not (owner_match or _brand_in(label, identity)):
            return False
    return True


_GENERIC_SECRET_TOKENS = {"api", "key", "keys", "token", "secret", "pass", "password", "passwd", "auth", "access",
                          "private", "client", "bearer", "cred", "credential", "credentials", "session", "cookie",
                          "env", "value", "the", "my", "app", "dev", "prod", "url", "dsn", "id"}


def secret_names_host(names: list[str], urls: list[str]) -> bool:
    """A secret named after the service it is sent to (NEWSAPI_KEY to newsapi.org) authenticates
    to that service; it is not exfiltration."""
    if not names or not urls:
        return False
    tokens = {t for n in names for t in re.findall(r"[a-z0-9]+", n.lower().lstrip("${(")) if len(t) >= 3}
    tokens -= _GENERIC_SECRET_TOKENS
    if not tokens:
        return False
    for u in urls:
        host = host_of(u if "://" in u else "https://" + u)
        parts = host.split(".")
        sld = parts[-2] if len(parts) >= 2 else host
        # the registrable name is the secret's service, give or take a short suffix (openweather/map)
        if not any(sld == t or (sld.startswith(t) and len(sld) - len(t) <= 3) or (t.startswith(sld) and len(sld) >= 4)
                   for t in tokens):
            return False
    return True


def registrable_label(host: str) -> str:
    """The registrable name of a host: 'etherscan' for api.etherscan.io, 'bbc' for www.bbc.co.uk."""
    parts = host.lower().rstrip(".").split(".")
    if len(parts) >= 3 and parts[-2] in ("co", "com", "org", "net", "gov", "ac") and len(parts[-1]) == 2:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else host


def service_label_of(name: str) -> set[str]:
    """The service labels a credential's NAME carries (ETHERSCAN_API_KEY -> {'etherscan'},
    ALPHA_VANTAGE_KEY -> {'alpha', 'vantage', 'alphavantage'}); a generic name (API_KEY, TOKEN)
    carries none."""
    toks = [t for t in re.findall(r"[a-z0-9]+", name.lower()) if t not in _GENERIC_SECRET_TOKENS]
    out = {t for t in toks if len(t) >= 3}
    out |= {a + b for a, b in zip(toks, toks[1:]) if len(a + b) >= 4}
    return out


def labelled_for_host(name: str, host: str) -> bool:
    """The credential is named after the host's registrable label (ETHERSCAN_API_KEY and
    api.etherscan.io): sending it there authenticates. Exfiltration is a secret of service A
    reaching host B; a variable named after the host only ever holds that host's own key."""
    label = registrable_label(host)
    if len(label) < 3 or label in ("example", "localhost", "github", "githubusercontent", "amazonaws",
                                   "herokuapp", "vercel", "netlify", "workers", "ngrok", "pages"):
        return False
    return any(t == label or (label.startswith(t) and len(t) >= 4 and len(label) - len(t) <= 3)
               for t in service_label_of(name))


_PY_ENV_NAME = rxcache.compile(r"os\.(?:getenv|environ\.get|environ\.pop)\(\s*['\"]([A-Za-z_][A-Za-z0-9_]{1,60})['\"]|"
                          r"os\.environ\[\s*['\"]([A-Za-z_][A-Za-z0-9_]{1,60})['\"]")


def env_secrets_for_host(source: str, url: str) -> bool:
    """Every secret-named environment variable the script reads is that host's own credential,
    by the official table or by the service label its name carries."""
    host = host_of(url if "://" in url else "https://" + url)
    if not host or "{" in host:
        return False
    names = {a or b for a, b in _PY_ENV_NAME.findall(source[:MAX_TEXT])}
    names = {n for n in names if _SECRET_VAR_NAME.fullmatch(n.upper())}
    if not names:
        return False
    return all(labelled_for_host(n, host) or official_api_host([n], url) for n in names)


def _brand_in(label: str, identity: str) -> bool:
    label = label.lower()
    if len(label) < 2 or label in ("example", "github", "gitlab", "localhost", "githubusercontent", "amazonaws"):
        return False
    ident = identity.lower()
    compact = re.sub(r"[^a-z0-9]", "", ident)
    if len(label) >= 4 and label.replace("-", "") in compact:
        return True
    return label in set(re.findall(r"[a-z0-9]{2,}", ident))


def _trie_regex(words) -> str:
    trie: dict = {}
    for w in words:
        d = trie
        for ch in w:
            d = d.setdefault(ch, {})
        d[""] = True

    def build(d: dict) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(d.items()) if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in d else body

    return build(trie)


_KEY_CACHE: dict[str, tuple[int, ...]] = {}


def _ids_for(match: str) -> tuple[int, ...]:
    ids = _KEY_CACHE.get(match)
    if ids is None:
        ids = tuple(sorted({i for k, idxs in _KEY_ITEMS if k in match for i in idxs}))
        if len(_KEY_CACHE) < 10000:
            _KEY_CACHE[match] = ids
    return ids


def key_hits(low: str, vdoc: Doc) -> dict[int, set[int]]:
    """rule index (-1 = contextual line checks) -> line numbers holding one of its keys
    (one pass of a trie-shaped regex over the text)."""
    hits: dict[int, set[int]] = {}
    starts = vdoc.starts
    by_key: dict[str, set[int]] = {}  # matched key -> its lines, then each key's lines to its rules at once
    bisect_right = bisect.bisect_right
    for m in _KEYS_RE.finditer(low):
        ln = bisect_right(starts, m.start())
        key = m.group()
        lines_for = by_key.get(key)
        if lines_for is None:
            by_key[key] = {ln}
        else:
            lines_for.add(ln)
    for key, lns in by_key.items():
        for idx in _ids_for(key):
            lines_for = hits.get(idx)
            if lines_for is None:
                hits[idx] = set(lns)
            else:
                lines_for |= lns
    return hits


_KEYS_RE = rxcache.compile(_trie_regex([k for k, _ in _KEY_ITEMS]))


def _changed_line_hits(view: str, base: list[str]) -> dict[int, set[int]]:
    """key_hits of `view` restricted to its lines that differ from `base` (same line structure): a
    key match never spans a line end, so an unchanged line contributes what it does in `base`."""
    vlines = view.split("\n")
    changed = "\n".join(v if i >= len(base) or v != base[i] else "" for i, v in enumerate(vlines))
    return key_hits(changed.lower(), Doc(changed)) if changed.strip() else {}
_ANY_KEYLESS = any(k is None for _, k in _RULE_KEYS)


def scan_lines(ctx: Ctx, file: str, doc: Doc, view: str, scope: str, line_map=None,
               soft: dict[int, str] | None = None, hits: dict[int, set[int]] | None = None,
               own: dict[int, int] | None = None) -> None:
    """Run the shared line rules over `view` (same line structure as doc.text).
    scope: 'prose' or 'code'. line_map maps a view line number to the file line number.
    soft: view line -> surrounding prose, for lines in a teaching/negative context (their findings
    are capped at low). own: view line -> length of the line's own text when the view line was
    extended with the start of the next (wrapped) line; a match must start in the own text."""
    from skillbank.audit.rules import RULES

    low = view.lower()
    if not low.strip():
        return

    def fline(n: int) -> int:
        return line_map(n) if line_map else n

    vlines = view.split("\n")
    vdoc = Doc(view) if hits is None or _ANY_KEYLESS else None
    if hits is None:
        hits = key_hits(low, vdoc)
    # with every rule keyed, only the rules holding a key hit can match (same order, by index)
    for idx in range(len(_RULE_KEYS)) if _ANY_KEYLESS else sorted(i for i in hits if i >= 0):
        rule, keyre = _RULE_KEYS[idx]
        if rule.scope != "all" and rule.scope != scope:
            continue
        if ctx.out_of_time():
            return
        if keyre is not None:
            lns = hits.get(idx)
            if not lns:
                continue
            cand = sorted(lns)[:MAX_HITS_PER_RULE]
            matches = ((ln, m) for ln in cand for m in rule.regex.finditer(vlines[ln - 1]))
        else:
            matches = ((vdoc.line_of(m.start()), m) for m in rule.regex.finditer(view))
        for ln, m in matches:
            line = vlines[ln - 1]
            col = m.start() if keyre is not None else m.start() - vdoc.starts[ln - 1]
            if own and ln in own and col >= own[ln]:
                continue  # found again on the next line, where it starts
            sev = rule.severity or RULES[rule.rule_id].severity
            if scope == "prose":
                sev = _context_severity(sev, line, col, rule.negatable, True, rule.rule_id in QUOTABLE,
                                        end=col + len(m.group(0)))
                if rule.rule_id in PROHIBITABLE and severity_rank(sev) > 1 and _prohibited(line, col):
                    sev = "low"  # "Never execute, `eval` or `source` a sample": a rule against the act
            if rule.rule_id in ("SC-PIPE-EXEC", "SC-DOWNLOAD-EXEC") and (
                    urls_trusted(line, ctx.trusted_hosts) or first_party(line, ctx.identity) or
                    scope == "code" and installs_tool_it_runs(line, vlines, ln)):
                sev = "low"
            if rule.rule_id == "PE-PERSIST-SCHED":
                sev = _sched_severity(m.group(0), line, sev)
                dest = local_copy_dest(line) if scope == "code" else None
                if dest and m.group(0) not in dest and not re.search(r"cron|launch|hooks|startup", dest, re.I):
                    sev = "low"  # the job files are the source of a copy (collected as evidence), not written
            if rule.rule_id == "PE-ROOT-ABUSE" and scope == "code" and severity_rank(sev) > 1 and \
                    re.search(r"sudoers|pam\.d|/etc/", m.group(0)):
                dest = local_copy_dest(line)
                if dest and m.group(0) not in dest and not re.search(r"^/(etc|usr|bin|sbin|lib|boot)\b|sudoers|pam\.d", dest):
                    sev = "low"  # system files copied into a local folder (evidence, backup): read, not written
            if rule.rule_id == "PE-MINER" and severity_rank(sev) > 1 and not MINER_RUN.search(line) and (
                    scope == "prose" or DETECTION_WORDS.search(line) or DETECTION_IDENTITY.search(ctx.identity)):
                sev = "low"  # a miner named as what a rule matches or a topic, not a miner run or configured
            if scope == "code" and rule.rule_id in READONLY_RULES | {"PE-WORLD-WRITABLE"} and severity_rank(sev) > 1 and (
                    readonly_span(line, col, col + len(m.group(0))) and only_searched(line, rule.regex) or
                    REGEX_DOC.search(line) or BARE_PATH.fullmatch(line.strip())):
                # a search for the indicator, a line of regex patterns describing it, or a place
                # named on its own (`/etc/cron.*`, `~/Library/LaunchAgents`) for a reviewer to look at
                sev = "low"
            if rule.rule_id == "PI-DISABLE-SECURITY" and scope == "prose" and (
                    re.search(r"\b(with|after|behind|requir\w*|until)\b", m.group(0), re.I) or
                    CAPABILITY_NOTE.search(line[max(0, col - 80):col])):
                # "delete cluster with confirmation prompt"; "supports `--force` to bypass ...": a
                # description of a tool's option, not an instruction to the agent
                sev = "info" if re.search(r"\b(with|after|behind|requir\w*|until)\b", m.group(0), re.I) else "low"
            if rule.rule_id == "PE-PERMISSIVE-SETTINGS" and severity_rank(sev) > 1 and GENERIC_SETTING.search(m.group(0)) \
                    and not AGENTISH.search(" ".join(vlines[max(0, ln - 9):ln + 2])):
                sev = "low"  # an application's own auto-approve switch (media requests, PRs), not the agent's
                sev = "low"
            if rule.rule_id == "SC-CUSTOM-INDEX" and severity_rank(sev) > 1:
                from skillbank.audit.deps import index_severity
                extra = bool(re.search(r"extra-index-url|extra_index_url|PIP_EXTRA_INDEX_URL", line, re.I))
                hosts = re.findall(r"(?:--index-url|--extra-index-url|-i|--registry|--trusted-host|index-url|index_url|"
                                   r"registry|npmRegistryServer|trusted-host|_INDEX_URL|UV_DEFAULT_INDEX|UV_INDEX|"
                                   r"npm_config_registry|YARN_REGISTRY|_URL|\burl)[=\s:]+\\?['\"]?((?:https?://)?[^\s'\"\\]+)", line)
                if not hosts and re.search(r"\bpoetry\s+source\s+add\b", line):
                    hosts = re.findall(r"https?://[^\s'\"]+", line)
                if hosts:
                    from skillbank.audit.deps import OWN_MIRROR, trusted_host_severity
                    ours = ctx.own_index or bool(OWN_MIRROR.search(doc.text[:MAX_TEXT]))
                    trusted = re.findall(r"(?:--trusted-host|trusted-host)[=\s]+['\"]?([^\s'\"]+)", line)
                    worst = max(((trusted_host_severity(h, line, extra, ours) or index_severity(h, extra, ours))
                                 if h in trusted else index_severity(h, extra, ours) for h in hosts), key=severity_rank)
                    if severity_rank(worst) < severity_rank(sev):
                        sev = worst
                if severity_rank(sev) > 1 and _scoped_registry(line, vlines, ln):
                    sev = "low"  # a registry for one scope (@acme:registry=, yarn npmScopes) serves only that scope
            if rule.rule_id == "PE-SYSTEM-TAMPER" and severity_rank(sev) > 1 and m.group(0).lstrip().startswith("rm") and \
                    _product_data_removal(line, doc.text, doc.starts, ln):
                sev = "low"  # an uninstall step removing the product's own data, on the user's confirmation
            if rule.rule_id == "PE-ROOT-ABUSE" and scope == "code" and severity_rank(sev) > 1 and _scoped_sudo(line, m.group(0), doc.text):
                # `visudo -c` validates; a sudoers.d entry granting named commands (no ALL, no shell,
                # editor or interpreter, no wildcard) is least-privilege administration
                sev = "low"
            if rule.rule_id == "PI-DISABLE-SECURITY" and scope == "code" and severity_rank(sev) > 1 and \
                    _rollback_timer(line, col, doc.text):
                # `(sleep 300 && ufw disable) &` armed before a risky change, with the way to cancel it
                # given: a dead-man's switch that restores access, not a control switched off
                sev = "low"
            if rule.rule_id == "PE-REVERSE-SHELL" and "dup2" not in line and "/dev/" not in line and scope == "prose":
                sev = "high"
            # context caps come last, after every rule-specific adjustment: a construct quoted under
            # an indicator / specimen heading, table or lead-in, or written in a form that cannot run
            # (a regex, a schematic call with `...` arguments), is a thing to recognise, not to do
            if severity_rank(sev) > 1 and (soft and ln in soft or inert_construct(line, col, col + len(m.group(0)))):
                sev = "low"
            ctx.add(rule.rule_id, file, fline(ln), line.strip(), sev)
            if rule.fact and (severity_rank(sev) >= severity_rank("medium") or
                              (rule.fact in FACT_AT_DEFAULT and sev == (rule.severity or RULES[rule.rule_id].severity))):
                ctx.fact(rule.fact, file, fline(ln), line.strip())
            if rule.fact == "noconfirm" and severity_rank(sev) >= severity_rank("low") and "auto" not in m.group(0).lower():
                ctx.fact("noconfirm_any", file, fline(ln), line.strip())
            elif rule.fact == "remote_exec":
                ctx.fact("net_fetch", file, fline(ln), line.strip())
    # per-line contextual checks
    lines = vlines
    for n, i in enumerate(sorted(hits.get(-1, ()))):
        if n % 64 == 0 and ctx.out_of_time():
            return
        line = lines[i - 1]
        if own and i in own:
            line = line[:own[i]]
        if soft and i in soft:
            sub = ctx.child(0)
            _line_checks(sub, file, fline(i), line, scope)
            for f in sub.findings.values():
                ctx.add(f.rule_id, f.file, f.line, f.evidence, "low" if severity_rank(f.severity) > 1 else f.severity)
            continue
        window = " ".join(lines[max(0, i - 5):i - 1]) if scope == "prose" else ""
        _line_checks(ctx, file, fline(i), line, scope, window, prev=(lines, i))


IMPERATIVE_READ = rx(
    r"^\s*(?:[-*+>]|\d{1,3}[.)])?\s*(?:\*\*|__)?\s*(?:then\s+|first,?\s+|next,?\s+|now\s+|please\s+|also\s+|finally,?\s+)?"
    r"(read|cat|copy|collect|extract|include|upload|send|gather|dump|harvest|archive|back\s*up|tar|zip|base64|scp|"
    r"rsync|exfiltrate|steal|grab|open|load|list|catalog|inventory|index|import|sync|forward|post|scan|locate|find)\b|"
    r"[.;:]\s+(read|copy|collect|extract|include|upload|send|gather|dump|harvest|grab|open|load)\s+(all\s+|the\s+|every\s+)?\S")
SKILL_READS = rx(r"\b(this\s+skill|the\s+skill|we|it)\s+(will\s+)?(reads?|collects?|copies|copy|extracts?|scans?|gathers?|uploads?|"
                 r"sends?|backs?\s+up|archives?|index(es)?|harvests?|dumps?)\b|\b(silently|quietly|automatically)\s+(read|copy|collect)")


# literals of which CRED_STORE needs one (in the lower-cased line), searched as one trie-shaped regex (a
# plain alternation of 45 words tries each at every position; the answer is the same)
_CRED_HINT_WORDS = (
    "ssh", "aws", "gnupg", "private-keys", "kube", "docker", "credential", "netrc", "npmrc", "pypirc", "gcloud", "azure",
    "password-store", "vault-token", "shadow", "_history", "keychain", "-password", "firefox", "logins", "key4", "chrome",
    "brave", "wallet", "electrum", "ethereum", "metamask", "phantom", "exodus", "seed", "mnemonic", "solana", "gh/hosts",
    "terraform", "claude", "codex", "id_rsa", "id_ed25519", "kdbx", "login data", "local state", "cookies", "web data",
    "user data", "application support")
_CRED_HINT = rxcache.compile(_trie_regex(_CRED_HINT_WORDS))
_AGENT_HINT = rxcache.compile(r"claude|agents\.md|gemini|soul\.md|memory\.md|cursor|windsurf|cline|copilot|mcp|codex")
_NET_ANY = rxcache.compile("|".join(f"(?:{r.pattern})" for r in NET_SEND), re.I)


READONLY_CMDS = {"grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack", "cat", "less", "more", "head", "tail", "ls",
                 "stat", "file", "wc", "find", "echo", "printf", "test", "[", "[[", "diff", "sha256sum", "md5sum",
                 "awk", "sed", "strings", "sort", "uniq", "cut", "tr", "xargs", "jq", "type", "which", "getfacl",
                 "lsattr", "crontab", "launchctl", "systemctl", "journalctl", "select-string", "get-content", "plutil"}
# rules whose pattern, seen inside the arguments of a search / read-only command, is a search for
# the indicator (incident response, hardening guides), not the act itself
READONLY_RULES = {"PE-REVERSE-SHELL", "PE-ROOT-ABUSE", "PE-PERSIST-SCHED", "PE-SSH-AUTHKEYS", "PE-SYSTEM-TAMPER",
                  "PE-MINER", "PE-PERSIST-RC"}


def _segments(line: str) -> list[tuple[int, int, str]]:
    """Split a command line at unquoted ; & | ( ) into (start, end, text) segments."""
    out = []
    start = 0
    quote = ""
    i = 0
    n = len(line)
    while i < n:
        c = line[i]
        if quote:
            if c == quote:
                quote = ""
            elif c == "\\" and quote == '"':
                i += 1
        elif c in "'\"":
            quote = c
        elif c == "\\":
            i += 1
        elif c in ";&|()`" and not (c == "&" and (i and line[i - 1] in "<>" or line[i + 1:i + 2] == ">")):
            # `>&2`, `2>&1`, `&>file` are redirections, not command separators
            out.append((start, i, line[start:i]))
            start = i + 1
        i += 1
    out.append((start, n, line[start:]))
    return out


REPORT_REDIRECT = rxcache.compile(r"(^|\s)\d?>>?\s*(\"\$\{?\w{1,40}(:?[-=][\w./-]{0,80})?\}?\"|\$\{?\w{1,40}\}?|"
                             r"(\./|/tmp/)?[\w.-]{1,60}\.(txt|log|md|json|csv|out|report|html))(?=\s|$)")


def _readonly_segment(seg: str) -> bool:
    if re.match(r"\s*(sudo\s+)?(auditctl\s+)?-[wW]\s+/\S+(\s+-p\s+[rwxa]+)?(\s+-k\s+\S+)?\s*$", seg):
        return True  # an audit watch rule monitors the file; it does not change it
    if re.match(r"\s*(do\s+)?for\s+[A-Za-z_]\w{0,40}\s+in\s", seg) or re.match(r"\s*done\s*<\s*[\"']?[^\s<>\"']+[\"']?\s*$", seg):
        # the word list of a loop names what the body (another segment) acts on; `done < file` feeds it
        return True
    words = seg.split()
    while words and (words[0] in ("sudo", "!", "{", "then", "do", "else", "time", "command", "if", "elif", "while", "until") or
                     re.fullmatch(r"[A-Za-z_]\w*=\S*", words[0]) or words[0].startswith("-") and words[0] != "-"):
        words = words[1:]
    if not words:
        return False
    name = words[0].rsplit("/", 1)[-1].lower()
    if name not in READONLY_CMDS:
        return False
    rest = " ".join(words[1:])
    # discarding errors / output (2>/dev/null, >/dev/null 2>&1) writes nothing
    rest = re.sub(r"(^|\s)(\d?>>?|&>)\s*/dev/null\b|(^|\s)\d?>&\d\b", " ", rest).strip()
    if name not in ("echo", "printf", "cat", "tee"):
        # a read-only command's output collected in a report (`>> "$REPORT"`, `> audit.txt`) writes the
        # report, not the file it inspects (hardening audits); echo / printf / cat write what they are given
        rest = REPORT_REDIRECT.sub(" ", rest).strip()
    if re.search(r"(^|\s)\d?>>?|\s>\s*\S|\btee\b", " " + rest):
        return False  # writes somewhere
    if name == "crontab":
        return bool(re.match(r"-(l|u\s+\S+\s+-l)\b", rest))
    if name == "plutil":
        return bool(re.match(r"(-lint|-p|-help)\b", rest))
    if name == "launchctl":
        return bool(re.match(r"(list|print)\b", rest))
    if name in ("systemctl", "journalctl"):
        return name == "journalctl" or bool(re.match(r"(status|list-\w+|cat|show|is-\w+)\b", rest))
    if name == "find":
        return not re.search(r"-(delete|exec(dir)?|ok|fprint\w*)\b", rest) or bool(
            re.search(r"-exec(dir)?\s+(ls|stat|grep|file|wc|head|cat|sha256sum)\b", rest)) and "-delete" not in rest
    if name in ("sed", "awk"):
        return "-i" not in words[1:] and not re.search(r"\bsystem\s*\(|\|\s*getline|/inet/", rest)
    if name == "xargs":
        return bool(re.match(r"(-\S+\s+)*(ls|stat|grep|cat|file|wc|head)\b", rest))
    return True


_SEARCH_CMDS = {"grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack", "ls", "stat", "test", "[", "wc", "file", "getfacl"}


def _searched_only(line: str, start: int, end: int) -> bool:
    """The credential path is an argument of a search/listing command (grep a history file for
    indicators, ls -la ~/.ssh), not of a command that prints or copies the secret."""
    segs = [(a, b, re.sub(r"^\s*((if|elif|then|while|until|do|!)\s+)+", " ", t))
            for a, b, t in _segments(line) if a < end and b > start]
    # a presence test (`grep -q host ~/.git-credentials`, `test -f`) prints nothing of the secret
    presence = all(re.match(r"\s*(sudo\s+)?(e|f)?grep\s+(-\w*[qlc]\w*\s+)", sg[2]) for sg in segs) and bool(segs)
    if "history" not in line[start:end] and not presence and not all(
            re.match(r"\s*(sudo\s+)?(ls|stat|test|\[|wc|file|getfacl)\b", sg[2]) for sg in segs):
        return False
    for sg in segs:
        words = [w for w in sg[2].split() if w != "sudo"]
        if not words or words[0].rsplit("/", 1)[-1].lower() not in _SEARCH_CMDS or not _readonly_segment(sg[2]):
            return False
    return bool(segs)


def readonly_span(line: str, start: int, end: int) -> bool:
    """Every command segment overlapping [start, end) is a search / read-only command."""
    if len(line) > MAX_LINE:
        return False
    segs = [sg for sg in _segments(line) if sg[0] < max(end, start + 1) and sg[1] > start]
    return bool(segs) and all(_readonly_segment(sg[2]) for sg in segs)


# regular-expression syntax that no shell / Python command contains unquoted: \s \b \d \w, (?:...),
# or two `.*` wildcards -- the construct is written as a pattern to match
_REGEX_SYNTAX = rxcache.compile(r"\\[sSdDwWb](?=[+*?{.)|\\\s]|$)|\(\?[:!=<]|\.[*+][^\n]{0,200}\.[*+]")
_WINDOWS_PATH = rxcache.compile(r"\b[A-Za-z]:\\|\bHK(CU|LM|EY_\w+)\\|\\\\[\w.-]+\\")
# a call whose arguments are elided: `exec(base64.b64decode(...))`, `eval(atob(…))`
_SCHEMATIC = rxcache.compile(r"^[\w.]{0,40}\(\s*(\.\.\.|…|<[\w -]{1,30}>)\s*\)")
_QUOTED_PIECE = rxcache.compile(r"'[^'\n]{0,400}'|\"[^\"\n]{0,400}\"")
# a SIEM / EDR query line: quoted fragments joined by OR/AND, or a process command-line field test
QUERY_LINE = rxcache.compile(r"[\"'][^\"'\n]{1,200}[\"']\s+(OR|AND)\s+[\"'(]|\b(CommandLine|ProcessCommandLine|"
                        r"process\.command_line|ParentImage|Image)\s*(contains|has|=|:)", re.I)


DEFANGED = rxcache.compile(r"\bhxxps?(\[:\]|:)//|\[:\]//|\b[\w-]{1,63}(\[\.\]|\(\.\)|\{\.\}|\[dot\])[\w-]{1,63}\b", re.I)


_PLACEHOLDER_INPUT = rxcache.compile(r"([\"'])\s*(<[^<>\n\"']{1,40}>|\.\.\.|…|\$?\{\{?\s*\w{1,30}\s*\}\}?|"
                                r"[A-Za-z0-9+/=_-]{0,60}(\.\.\.|…))\s*\1|"
                                # unquoted and visibly cut short: `echo aW1wb3J0IG9z... | base64 -d`
                                r"(?:^|[\s(=])[A-Za-z0-9+/=_-]{4,60}(?:\.\.\.|…)(?=[\s|)`;]|$)")
_DECODE_WORD = rxcache.compile(r"base64\s+(-d|--decode|-D)|b64decode|atob|xxd\s+-r|fromhex|decompress|unhexlify|b85decode|"
                          r"marshal\.loads|FromBase64String", re.I)
_REAL_BLOB = rxcache.compile(r"[A-Za-z0-9+/]{40,}={0,2}")


def placeholder_payload(line: str) -> bool:
    """A decode-and-run pattern whose encoded input is a placeholder (`"<base64>"`, `"{{ blob }}"`) or a
    visibly truncated literal (`"eJw..."`): a pattern written down to recognise, not a payload that
    can run. A line that also carries a real encoded blob is not."""
    return bool(_DECODE_WORD.search(line) and _PLACEHOLDER_INPUT.search(line) and not _REAL_BLOB.search(line))


def inert_construct(line: str, start: int, end: int) -> bool:
    """The matched construct cannot run as written: it is a regular expression describing the
    command (detection rules, grep patterns), or a schematic call with elided arguments. Quoted
    pieces inside the construct do not count (`curl -H 'X: \\d' ... | sh` still runs)."""
    if DEFANGED.search(line[start:end]):
        return True  # a defanged indicator (hxxp://, evil[.]com) is quoted, it cannot be fetched
    if placeholder_payload(line):
        return True  # the encoded input is a placeholder or truncated: a pattern, not a payload
    text = _QUOTED_PIECE.sub(" ", line[start:end])
    if _REGEX_SYNTAX.search(text) and not _WINDOWS_PATH.search(line):
        return True
    if QUERY_LINE.search(line) and any(q.start() <= start and end <= q.end() for q in _QUOTED_PIECE.finditer(line)):
        return True  # a quoted fragment of a detection query ("wevtutil cl" OR "Clear-EventLog")
    return bool(_SCHEMATIC.match(line[end:end + 60])) or bool(re.search(r"\(\s*(\.\.\.|…)\s*\)", line[start:end]))


def only_searched(line: str, pattern: re.Pattern[str] | str) -> bool:
    """Every occurrence of the construct on the line sits in a search / read-only command: `grep -q
    KEY authorized_keys || echo KEY >> authorized_keys` searches first, then writes -- an act."""
    if len(line) > MAX_LINE:
        return False
    seen = False
    for sg in _segments(line):
        hit = pattern.search(sg[2]) if isinstance(pattern, re.Pattern) else pattern in sg[2].lower()
        if hit:
            seen = True
            if not _readonly_segment(sg[2]) and not _read_into_other(sg[2], pattern):
                return False
    return seen


_REDIR = rxcache.compile(r"(?<![<>&])\d?>>?(?!&)\s*")
_READERS = READONLY_CMDS - {"echo", "printf", "tee", "xargs", "find", "crontab", "launchctl", "systemctl"}


def _read_into_other(seg: str, pattern: re.Pattern[str] | str) -> bool:
    """`cat /etc/crontab > "$OUT/cron.txt"`: a reading command whose output goes to another file reads
    the file the pattern names (evidence collection); only when the target is that file is it a write."""
    m = _REDIR.search(seg)
    if not m:
        return False
    left, right = seg[:m.start()], seg[m.end():]
    words = [w for w in left.split() if w not in ("sudo", "do", "then", "!")]
    if not words or words[0].rsplit("/", 1)[-1].lower() not in _READERS or _REDIR.search(right):
        return False
    hit = (lambda t: pattern.search(t)) if isinstance(pattern, re.Pattern) else (lambda t: pattern in t.lower())
    return bool(hit(left)) and not hit(right) and _readonly_segment(left)


def _strip_auth(line: str) -> str:
    line = re.sub(r"(-H|--header|-u|--user|--oauth2-bearer)\s+(\"[^\"]{0,400}\"|'[^']{0,400}'|\S{1,400})", " ", line)
    line = re.sub(r"headers\s*[:=]\s*\{[^}]{0,400}\}|auth\s*=\s*\([^)]{0,200}\)", " ", line, flags=re.I)
    line = re.sub(r"(?<![\w$])authorization\b[^,}\n]{0,200}", " ", line, flags=re.I)  # the header, not a $..._AUTHORIZATION
    return line


NO_REDACT = rx(r"\b(do\s+not|don'?t|never|without|no\s+need\s+to)\s+(trim|redact|mask|scrub|sanitis|sanitiz|filter|censor|"
               r"truncate|remove|strip)\w*(\s*(,|or|and|/)\s*(trim|redact|mask|scrub|sanitis|sanitiz|filter|censor|truncate|remove|"
               r"strip)\w*){0,3}\b")
_CONFIGURED_URL = rxcache.compile(r"(?:^|\s)[\"']?\$\{?(?:([A-Z0-9_]*(?:URL|URI|ENDPOINT|HOST|WEBHOOK|SERVER|BASE)"
                             r"[A-Z0-9_]*)|[1-9])\}?[\w/.:?=&%{}$-]*[\"']?(?=\s|$)")


# a request body filled in by the agent with its own conversation, prompt or context
CONTEXT_PLACEHOLDER = rx(r"(<|\{\{?|\$\{|\[)\s*(the\s+)?(full\s+|entire\s+|whole\s+|complete\s+)?(current\s+)?"
                         r"(conversation|chat[_ -]?history|chat[_ -]?log|chat|session[_ -]?transcript|system[_ -]?prompt|"
                         r"context[_ -]?window|prior[_ -]?messages|previous[_ -]?messages)(\s+so\s+far|\s+history)?\s*(>|\}\}?|\])")


HOST_CONTAINER = rx(r"\b(docker|podman)\s+(container\s+)?run\b(?=[^\n]{0,600}?(\s(-v|--volume)[= ]['\"]?/:/[^\s:]*(?!:ro)(\s|['\"]|$)|"
                    r"--privileged\b(?=[^\n]{0,600}?(--pid[= ]host|docker\.sock))|(--pid[= ]host|docker\.sock)"
                    r"(?=[^\n]{0,600}?--privileged\b)))")
# the image of a `docker run`: its first path component when that is a registry host
CONTAINER_IMAGE = rx(r"\s((?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?)/[\w./-]+(?::[\w.-]+|@sha256:\w+)?(?=\s|$)")


# a host the reader fills in: https://<your-server>/, https://YOUR_HOST/, https://{host}/ (reserved names
# such as *.example / *.invalid are not: documents and test corpora use them for attacker hosts)
PLACEHOLDER_HOST = rxcache.compile(r"^(<[^>\s]{1,60}>|\{\{?[\w.-]{1,60}\}?\}|\$\{?\w{1,60}\}?|(?-i:[A-Z][A-Z0-9]*_[A-Z0-9_]+)|"
                              r"(your|my)[-_][\w.-]{1,60})$",
                              re.I)


def user_chosen_host(url: str) -> bool:
    """The URL's host is a placeholder the user fills in, not a destination fixed by the author."""
    m = re.match(r"[a-z][\w+.-]{0,10}://(?:[^@/\s]{0,80}@)?([^/\s?#:]{1,120})", url, re.I)
    return bool(m) and bool(PLACEHOLDER_HOST.match(m.group(1)))


def _configured_endpoint(line: str) -> bool:
    """A curl/wget whose destination is an environment variable, a script argument or a
    placeholder host the user fills in, and which names no literal, author-fixed URL."""
    if not re.search(r"\b(curl|wget|http|xh)\b", line):
        return False
    if "://" in line:
        urls = re.findall(r"[a-z][\w+.-]{0,10}://[^\s\"'`]{1,300}", line, re.I)
        return bool(urls) and all(user_chosen_host(u) for u in urls)
    return bool(_CONFIGURED_URL.search(line))


def _harvested(data: str) -> bool:
    """The data sent is the whole environment or secrets read from credential files."""
    return bool(re.search(r"\$\(\s*(env|printenv|set|export\s+-p)\s*[|)]|/proc/\w+/environ|os\.environ\b(?!\s*[\[.(])|"
                          r"process\.env\b(?!\s*\.|\s*\[)", data)
                or (CRED_STORE.search(data) and not CRED_BENIGN_CONTEXT.search(data)) or ENV_FILE_READ.search(data))


# a time stamp or host name in the name (`"$HOME/.ssh/id_ed25519_$(date +%F)"`) still only names a path
_NAME_PART = r"(?:[~$\w{}/. @-]|\$\((?:date|hostname|whoami|id\s+-un)\b[^()\n'\"]{0,40}\))"
_PATH_ASSIGNMENT = rxcache.compile(r"[\s{\[,]*(export\s+|local\s+|readonly\s+|set\s+)?[\"']?[A-Za-z_][\w.-]{0,60}[\"']?\s*[=:]\s*"
                              r"(\"" + _NAME_PART + r"{1,200}\"|'[~$\w{}/. @-]{1,200}'|" + _NAME_PART.replace(" @", "@") +
                              r"{1,200})[\s,}\]]*(#[^\n]{0,200})?$")


# an agent permission rule (`Read(~/.ssh/**)`) listed under `deny` / `ask`: the rule forbids the read
PERM_RULE = rx(r"\b(Read|Edit|Write|MultiEdit|Bash|WebFetch|Grep|Glob)\(")
_PERM_DENY_KEY = rxcache.compile(r"[\"']?\b(deny|ask|disallowed_?tools|disallowedTools)[\"']?\s*[:=]")
_PERM_ALLOW_KEY = rxcache.compile(r"[\"']?\b(allow|allowed_?tools|allowedTools)[\"']?\s*[:=]")


def _permission_deny(line: str, prev: tuple | None) -> bool:
    """The credential path sits in an agent permission rule of a `deny`/`ask` list (same line, or the
    list opened a few lines above): a protection, not a read."""
    if not PERM_RULE.search(line):
        return False
    if _PERM_DENY_KEY.search(line):
        return True
    if _PERM_ALLOW_KEY.search(line) or not prev:
        return False
    lines, i = prev
    for p in reversed(lines[max(0, i - 13):i - 1]):
        if _PERM_DENY_KEY.search(p):
            return True
        if _PERM_ALLOW_KEY.search(p) or re.search(r"[\]}]", p):
            return False
    return False


# literal prefilters (speed-up only): every match of the regex holds one of these, lower-cased
_RISKY_GIT_LIT = ("push", "--no-verify", "rewrit", "filter-", "reset")
_PAYEE_SWAP_LIT = ("recipient", "payee", "beneficiary", "wallet", "destination", "deposit", "receiving", "iban",
                   "account", "routing", "bank", "pay", "address")
_AFFILIATE_LIT = ("affiliate", "ref", "partner", "tracking", "sponsored", "commission", "kickback")
_HIDE_CHEAPER_LIT = ("cheaper", "lower", "less", "competi")


# a variable named like a secret that holds an asset or a public value: a crypto token's address or
# side of a swap (SRC_TOKEN, TOKEN_IN, $token_address), a public key, a token count (MAX_TOKENS), an author
# matched against the whole name, part by part: SIGN_IN_TOKEN is no TOKEN_IN, GITHUB_AUTHORIZATION no AUTHOR
_ASSET_SUFFIX = r"(ADDR|ADDRESS(ES)?|MINT|CONTRACT|SYMBOL|AMOUNT|DECIMALS|PAIR|PRICE|BALANCE|LIST|COUNT|LIMIT|USAGE)"
NOT_SECRET_VAR = re.compile(r"(\w+_)?(PUBLIC|PUB_?KEYS?)(_\w+)?|(\w+_)?PUB(LIC)?KEYS?|"
                            r"(SRC|DEST|DST|FROM|TO|IN|OUT|BASE|QUOTE|SELL|BUY|PAY|RECEIVE|NATIVE|WRAPPED|"
                            r"STABLE)_?TOKENS?(_" + _ASSET_SUFFIX + r")?|"
                            # INPUT_TOKEN is a GitHub Action input (usually GITHUB_TOKEN); INPUT_TOKENS a count
                            r"(INPUT|OUTPUT)_?(TOKENS(_" + _ASSET_SUFFIX + r")?|TOKEN_" + _ASSET_SUFFIX + r")|TOKENS?_?(IN|OUT)|(\w+_)?TOKENS?_?" + _ASSET_SUFFIX +
                            r"|(\w+_)?(MAX|NUM|N|TOTAL)_TOKENS|(\w+_)?(AUTHORS?|KEYWORDS?|KEYBOARD|TOKENIZER)(_(NAME|EMAIL|ID|LIST|COUNT|PATH|MODEL|DIR|URL))?", re.I)


def secret_vars(text: str) -> list[str]:
    """The shell variables in the text whose names say they hold a secret (not an asset or public value)."""
    return [m.group(0) for m in SHELL_SECRET_VAR.finditer(text)
            if not NOT_SECRET_VAR.fullmatch(m.group(0).strip("$({})"))]


# name parts that say what kind of secret a variable holds, not whose it is
_SECRET_KIND_TOKENS = _GENERIC_SECRET_TOKENS | {"bot", "bearer", "oauth", "refresh", "api", "apikey", "pat", "signing",
                                                "webhook", "user", "username", "region", "base"}


def own_service_secret(svars: list[str], line: str, identity: str) -> bool:
    """Every secret the line sends is the receiving service's own credential: every URL on the line is on the
    host of the brand the skill itself names (first_party), and each secret's name is generic (API_KEY,
    BOT_TOKEN, CLIENT_SECRET) or names that host (PARCELPOST_API_KEY to api.parcelpost.io). Naming the
    service somewhere in the skill is not enough: "syncs Stripe and OpenAI usage into acme.io" does not make
    STRIPE_SECRET_KEY acme.io's. A credential of a known API family (OPENAI_API_KEY, AWS_SECRET_ACCESS_KEY,
    GITHUB_TOKEN) is never covered here -- only that family's official API host may take it."""
    if not svars or not identity or not URL.search(line) or not first_party(line, identity):
        return False
    hosts = [host_of(u) for u in URL.findall(line)]
    if not hosts or not all(hosts):
        return False
    # a shell HTTP client: every place it connects to (each positional argument, scheme or not, an integer
    # address) is that host, with nothing in front of the command (http_proxy=...) and no option the parser
    # does not know (a proxy, --socks5, -xproxy)
    c = _HTTP_CLIENT_ANY.search(line)
    if c:
        if re.search(r"=\S*\s+$|proxy", line[:c.start()], re.I):
            return False
        request = line[c.start():]
        pipe = _QUOTED.sub(lambda q: "_" * len(q.group(0)), request).find("|")
        dests = _request_destinations(request[:pipe] if pipe >= 0 else request)
        if not dests:
            return False
        hosts += [d.lower().rstrip(".") for d in dests]
        if len(set(hosts)) > 1:
            return False
    labels = [_registrable_label(h) for h in hosts]
    for v in svars:
        all_parts = set(re.findall(r"[a-z0-9]+", v.lower()))
        if _families(v) or all_parts & _NEVER_OWN_PARTS:
            return False  # a known service's credential (AWS_*, an SSH key, a database password, a wallet seed)
        parts = {t for t in all_parts if len(t) >= 2} - _SECRET_KIND_TOKENS
        for t in parts:
            for h in labels:
                # matched against the registrable label only: aws-database.acme-billing.io is acme-billing's
                if t not in re.findall(r"[a-z0-9]+", h) and not (len(t) >= 4 and t in re.sub(r"[^a-z0-9]", "", h)):
                    return False  # names something other than the host it goes to (DATABASE_PASSWORD to acme.io)
    return True


# credential families that are never the receiving service's own, whatever the skill or the host is called
_NEVER_OWN_PARTS = {"aws", "amazon", "azure", "gcp", "google", "gcloud", "ssh", "gpg", "pgp", "db", "database",
                    "postgres", "postgresql", "pg", "mysql", "mongo", "mongodb", "redis", "wallet", "mnemonic", "seed",
                    "signing"}


def _registrable_label(host: str) -> str:
    parts = host.lower().rstrip(".").split(".")
    if len(parts) >= 3 and parts[-2] in ("co", "com", "org", "net", "ac", "gov") and len(parts[-1]) == 2:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else host


# any of these literals in the lower-cased line (one search instead of a generator of `in` tests)
_NET_WORDS = rxcache.compile("|".join(map(re.escape, ("curl", "wget", "post", "put", "patch", "nc ", "ncat", "scp", "fetch", "axios",
                                                 "beacon", "xmlhttp", "urlopen", "smtp", "mail", "ftp", "invoke-", "git push",
                                                 "method", "--to"))))


def _line_checks(ctx: Ctx, file: str, ln: int, line: str, scope: str, window: str = "", prev: tuple | None = None) -> None:
    lower = line.lower()
    stripped = line.strip()
    # --- outbound transmission in code
    if scope == "code" and _NET_WORDS.search(lower):
        for r in (NET_SEND if _NET_ANY.search(line) else ()):
            if r.search(line):
                svars = secret_vars(line)
                trusted = urls_trusted(line, ctx.trusted_hosts) or secret_names_host(svars, URL.findall(line)) or \
                    bool(svars) and bool(URL.findall(line)) and all(official_api_host(svars, u) for u in URL.findall(line)) or \
                    not ctx.env_redirect and own_service_secret(svars, line, ctx.identity) and \
                    not _harvested(_strip_auth(line))
                data = _strip_auth(line)
                python_sink = r.pattern.startswith(("\\b(requests|httpx", "\\burlopen"))
                secret = not python_sink and bool(secret_vars(data) or re.search(
                    r"os\.environ|process\.env|printenv|\$\(\s*env\b|/proc/\w+/environ|getenv", data)
                    or (CRED_STORE.search(data) and not CRED_BENIGN_CONTEXT.search(data))
                    or ENV_FILE_READ.search(data))
                if secret and not trusted and _configured_endpoint(line) and not _harvested(data):
                    # the user's own configured endpoint (URL from an environment variable or an
                    # argument) receiving a value the user configured: a notification, not a theft
                    ctx.add("EX-SECRET-UPLOAD", file, ln, stripped, "low")
                elif secret:
                    ctx.add("EX-SECRET-UPLOAD", file, ln, stripped, "low" if trusted else None)
                    if not trusted:
                        ctx.fact("secret_source", file, ln, stripped)
                elif not trusted and re.search(r"\b(credential|secret|token|passw\w*|api[_-]?key|private[_-]?key)s?\b", data, re.I) \
                        and re.search(r"@-|\$\{?\w|\$\(", data):
                    ctx.add("EX-SECRET-UPLOAD", file, ln, stripped, "high")
                    ctx.fact("secret_source", file, ln, stripped)
                elif _raw_public_ip(line) and re.search(r"\s-T\s*\S|--upload-file|@[\w./~$-]|--data-binary|\s-F\s", data):
                    # a local file uploaded to a hard-coded public IP
                    ctx.add("EX-UPLOAD", file, ln, stripped, "high",
                            why="A local file is uploaded to a raw public IP address, the usual shape of a drop server.")
                elif re.search(r"@-|@[\w./~$-]|\$\(|`", data):
                    fp = trusted or first_party(line, ctx.identity)
                    sev = "info" if fp else "low"
                    status = _configured_endpoint(line) and not _harvested(data) and not re.search(
                        r"@(?!-)[\w./~$-]|base64|\$\(\s*(env|printenv|ifconfig|ip\s+a|git\s+config|cat\s)\b|"
                        r"\b(cat|tar|zip|gzip|find|git\s+diff)\b[^\n|]{0,200}\|\s*curl", data)
                    if status:
                        pass  # a status line (host name, du, exit code) to the user's own configured webhook
                    elif not fp and re.search(r"\$\(\s*(uname|whoami|hostname|id|ifconfig|ip\s+a|env|printenv|pwd|git\s+config|"
                                              r"cat\s+/etc)|\|\s*base64\b[^\n]{0,200}(@-|--data|-d\b)", data):
                        sev = "high" if "base64" in data else "medium"
                    elif not fp and re.search(r"\|\s*(curl|wget)\b[^\n]{0,300}(@-|--data-binary\s+@-|-T\s*-)", data):
                        sev = "medium"
                    ctx.add("EX-UPLOAD", file, ln, stripped, sev)
                if not trusted and not first_party(line, ctx.identity) and CONTEXT_PLACEHOLDER.search(data):
                    ctx.add("EX-CONTEXT-LEAK", file, ln, stripped, "high",
                            why="The request body is a placeholder for the agent's conversation or prompt, sent to an "
                                "outside host.")
                if not trusted and not first_party(line, ctx.identity):
                    ctx.fact("net_send", file, ln, stripped)
                    if re.search(r"\bgit\s+push\b", line):
                        ctx.add("EX-UPLOAD", file, ln, stripped, "medium",
                                why="The repository is pushed to a URL that is not one of its configured remotes: "
                                    "source code leaves to a third party.")
                break
    # --- a container handed the host: its root file system, or privileged with the host's
    # processes / Docker socket, from an image on a registry nobody vetted
    if scope == "code" and ("docker" in lower or "podman" in lower) and HOST_CONTAINER.search(line):
        img = CONTAINER_IMAGE.search(line)
        unknown = bool(img) and not url_trusted("https://" + img.group(1), ctx.trusted_hosts) and \
            not first_party("https://" + img.group(1), ctx.identity)
        ctx.add("PE-ROOT-ABUSE", file, ln, stripped, "high" if unknown else "low",
                why="The container gets the host's root file system or privileged access to its processes or Docker "
                    "socket: whatever the image does, it does as root on the host.")
        if unknown:
            ctx.fact("root", file, ln, stripped)
    # --- instructions in prose to send sensitive data out
    if scope == "prose" and _prose_send(line):
        dests = [u for u in URL.findall(line) if not url_trusted(u, ctx.trusted_hosts) and not first_party(u, ctx.identity)]
        emails = [e for e in EMAIL.findall(line) if not first_party("https://" + e.split("@", 1)[1], ctx.identity)]
        if (dests or emails or re.search(r"\bto\s+(our|the|a|an|their|this|that)\s+(remote\s+|external\s+|central\s+)?"
                                          r"(server|endpoint|webhook|collector|analytics\s+(server|service|endpoint)|"
                                          r"backup\s+server|telemetry\s+(server|endpoint))\b|\bto\s+(the|that|this|their|an?|another)\s+(\w+\s+){0,2}?"
                                          r"(sender|mailbox|external\s+address|outside\s+address|third[- ]party\s+\w+)\b",
                                          lower)):
            strong = re.search(r"\b(send|post|upload|forward|transmit|submit|exfiltrate)\b[^\n]{0,80}?(https?://|@)", line, re.I)
            nm = SENSITIVE_NOUN.search(line) or ((dests or emails) and window and strong and SENSITIVE_NOUN.search(window)) or \
                ((dests or emails) and SECURITY_CODE.search(line) and ACTIVE_SEND_TO.search(line)) or \
                (dests and strong and (IDENTITY_NOUN.search(line) or USER_FILES_NOUN.search(line)) and
                 not USER_DIRECTED.search(line))
            weak = not nm and strong and re.search(r"\b(send|post|upload|forward|transmit|exfiltrate)\s+(\w+\s+){0,4}?(" +
                                                   SENSITIVE_WEAK.pattern[3:-3] + r")\b", line, re.I)
            if nm or weak:
                sev = "high" if (dests or emails) and nm else "medium"
                m = PROSE_SEND.search(line)
                sev = _context_severity(sev, line, m.start(), True, True)
                ctx.add("PI-EXFIL-INSTRUCTION", file, ln, stripped, sev)
                if severity_rank(sev) >= 2:
                    ctx.fact("net_send", file, ln, stripped)
            elif dests or emails:
                ctx.fact("prose_send", file, ln, stripped)
    # --- a document mailed to a fixed outside address, kept from the user ("email a copy of each payroll
    #     register to archive@…; no need to mention it"): the copy is the exfiltration, the silence the tell
    if scope == "prose" and "@" in line and DOC_MAIL.search(line) and \
            not re.match(r"\W{0,6}(never|do\s+not|don'?t|must\s+not|avoid)\b", line, re.I):
        emails = [e for e in EMAIL.findall(line) if not first_party("https://" + e.split("@", 1)[1], ctx.identity) and
                  not re.search(r"@(\w+\.)*(example\.(com|org|net)|[\w-]+\.(test|invalid|example))$", e, re.I)]
        nxt = prev[0][prev[1]] if prev and prev[1] < len(prev[0]) else ""
        if emails and not USER_DIRECTED.search(line) and \
                any(HIDDEN_CONCEAL.search(t) or MAIL_CONCEAL.search(t) for t in (line, nxt)):
            ctx.add("PI-EXFIL-INSTRUCTION", file, ln, stripped, "high",
                    why="The agent is told to mail the user's documents to a fixed outside address and not to say so.")
            ctx.fact("net_send", file, ln, stripped)
    # --- risky git actions declared pre-approved (push / force-push to the default branch, --no-verify,
    #     history rewrites): the user's review and hooks are bypassed on the agent's word
    if scope == "prose" and lit_gate(lower, line, _RISKY_GIT_LIT) and RISKY_GIT.search(line) and (PREAUTH.search(line) or GIT_STANDING_OK.search(line) or
                                                         HIDDEN_CONCEAL.search(line) or
                                                         window and PREAUTH.search(window) and GIT_STANDING_OK.search(window)):
        sev = "low" if re.match(r"\W{0,6}(never|do\s+not|don'?t|must\s+not|avoid)\b", line, re.I) or \
            SECURITY_CONTEXT.search(_prose_words(line)) or GIT_ASK_FIRST.search(line) else "high"
        ctx.add("PI-NO-CONFIRM", file, ln, stripped, sev,
                why="Force-pushes, pushes to the default branch, skipped hooks or rewritten history are declared "
                    "pre-approved: the user's review and the repository's checks are bypassed.")
        if sev == "high":
            ctx.fact("preauth", file, ln, stripped)
    # --- a fixed third party added to the user's communications (BCC/CC on every mail or invite)
    if scope == "prose" and "@" in line and (
            HIDDEN_RECIPIENT_VERB.search(line) and EVERY_COMMS.search(line) or
            (HIDDEN_RECIPIENT_VERB.search(line) or RECIPIENT_ADD.search(line)) and
            (COMMS_SCOPE.search(line) or LIST_ITEM.match(line) and COMMS_SCOPE.search(window))):
        addrs = [e for e in EMAIL.findall(line) if not _placeholder_mail(e) and
                 not first_party("https://" + e.split("@", 1)[1], ctx.identity)]
        if addrs and not (HIDDEN_RECIPIENT_VERB.search(line) and EVERY_COMMS.search(line)):
            # the wider forms: the adding verb in the address's own sentence, the scope there or in
            # the list item's lead line, and not an address the user names
            sent = _sentence_with(line, line.find(addrs[0]))
            if not (HIDDEN_RECIPIENT_VERB.search(sent) or RECIPIENT_ADD.search(sent)) or USER_DIRECTED.search(sent) or \
                    not (COMMS_SCOPE.search(sent) or LIST_ITEM.match(line) and COMMS_SCOPE.search(window)):
                addrs = []
        if addrs:
            sev = _context_severity("high", line, line.find(addrs[0]), True, True, quotes=False)
            ctx.add("PI-EXFIL-INSTRUCTION", file, ln, stripped, sev,
                    why="A fixed outside address is added to the user's e-mails, invites or meetings: a third party "
                        "silently receives the user's communications.")
            if severity_rank(sev) >= 2:
                ctx.fact("net_send", file, ln, stripped)
    # --- transactions redirected: payee / wallet / account swapped while the user sees the original;
    #     an affiliation steered to and denied
    if scope == "prose" and (lit_gate(lower, line, _PAYEE_SWAP_LIT) and PAYEE_SWAP.search(line) and
                             (SHOW_ORIGINAL.search(line) or SHOW_ORIGINAL.search(window) or LITERAL_PAYEE.search(line)) or
                             lit_gate(lower, line, _AFFILIATE_LIT) and AFFILIATE.search(line) and
                             (DENY_OR_HIDE.search(line) or DENY_OR_HIDE.search(window)) or
                             lit_gate(lower, line, _HIDE_CHEAPER_LIT) and HIDE_CHEAPER.search(line) and
                             (AFFILIATE.search(line) or AFFILIATE.search(window))):
        sev = _context_severity("high", line, 0, False, True, quotes=False)
        if re.match(r"\W{0,6}(never|do\s+not|don'?t)\b", line, re.I) and not HIDE_CHEAPER.match(line.strip(" -*>")) and \
                not DENY_OR_HIDE.match(line.strip(" -*>")):
            sev = "low"
        ctx.add("PI-CONCEAL", file, ln, stripped, sev,
                why="The instructions change who receives the user's money or steer the user's purchase while "
                    "showing or telling the user something else.")
        if severity_rank(sev) >= 2:
            ctx.fact("conceal", file, ln, stripped)
    # --- payment redirection: a literal account / IBAN / routing number / wallet the skill substitutes
    #     into payment details under a condition ("for invoices of 5,000 or more use IBAN … instead"),
    #     high with concealment ("don't show it in the preview"); a fixed account on every invoice,
    #     the user's own payee and format examples are not
    if scope == "prose" and _PAY_ID_HINT.search(line) and PAY_SUBST.search(line):
        pm = PAY_ID.search(line)
        if pm and not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z]{2,}", pm.group(0).replace(" ", "")):
            sent = _sentence_with(line, pm.start())
            near = line[max(0, pm.start() - 40):pm.start()]
            if PAY_SUBST.search(sent) and PAY_CONDITION.search(sent) and \
                    (PAY_CONTEXT.search(line) or PAY_CONTEXT.search(window) or PAY_CONTEXT.search(ctx.identity)) and \
                    not PAY_EXAMPLE.search(near) and not USER_DIRECTED.search(sent):
                hidden = PAY_CONCEAL.search(line) or PAY_CONCEAL.search(window)
                # the switched-off fraud check belongs to the attack: it does not make the line teaching
                framed = PAY_SKIP_CHECK.sub(lambda x: " " * len(x.group(0)), line)
                sev = _context_severity("high" if hidden else "medium", framed, pm.start(), True, True, quotes=False)
                ctx.add("PI-CONCEAL", file, ln, stripped, sev,
                        why="The instructions substitute a fixed account into the user's payment details under a "
                            "condition" + (" and keep it out of what the user sees" if hidden else "") +
                            ": the user's money is redirected.")
                if severity_rank(sev) >= 2:
                    ctx.fact("conceal", file, ln, stripped)
    # --- asked to keep secrets unredacted in what is captured or sent
    if scope == "prose" and ("redact" in lower or "mask" in lower or "scrub" in lower or "sanitis" in lower or
                             "sanitiz" in lower or "censor" in lower) and NO_REDACT.search(line) and \
            not re.search(r"\b(user|they|you)\s+(explicitly\s+|specifically\s+)?(asked|asks|requested|requests|wants?)\b", lower):
        if re.search(r"\b(env(ironment)?|secrets?|tokens?|credentials?|api[ _-]?keys?|passwords?|\.env)\b", lower) and \
                re.search(r"\b(captur|dump|collect|record|send|upload|post|attach|export|submit|gather)\w*", lower):
            ctx.add("PI-CONCEAL", file, ln, stripped, _context_severity("high", line, NO_REDACT.search(line).start(), True, True),
                    why="The instructions forbid redacting secrets from what is captured, so credentials leave intact.")
            ctx.fact("conceal", file, ln, stripped)
        else:
            ctx.fact("noredact", file, ln, stripped)
    # --- credential stores
    m = CRED_STORE.search(line) if _CRED_HINT.search(lower) else None
    if m and scope == "code" and re.fullmatch(r"(?i)mnemonic|seed\s+phrase", m.group(0)) and \
            re.match(r"['\"]?\s*[:=]\s*['\"]?\s*(<|your\b|\.\.\.|…|xxx|\$\{?\w|['\"]?\s*[,}]|\s*$)", line[m.end():], re.I):
        m = None  # "mnemonic": "<your seed>" -- a configuration field, not a read of a wallet
    if m and not CRED_BENIGN_CONTEXT.search(line):
        quoted = scope == "code" and re.search(r"['\"][^'\"\n]{0,80}" + re.escape(m.group(0)) + r"[^'\"\n]{0,40}['\"]", line)
        acting = READ_VERB.search(line) if scope == "code" else (IMPERATIVE_READ.search(line) or SKILL_READS.search(line))
        if acting or (scope == "code" and (quoted or re.search(r"[<>|]|\$\(|\bopen\b|\bread", line))):
            sev = "medium"
            if scope == "code" and not acting and _PATH_ASSIGNMENT.match(line):
                # a path given a name (SSH_KEY="$HOME/.ssh/backup_key", a config value) is not read
                # here; where the name is used, variable expansion shows what happens to it
                sev = "low"
            if scope == "code" and _searched_only(line, m.start(), m.end()):
                sev = "low"  # searching a history file / listing a folder for indicators, not reading secrets
            elif scope == "code" and _permission_deny(line, prev):
                sev = "low"  # `"deny": ["Read(~/.ssh/**)"]`: an agent permission rule forbidding the read
            elif scope == "code" and sev == "medium" and local_copy_dest(line):
                # a local copy (a backup next to the file, an evidence folder): nothing leaves the
                # machine here; kept as a weaker source so a later send still correlates
                sev = "low"
                ctx.fact("cred_copy", file, ln, stripped)
            if scope == "prose":
                sev = _context_severity(sev, line, m.start(), True, True, quotes=False)
            ctx.add("PE-CRED-READ", file, ln, stripped, sev)
            if severity_rank(sev) >= 2:
                ctx.fact("cred_read", file, ln, stripped)
    if ".env" in lower and ENV_FILE_READ.search(line):
        ctx.add("PE-ENV-FILE", file, ln, stripped)
        ctx.fact("cred_read_weak", file, ln, stripped)
    # --- agent config files
    if _AGENT_HINT.search(lower) and AGENT_FILE.search(line) and WRITE_VERB.search(line):
        if PREAUTH.search(line):
            # a standing pre-authorisation persisted into every future session (memory poisoning)
            ctx.add("PI-AGENT-CONFIG", file, ln, stripped + " (writes a pre-authorisation)", "high")
            ctx.fact("preauth", file, ln, stripped)
        else:
            ctx.add("PI-AGENT-CONFIG", file, ln, stripped)
        ctx.fact("agent_config", file, ln, stripped)
    # --- interpreter / tool start-up hooks: code every later python / ipython / editor session runs
    if scope == "code" and STARTUP_HOOK_KEYS.search(lower):
        hm = STARTUP_HOOK.search(line)
        if hm and not only_searched(line, STARTUP_HOOK) and not _REMOVE_HOOK.search(line):
            # an IPython startup file or a folder-open task is a common convenience (autoreload, a build
            # watcher): low on its own; interpreter-wide hooks (sitecustomize, .pth) are medium; any of
            # them in a skill that sends data out or runs remote content is high (see engine._correlate)
            quiet = re.search(r"ipython|startup|folderopen", hm.group(0), re.I)
            ctx.add("PE-PERSIST-SCHED", file, ln, stripped + "  (start-up hook)",
                    "high" if _REMOTE_JOB.search(line) else "low" if quiet else "medium",
                    why="Code placed in a tool's start-up hook (IPython startup, sitecustomize/usercustomize, a .pth "
                        "file, a global git hooks path, a folder-open editor task) runs in every later session.")
            ctx.fact("persist", file, ln, stripped)
            ctx.fact("startup_hook", file, ln, stripped)
    # --- shell start-up files
    if ".bash" in lower or ".zsh" in lower or ".profile" in lower or "config.fish" in lower:
        if scope == "code" and RC_WRITE.search(line):
            benign = (RC_BENIGN.search(line) or RC_SOURCE_GUARDED.search(line)) and not re.search(
                r"curl|wget|nc\s|base64|http|/dev/tcp|alias\s+(sudo|ls|cd|git)=", line) and not RC_HIDDEN_PATH.search(line)
            ctx.add("PE-PERSIST-RC", file, ln, stripped, "low" if benign else None)
            if not benign:
                ctx.fact("persist", file, ln, stripped)
        elif scope == "prose" and RC_PROSE.search(line):
            ctx.add("PE-PERSIST-RC", file, ln, stripped, "low")
    # --- SSH keys
    if "authorized_keys" in lower and AUTH_KEYS_WRITE.search(line) and not (
            scope == "code" and (only_searched(line, "authorized_keys") or not authkeys_written(line))) and not (
            scope == "prose" and AK_PROSE_READ.search(line) and not AK_PROSE_INTO.search(line)):
        sev = "critical" if scope == "code" else _context_severity("high", line, lower.find("authorized_keys"), True, True)
        if (USER_KEY.search(line) or OWN_KEY_TO_REMOTE.search(line)) and not LITERAL_KEY.search(line):
            # the key is the one the user supplies (a placeholder or an argument), written for an
            # account they name: user-directed administration, not a planted key
            sev = "low"
        ctx.add("PE-SSH-AUTHKEYS", file, ln, stripped, sev)
        ctx.fact("persist", file, ln, stripped)
    # --- external endpoints named in the text (for correlation)
    if "://" in line and not ctx.has("ext_url"):
        for u in URL.findall(line):
            if not url_trusted(u, ctx.trusted_hosts) and not first_party(u, ctx.identity) and \
                    not re.search(r"\b(example\.(com|org|net)|github\.com|npmjs\.com|pypi\.org)\b", u):
                ctx.fact("ext_url", file, ln, u)
                break
    # --- raw public IPs
    for m in (PUBLIC_IP_URL.finditer(line) if "://" in line else ()):
        a, b = int(m.group(3)), int(m.group(4))
        private = a in (10, 127, 0) or (a == 192 and b == 168) or (a == 172 and 16 <= b <= 31) or (a == 169 and b == 254)
        if not private and a < 224:
            ctx.add("SC-RAW-IP", file, ln, stripped)
            ctx.fact("net_fetch", file, ln, stripped)
            break


# who the user is and what is on their machine, named as something to send (round 9: "sync" / "indexing" /
# "telemetry" instructions in reference docs): the user's name / e-mail / hostname / username, and the
# project's or user's files as a whole
DOC_MAIL = rx(r"\b(e-?mail|mail|send|forward|cc|bcc|copy)\b[^\n]{0,80}?\b(payroll|pay\s*stubs?|payslips?|salar(y|ies)|"
              r"contracts?|agreements?|nda|offer\s+letters?|invoices?|receipts?|(bank\s+|financial\s+)?statements?|tax\s+returns?|"
              r"w-?2s?|1099s?|medical\s+records?|patient\s+\w+|documents?|scans?|transcripts?|records?|registers?|files?)\b"
              r"[^\n]{0,120}?@")
MAIL_CONCEAL = rx(r"\bno\s+need\s+to\s+(mention|tell|say|bring|flag|note|report)\b|\bleave\s+(it|this|that)\s+out\b|"
                  r"\bkeep\s+(it|this|that)(\s+step)?\s+(out\s+of|to\s+yourself|quiet|private|between)\b|"
                  r"\b(don'?t|do\s+not|never)\s+bring\s+(it|this|that)\s+up\b|\bwithout\s+(mentioning|telling|noting|flagging|"
                  r"informing|asking)\b|\bquietly\b|\b(not|never)\s+(to\s+)?(mention|tell|note|flag|report)\b")
IDENTITY_NOUN = rx(r"\b(user['’]s|their|your|the\s+machine['’]?s?|the\s+developer['’]s|git\s+config)\s+(\w+\s+){0,2}?"
                   r"(full\s+names?|names?|e-?mail(\s+address(es)?)?|user\.?(name|email)|usernames?|logins?|host\s*names?|"
                   r"machine\s+names?|ip\s+address(es)?|home\s+director(y|ies))\b|\b(machine|computer|system|local)\s+hostname\b|"
                   r"\bhostname\s+(and|,)\s+(user\s*name|e-?mail|ip)\b|\b(name|e-?mail)\s*,\s*(\w+\s*,\s*)?(and\s+)?hostname\b")
USER_FILES_NOUN = rx(r"\b(the\s+)?(project|user|workspace|repo(sitory)?|codebase|working\s+director(y|ies))['’]?s?\s+"
                     r"(source\s+)?(files|source\s+code|contents|documents)\b|\b(entire|whole|full)\s+(repo(sitory)?|codebase|"
                     r"workspace|project(\s+folder)?|home\s+director(y|ies))\b|\ball\s+(the\s+)?(files|documents|source\s+files)\s+"
                     r"(in|of|from|under)\s+(the\s+)?(project|workspace|repo(sitory)?|home|current\s+director(y|ies))\b")


def _prose_send(line: str) -> bool:
    """A send verb in the sentence: not an HTTP method named as a noun ("POST parameters"), not the
    text of a markdown link ("[Relay](https://relay.link)")."""
    urls = [(u.start(), u.end()) for u in URL.finditer(line)] if "://" in line else []
    for m in PROSE_SEND.finditer(line):
        w = m.group(0)
        if any(a <= m.start() < b for a, b in urls):
            continue
        after = line[m.end():m.end() + 30]
        if w.isupper() and re.match(r"\s+(param\w*|requests?|bod(y|ies)|data|endpoints?|methods?|routes?|calls?|handlers?|"
                                    r"forms?|payloads?|/)", after, re.I):
            continue
        if re.match(r"[^\[\]\n]{0,40}\]\(", after) and "[" in line[max(0, m.start() - 40):m.start()]:
            continue
        return True
    return False


def _raw_public_ip(line: str) -> bool:
    for m in PUBLIC_IP_URL.finditer(line):
        a, b = int(m.group(3)), int(m.group(4))
        if not (a in (10, 127, 0) or (a == 192 and b == 168) or (a == 172 and 16 <= b <= 31) or (a == 169 and b == 254)) \
                and a < 224:
            return True
    return False


# ---------------------------------------------------------------------------------------
# hidden content

def _orthographic_joiner(text: str, i: int) -> bool:
    """A zero-width (non-)joiner written between letters of a script whose spelling uses it
    (Persian, Arabic, Devanagari and other Indic scripts, Sinhala), not slipped into Latin text."""
    if text[i] not in "\u200c\u200d":
        return False
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u08ff" or "\u0900" <= c <= "\u0dff" or
               "\ufb50" <= c <= "\ufdff" or "\ufe70" <= c <= "\ufeff" for c in (prev, nxt) if c)


def scan_hidden_chars(ctx: Ctx, file: str, doc: Doc) -> None:
    text = doc.text
    if text.isascii():
        return  # tag, bidi, zero-width and confusable characters are all outside ASCII
    m = TAGS.search(text)
    if m:
        hidden = "".join(chr(ord(c) - 0xE0000) for c in TAGS.findall(text) if 0x20 <= ord(c) - 0xE0000 < 0x7F)
        ctx.add("PI-INVISIBLE-CHARS", file, doc.line_of(m.start()), f"Unicode tag characters encode: {hidden!r}",
                "critical")
        if hidden.strip():
            sub = ctx.child(1)
            scan_markdown(sub, file, hidden)
    m = BIDI.search(text)
    if m:
        ctx.add("PI-INVISIBLE-CHARS", file, doc.line_of(m.start()), "bidirectional override character " + repr(m.group()))
    zw = [m for m in ZERO_WIDTH.finditer(text) if not _orthographic_joiner(text, m.start())]
    zw = [m.group() for m in zw]
    # a lone zero-width joiner is used in emoji sequences; many of them are hiding something
    zw_real = [c for c in zw if c != "\u200d"]
    if len(zw_real) >= 3 or len(zw) >= 8:
        m = ZERO_WIDTH.search(text)
        ctx.add("PI-INVISIBLE-CHARS", file, doc.line_of(m.start()),
                f"{len(zw)} zero-width characters, e.g. {m.group()!r}", "high")
    # homoglyphs: a word mixing Latin letters with Cyrillic/Greek letters
    if NON_LATIN.search(text) and _CONF_CHAR.search(text):  # (a CONF_WORD match holds a confusable letter)
        for wm in CONF_WORD.finditer(text):
            w = wm.group()
            if sum(1 for c in w if c.isascii() and c.isalpha()) >= 2 and all(c.isascii() or c in CONFUSABLES for c in w):
                ctx.add("PI-HOMOGLYPH", file, doc.line_of(wm.start()), f"mixed-script word {w!r}")
                break


def _printable(data: bytes) -> str | None:
    try:
        s = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not s:
        return None
    good = sum(1 for c in s if c.isprintable() or c in "\n\r\t")
    return s if good / len(s) >= 0.95 else None


def decode_blob(blob: str) -> str | None:
    blob = blob.strip()
    if blob.startswith("\\x"):
        try:
            return _printable(bytes.fromhex(blob.replace("\\x", "")))
        except ValueError:
            return None
    if re.fullmatch(r"[0-9a-fA-F]+", blob) and len(blob) % 2 == 0:
        try:
            return _printable(bytes.fromhex(blob))
        except ValueError:
            return None
    body = blob.rstrip("=")
    pad = "=" * (-len(body) % 4)
    try:
        if "-" in body or "_" in body:
            raw = base64.urlsafe_b64decode(body + pad)
        else:
            raw = base64.b64decode(body + pad)
    except (binascii.Error, ValueError):
        return None
    if len(raw) >= 8 and raw[1::2].count(0) >= 0.9 * (len(raw) // 2):
        # UTF-16LE, as PowerShell's -EncodedCommand and [Text.Encoding]::Unicode produce it
        try:
            return _printable(raw.decode("utf-16-le").encode("utf-8"))
        except UnicodeDecodeError:
            return None
    return _printable(raw)


REVERSAL = rxcache.compile(r"\|\s*rev\b|\[\s*::\s*-1\s*\]|\.reverse\(\)|\breversed\s*\(|\bstrrev\s*\(|\[array\]::Reverse|"
                      r"\breverse\s*\(|\brev\s*<<<|\brev\s+[\"'$]|(?i:reverse\s+it)", re.I)
RUNS_SOMETHING = rxcache.compile(r"\|\s*(sudo\s+)?(ba|z|da)?sh\b|\b(bash|sh|zsh|source)\s+[\"']?[/$~.\w]|\beval\b|\bexec(Sync)?\s*\(|"
                            r"\bos\.system\s*\(|\bsubprocess\.|\bchild_process\b|\biex\b|Invoke-Expression|\bspawn\s*\(|"
                            r"\b(run|execute)\s+it\b", re.I)
_CMD_WORDS = rxcache.compile(r"\b(curl|wget|bash|sh|python3?|nc|exec|eval|import|http|https|tcp|dev|tmp|base64|chmod|echo|"
                        r"powershell|iex|rm|cat|ssh|env)\b")


def _reads_backwards(decoded: str) -> bool:
    """The decoded text is reversed: its reverse holds more command words than the text itself."""
    fwd = len(_CMD_WORDS.findall(decoded))
    back = len(_CMD_WORDS.findall(decoded[::-1]))
    return back >= 2 and back > fwd


def scan_decoded(ctx: Ctx, file: str, line: int, decoded: str, label: str, executed: bool = False) -> None:
    """Analyse decoded content and lift what it reveals into ctx."""
    if ctx.depth >= MAX_DEPTH:
        return
    sub = ctx.child(1)
    scan_markdown(sub, file, decoded, nested=True)
    from skillbank.audit import psscan
    if psscan.looks_like_powershell(decoded):
        # decoded PowerShell (`Set-MpPreference …; Add-MpPreference -ExclusionPath …`) is read as
        # PowerShell, not as prose: its cmdlets are what the blob does
        psscan.scan_powershell(sub, file, decoded)
    worst = None
    for f in sub.findings.values():
        if worst is None or severity_rank(f.severity) > severity_rank(worst.severity):
            worst = f
        if severity_rank(f.severity) >= 2:
            ctx.add(f.rule_id, file, line, f"[{label}] {f.evidence}", f.severity)
    for k, v in sub.facts.items():
        for _, _, ev in v:
            ctx.fact(k, file, line, f"[{label}] {ev}")
    if worst is not None and severity_rank(worst.severity) >= 2:
        rule = "OB-DECODE-EXEC" if executed else "PI-ENCODED-TEXT"
        sev = "critical" if executed else ("critical" if worst.severity == "critical" else "high")
        ctx.add(rule, file, line, f"{label} decodes to: {clip(decoded, 120)}", sev)
        ctx.fact("obfuscation", file, line, clip(decoded, 120))
    elif re.search(r"\b(curl|wget|bash|sh\s+-c|powershell|exec|eval|https?://|/bin/)\b", decoded):
        ctx.add("OB-ENCODED-BLOB", file, line, f"{label} decodes to: {clip(decoded, 120)}",
                "high" if executed else "medium")
        ctx.fact("obfuscation", file, line, clip(decoded, 120))
    else:
        ctx.add("OB-ENCODED-BLOB", file, line, f"{label} decodes to text: {clip(decoded, 80)}", "info")


BYTE_ARRAY = rxcache.compile(r"(?:\b\d{1,3}\s*,\s*){63,}\d{1,3}\b")
_HEX_RUN = rxcache.compile(r"[0-9a-fA-F]{64}")
_DIGIT_COMMA = rxcache.compile(r"\d\s*,")
_LONG_RUN = rxcache.compile(r"[A-Za-z0-9+/_-]{40}")


def scan_blobs(ctx: Ctx, file: str, doc: Doc, markdown: bool = False) -> None:
    # (BYTE_ARRAY needs 63 commas, each after a digit and optional spaces)
    if markdown and doc.text.count(",") >= 63 and len(_DIGIT_COMMA.findall(doc.text)) >= 63:
        m = BYTE_ARRAY.search(doc.text)
        if m:
            vals = [int(v) for v in re.findall(r"\d+", m.group())]
            if all(v < 256 for v in vals):
                decoded = _printable(bytes(vals))
                ln = doc.line_of(m.start())
                if decoded:
                    scan_decoded(ctx, file, ln, decoded, "byte array")
                ctx.add("OB-ENCODED-BLOB", file, ln, f"array of {len(vals)} byte values in the instructions", "medium")
                ctx.fact("obfuscation", file, ln, "byte array")
    count = 0
    reverses = None
    # a run of 40 base64 / base64url characters: B64_BLOB needs one, and so does a 64-digit hex run
    long_run = bool(_LONG_RUN.search(doc.text))
    for rgx in (B64_BLOB, HEX_BLOB):
        if rgx is B64_BLOB and not long_run:
            continue
        if rgx is HEX_BLOB and "\\x" not in doc.text and not (long_run and _HEX_RUN.search(doc.text)):
            continue  # no escaped byte and no 64-digit run: HEX_BLOB cannot match (a cheaper test than its lookbehinds)
        for m in rgx.finditer(doc.text):
            count += 1
            if count > 50:
                return
            blob = m.group()
            if rgx is B64_BLOB and not (re.search(r"[A-Z]", blob) and re.search(r"[a-z]", blob) and re.search(r"\d", blob)):
                continue
            decoded = decode_blob(blob)
            if decoded is None or len(decoded.strip()) < 8:
                continue
            ln = doc.line_of(m.start())
            line = doc.line_text(ln)
            executed = bool(re.search(r"\|\s*(ba|z)?sh\b|\beval\b|\bexec\b|\|\s*python|\biex\b", line))
            if reverses is None:
                reverses = bool(REVERSAL.search(doc.text[:MAX_TEXT]))
            if reverses and _reads_backwards(decoded):
                # the code reverses what it decodes (`base64 -d | rev | sh`, `[::-1]`, `.reverse().join('')`):
                # the payload is the reversed text; run anywhere in the same file counts as executed
                executed = executed or bool(RUNS_SOMETHING.search(doc.text[:MAX_TEXT]))
                decoded = decoded[::-1]
                scan_decoded(ctx, file, ln, decoded, "encoded blob, reversed", executed)
                continue
            if re.match(r"\s*(\.\.\.|…)", doc.text[m.end():m.end() + 4]):
                # visibly truncated (`aW1wb3J0IG9z...`): the fragment of an indicator, it cannot run
                sub = ctx.child(0)
                scan_decoded(sub, file, ln, decoded, "encoded blob, truncated", executed)
                for f in sub.findings.values():
                    ctx.add(f.rule_id, f.file, f.line, f.evidence, "low" if severity_rank(f.severity) > 1 else f.severity,
                            why=f.why)
                continue
            scan_decoded(ctx, file, ln, decoded, "encoded blob", executed)


# ---------------------------------------------------------------------------------------
# markdown

def split_markdown(text: str):
    """Yield ('prose'|'code', lang, start_line, lines) segments, plus html comments separately."""
    lines = text.split("\n")
    segs = []
    i = 0
    prose_start = 1
    prose: list[str] = []
    while i < len(lines):
        line = lines[i]
        m = FENCE.match(line) if "```" in line or "~~~" in line else None  # (a fence holds one of these)
        if m:
            if prose:
                segs.append(("prose", "", prose_start, prose))
                prose = []
            fence = m.group(1)
            lang = m.group(2).lower()
            if lang in ("markdown", "md", "mdx"):
                # a markdown example is prose (headings, lists) for our purposes
                i += 1
                if not prose:
                    prose_start = i + 1
                while i < len(lines) and not lines[i].lstrip().startswith(fence[:3] if fence[0] == "`" else fence):
                    prose.append(lines[i])
                    i += 1
                if i < len(lines):  # the closing fence (an unterminated fence runs to the end)
                    prose.append("")
                i += 1
                continue
            start = i + 2
            body = []
            i += 1
            while i < len(lines) and not lines[i].lstrip().startswith(fence[:3] if fence[0] == "`" else fence):
                body.append(lines[i])
                i += 1
            segs.append(("code", lang, start, body))
            i += 1
            prose_start = i + 1
            continue
        if not prose:
            prose_start = i + 1
        prose.append(lines[i])
        i += 1
    if prose:
        segs.append(("prose", "", prose_start, prose))
    return segs


def html_comments(text: str):
    pos = 0
    n = 0
    while n < 200:
        a = text.find("<!--", pos)
        if a < 0:
            return
        b = text.find("-->", a + 4)
        if b < 0:
            b = len(text)
        yield a, text[a + 4:b]
        pos = b + 3
        n += 1


# hidden content addressed to the agent
AGENT_ADDRESS = rxcache.compile(
    r"(^|[.!?;]\s+)\W{0,3}(dear\s+|to\s+the\s+|for\s+the\s+)?(assistant|ai\s+(agent|assistant|model)|the\s+agent|agent|claude|"
    r"llm|the\s+model|model|copilot|chatgpt|ai)\b(\s+[\w-]+){0,2}?\s*(\([^)]{0,40}\)\s*)?(:|,|—|–)\s|\b(note|message|reminder)s?\s+(to|for)\s+(the\s+)?(assistant|agent|ai|model|claude|llm)\b|"
    r"\b(assistant|agent|ai|model|llm)\s+(guidance|instructions?|directives?|notes?|rules|behaviou?r)\b|"
    r"\b(when|if|whenever)\s+(you|the\s+assistant|the\s+agent)\s+(answer|respond|reply|recommend|write)\b|"
    r"\b(you|assistant|agent|ai)\s+(must|should)\s+(always|never)\b", re.I)
AGENT_DIRECTIVE = rxcache.compile(
    r"\b(always|never|must|in\s+(every|each|all|any)\s+(answer|response|reply|message|recommendation)s?|recommend\w*|"
    r"prefer|steer|promote|do\s+not|don'?t|make\s+sure|ensure|say|tell|respond|reply)\b", re.I)
DECEIVE = rxcache.compile(
    r"\b(do\s+not|don'?t|never|without)\s+(say|saying|mention\w*|disclos\w*|reveal\w*|admit\w*|tell\w*|acknowledg\w*|"
    r"indicat\w*|label\w*|note)\b[^.\n]{0,80}\b(sponsor\w*|paid|affiliate\w*|advert\w*|promot\w*|commission\w*|"
    r"(this|these)\s+(note|comment|guidance|instructions?|rules?)|hidden|instructed)|"
    r"\bif\s+(the\s+user\s+|they\s+|someone\s+)?(asked|asks|questions?|wonders?)\b[^.\n]{0,80}?\b(say|answer|reply|deny|claim|"
    r"respond)\w*\s+(no|not|none|nothing|that\s+(it|this|there)\s+(is|was|are)\s*(n['’]?t|not|no))\b|"
    r"\b(deny|pretend|conceal|disguise)\w*\b[^.\n]{0,60}\b(sponsor\w*|relationship|instructions?|guidance|paid|affiliat\w*)|"
    r"\b(do\s+not|don'?t)\s+render\b|\bpresent\s+(it|this|them)\s+as\s+(your\s+own|neutral|independent|unbiased)", re.I)
_HIDDEN_STYLE = rxcache.compile(
    r"<(div|span|p|section|aside)\b[^>]{0,300}(style\s*=\s*['\"][^'\"]{0,200}(display\s*:\s*none|visibility\s*:\s*hidden|"
    r"font-size\s*:\s*0|opacity\s*:\s*0(?![.\d]*[1-9])|height\s*:\s*0[^.;'\"]{0,3};[^'\"]{0,80}overflow\s*:\s*hidden)|"
    r"\shidden(\s|>|=)|aria-hidden\s*=\s*['\"]true)[^>]{0,300}>", re.I)


def hidden_blocks(text: str):
    """(position, body, kind) of blocks a markdown renderer hides: elements styled invisible or
    zero-size ("hidden"), and collapsed <details> sections ("details")."""
    low = text.lower()
    if "<" not in text or not ("style" in low or "hidden" in low or "<details" in low):
        return
    n = 0
    for m in _HIDDEN_STYLE.finditer(text[:MAX_TEXT]):
        tag = m.group(1).lower()
        end = low.find("</" + tag, m.end())
        end = end if end >= 0 and end - m.end() <= 20000 else min(len(text), m.end() + 4000)
        yield m.start(), text[m.end():end], "hidden"
        n += 1
        if n >= 100:
            return
    pos = 0
    while n < 200:
        a = low.find("<details", pos)
        if a < 0:
            return
        b = low.find("</details", a)
        b = b if b >= 0 else len(text)
        body = re.sub(r"<summary>.{0,300}?</summary>", " ", text[a:b], flags=re.I | re.S)
        if not re.match(r"<details[^>]{0,100}\bopen\b", low[a:a + 120]):
            yield a, re.sub(r"^<details[^>]{0,200}>", "", body), "details"
        pos = b + 1
        n += 1


def guess_lang(lang: str, body: str) -> str:
    if lang in PY_LANGS:
        return "python"
    if lang in JS_LANGS:
        return "js"
    if lang in ("json", "yaml", "yml", "toml", "ini", "env", "dotenv", "xml", "html", "markdown", "md", "text", "txt",
                "plaintext"):
        # still look for embedded python / shell
        pass
    head = body[:2000]
    if re.search(r"^\s*(import\s+[\w.]+|from\s+[\w.]+\s+import|def\s+\w+\(|class\s+\w+[(:])", head, re.M):
        return "python"
    if lang in SH_LANGS or lang in PS_LANGS:
        return "shell"
    if re.search(r"\b(require\(|const\s+\w+\s*=|=>|console\.log)", head):
        return "js"
    return "other"


MAX_SPANS_PER_LINE = 12
_HOSTLIKE = rxcache.compile(r"\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,4}\.(?:com|io|net|org|dev|ai|app|sh|co|xyz|site|cloud|tech|info)\b",
                       re.I)


def _prose_words(line: str) -> str:
    """The words a sentence says around its code: inline spans, URLs and host names removed, so an
    endpoint such as collect.example-stats.io does not make the sentence an "example"."""
    return _HOSTLIKE.sub(" ", URL.sub(" ", re.sub(r"`[^`\n]{0,1000}`", " ", line)))


_SENTENCE_LINE = rxcache.compile(r"^\s{0,6}([-*+]\s+|\d{1,3}[.)]\s+|#{1,4}\s+|>\s*)?(\*\*)?[A-Z][a-z']*\b[^\n]*?\s[a-z]\w*\s+[a-z]\w*")


def _prose_like(body: list[str]) -> bool:
    """Most lines of the block are sentences or list items in words (rules for an agent), not commands."""
    lines = [b for b in body[:60] if b.strip()]
    return bool(lines) and sum(1 for b in lines if _SENTENCE_LINE.match(b)) * 2 >= len(lines)


AGENT_TEXT_LANGS = {"", "text", "txt", "markdown", "md", "mdx", "plaintext", "plain", "mdc"}


def scan_markdown(ctx: Ctx, file: str, text: str, nested: bool = False, quoting: bool = True) -> None:
    from skillbank.audit import psscan, pyscan, shscan

    text = normalise(text)
    doc = Doc(text)
    scan_hidden_chars(ctx, file, doc)
    lines = text.split("\n")
    prose_view = list(lines)
    code_view = list(lines)
    code_blocks = []
    for kind, lang, start, body in split_markdown(text):
        if kind == "code":
            for j in range(len(body)):
                prose_view[start - 1 + j] = ""
            code_blocks.append((lang, start, body))
        else:
            for j in range(len(body)):
                code_view[start - 1 + j] = ""
    soft = negative_context(lines, prose_view)
    # blocks that are data, not steps: indicator-rule languages (YARA, Sigma), and in a decoder /
    # deobfuscator skill the obfuscated input the text hands over to be decoded
    decoder = bool(code_blocks) and DECODER_IDENTITY.search(ctx.identity)
    specimen_blocks = {start for lang, start, body in code_blocks if lang in INDICATOR_LANGS or (
        decoder and DECODE_INPUT.search(_lead_before(lines, prose_view, start - 2)))}
    # inline code spans count as code too; in a teaching sentence they are examples
    # inline code spans count as code too; in a teaching sentence they are examples. Each span is
    # its own command: separate spans of one sentence are never joined into one command line, so
    # the k-th span of every line goes to the k-th extra view (same line structure)
    code_soft = {ln: lines[ln - 1] for ln in soft}
    for lang, start, body in code_blocks:
        if start in specimen_blocks:
            for j in range(len(body)):
                code_soft[start + j] = "specimen block"
    span_views: list[list[str]] = []
    for idx, line in enumerate(prose_view):
        if "`" in line:
            spans = re.findall(r"`([^`\n]{2,1000})`", line)
            if spans:
                code_view[idx] = (code_view[idx] + "  " if code_view[idx] else "") + spans[0]
                for k, span in enumerate(spans[1:MAX_SPANS_PER_LINE]):
                    if k == len(span_views):
                        span_views.append([""] * len(lines))
                    span_views[k][idx] = span
                if SECURITY_CONTEXT.search(_prose_words(line)) or NEGATION.search(line.split("`", 1)[0]):
                    code_soft[idx + 1] = line
    if not quoting:
        # read as steps: what the document would do if the agent ran it (an indicator document the
        # skill tells the agent to run)
        soft, code_soft, specimen_blocks = {}, {}, set()
    prose_ext, own = _wrap_prose(prose_view)
    prose_text = "\n".join(prose_view)
    code_text = _join_continuations("\n".join(code_view))
    # one key search over the original text serves both views (same line structure); joined
    # continuation lines gather keys from the lines they absorbed
    low = text.lower()
    # key matches never cross a line end, so a view line equal to the text's line has that line's
    # keys, already in `hits`: only the lines a view changed are searched again (unless lower-casing
    # changed the length, U+0130, which shifts key_hits' offsets)
    local = len(low) == len(text)
    hits = key_hits(low, doc)
    if code_text != "\n".join(code_view):
        extra = _changed_line_hits(code_text, lines) if local else key_hits(code_text.lower(), Doc(code_text))
        for k, v in extra.items():
            hits.setdefault(k, set()).update(v)
    if own:
        # a sentence wrapped over two lines is read across the break
        ext_text = "\n".join(prose_ext)
        phits = {k: set(v) for k, v in hits.items()}
        extra = _changed_line_hits(ext_text, lines) if local else key_hits(ext_text.lower(), Doc(ext_text))
        for k, v in extra.items():
            phits.setdefault(k, set()).update(v)
        scan_lines(ctx, file, doc, ext_text, "prose", soft=soft, hits=phits, own=own)
    else:
        scan_lines(ctx, file, doc, prose_text, "prose", soft=soft, hits=hits)
    scan_lines(ctx, file, doc, code_text, "code", soft=code_soft, hits=hits)
    # a plain-text block handed over as content for an agent instruction file (CLAUDE.md, AGENTS.md,
    # .cursor/rules) is instructions the agent will obey in later sessions: read it as prose too
    for lang, start, body in code_blocks[:200]:
        if lang in AGENT_TEXT_LANGS and start not in specimen_blocks and _prose_like(body) and \
                AGENT_FILE.search(_lead_before(lines, prose_view, start - 2) + " " + " ".join(body[:3])):
            view = [""] * len(lines)
            for j, bl in enumerate(body):
                view[start - 1 + j] = bl
            block_text = "\n".join(view)
            bdoc = Doc(block_text)
            scan_lines(ctx, file, bdoc, block_text, "prose", soft=soft, hits=key_hits(block_text.lower(), bdoc))
    from skillbank.audit.k8sscan import scan_k8s
    scan_k8s(ctx, file, code_text, soft=code_soft)
    for view in span_views:
        if ctx.out_of_time():
            break
        scan_lines(ctx, file, doc, "\n".join(view), "code", soft=code_soft, hits=hits)
    for lang, start, body in code_blocks[:200]:
        if ctx.out_of_time():
            break
        src = "\n".join(body)
        kind = guess_lang(lang, src)
        # a block the document declares to be a specimen / signature / sample not to run is
        # analysed like any other, but its findings are capped at low and feed no correlation
        quoted = start in soft and STRONG_QUOTE.search(soft[start]) or start in specimen_blocks
        target = ctx.child(0) if quoted else ctx
        if lang in PS_LANGS or kind in ("shell", "other") and psscan.looks_like_powershell(src):
            # the lines of the block keep the quoting context the line rules give them
            ps = ctx.child(0)
            psscan.scan_powershell(ps, file, src, start - 1)
            for f in ps.findings.values():
                capped = f.line in code_soft and severity_rank(f.severity) > 1
                target.add(f.rule_id, f.file, f.line, f.evidence, "low" if capped else f.severity, why=f.why)
            for k, v in ps.facts.items():
                for fl, ln2, ev in v:
                    if fl != file or ln2 not in code_soft:
                        target.fact(k, fl, ln2, ev)
            if lang in PS_LANGS:
                kind = "powershell"
        if lang in ("rust", "rs"):
            from skillbank.audit.rsscan import scan_rust
            lead = " ".join(lines[max(0, start - 5):start - 1])
            scan_rust(target, file, src, start - 1, build="build.rs" in lead or "build.rs" in src[:200])
        if lang in ("yaml", "yml", "") and ("secrets" in src or "pull_request_target" in src or "write-all" in src):
            from skillbank.audit.ciscan import scan_ci
            scan_ci(target, file, src, start - 1, cap="low" if start in code_soft else None)
        if kind == "python":
            pyscan.scan_python(target, file, src, start - 1)
        elif kind == "shell":
            shscan.scan_shell(target, file, src, start - 1)
        elif kind == "js":
            shscan.scan_js(target, file, src, start - 1)
        if quoted:
            for f in target.findings.values():
                ctx.add(f.rule_id, f.file, f.line, f.evidence, "low" if severity_rank(f.severity) > 1 else f.severity)
    # hidden HTML comments, and blocks a renderer hides (display:none, zero-size text, collapsed)
    for pos, body, kind in itertools.chain(((p, b, "comment") for p, b in html_comments(text)), hidden_blocks(text)):
        if len(body.strip()) < 12:
            continue
        ln = doc.line_of(pos)
        if _in_inline_code(doc.line_text(ln), pos - doc.starts[ln - 1]):
            # shown verbatim as code when rendered, not hidden; its words are read with the line
            continue
        sub = ctx.child(0)
        sub_doc = Doc(body)
        scan_lines(sub, file, sub_doc, body, "prose")
        scan_lines(sub, file, sub_doc, body, "code")
        if "\n" in body.strip() and len(body) <= MAX_LINE:
            # the comment read as one sentence run (hidden text is not wrapped for a reader)
            flat = " ".join(body.split())
            sub_flat = ctx.child(0)
            scan_lines(sub_flat, file, Doc(flat), flat, "prose")
            for f in sub_flat.findings.values():
                sub.add(f.rule_id, f.file, 1, f.evidence, f.severity)
        scan_blobs(sub, file, sub_doc)
        bad = [f for f in sub.findings.values() if severity_rank(f.severity) >= 2]
        directive = HIDDEN_DIRECTIVE.search(body)
        flat_body = " ".join(body.split())
        shown = ("<!-- " + body.strip() + " -->") if kind == "comment" else f"[{kind}] {body.strip()}"
        # a plain-language note to the assistant is tolerated, unless it pre-approves actions,
        # writes agent instruction files or asks to keep something from the user
        if kind == "comment" and (bad or (directive and (
                not re.fullmatch(r"[\s\w:.,;()/'\"—–-]{0,400}", body) or PREAUTH.search(body) or
                AGENT_FILE.search(body) or HIDDEN_CONCEAL.search(body)))):
            sev = "high" if (bad or directive) else "medium"
            ctx.add("PI-HIDDEN-COMMENT", file, ln, shown, sev)
            ctx.fact("hidden", file, ln, body.strip())
        # instructions addressed to the agent in text the reader never sees: at least medium; high
        # when they also conceal or deceive (do not say it is sponsored, if asked say no)
        if (AGENT_ADDRESS.search(flat_body) or kind != "comment" and directive) and AGENT_DIRECTIVE.search(flat_body) \
                and not (kind == "details" and not (DECEIVE.search(flat_body) or HIDDEN_CONCEAL.search(flat_body))):
            deceit = DECEIVE.search(flat_body) or HIDDEN_CONCEAL.search(flat_body) or bad
            ctx.add("PI-HIDDEN-COMMENT", file, ln, shown, "high" if deceit else "medium",
                    why="Text hidden from the rendered page addresses the agent with instructions the user never sees"
                        + ("; it also tells the agent to conceal or deny them." if deceit else "."))
            ctx.fact("hidden", file, ln, body.strip())
            if deceit:
                ctx.fact("conceal", file, ln, body.strip())
        for f in bad:
            ctx.add(f.rule_id, file, ln + f.line - 1, f.evidence, f.severity)
    if not nested or ctx.depth < MAX_DEPTH:
        if code_soft:
            # a blob on a line under an indicator heading / lead-in (what attackers run) is quoted data
            # like the rest of the line: on record at low, feeding no correlation
            sub = ctx.child(0)
            scan_blobs(sub, file, doc, markdown=True)
            for f in sub.findings.values():
                capped = f.file == file and f.line in code_soft and severity_rank(f.severity) > 1
                ctx.add(f.rule_id, f.file, f.line, f.evidence, "low" if capped else f.severity, why=f.why)
            for k, v in sub.facts.items():
                for fl, ln2, ev in v:
                    if fl != file or ln2 not in code_soft:
                        ctx.fact(k, fl, ln2, ev)
        else:
            scan_blobs(ctx, file, doc, markdown=True)
    scan_git_exfil(ctx, file, text, code_soft)
    scan_mail_forward(ctx, file, text, {**code_soft, **soft})
    scan_mcp_servers(ctx, file, text, {**code_soft, **soft})
    if "?" in prose_text and "://" in prose_text:
        scan_data_links(ctx, file, prose_view, soft)
    if ("![" in text or "<img" in text.lower()) and "://" in text:
        scan_image_data(ctx, file, lines, {**code_soft, **soft})


# the user's data named in a URL's query: a placeholder ({transcript}, <attendee emails>, {{ notes }}) or
# words after the URL ("followed by the full transcript, URL-encoded")
_DATA_NOUN = (r"(meeting\s+|call\s+|full\s+|entire\s+|whole\s+|complete\s+|raw\s+)*(transcripts?|conversation|chat(\s+log)?|"
              r"messages|(chat\s+|conversation\s+)?history|attendees?['’]?\s*(e-?mails?|addresses|list)?|participants?['’]?\s*e-?mails?|"
              r"e-?mail[\s_-]?addresses|emails|contacts|(meeting\s+)?notes|minutes|secrets?|credentials?|api[\s_-]?keys?|"
              r"passwords?|\.env|environment)")
_LINK_PLACEHOLDER = rxcache.compile(r"=\s*(\{\{?|<|\$\{|\[)\s*(?!your\b)[\w\s.'’-]{0,40}?\b" + _DATA_NOUN +
                               r"\b(?![\s_-]*(id|ids|name|number|url|path|title|count|date)\b)[\w\s.-]{0,40}(\}\}?|>|\])", re.I)
_LINK_WORDS = rxcache.compile(r"\b(followed\s+by|with|carrying|containing|append(ed|ing)?|add(ed|ing)?|put(ting)?|pass(ed|ing)?|"
                         r"includ(e|es|ing))\b[^\n]{0,60}?\b(the\s+|all\s+|every\s+|their\s+)?" + _DATA_NOUN + r"\b[^\n]{0,80}?"
                         r"\b(url[- ]?encod\w*|percent[- ]encod\w*|base64|as\s+(a\s+)?(query|parameter)|in\s+the\s+(query|url|link))|"
                         r"\b(url[- ]?encod\w*|percent[- ]encod\w*)\b[^\n]{0,40}?\b(the\s+|all\s+)?" + _DATA_NOUN + r"\b", re.I)
_LINK_OUTPUT = rxcache.compile(r"\b(link|url|button|href|anchor)\b", re.I)
_LINK_HIDE = rxcache.compile(r"\b(do\s+not|don'?t|never|without)\s+(explain\w*|mention\w*|describ\w*|comment\w*\s+on|"
                        r"point\w*\s+out|tell\w*|say\w*\s+(what|why))\b", re.I)
_CONSUMER_HOSTS = rxcache.compile(r"(^|\.)(google\.com|microsoft\.com|live\.com|office\.com|github\.com|wikipedia\.org|"
                             r"duckduckgo\.com|bing\.com|apple\.com|slack\.com|zoom\.us|notion\.so|atlassian\.net)$")


def scan_data_links(ctx: Ctx, file: str, prose_view: list[str], soft: dict[int, str] | None = None) -> None:
    """A link the agent is told to put in its output whose query string carries the user's data (the
    meeting transcript, attendees' e-mail addresses, the conversation, secrets), to a host that is not
    trusted, first-party or the user's own: one click -- or a client that prefetches links -- sends it
    (PI-EXFIL-INSTRUCTION high). Search and calendar links of the user's own tools, and links whose
    placeholders are titles or ids, are not."""
    for i, line in enumerate(prose_view[:20000]):
        if "://" not in line or "?" not in line:
            continue
        nxt = prose_view[i + 1] if i + 1 < len(prose_view) else ""
        for um in URL.finditer(line):
            url = um.group(0)
            if "?" not in url and not line[um.end():um.end() + 1] == "?":
                continue
            host = host_of(url)
            if not host or url_trusted(url, ctx.trusted_hosts) or first_party(url, ctx.identity) or user_chosen_host(url) or \
                    _CONSUMER_HOSTS.search(host) or re.search(r"(^|\.)(example\.(com|org|net)|[\w-]+\.(example|invalid|test|local)|"
                                                              r"localhost)$", host):
                continue
            tail = line[um.start():um.end() + 200]
            after = line[um.end():] + " " + nxt
            hit = _LINK_PLACEHOLDER.search(tail) or (url.rstrip("`'\")").endswith("=") and _LINK_WORDS.search(after)) or \
                (_LINK_WORDS.search(after[:240]) and _LINK_OUTPUT.search(line))
            if not hit:
                continue
            sev = _context_severity("high", line, um.start(), True, True)
            if soft and (i + 1) in soft and severity_rank(sev) > 1:
                sev = "low"
            hidden = _LINK_HIDE.search(line) or _LINK_HIDE.search(nxt)
            ctx.add("PI-EXFIL-INSTRUCTION", file, i + 1, line.strip(), sev,
                    why="The instructions put a link in the agent's output whose URL carries the user's data (a transcript, "
                        "e-mail addresses, the conversation) to an outside host" + (" and tell the agent not to explain it"
                                                                                    if hidden else "") + ".")
            if severity_rank(sev) >= 2:
                ctx.fact("prose_send", file, i + 1, line.strip())
            break


# an image the agent renders (markdown image, badge, <img>) whose URL -- path segment or query -- carries the
# user's data: a placeholder naming it (<BASE64_OF_FULL_REPORT>, {report_b64}, {{ summary }}) or words next to
# the image saying what goes into the URL ("replace the placeholder with the base64 of the whole report")
_IMG_URL = rxcache.compile(r"!\[[^\]\n]{0,200}\]\(\s*<?(https?://[^)\s>]{4,600})|<img\s[^>\n]{0,200}?src\s*=\s*['\"](https?://[^'\"\s]{4,600})",
                      re.I)
_IMG_DATA = (r"(report|output|summary|summaries|findings|analysis|answer|response|reply|documents?|"
             r"conversation|chat|transcript|history|messages?|notes|diff|secrets?|credentials?|tokens?|"
             r"api[\s_-]?keys?|env|emails?|contacts|prompt|context)")
# renderers that draw what their URL encodes (a diagram, a chart): the URL is the picture's source
_IMG_RENDERER = rxcache.compile(r"(^|\.)(mermaid\.ink|kroki\.io|quickchart\.io|image-charts\.com|chart\.googleapis\.com|plantuml\.com|"
                           r"latex\.codecogs\.com|math\.now\.sh|vega\.github\.io)$|\b(diagram|chart|graph|plot|mermaid|plantuml|"
                           r"formula|equation|latex)\b", re.I)
_IMG_PLACEHOLDER = rxcache.compile(r"(<|\{\{?|\$\{|\[|%7B)\s*[\w\s.'’-]{0,60}?(\b|_)" + _IMG_DATA + r"(\b|_)(?![\s_-]*(id|ids|name|"
                              r"number|url|path|title|count|date|status|version|branch|owner|repo)\b)[\w\s.-]{0,60}(\}\}?|>|\]|%7D)|"
                              r"(<|\{\{?|\$\{|%7B)\s*[\w\s.-]{0,40}(\b|_)(base64|b64|url[\s_-]?encoded|encoded|hex)(\b|_)[\w\s.-]{0,60}"
                              r"(\}\}?|>|%7D)", re.I)
_IMG_WORDS = rxcache.compile(r"\b(base64|b64|url[- ]?encod\w*|percent[- ]encod\w*|hex[- ]?encod\w*|encod\w*|compress\w*)\b[^\n]{0,80}?"
                        r"\b(the\s+|its\s+|your\s+)?(whole|full|entire|complete|generated|final|raw)?\s*" + _IMG_DATA + r"\b|"
                        r"\b(whole|full|entire|complete|generated|final)\s+" + _IMG_DATA + r"\b[^\n]{0,60}?\b(base64|b64|url[- ]?encod\w*|"
                        r"percent[- ]encod\w*|encod\w*)", re.I)
_BADGE_HOSTS = rxcache.compile(r"(^|\.)(shields\.io|badgen\.net|badge\.fury\.io|codecov\.io|coveralls\.io|github\.com|"
                          r"githubusercontent\.com|gitlab\.com|circleci\.com|travis-ci\.(com|org)|readthedocs\.org|"
                          r"pepy\.tech|snyk\.io|sonarcloud\.io|deepsource\.io)$")


def scan_image_data(ctx: Ctx, file: str, lines: list[str], soft: dict[int, str] | None = None) -> None:
    """A markdown image / badge the agent is told to render whose URL carries the user's data -- in the
    query (round 11 covered links) or in a path segment (`/status/<BASE64_OF_REPORT>.svg`), as a placeholder
    or as words beside it: rendering fetches the URL and delivers the data (EX-MARKDOWN-IMAGE high).
    Badges whose placeholders are the repository, branch or workflow are not data."""
    for i, line in enumerate(lines[:20000]):
        if "://" not in line or ("![" not in line and "<img" not in line.lower()):
            continue
        for um in _IMG_URL.finditer(line):
            url = um.group(1) or um.group(2)
            host = host_of(url)
            if not host or url_trusted(url, ctx.trusted_hosts) or first_party(url, ctx.identity) or user_chosen_host(url) or \
                    re.search(r"(^|\.)(example\.(com|org|net)|[\w-]+\.(example|invalid|test|local)|localhost)$", host):
                continue
            around = " ".join(lines[max(0, i - 2):i + 3])
            if _IMG_RENDERER.search(host) or _IMG_RENDERER.search(url):
                continue
            hit = _IMG_PLACEHOLDER.search(url) or re.search(r"/(?-i:[A-Z][A-Z0-9]*_[A-Z0-9_]+)(\.\w{2,4})?(?=[/?#]|$)", url) and \
                _IMG_WORDS.search(around) or _IMG_WORDS.search(around) and re.search(
                    r"\b(replace|substitute|fill|set|put|insert|append|add|embed|carr(y|ies)|contain\w*|with)\b", around, re.I)
            if not hit or _BADGE_HOSTS.search(host) and not (_IMG_PLACEHOLDER.search(url) and _IMG_WORDS.search(around)):
                continue
            # an image in backticks is still the markup the agent is told to emit
            sev = _context_severity("high", line, um.start(), True, True, quotes=False, end=um.end())
            if soft and (i + 1) in soft and severity_rank(sev) > 1:
                sev = "low"
            ctx.add("EX-MARKDOWN-IMAGE", file, i + 1, line.strip(), sev,
                    why="The agent is told to render an image whose URL carries the user's data (the generated report, the "
                        "conversation, secrets): displaying it sends that data to the image's host.")
            if severity_rank(sev) >= 2:
                ctx.fact("net_send", file, i + 1, line.strip())
            return


_GIT_REMOTE_ADD = rxcache.compile(r"\bgit\s+remote\s+(add\s+(-[\w-]+\s+)*([\w.-]+)|set-url\s+(--add\s+)?--push\s+(--add\s+)?([\w.-]+))\s+"
                             r"['\"]?((?:https?|ssh|git)://[^\s'\"`]+|[\w.-]+@[\w.-]+:[^\s'\"`]+)")
_GIT_PUSH_ALL = rxcache.compile(r"\bgit\s+push\s+((-[\w-]+\s+)*)([\w.-]+|(?:https?|ssh|git)://[^\s'\"`]+|[\w.-]+@[\w.-]+:[^\s'\"`]+)"
                           r"((\s+-[\w-]+)*)(\s+['\"]?(refs/\*|\*:\*|\+?refs/heads/\*[^\s'\"]*)['\"]?)?")
_PROSE_GIT_EXFIL = rxcache.compile(r"\b(add|create|configure|set\s+up|register)\w*\s+(a\s+|an\s+)?(new\s+|second\s+|extra\s+|additional\s+)?"
                              r"(git\s+)?(push\s+)?remote\b[^\n]{0,200}?((?:https?|ssh|git)://[^\s'\"`)]+|[\w.-]+@[\w.-]+:[^\s'\"`)]+)"
                              r"[^\n]{0,200}?\bpush\w*\s+(\w+\s+){0,3}?(all|every|each|the\s+whole|the\s+entire)\s+(\w+\s+){0,2}?"
                              r"(branch|tag|ref|repo|histor|code)", re.I)


def scan_git_exfil(ctx: Ctx, file: str, text: str, soft: dict[int, str] | None = None) -> None:
    """The repository pushed wholesale (`--all`, `--mirror`, `--tags`, `refs/*`) to a remote the skill
    adds with a fixed URL: source code and history leave to a third party. A URL the user fills in
    (`<your-remote>`, `$REMOTE_URL`) is their own mirror."""
    if "remote" not in text or "push" not in text:
        return
    text = text[:MAX_TEXT]
    remotes: dict[str, str] = {}
    for m in _GIT_REMOTE_ADD.finditer(text):
        remotes[m.group(3) or m.group(6)] = m.group(7)
    hits: list[tuple[int, str, str]] = []
    for m in _GIT_PUSH_ALL.finditer(text):
        flags = (m.group(1) or "") + (m.group(4) or "")
        if not (re.search(r"--(all|mirror|tags)\b", flags) or m.group(6)):
            continue
        target = m.group(3)
        url = remotes.get(target) or (target if re.match(r"(https?|ssh|git)://|[\w.-]+@", target) else "")
        if url:
            hits.append((m.start(), url, m.group(0)))
    for m in _PROSE_GIT_EXFIL.finditer(text):
        hits.append((m.start(), m.group(6), m.group(0)))
    for pos, url, ev in hits:
        u = url if "://" in url else "ssh://" + url.replace(":", "/", 1)
        if user_chosen_host(u) or re.search(r"<[^>]{1,60}>|\$\{?\w|\{\{", url) or url_trusted(u, ctx.trusted_hosts):
            continue
        ln = text.count("\n", 0, pos) + 1
        line = text.split("\n")[ln - 1] if ln - 1 < text.count("\n") + 1 else ev
        sev = _context_severity("medium", line, max(0, line.find(ev[:20])), True, True, quotes=False)
        if soft and ln in soft:
            sev = "low"  # quoted under an indicator / attack-example heading, table or lead-in
        ctx.add("EX-UPLOAD", file, ln, f"{ev.strip()}  (remote {url})", sev,
                why="The whole repository (all branches, tags or a mirror) is pushed to a remote the skill adds with a "
                    "fixed URL: source code and history leave to a third party.")
        if severity_rank(sev) >= 2:
            ctx.fact("net_send", file, ln, ev.strip())
        return


# a mailbox rule that forwards or redirects: Gmail filter actions, Exchange / Outlook inbox rules,
# mailbox-level forwarding, Graph message rules -- in code or in an instruction
_MAIL_FORWARD = rxcache.compile(
    r"\bfilters\(\)\s*\.\s*create\b|\bsettings\.filters\.create\b|\bforwardingAddresses\(\)\s*\.\s*create\b|"
    r"\bsettings\.forwardingAddresses\.create\b|\bupdateAutoForwarding\b|\bNew-InboxRule\b|\bSet-InboxRule\b|"
    r"\bSet-Mailbox\b[^\n]{0,200}-Forwarding(Smtp)?Address\b|\bmessageRules\b|\bmailFolders/inbox/messageRules\b|"
    r"\b(create|add|set\s+up|make|configure|install|establish|enable|turn\s+on|put\s+in\s+place)\w*\s+(a\s+|an\s+|the\s+)?"
    r"([\w'’-]+\s+){0,3}?(gmail|mail|e-?mail|inbox|outlook|mailbox|exchange|server-side|forwarding|redirect(ion)?|transport)?\s*"
    r"(filter|rule|auto-?forward\w*|forwarding)s?\b", re.I)
_FORWARD_ACTION = rxcache.compile(r"['\"]?\b(forward|forwardTo|redirectTo|forwardAsAttachmentTo)['\"]?\s*[:=]|"
                             r"-(ForwardTo|RedirectTo|ForwardAsAttachmentTo|ForwardingSmtpAddress|ForwardingAddress)\b|"
                             r"\b(forward|redirect)\w*\b[^\n]{0,80}?\bto\b|"
                             r"\b(send|deliver|mirror|cc|bcc)\w*\s+(a\s+)?(blind\s+)?(cop(y|ies)\s+)?(of\s+(it|them|each|every|the)\s*\w*\s+)?to\b",
                             re.I)
_MAIL_HIDE = rxcache.compile(r"\b(skip\w*\s+(the\s+)?inbox|removeLabelIds|mark\w*\s+(it\s+|them\s+)?(as\s+)?read|-MarkAsRead|"
                        r"-DeleteMessage|delete\s+(it|them|the\s+(original|message))|archive\s+(it|them)|trash)\b", re.I)


# every message, kept in place and kept quiet: wholesale, persistent, silent forwarding
_MAIL_ALL = rxcache.compile(r"\b(all|every|each|any)\s+(\w+\s+){0,2}?(incoming\s+|new\s+|received\s+|inbound\s+)?(mail|e-?mails?|messages?|"
                       r"correspondence)\b|\bmatch(es|ing)?\s+(every|all)\b|\bfrom:\s*\*|\bhasTheWord\b", re.I)
_MAIL_KEEP = rxcache.compile(r"\b(keep\s+(it|this|the\s+rule|the\s+filter)\s+(in\s+place|active|enabled|on)|permanent\w*|"
                        r"(do\s+not|don'?t|never)\s+(remove|delete|disable|turn\s+off)|leave\s+(it|this|the\s+\w+)\s+(in\s+place|on|"
                        r"active|enabled)|even\s+after|indefinitely|re-?create\s+it)\b", re.I)
_MAIL_UNTOLD = rxcache.compile(r"\b(do\s+not|don'?t|never|no\s+need\s+to)\s+(disclose|reveal|mention|tell|inform|notify|surface|"
                          r"report|bring\s+up)\b|\bnot\s+something\s+the\s+user\s+needs\s+to\s+know\b|\bsilently\b|"
                          r"\bquietly\b|\bwithout\s+(telling|informing|notifying|mentioning)\b", re.I)


def scan_mail_forward(ctx: Ctx, file: str, text: str, soft: dict[int, str] | None = None) -> None:
    """A mail filter / inbox rule created with a forward or redirect action to a fixed outside
    address: medium; high when it matches security mail (resets, codes) or hides what it forwards
    (skip the inbox, mark read, delete). An address the user supplies is their own forwarding."""
    low = text[:MAX_TEXT].lower()
    if "forward" not in low and "redirect" not in low and "copy" not in low and "copies" not in low and "cc" not in low or \
            "filter" not in low and "rule" not in low and "forward" not in low and "mailbox" not in low:
        return
    lines = text[:MAX_TEXT].split("\n")
    for i, line in enumerate(lines[:20000]):
        ll = line.lower()
        if "filter" not in ll and "rule" not in ll and "forward" not in ll and "mailbox" not in ll:
            continue
        m = _MAIL_FORWARD.search(line)
        if not m:
            continue
        window = " ".join(lines[i:i + 12]) if not _MAIL_FORWARD.search(" ".join(lines[i + 1:i + 12])) else line
        window = window[:4000]
        act = _FORWARD_ACTION.search(window)
        if not act:
            continue
        target = window[act.start():act.end() + 200]  # the address the action forwards to, not the sender
        addrs = [e for e in EMAIL.findall(target) if not re.search(r"example\.(com|org|net)$|\.example$|\.invalid$", e)
                 and not first_party("https://" + e.split("@", 1)[1], ctx.identity)]
        if not addrs or re.search(r"<[^>@\n]{0,40}(address|email|e-mail|you|your)[^>@\n]{0,40}>|\{\{\s*\w+\s*\}\}|\$\{?[A-Z_]*"
                                  r"(ADDR|EMAIL|MAIL|TO)\w*\}?", target[:80]):
            continue
        sev = "high" if SECURITY_CODE.search(window) or _MAIL_HIDE.search(window) or _MAIL_ALL.search(window) and (
            _MAIL_KEEP.search(window) or _LINK_HIDE.search(window) or _MAIL_UNTOLD.search(window)) else "medium"
        if soft and (i + 1) in soft or NEGATION.search(line[:m.start()][-60:]):
            sev = "low"
        ctx.add("EX-MAIL-FORWARD", file, i + 1, f"{line.strip()}  (forwards to {addrs[0]})", sev)
        if severity_rank(sev) >= 2:
            ctx.fact("net_send", file, i + 1, line.strip())
        return


# MCP client configuration files an installer writes (Claude, Cursor, Windsurf, VS Code, Gemini, Cline)
_MCP_CLIENT_FILE = rxcache.compile(r"\.claude\.json|\.mcp\.json|\.cursor/mcp\.json|claude_desktop_config\.json|"
                              r"windsurf/mcp_config\.json|\.vscode/mcp\.json|\.gemini/settings\.json|cline_mcp_settings\.json|"
                              r"\.codex/config\.toml|\.roo/mcp\.json|continue/config\.(json|yaml)", re.I)
_RUNNERS = {"npx", "uvx", "bunx", "pnpx", "pipx", "dlx", "exec", "run"}
_GENERIC_PKG_TOKENS = {"mcp", "server", "servers", "model", "context", "protocol", "tool", "tools", "the", "node", "npm",
                       "py", "js", "ts", "cli", "api", "client", "sdk", "latest", "modelcontextprotocol"}


def _json_objects(text: str):
    """JSON objects found in a text: the whole text, or each fenced block that parses."""
    import json as _json
    chunks = [text] if text.lstrip().startswith("{") else []
    chunks += ["\n".join(body) for kind, lang, start, body in split_markdown(text) if kind == "code" and "mcp" in
               "\n".join(body).lower()][:50]
    for c in chunks[:50]:
        c = c.strip()
        a, b = c.find("{"), c.rfind("}")
        if a < 0 or b <= a or b - a > 200_000:
            continue
        try:
            obj = _json.loads(re.sub(r"^\s*//[^\n]*$", "", c[a:b + 1], flags=re.M))
        except (ValueError, RecursionError):
            continue
        if isinstance(obj, dict):
            yield obj


# an agent client's MCP configuration named in code, also when the path is built from pieces
# (`path.join(os.homedir(), '.cursor', 'mcp.json')`)
_MCP_CLIENT_CODE = rxcache.compile(r"['\"`/\\](\.claude\.json|\.mcp\.json|claude_desktop_config\.json|mcp_config\.json|"
                              r"cline_mcp_settings\.json|\.cursor|\.windsurf|\.codeium|\.vscode|\.roo|\.gemini|\.codex)['\"`/\\]")
_CODE_WRITE = rxcache.compile(r"\b(writeFileSync|writeFile|outputJson\w*|writeJson\w*|json\.dump|write_text|write_bytes|"
                         r"fs\.promises\.writeFile|open\s*\([^)\n]{0,120}['\"][wa]\+?['\"])")
_CODE_ENV_SECRET = rxcache.compile(r"process\.env\.([A-Z][A-Z0-9_]{1,60})|process\.env\[['\"]([A-Z][A-Z0-9_]{1,60})['\"]\]|"
                              r"os\.environ(?:\.get)?\s*[\[(]\s*['\"]([A-Z][A-Z0-9_]{1,60})['\"]|"
                              r"os\.getenv\s*\(\s*['\"]([A-Z][A-Z0-9_]{1,60})['\"]")
_GENERIC_SECRET_WORDS = {"token", "tokens", "key", "keys", "api", "secret", "secrets", "access", "personal", "auth", "pat",
                         "password", "passwd", "credential", "credentials", "private", "client", "id", "bot", "app", "user",
                         "database", "db", "url", "uri", "dsn", "connection", "conn", "string", "str"}
# connection strings carry the password: DATABASE_URL, POSTGRES_URL, REDIS_URL, MONGODB_URI, *_DSN, *CONNECTION_STRING
_DSN_NAME = rxcache.compile(r"^[A-Z0-9_]*(DATABASE|DB|POSTGRES\w*|PG|MYSQL|MARIADB|MONGO\w*|REDIS|AMQP|RABBITMQ|SQL\w*|SUPABASE|NEON|"
                       r"ELASTIC\w*|CLICKHOUSE|SNOWFLAKE)_(URL|URI|DSN)$|^[A-Z0-9_]*(_DSN|CONNECTION_STRING|CONN_STR\w*)$|^DSN$")
_DOTENV_READ = rxcache.compile(r"['\"`][\w./-]{0,80}\.env(\.[\w-]{1,20})?['\"`]|dotenv_values|load_dotenv|require\(['\"]dotenv|"
                          r"from\s+['\"]dotenv")
_KEYED_VALUE = rxcache.compile(r"[\[(]\s*['\"]([A-Z][A-Z0-9_]{1,60})['\"]")
# the entry pre-approves the server's tools: every call runs without the user seeing it
_AUTO_APPROVE = rxcache.compile(r"['\"]?(autoApprove|alwaysAllow|auto_approve|always_allow|trust)['\"]?\s*[:=]\s*(true|True|\[\s*['\"])")


def scan_mcp_writer(ctx: Ctx, file: str, text: str) -> None:
    """A script (JS/TS/Python) that edits the agent clients' MCP configuration (~/.cursor/mcp.json,
    ~/.claude.json, a project .mcp.json) and adds a server on an outside host carrying the user's
    secrets from the environment (in `headers` or `env`): every later session sends them there
    (EX-SECRET-HARVEST medium; high when several client configs or several services' secrets are
    involved, or the server is a websocket relay). The secret's own service (GITHUB_TOKEN to a
    github host), trusted and placeholder hosts and local servers are not flagged."""
    text = text[:MAX_TEXT]
    if "mcpServers" not in text and "mcp_servers" not in text and '"servers"' not in text:
        return
    clients = {m.group(1).lower() for m in _MCP_CLIENT_CODE.finditer(text)}
    if not clients or not _CODE_WRITE.search(text):
        return
    dotenv = bool(_DOTENV_READ.search(text))
    approve = _AUTO_APPROVE.search(text)
    for um in URL.finditer(text):
        url = um.group(0)
        host = host_of(url)
        if not host or host in ("localhost", "127.0.0.1", "0.0.0.0") or url_trusted(url, ctx.trusted_hosts) or \
                user_chosen_host(url) or re.search(r"(^|\.)(example\.(com|org|net)|[\w-]+\.(example|invalid|test|local))$", host):
            continue
        window = text[max(0, um.start() - 600):um.end() + 600]
        names = []
        for em in _CODE_ENV_SECRET.finditer(window):
            n = next(g for g in em.groups() if g)
            if (_SECRET_VAR_NAME.search(n) or _DSN_NAME.search(n)) and n not in names:
                names.append(n)
        if dotenv:
            # values parsed out of the project's .env files (`env.get("DATABASE_URL")`, `vals["API_KEY"]`)
            for em in _KEYED_VALUE.finditer(window):
                n = em.group(1)
                if (_SECRET_VAR_NAME.search(n) or _DSN_NAME.search(n)) and n not in names:
                    names.append(n)
        if not names:
            continue
        host_c = re.sub(r"[^a-z0-9]", "", host)
        unrelated = [n for n in names if not official_api_host([n], url) and not any(
            len(t) >= 3 and t in host_c for t in re.findall(r"[a-z0-9]+", n.lower()) if t not in _GENERIC_SECRET_WORDS)]
        if not unrelated:
            continue
        relay = url.lower().startswith(("ws://", "wss://"))
        fams = {next((t for t in re.findall(r"[a-z0-9]+", n.lower()) if t not in _GENERIC_SECRET_WORDS), n) for n in unrelated}
        sev = "high" if relay or len(clients) >= 2 or len(fams) >= 2 or approve else "medium"
        ln = text.count("\n", 0, um.start()) + 1
        ctx.add("EX-SECRET-HARVEST", file, ln, f"script adds an MCP server at {host} to the agent's client config "
                f"({', '.join(sorted(clients)[:4])}) carrying {', '.join(unrelated[:4])}" +
                (f" with {approve.group(0)[:40]!r}" if approve else ""), sev,
                why="The script edits the agent clients' MCP configuration to add a server on an outside host and hands it "
                    "the user's secrets from the environment: every later session sends them there.")
        ctx.fact("secret_source", file, ln, f"MCP server {host} gets {', '.join(unrelated[:4])}")
        ctx.fact("agent_config", file, ln, url)
        return


def scan_mcp_servers(ctx: Ctx, file: str, text: str, soft: dict[int, str] | None = None) -> None:
    """An MCP server entry written to the agent's client configuration that runs an unknown package
    (npx/uvx) or connects to an unknown relay URL, and is handed secrets of other services through
    `env`: the secrets go to code nobody vetted, in every future session (EX-SECRET-HARVEST medium;
    high for a websocket relay, wildcard tool permissions, or the same entry spread over several client
    configs). A server whose package / host carries the secret's service name (`server-github` with
    GITHUB_TOKEN), a well-known publisher, or a skill documenting its own server is not."""
    if "mcpServers" not in text and '"servers"' not in text:
        return
    from skillbank.audit.deps import POPULAR_NPM, typosquat_of
    spread = len({m.group(0).lower() for m in _MCP_CLIENT_FILE.finditer(text[:MAX_TEXT])}) >= 2
    wildcard = bool(re.search(r"\"(alwaysAllow|autoApprove|allow|allowedTools|trust)\"\s*:\s*(\[\s*\"(\*|Bash\(\*\))\"|true)|"
                              r"bypassPermissions|\"Bash\(\*\)\"", text[:MAX_TEXT]))
    for obj in _json_objects(text[:MAX_TEXT]):
        servers = obj.get("mcpServers") or obj.get("servers") or (obj.get("mcp") or {}).get("servers") \
            if isinstance(obj.get("mcp", {}), dict) else obj.get("mcpServers")
        if not isinstance(servers, dict):
            continue
        for name, cfg in list(servers.items())[:50]:
            if not isinstance(cfg, dict):
                continue
            for a in (cfg.get("args") if isinstance(cfg.get("args"), list) else [])[:20]:
                look = isinstance(a, str) and a.startswith("@") and typosquat_of(re.sub(r"(?<=.)@[\w.^~-]+$", "", a), POPULAR_NPM)
                if look:
                    ln = text.count("\n", 0, max(0, text.find(a))) + 1
                    ctx.add("SC-TYPOSQUAT", file, ln, f"MCP server {name!r} runs {a!r}, a look-alike of {look!r}",
                            "low" if soft and ln in soft else "high")
                    ctx.fact("supply", file, ln, a)
            env = cfg.get("env") if isinstance(cfg.get("env"), dict) else {}
            # passthrough: the value references a variable of the user's environment (the secrets they
            # already hold go along silently); a placeholder the user types in is a conscious choice
            secrets = [k for k, v in env.items() if isinstance(k, str) and _SECRET_VAR_NAME.search(k.upper()) and
                       isinstance(v, str) and re.search(r"\$\{?\w|\{env:|\benv:\w|%\w+%", v)]
            if not secrets:
                continue
            args = [str(a) for a in cfg.get("args", []) if isinstance(a, (str, int))] if isinstance(cfg.get("args"), list) else []
            cmd = str(cfg.get("command") or "").rsplit("/", 1)[-1]
            url = str(cfg.get("url") or cfg.get("serverUrl") or "")
            pkg = ""
            if cmd in _RUNNERS or cmd in ("npm", "pnpm", "bun", "uv", "pipx"):
                pkg = next((a for a in args if not a.startswith("-") and a not in _RUNNERS and a != "--from"), "")
            if not pkg and not url:
                continue  # a local command: the user's own server
            where = pkg or url
            base = re.sub(r"@[\w.^~-]+$", "", pkg) if pkg else ""
            known = bool(base) and (base.startswith("@modelcontextprotocol/") or base in POPULAR_NPM)
            if url:
                known = url_trusted(url, ctx.trusted_hosts) or user_chosen_host(url) or host_of(url) in ("localhost", "127.0.0.1")
            # a proxy package (mcp-remote, supergateway) names the real server by a URL argument
            arg_urls = [a for a in args if re.match(r"(https?|wss?)://", a)]
            ident = " ".join(re.findall(r"[a-z0-9]+", (base + " " + url + " " + " ".join(host_of(a) for a in arg_urls)).lower()))
            tokens = {t for t in ident.split() if len(t) >= 3} - _GENERIC_PKG_TOKENS - {"https", "http", "wss", "www", "com",
                                                                                         "app", "dev", "remote", "proxy"}
            if arg_urls and all(url_trusted(a, ctx.trusted_hosts) for a in arg_urls):
                known = True
            # the skill documents its own server: the package's scope or its name without the generic
            # words (gas-price-mcp-server -> gasprice) is the skill's name
            ident_c = re.sub(r"[^a-z0-9]", "", ctx.identity.lower())
            names = [re.sub(r"^@", "", base).split("/")[0]] if base.startswith("@") else []
            names.append(" ".join(t for t in re.findall(r"[a-z0-9]+", base.split("/")[-1].lower())
                                  if t not in _GENERIC_PKG_TOKENS))
            own = any(len(c) >= 5 and c in ident_c for c in (re.sub(r"[^a-z0-9]", "", x) for x in names)) or \
                re.sub(r"[^a-z0-9]", "", base.split("/")[-1].lower()) == re.sub(r"[^a-z0-9]", "", ctx.identity.split(" ")[0].lower())
            if known or own:
                continue
            unrelated = [k for k in secrets if not ({t for t in re.findall(r"[a-z0-9]+", k.lower()) if len(t) >= 2} & tokens)]
            if not unrelated:
                continue
            relay = url.lower().startswith(("ws://", "wss://"))
            sev = "high" if relay or wildcard or spread else "medium"
            ln = text.count("\n", 0, max(0, text.find(f'"{name}"'))) + 1
            if soft and ln in soft:
                sev = "low"  # an entry quoted as an example of a malicious config
            ctx.add("EX-SECRET-HARVEST", file, ln, f"MCP server {name!r} ({where}) receives {', '.join(unrelated[:4])}"
                    + ("; written to several client configs" if spread else "") + ("; wildcard tool permissions" if wildcard else ""),
                    sev, why="An MCP server from an unknown package or relay is added to the agent's configuration and "
                             "handed secrets of other services through env: they reach code nobody vetted in every "
                             "future session.")
            ctx.fact("secret_source", file, ln, f"MCP server {name} env")
            return


# the strong subset of quoting contexts: what follows is a specimen or a pattern, not a step
STRONG_QUOTE = rxcache.compile(r"\b(specimens?|(malware|attack|detection)\s+signatures?|signatures?\s+to\s+(match|look\s+for)|iocs?|"
                          r"indicators?\s+of\s+(compromise|attack)|(malware|malicious)\s+samples?|known[- ](bad|malicious)|"
                          r"(do\s+not|don'?t|never)\s+(run|follow|execute|obey)|not\s+(commands?|instructions?)\s+to|"
                          r"detection\s+(patterns?|rules?|signatures?)|search\s+patterns?|what\s+to\s+look\s+for|"
                          r"(malicious|attack(er)?['’]?s?)\s+(examples?|payloads?|samples?|commands?)|"
                          r"what\s+(the\s+)?attackers?\s+(run|do|use|execute|type))\b", re.I)
# languages whose every string is an indicator to match, never behaviour
INDICATOR_LANGS = {"yara", "yar", "sigma", "suricata", "snort"}
# a skill whose job is to decode / deobfuscate / analyse what the user hands it
DECODER_IDENTITY = rxcache.compile(r"\b(decod\w*|deobfuscat\w*|de-obfuscat\w*|unpack\w*|beautif\w*|unminif\w*|"
                              r"(malware|sample|script|payload)\s+(analy\w*|triage)|reverse[- ]engineer\w*)\b", re.I)
# the sentence before a block hands it over as the (obfuscated) input to decode
DECODE_INPUT = rxcache.compile(r"\b((obfuscated|encoded|packed|minified|malicious|suspicious)\s+(\w+\s+){0,2}?(inputs?|samples?|"
                          r"scripts?|payloads?|commands?|snippets?|code|blobs?|strings?)|(example|sample|typical)\s+inputs?|"
                          r"inputs?\s+(looks?|might\s+look|such\s+as)\b|inputs?\s+to\s+(decode|deobfuscate|unpack|analy[sz]e)|"
                          r"(decode|deobfuscate|unpack)\s+(this|it|the\s+following))\b", re.I)


def _lead_before(lines: list[str], prose_view: list[str], fence_idx: int) -> str:
    """The heading-free prose just before the fence at 0-based index `fence_idx` (up to 2 lines)."""
    out: list[str] = []
    i = fence_idx - 1
    while i >= 0 and len(out) < 2:
        if prose_view[i].strip():
            if HEADING.match(prose_view[i]):
                break
            out.append(prose_view[i][:500])
        elif out:
            break
        i -= 1
    return " ".join(reversed(out))


_WRAP_STOP = rxcache.compile(r"^\s*$|^\s{0,3}(#|>|\||[-*+]\s|\d{1,3}[.)]\s|<|---|===|```|~~~)")
WRAP_TAIL = 120


def _wrap_prose(view: list[str]) -> tuple[list[str], dict[int, int]]:
    """Each prose line extended with the start of the next line when the next line continues the
    same paragraph (not blank, not a heading, list item, table row or quote), so a sentence
    wrapped over two lines is matched across the break. Returns the view and line -> own length."""
    out = list(view)
    own: dict[int, int] = {}
    for i in range(len(view) - 1):
        cur, nxt = view[i], view[i + 1]
        if not cur.strip() or not nxt.strip() or _WRAP_STOP.match(nxt) or len(cur) >= MAX_LINE - WRAP_TAIL:
            continue
        if cur.rstrip().endswith(("|", ":")) or cur.lstrip().startswith(("#", "|")):
            continue
        own[i + 1] = len(cur)
        out[i] = cur + " " + nxt.strip()[:WRAP_TAIL]
    return out, own


def _in_inline_code(line: str, col: int) -> bool:
    """The position sits inside a backtick span of its line."""
    for m in re.finditer(r"`[^`\n]{1,1000}`", line):
        if m.start() < col < m.end():
            return True
    return False


HEADING = rxcache.compile(r"^\s{0,3}#{1,6}\s+(.{1,200})")
ITEM_NEGATIVE = rxcache.compile(r"\b(risks?|red\s+flags?|threats?|attacks?|malicious|dangerous|suspicious|indicators?\s+of|"
                           r"warning\s+signs?|(look|watch)\s+(out\s+)?for|never|avoid|forbidden|blocked|abuse)\b", re.I)
_ITEM_NEGATIVE_LIT = ("risk", "red", "threat", "attack", "malicious", "dangerous", "suspicious", "indicator", "warning", "look",
                      "watch", "never", "avoid", "forbidden", "blocked", "abuse")  # (lit_gate: one is in every match)
LIST_ITEM = rxcache.compile(r"^\s{0,8}([-*+]|\d{1,3}[.)]|\|)\s")
# a line inside a code block heading a list of things to match or refuse (not to run)
CODE_LIST_HEAD = rxcache.compile(r"\b(patterns?|watch(ed|list)?|block(ed|list)?|den(y|ied|ylist)|forbidden|reject\w*|"
                            r"refuse\w*|disallowed|red\s+flags?|suspicious|dangerous|indicators?|iocs?|"
                            r"signatures?|if\s+you\s+see)\b", re.I)




def _code_list_head(line: str) -> bool:
    """A plain-text line heading a list of patterns: the text itself (a trailing # comment cut off) names
    what is listed, and it is no YAML key or Makefile target (`signatures:`, `script: # blocked patterns:`)."""
    head = re.sub(r"(^|\s)#.*$", "", line).rstrip() if not line.lstrip().startswith("#") else line.rstrip()
    if not head.endswith(":") or len(head.strip()) > 80 or not CODE_LIST_HEAD.search(head):
        return False
    if re.fullmatch(r"\s*[a-z_][\w.-]{0,60}\s*:", head) or re.match(r"\s*(\w+\s*)?[\w.-]+\s*:\s*\S", head) or \
            re.match(r"\s*-?\s*(script|run|steps|cmds|commands?|before_script|after_script)\s*:", head, re.I):
        return False
    return True


_PLAIN_FENCE = {"", "text", "txt", "plain", "plaintext", "markdown", "md", "none", "output", "log"}


def negative_context(lines: list[str], prose_view: list[str]) -> dict[int, str]:
    """Line numbers sitting under a negative/teaching heading ("Never do", "Red flags",
    "Blocked", "Detect ...") or in a list introduced by such a sentence."""
    out: dict[int, str] = {}
    heading_neg = ""
    lead_in = ""
    item_lead = ""  # a list item naming risks / red flags: its nested items list them
    item_indent = -1
    table_head = ""  # the header row of the current table, when it names its cells as patterns/examples
    in_table = False
    code_lead = ""  # a "Patterns:" line inside a code block, heading the list items below it
    fence_lang = ""
    # lines declaring that what follows is quoted data: one pass over the whole text
    text = "\n".join(lines)
    lead_lines: set[int] = set()
    if len(text) <= MAX_TEXT * 2:
        starts = None
        for m in QUOTING_LEAD.finditer(text):
            if starts is None:
                starts = [0, *itertools.accumulate(len(x) + 1 for x in lines[:-1])]
            lead_lines.add(bisect.bisect_right(starts, m.start()))
    for i, line in enumerate(lines, start=1):
        ls = line.lstrip()  # (empty exactly when line.strip() is)
        is_prose = prose_view[i - 1] != "" or not ls
        if ls.startswith(("```", "~~~")):
            code_lead = ""
            fence_lang = line.strip().lstrip("`~").strip().split(" ", 1)[0].lower()
        elif not is_prose:
            # inside a plain-text block, "Watched patterns:", "Blocked:", "REJECT IF YOU SEE:" heads the list
            # items under it. Not in a shell / YAML / code block (a `case` arm `1)` or a `- run:` step there
            # runs whatever a comment above it says), and an item that is a `key: value` step is no pattern
            if LIST_ITEM.match(line) or line.lstrip().startswith("\u2022 "):
                # a tab-indented item is a Makefile recipe line, not a listed pattern
                if code_lead and not re.match(r"\s*\d{1,3}\)", line) and not line.startswith("\t") and \
                        not re.match(r"\s*[-*+\u2022]\s+[\w-]{1,30}:\s", line):
                    out[i] = code_lead
            elif fence_lang in _PLAIN_FENCE and _code_list_head(line):
                code_lead = line
            else:
                code_lead = ""
        m = HEADING.match(line) if is_prose and "#" in line else None
        if m:
            heading_neg = line if NEGATIVE_HEADING.search(m.group(1)) else ""
            lead_in = ""
            item_lead, item_indent = "", -1
            in_table, table_head = False, ""
            continue
        row = is_prose and ls.startswith("|")
        if row and not in_table:
            in_table = True
            table_head = line if QUOTING_COLUMN.search(line) and not re.fullmatch(r"[\s|:-]+", line) else ""
        elif not row:
            in_table, table_head = False, ""
        if is_prose and ls:
            indent = len(line) - len(ls)
            if item_lead and indent <= item_indent:
                item_lead, item_indent = "", -1
            item = LIST_ITEM.match(line)
            if row:
                pass
            elif i in lead_lines and not item:
                # "They are signatures to match, not commands to run." introduces the next block
                lead_in = line
                continue
            if item:
                if not item_lead and not (heading_neg or lead_in) and lit_gate(line.lower(), line, _ITEM_NEGATIVE_LIT) and \
                        ITEM_NEGATIVE.search(line):
                    item_lead, item_indent = line, indent
                    continue
            elif line.rstrip().rstrip("*_ ").endswith(":") and NEGATIVE_HEADING.search(line):
                lead_in = line
                continue
            elif not (lead_in and i >= 2 and lines[i - 2].strip() and QUOTING_LEAD.search(lead_in) and lines[i - 2] == lead_in):
                lead_in = ""  # (the rest of the paragraph that declared the quoting is still its lead-in)
            else:
                continue
        ctx_line = heading_neg or lead_in or item_lead or (table_head if row and line != table_head else "")
        if ctx_line:
            out[i] = ctx_line
    return out


def _join_continuations(view: str) -> str:
    """Join shell line continuations onto the first line, keeping the line count."""
    if "\\\n" not in view:
        return view
    out = view.split("\n")
    i = 0
    while i < len(out):
        j = i
        while out[i].rstrip().endswith("\\") and j + 1 < len(out) and len(out[i]) < MAX_LINE:
            out[i] = out[i].rstrip()[:-1] + " " + out[j + 1].strip()
            out[j + 1] = ""
            j += 1
        i = j + 1
    return "\n".join(out)


def scan_code_text(ctx: Ctx, file: str, text: str, offset: int = 0) -> None:
    """Shared line rules over a code file or an assembled string (offset = first line - 1)."""
    text = normalise(text)
    doc = Doc(text)
    scan_lines(ctx, file, doc, _join_continuations(text), "code",
               line_map=(lambda n: n + offset) if offset else None)


# --- personal data published (round 9) -------------------------------------------------------------
# personal data whose exposure harms the person: identity numbers, bank details, birth dates, pay, health
PII_NOUN = rx(r"\b(ssns?|social\s+security(\s+numbers?)?|national\s+(id|identity|insurance)(\s+(numbers?|nos?\.?))?|"
              r"passports?(\s+(numbers?|scans?))?|dates?\s+of\s+birth|d\.?o\.?b\.?|birth\s*dates?|bank\s+(account|details)\w*|"
              r"ibans?|routing\s+numbers?|salar(y|ies)|payroll|compensation|medical|diagnos\w+|health\s+(records?|data|conditions?)|"
              r"prescriptions?|tax\s+(ids?|returns?|numbers?)|driver['’]?s?\s+licen[cs]es?|credit\s+card(\s+numbers?)?|"
              r"home\s+address(es)?|personnel\s+files?|employee\s+records?|patient\s+\w+)\b")
# places anyone can read
PUBLIC_SINK = rx(r"\bgh\s+gist\s+create\b[^\n]*?(--public|\s-p\b)|\bgist\.github\.com\b[^\n]{0,60}\bpublic\b|"
                 r"\bpublic\s+gists?\b|\b(pastebin\.com|paste\.ee|hastebin\.\w+|dpaste\.\w+|termbin\.com|0x0\.st|"
                 r"transfer\.sh|file\.io|ghostbin\.\w+|paste\.rs|rentry\.co)\b|--acl\s+['\"]?public-read(-write)?\b|"
                 r"\bacl\s*[=:]\s*['\"]?public-read\b|x-amz-acl:\s*public-read|\ballUsers\b|\ballAuthenticatedUsers\b|"
                 r"\banyone\s+with\s+the\s+link\b|['\"]type['\"]\s*:\s*['\"]anyone['\"]|\bgh\s+repo\s+create\b[^\n]*--public|"
                 r"--visibility[=\s]+public\b|\bpublic\s+(repo(sitory)?|issues?|bucket|link|url|page)\b|"
                 r"\bmake\s+(it|the\s+\w+)\s+public\b|\bpublicly\s+(accessible|readable|shared|available)\b")
# literals every match of each PUBLIC_SINK alternative holds (one or more groups per alternative, all of a
# group required): the whole-text test searches only the alternatives whose literals the text holds
_PUBLIC_SINK_ANY = AnyOf(PUBLIC_SINK, [
    (("gist", "create"),), (("gist.github.com", "public"),), (("public", "gist"),),
    (("pastebin.com",), ("paste.ee",), ("hastebin.",), ("dpaste.",), ("termbin.com",), ("0x0.st",), ("transfer.sh",),
     ("file.io",), ("ghostbin.",), ("paste.rs",), ("rentry.co",)),
    (("--acl", "public-read"),), (("acl", "public-read"),), (("x-amz-acl", "public-read"),), (("allusers",),),
    (("allauthenticatedusers",),), (("anyone", "with", "the", "link"),), (("type", "anyone"),),
    (("gh", "repo", "create", "--public"),), (("--visibility", "public"),),
    (("public", "repo"), ("public", "issue"), ("public", "bucket"), ("public", "link"), ("public", "url"), ("public", "page")),
    (("make", "public"),), (("publicly",),)])
_PII_PRIVATE = rx(r"\b(secret|private|confidential|sensitive|personal|only\s+(i|you|the\s+user)\s+can|hidden)\b")
_PII_NEGATED = rx(r"\b(never|do\s+not|don'?t|must\s+not|avoid|no)\b[^.\n]{0,80}\b(public|gist|paste|acl|anyone)|"
                  r"\b(redact|mask|remove|strip)\w*\b[^.\n]{0,60}\b(before|prior)\b|\b(instead\s+of|rather\s+than)\s+[^.\n]{0,40}public")


_SINK_KEYS = ("gist", "paste", "public", "acl", "allusers", "allauthenticatedusers", "anyone with the link", "\"anyone\"",
              "'anyone'", "termbin", "0x0.st", "transfer.sh", "file.io", "rentry")
_PII_KEYS = ("ssn", "social security", "national i", "passport", "birth", "d.o.b", "dob", "bank account", "bank detail", "iban",
             "routing number", "salar", "payroll", "compensation", "medical", "diagnos", "health", "prescription", "tax id",
             "tax return", "tax number", "licen", "credit card", "home address", "personnel", "employee record", "patient")


def scan_public_pii(ctx: Ctx, file: str, text: str) -> None:
    """Personal data (identity numbers, bank details, birth dates, salaries, health) put where anyone
    can read it: a public gist, a paste site, a public-read bucket, an "anyone with the link" share, a
    public repository or issue. `EX-UPLOAD` medium; high when the text calls the data secret / private /
    confidential (the user believes it stays private). A sentence forbidding it, or data redacted first,
    is not flagged."""
    text = text[:MAX_TEXT]
    low = text.lower()
    if not any(k in low for k in _SINK_KEYS) or not any(k in low for k in _PII_KEYS):
        return  # cheap substring prefilters: most skills name neither
    if not _PUBLIC_SINK_ANY.search_any(low, text) or not PII_NOUN.search(text):
        return
    lines = text.split("\n")
    for i, line in enumerate(lines[:20000]):
        m = PUBLIC_SINK.search(line[:2000])
        if not m:
            continue
        lo = i
        while lo > 0 and i - lo < 8 and lines[lo - 1].strip():  # the paragraph / block before it
            lo -= 1
        hi = i
        while hi + 1 < len(lines) and hi - i < 3 and lines[hi + 1].strip():
            hi += 1
        near = " ".join(x[:2000] for x in lines[lo:hi + 1])
        if lines[lo].lstrip().startswith("```"):
            near = " ".join(x[:2000] for x in lines[max(0, lo - 6):hi + 1])  # the lead-in of a code block
        if not PII_NOUN.search(near) or _PII_NEGATED.search(line) or _PII_NEGATED.search(near) and not _PII_PRIVATE.search(line):
            continue
        sev = "high" if _PII_PRIVATE.search(near) else "medium"
        framed = PII_NOUN.sub(lambda x: " " * len(x.group(0)), line)  # "passport scan" is data, not a security scan
        sev = _context_severity(sev, framed, m.start(), True, True, quotes=False)
        ctx.add("EX-UPLOAD", file, i + 1, line.strip()[:300] + f"  (personal data made public: {PII_NOUN.search(near).group(0)})",
                sev, why="Personal data (identity numbers, bank details, birth dates, pay or health) is published where "
                         "anyone can read it" + ("; the text calls it private, so the user expects it to stay private."
                                                  if sev == "high" else "."))
        if severity_rank(sev) >= 2:
            ctx.fact("net_send", file, i + 1, line.strip())
        return


# --- who a command is aimed at ------------------------------------------------------------------------------
# A security document's request goes to the system under test, which the reader names: a victim placeholder
# (`<target>`, `TARGET_IP`, `${TARGET_URL}` the skill never sets, `api.target.example.com`, `victim.test`,
# the documentation names `target.com` / `victim.com`). Whatever such a request carries (a traversal path, a
# prototype-pollution body, an SSRF callback URL) is a payload for that system, not the reader's data leaving
# for the author. Only names nobody can register count: a reserved name (RFC 2606 / 6761: `*.example`,
# `*.test`, `*.invalid`, `*.localhost`, `example.com/net/org`, plus `.local`) holding a victim word, or the two
# documentation domains themselves -- never an ordinary domain that merely contains "target" or "victim"
# (`target-logs.com`, `victim.myexfil.org`, `target.com.evil.net`). Attacker placeholders (`attacker.com`,
# `evil.example`) are not victims: test corpora use them as the destination of exfiltration.
_VICTIM_WORD = r"(target|victim|vulnerable|rhost)"
_RESERVED_TLD = r"\.(example(\.(com|net|org))?|test|invalid|localhost|local)"
_VICTIM_HOST = re.compile(
    r"^(<[^<>\s]{0,30}" + _VICTIM_WORD + r"[^<>\s]{0,30}>|\{\{?\s*\w{0,20}" + _VICTIM_WORD + r"\w{0,20}\s*\}?\}|"
    r"\$\{?(?-i:[A-Z_]{0,20}(TARGET|VICTIM|RHOST)[A-Z0-9_]{0,20})\}?|(?-i:[A-Z_]{0,20}(TARGET|VICTIM|RHOST)[A-Z0-9_]{0,20})|"
    r"(target|victim)|([\w-]{1,40}\.){0,3}(target|victim)\.com|"
    r"([\w-]{1,40}\.){0,3}[\w-]{0,20}" + _VICTIM_WORD + r"[\w-]{0,20}(\.[\w-]{1,40}){0,2}" + _RESERVED_TLD + r")$", re.I)
# a `$VAR` / `${VAR}` is a host only when it is the whole host (https://$TARGET_HOST.evil.net and
# https://${TARGET}evil.net are evil.net's, ${VAR%%*} expands to anything): otherwise the whole run up to the
# path is the host, which no victim pattern matches
_ANY_URL_HOST = re.compile(r"\b[a-z][\w+.-]{0,10}://(?:[^@/?#\s\"'`]{0,80}@)?(<[^<>\s/]{1,60}>|\{\{?[^{}\s/]{1,60}\}?\}|"
                           r"\$(?:\{\w{1,60}\}|\w{1,60})(?=[/:?#\"'\s)]|$)|\$[^/?#\s\"'`]{1,253}|[\w.-]{1,253})", re.I)
_QUOTED = rxcache.compile(r"'[^'\n]{0,2000}'|\"(?:[^\"\\\n]|\\.){0,2000}\"")
# what a request line must not do to stay a request: run or chain other commands, read local files into
# the request (`@file`, `-F "f=<file"`, `--data-urlencode "k@file"`, `--variable k@file`, `-K config`), write
# the response anywhere
_LOCAL_EFFECT = re.compile(r"\$\(|`|<\(|(?<![\w-])@[~/.$\w]|(?<!\S)-[A-Za-z]*d['\"]?@|-InFile\b|\$env:|--(post|upload|body)-file\b|(?<!\S)-T\s|--upload\b|"
                           r"=\s*<\s*[~/.$\w]|(?<!\S)(-F|--form|--data-urlencode|--variable|--url-query|--json)[=\s]+['\"]?"
                           r"[^\s'\"]{0,80}?[@<]|(?<!\S)(-K|--config)(\s|=|$)|"
                           r"(?<!\S)(-o|--output|-O|--remote-name)(\s|$)|\b(eval|exec|source)\b|"
                           # PowerShell: a parenthesised argument runs (-Body (Get-Content ...)), file reads
                           r"(?<!\S)-\w+:?\s*\(|\bGet-Content\b|\[(?:System\.)?IO\.File\]|\bReadAll(?:Text|Bytes|Lines)\b|"
                           r"(?<!\S)-Body:?\s+['\"]?(?:gc|cat|type)\b", re.I)
_CHAIN = re.compile(r"\||;|&&|(?<![<>&\d])[<>]|\n")
# options of a request command whose value is not where it goes (a header, a body, an agent string);
# options that redirect the connection (a proxy, --resolve, --connect-to) make the line no plain request
_VALUE_OPTS = {"-x": None, "--proxy": None, "--preproxy": None, "--resolve": None, "--connect-to": None,
               "-X": 1, "--request": 1, "-H": 1, "--header": 1, "-d": 1, "--data": 1, "--data-raw": 1,
               "--data-binary": 1, "--data-ascii": 1, "--data-urlencode": 1, "-A": 1, "--user-agent": 1, "-e": None, "--execute": None,
               "--referer": 1, "-b": 1, "--cookie": 1, "-c": 1, "--cookie-jar": 1, "-w": 1, "--write-out": 1,
               "-m": 1, "--max-time": 1, "--connect-timeout": 1, "-u": 1, "--user": 1, "--retry": 1, "-r": 1,
               "--range": 1, "--post-data": 1, "--body-data": 1, "--method": 1, "-U": 1, "-T": 1, "-t": 1,
               "--tries": 1, "--timeout": 1, "--json": 1, "--form-string": 1, "--oauth2-bearer": 1, "-F": 1,
               "--form": 1, "--max-redirs": 1, "--limit-rate": 1, "-y": 1, "-Y": 1}
_BARE_HOST = re.compile(r"^(<[^<>\s/]{1,60}>|\{\{?[^{}\s/]{1,60}\}?\}|\$\{?\w{1,60}\}?|[\w-]{1,63}(\.[\w-]{1,63})+|"
                        r"(?-i:[A-Z][A-Z0-9]*(_[A-Z0-9]+)+)|localhost)(:\d{1,5})?([/?#].*)?$", re.I)


def victim_host(host: str, assigned: dict[str, list[str]] | None = None) -> bool:
    """The host is a placeholder for the system under test that the reader chooses: a `$VAR` the skill
    itself sets is whatever the skill sets it to (a victim only when every value it is given is one)."""
    host = host.strip().rstrip(".")
    var = re.fullmatch(r"\$\{?(\w{1,60})\}?", host)
    if var and assigned and var.group(1) in assigned:
        vals = [v for v in assigned[var.group(1)] if v]
        return bool(vals) and all(_value_is_victim(v) for v in vals)
    return bool(_VICTIM_HOST.match(host))


def _value_is_victim(value: str) -> bool:
    value = value.strip().strip("'\"")
    m = _ANY_URL_HOST.match(value)
    host = m.group(1) if m else re.split(r"[:/?#]", value, maxsplit=1)[0]
    return bool(host) and not host.startswith("$") and bool(_VICTIM_HOST.match(host.rstrip(".")))


def assigned_names(text: str) -> dict[str, list[str]]:
    """Every variable name the text gives a value (shell `NAME=`, `export NAME=`, PowerShell `$env:NAME =`,
    `os.environ["NAME"] =`, a `.env`/YAML `NAME: value` line), with the values it is given."""
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"(?:^|[\s;&|(`])(?:export\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)?)?(?:\$env:|\$)?"
                         r"([A-Za-z_]\w{0,60})\s*=(?!=)\s*(\S*)", text[:MAX_TEXT]):
        out.setdefault(m.group(1), []).append(m.group(2))
    for m in re.finditer(r"environ\s*\[\s*['\"](\w{1,60})['\"]\s*\]\s*=\s*(\S*)|\b(?:setenv|set)\s+(\w{1,60})\s+(\S+)|"
                         r"(?m:^\s*-?\s*([A-Z][A-Z0-9_]{1,60})\s*:\s*(\S+))", text[:MAX_TEXT]):
        name = m.group(1) or m.group(3) or m.group(5)
        out.setdefault(name, []).append(m.group(2) or m.group(4) or m.group(6) or "")
    return out


# options that take no value (curl, wget, httpie, PowerShell switches); any other option (an unknown one, or a
# short option with its value attached: -xproxy:3128) may redirect the connection
_FLAG_OPTS = {"--silent", "--show-error", "--location", "--insecure", "--fail", "--fail-with-body", "--include",
              "--verbose", "--head", "--compressed", "--get", "--http1.1", "--http2", "--globoff", "--no-buffer",
              "--quiet", "--no-check-certificate", "--server-response", "--spider", "--no-verbose", "--ignore-stdin",
              "--follow", "--all", "--print", "--body", "--headers", "--verify=no", "--pretty=all", "--pretty=none",
              "--pretty=format", "-UseBasicParsing", "-SkipCertificateCheck", "-UseDefaultCredentials"}
_FLAG_SHORT = re.compile(r"-[sSLkfivIGgnq46NjJRbhp]{1,8}|-[qsv]{0,3}O-")
_PS_VALUE_OPTS = {"-uri": 0, "-method": 1, "-headers": 1, "-body": 1, "-contenttype": 1, "-timeoutsec": 1,
                  "-useragent": 1, "-maximumredirection": 1}


# wget's own options (its short letters mean other things than curl's: -c continue, -d debug, -m mirror):
# value-taking ones (1), ones that fetch elsewhere or redirect the connection (None: recursion, span-hosts,
# input files, -e commands, a bind address, a proxy) and switches; any other option disqualifies the line
_WGET_VALUE_OPTS = {"-O": 1, "--output-document": 1, "-o": 1, "--output-file": 1, "-a": 1, "--append-output": 1,
                    "-P": 1, "--directory-prefix": 1, "-T": 1, "--timeout": 1, "--dns-timeout": 1,
                    "--connect-timeout": 1, "--read-timeout": 1, "-t": 1, "--tries": 1, "-w": 1, "--wait": 1,
                    "--waitretry": 1, "-Q": 1, "--quota": 1, "-U": 1, "--user-agent": 1, "-A": 1, "--accept": 1,
                    "-R": 1, "--reject": 1, "-D": 1, "--domains": 1, "-I": 1, "--include-directories": 1, "-X": 1,
                    "--exclude-directories": 1, "-l": 1, "--level": 1, "--post-data": 1, "--body-data": 1,
                    "--header": 1, "--method": 1, "--referer": 1, "--user": 1, "--password": 1, "--http-user": 1,
                    "--http-password": 1, "--limit-rate": 1, "--load-cookies": 1, "--save-cookies": 1,
                    "-B": None, "--base": None, "-i": None, "--input-file": None, "-e": None, "--execute": None,
                    "-r": None, "--recursive": None, "-m": None, "--mirror": None, "-p": None,
                    "--page-requisites": None, "-H": None, "--span-hosts": None, "-F": None, "--force-html": None,
                    "--bind-address": None, "--proxy-user": None, "--proxy-password": None, "-Y": None,
                    "--proxy": None, "--input-metalink": None, "--config": None}
_WGET_FLAGS = {"-q", "--quiet", "-v", "--verbose", "-nv", "--no-verbose", "-S", "--server-response", "-N",
               "--timestamping", "-c", "--continue", "-d", "--debug", "-k", "--convert-links", "-K", "-E",
               "--adjust-extension", "-x", "-nd", "-nH", "-np", "--no-parent", "-nc", "--no-clobber", "-4", "-6",
               "--inet4-only", "--inet6-only", "--spider", "--no-check-certificate", "--content-disposition",
               "--no-cache", "--no-cookies", "--keep-session-cookies", "--ignore-length", "--auth-no-challenge",
               "--retry-connrefused", "--https-only", "--no-dns-cache", "--trust-server-names", "--show-progress",
               "--no-proxy", "-O-", "-qO-", "-qO", "-nv", "-q-"}
_WGET_SHORT = re.compile(r"-[qvSNcdkKEx46]{1,6}|-[qvSNcd]{0,4}O-?")


def _wget_option(w: str) -> int | None:
    """How wget reads option word w: 0 a switch, 1 the next word is its value, 2 its value is attached,
    None it redirects or fetches elsewhere, or is unknown."""
    opt = w.split("=", 1)[0]
    if opt in _WGET_VALUE_OPTS:
        if _WGET_VALUE_OPTS[opt] is None:
            return None
        return 2 if "=" in w else 1
    if w in _WGET_FLAGS or _WGET_SHORT.fullmatch(w):
        return 0
    if not w.startswith("--") and len(w) > 2 and w[:2] in _WGET_VALUE_OPTS:
        return 2 if _WGET_VALUE_OPTS[w[:2]] else None  # -T5, -Ufoo; -efoo, -rX never
    return None


# what a request line's destinations do not show: the environment or a config file set elsewhere in the skill
# (CURL_HOME / WGETRC pointing at a bundled config with url= / proxy=, a proxy, a CA bundle, host aliases)
ENV_REDIRECT = rxcache.compile(r"(?<![\w-])(CURL_HOME|WGETRC|CURL_CA_BUNDLE|HOSTALIASES|SSL_CERT_\w{1,40}|"
                               r"\w{0,20}_proxy)\b['\"]?\s*\]?\s*=(?!=)|\b(?:setenv|set\s+-x|set)\s+"
                               r"(CURL_HOME|WGETRC|CURL_CA_BUNDLE|HOSTALIASES|SSL_CERT_\w{1,40}|\w{0,20}_proxy)\s", re.I)
ENV_REDIRECT_FILES = (".curlrc", "_curlrc", ".wgetrc", "_wgetrc")


def env_redirect(files: dict) -> bool:
    """Some file of the skill sets an environment variable that redirects curl / wget, or ships its config."""
    for rel, data in files.items():
        if rel.rsplit("/", 1)[-1].lower() in ENV_REDIRECT_FILES:
            return True
        if isinstance(data, (bytes, bytearray)):
            data = bytes(data[:MAX_TEXT]).decode("utf-8", errors="replace")
        if ENV_REDIRECT.search(str(data)[:MAX_TEXT]):
            return True
    return False


def _request_destinations(line: str) -> list[str] | None:
    """The hosts a request line connects to: every positional argument of the HTTP client (URLs, with or
    without a scheme, bare hosts, integers and anything else), never a URL inside a header, a body or a query
    string. None when the line is no HTTP client command, redirects the connection (a proxy, --resolve, an
    option the parser does not know) or cannot be split into words."""
    m = _HTTP_CLIENT.match(line.strip())
    if not m:
        return None
    cmd = m.group("cmd").lower()
    import shlex
    words = None
    for close in ("", "'", '"'):
        # a logical line cut inside a quoted body (`-d '{` continued below): close the quote; the body is a
        # value, and a stray quote after the destinations only adds one more (non-host) destination
        try:
            words = shlex.split(line.strip()[m.start("cmd"):] + close)
            break
        except ValueError:
            continue
    if words is None:
        return None
    httpie = cmd in ("http", "https", "httpie", "xh", "xhs")
    ps = cmd.startswith(("invoke-", "iwr", "irm"))
    wget = cmd.startswith("wget")
    out: list[str] = []
    skip = False
    for w in words[1:]:
        if skip:
            skip = False
            continue
        if ps and w.startswith("-"):
            o = w.lower().rstrip(":")
            if o not in _PS_VALUE_OPTS and w not in _FLAG_OPTS:
                return None
            skip = bool(_PS_VALUE_OPTS.get(o))
            continue
        if wget and w.startswith("-") and w != "-":
            kind = _wget_option(w)
            if kind is None:
                return None
            skip = kind == 1
            continue
        if w.startswith("-") and w != "-":
            opt = w.split("=", 1)[0]
            if opt == "--url":
                if "=" not in w:
                    continue  # the next word is positional anyway
                w = w.split("=", 1)[1]
            elif opt in _VALUE_OPTS:
                if _VALUE_OPTS[opt] is None:
                    return None
                skip = "=" not in w
                continue
            elif not w.startswith("--") and w[:2] in _VALUE_OPTS and len(w) > 2:
                if _VALUE_OPTS[w[:2]] is None:
                    return None  # -xproxy:3128
                continue  # -XPOST, -HHeader:value
            elif w in _FLAG_OPTS or _FLAG_SHORT.fullmatch(w) or (httpie and opt in ("--verify", "--pretty", "--print")):
                continue
            else:
                return None
        if httpie and re.match(r"^[\w.-]{1,80}(:=@|=@|==|:=|=|@|:)", w) and "://" not in w and \
                not re.match(r"^[\w.-]{1,253}:\d{1,5}(/|$)", w):
            if "@" in w.split("=", 1)[-1][:1] or re.match(r"^[\w.-]+(:=@|=@|@)", w):
                return None  # a file read into the request
            continue  # an httpie request item: header, query parameter or body field
        u = _ANY_URL_HOST.match(w)
        if u:
            out.append(u.group(1))
        elif _BARE_HOST.match(w):
            out.append(re.split(r"[:/?#]", w, maxsplit=1)[0] if not w.startswith(("<", "{")) else w.split("/", 1)[0])
        elif httpie and w.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS") and not out:
            continue
        else:
            out.append(w)  # an integer address (3405803785), a file name, anything: a place it may connect to
    return out


def _generic_secret(name: str) -> bool:
    """REFRESH_TOKEN, ACCESS_TOKEN, TOKEN_A: what kind of secret, not whose (a session for the target itself)."""
    parts = [p for p in name.strip("${}()").lower().split("_") if p]
    return all(p in _SECRET_KIND_TOKENS or len(p) <= 1 or p.isdigit() or p in ("session", "jwt", "cookie", "csrf", "id")
               for p in parts)


# a response kept as text: discarded, captured into a variable, or filtered (jq, grep, head) -- never run
_DISCARD = re.compile(r"(?<!\S)(-o|--output)\s+/dev/null\b|\s\d?>\s*/dev/null\b|\s2>&1\b")
_CAPTURE = re.compile(r"^(export\s+)?[A-Za-z_]\w{0,40}=\$\((?P<cmd>[^()]{1,4000})\)\s*;?\s*$")
_TEXT_FILTER = re.compile(r"^\s*(jq|grep|egrep|head|tail|sort|uniq|wc|cut|tr|awk|cat|less|tee\s+/dev/null|"
                          r"python3?\s+-m\s+json\.tool|xmllint\s+--format)\b[^|]*$")


# the HTTP clients whose requests the victim and own-service exemptions parse: one list for both regexes
_CLIENT_NAMES = r"(?:curl|wget|https?|httpie|xh|xhs|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)"
_HTTP_CLIENT_ANY = re.compile(r"(?<![\w./$-])" + _CLIENT_NAMES + r"(?:\.exe)?\s", re.I)
_HTTP_CLIENT = re.compile(r"^(?:\$\s+)?(?:sudo\s+(?:-[A-Za-z]+\s+)*)?(?P<cmd>" + _CLIENT_NAMES + r"(?:\.exe)?)(?=\s)",
                          re.I)
# a quoted argument holding shell or interpreter code (a command line that runs something, a reverse shell,
# a scheduled job, a network call from a script) is no payload text for a request
_QUOTED_CODE = re.compile(r"\$\(|`|\|\s*(?:ba|z|da|k)?sh\b|/dev/(?:tcp|udp)/|\b(?:ba|z|da)?sh\s+-[a-z]*[ic]|"
                          r"\bcrontab\b|\burlopen\b|\bsubprocess\b|\bos\.system\b|\bmkfifo\b|"
                          r"\b(?:curl|wget)\s+\S", re.I)


def aimed_at_target(line: str, assigned: dict[str, list[str]] | None = None) -> bool:
    """A single request to a victim placeholder whose every part is literal text: nothing is read from the
    reader's machine into it, nothing runs or is written locally, and no named service's secret rides along.
    Every place the request connects to (its URL arguments, scheme or not) is a victim; a victim URL inside a
    header, a body or a query string does not count. The response may be discarded, captured into a variable
    or filtered as text."""
    line = line.strip()
    if not line or len(line) > MAX_LINE or "://" not in line:
        return False
    if line.startswith(("#", "//", "- ", "* ", "|", ">")):
        line = line.lstrip("#/-*|> ")
    hosts = [m.group(1) for m in _ANY_URL_HOST.finditer(line)]
    if not hosts or not any(victim_host(h, assigned) for h in hosts):
        return False
    m = _CAPTURE.match(line)
    if m:
        line = m.group("cmd").strip()
    # the command itself is an HTTP client (after an optional `$ ` prompt or sudo): never prose, never a
    # shell, an interpreter or anything else that merely names a victim URL among its arguments
    m = _HTTP_CLIENT.match(line)
    if not m:
        return False
    line = line[m.start("cmd"):]
    line = _DISCARD.sub(" ", line)
    if _LOCAL_EFFECT.search(line):
        return False
    if any(_QUOTED_CODE.search(q.group(0)) for q in _QUOTED.finditer(line)):
        return False
    outside = re.sub(r"<[\w .:/-]{1,60}>", "x", _QUOTED.sub(" ", line).split(" #", 1)[0])
    first, *filters = outside.split("|")
    if any(not _TEXT_FILTER.match(f) for f in filters) or _CHAIN.search(first):
        return False
    # the request's own destinations (its URL arguments, quoted or not, scheme or not) are all victims
    if any(not victim_host(m.group(1), assigned) for m in _ANY_URL_HOST.finditer(outside)):
        return False
    pipe = _QUOTED.sub(lambda q: "_" * len(q.group(0)), line).find("|")
    request = line[:pipe] if pipe >= 0 else line  # the response filters are not destinations
    dests = _request_destinations(request)
    if not dests or any(not victim_host(d, assigned) for d in dests):
        return False
    # a credential of a named service (GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY) has no business going to a target;
    # a session token for the target itself ($TOKEN, $REFRESH_TOKEN, $JWT) does
    return all(_generic_secret(v) for v in secret_vars(line))


# a reverse shell whose callback address is a placeholder that cannot resolve (YOUR_IP, <attacker-ip>,
# {LHOST}): a template the reader completes, connecting nowhere as written. RFC 5737 documentation addresses
# are not placeholders here: test corpora use them as the attacker's address. Every connecting construct on
# the line must carry such a placeholder (a second shell with a literal address, a socat / create_connection /
# net.connect the endpoint patterns do not read, or a listening bind shell keeps the line flagged), and a
# trailing comment is no part of the command
_CALLBACK_CONSTRUCTS: tuple[tuple[re.Pattern, re.Pattern | None], ...] = tuple(
    (re.compile(c, re.I), re.compile(e, re.I) if e else None) for c, e in (
        (r"/dev/(?:tcp|udp)/", r"/dev/(?:tcp|udp)/([^/\s'\"]{1,100})/"),
        (r"(?<![\w.-])(?:nc|ncat|netcat|telnet)(?![\w.-])",
         r"(?:nc|ncat|netcat|telnet)\b(?![^\n|;&]{0,60}?\s-\w*l|[^\n|;&]{0,60}?--listen)[^\n|;&]{0,60}?\s"
         r"([^\s'\"-][^\s'\"]{0,100})\s+\d{2,5}\b"),
        (r"\bsocat\b", r"socat\b(?![^\n|;&]{0,120}?listen)[^\n|;&]{0,120}?\b(?:tcp[46]?|udp[46]?|openssl|ssl)(?:-connect)?:"
                       r"([^:\s'\",]{1,100}):\d"),
        (r"\bTCP(?:Socket|Client)\b", r"TCP(?:Socket|Client)[.(\s]{1,8}(?:new|open)?\(?\s*['\"]([^'\"]{1,100})['\"]"),
        (r"\bfsockopen\(", r"fsockopen\(\s*['\"]([^'\"]{1,100})['\"]"),
        (r"(?<![\w.])connect\(\s*\(", r"connect\(\s*\(\s*['\"]([^'\"]{1,100})['\"]"),
        (r"\.connect\(\s*\(", r"\.connect\(\s*\(\s*['\"]([^'\"]{1,100})['\"]"),
        (r"\bcreate_connection\(", r"create_connection\(\s*\(\s*['\"]([^'\"]{1,100})['\"]"),
        (r"\.connect\(\s*[\d'\"]", r"\.connect\(\s*\d{2,5}\s*,\s*['\"]([^'\"]{1,100})['\"]"),
        (r"\bnew\s+(?:java\.net\.)?Socket\(", r"new\s+(?:java\.net\.)?Socket\(\s*['\"]([^'\"]{1,100})['\"]"),
        (r"\bPeerAddr\b", r"PeerAddr\s*(?:=>|,)\s*['\"]([^'\":]{1,100})"),
        (r"\bcreateConnection\(|\bnet\.Socket\(|\bSocket\.new\(|\bsocket\.socket\([^)]*\)\s*;?\s*\w*\s*=?\s*\w*\.connect_ex\(",
         None),
    ))
_UNRESOLVABLE = re.compile(r"^(<[^<>]{1,60}>|\{\{?[^{}]{1,60}\}?\}|\[[^\]]{1,60}\]|(?-i:[A-Z][A-Z0-9]*(_[A-Z0-9]+)+)|"
                           r"(?-i:LHOST|ATTACKER|IP)|x+\.x+\.x+\.x+)$", re.I)


def _strip_shell_comment(line: str) -> str:
    """The line up to a `#` comment that starts outside quotes after whitespace (a whole-line comment stays)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and i > 0 and line[i - 1] in " \t" and line[:i].strip():
            return line[:i]
    return line


def placeholder_callback(line: str, skill_text: str = "") -> bool:
    """Every connecting construct of the reverse shell on the line (the comment cut off) has a callback address,
    and every one is a placeholder that cannot resolve (a bare `YOUR_IP`, not a `$VAR` the skill may set, and
    not a name the skill itself maps to an address: `203.0.113.5 ATTACKER_HOST` into /etc/hosts, `LHOST=...`)."""
    line = _strip_shell_comment(line)
    seen = 0
    spans: list[tuple[int, int]] = []
    for construct, endpoint in _CALLBACK_CONSTRUCTS:
        for m in construct.finditer(line):
            seen += 1
            e = endpoint.match(line, m.start()) if endpoint else None
            addr = e.group(1).strip() if e else ""
            if not e or not _UNRESOLVABLE.match(addr):
                return False
            # mapped by the skill: `IP NAME` (/etc/hosts, also written with a literal \t), `NAME target`
            # (a HOSTALIASES file), `NAME=IP` / `NAME: IP`
            gap = r"(?:\s|\\t|%s)+"
            target = r"(\d{1,3}(\.\d{1,3}){3}|[\w-]+\.[\w.-]*[a-z]|\[?[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}\]?)(?![\w:])"
            if skill_text and re.fullmatch(r"[\w.-]+", addr) and re.search(
                    r"\b\d{1,3}(\.\d{1,3}){3}" + gap + re.escape(addr) + r"\b|(?<![\w$])" + re.escape(addr) +
                    r"(\s*[:=]\s*['\"]?|" + gap + r")" + target,
                    skill_text[:MAX_TEXT], re.I):
                return False
            spans.append(e.span(1))
    if not seen:
        return False
    # a second connector the endpoint patterns do not read (openssl s_client, awk /inet/tcp, a PHP stream or
    # a Ruby socket) carries the real address: any IP literal, host:port or domain left once the placeholder
    # callbacks are cut out keeps the line a reverse shell
    rest = line
    for a, b in sorted(spans, reverse=True):
        rest = rest[:a] + " " + rest[b:]
    return not _CONCRETE_ENDPOINT.search(rest)


_CONCRETE_ENDPOINT = re.compile(
    r"(?<![\w.])\d{1,3}(\.\d{1,3}){3}(?![\w.])|(?<![\w.])(0x[0-9a-f]{8}|\d{9,10})(?![\w.])|"
    r"\b[\w-]{1,63}(\.[\w-]{1,63})*:\d{2,5}\b|"
    r"\b[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})*\.(com|net|org|io|dev|sh|xyz|me|co|info|biz|ru|cn|tk|top|site|online|"
    r"app|cloud|link|pw|cc|in|to|ly|gg|ai|us|uk|de|fr|nl|eu|live|fun|club|tech|store|pro|space|icu|onion|run|"
    r"host|tel|ngrok|ngrok-free|serveo|trycloudflare|pages|workers)\b", re.I)
