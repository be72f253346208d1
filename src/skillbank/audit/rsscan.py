"""Rust sources and build scripts (round 8), read at token level and never compiled.

Comments are dropped and string literals kept apart, then the calls that matter are looked for in
the cleaned text: network fetches (reqwest, ureq, attohttpc, minreq, the curl crate, a raw
TcpStream, `Command::new("curl" | "wget")`), shell execution (`Command::new("sh" | "bash" | "cmd" |
"powershell")` with `-c` / `/C` / `-Command` or with fetched content), a downloaded file written,
made executable and run, decoding fed to a shell, and the environment (`env::vars()`) or home-dir
secret files sent over the network. `build.rs` runs on `cargo build` with the user's rights, so
there the fetch-and-run forms are `SC-INSTALL-HOOK` critical; a build script that only drives cc /
pkg-config / protoc or prints `cargo:` directives is not flagged."""

from __future__ import annotations

import re

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx

PREFILTER = rxcache.compile(r"reqwest|ureq|attohttpc|minreq|curl|wget|TcpStream|Command::new|env::vars|vars_os|home_dir|HOME|"
                       r"decode|set_permissions|hyper", re.I)

_FETCH = rxcache.compile(r"\breqwest::(blocking::)?(get|Client)\b|\bClient::(new|builder)\s*\(|\bureq::(get|post|put|request|agent|"
                    r"AgentBuilder)\b|\battohttpc::(get|post)\b|\bminreq::(get|post)\b|\bcurl::easy::Easy\b|\bEasy::new\s*\(|"
                    r"\bTcpStream::connect\s*\(|\bhyper::Client\b|Command::new\s*\(\s*\"(curl|wget|curl\.exe|"
                    r"Invoke-WebRequest)\"")
_SEND = rxcache.compile(r"\.(post|put)\s*\(|\bureq::(post|put)\b|\.send_(json|string|bytes|form)\s*\(|\.body\s*\(|\.json\s*\(\s*&|"
                   r"\.post_fields_copy\s*\(|\.post\s*\(\s*true|\bwrite_all\s*\(|\battohttpc::post\b|\bminreq::post\b|"
                   r"Command::new\s*\(\s*\"curl\"[^;]{0,300}\"(-d|--data|--data-binary|-F|-T|--upload-file)\"")
_SHELL = rxcache.compile(r"Command::new\s*\(\s*\"(?:/bin/|/usr/bin/)?(sh|bash|zsh|dash|cmd|cmd\.exe|powershell|powershell\.exe|pwsh)\"")
_SHELL_ARG = rxcache.compile(r"\"(-c|/C|/c|-Command|-command|-EncodedCommand|-e)\"")
_WRITE = rxcache.compile(r"\bfs::write\s*\(|\bFile::create\s*\(|\bio::copy\s*\(|\.write_all\s*\(")
_CHMOD = rxcache.compile(r"\bset_permissions\s*\(|\bPermissions::from_mode\s*\(\s*0o[0-7]*[1357][0-7]{0,2}\b|\.set_mode\s*\(\s*0o[0-7]*[1357]|"
                    r"\.mode\s*\(\s*0o[0-7]*[1357]|Command::new\s*\(\s*\"chmod\"")
_RUN_VAR = rxcache.compile(r"Command::new\s*\(\s*(&?\s*[a-z_][\w.]*(\s*\.\s*(join|as_path|to_str|display)\s*\([^)]*\))*|"
                      r"&?\s*format!\s*\()")
_DECODE = rxcache.compile(r"\bbase64::decode\s*\(|\.decode\s*\(|\bhex::decode\s*\(|\bfrom_hex\s*\(")
_ENV_ALL = rxcache.compile(r"\b(std::)?env::vars(_os)?\s*\(\s*\)|\bvars(_os)?\s*\(\s*\)\s*\.\s*(collect|map|filter)")
_HOME_SECRET = rxcache.compile(r"\.ssh\b|id_rsa|id_ed25519|\.aws\b|credentials|\.kube\b|\.npmrc|\.pypirc|\.netrc|\.git-credentials|"
                          r"\.docker/config|\.gnupg|Login Data|\.config/gh|keychain|wallet\.dat")
_HOME = rxcache.compile(r"\bhome_dir\s*\(|env::var(_os)?\s*\(\s*\"(HOME|USERPROFILE)\"|\"~/|dirs::home_dir")
_BENIGN_BUILD = rxcache.compile(r"\bcc::Build\b|\bpkg_config\b|\bprost_build\b|\btonic_build\b|\bprotoc\b|\bbindgen\b|cargo:")
_HOST = rxcache.compile(r"\"(https?://[^\"]+)\"")


