"""Service tokens to someone else's host, text-level, for Python and JS/TS: a credential whose name
carries a service label (HUBSPOT_TOKEN, cfg["hubspot_token"], settings.slackToken) -- read from the
environment, from a configuration file, or handed to a function as an argument -- that appears in a
request to a literal host whose registrable label is not that service's (a "license check" or
"validation" endpoint) is exfiltration. A token sent to its own service's host (label or official
API table), to localhost / a private address, and generic names (API_KEY, token) carry no label and
are left to the other passes."""

from __future__ import annotations

import re

from skillbank.audit.context import Ctx

_KEYWORD = r"(?:token|api_?key|apikey|secret|access_?key|auth_?key|private_?key|password)"
_SECRET_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*?" + _KEYWORD + r"[A-Za-z0-9_]*", re.I)
_CONFIG_READ = re.compile(r"\bjson\.loads?\s*\(|\byaml\.(safe_)?load\s*\(|\btoml(lib)?\.loads?\s*\(|\bconfigparser\b|"
                          r"\bdotenv_values\s*\(|\bJSON\.parse\s*\(|\brequire\s*\(\s*['\"`][^'\"`]+\.json['\"`]|"
                          r"\bimport\s+\w+\s+from\s+['\"`][^'\"`]+\.json['\"`]|\breadFileSync\s*\(|\bread_text\s*\(")
_ENV_ASSIGN = re.compile(r"(?:\b(?:const|let|var)\s+)?\b([A-Za-z_$][\w$]{0,40})\s*=\s*(?:os\.(?:environ\s*\[|environ\.get\s*\(|getenv\s*\()"
                         r"\s*['\"]([A-Z][A-Z0-9_]{2,60})['\"]|process\.env(?:\.([A-Z][A-Z0-9_]{2,60})|\[\s*['\"`]([A-Z][A-Z0-9_]{2,60})"
                         r"['\"`]\s*\]))")
_ENV_EXPR = re.compile(r"os\.(?:environ\s*\[|environ\.get\s*\(|getenv\s*\()\s*['\"]([A-Z][A-Z0-9_]{2,60})['\"]\s*[\])]?|"
                       r"process\.env(?:\.([A-Z][A-Z0-9_]{2,60})|\[\s*['\"`]([A-Z][A-Z0-9_]{2,60})['\"`]\s*\])")
# cfg["hubspot_token"], cfg.get("hubspot_token"), settings.hubspotToken, config['crm']['hubspot_api_key']
_CFG_EXPR = re.compile(r"\b[A-Za-z_$][\w$]{0,40}(?:\[\s*['\"][\w-]{1,40}['\"]\s*\]|\.[A-Za-z_$][\w$]{0,40}){0,3}"
                       r"(?:\[\s*['\"]([\w-]{1,60})['\"]\s*\]|\.get\(\s*['\"]([\w-]{1,60})['\"]|\.([A-Za-z_$][\w$]{1,60}))")
_CFG_ASSIGN = re.compile(r"(?:\b(?:const|let|var)\s+)?\b([A-Za-z_$][\w$]{0,40})\s*=\s*(" + _CFG_EXPR.pattern + r")")
_PY_DEF = re.compile(r"\bdef\s+([A-Za-z_]\w{0,60})\s*\(([^)]{0,300})\)")
_JS_DEF = re.compile(r"\bfunction\s+([A-Za-z_$][\w$]{0,60})\s*\(([^)]{0,300})\)|"
                     r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]{0,60})\s*=\s*(?:async\s*)?\(([^)]{0,300})\)\s*=>")
_SINK = re.compile(r"\brequests\.(?:post|put|patch|get|request)\s*\(|\bhttpx\.(?:post|put|patch|get|request)\s*\(|"
                   r"\b(?:session|client|s)\.(?:post|put|patch)\s*\(|\burllib\.request\.Request\s*\(|\bRequest\s*\(|\burlopen\s*\(|"
                   r"\bfetch\s*\(|\baxios(?:\.(?:post|put|patch|get|request))?\s*\(|\bgot(?:\.(?:post|put))?\s*\(|"
                   r"\bhttps?\.request\s*\(")
_URL = re.compile(r"https?://([\w.-]+)")


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _labelled(name: str) -> bool:
    from skillbank.audit.textscan import _families, service_label_of
    return bool(_SECRET_KEY.fullmatch(name)) and bool(service_label_of(_snake(name)) or _families(_snake(name)))


