"""Python analysis by AST (never executed): dangerous calls, decode-then-execute, a small
taint pass from secret/credential sources to network sinks, string assembly (split strings)
and statically decoded literals."""

from __future__ import annotations

import ast
import base64
import binascii
import codecs
import re
import zlib

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx
from skillbank.audit.patterns import CRED_STORE, SECRET_NAME

MAX_SOURCE = 256 * 1024

DECODERS = {
    "base64.b64decode", "base64.b32decode", "base64.b85decode", "base64.a85decode", "base64.urlsafe_b64decode",
    "base64.decodebytes", "binascii.unhexlify", "binascii.a2b_base64", "bytes.fromhex", "codecs.decode",
    "zlib.decompress", "gzip.decompress", "bz2.decompress", "lzma.decompress", "marshal.loads",
}
NET_SINKS = {
    "requests.post", "requests.put", "requests.patch", "requests.get", "requests.request",
    "httpx.post", "httpx.put", "httpx.patch", "httpx.get", "httpx.request",
    "urllib.request.urlopen", "urllib.request.Request", "urlopen", "Request",
    "socket.send", "socket.sendall", "socket.sendto", "smtplib.SMTP.sendmail",
    "aiohttp.ClientSession.post", "http.client.HTTPSConnection.request", "http.client.HTTPConnection.request",
}
SHELL_CALLS = {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput", "commands.getoutput"}
SUBPROCESS = {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
              "subprocess.Popen"}
SQL = rxcache.compile(r"\b(select|insert|update|delete|drop)\b[\s\S]{0,200}\b(from|into|set|table|where)\b", re.I)
_RAW_PUBLIC_IP = rxcache.compile(r"(https?|ftp)://(?!(10|127|0)\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")
# the repository's own forge: posting a diff there (a PR comment) is the normal workflow
_CODE_HOSTS = rxcache.compile(r"https?://([\w-]+\.)*(github\.com|gitlab\.com|bitbucket\.org|atlassian\.net|"
                         r"dev\.azure\.com|codeberg\.org)(/|:|$)", re.I)
_PY_DNS_ENCODE = rxcache.compile(r"\.hex\(\)|hexlify|b32encode|b64encode|urlsafe_b64encode|b16encode")
_PY_DNS_DATA = rxcache.compile(r"open\(|read_text|read_bytes|environ|getenv|check_output|getoutput")
_STR_OPS = {"join", "format", "replace", "encode", "decode", "lower", "upper", "strip", "lstrip", "rstrip", "chr",
            "bytes", "bytearray", "str", "reversed", "b64decode", "b85decode", "a85decode", "b32decode", "unhexlify",
            "fromhex", "urlsafe_b64decode", "decompress"}
PATH_GUARDS = rxcache.compile(r"abspath|realpath|normpath|resolve|commonpath|is_relative_to|startswith|secure_filename")


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(aliases.get(node.id, node.id))
    elif isinstance(node, ast.Call):
        parts.append(_dotted(node.func, aliases) + "()")
    else:
        return ""
    return ".".join(reversed(parts))


def _int_list(node: ast.AST) -> list[int] | None:
    if isinstance(node, (ast.List, ast.Tuple)) and 0 < len(node.elts) <= 2000 and all(
            isinstance(e, ast.Constant) and isinstance(e.value, int) and not isinstance(e.value, bool) and 0 <= e.value < 0x110000
            for e in node.elts):
        return [e.value for e in node.elts]  # type: ignore[union-attr]
    return None


def _char_codes(node: ast.AST) -> list[int] | None:
    """`map(chr, [..])` or `(chr(c) for c in [..])`: the integer codes spelled out."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "map" and len(node.args) == 2 \
            and isinstance(node.args[0], ast.Name) and node.args[0].id == "chr":
        return _int_list(node.args[1])
    if isinstance(node, (ast.GeneratorExp, ast.ListComp)) and len(node.generators) == 1 and \
            isinstance(node.elt, ast.Call) and isinstance(node.elt.func, ast.Name) and node.elt.func.id == "chr":
        return _int_list(node.generators[0].iter)
    return None


def _fold(node: ast.AST, consts: dict[str, str], depth: int = 0) -> str | None:
    """Statically evaluate string expressions built from literals (concatenation, join, f-strings,
    chr() codes, reversal)."""
    if depth > 20:
        return None
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            try:
                return node.value.decode("utf-8")
            except UnicodeDecodeError:
                return None
        return None
    if isinstance(node, ast.Name):
        return consts.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return consts.get(node.value.id + "." + node.attr)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and \
            isinstance(node.left.value, str):
        vals = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        parts = [_fold(v, consts, depth + 1) for v in vals[:50]]
        if all(p is not None for p in parts):
            try:
                return node.left.value % tuple(parts)
            except (TypeError, ValueError):
                return None
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a = _fold(node.left, consts, depth + 1)
        b = _fold(node.right, consts, depth + 1)
        return a + b if a is not None and b is not None else None
    if isinstance(node, ast.JoinedStr):
        out = []
        for v in node.values:
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                out.append(v.value)
            elif isinstance(v, ast.FormattedValue):
                s = _fold(v.value, consts, depth + 1)
                out.append(s if s is not None else "{x}")
        return "".join(out)
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr == "join" and node.args:
            sep = _fold(f.value, consts, depth + 1)
            arg = node.args[0]
            codes = _char_codes(arg)
            if sep is not None and codes is not None:
                return sep.join(chr(c) for c in codes)
            if sep is not None and isinstance(arg, (ast.List, ast.Tuple)) and len(arg.elts) <= 500:
                parts = [_fold(e, consts, depth + 1) for e in arg.elts]
                if all(p is not None for p in parts):
                    return sep.join(parts)  # type: ignore[arg-type]
        if isinstance(f, ast.Attribute) and f.attr == "format" and not node.keywords:
            tmpl = _fold(f.value, consts, depth + 1)
            parts = [_fold(a, consts, depth + 1) for a in node.args[:50]]
            if tmpl is not None and all(p is not None for p in parts):
                try:
                    return tmpl.format(*parts)
                except (IndexError, KeyError, ValueError):
                    return None
        if isinstance(f, ast.Name) and not node.args and not node.keywords and f.id + "()" in consts:
            return consts[f.id + "()"]
        if isinstance(f, ast.Attribute) and f.attr == "decode" and isinstance(f.value, ast.Call) and \
                isinstance(f.value.func, ast.Name) and f.value.func.id in ("bytes", "bytearray") and f.value.args:
            codes = _int_list(f.value.args[0])
            if codes is not None and all(c < 256 for c in codes):
                return bytes(codes).decode("utf-8", errors="replace")
        if isinstance(f, ast.Name) and f.id == "chr" and node.args and isinstance(node.args[0], ast.Constant):
            v = node.args[0].value
            if isinstance(v, int) and 0 <= v < 0x110000:
                return chr(v)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        s = node.slice
        if s.lower is None and s.upper is None and isinstance(s.step, ast.UnaryOp) and isinstance(s.step.op, ast.USub):
            inner = _fold(node.value, consts, depth + 1)
            if inner is not None and isinstance(s.step.operand, ast.Constant) and s.step.operand.value == 1:
                return inner[::-1]
    return None


def _static_decode(name: str, node: ast.Call, consts: dict[str, str]) -> str | None:
    if not node.args:
        return None
    arg = node.args[0]
    raw: bytes | None = None
    if isinstance(arg, ast.Call):
        inner = _dotted(arg.func, {})
        if inner.split(".")[-1] in ("b64decode", "b85decode", "a85decode", "unhexlify", "fromhex"):
            s = _static_decode(inner if "." in inner else "base64." + inner, arg, consts)
            if s is None:
                return None
            raw = s.encode("latin-1", "ignore")
    if raw is None:
        s = _fold(arg, consts)
        if s is None or len(s) < 8:
            return None
        raw = s.encode("latin-1", "ignore")
    short = name.split(".")[-1]
    try:
        if short in ("b64decode", "decodebytes", "a2b_base64", "urlsafe_b64decode"):
            out = base64.b64decode(raw + b"=" * (-len(raw) % 4), altchars=b"-_" if b"-" in raw or b"_" in raw else None)
        elif short == "b85decode":
            out = base64.b85decode(raw)
        elif short == "a85decode":
            out = base64.a85decode(raw)
        elif short == "b32decode":
            out = base64.b32decode(raw)
        elif short in ("unhexlify", "fromhex"):
            out = binascii.unhexlify(re.sub(rb"\s", b"", raw))
        elif short == "decode" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and "rot" in str(node.args[1].value):
            return codecs.decode(raw.decode("latin-1"), "rot13")
        elif short == "decompress":
            out = zlib.decompress(raw)
        else:
            return None
    except (ValueError, binascii.Error, zlib.error, TypeError):
        return None
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError:
        return None
    good = sum(1 for c in text if c.isprintable() or c in "\n\t\r")
    return text if text and good / len(text) > 0.9 else None


CMD_OUTPUT = {"subprocess.check_output", "subprocess.getoutput", "subprocess.getstatusoutput", "os.popen",
              "commands.getoutput"}


def _path_text(node: ast.AST, consts: dict[str, str]) -> str | None:
    """Path.home() / '.aws' / 'credentials' -> '~/.aws/credentials' (constant parts only)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left = _path_text(node.left, consts)
        right = _fold(node.right, consts)
        if left is not None and right is not None:
            return left.rstrip("/") + "/" + right
        return None
    if isinstance(node, ast.Call):
        fn = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if fn == "home" or fn == "expanduser" and not node.args:
            inner = node.func.value if isinstance(node.func, ast.Attribute) else None
            return "~" if fn == "home" else (_path_text(inner, consts) if inner is not None else None)
        if fn in ("Path", "PurePath", "PosixPath") and node.args:
            parts = [_fold(a, consts) for a in node.args]
            return "/".join(p for p in parts if p is not None) if all(p is not None for p in parts) else None
    return _fold(node, consts)


# cloud SDK credential objects: the keys and tokens the SDK resolved from the user's configuration
_CLOUD_CRED_CALL = rxcache.compile(r"(boto3|botocore|[Ss]ession)\b.*\.get_credentials$|\.get_frozen_credentials$|^google\.auth\.(default|load_credentials_from_file)$|"
                              r"^google\.oauth2\.\w+\.(Credentials|IDTokenCredentials)\.from_\w+$|"
                              r"^google\.auth\.compute_engine\.\w*Credentials$|"
                              r"^azure\.identity\.(aio\.)?\w*Credential$|\bboto3\.\w+\(\)\.get_credentials\b")
# where a cloud credential authenticates: the provider's own API hosts
_CLOUD_HOSTS = rxcache.compile(r"(^|\.)(amazonaws\.com|amazonaws\.com\.cn|aws\.amazon\.com|api\.aws|googleapis\.com|google\.com|"
                          r"azure\.com|azure\.net|windows\.net|microsoftonline\.com|microsoft\.com|azure-api\.net|"
                          r"azurecr\.io|cloud\.google\.com)$")


def _cloud_cred(node: ast.AST, aliases: dict[str, str]) -> bool:
    # a bare get_credentials() or self.get_credentials() is the script's own helper, not the SDK's resolver
    return any(isinstance(c, ast.Call) and (isinstance(c.func, ast.Attribute) or "." in _dotted(c.func, aliases)) and
               not _dotted(c.func, aliases).startswith(("self.", "cls.")) and
               _CLOUD_CRED_CALL.search(_dotted(c.func, aliases)) for c in ast.walk(node))


def _source_kind(node: ast.AST, aliases: dict[str, str], consts: dict[str, str]) -> str | None:
    """'env' (whole environment), 'secret' (secret-named variable), 'cred' (credential file),
    'cloud' (a cloud SDK's resolved credentials: boto3 get_credentials, google.auth.default, an Azure
    credential object), 'cmd' (output of a local command: weaker, reported as an upload rather than
    a secret)."""
    cmd = None
    if _cloud_cred(node, aliases):
        return "cloud"
    for sub in ast.walk(node):
        if isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Div):
            s = _path_text(sub, consts)
            if s and (CRED_STORE.search(s) or re.search(r"(^|/)\.env$", s)):
                return "cred"
        if cmd is None and isinstance(sub, ast.Call):
            fn = _dotted(sub.func, aliases)
            if fn in CMD_OUTPUT or (fn == "subprocess.run" and any(k.arg in ("capture_output", "stdout") for k in sub.keywords)) \
                    or (fn.endswith(".communicate") or fn.endswith("().read") and "popen" in fn.lower()):
                cmd = "cmd"
        if isinstance(sub, ast.Attribute) and _dotted(sub, aliases) == "os.environ":
            parent_is_sub = False
            # os.environ[...] / os.environ.get(...) handled below; bare use means whole env
            return_kind = "env"
            for s2 in ast.walk(node):
                if isinstance(s2, ast.Subscript) and _dotted(s2.value, aliases) == "os.environ":
                    parent_is_sub = True
                if isinstance(s2, ast.Call) and _dotted(s2.func, aliases) in ("os.environ.get", "os.environ.pop"):
                    parent_is_sub = True
            if not parent_is_sub:
                return return_kind
        if isinstance(sub, ast.Subscript) and _dotted(sub.value, aliases) == "os.environ":
            key = _fold(sub.slice, consts) or ""
            if SECRET_NAME.search(key):
                return "secret"
        if isinstance(sub, ast.Call):
            fn = _dotted(sub.func, aliases)
            if fn in ("os.getenv", "os.environ.get", "os.environ.pop") and sub.args:
                key = _fold(sub.args[0], consts) or ""
                if SECRET_NAME.search(key):
                    return "secret"
            if fn.split(".")[-1] in ("open", "read_text", "read_bytes", "expanduser", "Path", "readFile") or fn == "open":
                for a in sub.args:
                    s = _fold(a, consts)
                    if s and (CRED_STORE.search(s) or re.search(r"(^|/)\.env\b", s) or "/proc/self/environ" in s):
                        return "cred"
    return cmd


