"""Dependency manifests (requirements.txt, pyproject.toml, package.json, setup.py), install
commands in text, typosquats of popular packages and look-alike skill names, and bundled
binaries/archives."""

from __future__ import annotations

import functools
import json
import re
import tomllib

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx
from skillbank.audit.model import severity_rank
from skillbank.audit.patterns import Anchored

POPULAR_PYPI = frozenset("""
requests urllib3 numpy pandas scipy matplotlib seaborn boto3 botocore setuptools wheel pip six
python-dateutil pyyaml certifi idna charset-normalizer attrs packaging cryptography pydantic
typing-extensions jinja2 markupsafe click flask django fastapi uvicorn starlette sqlalchemy psycopg2
psycopg2-binary pymysql redis celery pytest tox black isort flake8 pylint mypy ruff coverage
beautifulsoup4 lxml pillow scikit-learn tensorflow torch torchvision transformers tokenizers
huggingface-hub openai anthropic langchain tiktoken httpx aiohttp websockets grpcio protobuf
google-cloud-storage google-api-python-client azure-storage-blob paramiko fabric selenium
playwright pyjwt jsonschema tqdm rich colorama termcolor tabulate docutils sphinx pygments
pyopenssl rsa pyasn1 oauthlib requests-oauthlib gunicorn werkzeug itsdangerous markdown
python-dotenv toml tomli regex simplejson ujson orjson xmltodict openpyxl xlrd docx python-docx
pypdf pypdf2 reportlab opencv-python nltk spacy gensim networkx sympy numba dask pyarrow polars
keras xgboost lightgbm statsmodels plotly bokeh dash streamlit gradio jupyter notebook ipython
virtualenv poetry pipenv twine build nox pre-commit bandit safety pip-audit semgrep mock
freezegun faker hypothesis loguru structlog sentry-sdk boto awscli docker kubernetes ansible
""".split())
POPULAR_NPM = frozenset("""
react react-dom vue angular svelte next nuxt express koa fastify lodash underscore axios
node-fetch moment dayjs date-fns chalk commander yargs inquirer debug dotenv uuid classnames
prop-types redux react-redux mobx rxjs typescript ts-node webpack vite rollup esbuild parcel
babel-core eslint prettier jest mocha chai sinon cypress playwright puppeteer jquery bootstrap
tailwindcss postcss autoprefixer sass less socket.io ws mongoose sequelize prisma knex pg mysql
mysql2 redis ioredis body-parser cors helmet morgan jsonwebtoken bcrypt bcryptjs passport
nodemon pm2 cross-env rimraf glob minimist semver colors request async bluebird graphql
apollo-server zod yup joi ajv marked highlight.js three d3 chart.js electron react-native
expo firebase aws-sdk stripe openai tslib core-js regenerator-runtime whatwg-fetch
react-devtools eslint-plugin-react styled-components emotion @types/node
""".split())
COMMON_WORDS = frozenset("""
parser parse config configs configuration validator validate validation diagnostics diagnostic
requests request webapp testing tester tests formatter format converter convert helper helpers
utils util utility utilities manager generator builder runner reporter monitor checker scanner
analyzer analyser linter server client logger loader fetcher installer deploy deployer tracker
exporter importer uploader downloader viewer editor renderer processor compiler bundler
optimizer updater watcher syncer backup cleaner resolver inspector debugger profiler
documentation docs markdown template templates python javascript typescript react session
security secure network database query schema migration metrics health status report reports
service services cluster container docker kubernetes terraform github gitlab commit review
password token secret secrets credential credentials environment settings setup install
claw openclaw claude skill skills agent agents assistant creator design canvas slack discord
spreadsheet document presentation image images video audio browser automation workflow
""".split())
KNOWN_SKILLS = frozenset("""
pdf docx xlsx pptx webapp-testing mcp-builder skill-creator frontend-design canvas-design
algorithmic-art brand-guidelines internal-comms slack-gif-creator theme-factory artifacts-builder
web-artifacts-builder doc-coauthoring template-skill
""".split())
_WORDS_BY_LEN: dict[int, tuple[str, ...]] = {}
for _w in sorted(COMMON_WORDS | {p for p in POPULAR_PYPI if p.isalpha()}):
    if len(_w) >= 5:
        _WORDS_BY_LEN[len(_w)] = _WORDS_BY_LEN.get(len(_w), ()) + (_w,)
CONFUSABLE = str.maketrans({"I": "l", "1": "l", "0": "o", "5": "s", "3": "e", "|": "l"})


def osa_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (transpositions count 1), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
            best = min(best, cur[j])
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one substitution, insertion, deletion or adjacent
    transposition (linear time)."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    if la > lb:
        return a[i + 1:] == b[i:]
    return a[i:] == b[i + 1:]


@functools.lru_cache(maxsize=1)
def established() -> frozenset[str]:
    """Names of established packages (PyPI's 15,000 most downloaded projects, npm packages with at
    least a million downloads a month): a name this widely used is a real project, not a
    look-alike of its neighbour (ijson / ujson). Loaded on first use."""
    import gzip
    from importlib import resources

    try:
        raw = resources.files("skillbank.audit").joinpath("established.txt.gz").read_bytes()
        # names normalised as PyPI does: runs of "-", "_" and "." are one "-"
        return frozenset(x for x in gzip.decompress(raw).decode().split("\n") if x and not x.startswith("#"))
    except (OSError, ValueError):
        return frozenset()


@functools.lru_cache(maxsize=1)
def _ranked() -> dict[str, frozenset[str]]:
    """The most used PyPI and npm names (popular.txt, built from the local package lists)."""
    from importlib import resources

    out: dict[str, set[str]] = {"pypi": set(), "npm": set()}
    try:
        section = ""
        for raw in resources.files("skillbank.audit").joinpath("popular.txt").read_text().split("\n"):
            raw = raw.strip()
            if not raw or raw.startswith("#"):
                continue
            if raw.startswith("["):
                section = raw.strip("[]")
                continue
            out.setdefault(section, set()).add(raw)
    except (OSError, ValueError):
        pass
    return {k: frozenset(v) for k, v in out.items()}


def popular_names(popular: frozenset[str]) -> frozenset[str]:
    """The hand-kept list widened with the most used names of the same registry."""
    if popular is POPULAR_PYPI:
        got = _POP_CACHE.get("pypi")
        return got if got is not None else _POP_CACHE.setdefault("pypi", POPULAR_PYPI | _ranked().get("pypi", frozenset()))
    if popular is POPULAR_NPM:
        got = _POP_CACHE.get("npm")
        return got if got is not None else _POP_CACHE.setdefault("npm", POPULAR_NPM | _ranked().get("npm", frozenset()))
    return popular


