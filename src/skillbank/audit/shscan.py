"""Shell analysis with a real parser (bashlex), falling back to token patterns, plus
JavaScript/TypeScript token patterns. Nothing is executed."""

from __future__ import annotations

import dataclasses
import re

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx
from skillbank.audit.model import severity_rank
from skillbank.audit.patterns import AnyOf

MAX_SHELL = 64 * 1024
MAX_PARSE = 8 * 1024  # bashlex is pure Python: parse at most this much of one script or block
FETCHERS = {"curl", "wget", "fetch", "iwr", "irm", "invoke-webrequest", "invoke-restmethod"}
INTERPRETERS = {"sh", "bash", "zsh", "ksh", "dash", "fish", "python", "python3", "python2", "node", "perl", "ruby",
                "php", "iex", "invoke-expression", "source", "."}
DECODE_WORDS = rxcache.compile(r"base64\s+(-d|--decode|-D)|xxd\s+-r|openssl\s+\S*\s*-d|\brev\b|\btr\s")
ASSIGN = rxcache.compile(r"^\s*(?:export\s+|local\s+|readonly\s+)?([A-Za-z_]\w{0,40})="
                    r"((?:\"[^\"\n]{0,500}\"|'[^'\n]{0,500}'|\$\(\([^)\n]{0,80}\)\)|\$\([^)\n]{0,300}\)|[^\s;&|\"'()]{1,500}){0,20})")
_PRINTF_SUB = rxcache.compile(r"\$\(\s*printf\s+(?:--\s+)?('[^'\n]{0,200}'|\"[^\"\n]{0,200}\")((?:\s+(?:'[^'\n]{0,100}'|\"[^\"\n]{0,100}\"|"
                         r"[^\s)'\"]{1,100})){0,20})\s*\)")
_ARITH = rxcache.compile(r"\$\(\(\s*(\d{1,9})\s*([-+*])\s*(\d{1,9})\s*\)\)")


def shell_word(v: str) -> str:
    """The value a shell word evaluates to, statically: adjacent quoted pieces joined ("ba""sh" ->
    bash), simple arithmetic ($((4000+443))) and printf of literals ($(printf '%s.%s' 10 0)) folded.
    Anything else is kept as written."""
    def printf(m: re.Match[str]) -> str:
        fmt = _strip_quotes(m.group(1))
        args = [_strip_quotes(a) for a in re.findall(r"'[^']*'|\"[^\"]*\"|[^\s'\"]+", m.group(2))]
        if re.search(r"%[^s%]", fmt) or fmt.count("%s") == 0:
            return m.group(0)
        n = fmt.count("%s")
        out = []
        while True:
            chunk, args = args[:n], args[n:]
            out.append(fmt.replace("%%", "\0").replace("%s", "{}").format(*(chunk + [""] * (n - len(chunk))))
                       .replace("\0", "%"))
            if not args:
                break
        return "".join(out).replace("\\n", "\n")

    def arith(m: re.Match[str]) -> str:
        a, op, b = int(m.group(1)), m.group(2), int(m.group(3))
        return str(a + b if op == "+" else a - b if op == "-" else a * b)

    v = _ARITH.sub(arith, _PRINTF_SUB.sub(printf, v))
    if not any(q in v for q in "\"'"):
        return v
    return "".join(p[1:-1] if p[:1] in "\"'" and len(p) >= 2 else p
                   for p in re.findall(r"\"[^\"]*\"|'[^']*'|[^\"']+|[\"']", v))

PREFILTER = rxcache.compile(r"\|\s*(sudo\s+)?(ba|z|k|da)?sh\b|\|\s*(python|node|perl|ruby|iex|source)|\beval\b|\bnc\b|"
                       r"\bncat\b|\bnetcat\b|\bchmod\b[^\n]{0,40}(\+s|[4-7][0-7]{3})|\b(dig|nslookup|drill)\b")


# PREFILTER's answer, alternative by alternative, each only when the text holds its literals
_PREFILTER_ANY = AnyOf(PREFILTER, [(("|", "sh"),), (("|",),), (("eval",),), (("nc",),), (("ncat",),), (("netcat",),),
                                   (("chmod",),), (("dig",), ("nslookup",), ("drill",))])


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
        if '""' in new or "''" in new:
            # "ba""sh" / 'ba''sh': adjacent quoted pieces form one word
            joined = re.sub(r"(?<=[\w/.$-])(\"\"|'')(?=[\w/.$-])", "", new)
            if joined != new:
                new, changed = joined, True
        for part in re.split(r";|&&", new):
            m = ASSIGN.match(part)
            if m and m.group(2):
                val = shell_word(m.group(2))
                if not val.startswith("$("):
                    values[m.group(1)] = val
                    if val != _strip_quotes(m.group(2)):
                        changed = True
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


_DL_OUT = rxcache.compile(r"\b(curl|wget)\b[^\n]{0,400}?(?:\s(?:-o|--output|-O|--output-document)[\s=]+[\"']?([^\s\"';&|]+)|"
                     r"\s-[a-zA-Z]*O[a-zA-Z]*\s+[\"']?(https?://[^\s\"';&|]+))")
