"""Shell analysis with a real parser (bashlex), falling back to token patterns, plus
JavaScript/TypeScript token patterns. Nothing is executed."""

from __future__ import annotations

import re

from skillbank.audit.context import Ctx

MAX_SHELL = 64 * 1024
MAX_PARSE = 8 * 1024  # bashlex is pure Python: parse at most this much of one script or block
FETCHERS = {"curl", "wget", "fetch", "iwr", "irm", "invoke-webrequest", "invoke-restmethod"}
INTERPRETERS = {"sh", "bash", "zsh", "ksh", "dash", "fish", "python", "python3", "python2", "node", "perl", "ruby",
                "php", "iex", "invoke-expression", "source", "."}
DECODE_WORDS = re.compile(r"base64\s+(-d|--decode|-D)|xxd\s+-r|openssl\s+\S*\s*-d|\brev\b|\btr\s")
ASSIGN = re.compile(r"^\s*(?:export\s+|local\s+|readonly\s+)?([A-Za-z_]\w{0,40})=(\"[^\"\n]{0,500}\"|'[^'\n]{0,500}'|[^\s;&|]{0,500})")
PREFILTER = re.compile(r"\|\s*(sudo\s+)?(ba|z|k|da)?sh\b|\|\s*(python|node|perl|ruby|iex|source)|\beval\b|\bnc\b|"
                       r"\bncat\b|\bnetcat\b|\bchmod\b[^\n]{0,40}(\+s|[4-7][0-7]{3})|\b(dig|nslookup|drill)\b")


def _strip_quotes(v: str) -> str:
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    return v


def expand_variables(src: str) -> str | None:
    """Substitute simple VAR=value assignments into later uses ($VAR, ${VAR}); returns the
    expanded text when anything changed (split-string evasion), else None."""
    values: dict[str, str] = {}
    out = []
    changed = False
    for line in src.split("\n"):
        new = line
        if values and "$" in line:
            def sub(m: re.Match[str]) -> str:
                nonlocal changed
                name = m.group(1) or m.group(2)
                if name in values:
                    changed = True
                    return values[name]
                return m.group(0)
            new = re.sub(r"\$\{(\w{1,40})\}|\$(\w{1,40})", sub, line)
        for part in re.split(r";|&&", new):
            m = ASSIGN.match(part)
            if m and not m.group(2).startswith("$("):
                values[m.group(1)] = _strip_quotes(m.group(2))
        out.append(new)
    return "\n".join(out) if changed else None


def _commands(node, out: list) -> None:
    """Collect pipelines (lists of command word lists) from a bashlex tree."""
    kind = getattr(node, "kind", "")
    if kind == "pipeline":
        cmds = []
        for p in node.parts:
            if getattr(p, "kind", "") == "command":
                cmds.append(_words(p))
                _descend(p, out)
        out.append((node.pos[0], cmds))
        return
    if kind == "command":
        out.append((node.pos[0], [_words(node)]))
        _descend(node, out)
        return
    _descend(node, out)


def _descend(node, out) -> None:
    for attr in ("parts", "list", "command"):
        child = getattr(node, attr, None)
        if child is None:
            continue
        if isinstance(child, list):
            for c in child:
                _commands(c, out)
        else:
            _commands(child, out)


def _words(cmd) -> list[str]:
    words = []
    for p in getattr(cmd, "parts", []):
        if getattr(p, "kind", "") == "word":
            words.append(p.word)
            for sub in getattr(p, "parts", []) or []:
                if getattr(sub, "kind", "") == "commandsubstitution":
                    inner: list = []
                    _commands(sub.command, inner)
                    for _, cmds in inner:
                        for c in cmds:
                            words.append("$(" + " ".join(c) + ")")
        elif getattr(p, "kind", "") == "redirect":
            tgt = getattr(p, "output", None)
            words.append(p.type + (getattr(tgt, "word", "") if tgt is not None and not isinstance(tgt, int) else ""))
    return words


def _reads_stdin(cmd: list[str]) -> bool:
    """An interpreter that takes its program from stdin (bash, bash -s, python -, node)."""
    if not cmd:
        return False
    name = cmd[0].lower().rsplit("/", 1)[-1]
    if name not in INTERPRETERS:
        return False
    args = [a for a in cmd[1:] if not a.startswith((">", "<", "2>"))]
    if name in ("sh", "bash", "zsh", "ksh", "dash", "fish"):
        return "-c" not in args and not any(a.endswith((".sh", ".bash")) for a in args)
    return not args or args[0] in ("-", "-s") or args[0].startswith("-") and args[0] not in ("-c", "-m", "-e")