# (id(popular), pypi, length) -> (popular, [(name, compact key, comparison key)] in sorted name order, for the names
# of at least 5 letters within two letters of `length`): what typosquat_of walks, computed once per list and length
_NEAR_CACHE: dict[tuple[int, bool, int], tuple[frozenset[str], list[tuple[str, str, str]]]] = {}


def _near_names(popular: frozenset[str], pypi: bool, length: int) -> list[tuple[str, str, str]]:
    key = (id(popular), pypi, length)
    got = _NEAR_CACHE.get(key)
    if got is not None and got[0] is popular:
        return got[1]
    rows = [(p, _compact(pep503(p) if pypi else p), pep503(p) if pypi else p)
            for p in sorted(popular) if not (len(p) < 5 or abs(len(p) - length) > 2)]
    if len(_NEAR_CACHE) < 4096:
        _NEAR_CACHE[key] = (popular, rows)
    return rows


_POP_CACHE: dict[str, frozenset[str]] = {}
_NPM_NORM: dict[frozenset[str], dict[str, str]] = {}


def pep503(name: str) -> str:
    """PyPI's normalised name: runs of "-", "_" and "." are one "-" (python_dateutil is python-dateutil)."""
    return re.sub(r"[-_.]+", "-", name.lower())


def _compact(name: str) -> str:
    return re.sub(r"[-_.]+", "", name)


# npm scopes of official publishers. A scope that extends one with a word (`@modelcontextprotocol-tools`),
# truncates it (`@modelcontext`) or is one or two edits from it (`@modelcontextprotocal`) imitates the
# publisher: only the publisher controls its scope, anyone can register the look-alike
OFFICIAL_SCOPES = ("modelcontextprotocol", "anthropic-ai", "openai", "google-cloud", "microsoft", "playwright", "cloudflare",
                   "huggingface", "langchain", "supabase", "vercel", "aws-sdk", "azure", "octokit", "sentry", "stripe",
                   "slack", "prisma", "nestjs", "angular", "babel", "types", "testing-library", "tanstack", "radix-ui")
# scopes that really exist next to an official one (the publisher's own or long-established)
REAL_SIBLING_SCOPES = frozenset({"vercel-labs", "aws-crypto", "aws-cdk", "aws-amplify", "azure-rest", "azure-tools",
                                 "microsoft-teams", "cloudflare-workers", "sentry-internal", "slack-wrapper", "typescript-eslint",
                                 "types-eslint", "babel-core", "angular-eslint", "angular-devkit", "nestjs-modules",
                                 "stripe-internal", "openai-agents", "langchain-ai", "huggingface-hub", "google-cloud-tools",
                                 "octokit-next", "prisma-labs", "supabase-community", "tanstack-query"})


# publishers with no sibling scopes of their own: any extension of these is someone else
_EXCLUSIVE_SCOPES = frozenset({"modelcontextprotocol", "anthropic-ai", "openai", "huggingface", "playwright"})


def scope_lookalike(name: str) -> str | None:
    """The official npm scope a scoped name imitates (`@modelcontextprotocol-tools/server-x` ->
    `@modelcontextprotocol`), or None."""
    m = re.match(r"@([a-z0-9][\w.-]{1,60})/", name.strip().lower())
    if not m:
        return None
    scope = m.group(1)
    if scope in OFFICIAL_SCOPES or scope in REAL_SIBLING_SCOPES:
        return None
    for off in OFFICIAL_SCOPES:
        if len(off) < 6:
            continue
        if off in _EXCLUSIVE_SCOPES and scope.startswith(off) and re.match(r"[-_.][a-z0-9]", scope[len(off):]) or \
                len(scope) >= 8 and off.startswith(scope) and len(off) - len(scope) >= 3 and off[len(scope)] not in "-_." or \
                scope.replace("-", "").replace("_", "") == off.replace("-", "") or \
                len(off) >= 8 and osa_distance(scope, off, 2) <= (2 if len(off) >= 12 else 1):
            return "@" + off
    return None


def typosquat_of(name: str, popular: frozenset[str]) -> str | None:
    """The popular name `name` imitates, or None.

    A look-alike is one edit (substitution, insertion, deletion, adjacent transposition) from a
    popular name -- a one-letter suffix (python-dateutils), a doubled letter (expresss), a
    dropped or moved separator (pythondateutil, node_fetch on npm) included -- or a confusable
    letter away. A name that is itself an established project (PyPI's 15,000 most downloaded,
    npm packages with >= 1M downloads a month) is a real package, not a look-alike; on PyPI a
    separator swap is the same project (names are normalised)."""
    raw = name.strip()
    if not raw:
        return None
    skills = popular is KNOWN_SKILLS
    pypi = popular is POPULAR_PYPI
    if not skills and not pypi and raw.startswith("@") and pep503(raw.lower()) not in established():
        lookalike = scope_lookalike(raw)
        if lookalike:
            return lookalike + "/" + raw.split("/", 1)[-1]
    hand = popular
    popular = popular_names(popular)
    low = raw.lower()
    if low in popular or pypi and pep503(low) in popular:
        # a capital I standing in for an l (react-devtooIs) is only visible before lower-casing
        conf = raw.translate(CONFUSABLE).lower()
        if conf != low and conf in popular:
            return conf
        return None
    conf = raw.translate(CONFUSABLE).lower()
    if conf != low and conf in popular:
        return conf
    if len(low) < 5:
        return None
    if not skills and not pypi:
        # npm names are distinct per separator (node_fetch is not node-fetch); the established list
        # is stored normalised, so a separator swap of a popular name is decided here
        twins = _NPM_NORM.get(popular)
        if twins is None:
            twins = _NPM_NORM[popular] = {pep503(p): p for p in sorted(popular)}
        twin = twins.get(pep503(low))
        if twin is not None and twin != low:
            return twin
    if not skills and pep503(low) in established():
        return None
    key = pep503(low) if pypi else low
    ckey = _compact(key)
    for p, cp, target in _near_names(popular, pypi, len(low)):
        if skills:
            if abs(len(p) - len(low)) <= 1 and (p[0] == low[0] or p[1:2] == low[1:2]) and one_edit(low, p):
                # plural/singular and separator variants of a skill name are usually distinct skills
                if low.rstrip("s") == p.rstrip("s") or low.replace("-", "") == p.replace("-", "") or \
                        low.replace("_", "-") == p:
                    continue
                return p
            continue
        if len(cp) < 5 or not (cp[0] == ckey[:1] or cp[1:2] == ckey[1:2]):
            continue
        if not (one_edit(key, target) or cp == ckey or one_edit(ckey, cp)):
            continue
        # a name from the widened (ranked) list is imitated by additions, deletions, doubled
        # letters, swaps and separator changes; a single substituted letter between two short
        # real words (latch / hatch) is too common to mean imitation there
        if p in hand or cp == ckey or len(ckey) != len(cp) or sorted(ckey) == sorted(cp):
            return p
    return None


