"""CI workflow configuration (round 9): GitHub Actions, GitLab CI, Azure Pipelines, Bitbucket,
CircleCI -- as files the skill ships or as fenced YAML blocks it tells the agent to add.

Text-level, like `k8sscan` (never parsed as YAML, so a fragment in a Markdown block reads the same):

* `${{ toJSON(secrets) }}` (every repository secret at once) in a workflow that sends anything to a
  literal host other than the forge's own API: `EX-SECRET-UPLOAD` critical; on its own (printed,
  written to a file) `EX-SECRET-HARVEST` high.
* `${{ secrets.X }}` -- directly or through an `env:` name -- in a step whose command sends it with
  curl / wget / Invoke-WebRequest to a literal host that is neither the forge nor the official API
  host of X's service: `EX-SECRET-UPLOAD` high. A secret handed to the tool that needs it (`npm
  publish` with NODE_AUTH_TOKEN, `gh` with GH_TOKEN, api.github.com with GITHUB_TOKEN) or to a host
  that itself comes from a secret / variable (the user's own webhook) is not flagged.
* `pull_request_target` (runs with the base repository's secrets and a write token) together with a
  checkout of the pull request's head and a step that runs what was checked out: `PE-ROOT-ABUSE`
  high; `permissions: write-all` medium (high beside `pull_request_target`).
"""

from __future__ import annotations

import re

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx

PREFILTER = rxcache.compile(r"secrets|pull_request_target|write-all", re.I)
WORKFLOW_PATH = rxcache.compile(r"(^|/)(\.github/workflows/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|azure-pipelines\.ya?ml|"
                           r"bitbucket-pipelines\.ya?ml|\.circleci/config\.ya?ml|\.gitea/workflows/[^/]+\.ya?ml|"
                           r"\.forgejo/workflows/[^/]+\.ya?ml|\.woodpecker\.ya?ml)$", re.I)
_ALL_SECRETS = rxcache.compile(r"\$\{\{\s*to_?json\s*\(\s*secrets\s*\)\s*\}\}", re.I)
_SECRET_REF = rxcache.compile(r"\$\{\{\s*secrets\.([A-Za-z_][\w-]*)\s*\}\}")
_ENV_BIND = rxcache.compile(r"(?m)^\s*([A-Za-z_]\w*)\s*:\s*['\"]?\$\{\{\s*(secrets\.([A-Za-z_][\w-]*)|to_?json\s*\(\s*secrets\s*\))\s*\}\}",
                       re.I)
_NET_CMD = rxcache.compile(r"\b(curl|wget|https?(?=\s)|Invoke-WebRequest|Invoke-RestMethod|iwr|irm|nc|ncat)\b[^\n]*?"
                      r"\b(https?://[^\s'\"`)]+|[\w.-]+\.[a-z]{2,}(?::\d+)?/[^\s'\"`)]*)", re.I)
_STEP_START = rxcache.compile(r"^(\s*)-\s+(name|uses|run|env|with|id|if|shell|working-directory|script|bash|pwsh|powershell|"
                         r"task|displayName|continue-on-error|timeout-minutes)\s*:")
_FORGE_HOSTS = rxcache.compile(r"(^|\.)(github\.com|githubusercontent\.com|gitlab\.com|bitbucket\.org|dev\.azure\.com|"
                          r"visualstudio\.com|circleci\.com)$")
_PRT = rxcache.compile(r"(?m)^\s*(on\s*:\s*\[?[^\n]*\bpull_request_target\b|pull_request_target\s*:|-\s*pull_request_target\b)")
_HEAD_CHECKOUT = rxcache.compile(r"\bref\s*:\s*['\"]?\$\{\{\s*(github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref)|"
                            r"refs/pull/\$\{\{[^}]*\}\}/(head|merge)|\bgh\s+pr\s+checkout\b|"
                            r"git\s+(fetch|checkout)\b[^\n]*\$\{\{\s*(github\.event\.pull_request\.head|github\.head_ref)")
_RUNS_CODE = rxcache.compile(r"(?m)^\s*(-\s+)?run\s*:|^\s*-?\s*uses\s*:\s*['\"]?\./")
_WRITE_ALL = rxcache.compile(r"(?m)^\s*permissions\s*:\s*['\"]?write-all\b")


def _host(url: str) -> str:
    u = re.sub(r"^https?://", "", url, flags=re.I)
    return re.split(r"[/:?#]", u, maxsplit=1)[0].lower().rstrip(".")


def _literal(host: str) -> bool:
    return bool(host) and "$" not in host and "{" not in host and "." in host and \
        host not in ("localhost",) and not re.match(r"(127\.|10\.|192\.168\.)", host)