_BACKGROUND = rxcache.compile(r"\bnohup\b|\bsetsid\b|\bdisown\b|--daemon\b|\bdaemonize\b|\bscreen\s+-d?m|"
                         r"\btmux\s+new(-session)?\s+-d|\bstart-stop-daemon\b|(?<![&>])&\s*(?:$|#|;|disown)", re.M)


_ENV_TO_FILE = rxcache.compile(r"(?:^|[;&|(]\s*|\$\(\s*)(?:sudo\s+)?(?:env|printenv|export\s+-p|set|cat\s+/proc/[\w$]+/environ)\b"
                          r"(?:\s+-0)?(?:\s*\|\s*(?:sort|grep\s+-v\s+\S+|base64|gzip|tee\s+-a)\b[^|>\n]{0,40})*\s*>>?\s*"
                          r"[\"']?([^\s\"';&|]+)", re.M)


def _env_file_upload(ctx: Ctx, file: str, src: str, offset: int) -> None:
    """The whole environment captured into a file which is then uploaded to an outside host:
    exfiltration of every secret the environment holds, whatever the upload looks like."""
    from skillbank.audit.textscan import first_party, urls_trusted

    for m in _ENV_TO_FILE.finditer(src):
        target = m.group(1)
        name = target.rsplit("/", 1)[-1]
        if not name or name in ("null", "stdout", "stderr"):
            continue
        esc = re.escape(name) if "$" not in name else re.escape(target)
        for up in re.finditer(r"^[^\n]*\b(curl|wget)\b[^\n]*$", src[m.end():], re.M):
            line = up.group(0)
            if not re.search(r"(@|-T\s*|--upload-file[\s=]+|--post-file[\s=]+|--body-file[\s=]+)[\"']?[^\s\"']*" + esc, line):
                continue
            if "://" in line and (urls_trusted(line, ctx.trusted_hosts) or first_party(line, ctx.identity)):
                continue
            ln = offset + src.count("\n", 0, m.end() + up.start()) + 1
            ev = f"{m.group(0).strip()}  →  {line.strip()}"
            ctx.add("EX-CORRELATED", file, ln, ev, "high",
                    why="The whole environment is written to a file and that file is uploaded: every secret in the "
                        "environment leaves the machine.")
            ctx.add("EX-ENV-DUMP", file, offset + src.count("\n", 0, m.start()) + 1, m.group(0).strip(), "high")
            ctx.fact("secret_source", file, ln, ev)
            ctx.fact("net_send", file, ln, ev)
            return


# commands whose output holds secrets in clear: a Terraform plan / state rendered as JSON (every
# sensitive variable and provider credential), the raw kube config
_SECRET_TO_FILE = rxcache.compile(r"\b(terraform\s+(show\s+(-json|-no-color)|state\s+pull|output\s+-json)|"
                             r"kubectl\s+config\s+view\s+(--raw|--flatten)|vault\s+(kv\s+get|read)\b)[^>\n|;&]{0,200}>>?\s*"
                             r"[\"']?([^\s\"';&|]+)", re.M)
_SECRET_FILE_NAME = rxcache.compile(r"[\w./~$-]*(\.tfstate(\.backup)?|tfplan\.json|plan\.json|kubeconfig|\.kube/config)\b")


def _secret_file_upload(ctx: Ctx, file: str, src: str, offset: int) -> None:
    """A file holding secrets in clear (a Terraform plan or state as JSON, a raw kube config) is
    posted to an outside host: every credential it carries leaves with it."""
    from skillbank.audit.textscan import first_party, urls_trusted, user_chosen_host, URL

    targets = [(m.group(m.lastindex or 0), m.start()) for m in _SECRET_TO_FILE.finditer(src)]
    targets += [(m.group(0), m.start()) for m in _SECRET_FILE_NAME.finditer(src)]
    for target, pos in targets[:20]:
        name = target.rsplit("/", 1)[-1]
        if not name:
            continue
        esc = re.escape(name)
        for up in re.finditer(r"^[^\n]*\b(curl|wget|http|Invoke-RestMethod)\b[^\n]*$", src, re.M):
            line = up.group(0)
            if not re.search(r"(@|-T\s*|--upload-file[\s=]+|--post-file[\s=]+|--body-file[\s=]+|:=@|<\s*)[\"']?[^\s\"']*" + esc,
                             line):
                continue
            urls = URL.findall(line)
            if not urls or urls_trusted(line, ctx.trusted_hosts) or first_party(line, ctx.identity) or \
                    all(user_chosen_host(u) for u in urls):
                continue
            ln = offset + src.count("\n", 0, up.start()) + 1
            ctx.add("EX-UPLOAD", file, ln, f"{name} (holds secrets in clear)  →  {line.strip()}", "high",
                    why="A file that holds secrets in clear (a Terraform plan or state as JSON, a raw kube config) is "
                        "uploaded to an outside host.")
            ctx.fact("secret_source", file, ln, line.strip())
            ctx.fact("net_send", file, ln, line.strip())
            return