def strong_typo(t: str, w: str) -> bool:
    """Adjacent transposition or a doubled letter: typical deliberate look-alikes."""
    if len(t) == len(w) and sorted(t) == sorted(w):
        return True
    if len(t) == len(w) + 1:
        for i in range(len(t)):
            if t[:i] + t[i + 1:] == w and ((i > 0 and t[i - 1] == t[i]) or (i + 1 < len(t) and t[i + 1] == t[i])):
                return True
    return False


@functools.lru_cache(maxsize=4096)
def skill_name_typosquat(name: str) -> str | None:
    """A look-alike skill name: imitates a well-known skill, or a word in it is a one-letter
    misspelling of a common tooling word (json-parsre, confg-validator)."""
    if not name:
        return None
    hit = typosquat_of(name, KNOWN_SKILLS)
    if hit:
        return "!" + hit
    for tok in re.split(r"[-_.\s]+", name):
        t = tok.translate(CONFUSABLE).lower()
        if len(t) < 5 or t in COMMON_WORDS or t in POPULAR_PYPI or t in POPULAR_NPM or not t.isalpha():
            continue
        for w in _WORDS_BY_LEN.get(len(t) - 1, ()) + _WORDS_BY_LEN.get(len(t), ()) + _WORDS_BY_LEN.get(len(t) + 1, ()):
            if one_edit(t, w) and t.rstrip("s") != w.rstrip("s"):
                if {t + "s", t + "e", t + "r", t[:-1]} & {w} or {w + "s", w + "e", w + "r", w[:-1]} & {t}:
                    continue
                return ("!" if strong_typo(t, w) else "") + f"{tok} ~ {w}"
    return None


REQ_LINE = rxcache.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]{0,100})\s*(\[[^\]]{0,100}\])?\s*(.*)$")
INSTALL_CMD = rxcache.compile(
    r"\b(?:pip3?|uv\s+pip|uv|poetry|pipx|npm|pnpm|yarn|bun|gem|cargo)\s+(?:install|add|i)\s+([^\n;&|`#]{1,300})", re.I)
INTERNAL_REGISTRY = rxcache.compile(
    r"\b(install|fetch|pull|download|get)\w*\b[^.\n]{0,80}\b(from|via|through|using)\s+(our|the|an?|your)?\s*"
    r"(internal|private|custom|corporate|company|alternate|unofficial|team)\s+(registry|index|feed|mirror|repository|repo|package\s+server)",
    re.I)


ORG_OWNER = rxcache.compile(r"\b(our|the\s+(company|team|organi[sz]ation|org|employer|firm)['’]s?|(company|team|organi[sz]ation)['’]s|"
                       r"in-house|corporate)\b", re.I)
OWNED_PACKAGES = rxcache.compile(r"\b(scoped|private|internal|in-house|proprietary)\s+(\w+\s+){0,2}?(packages|modules|libraries|libs|"
                            r"dependencies|gems|crates|components)\b|(^|\s)@[\w-]+/(\*|[\w-]+)", re.I)


def check_install_commands(ctx: Ctx, file: str, text: str) -> None:
    """Package names in install commands anywhere in text: typosquats."""
    low = text.lower()
    hits = []
    if any(k in low for k in ("install", " add ", " i ")):
        for ln, raw in enumerate(text.split("\n"), start=1):
            lraw = raw.lower()
            if "install" in lraw or " add " in lraw or " i " in lraw:
                hits.extend((ln, m) for m in INSTALL_CMD.finditer(raw[:2000]))
    if "npx" in low or "bunx" in low or "dlx" in low:
        # a scoped package run straight from the registry (npx -y @scope/pkg): a look-alike scope
        for m in re.finditer(r"\b(?:npx|bunx|pnpm\s+dlx|yarn\s+dlx)\s+(?:-y\s+|--yes\s+|-p\s+)?(@[\w.-]{2,60}/[\w.-]{1,80})", text[:262144]):
            look = typosquat_of(re.sub(r"(?<=.)@[\w.^~-]+$", "", m.group(1)), POPULAR_NPM)
            if look:
                line = text.count("\n", 0, m.start()) + 1
                ctx.add("SC-TYPOSQUAT", file, line, f"{m.group(1)!r} looks like {look!r}: {m.group(0)}")
                ctx.fact("supply", file, line, m.group(0))
    for line, m in hits:
        mgr = m.group(0).split()[0].lower()
        popular = POPULAR_NPM if mgr in ("npm", "pnpm", "yarn", "bun") else POPULAR_PYPI
        skip = False
        for tok in m.group(1).split():
            if skip:
                skip = False
                continue
            if tok in ("-e", "--editable", "-r", "--requirement", "-c", "--constraint", "-t", "--target"):
                skip = True  # a path, not a package name
                continue
            if tok.startswith("-") or "://" in tok or "/" in tok and not tok.startswith("@"):
                continue
            name = re.split(r"[=<>!~@\[]", tok.lstrip("@"), maxsplit=1)[0] if not tok.startswith("@") else tok.rsplit("@", 1)[0] if tok.count("@") > 1 else tok
            # prose wraps commands in brackets and ends them with punctuation:
            # "(pip install pypdf2)" names pypdf2, not "pypdf2)"
            name = name.strip("'\"`,;:()[]{}<>").rstrip(".")
            hit = typosquat_of(name, popular)
            if hit:
                ctx.add("SC-TYPOSQUAT", file, line, f"{name!r} looks like {hit!r}: {m.group(0).strip()}")
                ctx.fact("supply", file, line, m.group(0))
            if re.search(r"[),;]$|\.$", tok):
                break  # the command ends with the sentence: what follows is prose
    if not any(k in low for k in ("registry", "index", "feed", "mirror", "repositor", "repo ", "package server")):
        return
    # the prose names an internal registry: when the text also gives its URL and that URL is a
    # private registry, the URL's own finding carries the judgement
    urls = [u.group(1) for u in re.finditer(
        r"(?:--index-url|-i|--registry|index-url|registry)[=\s:]+['\"]?(https?://[^\s'\"]+)", text[:262144])]
    own = bool(urls) and (ctx.own_index or bool(OWN_MIRROR.search(text[:262144])))  # read only for named URLs
    named = [index_severity(u, own=own) for u in urls]
    prose_sev = "low" if named and all(severity_rank(x) <= 2 for x in named) else "medium"
    for m in INTERNAL_REGISTRY.finditer(text[:262144]):
        line = text.count("\n", 0, m.start()) + 1
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.end())
        sent = text[ls:le if le >= 0 else len(text)][:2000]
        # round 9: the organisation's own private / scoped packages, from its registry ("install the company's
        # private scoped packages from an internal registry") is a documented setup: a scope only resolves the
        # organisation's names. A bare, unattributed "install from internal registry" stays medium
        sev = "low" if OWNED_PACKAGES.search(sent) and ORG_OWNER.search(sent) else prose_sev
        ctx.add("SC-CUSTOM-INDEX", file, line, m.group(0), sev)
        if sev != "low":
            ctx.fact("supply", file, line, m.group(0))