def _renderer(node: ast.AST, fallback: str):
    """The source of a call, rendered only when a finding needs it."""

    def render() -> str:
        try:
            return ast.unparse(node)[:200]
        except (ValueError, RecursionError, AttributeError):
            return fallback

    return render


def _literal_prefix(node: ast.AST, consts: dict[str, str]) -> str:
    """The literal beginning of a string expression ('https://x/?d=' + secret -> 'https://x/?d=')."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _fold(node.left, consts) or _literal_prefix(node.left, consts)
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _fold(node.func.value, consts) or ""
    return ""


_AUTH_KW = {"headers", "auth", "cert", "timeout", "verify", "cookies"}


def _data_names(node: ast.AST) -> set[str]:
    """Names whose data flows into the value. Credentials handed to a request only to
    authenticate it (headers=, auth=) do not flow into its response."""
    skip: set[int] = set()
    for c in ast.walk(node):
        if isinstance(c, ast.Call):
            for k in c.keywords:
                if k.arg in _AUTH_KW:
                    skip.update(id(x) for x in ast.walk(k.value))
    return {x.id for x in ast.walk(node) if isinstance(x, ast.Name) and id(x) not in skip}


_PY_IDENTITY = {"getpass.getuser", "os.getcwd", "os.getlogin", "socket.gethostname", "platform.node", "os.uname",
                "pathlib.Path.cwd", "Path.cwd", "pathlib.Path.home", "Path.home"}


def _token_to_other_host(ctx: Ctx, file: str, call: ast.Call, url: str, source: str, aliases, consts, line: int) -> None:
    """A service token from the environment (FIGMA_TOKEN) put in the headers / auth of a request to a
    literal host that is not that service's official API host: the credential goes to a third
    party. Critical when the request also carries the user's name, host or working directory."""
    from skillbank.audit.textscan import OFFICIAL_API_HOSTS, _SECRET_VAR_NAME, _families, host_of
    if not url.startswith("http"):
        return
    host = host_of(url)
    if not host or "{x}" in host or host in ("localhost", "127.0.0.1") or re.match(r"(10|192\.168)\.", host):
        return
    nodes = [k.value for k in call.keywords if k.arg in ("headers", "auth", "params", "cookies")]
    if call.args and isinstance(call.args[0], ast.Call):  # urlopen(Request(url, headers={...}))
        nodes += [k.value for k in call.args[0].keywords if k.arg == "headers"]
    envs = set()
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Subscript) and _dotted(sub.value, aliases) == "os.environ":
                envs.add(str(_fold(sub.slice, consts) or ""))
            elif isinstance(sub, ast.Call) and sub.args and _dotted(sub.func, aliases) in ("os.getenv", "os.environ.get"):
                envs.add(str(_fold(sub.args[0], consts) or ""))
            elif isinstance(sub, ast.Name):
                m = re.search(r"(?m)^\s*" + re.escape(sub.id) + r"\s*=\s*os\.(?:environ\s*\[|environ\.get\s*\(|getenv\s*\()\s*"
                              r"['\"]([A-Z][A-Z0-9_]{2,60})['\"]", source)
                if m:
                    envs.add(m.group(1))
    envs = {e for e in envs if e and _SECRET_VAR_NAME.fullmatch(e) and _families(e)}
    other = sorted(e for e in envs if not any(host == h or host.endswith("." + h) for f in _families(e)
                                                for h in OFFICIAL_API_HOSTS[f]))
    if not other:
        return
    ident = any(isinstance(c, ast.Call) and (_dotted(c.func, aliases) in _PY_IDENTITY or
                                              _dotted(c.func, aliases).split(".")[-1] in ("getuser", "getcwd", "gethostname"))
                for k in call.keywords for c in ast.walk(k.value))
    ctx.add("EX-SECRET-UPLOAD", file, line, f"{other[0]} sent to {host}, not the service's own API host" +
            (" (with the user's name / host / working directory)" if ident else ""), "critical" if ident else "high",
            why="A service token is sent to a host that is not that service's official API: whoever runs the host "
                "receives the user's credential.")
    ctx.fact("secret_source", file, line, other[0])
    ctx.fact("net_send", file, line, f"{other[0]} -> {host}")


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def scan_python(ctx: Ctx, file: str, src: str, offset: int = 0, is_file: bool = False) -> None:
    from skillbank.audit.textscan import scan_code_text, scan_decoded

    if len(src) > MAX_SOURCE:
        src = src[:MAX_SOURCE]
    try:
        tree = ast.parse(src)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        if is_file:
            ctx.add("AU-UNREADABLE", file, 1, "Python file does not parse; analysed by patterns only", "info")
        return
    try:
        _scan_tree(ctx, file, tree, offset, scan_code_text, scan_decoded, src)
    except RecursionError:
        ctx.add("AU-UNREADABLE", file, offset + 1, "Python code too deeply nested to analyse", "low")
    from skillbank.audit.tokenflow import scan_token_flow
    scan_token_flow(ctx, file, src, "python", offset)