_CRED_DIR = rxcache.compile(r"(?<![\w-])\.(ssh|gnupg|aws|kube|docker|azure|npmrc|netrc|pypirc|git-credentials|password-store|"
                       r"config/(gh|gcloud|hub|op)|vault-token|terraform\.d)\b|(?<![\w-])id_(rsa|ed25519|ecdsa)\b")
_ARCHIVER = rxcache.compile(r"(?:^|[;&|(`]\s*|\$\(\s*|\bthen\s+|\bdo\s+)(?:sudo\s+)?(tar|zip|7z|7za|rar|gzip|pigz|xz|zstd|base64|"
                       r"openssl\s+enc|gpg\s+(?:-c|--symmetric))\b([^\n]{0,600})", re.M)
_ARCH_UPLOAD = rxcache.compile(r"^[^\n]*\b(curl|wget|aws\s+s3(api)?\s+(cp|put-object|sync|mv)|gsutil\s+cp|rclone\s+(copy|copyto|move)|"
                          r"scp|s3cmd\s+put|az\s+storage\s+blob\s+upload|http|Invoke-RestMethod)\b[^\n]*$", re.M)


def _cred_archive_upload(ctx: Ctx, file: str, src: str, offset: int) -> None:
    """Credential directories (~/.ssh, ~/.gnupg, ~/.aws, ~/.kube, docker / npm / gh config) packed
    into an archive (tar / zip / 7z, optionally compressed or base64-encoded), named directly or
    through an array / variable / loop list, and the archive uploaded (curl -T / -F / --data-binary,
    aws s3 cp to a non-AWS endpoint, scp, rclone) to a host the user did not configure: the keys
    leave in one bundle."""
    from skillbank.audit.textscan import first_party, urls_trusted, user_chosen_host, URL

    holders = {m.group(1) for m in re.finditer(r"^\s*(?:local\s+|declare\s+-a\s+|readonly\s+)?([A-Za-z_]\w{0,40})=(\([^)\n]{0,400}\)|"
                                               r"[^\n]{0,400})$", src, re.M) if _CRED_DIR.search(m.group(2))}
    holders |= {m.group(1) for m in re.finditer(r"\bfor\s+([A-Za-z_]\w{0,40})\s+in\s+([^;\n]{0,400})", src) if _CRED_DIR.search(m.group(2))}
    outs: list[tuple[str, int]] = []
    for m in _ARCHIVER.finditer(src):
        args = m.group(2)
        named = _CRED_DIR.search(args) or any(re.search(r"\$\{?" + h + r"\b", args) for h in holders)
        if not named:
            continue
        # the archive: tar -f OUT / -czf OUT, zip OUT, 7z a OUT, > OUT, or VAR=$(tar ... ) captured
        cands = re.findall(r"(?:^|\s)-[A-Za-z]*f\s*[\"']?([^\s\"';&|)]+)|(?:^|\s)--file[=\s][\"']?([^\s\"';&|)]+)|"
                           r">\s*[\"']?([^\s\"';&|)]+)", args)
        names = [x for c in cands for x in c if x and x != "-"]
        if m.group(1) == "tar":
            old_style = re.match(r"\s*[A-Za-eg-z]*f[A-Za-z]*\s+[\"']?([^\s\"';&|)]+)", args)  # tar czf OUT ...
            if old_style:
                names.append(old_style.group(1))
        if m.group(1) in ("zip", "7z", "7za", "rar"):
            first = re.search(r"(?:^|\s)(?:a\s+)?(?:-\w+\s+)*[\"']?([^\s\"'-][^\s\"';&|)]*)", args)
            if first:
                names.append(first.group(1))
        line_start = src.rfind("\n", 0, m.start()) + 1
        cap = re.match(r"\s*(?:export\s+|local\s+)?([A-Za-z_]\w{0,40})=\$\(", src[line_start:m.start() + 3])
        if cap:
            names.append("$" + cap.group(1))
        for n in names:
            outs.append((n, m.start()))
    for name, pos in outs[:20]:
        var = re.match(r"\$\{?([A-Za-z_]\w*)", name)
        if var:
            ref = r"\$\{?" + var.group(1) + r"\b"
        else:
            base = name.rsplit("/", 1)[-1]
            if len(base) < 3:
                continue
            ref = re.escape(base)
            # the archive path held in a variable: OUT=/tmp/x.tgz ... curl -T "$OUT"
            for a in re.finditer(r"^\s*(?:export\s+|local\s+)?([A-Za-z_]\w{0,40})=[\"']?[^\n]*" + ref, src, re.M):
                ref += r"|\$\{?" + a.group(1) + r"\b"
        for up in _ARCH_UPLOAD.finditer(src, pos):
            line = up.group(0)
            if not re.search(r"(@|-T\s*|--upload-file[\s=]+|--post-file[\s=]+|--data-binary\s+|-d\s+|--data\s+|\bcp\s+|copy\w*\s+|"
                             r"scp\s+(-\S+\s+)*|put\s+|upload\s+(-\S+\s+)*)[\"']?[^\s\"']*(" + ref + ")", line):
                continue
            urls = URL.findall(line)
            endpoint = re.search(r"--endpoint-url[=\s]+[\"']?(https?://[^\s\"']+)", line)
            if "s3" in line and not endpoint and not urls:
                continue  # the user's own AWS account (their configured credentials and bucket)
            if endpoint and re.search(r"\.amazonaws\.com(\.cn)?(/|$)", endpoint.group(1)):
                continue
            if re.match(r"\s*scp\b", line) and not re.search(r"@?[\w.-]+\.[a-z]{2,}:|\d+\.\d+\.\d+\.\d+:", line):
                continue
            if urls and (urls_trusted(line, ctx.trusted_hosts) or first_party(line, ctx.identity) or
                         all(user_chosen_host(u) for u in urls)):
                continue
            if not urls and not endpoint and not re.match(r"\s*scp\b", line):
                continue  # the destination comes from configuration or an argument
            ln = offset + src.count("\n", 0, up.start()) + 1
            ctx.add("EX-SECRET-UPLOAD", file, ln, f"credential directories archived ({name}) and uploaded: {line.strip()}",
                    "critical", why="Credential directories are packed into an archive and the archive is uploaded to an "
                                    "outside host: private keys and cloud credentials leave in one bundle.")
            ctx.fact("secret_source", file, ln, line.strip())
            ctx.fact("net_send", file, ln, line.strip())
            return