DECOY_SUFFIX = ("-clean", "-utils", "-util", "-tools", "-tool", "-lite", "-fast", "-py", "-sdk", "-helper", "-helpers",
                "-plus", "-pro", "-core", "-secure", "-fixed", "-patched", "-official")
DECOY_PREFIX = ("py-", "python-")


def decoy_affix_of(name: str) -> str | None:
    """The established package `name` dresses up with a plausible affix (pyjanitor-clean,
    requests-helper, py-numpy), when `name` itself is not an established package."""
    key = pep503(name.strip().lower())
    if len(key) < 7 or key in established() or key in popular_names(POPULAR_PYPI):
        return None
    known = established()
    for suf in DECOY_SUFFIX:
        if key.endswith(suf):
            base = key[: -len(suf)]
            if len(base) >= 4 and (base in known or base in POPULAR_PYPI):
                return base
    for pre in DECOY_PREFIX:
        if key.startswith(pre):
            base = key[len(pre):]
            if len(base) >= 4 and (base in known or base in POPULAR_PYPI) and not base.startswith("py"):
                return base
    return None


def scan_requirements(ctx: Ctx, file: str, text: str) -> None:
    outside = bool(re.search(r"^\s*(-i|--index-url|--extra-index-url)\b(?![^\n]*(pypi\.org|pythonhosted\.org))|https?://|git\+",
                             text[:262144], re.M))
    for i, raw in enumerate(text.split("\n")[:5000], start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith(("-i", "--index-url", "--extra-index-url", "--trusted-host")):
            if not re.search(r"pypi\.org|pythonhosted\.org", line):
                target = re.split(r"[=\s]+", line, maxsplit=1)[-1]
                sev = index_severity(target, extra=line.startswith("--extra-index-url"), own=ctx.own_index)
                if line.startswith("--trusted-host"):
                    sev = trusted_host_severity(target, text[:262144], own=ctx.own_index) or sev
                ctx.add("SC-CUSTOM-INDEX", file, i, line, sev)
                if sev != "low":
                    ctx.fact("supply", file, i, line)
            continue
        if line.startswith("-"):
            continue
        if re.search(r"https?://|git\+", line):
            ctx.add("SC-URL-DEP", file, i, line)
            continue
        m = REQ_LINE.match(line)
        if not m:
            continue
        name, spec = m.group(1), m.group(3)
        hit = typosquat_of(name, POPULAR_PYPI)
        if hit:
            ctx.add("SC-TYPOSQUAT", file, i, f"{name!r} looks like {hit!r}")
        else:
            base = decoy_affix_of(name)
            if base:
                # a popular name with a decoy affix that is no known project; beside an outside index
                # or URL it is where that look-alike would come from
                # (an index SKILL.md calls the team's own serves the team's own packages: low)
                sev = "low" if ctx.own_index else "high" if outside else "medium"
                ctx.add("SC-TYPOSQUAT", file, i, f"{name!r} dresses up {base!r} with an affix and is no known project", sev)
                if sev != "low":
                    ctx.fact("supply", file, i, line)
        if "==" not in spec and "@" not in spec:
            ctx.add("SC-UNPINNED", file, i, line)


def scan_pyproject(ctx: Ctx, file: str, text: str) -> None:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        ctx.add("AU-UNREADABLE", file, 1, "pyproject.toml does not parse", "info")
        return
    deps = list(data.get("project", {}).get("dependencies", []) or [])
    for group in (data.get("project", {}).get("optional-dependencies", {}) or {}).values():
        if isinstance(group, list):
            deps.extend(group)
    lines = text.split("\n")
    for d in deps:
        if not isinstance(d, str):
            continue
        ln = next((i for i, line in enumerate(lines, 1) if d in line), 1)
        if re.search(r"https?://|git\+", d):
            ctx.add("SC-URL-DEP", file, ln, d)
            continue
        m = REQ_LINE.match(d)
        if m:
            hit = typosquat_of(m.group(1), POPULAR_PYPI)
            if hit:
                ctx.add("SC-TYPOSQUAT", file, ln, f"{m.group(1)!r} looks like {hit!r}")
            if "==" not in m.group(3):
                ctx.add("SC-UNPINNED", file, ln, d)
    for src in (data.get("tool", {}).get("uv", {}) or {}).get("index", []) or []:
        if isinstance(src, dict) and "pypi.org" not in str(src.get("url", "")):
            ctx.add("SC-CUSTOM-INDEX", file, 1, str(src.get("url")))


_DEV_TOOL = (r"(npx\s+)?(husky(\s+install)?(\s+[\w./-]+)?|tsc(\s+(-p|--project|-b|--build)\s+[\w./-]+)*(\s+-b|\s+--build)?|"
             r"patch-package|is-ci|ngcc|prisma\s+generate|svelte-kit\s+sync|nuxt\s+prepare|lefthook\s+install|"
             r"simple-git-hooks|electron-builder\s+install-app-deps|node-gyp\s+rebuild|tsup|rollup\s+-c|vite\s+build|"
             r"ts-patch\s+install|playwright\s+install(\s+[\w-]+)*)")
DEV_TOOL_HOOK = rxcache.compile(_DEV_TOOL + r"(\s*(&&|\|\|)\s*" + _DEV_TOOL + r")*")
# `prepare` running the package's own scripts (npm run build, node scripts/build.js)
LOCAL_HOOK = rxcache.compile(r"((npm|pnpm|yarn|bun)\s+(run\s+)?[\w:-]+|node\s+(\./)?[\w./-]+\.(c|m)?js|" + _DEV_TOOL + r")"
                        r"(\s*(&&|\|\|)\s*((npm|pnpm|yarn|bun)\s+(run\s+)?[\w:-]+|node\s+(\./)?[\w./-]+\.(c|m)?js|" + _DEV_TOOL + r"))*")

# an install hook running one of the package's own (shipped, reviewable) scripts with node
LOCAL_NODE_HOOK = rxcache.compile(r"node\s+(\./)?(?!\.\.)[\w-][\w./-]*\.(c|m)?js(\s+--?[\w-]+)*"
                             r"(\s*(&&|\|\|)\s*node\s+(\./)?(?!\.\.)[\w-][\w./-]*\.(c|m)?js(\s+--?[\w-]+)*)*")


def scan_package_json(ctx: Ctx, file: str, text: str) -> None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        ctx.add("AU-UNREADABLE", file, 1, "package.json does not parse", "info")
        return
    if not isinstance(data, dict):
        return
    lines = text.split("\n")

    def ln(key: str) -> int:
        return next((i for i, line in enumerate(lines, 1) if f'"{key}"' in line), 1)

    scripts = data.get("scripts") or {}
    if isinstance(scripts, dict):
        for hook in ("preinstall", "install", "postinstall", "prepare", "preuninstall", "postuninstall"):
            cmd = scripts.get(hook)
            if isinstance(cmd, str):
                bad = re.search(r"curl|wget|https?://|node\s+-e|eval|base64|\|\s*(ba)?sh|powershell", cmd)
                if bad:
                    sev = "high"
                elif DEV_TOOL_HOOK.fullmatch(cmd.strip()) or hook == "prepare" and LOCAL_HOOK.fullmatch(cmd.strip()) \
                        or LOCAL_NODE_HOOK.fullmatch(cmd.strip()):
                    # `prepare` (and install hooks) running a well-known local dev tool or the
                    # package's own build: not a fetch-and-run install hook
                    sev = "low"
                else:
                    sev = None
                ctx.add("SC-INSTALL-HOOK", file, ln(hook), f"{hook}: {cmd}", sev)
                if sev != "low":
                    ctx.fact("supply", file, ln(hook), cmd)
    for section in ("bundleDependencies", "bundledDependencies"):
        names = data.get(section)
        for name in (names if isinstance(names, list) else [])[:2000]:
            if isinstance(name, str) and typosquat_of(name, POPULAR_NPM):
                ctx.add("SC-TYPOSQUAT", file, ln(name), f"{name!r} looks like {typosquat_of(name, POPULAR_NPM)!r} ({section})")
    for section in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies", "overrides",
                    "resolutions", "pnpm"):
        deps = data.get(section) or {}
        if section == "pnpm" and isinstance(deps, dict):
            deps = deps.get("overrides") or {}
        if not isinstance(deps, dict):
            continue
        for name, spec in list(deps.items())[:2000]:
            spec = str(spec)
            if re.match(r"(https?:|git\+|git:|github:|file:)", spec):
                ctx.add("SC-URL-DEP", file, ln(name), f"{name}: {spec}")
            elif spec in ("*", "latest", "") or spec.startswith(">"):
                ctx.add("SC-UNPINNED", file, ln(name), f"{name}: {spec}")
            if not isinstance(name, str):
                continue
            name = re.sub(r"@[\d^~<>=*.x-]+$", "", name)  # an override key may carry a version (`pkg@1`)
            hit = typosquat_of(name, POPULAR_NPM)
            if hit:
                ctx.add("SC-TYPOSQUAT", file, ln(name), f"{name!r} looks like {hit!r}" + (
                    f" ({section})" if section != "dependencies" else ""))