def _clean(src: str) -> tuple[str, list[str]]:
    """Comments removed (string literals kept verbatim, so offsets and lines keep their meaning)."""
    out = []
    strings: list[str] = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "/" and i + 1 < n and src[i + 1] == "/":
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c == "/" and i + 1 < n and src[i + 1] == "*":
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in src[i:j]))
            i = j
        elif c == "r" and re.match(r"r#*\"", src[i:i + 8]) and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            hashes = len(re.match(r"r(#*)\"", src[i:i + 8]).group(1))
            end = src.find("\"" + "#" * hashes, i + 2 + hashes)
            end = n if end < 0 else end + 1 + hashes
            body = src[i:end]
            strings.append(body)
            out.append(body)
            i = end
        elif c == "\"":
            j = i + 1
            while j < n and src[j] != "\"":
                j += 2 if src[j] == "\\" else 1
            body = src[i:j + 1]
            strings.append(body)
            out.append(body)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out), strings


def scan_rust(ctx: Ctx, file: str, src: str, offset: int = 0, build: bool | None = None) -> None:
    if not PREFILTER.search(src):
        return
    code, _ = _clean(src[:400_000])
    if build is None:
        build = file.rsplit("/", 1)[-1] == "build.rs"
    where = "build.rs (runs on cargo build)" if build else "Rust code"

    def ln(m: re.Match[str] | None) -> int:
        return offset + (code.count("\n", 0, m.start()) + 1 if m else 1)

    def ev(m: re.Match[str] | None) -> str:
        if not m:
            return ""
        s = code.rfind("\n", 0, m.start()) + 1
        e = code.find("\n", m.end())
        return code[s:e if e >= 0 else len(code)].strip()[:240]

    fetch = _FETCH.search(code)
    shell = _SHELL.search(code)
    shell_arg = _SHELL_ARG.search(code) if shell else None
    write = _WRITE.search(code)
    chmod = _CHMOD.search(code)
    run_var = _RUN_VAR.search(code)
    decode = _DECODE.search(code)
    send = _SEND.search(code)
    hosts = [h for h in _HOST.findall(code) if not re.match(r"https?://(localhost|127\.0\.0\.1)", h)]

    # fetched content handed to a shell, or a downloaded file made executable and run
    piped = shell and re.search(r"\bStdio::piped\s*\(", code)
    if fetch and shell and (shell_arg or piped):
        rule = "OB-DECODE-EXEC" if decode else "SC-INSTALL-HOOK" if build else "SC-PIPE-EXEC"
        ctx.add(rule, file, ln(shell), f"{where}: network fetch ({fetch.group(0)}) run through a shell: {ev(shell)}",
                "critical" if build or decode else "high",
                why="Content fetched from the network is handed to a shell" +
                    (" at build time, with the rights of whoever runs cargo build." if build else "."))
        ctx.fact("remote_exec", file, ln(shell), ev(shell))
    elif fetch and write and chmod and (run_var or shell):
        rule = "SC-INSTALL-HOOK" if build else "SC-DOWNLOAD-EXEC"
        ctx.add(rule, file, ln(chmod), f"{where}: downloads a file, makes it executable and runs it: {ev(chmod)}",
                "critical" if build else "high",
                why="A file fetched from the network is made executable and started" +
                    (" during the build." if build else "."))
        ctx.fact("remote_exec", file, ln(chmod), ev(chmod))
    elif decode and shell and shell_arg:
        ctx.add("OB-DECODE-EXEC", file, ln(shell), f"{where}: decoded content run through a shell: {ev(shell)}",
                "critical" if build else "high")
        ctx.fact("obfuscation", file, ln(shell), ev(shell))
    elif build and shell and shell_arg and not _BENIGN_BUILD.search(code[shell.start():shell.start() + 400]):
        ctx.add("SC-INSTALL-HOOK", file, ln(shell), f"{where}: runs a shell command at build time: {ev(shell)}", "medium",
                why="build.rs runs a shell command on every cargo build.")
    elif build and fetch:
        ctx.add("SC-INSTALL-HOOK", file, ln(fetch), f"{where}: network fetch at build time: {ev(fetch)}", "low")

    # the environment or home-directory secrets sent over the network
    net_out = send or re.search(r"\bTcpStream::connect\b", code) or (fetch and re.search(r"[?&]\w+=\{|format!\s*\(\s*\"https?://", code))
    env_all = _ENV_ALL.search(code)
    home_secret = _HOME.search(code) and _HOME_SECRET.search(code)
    if net_out and (env_all or home_secret) and (hosts or re.search(r"TcpStream::connect", code)):
        src_m = env_all or _HOME_SECRET.search(code)
        what = "the whole environment (env::vars())" if env_all else "home-directory secret files"
        ctx.add("EX-SECRET-UPLOAD", file, ln(src_m), f"{where}: {what} sent over the network: {ev(src_m)}", "critical",
                why=f"{what} is read and sent to a host the code names" + (" on every cargo build." if build else "."))
        ctx.fact("secret_source", file, ln(src_m), ev(src_m))
        ctx.fact("net_send", file, ln(net_out) if net_out else ln(src_m), ev(net_out))
    elif env_all:
        ctx.fact("env_dump", file, ln(env_all), ev(env_all))