def _download_chmod_run(ctx: Ctx, file: str, src: str, offset: int) -> None:
    """A file downloaded from an unknown host or a raw IP, made executable and started (in the
    background, or at all when the host is a raw IP): download-and-execute without `| sh`."""
    from skillbank.audit.textscan import _raw_public_ip, first_party, urls_trusted

    for m in _DL_OUT.finditer(src):
        line_start = src.rfind("\n", 0, m.start()) + 1
        line_end = src.find("\n", m.end())
        dl_line = src[line_start:line_end if line_end >= 0 else len(src)]
        if "://" not in dl_line or urls_trusted(dl_line, ctx.trusted_hosts) or first_party(dl_line, ctx.identity):
            continue
        target = m.group(2) or m.group(3)
        name = target.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
        if not name or name in (".", "-") or len(name) < 2:
            continue
        rest = src[line_start:]
        esc = re.escape(name)
        if not re.search(r"\bchmod\s+(-\w+\s+)*([ugoa]*\+[rwx]*x|[0-7]?[0-7][1357][0-7]{0,2})\s+[^\n]{0,200}?" + esc, rest):
            continue
        runs = [ln for ln in rest.split("\n")[:200] if re.search(r"(^|[\s/;&|(])" + esc + r"(\s|$|[;&|)])", ln)
                and not re.match(r"\s*(sudo\s+)?(chmod|curl|wget|ls|rm|file|sha256sum|shasum|echo)\b", ln)]
        if not runs:
            continue
        background = any(_BACKGROUND.search(ln) for ln in runs)
        raw_ip = _raw_public_ip(dl_line)
        if background or raw_ip:
            ln = offset + src.count("\n", 0, m.start()) + 1
            how = "started in the background" if background else "run"
            ctx.add("SC-DOWNLOAD-EXEC", file, ln, f"{dl_line.strip()}  →  chmod +x, {how}: {runs[0].strip()}", "high",
                    why="A binary from an unknown host or raw IP is made executable and started, a download-and-execute "
                        "that skips any package manager or review.")
            ctx.fact("remote_exec", file, ln, dl_line.strip())
            return


_KEYGEN_OUT = rxcache.compile(r"\bssh-keygen\b[^\n]{0,200}?\s-f\s*([\"']?)([^\s\"']{1,200})\1")


def _generated_key_installs(ctx: Ctx, file: str, src: str, offset: int) -> None:
    """A key pair the same script generates (`ssh-keygen -f "$NEW_KEY"`) whose public half is then
    appended to authorized_keys (through a variable read from `$NEW_KEY.pub`, `cat "$NEW_KEY.pub" | ssh`,
    `ssh-copy-id -i "$NEW_KEY.pub"`) is the user's own new key being rolled out: key rotation, low.
    A literal key anywhere in the script keeps the planted-key reading (critical)."""
    from skillbank.audit.textscan import LITERAL_KEY
    if LITERAL_KEY.search(src):
        return
    gens = {m.group(2) for m in _KEYGEN_OUT.finditer(src)}
    if not gens:
        return
    # `$NEW_KEY` and `${NEW_KEY}` name the same file
    pubs = set()
    for g in gens:
        v = re.match(r"\$\{?(\w{1,40})\}?(.*)$", g)
        pubs.add((r"\$\{?" + v.group(1) + r"\}?" + re.escape(v.group(2)) if v else re.escape(g)) + r"(\.pub)?")
    gen_rx = r"(" + "|".join(sorted(pubs)) + r")"
    # a variable naming the generated file (`PUB="$NEW.pub"`, `PUBFILE=${KEY}.pub`) names the same key
    for m in re.finditer(r"^\s*(?:local\s+|export\s+|readonly\s+)?([A-Za-z_]\w{0,40})=[\"']?" + gen_rx + r"[\"']?\s*$", src, re.M):
        pubs.add(r"\$\{?" + m.group(1) + r"\}?(\.pub)?")
    gen_rx = r"(" + "|".join(sorted(pubs)) + r")"
    own_vars = set()
    for m in re.finditer(r"\bread\s+(?:-\w+\s+)*([A-Za-z_]\w{0,40})\s*<\s*[\"']?" + gen_rx, src):
        own_vars.add(m.group(1))
    for m in re.finditer(r"^\s*(?:local\s+|export\s+)?([A-Za-z_]\w{0,40})=[\"']?\$\(\s*(?:cat\s+|<\s*|ssh-keygen\s+-y\s+(?:-\S+\s+)*-f\s*)"
                         r"[\"']?" + gen_rx, src, re.M):
        own_vars.add(m.group(1))
    own = r"\$\(\s*(cat\s+|<\s*)[\"']?" + gen_rx + r"|(cat|<)\s*[\"']?" + gen_rx + r"[\"']?\s*\|\s*ssh\b|" \
          r"\bssh-copy-id\b[^\n]{0,80}-i\s*[\"']?" + gen_rx
    if own_vars:
        own += r"|\$\{?(" + "|".join(sorted(own_vars)) + r")\b"
    own_rx = re.compile(own)
    for i, line in enumerate(src.split("\n"), start=1):
        if "authorized_keys" not in line and "ssh-copy-id" not in line:
            continue
        f = ctx.findings.get(("PE-SSH-AUTHKEYS", file, offset + i))
        if f is not None and own_rx.search(line):
            if severity_rank(f.severity) > 1:
                ctx.findings[("PE-SSH-AUTHKEYS", file, offset + i)] = dataclasses.replace(
                    f, severity="low", evidence=f.evidence + "  (a key this script generates)")
            ctx.fact("own_key_install", file, offset + i, line.strip())