def scan_shell(ctx: Ctx, file: str, src: str, offset: int = 0) -> None:
    from skillbank.audit.textscan import first_party, scan_code_text, urls_trusted

    if len(src) > MAX_SHELL:
        src = src[:MAX_SHELL]
    expanded = expand_variables(src)
    if expanded is not None:
        sub = ctx.child(1)
        scan_code_text(sub, file, expanded, offset)
        for f in sub.findings.values():
            if f.severity in ("medium", "high", "critical") and (f.rule_id, f.file, f.line) not in ctx.findings:
                ctx.add(f.rule_id, file, f.line, "[after variable expansion] " + f.evidence, f.severity)
        for k, v in sub.facts.items():
            for fl, ln, ev in v:
                ctx.fact(k, fl, ln, ev)
    # decode stored in a variable, later evaluated
    decoded_vars = set()
    for m in re.finditer(r"^\s*(?:export\s+)?([A-Za-z_]\w{0,40})=\"?\$\(([^\n]{0,400})", src, re.M):
        if DECODE_WORDS.search(m.group(2)):
            decoded_vars.add(m.group(1))
    if decoded_vars:
        for i, line in enumerate(src.split("\n"), start=1):
            for v in decoded_vars:
                if re.search(r"\b(eval|exec|source|(ba|z)?sh\s+-c)\s+[\"']?\$\{?" + v + r"\b", line) or re.search(
                        r"\$\{?" + v + r"\}?\"?\s*\|\s*(ba|z)?sh\b", line):
                    ctx.add("OB-DECODE-EXEC", file, offset + i, line.strip())
                    ctx.fact("obfuscation", file, offset + i, line.strip())
    if not PREFILTER.search(src) or ctx.out_of_time():
        return
    last = offset + src.count("\n") + 1
    if any(f.file == file and offset < f.line <= last and f.severity in ("high", "critical")
           for f in ctx.findings.values()):
        return  # the token patterns already flagged this block; the parser could only repeat it
    if len(src) > MAX_PARSE:
        # the token patterns already covered the whole text; the parser sees the head only
        src = src[:MAX_PARSE].rsplit("\n", 1)[0]
    try:
        import bashlex  # type: ignore[import-untyped]

        trees = bashlex.parse(src)
    except Exception:  # noqa: BLE001 - bashlex raises many error types; patterns already ran
        return
    starts = [0]
    for m in re.finditer("\n", src):
        starts.append(m.end())

    def line_of(pos: int) -> int:
        import bisect
        return offset + bisect.bisect_right(starts, pos)

    found: list = []
    for t in trees:
        try:
            _commands(t, found)
        except (AttributeError, TypeError, RecursionError):
            continue
    for pos, cmds in found[:500]:
        names = [(c[0].lower().rsplit("/", 1)[-1] if c else "") for c in cmds]
        ln = line_of(pos)
        text = " | ".join(" ".join(c) for c in cmds)
        # sudo prefix
        stripped = [c[1:] if c and c[0] == "sudo" else c for c in cmds]
        snames = [(c[0].lower().rsplit("/", 1)[-1] if c else "") for c in stripped]
        if len(cmds) > 1:
            for i in range(len(snames) - 1):
                if snames[i] in FETCHERS and any(_reads_stdin(c) for c in stripped[i + 1:]):
                    trusted = urls_trusted(text, ctx.trusted_hosts) or first_party(text, ctx.identity)
                    ctx.add("SC-PIPE-EXEC", file, ln, text, "low" if trusted else None)
                    if not trusted:
                        ctx.fact("remote_exec", file, ln, text)
                if any(DECODE_WORDS.search(" ".join(c)) for c in stripped[: i + 1]) and snames[i + 1] in INTERPRETERS:
                    ctx.add("OB-DECODE-EXEC", file, ln, text)
                    ctx.fact("obfuscation", file, ln, text)
        for c, n in zip(stripped, snames):
            args = " ".join(c[1:])
            if n == "eval" and ("$(" in args or "`" in args):
                if re.search(r"\b(curl|wget)\b", args):
                    ctx.add("SC-PIPE-EXEC", file, ln, " ".join(c))
                    ctx.fact("remote_exec", file, ln, " ".join(c))
                elif DECODE_WORDS.search(args):
                    ctx.add("OB-DECODE-EXEC", file, ln, " ".join(c))
                    ctx.fact("obfuscation", file, ln, " ".join(c))
            if n in ("nc", "ncat", "netcat") and re.search(r"(^|\s)-[a-z]{0,4}[ec](\s|$)", args):
                ctx.add("PE-REVERSE-SHELL", file, ln, " ".join(c))
                ctx.fact("revshell", file, ln, " ".join(c))
            if n == "chmod" and re.search(r"(^|\s)([ugoa]{0,3}\+[rwx]{0,3}s|[0-7]?[4-7][0-7]{3})(\s|$)", args):
                ctx.add("PE-ROOT-ABUSE", file, ln, " ".join(c))
            if n in ("dig", "nslookup", "drill", "host") and re.search(r"\$\(|\$\{?\w", args):
                ctx.add("EX-DNS", file, ln, " ".join(c))
                ctx.fact("net_send", file, ln, " ".join(c))