def scan_setup_py(ctx: Ctx, file: str, text: str) -> None:
    if re.search(r"cmdclass\s*=", text) and re.search(r"\binstall\b|develop|egg_info", text):
        ctx.add("SC-INSTALL-HOOK", file, 1, "setup.py overrides install commands (cmdclass)")
    if re.search(r"\b(os\.system|subprocess|urlopen|requests\.|exec\(|eval\()", text):
        m = re.search(r"\b(os\.system|subprocess|urlopen|requests\.|exec\(|eval\()", text)
        line = text.count("\n", 0, m.start()) + 1 if m else 1
        ctx.add("SC-INSTALL-HOOK", file, line, "setup.py runs commands or network calls at install time", "high")


# ---- Go, Cargo, Bundler -------------------------------------------------------------------
# module owners (host + first path element) of well-known Go modules: a `replace` sending one of
# their modules to another owner swaps reviewed code for a look-alike fork
GO_WELL_KNOWN = frozenset("""
golang.org/x google.golang.org/grpc google.golang.org/protobuf google.golang.org/api google.golang.org/genproto
github.com/golang github.com/google github.com/spf13 github.com/sirupsen github.com/stretchr github.com/gorilla
github.com/gin-gonic github.com/labstack github.com/go-chi github.com/urfave github.com/hashicorp github.com/aws
github.com/prometheus github.com/pkg github.com/golang-jwt github.com/dgrijalva github.com/mattn github.com/lib
github.com/jackc github.com/redis github.com/go-redis github.com/docker github.com/moby github.com/ethereum
github.com/charmbracelet github.com/fatih github.com/cli github.com/kubernetes github.com/grpc
github.com/protocolbuffers github.com/uber-go github.com/rs github.com/go-sql-driver github.com/gofiber
github.com/valyala github.com/cenkalti github.com/davecgh github.com/pmezard github.com/klauspost
github.com/json-iterator github.com/mitchellh github.com/spf13 github.com/azure github.com/containerd
github.com/opencontainers github.com/open-telemetry github.com/cloudflare github.com/nats-io github.com/minio
go.uber.org go.opentelemetry.io k8s.io sigs.k8s.io gopkg.in cloud.google.com/go go.etcd.io gorm.io
""".split())
GO_DIRECTIVE = rxcache.compile(r"^\s*(require|replace)\b\s*(\(?)\s*(.*)$")


def _go_owner(path: str) -> str:
    parts = path.strip().strip('"').split("/")
    if parts[0] in ("golang.org", "google.golang.org", "cloud.google.com") and len(parts) >= 2:
        return "/".join(parts[:2]).lower()
    if parts[0] in ("go.uber.org", "k8s.io", "sigs.k8s.io", "gopkg.in", "go.opentelemetry.io", "go.etcd.io", "gorm.io"):
        return parts[0].lower()
    return "/".join(parts[:2]).lower()


def _go_local(path: str) -> bool:
    return path.startswith(("./", "../", "/")) or path in (".", "..") or re.match(r"[A-Za-z]:[\\/]", path) is not None


_DECOY_PART = rxcache.compile(r"(x-)?(io|official|mirrors?|forks?|dev|org|go|golang|pkg|lib|team|labs|x|community|hq|inc|oss)")


def _owner_decoy(who: str, known: str, repo: str) -> bool:
    """An owner made of a well-known owner plus a decoy word (spf13-cobra, sirupsen-io,
    golang-x-mirror); a real sub-organisation (google-research) is not one."""
    for rest in (who[len(known) + 1:] if who.startswith(known + "-") else None,
                 who[:-len(known) - 1] if who.endswith("-" + known) else None):
        if rest and (rest == repo or _DECOY_PART.fullmatch(rest) or "mirror" in rest or "fork" in rest):
            return True
    return False