def scan_shell(ctx: Ctx, file: str, src: str, offset: int = 0) -> None:
    _scan_shell(ctx, file, src, offset)
    if "ssh-keygen" in src and ("authorized_keys" in src or "ssh-copy-id" in src):
        _generated_key_installs(ctx, file, src[:MAX_SHELL], offset)


def _scan_shell(ctx: Ctx, file: str, src: str, offset: int = 0) -> None:
    from skillbank.audit.textscan import first_party, installs_tool_it_runs, scan_code_text, urls_trusted

    if len(src) > MAX_SHELL:
        src = src[:MAX_SHELL]
    if ("curl" in src or "wget" in src) and "chmod" in src:
        _download_chmod_run(ctx, file, src, offset)
    if ("curl" in src or "wget" in src) and ("env" in src or "export -p" in src):
        _env_file_upload(ctx, file, src, offset)
    if _CRED_DIR.search(src) and re.search(r"\b(tar|zip|7za?|rar|gzip|base64)\b", src) and \
            re.search(r"\b(curl|wget|s3|gsutil|rclone|scp|az|http|Invoke-RestMethod)\b", src):
        _cred_archive_upload(ctx, file, src, offset)
    if ("curl" in src or "wget" in src or "http" in src) and ("terraform" in src or "kubectl" in src or "tfstate" in src):
        _secret_file_upload(ctx, file, src, offset)
    expanded = expand_variables(src)
    if expanded is not None:
        sub = ctx.child(1)
        scan_code_text(sub, file, expanded, offset)
        for f in sub.findings.values():
            old = ctx.findings.get((f.rule_id, f.file, f.line))
            # new -- or, for an authorized key, stronger once the variables are known: `KEY='ssh-ed25519 AAAA…'`
            # … `echo "$KEY" >> authorized_keys` plants the literal key (low as a bare `$KEY`)
            if f.severity in ("medium", "high", "critical") and (old is None or f.rule_id == "PE-SSH-AUTHKEYS" and
                                                                 severity_rank(f.severity) > severity_rank(old.severity)):
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
    if not _PREFILTER_ANY.search_any(src.lower(), src) or ctx.out_of_time():
        return
    last = offset + src.count("\n") + 1
    if any(f.file == file and offset < f.line <= last and f.severity in ("high", "critical")
           for f in ctx.findings.values()):
        return  # the token patterns already flagged this block; the parser could only repeat it
    if len(src) > MAX_PARSE:
        # the token patterns already covered the whole text; the parser sees the head only
        src = src[:MAX_PARSE].rsplit("\n", 1)[0]
    try:
        from skillbank.audit.bashlex_tables import load

        trees = load().parse(src)
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
                    trusted = urls_trusted(text, ctx.trusted_hosts) or first_party(text, ctx.identity) or \
                        installs_tool_it_runs(text, src.split("\n"), ln - offset)
                    ctx.add("SC-PIPE-EXEC", file, ln, text, "low" if trusted else None)
                    if not trusted:
                        ctx.fact("remote_exec", file, ln, text)
                if any(DECODE_WORDS.search(" ".join(c)) for c in stripped[: i + 1]) and snames[i + 1] in INTERPRETERS:
                    from skillbank.audit.textscan import placeholder_payload
                    if placeholder_payload(text):
                        ctx.add("OB-DECODE-EXEC", file, ln, text + "  (placeholder input: a pattern)", "low")
                        continue
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
    ("PE-CODE-EXEC", rxcache.compile(r"\b(exec|execSync|spawn|spawnSync)\s*\(\s*(`[^`\n]{0,300}\$\{|['\"][^'\"\n]{0,300}['\"]\s*\+|[A-Za-z_]\w{0,40}\s*[,)])"), "medium"),
    ("PE-CODE-EXEC", rxcache.compile(r"\beval\s*\(\s*[A-Za-z_`]|\bnew\s+Function\s*\((\s*['\"][\w$]{1,40}['\"]\s*,){0,8}\s*[A-Za-z_`]"),
     "medium"),
    ("OB-OBFUSCATION", rxcache.compile(r"String\.fromCharCode\s*\([^)\n]{0,400},[^)\n]{0,400},[^)\n]{0,400},|\\x[0-9a-f]{2}(\\x[0-9a-f]{2}){15}", re.I), "medium"),
]