def _own_host(name: str, url: str, host: str) -> bool:
    from skillbank.audit.textscan import labelled_for_host, official_api_host
    snake = _snake(name)
    return labelled_for_host(snake, host) or official_api_host([snake.upper()], url)


def scan_token_flow(ctx: Ctx, file: str, src: str, lang: str, offset: int = 0) -> None:
    from skillbank.audit.textscan import host_of, local_address
    src = src[:200_000]
    low = src.lower()
    if not re.search(_KEYWORD, low) or not _SINK.search(src):
        return
    tokens: dict[str, str] = {}  # variable / parameter name -> credential name (its label)
    exprs: list[tuple[re.Pattern, str]] = []
    for m in _ENV_ASSIGN.finditer(src):
        env = m.group(2) or m.group(3) or m.group(4)
        if _labelled(env):
            tokens[m.group(1)] = env
    configured = bool(_CONFIG_READ.search(src))
    if configured:
        for m in _CFG_ASSIGN.finditer(src):
            key = m.group(3) or m.group(4) or m.group(5)
            if key and _labelled(key):
                tokens[m.group(1)] = key
    # a token handed to a function: the parameter in that position carries it
    defs = [(m.group(1) or m.group(3), m.group(2) if m.group(1) else m.group(4))
            for m in (_PY_DEF if lang == "python" else _JS_DEF).finditer(src)]
    for _ in range(2):
        for fname, params in defs[:200]:
            names = [re.split(r"[:=\s]", p.strip().lstrip("*{"), maxsplit=1)[0] for p in params.split(",")]
            for c in re.finditer(r"(?<![\w$.])" + re.escape(fname) + r"\s*\(((?:[^()\n]|\([^()\n]{0,120}\)){0,300})\)", src):
                if re.search(r"\b(def|function)\s*$", src[max(0, c.start() - 12):c.start()]):
                    continue
                args = re.split(r",(?![^()]*\))", c.group(1))
                for i, arg in enumerate(a.strip() for a in args):
                    if i >= len(names) or not names[i] or names[i] in ("self", "cls"):
                        continue
                    cred = tokens.get(arg)
                    if cred is None:
                        e = _ENV_EXPR.fullmatch(arg)
                        env = e and (e.group(1) or e.group(2) or e.group(3))
                        if env and _labelled(env):
                            cred = env
                        elif configured:
                            k = _CFG_EXPR.fullmatch(arg)
                            key = k and (k.group(1) or k.group(2) or k.group(3))
                            if key and _labelled(key):
                                cred = key
                    if cred:
                        tokens.setdefault(names[i], cred)
    exprs = [(re.compile(r"(?<![\w$.])" + re.escape(n) + r"(?![\w$])"), cred) for n, cred in tokens.items()]
    for s in _SINK.finditer(src):
        call = src[s.start():s.start() + 600]
        end = re.search(r"\)\s*;?\s*\n(?!\s+[\w\"'{}\]),.]|\s*[\]})])|\n\s*\n", call)
        call = call[:end.end()] if end else call[:400]
        u = _URL.search(call)
        if not u:
            continue
        host = host_of(u.group(0))
        if not host or local_address(host) or \
                re.search(r"\.(example|invalid|test|local|localhost|internal)$|(^|\.)example\.(com|org|net)$|(^|[.-])your[-.]", host):
            continue  # a local or placeholder host (your-service.example) names no third party
        used = [cred for rx, cred in exprs if rx.search(call)]
        for e in _ENV_EXPR.finditer(call):
            env = e.group(1) or e.group(2) or e.group(3)
            if _labelled(env):
                used.append(env)
        if configured:
            for k in _CFG_EXPR.finditer(call):
                key = k.group(1) or k.group(2) or k.group(3)
                if key and _labelled(key) and not k.group(0).startswith(("os.", "process.")):
                    used.append(key)
        other = [c for c in used if not _own_host(c, u.group(0), host)]
        if not other:
            continue
        ln = offset + src.count("\n", 0, s.start()) + 1
        ctx.add("EX-SECRET-UPLOAD", file, ln, f"{other[0]} sent to {host}, a host that is not that service's", "high",
                why="A credential named after one service is sent to another party's host (a 'license check' or "
                    "'validation' endpoint): whoever runs that host receives the user's token.")
        ctx.fact("secret_source", file, ln, other[0])
        ctx.fact("net_send", file, ln, f"{other[0]} -> {host}")
        return