def scan_go_mod(ctx: Ctx, file: str, text: str) -> None:
    """`replace` directives that send a well-known module to a module on another owner (a
    look-alike fork: github.com/spf13/cobra => github.com/spf13-cobra/cobra) are high; a local
    path replace (../cobra) or a version pin on the same owner is benign; a `require` of a
    look-alike of a well-known module path (same repository name, owner one edit away) is high."""
    block = ""
    for i, raw in enumerate(text.split("\n")[:5000], start=1):
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        if block and line.startswith(")"):
            block = ""
            continue
        m = GO_DIRECTIVE.match(line)
        if m and not block:
            kind, paren, rest = m.groups()
            if paren and not rest.strip():
                block = kind
                continue
            line = rest
        elif block:
            kind = block
        else:
            continue
        if kind == "replace" and "=>" in line:
            old, new = (x.split() for x in line.split("=>", 1))
            if not old or not new:
                continue
            src, dst = old[0].strip('"'), new[0].strip('"')
            if _go_local(dst):
                continue
            so, do = _go_owner(src), _go_owner(dst)
            if so == do:
                continue
            if so in GO_WELL_KNOWN and do not in GO_WELL_KNOWN:
                ctx.add("SC-TYPOSQUAT", file, i, f"replace {src} => {dst}: a well-known module redirected to "
                                                 f"another owner ({do})", "high",
                        why="go.mod swaps a well-known module for code on another owner's look-alike path, so the "
                            "build compiles a fork nobody reviewed under the trusted import path.")
                ctx.fact("supply", file, i, line)
            else:
                ctx.add("SC-URL-DEP", file, i, f"replace {src} => {dst}", "low")
        elif kind == "require":
            parts = line.split()
            if not parts:
                continue
            path = parts[0].strip('"')
            owner = _go_owner(path)
            if owner in GO_WELL_KNOWN or path.count("/") < 2:
                continue
            repo = path.split("/")[2].lower()
            host, who = owner.split("/", 1) if "/" in owner else (owner, "")
            for known in GO_WELL_KNOWN:
                kh, _, kw = known.partition("/")
                if kh == host and kw and who != kw and (one_edit(_compact(who), _compact(kw)) or
                                                        _compact(who) == _compact(kw) or _owner_decoy(who, kw, repo)):
                    ctx.add("SC-TYPOSQUAT", file, i, f"{path} looks like a module of {known}", "high")
                    ctx.fact("supply", file, i, line)
                    break


POPULAR_CRATES = frozenset("""
serde serde_json serde_derive tokio rand reqwest clap anyhow thiserror regex chrono hyper futures syn quote
proc-macro2 lazy_static once_cell itertools libc bytes uuid base64 sha2 hex url tracing tracing-subscriber
env_logger openssl rustls ring axum actix-web diesel sqlx tonic prost crossbeam rayon num-traits bitflags
log toml walkdir tempfile indexmap hashbrown smallvec parking_lot memchr aho-corasick
""".split())
POPULAR_GEMS = frozenset("""
rails rake bundler nokogiri rspec devise puma sinatra activesupport activerecord rack redis sidekiq faraday
httparty rubocop thor minitest capybara jwt aws-sdk-s3 json octokit rest-client mechanize
""".split())
FORGE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
# the organisations that publish the popular gems (their canonical repositories); a git source of one of these
# gems under another owner is a fork at best and a look-alike at worst
GEM_OWNERS = {
    "rails": {"rails"}, "activesupport": {"rails"}, "activerecord": {"rails"}, "thor": {"rails"}, "rake": {"ruby"},
    "bundler": {"rubygems", "ruby"}, "json": {"ruby", "flori"}, "minitest": {"minitest", "seattlerb"},
    "nokogiri": {"sparklemotion"}, "mechanize": {"sparklemotion"}, "rspec": {"rspec"}, "devise": {"heartcombo", "plataformatec"},
    "puma": {"puma"}, "sinatra": {"sinatra"}, "rack": {"rack"}, "redis": {"redis", "redis-rb"},
    "sidekiq": {"sidekiq", "mperham"}, "faraday": {"lostisland"}, "httparty": {"jnunemaker"}, "rubocop": {"rubocop", "rubocop-hq"},
    "capybara": {"teamcapybara"}, "jwt": {"jwt"}, "aws-sdk-s3": {"aws"}, "octokit": {"octokit"}, "rest-client": {"rest-client"},
}


def _near(a: str, b: str) -> bool:
    """One edit apart, or one is the other plus a separator-joined affix (heartcombo-dev, rails_team)."""
    if a == b:
        return False
    if abs(len(a) - len(b)) <= 1:
        if len(a) == len(b):
            return sum(x != y for x, y in zip(a, b)) == 1 or any(
                a[:k] + a[k + 1] + a[k] + a[k + 2:] == b for k in range(len(a) - 1))
        s, l = (a, b) if len(a) < len(b) else (b, a)
        return any(l[:k] + l[k + 1:] == s for k in range(len(l)))
    s, l = (a, b) if len(a) < len(b) else (b, a)
    return len(s) >= 4 and bool(re.fullmatch(re.escape(s) + r"[-_.]?[a-z0-9]{1,12}|[a-z0-9]{1,12}[-_.]?" + re.escape(s), l))


def forge_owner_severity(name: str, url: str, rest: str, owners: dict[str, set[str]]) -> tuple[str, str]:
    """(severity, note) for a popular package fetched from a forge: a look-alike of the canonical owner (or of
    the package's own name) is high, another owner medium -- low when pinned to a commit or tag (a reviewed
    fork) -- and the canonical owner low."""
    m = re.match(r"(?:git\+)?(?:https?|ssh|git)://(?:[^@/]+@)?[^/:]+[/:]([\w.-]+)/|git@[^:]+:([\w.-]+)/", url)
    canon = owners.get(name.lower())
    if not m or not canon:
        return "low", ""
    owner = (m.group(1) or m.group(2)).lower()
    if owner in canon:
        return "low", ""
    if any(_near(owner, c) for c in canon) or _near(owner, name.lower()):
        return "high", f" (owner {owner!r} imitates {sorted(canon)[0]!r})"
    if re.search(r"""\b(ref|tag):\s*['"]|:(ref|tag)\s*=>|\brevision:|@[0-9a-f]{7,40}\b""", rest + " " + url):
        return "low", f" (pinned fork under {owner!r})"
    return "medium", f" (not from {sorted(canon)[0]!r}, the gem's own organisation)"


def _forge(url: str) -> bool:
    m = re.match(r"(?:git\+)?(?:https?|ssh|git)://(?:[^@/]+@)?([^/:]+)", url) or re.match(r"git@([^:]+):", url)
    return bool(m) and m.group(1).lower() in FORGE_HOSTS