_JS_DYN_CODE = rxcache.compile(r"\bnew\s+Function\s*\((\s*['\"][\w$]{1,40}['\"]\s*,){0,8}\s*[A-Za-z_$][\w$.]{0,40}\s*\)|"
                          r"\beval\s*\(\s*[A-Za-z_$][\w$.]{0,40}\s*\)|\bvm\.(runInThisContext|runInNewContext|runInContext|"
                          r"compileFunction)\s*\(\s*[A-Za-z_$]|\bnew\s+vm\.Script\s*\(\s*[A-Za-z_$]")
_JS_FETCH = rxcache.compile(r"\b(https?)\.(get|request)\s*\(|\bfetch\s*\(|\baxios(\.get)?\s*\(|\bgot(\.get)?\s*\(")
_JS_DNS_CALL = rxcache.compile(r"(\b(dns|resolver|dnsPromises|promises)|require\(\s*['\"](node:)?dns(/promises)?['\"]\s*\)(\.promises)?)\.(resolve\w*|lookup|reverse)\s*\(\s*(?!['\"][\w.-]+['\"]\s*[,)])[^)\n]{1,200}")
_JS_ENCODE = rxcache.compile(r"toString\(\s*['\"](hex|base64|base64url|base32)['\"]|\bbase32\b|\bbtoa\(")
_JS_DATA = rxcache.compile(r"readFileSync|readFile\(|process\.env|os\.(userInfo|hostname|homedir)\(|execSync\(")


# whole environment serialised: JSON.stringify(process.env), Object.entries(process.env),
# for (k in process.env) (not `{...process.env}` handed to a child process)
_JS_ENV_ALL = rxcache.compile(r"(JSON\.stringify|Object\.(entries|keys|values|assign)|Buffer\.from|util\.inspect|"
                         r"qs\.stringify|querystring\.stringify|new\s+URLSearchParams)\s*\(\s*(\{\s*\}\s*,\s*)?process\.env\s*[,)]|"
                         r"\bin\s+process\.env\s*\)|JSON\.stringify\(\s*\{\s*\.\.\.\s*process\.env\s*\}|"
                         # the environment as one field of a serialised body: {cwd, proc: process.env}
                         r"JSON\.stringify\(\s*\{([^\n]{0,300}?[:,])?\s*(\.\.\.\s*)?process\.env\s*[,}]|"
                         r"\b(body|data|payload|json|form)\s*:\s*process\.env\s*[,}\n]")
# the environment as a field of an object that is not a child process's options (`env: process.env`
# handed to spawn/exec is ordinary): counted only in a script that serialises a body
_JS_ENV_FIELD = rxcache.compile(r"\b[\w$]{1,40}\s*:\s*(\{\s*\.\.\.\s*)?process\.env\s*[,}\n]")
_JS_CHILD_OPTS = rxcache.compile(r"\b(spawn|spawnSync|exec|execSync|execFile|execFileSync|fork|execa\w*|Worker|crossSpawn|run)\s*\(|"
                            r"\b(child|proc|options|opts|spawnOpts|execOpts)\s*=", re.I)
# secret files: private keys, cloud/registry credentials, keychains, browser stores, .env files
_JS_SECRET_FILE = rxcache.compile(r"['\"`/]\^?\\?(\.ssh|id_(rsa|ed25519|ecdsa|dsa)\b|\.aws|\.npmrc|\.netrc|\.pypirc|\.gnupg|"
                             r"\.git-credentials|\.config/gcloud|Keychains?\b|login\.keychain|key4\.db|logins\.json|"
                             r"wallet\.dat|\.env\b)|/(Login Data|Cookies|Local State)\b", re.I)
# the parsed .env object itself serialised into a body (not one key used to authenticate)
_JS_DOTENV_SENT = rxcache.compile(r"JSON\.stringify\(\s*(\{([^\n]{0,300}?[,:])?\s*(\.\.\.\s*)?)?(env|dotenv|envVars|vars|secrets|"
                             r"parsed|config|envFile|envContent|contents?)\s*[,})]", re.I)
_JS_READ = rxcache.compile(r"\b(readFileSync|readFile|createReadStream|readdirSync|readdir|opendir|glob(Sync)?|fg\.sync|"
                      r"fs\.promises\.readFile)\s*\(|\bfs/promises\b")