def _steps(text: str) -> list[tuple[int, str]]:
    """(start offset, text) of each step / job script item; lines outside any step stay with the
    previous one (workflow and job `env:` are read separately)."""
    out: list[tuple[int, str]] = []
    pos = 0
    cur_start, cur, indent = 0, [], None
    for line in text.split("\n"):
        m = _STEP_START.match(line)
        if m and (indent is None or len(m.group(1)) <= indent):
            if cur:
                out.append((cur_start, "\n".join(cur)))
            cur_start, cur, indent = pos, [line], len(m.group(1))
        else:
            cur.append(line)
        pos += len(line) + 1
    if cur:
        out.append((cur_start, "\n".join(cur)))
    return out


def _official(secret: str, host: str) -> bool:
    from skillbank.audit.textscan import OFFICIAL_API_HOSTS, _families, labelled_for_host
    if _FORGE_HOSTS.search(host) or labelled_for_host(secret.upper().replace("-", "_"), host):
        return True  # the forge's own API, or a secret named after the host (CODECOV_TOKEN to codecov.io)
    fams = _families(secret.upper().replace("-", "_"))
    return any(host == h or host.endswith("." + h) for f in fams for h in OFFICIAL_API_HOSTS[f])


def is_workflow(rel: str, text: str) -> bool:
    return bool(WORKFLOW_PATH.search(rel)) or bool(
        re.search(r"(?m)^\s*(runs-on|steps)\s*:", text) and re.search(r"(?m)^\s*(jobs|on)\s*:", text))


def scan_ci(ctx: Ctx, file: str, text: str, offset: int = 0, cap: str | None = None) -> None:
    """`cap` lowers every finding (quoting contexts of a Markdown block)."""
    if not PREFILTER.search(text[:200000]) or not is_workflow(file, text[:200000]):
        return
    text = text[:200000]

    def add(rule: str, pos: int, evidence: str, sev: str, why: str) -> None:
        from skillbank.audit.model import severity_rank
        if cap and severity_rank(sev) > severity_rank(cap):
            sev = cap
        line = offset + text.count("\n", 0, pos) + 1
        ctx.add(rule, file, line, evidence.strip()[:300], sev, why=why)
        if sev in ("high", "critical"):
            ctx.fact("net_send" if rule.startswith("EX") else "root", file, line, evidence.strip()[:200])

    # every secret at once
    allm = _ALL_SECRETS.search(text)
    if allm:
        sends = [m for m in _NET_CMD.finditer(text) if _literal(_host(m.group(2))) and not _FORGE_HOSTS.search(_host(m.group(2)))]
        if sends:
            add("EX-SECRET-UPLOAD", allm.start(), f"{allm.group(0)} … {sends[0].group(0)}", "critical",
                "The workflow serialises every repository secret (toJSON(secrets)) and sends it to an outside host.")
        else:
            add("EX-SECRET-HARVEST", allm.start(), text[text.rfind("\n", 0, allm.start()) + 1:text.find("\n", allm.end())],
                "high", "The workflow serialises every repository secret at once (toJSON(secrets)).")
    # one secret sent to someone else's host
    globals_env = {m.group(1): m.group(3) for m in _ENV_BIND.finditer(text) if m.group(3)}
    done = False
    for start, step in _steps(text):
        if done:
            break
        if "secrets" not in step and not any(v in step for v in globals_env):
            continue
        step = re.sub(r"[\\`]\n\s*", " ", step)  # continuation lines read as one command
        for cmd in _NET_CMD.finditer(step):
            host = _host(cmd.group(2))
            if not _literal(host):
                continue
            # the command line (with continuation lines) that sends
            ls = step.rfind("\n", 0, cmd.start()) + 1
            le = step.find("\n", cmd.end())
            cmdline = step[ls:le if le >= 0 else len(step)]
            used = {m.group(1) for m in _SECRET_REF.finditer(cmdline)}
            for var, sec in globals_env.items():
                if re.search(r"\$\{?" + re.escape(var) + r"\b|\$env:" + re.escape(var) + r"\b|%" + re.escape(var) + "%", cmdline):
                    used.add(sec)
            # secrets that authenticate to the forge or to their own service's host are its normal use
            other = sorted(s for s in used if not _official(s, host))
            if other:
                add("EX-SECRET-UPLOAD", start + ls, f"{cmdline.strip()}  (secrets.{other[0]} → {host})", "high",
                    f"A CI step sends the repository secret {other[0]} to {host}, which is not the service the secret "
                    "belongs to: whoever runs that host receives the credential.")
                done = True
                break
    # privileged triggers running untrusted code
    prt = _PRT.search(text)
    head = _HEAD_CHECKOUT.search(text)
    if prt and head and _RUNS_CODE.search(text, head.end()):
        add("PE-ROOT-ABUSE", head.start(), f"pull_request_target + {head.group(0)} then run", "high",
            "pull_request_target runs with the base repository's secrets and a write token; checking out the pull "
            "request's head and running it lets any outside contributor run code with those rights.")
    wa = _WRITE_ALL.search(text)
    if wa:
        add("PE-ROOT-ABUSE", wa.start(), wa.group(0), "high" if prt else "medium",
            "`permissions: write-all` gives every job a token that can write code, releases, packages and settings.")