def scan_cargo_toml(ctx: Ctx, file: str, text: str) -> None:
    """Cargo.toml: git dependencies (forge hosts low, others medium), a popular crate's name bound
    to a different package (`serde = { package = "serde-rs" }`: the code says `serde`, the build
    fetches something else) and look-alike crate names."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        ctx.add("AU-UNREADABLE", file, 1, "Cargo.toml does not parse", "info")
        return
    lines = text.split("\n")
    tables = []
    for key in ("dependencies", "dev-dependencies", "build-dependencies"):
        tables.append(data.get(key) or {})
    for target in (data.get("target") or {}).values():
        if isinstance(target, dict):
            tables.extend(target.get(k) or {} for k in ("dependencies", "dev-dependencies", "build-dependencies"))
    build_tables = [id(data.get("build-dependencies") or {})] + [
        id(t.get("build-dependencies") or {}) for t in (data.get("target") or {}).values() if isinstance(t, dict)]
    for table in tables:
        if not isinstance(table, dict):
            continue
        for name, spec in list(table.items())[:2000]:
            if id(table) in build_tables and isinstance(spec, dict) and isinstance(spec.get("git"), str):
                # a build-dependency runs inside build.rs at build time: resolved against build.rs in
                # engine._cargo_build_hooks
                ctx.fact("cargo_build_git", file, 1, f"{name} {spec['git']}")
            ln = next((i for i, line in enumerate(lines, 1) if re.match(rf"\s*\[?[\w.-]*{re.escape(name)}\b", line)), 1)
            real = name
            if isinstance(spec, dict):
                git = spec.get("git")
                if isinstance(git, str):
                    ctx.add("SC-URL-DEP", file, ln, f"{name} from {git}", "low" if _forge(git) else "medium")
                pkg = spec.get("package")
                if isinstance(pkg, str) and pkg != name:
                    real = pkg
                    if name.replace("-", "_") in {c.replace("-", "_") for c in POPULAR_CRATES} and \
                            pkg.replace("-", "_") not in {c.replace("-", "_") for c in POPULAR_CRATES}:
                        ctx.add("SC-TYPOSQUAT", file, ln, f"dependency {name!r} is really package {pkg!r}", "high",
                                why="A popular crate's name is bound to a different package: the code imports what "
                                    "looks like the real crate while the build fetches another.")
                        ctx.fact("supply", file, ln, f"{name} = {pkg}")
                        continue
            hit = typosquat_of(real, POPULAR_CRATES)
            if hit and real.replace("-", "_") != hit.replace("-", "_"):
                ctx.add("SC-TYPOSQUAT", file, ln, f"{real!r} looks like {hit!r}")
                ctx.fact("supply", file, ln, real)


DECOY_WORDS = {"logger", "logging", "utils", "util", "utility", "helper", "helpers", "tools", "toolkit", "fix", "fixed",
               "patch", "patched", "secure", "security", "fast", "faster", "plus", "pro", "update", "updater", "extended",
               "lite", "official", "mirror", "fork", "next", "new", "enhanced", "safe"}


def decoy_suffix(name: str, popular: frozenset[str]) -> str | None:
    """`<popular>-<decoy word>` (activesupport-logger, rest-client-utils): the popular name it wears."""
    m = re.fullmatch(r"(.{4,60}?)[-_.]([a-z]+)", name.lower())
    if m and m.group(2) in DECOY_WORDS and m.group(1) in popular_names(popular) and \
            pep503(name) not in established():
        return m.group(1)
    return None


GEM_LINE = rxcache.compile(r"""^\s*gem\s+['"]([\w.-]{1,100})['"](.*)$""")
GEM_SOURCE = rxcache.compile(r"""^\s*source\s+['"]([^'"]{1,300})['"]""")


def scan_gemfile(ctx: Ctx, file: str, text: str) -> None:
    """Gemfile: sources other than rubygems.org, git: gems off the forges, look-alike gem names."""
    for i, raw in enumerate(text.split("\n")[:5000], start=1):
        line = raw.split("#", 1)[0]
        m = GEM_SOURCE.match(line)
        if m:
            url = m.group(1)
            if not re.match(r"https?://(rubygems\.org|gems\.ruby-china\.com)/?$", url):
                ctx.add("SC-CUSTOM-INDEX", file, i, line.strip(), index_severity(url, own=ctx.own_index))
                ctx.fact("supply", file, i, line.strip())
                if index_severity(url, own=ctx.own_index) == "high":
                    ctx.fact("gem_source", file, i, line.strip())
            continue
        m = GEM_LINE.match(line)
        if not m:
            continue
        name, rest = m.groups()
        g = re.search(r"""\bgit:\s*['"]([^'"]{1,300})['"]|:git\s*=>\s*['"]([^'"]{1,300})['"]|"""
                      r"""\b(github|gitlab|bitbucket):\s*['"]([\w.-]{1,100}/[\w.-]{1,100})['"]|"""
                      r""":(github|gitlab|bitbucket)\s*=>\s*['"]([\w.-]{1,100}/[\w.-]{1,100})['"]""", rest)
        if g:
            forge = g.group(3) or g.group(5)
            url = g.group(1) or g.group(2) or f"https://{forge}.{'org' if forge == 'bitbucket' else 'com'}/{g.group(4) or g.group(6)}"
            sev = "low" if _forge(url) else "medium"
            owner_note = ""
            if _forge(url):
                sev, owner_note = forge_owner_severity(name, url, rest, GEM_OWNERS)
            ctx.add("SC-URL-DEP", file, i, f"{name} from {url}{owner_note}", sev,
                    why="A popular gem is fetched from a repository its maintainers do not own: a look-alike owner is the "
                        "usual shape of a hijacked dependency." if owner_note else None)
            if severity_rank(sev) >= 2:
                ctx.fact("supply", file, i, f"{name} from {url}")
        s = re.search(r"""\bsource:\s*['"]([^'"]{1,300})['"]""", rest)
        if s and "rubygems.org" not in s.group(1):
            ctx.add("SC-CUSTOM-INDEX", file, i, line.strip(), index_severity(s.group(1)))
        hit = typosquat_of(name, POPULAR_GEMS)
        if hit:
            ctx.add("SC-TYPOSQUAT", file, i, f"{name!r} looks like {hit!r}")
            ctx.fact("supply", file, i, name)
        else:
            base = decoy_suffix(name, POPULAR_GEMS)
            if base:
                # a popular gem plus a decoy word (activesupport-logger): high next to a non-default source
                sev = "high" if ctx.facts.get("gem_source") else "medium"
                ctx.add("SC-TYPOSQUAT", file, i, f"{name!r} is {base!r} plus a decoy suffix", sev,
                        why="The name is a popular gem with a generic word attached, the usual shape of a look-alike "
                            "published to catch people who expect an official add-on.")
                ctx.fact("supply", file, i, name)


_INTERNAL_HOST = rxcache.compile(r"^(?:[\w-]+\.)*[\w-]+\.(internal|corp|local|lan|intranet|intra|private|home\.arpa)$|^[\w-]+$|"
                            r"^(10|127)\.\d+\.\d+\.\d+$|^192\.168\.\d+\.\d+$|^172\.(1[6-9]|2\d|3[01])\.\d+\.\d+$")