_JS_WALK = rxcache.compile(r"\b(readdirSync|readdir|opendir|glob(Sync)?|fg\.sync|walk\w*)\s*\(")
_JS_SINK = rxcache.compile(r"\bfetch\s*\(|\baxios(\.\w+)?\s*\(|\b(https?|http2)\.(request|get)\s*\(|\bnet\.(connect|createConnection)\s*\(|"
                      r"\b(tls)\.connect\s*\(|\bdns\.(resolve\w*|lookup)\s*\(|\bgot(\.\w+)?\s*\(|\bneedle\s*\(|"
                      r"\bsuperagent\b|XMLHttpRequest|sendBeacon|new\s+WebSocket\s*\(|\brequest\.(post|put)\s*\(|"
                      r"\bundici\.request\s*\(")
_JS_HOST_LIT = rxcache.compile(r"https?://[^\s'\"`/]+|\b(hostname|host)\s*:\s*['\"`]([\w.-]+)['\"`]|"
                          r"['\"`](\d{1,3}(?:\.\d{1,3}){3})['\"`]")


_JS_ENV_TOKEN = rxcache.compile(r"(?:\b(?:const|let|var)\s+([\w$]{1,40})\s*=\s*)?process\.env(?:\.([A-Z][A-Z0-9_]{2,60})|"
                           r"\[\s*['\"`]([A-Z][A-Z0-9_]{2,60})['\"`]\s*\])")
_JS_IDENTITY = rxcache.compile(r"\bos\.(userInfo|hostname|homedir|networkInterfaces)\s*\(|\bprocess\.cwd\s*\(|"
                          r"process\.env\.(USER|USERNAME|LOGNAME|HOME)\b")


def _js_token_elsewhere(ctx: Ctx, file: str, src: str, offset: int) -> None:
    """A service token from the environment (FIGMA_TOKEN, SLACK_BOT_TOKEN) sent in a request to a
    literal host that is not one of that service's official API hosts (a "cache proxy" or "API
    wrapper" on someone else's host): the token leaves to a third party. Critical when the same
    request also carries who and where the user is (os.userInfo(), hostname, process.cwd())."""
    from skillbank.audit.textscan import OFFICIAL_API_HOSTS, _SECRET_VAR_NAME, _families, host_of, local_address

    tokens: dict[str, str] = {}  # name used in code -> env var name
    for m in _JS_ENV_TOKEN.finditer(src):
        env = m.group(2) or m.group(3)
        if not _SECRET_VAR_NAME.fullmatch(env) or not _families(env):
            continue
        tokens[f"process.env.{env}"] = env
        tokens[f"process.env['{env}']"] = env
        tokens[f'process.env["{env}"]'] = env
        if m.group(1):
            tokens[m.group(1)] = env
    if not tokens:
        return
    for s in _JS_SINK.finditer(src):
        call = src[s.start():s.start() + 800]
        end = re.search(r"\n\s*\}?\s*\)\s*;?\s*(\n|$)|\)\s*;\s*\n", call)
        call = call[:end.end()] if end else call[:400]
        m = re.search(r"https?://([\w.-]+)", call)
        if not m:
            # the base URL held in a constant: fetch(`${BASE}/files`), fetch(BASE + '/files')
            for c in re.finditer(r"\b(?:const|let|var)\s+([\w$]{1,40})\s*=\s*['\"`](https?://[\w.-]+)", src):
                if re.search(r"(?<![\w$.])" + re.escape(c.group(1)) + r"(?![\w$])", call):
                    m = re.search(r"https?://[\w.-]+", c.group(2))
                    break
        if not m:
            continue
        host = host_of(m.group(0))
        if not host or local_address(host):
            continue  # a local proxy or service the user runs
        used = [env for name, env in tokens.items() if re.search(r"(?<![\w$.])" + re.escape(name) + r"(?![\w$])", call)]
        if not used:
            continue
        own = [env for env in used if any(host == h or host.endswith("." + h) for f in _families(env)
                                          for h in OFFICIAL_API_HOSTS[f])]
        if len(own) == len(used):
            continue
        env = next(e for e in used if e not in own)
        ident = _JS_IDENTITY.search(call)
        ln = offset + src.count("\n", 0, s.start()) + 1
        ctx.add("EX-SECRET-UPLOAD", file, ln, f"{env} sent to {host}, not the service's own API host"
                + (f" (with {ident.group(0)})" if ident else ""), "critical" if ident else "high",
                why="A service token is sent to a host that is not that service's official API: whoever runs "
                    "the host receives the user's credential.")
        ctx.fact("secret_source", file, ln, env)
        ctx.fact("net_send", file, ln, f"{env} -> {host}")
        return


