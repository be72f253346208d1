"""Reverse shells written as programs (Go, JavaScript/TypeScript, Python, Ruby): an outbound socket
whose connection becomes a shell's standard input/output, or whose received bytes are run as commands
with the output written back. Text level, per file: the socket variable is followed from where it is
dialled to where a shell process is wired to it, so the destination may be assembled at run time (a
byte array, `join`, `Sprintf`) -- the wiring, not the address, is the act."""

from __future__ import annotations

import re

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx

_SHELL = r"""["'`](?:/usr)?(?:/bin/)?(?:ba|z|da|k|a)?sh["'`]|["'`](?:cmd(?:\.exe)?|powershell(?:\.exe)?|pwsh)["'`]"""

# name = <outbound socket>
_DIAL = {
    "go": rxcache.compile(r"\b(\w+)\s*(?:,\s*\w+\s*)?:?=\s*(?:net|tls|\w+)\.(?:Dial|DialTimeout|DialTCP|DialContext)\s*\("),
    "js": rxcache.compile(r"\b(\w+)\s*=\s*(?:await\s+)?(?:new\s+net\.Socket\s*\(|net\.(?:connect|createConnection)\s*\(|"
                     r"tls\.connect\s*\()"),
    "py": rxcache.compile(r"\b(\w+)\s*=\s*socket\.(?:socket|create_connection)\s*\("),
    "rb": rxcache.compile(r"\b(\w+)\s*=\s*(?:TCPSocket|Socket)\.(?:new|open)\s*\("),
}
# the program also starts a shell
_SPAWN = {
    "go": rxcache.compile(r"\bexec\.Command(?:Context)?\s*\(\s*(?:\w+\s*,\s*)?(" + _SHELL + r")"),
    "js": rxcache.compile(r"\b(?:spawn|exec|execFile|fork)\s*\(\s*(" + _SHELL + r")"),
    "py": rxcache.compile(r"\b(?:subprocess\.(?:call|Popen|run|check_call|check_output)|os\.exec\w*|pty\.spawn)\s*\(\s*\[?\s*("
                     + _SHELL + r")"),
    "rb": rxcache.compile(r"\b(?:IO\.popen|spawn|exec|system|Open3\.\w+)\s*\(?\s*(" + _SHELL + r")"),
}


def _wiring(lang: str, conn: str) -> re.Pattern[str]:
    c = re.escape(conn)
    if lang == "go":
        # cmd.Stdin = conn / cmd.Stdin, cmd.Stdout = conn, conn / io.Copy(conn, stdout)
        return re.compile(r"\.(?:Stdin|Stdout|Stderr)\s*(?:,\s*[\w.]+\s*){0,2}=\s*(?:[\w.]+\(\s*)?" + c + r"\b|"
                          r"\bio\.Copy\s*\(\s*" + c + r"\s*,\s*\w*(?:[Oo]ut|[Ee]rr)\w*\s*\)")
    if lang == "js":
        return re.compile(r"\b" + c + r"\.pipe\s*\(\s*\w+\.stdin\b|\.std(?:out|err)\.pipe\s*\(\s*" + c + r"\b")
    if lang == "py":
        return re.compile(r"\bstd(?:in|out|err)\s*=\s*" + c + r"\.fileno\s*\(|\bos\.dup2\s*\(\s*" + c + r"\.fileno\s*\(")
    return re.compile(r"\b(?::in|:out|:err|in|out|err)\s*(?:=>|:)\s*" + c + r"\b|\$std(?:in|out|err)\.reopen\s*\(\s*" + c + r"\b")


# bytes received on the socket run as a command, the output written back (a command loop)
_RECV_EXEC = {
    "py": (r"(\w+)\s*=\s*{c}\.recv\s*\(", r"\b(?:subprocess\.(?:check_output|run|Popen|call|getoutput)|os\.(?:popen|system))\s*\(\s*"
                                          r"(?:{v}\b|{v}\.decode)"),
    "rb": (r"(\w+)\s*=\s*{c}\.(?:gets|read|recv)\b", r"(?:IO\.popen|`|%x\(|system|Open3\.\w+)\s*\(?\s*(?:#\{{)?{v}\b"),
    "js": (r"{c}\.on\s*\(\s*['\"]data['\"]\s*,\s*(?:async\s*)?\(?\s*(\w+)", r"\b(?:exec|execSync|spawn)\s*\(\s*{v}\b"),
    "go": (r"(\w+)\s*,\s*\w+\s*:?=\s*(?:bufio\.NewReader\(\s*{c}\s*\)|\w+)\.ReadString\s*\(",
           r"\bexec\.Command\s*\([^)\n]{{0,60}}\b{v}\b"),
}


def lang_of(rel: str) -> str | None:
    low = rel.lower()
    if low.endswith(".go"):
        return "go"
    if low.endswith((".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx")):
        return "js"
    if low.endswith((".py", ".pyw")):
        return "py"
    if low.endswith(".rb"):
        return "rb"
    return None


def scan_reverse_shell(ctx: Ctx, rel: str, text: str, lang: str | None = None, offset: int = 0) -> None:
    lang = lang or lang_of(rel)
    if lang is None:
        return
    text = text[:400_000]
    dials = list(_DIAL[lang].finditer(text))
    if not dials:
        return
    spawn = _SPAWN[lang].search(text)
    for d in dials[:20]:
        conn = d.group(1)
        hit = None
        if spawn:
            hit = _wiring(lang, conn).search(text)
        if hit is None:
            recv, run = _RECV_EXEC[lang]
            for r in re.finditer(recv.format(c=re.escape(conn)), text):
                hit = re.compile(run.format(v=re.escape(r.group(1)))).search(text, r.end())
                if hit:
                    break
        if hit is None:
            continue
        ln = offset + text.count("\n", 0, hit.start()) + 1
        line = text[text.rfind("\n", 0, hit.start()) + 1:].split("\n", 1)[0].strip()
        dial_line = text[text.rfind("\n", 0, d.start()) + 1:].split("\n", 1)[0].strip()
        ev = f"{dial_line[:120]}  →  {line[:120]}"
        ctx.add("PE-REVERSE-SHELL", rel, ln, ev, "critical",
                why="The program opens an outbound connection and hands it a shell (its input and output are the "
                    "socket, or what arrives is run as a command): whoever listens at the other end controls the machine.")
        ctx.fact("revshell", rel, ln, ev)
        return