# hosted private registries (an organisation's own feed on a known service)
_PRIVATE_REGISTRY = rxcache.compile(r"(^|\.)(jfrog\.io|pkgs\.dev\.azure\.com|pkgs\.visualstudio\.com|cloudsmith\.io|"
                               r"fury\.io|gemfury\.com|codeartifact\.[\w-]+\.amazonaws\.com|pkg\.dev|"
                               r"packagecloud\.io|repo\.anaconda\.cloud)$")


# the path shapes of self-hosted registry products (Artifactory, Nexus, ProGet, Gitea/Forgejo/GitLab
# package APIs, Azure/GitHub package feeds) on a host whose first label names such a product
_REGISTRY_PATH = rxcache.compile(r"^/(artifactory/api/(pypi|npm|gems|go|cargo|conda|nuget|composer|helm)/|"
                            r"repository/[\w.-]+/|nexus/repository/[\w.-]+/|(feeds|nuget|pypi|npm|upack)/[\w.-]+/|"
                            r"api/(v4/(projects|groups)/[\w%.-]+/)?packages/(pypi|npm|rubygems|cargo|go)\b|"
                            r"api/packages/[\w.-]+/(pypi|npm|rubygems|cargo|go)\b|[\w.-]+/_packaging/)", re.I)
_REGISTRY_LABEL = rxcache.compile(r"^(artifactory|nexus|proget|repo|repos|repository|packages?|pkgs?|registry|npm|pypi|gems|"
                             r"artifacts?|mirror|jfrog|gitea|forgejo|gitlab|cargo|feeds?)[\w-]{0,20}\.", re.I)
# the text states the index is the organisation's own
OWN_MIRROR = Anchored(rxcache.compile(r"\b(our|(the\s+)?(team|company|organi[sz]ation|org|corporate|employer)['’]?s?)\s+(own\s+)?"
                        r"(private\s+|internal\s+|hosted\s+)?(package\s+|pypi\s+|npm\s+)?(mirror|registry|index|feed|"
                        r"artifactory|nexus|proget|repository)\b", re.I),
                      ("mirror", "registry", "index", "feed", "artifactory", "nexus", "proget", "repository"))


def _index_host(url: str) -> tuple[str, str]:
    m = re.match(r"\s*['\"]?(?:[a-z+]+://)?(?:[^@/\s]*@)?([A-Za-z0-9.-]{1,253})(?::\d{1,5})?(/[^\s'\"]*)?", url)
    return ((m.group(1) or "").lower().rstrip(".") if m else "", (m.group(2) or "") if m else "")


def index_severity(url: str, extra: bool = False, own: bool = False) -> str:
    """Severity of a package index / registry other than the public default: an organisation's own
    index on an internal host name (artifactory.acme.internal, a private address) is low, one on a
    hosted private-registry service -- or a self-hosted registry product recognised by its path on a
    host named after it (`artifactory.acme.com/artifactory/api/pypi/...`) -- medium, low when the text
    says it is the team's/company's own; an extra index beside PyPI (dependency confusion), a public
    raw IP, a paste/tunnel host or any other public host high."""
    host, path = _index_host(url)
    if extra or not host:
        return "high"
    if _INTERNAL_HOST.match(host):
        return "low"
    if _PRIVATE_REGISTRY.search(host) or _REGISTRY_LABEL.match(host) and _REGISTRY_PATH.match(path) and \
            not re.fullmatch(r"[\d.]+", host) and host.count(".") >= 2:
        return "low" if own else "medium"
    return "high"


def trusted_host_severity(host: str, line_or_text: str, extra: bool = False, own: bool = False) -> str | None:
    """`--trusted-host H` next to an index on the same host H adds no risk of its own: it takes the
    index's severity. None when no index on H is named."""
    host = _index_host(host)[0]
    for m in re.finditer(r"(?:--index-url|--extra-index-url|-i|index-url|index_url)[=\s:]+['\"]?((?:https?://)[^\s'\"]+)",
                         line_or_text):
        if _index_host(m.group(1))[0] == host:
            return index_severity(m.group(1), extra or "extra" in m.group(0), own)
    return None


MAGIC = [
    (b"\x7fELF", "ELF executable", "SC-BINARY"),
    (b"MZ", "Windows PE executable", "SC-BINARY"),
    (b"\xfe\xed\xfa\xce", "Mach-O executable", "SC-BINARY"),
    (b"\xfe\xed\xfa\xcf", "Mach-O executable", "SC-BINARY"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable", "SC-BINARY"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable", "SC-BINARY"),
    (b"\xca\xfe\xba\xbe", "Mach-O universal / Java class", "SC-BINARY"),
    (b"PK\x03\x04", "zip archive", "SC-ARCHIVE"),
    (b"\x1f\x8b", "gzip archive", "SC-ARCHIVE"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive", "SC-ARCHIVE"),
    (b"Rar!", "rar archive", "SC-ARCHIVE"),
    (b"\xfd7zXZ", "xz archive", "SC-ARCHIVE"),
    (b"BZh", "bzip2 archive", "SC-ARCHIVE"),
]
MEDIA = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"RIFF", b"\x00\x00\x00", b"OggS", b"ID3", b"wOF", b"\x00\x01\x00\x00")
MEDIA_EXT = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".pdf", ".svg", ".mp3", ".mp4", ".wav", ".ttf",
             ".otf", ".woff", ".woff2", ".bmp", ".tiff", ".avif", ".mov", ".ogg", ".docx", ".xlsx", ".pptx")


def classify_binary(ctx: Ctx, file: str, data: bytes) -> bool:
    """Findings for binary content; returns True when the file is binary (not text-scanned)."""
    head = data[:16]
    lower = file.lower()
    for magic, what, rule in MAGIC:
        if head.startswith(magic):
            if magic == b"MZ" and not (len(data) > 0x40 and b"PE\x00\x00" in data[:1024]):
                continue
            if rule == "SC-ARCHIVE" and lower.endswith((".docx", ".xlsx", ".pptx", ".odt", ".jar")) and magic == b"PK\x03\x04":
                return True
            ctx.add(rule, file, 1, f"{what} ({len(data)} bytes)")
            return True
    if lower.endswith((".pyc", ".pyo")) or head[2:4] == b"\r\n" and lower.endswith(".pyc"):
        ctx.add("SC-ARCHIVE", file, 1, f"compiled Python bytecode ({len(data)} bytes)")
        return True
    if lower.endswith((".so", ".dll", ".dylib", ".exe", ".bin")):
        ctx.add("SC-BINARY", file, 1, f"native binary by extension ({len(data)} bytes)")
        return True
    if head.startswith(MEDIA) or lower.endswith(MEDIA_EXT):
        return True
    sample = data[:8192]
    if b"\x00" in sample:
        ctx.add("AU-UNREADABLE", file, 1, f"unrecognised binary file ({len(data)} bytes)", "info")
        return True
    return False