def _scan_tree(ctx: Ctx, file: str, tree: ast.AST, offset: int, scan_code_text, scan_decoded, source: str = "") -> None:
    aliases: dict[str, str] = {}
    consts: dict[str, str] = {}
    nodes = list(ast.walk(tree))
    if len(nodes) > 60000:
        nodes = nodes[:60000]
    for n in nodes:
        if isinstance(n, ast.Import):
            for a in n.names:
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(n, ast.ImportFrom) and n.module:
            for a in n.names:
                aliases[a.asname or a.name] = f"{n.module}.{a.name}"
    # constant strings bound to names (two passes so later folds see earlier names)
    assigns = [n for n in nodes if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)]
    attr_assigns = [n for n in nodes if isinstance(n, ast.Assign) and len(n.targets) == 1 and
                    isinstance(n.targets[0], ast.Attribute) and isinstance(n.targets[0].value, ast.Name)]
    helpers = [n for n in nodes if isinstance(n, ast.FunctionDef) and not n.args.args and not n.args.vararg]
    for _ in range(2):
        for n in assigns:
            v = _fold(n.value, consts)
            if v is not None:
                consts[n.targets[0].id] = v  # type: ignore[union-attr]
        for n in attr_assigns:
            v = _fold(n.value, consts)
            if v is not None:
                t = n.targets[0]
                consts[t.value.id + "." + t.attr] = v  # type: ignore[union-attr]
        for fd in helpers[:200]:
            rets = [r for r in ast.walk(fd) if isinstance(r, ast.Return) and r.value is not None]
            if len(rets) == 1:
                v = _fold(rets[0].value, consts)
                if v is not None:
                    consts[fd.name + "()"] = v
    # `m = importlib.import_module(<built name>)`: m is that module; a name spelled out of character
    # codes, pieces or a decode is hidden on purpose
    hidden_imports: set[str] = set()
    for n in assigns:
        v = n.value
        if isinstance(v, ast.Call) and _dotted(v.func, aliases) in ("importlib.import_module", "__import__") and v.args:
            mod = _fold(v.args[0], consts)
            if mod and re.fullmatch(r"[\w.]{1,100}", mod):
                aliases[n.targets[0].id] = mod  # type: ignore[union-attr]
                if not isinstance(v.args[0], ast.Constant):
                    hidden_imports.add(mod)
    # a parameter that every call site fills with the same literal (`report('https://x/r')`) holds
    # that literal: the value is fixed by the author, not taken from configuration
    funcs = {n.name: n for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if funcs:
        sites: dict[str, list[ast.Call]] = {}
        for n in nodes:
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in funcs:
                sites.setdefault(n.func.id, []).append(n)
        for fname, calls in list(sites.items())[:200]:
            params = [a.arg for a in funcs[fname].args.args]
            for i, pname in enumerate(params[:10]):
                if pname in consts:
                    continue
                vals = set()
                for c in calls[:50]:
                    arg = c.args[i] if i < len(c.args) else next((k.value for k in c.keywords if k.arg == pname), None)
                    v = _fold(arg, consts) if arg is not None and not isinstance(arg, ast.Starred) else None
                    vals.add(v)
                if len(vals) == 1 and None not in vals:
                    consts[pname] = vals.pop()
    # an endpoint assembled from string pieces (split literals, decoders, helpers, a Request object
    # around them) hides its host; one taken from configuration, a parameter or a response does not
    values: dict[str, ast.AST] = {n.targets[0].id: n.value for n in assigns}  # type: ignore[union-attr]
    helper_returns: dict[str, ast.AST] = {}
    for fd in helpers[:200]:
        rets = [r for r in ast.walk(fd) if isinstance(r, ast.Return) and r.value is not None]
        if len(rets) == 1:
            helper_returns[fd.name] = rets[0].value

    local_funcs = {n.name for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    local_funcs |= {n.targets[0].id for n in assigns if isinstance(n.value, ast.Lambda)}  # type: ignore[union-attr]

    def literalish(node: ast.AST | None, depth: int = 0) -> bool:
        if node is None or depth > 12:
            return False
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (str, bytes, int))
        if isinstance(node, ast.Name):
            return node.id in values and literalish(values[node.id], depth + 1)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            return literalish(node.left, depth + 1) and literalish(node.right, depth + 1)
        if isinstance(node, ast.JoinedStr):
            return all(literalish(v.value if isinstance(v, ast.FormattedValue) else v, depth + 1) for v in node.values)
        if isinstance(node, (ast.List, ast.Tuple)):
            return bool(node.elts) and all(literalish(e, depth + 1) for e in node.elts[:100])
        if isinstance(node, ast.Subscript):
            return literalish(node.value, depth + 1)
        if isinstance(node, ast.Call):
            fn = _dotted(node.func, aliases)
            short = node.func.attr if isinstance(node.func, ast.Attribute) else fn.split(".")[-1]
            if isinstance(node.func, ast.Name) and node.func.id in helper_returns and not node.args:
                return literalish(helper_returns[node.func.id], depth + 1)
            if isinstance(node.func, ast.Name) and node.func.id in local_funcs and (node.args or node.keywords) and \
                    all(literalish(a, depth + 1) for a in list(node.args)[:40] + [k.value for k in node.keywords][:20]):
                # a local helper fed only literals (`_u("ht", "tps://", "collect.", ...)`): the result is
                # fixed by the author, however the helper assembles it
                return True
            if short == "Request":
                return bool(node.args) and literalish(node.args[0], depth + 1)
            if fn in DECODERS or short in _STR_OPS:
                recv = node.func.value if isinstance(node.func, ast.Attribute) and short in _STR_OPS else None
                if isinstance(recv, ast.Name) and recv.id in aliases:
                    recv = None  # a module function (codecs.encode), not a string method
                parts = ([recv] if recv is not None else []) + list(node.args)
                return bool(parts) and all(literalish(p, depth + 1) for p in parts) and (
                    recv is None or not isinstance(recv, ast.Name) or recv.id in values)
        return False


    def L(node: ast.AST) -> int:
        return offset + getattr(node, "lineno", 1)

    # taint: names holding secrets/env/credential data, and decoded or fetched data.
    # Facts per assignment are computed once; propagation then only does set operations.
    env_aware = any(k in source for k in ("environ", "getenv", "open(", "read_", "subprocess", "popen", "home()",
                                          "credentials", "Credential", "google.auth", "get_token"))
    facts = []
    for n in nodes:
        if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and n.value is not None:
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            tnames = [tn.id for t in targets for tn in ast.walk(t) if isinstance(tn, ast.Name)]
            sub = list(ast.walk(n.value))
            names = _data_names(n.value)
            calls = [_dotted(c.func, aliases) for c in sub if isinstance(c, ast.Call)]
            kind = _source_kind(n.value, aliases, consts) if env_aware else None
            decoded = any(c in DECODERS or c.split(".")[-1] in ("b64decode", "b85decode", "fromhex", "decompress", "unhexlify", "a85decode")
                          for c in calls)
            fetched = any(c.split(".")[-1] in ("get", "urlopen", "read") and re.search(r"requests|urllib|urlopen|httpx", c)
                          for c in calls)
            facts.append((tnames, names, kind, decoded, fetched))
        elif isinstance(n, ast.For) and env_aware and _source_kind(n.iter, aliases, consts) == "env":
            facts.append(([tn.id for tn in ast.walk(n.target) if isinstance(tn, ast.Name)], set(), "secret", False, False))
            body_src = " ".join(str(c.value) for b in n.body for c in ast.walk(b)
                                if isinstance(c, ast.Constant) and isinstance(c.value, str))
            if SECRET_NAME.search(body_src) or re.search(r"KEY|TOKEN|SECRET|PASS", body_src):
                ctx.add("EX-SECRET-HARVEST", file, L(n), "loop over os.environ filtering secret names")
                ctx.fact("secret_source", file, L(n), "env filter loop")
    # `with open(path) as f:` binds f to the opened file just as `f = open(path)` would
    if env_aware:
        for n in nodes:
            if isinstance(n, (ast.With, ast.AsyncWith)):
                for item in n.items[:10]:
                    if isinstance(item.optional_vars, ast.Name):
                        facts.append(([item.optional_vars.id],
                                      {x.id for x in ast.walk(item.context_expr) if isinstance(x, ast.Name)},
                                      _source_kind(item.context_expr, aliases, consts), False, False))
    # a function returning secret data taints its calls: `def grab(): return open(KEY).read()` then
    # `post(url, data=grab())` is the same flow split across functions
    if env_aware:
        for fd in [n for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))][:300]:
            for r in ast.walk(fd):
                if isinstance(r, ast.Return) and r.value is not None:
                    facts.append(([fd.name], _data_names(r.value),
                                  _source_kind(r.value, aliases, consts), False, False))
    tainted: dict[str, str] = {}
    decoded_names: set[str] = set()
    fetched_names: set[str] = set()
    for _ in range(3):
        for tnames, names, kind, decoded, fetched in facts:
            k = kind or next((tainted[nm] for nm in names if nm in tainted), None)
            dec = decoded or bool(names & decoded_names)
            fet = fetched or bool(names & fetched_names)
            for tn in tnames:
                if k:
                    tainted[tn] = k
                if dec:
                    decoded_names.add(tn)
                if fet:
                    fetched_names.add(tn)

    maybe_traversal = "open(" in source and ("os.path.join" in source or 'f"/' in source or "f'/" in source)
    sql_names = set()
    for n in assigns:
        v = n.value
        if isinstance(v, (ast.JoinedStr, ast.BinOp)) and _names_in(v) and SQL.search(_fold(v, {}) or ast.unparse(v)):
            sql_names.add(n.targets[0].id)  # type: ignore[union-attr]
    net_used = False
    for n in nodes:
        if isinstance(n, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
            elts = n.values if isinstance(n, ast.Dict) else n.elts
            if len(elts) <= 200:
                secrets = sum(1 for e in elts if _source_kind(e, aliases, consts) == "secret")
                if secrets >= 2:
                    ctx.add("EX-SECRET-HARVEST", file, L(n), f"{secrets} secret environment variables collected together")
                    ctx.fact("secret_source", file, L(n), "secret env collection")
        if isinstance(n, ast.While) and isinstance(n.test, ast.Constant) and n.test.value is True:
            exits = any(isinstance(c, (ast.Break, ast.Return, ast.Raise)) for b in n.body for c in ast.walk(b))
            waits = any(isinstance(c, ast.Call) and re.search(r"sleep|wait|recv|accept|get|read|input|select|poll",
                                                                _dotted(c.func, aliases) or "")
                        for b in n.body for c in ast.walk(b))
            if not exits and not waits:
                ctx.add("PE-RESOURCE", file, L(n), "while True loop with no exit and no wait")
        if isinstance(n, ast.FunctionDef) and maybe_traversal:
            _path_traversal(ctx, file, n, aliases, L)
        if not isinstance(n, ast.Call):
            continue
        fn = _dotted(n.func, aliases)
        hidden_call = False
        if isinstance(n.func, ast.Call) and _dotted(n.func.func, aliases) == "getattr" and len(n.func.args) >= 2:
            # getattr(builtins, 'ex' + 'ec')(...) is exec(...), reached by a name built at run time
            owner = _dotted(n.func.args[0], aliases)
            attr = _fold(n.func.args[1], consts)
            if attr and re.fullmatch(r"\w{1,60}", attr):
                fn = ("" if owner in ("builtins", "__builtins__") else owner + ".") + attr
                hidden_call = not isinstance(n.func.args[1], ast.Constant)
        short = fn.split(".")[-1]
        S = _renderer(n, fn)
        # decode calls with literal input: decode statically and analyse the result
        if fn in DECODERS or short in ("b64decode", "b85decode", "a85decode", "b32decode", "fromhex", "unhexlify"):
            decoded = _static_decode(fn, n, consts)
            if decoded:
                scan_decoded(ctx, file, L(n), decoded, f"{short}() literal")
            if short in ("b85decode", "a85decode"):
                ctx.add("OB-OBFUSCATION", file, L(n), S())
        if fn == "marshal.loads":
            ctx.add("OB-OBFUSCATION", file, L(n), S(), "high")
            ctx.fact("obfuscation", file, L(n), S())
        if fn in ("eval", "exec", "compile", "builtins.eval", "builtins.exec"):
            arg = n.args[0] if n.args else None
            if arg is None or isinstance(arg, ast.Constant):
                continue
            names = _names_in(arg)
            inner_calls = {_dotted(c.func, aliases) for c in ast.walk(arg) if isinstance(c, ast.Call)}
            if names & decoded_names or inner_calls & DECODERS or any(c.split(".")[-1] in ("b64decode", "b85decode", "decompress", "fromhex", "unhexlify") for c in inner_calls):
                ctx.add("OB-DECODE-EXEC", file, L(n), S())
                ctx.fact("obfuscation", file, L(n), S())
            elif names & fetched_names or any(re.search(r"requests|urlopen|httpx|urllib", c) for c in inner_calls):
                if hidden_imports or hidden_call:
                    # fetched code run through a module or builtin whose name was hidden: a disguised loader
                    ctx.add("OB-DECODE-EXEC", file, L(n), S() + "  (fetched code run through names built to hide them: "
                            + ", ".join(sorted(hidden_imports) + (["exec/eval via getattr"] if hidden_call else [])) + ")",
                            "critical")
                    ctx.fact("obfuscation", file, L(n), S())
                ctx.add("SC-DOWNLOAD-EXEC", file, L(n), S())
                ctx.fact("remote_exec", file, L(n), S())
            elif any(c.endswith("read") or c == "open" for c in inner_calls) or "open" in inner_calls:
                ctx.add("PE-CODE-EXEC", file, L(n), S(), "high")
            else:
                ctx.add("PE-CODE-EXEC", file, L(n), S())
        elif fn in ("__import__", "importlib.import_module") and n.args and not isinstance(n.args[0], ast.Constant):
            mod = _fold(n.args[0], consts)
            if mod is None:
                # plugin loaders do this; a module name that was decoded is obfuscation
                hidden = bool(_names_in(n.args[0]) & decoded_names)
                ctx.add("OB-OBFUSCATION", file, L(n), S(), "high" if hidden else "low")
            else:
                ctx.add("OB-OBFUSCATION", file, L(n), f"{S()}  (module name built from pieces: {mod})", "low")
        elif fn in SHELL_CALLS or (fn in SUBPROCESS and any(k.arg == "shell" and isinstance(k.value, ast.Constant) and k.value.value is True for k in n.keywords)):
            arg = n.args[0] if n.args else None
            if arg is not None and not isinstance(arg, ast.Constant):
                folded = _fold(arg, consts)
                if folded is None or "{x}" in folded:
                    names = _names_in(arg)
                    inner = {_dotted(c.func, aliases) for c in ast.walk(arg) if isinstance(c, ast.Call)}
                    if names & (decoded_names | fetched_names) or any(c.split(".")[-1] in ("b64decode", "decompress")
                                                                      for c in inner):
                        ctx.add("OB-DECODE-EXEC" if names & decoded_names else "SC-DOWNLOAD-EXEC", file, L(n), S())
                    elif any(tainted.get(nm) in ("env", "secret", "cred", "cloud") for nm in names):
                        ctx.add("PE-CODE-EXEC", file, L(n), S(), "high")
                    else:
                        # a shell command built from input: legitimate in CLI helpers, risky with untrusted input
                        ctx.add("PE-CODE-EXEC", file, L(n), S(), "low")
        elif fn in ("pickle.loads", "pickle.load", "cPickle.loads", "dill.loads"):
            ctx.add("PE-VULN-CODE", file, L(n), S(), "low")
        elif short in ("execute", "executemany", "executescript") and n.args:
            a = n.args[0]
            if isinstance(a, ast.Name) and a.id in sql_names and len(n.args) == 1:
                ctx.add("PE-VULN-CODE", file, L(n), "SQL built from strings: " + S())
            if isinstance(a, (ast.JoinedStr, ast.BinOp)) or (isinstance(a, ast.Call) and _dotted(a.func, {}).endswith("format")):
                text = _fold(a, consts) or ast.unparse(a)
                if SQL.search(text) and isinstance(a, (ast.JoinedStr, ast.BinOp, ast.Call)) and _names_in(a):
                    ctx.add("PE-VULN-CODE", file, L(n), "SQL built from strings: " + S())
        # network sinks fed by tainted data
        if fn in NET_SINKS or short in ("post", "put", "patch", "sendall", "send", "sendto", "urlopen", "sendmail") and re.search(
                r"requests|httpx|urllib|socket|sock|smtp|session|client|conn|s$", fn):
            net_used = True
            data_nodes = list(n.args) + [k.value for k in n.keywords if k.arg not in ("headers", "auth", "cert", "timeout", "verify")]
            from skillbank.audit.textscan import first_party, url_trusted
            url_node = n.args[0] if n.args else next((k.value for k in n.keywords if k.arg == "url"), None)
            if isinstance(url_node, ast.Call) and _dotted(url_node.func, aliases).split(".")[-1] == "Request":
                url_node = url_node.args[0] if url_node.args else next(
                    (k.value for k in url_node.keywords if k.arg == "url"), url_node)
            url = _fold(url_node, consts) if url_node is not None else None
            url = url or (_literal_prefix(url_node, consts) if url_node is not None else "") or ""
            url_names = _names_in(url_node) if url_node is not None else set()
            unresolved = False
            if url_names & decoded_names:
                trusted = False  # endpoint hidden behind an encoding
            elif url.startswith("http") and "{x}" not in url.split("/")[2:3][0] if url.startswith("http") and len(url.split("/")) > 2 else False:
                trusted = url_trusted(url, ctx.trusted_hosts)
            elif url_node is not None and (url.startswith("{x}") or (not url and url_names)):
                # the host comes from configuration: the user's own service; a name that is neither
                # configuration nor a parameter (a Request object, a helper) is resolved below
                trusted = not (url_names & decoded_names)
                unresolved = not url.startswith("{x}") and literalish(url_node)
            else:
                trusted = bool(url) and url_trusted(url, ctx.trusted_hosts)
            _token_to_other_host(ctx, file, n, url, source, aliases, consts, L(n))
            kinds = set()
            # a cloud SDK credential authenticates to its provider; in the headers / auth of a request to
            # any other host it is handed over (headers otherwise only authenticate, see data_nodes)
            for k in n.keywords:
                if k.arg in ("headers", "auth") and (_cloud_cred(k.value, aliases) or any(
                        tainted.get(nm) == "cloud" for nm in _names_in(k.value))):
                    kinds.add("cloud")
            for d in data_nodes:
                k = _source_kind(d, aliases, consts)
                if k:
                    kinds.add(k)
                for nm in _names_in(d):
                    if nm in tainted:
                        kinds.add(tainted[nm])
            # urlopen(url) with no body is a GET: a read, like requests.get
            if "cloud" in kinds and url.startswith("http"):
                from skillbank.audit.textscan import host_of
                if _CLOUD_HOSTS.search(host_of(url) or ""):
                    kinds.discard("cloud")  # the provider's own API: the SDK credential doing its job
            read_only_call = short == "get" or short == "urlopen" and len(n.args) < 2 and not any(
                k.arg == "data" for k in n.keywords) and not (
                isinstance(n.args[0] if n.args else None, ast.Call) and any(
                    k.arg in ("data", "method") for k in n.args[0].keywords)) and not (
                n.args and isinstance(n.args[0], ast.Name) and re.search(r"Request\([^)]{0,300}\b(data|method)\s*=", source))
            if read_only_call and not kinds:
                continue
            raw_ip = _RAW_PUBLIC_IP.match(url)
            cmd_out = "cmd" in kinds
            kinds.discard("cmd")
            files_sent = any(k.arg == "files" for k in n.keywords) or any(
                isinstance(c, ast.Call) and (_dotted(c.func, aliases) == "open" or
                                             _dotted(c.func, aliases).split(".")[-1] in ("read_bytes", "read_text"))
                for d in data_nodes for c in ast.walk(d))
            code_host = bool(_CODE_HOSTS.match(url)) or (url.startswith("http") and first_party(url, ctx.identity))
            if (not trusted or unresolved) and short != "get" and (
                    raw_ip and (files_sent or cmd_out or kinds) or
                    cmd_out and (url.startswith("http") or unresolved) and not code_host):
                ctx.add("EX-UPLOAD", file, L(n), ("local data to a raw IP: " if raw_ip else "command output sent out: ") + S(),
                        "high" if raw_ip else "medium",
                        why="Local files or the output of local commands (repository diffs, remotes, system "
                            "information) are posted to a host the skill hard-codes.")
            if kinds and not trusted and url.startswith("http"):
                # a key named after the service it authenticates to (OPENWEATHER_KEY -> openweathermap.org)
                from skillbank.audit.textscan import secret_names_host
                keys = [str(_fold(sub.slice, consts) or "") for d in data_nodes for sub in ast.walk(d)
                        if isinstance(sub, ast.Subscript) and _dotted(sub.value, aliases) == "os.environ"]
                keys += [str(_fold(sub.args[0], consts) or "") for d in data_nodes for sub in ast.walk(d)
                         if isinstance(sub, ast.Call) and sub.args and
                         _dotted(sub.func, aliases) in ("os.getenv", "os.environ.get")]
                keys += [nm for d in data_nodes for nm in _names_in(d) if nm in tainted]
                trusted = secret_names_host([k for k in keys if k], [url])
                if not trusted and kinds == {"secret"}:
                    # a credential family's token sent to that service's official API host, in a
                    # script whose secrets all belong to that family (a Telegram / Slack notifier)
                    from skillbank.audit.textscan import env_secrets_for_host, secrets_only_for
                    # or every secret the script reads from the environment is named after the host
                    # (ETHERSCAN_API_KEY read into API_KEY and sent to api.etherscan.io)
                    trusted = secrets_only_for(source, url) or env_secrets_for_host(source, url)
            if kinds:
                sev = "low" if trusted else "critical"
                if trusted and unresolved:
                    # a secret leaves to an endpoint the code does not take from configuration
                    sev = "high"
                ctx.add("EX-SECRET-UPLOAD", file, L(n), f"{'/'.join(sorted(kinds))} data reaches {short}(): {S()}", sev)
                if not trusted:
                    ctx.fact("secret_source", file, L(n), S())
            if not trusted and not read_only_call:
                ctx.fact("net_send", file, L(n), S())
    if net_used:
        ctx.fact("py_net", file, offset + 1, "python network use")
    # DNS exfiltration: names built at run time from data the script encodes and reads
    if ("gethostbyname" in source or "getaddrinfo" in source or "resolver" in source) and _PY_DNS_ENCODE.search(source) \
            and _PY_DNS_DATA.search(source):
        for c in nodes:
            if isinstance(c, ast.Call) and c.args and not isinstance(c.args[0], ast.Constant) and \
                    _dotted(c.func, aliases).split(".")[-1] in ("gethostbyname", "gethostbyname_ex", "getaddrinfo",
                                                                  "resolve", "query") and \
                    re.search(r"socket|resolver|dns", _dotted(c.func, aliases)):
                ctx.add("EX-DNS", file, L(c), "lookup of a name built from encoded data: " + _renderer(c, "lookup")())
                ctx.fact("net_send", file, L(c), "dns lookup")
                break
    calls_made = {_dotted(c.func, aliases) for c in nodes if isinstance(c, ast.Call)}
    if any(c.endswith(".connect") or c.endswith("create_connection") for c in calls_made) and "os.dup2" in calls_made and (
            any(c.startswith("socket") for c in calls_made) or "pty.spawn" in calls_made or
            any(c.startswith("subprocess") for c in calls_made)):
        line = next((L(c) for c in nodes if isinstance(c, ast.Call) and _dotted(c.func, aliases) == "os.dup2"), offset + 1)
        ctx.add("PE-REVERSE-SHELL", file, line, "socket connected and dup2'ed onto the standard streams")
        ctx.fact("revshell", file, line, "dup2")
    # assembled strings (split-string tricks): scan what the code builds
    assembled = []
    for n in nodes:
        if isinstance(n, (ast.BinOp, ast.JoinedStr, ast.Call, ast.Subscript)) and not isinstance(n, ast.Constant):
            s = _fold(n, consts)
            if s and len(s) >= 8 and ("\n" not in s or len(s) < 2000):
                assembled.append((L(n), s))
    seen = set()
    for line, s in assembled[:300]:
        if s in seen:
            continue
        seen.add(s)
        sub = ctx.child(1)
        scan_code_text(sub, file, s)
        for f in sub.findings.values():
            if f.severity in ("medium", "high", "critical"):
                ctx.add(f.rule_id, file, line, "[assembled string] " + s[:150], f.severity)
        for k, v in sub.facts.items():
            for _, _, ev in v:
                ctx.fact(k, file, line, ev)


def _path_traversal(ctx: Ctx, file: str, fn: ast.FunctionDef, aliases, L) -> None:
    params = {a.arg for a in fn.args.args}
    if not params:
        return
    body_src = ast.unparse(fn) if hasattr(ast, "unparse") else ""
    if PATH_GUARDS.search(body_src):
        return
    joined: set[str] = set()
    for n in ast.walk(fn):
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and _dotted(n.value.func, aliases) == "os.path.join":
            args = n.value.args
            if len(args) >= 2 and any(isinstance(a, ast.Name) and a.id in params for a in args[1:]):
                base = args[0]
                if isinstance(base, ast.Constant) and isinstance(base.value, str) and base.value.startswith("/"):
                    for t in n.targets:
                        if isinstance(t, ast.Name):
                            joined.add(t.id)
    for n in ast.walk(fn):
        # f"/abs/dir/{param}" style paths
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.JoinedStr) and len(n.targets) == 1 and \
                isinstance(n.targets[0], ast.Name):
            parts = n.value.values
            if parts and isinstance(parts[0], ast.Constant) and str(parts[0].value).startswith("/") and any(
                    isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name) and v.value.id in params
                    for v in parts):
                joined.add(n.targets[0].id)
    for n in ast.walk(fn):
        if isinstance(n, ast.Call) and _dotted(n.func, aliases) == "open" and n.args:
            a = n.args[0]
            if isinstance(a, ast.Name) and a.id in joined:
                ctx.add("PE-VULN-CODE", file, L(n), "path from a parameter opened without containment check")
                return