JS_RULES = [
    ("PE-CODE-EXEC", re.compile(r"\b(exec|execSync|spawn|spawnSync)\s*\(\s*(`[^`\n]{0,300}\$\{|['\"][^'\"\n]{0,300}['\"]\s*\+|[A-Za-z_]\w{0,40}\s*[,)])"), "medium"),
    ("PE-CODE-EXEC", re.compile(r"\beval\s*\(\s*[A-Za-z_`]|\bnew\s+Function\s*\(\s*[A-Za-z_`]"), "medium"),
    ("OB-OBFUSCATION", re.compile(r"String\.fromCharCode\s*\([^)\n]{0,400},[^)\n]{0,400},[^)\n]{0,400},|\\x[0-9a-f]{2}(\\x[0-9a-f]{2}){15}", re.I), "medium"),
]


_JS_DNS_CALL = re.compile(r"(\b(dns|resolver|dnsPromises|promises)|require\(\s*['\"](node:)?dns(/promises)?['\"]\s*\)(\.promises)?)\.(resolve\w*|lookup|reverse)\s*\(\s*(?!['\"][\w.-]+['\"]\s*[,)])[^)\n]{1,200}")
_JS_ENCODE = re.compile(r"toString\(\s*['\"](hex|base64|base64url|base32)['\"]|\bbase32\b|\bbtoa\(")
_JS_DATA = re.compile(r"readFileSync|readFile\(|process\.env|os\.(userInfo|hostname|homedir)\(|execSync\(")


def scan_js(ctx: Ctx, file: str, src: str, offset: int = 0) -> None:
    lines = src.split("\n")
    uses_cp = "child_process" in src or "exec(" in src
    for i, line in enumerate(lines[:20000], start=1):
        line = line[:2000]
        for rule, rgx, sev in JS_RULES:
            if rule == "PE-CODE-EXEC" and "exec" in rgx.pattern and not uses_cp:
                continue
            if rgx.search(line):
                ctx.add(rule, file, offset + i, line.strip(), sev)
    # DNS exfiltration: lookups of names built from data that the script encodes (hex/base32/
    # base64 chunks of a file or the environment)
    if "dns" in src and _JS_DNS_CALL.search(src) and _JS_ENCODE.search(src) and _JS_DATA.search(src):
        for i, line in enumerate(lines[:20000], start=1):
            if _JS_DNS_CALL.search(line[:2000]):
                ctx.add("EX-DNS", file, offset + i, line.strip())
                ctx.fact("net_send", file, offset + i, line.strip())
                break
    # secrets or files to the network
    if re.search(r"process\.env|readFileSync|homedir\(\)", src) and re.search(
            r"https?\.request|fetch\(|axios|XMLHttpRequest|sendBeacon|curl\s", src):
        if re.search(r"(readFileSync|readFile)\([^)\n]{0,120}(\.ssh|\.aws|\.env|\.npmrc|credentials|id_rsa)", src) or \
                re.search(r"JSON\.stringify\(\s*process\.env\s*\)", src):
            ctx.fact("cred_read", file, offset + 1, "JS reads credentials")