def _js_exfil(ctx: Ctx, file: str, src: str, lines: list[str], offset: int) -> None:
    """JS/TS that reads the whole environment or secret files and makes an outbound request.
    Token-level: the reading and the request only have to be in the same file. Reading a .env
    file to call a vendor API the skill names (dotenv loading) is not enough on its own."""
    from skillbank.audit.textscan import _raw_public_ip, first_party, url_trusted

    if not _JS_SINK.search(src):
        return
    env_all = _JS_ENV_ALL.search(src)
    if not env_all and re.search(r"JSON\.stringify\s*\(", src):
        for m in _JS_ENV_FIELD.finditer(src):
            if not _JS_CHILD_OPTS.search(src[max(0, m.start() - 300):m.start()]):
                env_all = m
                break
    secret = None
    if _JS_READ.search(src) or "os.homedir" in src:
        for m in _JS_SECRET_FILE.finditer(src):
            secret = m
            if (m.group(1) or "").lower() != ".env":
                break
    if not env_all and not secret:
        return
    hosts = []
    for m in _JS_HOST_LIT.finditer(src):
        url = m.group(0) if m.group(0).startswith("http") else "https://" + (m.group(2) or m.group(3))
        if url_trusted(url, ctx.trusted_hosts) or first_party(url, ctx.identity) or \
                re.search(r"\b(example\.(com|org|net)|localhost)\b", url):
            continue
        hosts.append(url)
    raw_ip = any(_raw_public_ip(h if "://" in h else "http://" + h) for h in hosts)
    dotenv_only = not env_all and (secret.group(1) or "").lower() == ".env"
    # a .env file alone: loading the project's configuration to call an API is ordinary; walking
    # the tree for .env files, encoding their content or sending to a raw IP is harvesting
    if dotenv_only and not (_JS_WALK.search(src) or raw_ip or hosts and (re.search(
            r"toString\(\s*['\"](base64|hex)|btoa\(", src) or _JS_DOTENV_SENT.search(src))):
        return
    sink = _JS_SINK.search(src)
    ln = offset + src.count("\n", 0, sink.start()) + 1
    what = "the whole environment" if env_all else f"secret files ({secret.group(0).strip(chr(39) + chr(34) + '`/')})"
    sev = "critical" if hosts else "high"
    ev = f"reads {what} and sends it with {sink.group(0).strip()}" + (f" to {hosts[0]}" if hosts else "")
    ctx.add("EX-CORRELATED", file, ln, ev, sev,
            why="The script reads the whole environment or secret files and makes an outbound request: the usual "
                "shape of credential exfiltration.")
    ctx.fact("cred_read", file, ln, ev)
    ctx.fact("net_send", file, ln, ev)


def scan_js(ctx: Ctx, file: str, src: str, offset: int = 0) -> None:
    lines = src.split("\n")
    # RegExp.prototype.exec (`/re/.exec(s)`, `pattern.exec(s)`) is not child_process.exec
    uses_cp = "child_process" in src or bool(re.search(r"(?<![.\w])exec\s*\(", src))
    for i, line in enumerate(lines[:20000], start=1):
        line = line[:2000]
        for rule, rgx, sev in JS_RULES:
            if rule == "PE-CODE-EXEC" and "exec" in rgx.pattern and not uses_cp:
                continue
            m = rgx.search(line)
            if m and rule == "PE-CODE-EXEC" and "exec" in rgx.pattern and \
                    re.search(r"(/[gimsuy]*|\b(re|rx|regex|regexp|pattern|matcher|[A-Z][A-Z0-9_]*_RE|[A-Z][A-Z0-9_]*))\.$",
                              line[:m.start()]):
                continue
            if m:
                ctx.add(rule, file, offset + i, line.strip(), sev)
    # DNS exfiltration: lookups of names built from data that the script encodes (hex/base32/
    # base64 chunks of a file or the environment)
    if "dns" in src and _JS_DNS_CALL.search(src) and _JS_ENCODE.search(src) and _JS_DATA.search(src):
        for i, line in enumerate(lines[:20000], start=1):
            if _JS_DNS_CALL.search(line[:2000]):
                ctx.add("EX-DNS", file, offset + i, line.strip())
                ctx.fact("net_send", file, offset + i, line.strip())
                break
    _js_exfil(ctx, file, src, lines, offset)
    if "process.env" in src and _JS_SINK.search(src):
        _js_token_elsewhere(ctx, file, src, offset)
    from skillbank.audit.tokenflow import scan_token_flow
    scan_token_flow(ctx, file, src, "js", offset)
    # code fetched over the network and evaluated: remote code execution without a `| sh`
    m = _JS_DYN_CODE.search(src)
    if m and _JS_FETCH.search(src):
        ln = offset + src.count("\n", 0, m.start()) + 1
        ctx.add("SC-DOWNLOAD-EXEC", file, ln, "fetches code over the network and evaluates it: " + m.group(0).strip(), "high",
                why="The script downloads code and runs it with eval / new Function / vm: what runs is not in the skill.")
        ctx.fact("remote_exec", file, ln, m.group(0))
    # secrets or files to the network
    if re.search(r"process\.env|readFileSync|homedir\(\)", src) and re.search(
            r"https?\.request|fetch\(|axios|XMLHttpRequest|sendBeacon|curl\s", src):
        if re.search(r"(readFileSync|readFile)\([^)\n]{0,120}(\.ssh|\.aws|\.npmrc|credentials|id_rsa)", src) or \
                re.search(r"JSON\.stringify\(\s*process\.env\s*\)", src):
            ctx.fact("cred_read", file, offset + 1, "JS reads credentials")
