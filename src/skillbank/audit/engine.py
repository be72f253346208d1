"""Orchestration: run every analyzer over a skill's files, correlate facts across files,
apply the policy and compute the tier. `audit_files` is pure (no I/O); `audit_path(s)` read
folders safely (no symlink following, size caps)."""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import time
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

import yaml

from skillbank.audit import ciscan, deps, infrascan, k8sscan, payscan, psscan, pyscan, trustscan, revshell, rsscan, shscan, textscan
from skillbank.audit import rxcache
from skillbank.audit.context import Ctx, clip
from skillbank.audit.model import Finding, SkillAudit, severity_rank
from skillbank.audit.patterns import CRED_STORE, Anchored
from skillbank.audit.patterns import URL as URL_RE
from skillbank.audit.policy import Policy, apply_policy, compute_tier
from skillbank.errors import SourceError

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_SKILL_BYTES = 16 * 1024 * 1024
MAX_FILES = 1000
TIME_BUDGET = 0.6  # seconds of analysis per skill; the rest is reported as not analysed
MAX_FRONTMATTER = 64 * 1024
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".mypy_cache", ".pytest_cache"}

MD_EXT = (".md", ".markdown", ".mdx", ".txt", ".rst")
PY_EXT = (".py", ".pyw", ".pyi")
SH_EXT = (".sh", ".bash", ".zsh", ".ksh", ".command", ".bashrc", ".profile")
JS_EXT = (".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx")
PS_EXT = (".ps1", ".psm1", ".bat", ".cmd")

OFFLINE_CLAIM = rxcache.compile(
    r"\b(no\s+network(\s+access)?|offline|read-only|does\s+not\s+(send|upload|transmit|access\s+the\s+network)|"
    r"never\s+(sends?|uploads?|transmits?)|local(ly)?\s+only|no\s+data\s+leaves|without\s+network)\b", re.I)

# a promise that the user's data stays on the machine ("fully local", "nothing leaves your machine",
# "runs entirely on-device"): code that posts that data out breaks it (in the description or the body)
PRIVACY_CLAIM = Anchored(rxcache.compile(
    r"(?<!not\s)(?<!n't\s)\b(fully\s+local|(100\s*%|entirely|completely|purely|strictly)\s+(local|offline|on[- ]device)|"
    r"nothing\s+(ever\s+)?leaves\s+(your|the\s+user'?s|this)\s+(machine|computer|device|laptop)|"
    r"never\s+leaves\s+(your|the\s+user'?s)\s+(machine|computer|device|laptop)|"
    r"(runs?|processe[sd]|processing|works?)\s+(entirely\s+|fully\s+|completely\s+|100\s*%\s+)?(locally|on[- ]device)\b"
    r"(?!\s+(first|before|then|and\s+then))|no\s+(cloud|external)\s+(apis?|services?|calls?|uploads?))", re.I),
    ("local", "offline", "device", "leaves", "cloud", "external"))


_LEAD = re.compile(r"^#\s+(.{1,100})\n+((?:[^\n#>|`<\-*\s][^\n]*\n?){1,3})", re.M)
_PRODUCT_WORD = re.compile(r"\[[^\]\n]{1,80}\]\([^)\s]{1,200}\)|https?://[^\s)>\]]+|"
                           r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:sh|io|dev|ai|app|com|org|net|co)\b|"
                           r"(?<![.!?]\s)(?<!^)\b[A-Z][\w.-]*[A-Za-z0-9]")
_LEAD_HEADING = re.compile(r"^#\s+(.{1,100})$", re.M)
_INTRO_COMMAND = re.compile(r"`[^`\n]*\s[^`\n]*`|\b(curl|wget|iwr|irm|Invoke-WebRequest|Invoke-Expression|iex|npx|pip3?|"
                            r"npm|brew|bash|sh|sudo)\s+\S|\|\s*(sudo\s+)?(ba|z|da)?sh\b", re.I)


def _introduction(body: str) -> str:
    """How the skill introduces itself: its first top-level heading and the prose sentence right under it
    ("Create podcasts via [inference.sh](https://inference.sh) CLI."). A vendor whose skill is built on its
    own product names that product here even when the front matter describes only the task."""
    prose, fence = [], None
    for line in body[:5000].splitlines():
        m = textscan.FENCE.match(line)
        if m and (fence is None or m.group(1)[0] == fence):
            fence = None if fence else m.group(1)[0]
            continue
        if fence is None:
            prose.append(line)
    head = "\n".join(prose)  # a "# comment" inside a code block is no heading, and a command no introduction
    lead = _LEAD.search(head)
    if lead:
        # from the sentence only what names a product (a link, a domain, code, a capitalised word), so an
        # ordinary word ("target", "backup") never makes a host of that name the skill's own
        # Inline code is no product name, and a sentence that itself holds a command ("Install with `curl
        # https://x.sh | bash`") gives no host: the command's own URL would vouch for the command
        sentence = lead.group(2)[:300]
        command = _INTRO_COMMAND.search(sentence)
        names = [w for w in _PRODUCT_WORD.findall(re.sub(r"`[^`\n]*`", " ", sentence))
                 if not (command and re.search(r"[./]", w))]
        return lead.group(1) + " " + " ".join(names)
    heading = _LEAD_HEADING.search(head)
    return heading.group(1) if heading else ""


def parse_frontmatter(text: str) -> tuple[dict, str, int]:
    """(front matter dict, body, body start line). Never raises."""
    if not text.startswith("---"):
        return {}, text, 1
    end = text.find("\n---", 3, MAX_FRONTMATTER)
    if end < 0:
        return {}, text, 1
    raw = text[3:end]
    body_start = text.find("\n", end + 1)
    body = text[body_start + 1:] if body_start >= 0 else ""
    line = text.count("\n", 0, end) + 2
    try:
        data = yaml.load(raw, Loader=_LOADER)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, MemoryError, OverflowError):
        return {}, body, line
    return (data if isinstance(data, dict) else {}), body, line


IMPERSONATION = rxcache.compile(r"\b(drop-in(\s+replacement)?|replacement\s+for\s+the\s+(legitimate|official|original|real)|"
                           r"(enhanced|community|patched)\s+fork|the\s+(real|official|legit)\s+(one|version|package)|"
                           r"use\s+this\s+instead\s+of)\b", re.I)


def _frontmatter_checks(ctx: Ctx, fm: dict, body: str = "") -> None:
    tools = fm.get("allowed-tools", fm.get("allowed_tools"))
    if isinstance(tools, str):
        tools = re.split(r"[,\s]+(?![^()]*\))", tools)
    if isinstance(tools, list):
        for t in tools[:200]:
            t = str(t).strip()
            if t in ("*", "Bash(*)", "Bash(*:*)", "all", "Write(**)", "Write(*)"):
                ctx.add("PE-BROAD-TOOLS", "SKILL.md", 1, f"allowed-tools grants {t}", "medium")
                ctx.fact("permissive", "SKILL.md", 1, t)
            elif t in ("Bash", "Shell", "Computer", "Terminal"):
                ctx.add("PE-BROAD-TOOLS", "SKILL.md", 1, f"allowed-tools grants unscoped {t}", "info")
            elif re.match(r"Bash\((sudo|rm|curl|wget|chmod|ssh|scp|nc|eval)\b", t):
                ctx.add("PE-BROAD-TOOLS", "SKILL.md", 1, f"allowed-tools grants {t}", "low")
    name = fm.get("name")
    if isinstance(name, str):
        hit = deps.skill_name_typosquat(name)
        if hit:
            strong = hit.startswith("!")
            framing = IMPERSONATION.search(str(fm.get("description") or "") + "\n" + body[:20000])
            sev = "medium" if (strong or framing) else "low"
            extra = f"; presented as {framing.group(0)!r}" if framing else ""
            ctx.add("SC-TYPOSQUAT", "SKILL.md", 1, f"skill name {name!r} imitates {hit.lstrip('!')!r}{extra}", sev)
            if sev == "medium":
                ctx.fact("supply", "SKILL.md", 1, name)


def _r14_prose(ctx: Ctx, rel: str, text: str) -> None:
    lt = text[:trustscan.MAX].lower()
    trustscan.scan_delegation(ctx, rel, text, lt)
    trustscan.scan_dep_swap(ctx, rel, text, lt)
    trustscan.scan_secret_paste(ctx, rel, text, lt)
    trustscan.scan_sensitive_collect(ctx, rel, text, ctx.identity, lt)
    if "GO" in text and ("GOSUM" in text or "GONOSUM" in text or "GOPROXY" in text or "GOFLAGS" in text or "GOINSECURE" in text):
        trustscan.scan_integrity_tamper(ctx, rel, text, prose=True)
    if "gem source" in text or "index-url" in text:
        trustscan.scan_registry_conf(ctx, rel, text)


def _scan_file(ctx: Ctx, rel: str, data: bytes) -> None:
    lower = rel.lower()
    base = PurePosixPath(lower).name
    if deps.classify_binary(ctx, rel, data):
        return
    text = data.decode("utf-8", errors="replace")
    textscan.scan_public_pii(ctx, rel, text)
    if lower.endswith(MD_EXT):
        # a paragraph addressed to AI agents is an instruction wherever it sits (reference and indicator documents too)
        infrascan.scan_agent_paragraphs(ctx, rel, text)
    if lower.endswith(MD_EXT) and ("/etc/hosts" in text or "resolv.conf" in text or "address=/" in text):
        infrascan.scan_resolver_redirect(ctx, rel, text, prose=True)
    if lower.endswith(MD_EXT) and re.search(r"\b[A-Z]{2}\d{2}[ ]?[A-Z0-9]{4}|\b0x[0-9a-fA-F]{40}|\bbc1", text):
        payscan.scan_payment_prose(ctx, rel, text)
    if base == "skill.md":
        textscan.scan_markdown(ctx, rel, text)
        deps.check_install_commands(ctx, rel, text[: textscan.MAX_TEXT])
        _r14_prose(ctx, rel, text)
        return
    if base.startswith("requirements") and base.endswith((".txt", ".in")):
        deps.scan_requirements(ctx, rel, text)
        return
    if base == "pyproject.toml":
        deps.scan_pyproject(ctx, rel, text)
        textscan.scan_code_text(ctx, rel, text)
        return
    if base == "package.json":
        deps.scan_package_json(ctx, rel, text)
        return
    if base == "go.mod":
        deps.scan_go_mod(ctx, rel, text)
        return
    if base == "cargo.toml":
        deps.scan_cargo_toml(ctx, rel, text)
        return
    if base in ("gemfile", "gems.rb") or (base.startswith("gemfile.") or base.endswith(".gemfile")) and \
            not base.endswith(".lock"):
        # Gemfile variants (Gemfile.upgrade, rails7.gemfile) are Gemfiles bundler is pointed at
        deps.scan_gemfile(ctx, rel, text)
        return
    if lower.endswith(INDICATOR_EXT) or lower.endswith((".yml", ".yaml")) and SIGMA_RULE.search(text[:20000]):
        _scan_indicator_file(ctx, rel, text)
        return
    if lower.endswith(MD_EXT) and base != "skill.md" and \
            (INDICATOR_DOC.search(PurePosixPath(lower).stem) or INDICATOR_HEADING.search(text[:600]) or
             INDICATOR_CUE.search(text[:3000])) and \
            INDICATOR_DOC_TOPIC.search(text[:4000]):
        _scan_indicator_file(ctx, rel, text, markdown=True)
        return
    if lower.endswith(MD_EXT):
        textscan.scan_markdown(ctx, rel, text)
        deps.check_install_commands(ctx, rel, text[: textscan.MAX_TEXT])
        _r14_prose(ctx, rel, text)
        trustscan.quoted_examples(ctx, rel, text)
        return
    doc = textscan.Doc(textscan.normalise(text))
    textscan.scan_hidden_chars(ctx, rel, doc)
    textscan.scan_code_text(ctx, rel, text)
    if base in ("makefile", "gnumakefile") or base.endswith((".mk", ".make")):
        # recipe lines are shell: read them as a shell script (same line numbers)
        shscan.scan_shell(ctx, rel, makefile_recipes(text), 0)
    k8sscan.scan_k8s(ctx, rel, doc.text)
    infrascan.scan_log_agent(ctx, rel, doc.text)
    if "arn:aws:iam::" in text:
        infrascan.scan_iam(ctx, rel, text)
    if lower.endswith(".go"):
        infrascan.scan_go_secret_send(ctx, rel, text)
    if lower.endswith((".yml", ".yaml")):
        ciscan.scan_ci(ctx, rel, text)
    if lower.endswith(".rs"):
        rsscan.scan_rust(ctx, rel, text)
    if lower.endswith((".rs", ".go")) and ("lookup" in text or "Lookup" in text or "to_socket_addrs" in text or "Resolve" in text):
        trustscan.scan_dns_data(ctx, rel, text)
    if "GO" in text and ("GOSUM" in text or "GONOSUM" in text or "GOPROXY" in text or "GOFLAGS" in text or
                         "GOINSECURE" in text or "GOPRIVATE" in text):
        trustscan.scan_integrity_tamper(ctx, rel, text)
    if "$_" in text:
        trustscan.scan_webshell(ctx, rel, text)
    if "gem source" in text or "index-url" in text:
        trustscan.scan_registry_conf(ctx, rel, text)
    if "hosts" in text or "resolv" in text or "address=/" in text or "dnsmasq" in text:
        infrascan.scan_resolver_redirect(ctx, rel, text)
    fe_lang = infrascan.fetch_eval_lang(rel, text)
    if fe_lang and "eval" in text or fe_lang in ("lua", "php") and ("load" in text or "include" in text or "require" in text):
        infrascan.scan_fetch_eval(ctx, rel, text, fe_lang)
    for key, f in list(ctx.findings.items()):
        if f.rule_id == "EX-DROP-HOST" and f.file == rel and f.severity == "low":
            # a tunnel endpoint wired into configuration or code, not just documented -- unless it is
            # a messaging API authenticated only with that service's own credential (a bot notifier)
            urls = URL_RE.findall(f.evidence) or ["https://" + h for h in re.findall(r"\bapi\.telegram\.org\b", f.evidence)]
            if urls and all(textscan.secrets_only_for(text, u) for u in urls):
                continue
            ctx.add("EX-DROP-HOST", rel, f.line, f.evidence, "medium")
    textscan.scan_blobs(ctx, rel, doc)
    if revshell.lang_of(rel) and ("Dial" in text or "connect" in text or "socket" in text or "Socket" in text):
        revshell.scan_reverse_shell(ctx, rel, text)
    ctx.fact("script", rel, 1, rel)
    textscan.scan_mail_forward(ctx, rel, text)
    if lower.endswith(".json"):
        textscan.scan_mcp_servers(ctx, rel, text)
    if lower.endswith(JS_EXT + PY_EXT) and "mcp" in text.lower():
        textscan.scan_mcp_writer(ctx, rel, text)
    if lower.endswith(JS_EXT + PY_EXT + SH_EXT + PS_EXT + (".rb",)) and ("settings" in text or ".mcp.json" in text):
        infrascan.scan_agent_permission_writer(ctx, rel, text)
    if lower.endswith(PY_EXT):
        pyscan.scan_python(ctx, rel, text, 0, is_file=True)
        payscan.scan_payment_redirect(ctx, rel, text)
        if base == "setup.py":
            deps.scan_setup_py(ctx, rel, text)
    elif lower.endswith(SH_EXT) or text.startswith("#!") and re.match(r"#!.*\b(ba|z|k|da)?sh\b", text):
        shscan.scan_shell(ctx, rel, text, 0)
        textscan.scan_git_exfil(ctx, rel, text)
    elif lower.endswith(JS_EXT):
        shscan.scan_js(ctx, rel, text, 0)
    elif lower.endswith(PS_EXT):
        psscan.scan_powershell(ctx, rel, text, 0)
    elif text.startswith("#!") and "python" in text[:80]:
        pyscan.scan_python(ctx, rel, text, 0, is_file=True)


_RECIPE = rxcache.compile(r"^\t[ \t]*[@+-]{0,3}[ \t]*(.*)$")


def makefile_recipes(text: str) -> str:
    """The recipe lines of a Makefile as a shell script: other lines blanked (so line numbers stay),
    the `@`/`-`/`+` prefixes dropped, `$$` (make's escape) turned back into `$`, and `$(VAR)` written
    as the shell's `${VAR}`."""
    out = []
    for line in text.split("\n"):
        m = _RECIPE.match(line)
        if not m:
            out.append("")
            continue
        out.append(re.sub(r"(?<!\$)\$\((\w{1,40})\)", r"${\1}", m.group(1)).replace("$$", "$"))
    return "\n".join(out)


def _cargo_build_hooks(ctx: Ctx, files: Mapping[str, bytes]) -> None:
    """A build-dependency fetched from git and used by build.rs runs at build time with the user's
    rights: an install hook. Off the forges high, a forge fork of another owner medium."""
    from skillbank.audit.deps import _forge
    for cargo, _, ev in ctx.facts.get("cargo_build_git", [])[:20]:
        name, git = ev.split(" ", 1)
        folder = str(PurePosixPath(cargo).parent)
        build = files.get(("" if folder == "." else folder + "/") + "build.rs")
        if not isinstance(build, (bytes, bytearray)):
            continue
        crate = name.replace("-", "_")
        if not re.search(rb"\b" + re.escape(crate.encode()) + rb"::|extern\s+crate\s+" + re.escape(crate.encode()),
                         bytes(build[:MAX_FILE_BYTES])):
            continue
        official = re.match(r"https://github\.com/(rust-lang|rust-lang-nursery|dtolnay|serde-rs|tokio-rs|rust-random|"
                            r"alexcrichton|BurntSushi|hyperium|rustls|briansmith|PyO3|napi-rs|bytecodealliance|"
                            r"rustwasm|microsoft|google|awslabs|aws)/", git, re.I)
        if official:
            continue
        ctx.add("SC-INSTALL-HOOK", cargo, 1, f"build.rs uses build-dependency {name} from {git}",
                "medium" if _forge(git) else "high",
                why="build.rs runs at build time with the user's rights; its build-dependency comes from a git "
                    "repository nobody vetted, so `cargo build` runs that code.")
        ctx.fact("supply", cargo, 1, f"{name} from {git}")


INDICATOR_EXT = (".yar", ".yara")
INDICATOR_PI = {"PI-ENCODED-TEXT", "PI-DISABLE-SECURITY", "PI-EXFIL-INSTRUCTION", "PI-CONCEAL"}
SIGMA_RULE = rxcache.compile(r"^logsource:\s*$[\s\S]{0,20000}^detection:\s*$|^detection:\s*$[\s\S]{0,20000}^logsource:\s*$", re.M)


# a reference document named as a list of indicators (references/persistence-iocs.md, detections.md,
# ttps.md) whose opening is about attacks or incidents: the commands in it are what attackers run,
# quoted for recognition
INDICATOR_DOC = rxcache.compile(r"(^|[-_.])(iocs?|indicators?(-of-compromise)?|detections?|signatures?|ttps?|"
                           r"anti-forensics|(persistence-)?patterns|artifacts?|artefacts?|hunting|threat-hunting)([-_.]|$)")
# or whose first heading names it so ("# Persistence patterns", "## What to look for", "Artifacts")
INDICATOR_HEADING = rxcache.compile(r"^#{1,3}\s+[^\n]{0,60}\b(iocs?|indicators?|(persistence|attack|malware|attacker)\s+patterns|"
                               r"artifacts|artefacts|hunting|what\s+to\s+look\s+for)\b", re.I | re.M)
# or whose opening says what it holds: a warning not to run what follows, defanged indicators, a table
# of indicators, notes for incident responders
INDICATOR_CUE = rxcache.compile(r"\b(never|do\s+not|don'?t)\s+(execute|run|paste|copy)\s+(any\s+of\s+)?(these|this|them|the\s+"
                           r"(following|commands|samples|snippets|lines|indicators))\b|\bdefanged\b|"
                           r"\bfor\s+(detection|recognition|hunting|matching)\s+(purposes\s+)?only\b|"
                           r"\b(for|by)\s+incident\s+responders\b|"
                           r"^\|\s*(indicators?|iocs?|observables?|artifacts?|artefacts?)\s*\|", re.I | re.M)
INDICATOR_DOC_TOPIC = rxcache.compile(r"\b(attack\w*|malicious|malware|compromis\w*|intrusion|incident|forensic\w*|threat\w*|"
                                 r"persistence|adversar\w*|detect\w*|hunt\w*|triage)\b", re.I)


def _scan_indicator_file(ctx: Ctx, rel: str, text: str, markdown: bool = False) -> None:
    """A YARA or Sigma rule file: every string in it is an indicator to match, never behaviour. It is
    analysed like code, but what it finds stays on record at low and feeds no correlation -- unless
    the skill runs the file itself (then `_executed_indicator_files` restores it). A Markdown
    indicator document (an IOC list) is read as Markdown under the same terms."""
    sub = ctx.child(0)
    if markdown:
        textscan.scan_markdown(sub, rel, text)
        deps.check_install_commands(sub, rel, text[: textscan.MAX_TEXT])
        for f in sub.findings.values():
            # instructions to the agent keep their weight: a list of indicators addresses no one
            sev = f.severity if f.rule_id.startswith("PI-") and f.rule_id not in INDICATOR_PI or \
                severity_rank(f.severity) < 2 else "low"
            ctx.add(f.rule_id, f.file, f.line, f.evidence + ("" if sev == f.severity else "  (indicator document)"), sev,
                    why=f.why)
        # what the lines would do if run: restored when the skill tells the agent to run them
        raw = ctx.child(0)
        raw.placeholder_hosts = False  # run as told, the lines are judged as written
        textscan.scan_markdown(raw, rel, text, quoting=False)
        ctx.indicator_files[rel] = raw
        return
    doc = textscan.Doc(textscan.normalise(text))
    textscan.scan_hidden_chars(sub, rel, doc)
    textscan.scan_code_text(sub, rel, text)
    textscan.scan_blobs(sub, rel, doc)
    for f in sub.findings.values():
        keep = f.rule_id.startswith("PI-") and f.rule_id != "PI-ENCODED-TEXT"  # hidden characters address the agent
        sev = f.severity if keep or severity_rank(f.severity) < 2 else "low"
        ctx.add(f.rule_id, f.file, f.line, f.evidence + ("" if sev == f.severity else "  (indicator in a rule file)"), sev,
                why=f.why)
    ctx.indicator_files[rel] = sub


def _executed_indicator_files(ctx: Ctx, files: Mapping[str, bytes]) -> None:
    """A rule file the skill itself runs through an interpreter is code after all."""
    for rel, sub in ctx.indicator_files.items():
        name = re.escape(PurePosixPath(rel).name)
        run = re.compile(r"\b(ba|z|da)?sh\s+(-\w+\s+)*[\w./~-]*" + name + r"|\b(python[\d.]*|node|perl|ruby|source|bash|"
                         r"pwsh|powershell|iex)\s+[\w./~-]*" + name + r"|\.\s+[\w./~-]*" + name + r"|chmod\s+\+x\s+[\w./~-]*" + name +
                         # prose: the agent told to run / execute / apply / follow the document's lines
                         r"|\b(run|running|execute|executing|apply|applying|follow|following|paste|perform|carry\s+out)\b[^.\n]{0,60}"
                         r"[\s`(/]" + name +
                         r"|" + name + r"`?\s+(and\s+)?(run|execute|apply)\b(?![^.\n]{0,20}\b(detect|hunt|search|scan))", re.I)
        for other, data in files.items():
            if other != rel and isinstance(data, (bytes, bytearray)) and \
                    run.search(bytes(data[:MAX_FILE_BYTES]).decode("utf-8", errors="replace")):
                keep, ctx.placeholder_hosts = ctx.placeholder_hosts, False
                for f in sub.findings.values():
                    ctx.add(f.rule_id, f.file, f.line, f.evidence + "  (the skill runs this file)", f.severity, why=f.why)
                ctx.placeholder_hosts = keep
                for k, v in sub.facts.items():
                    for fl, ln, ev in v:
                        ctx.fact(k, fl, ln, ev)
                break


RUN_LOCAL_SCRIPT = rxcache.compile(r"(?:^|[\s;&(`])(\./[\w./-]+\.sh|(?:ba|z)?sh\s+[\w./-]+\.sh|source\s+[\w./-]+\.sh|\.\s+\./[\w./-]+\.sh)",
                              re.M)
BUNDLED_CLAIM = Anchored(rxcache.compile(r"\b(bundled|companion|ships\s+(alongside|with)|included\s+(with|in)\s+this\s+skill|"
                                    r"alongside\s+this\s+skill)\b", re.I),
                         ("bundled", "companion", "ships", "included", "alongside"))


def _missing_artifacts(ctx: Ctx, files: Mapping[str, bytes], body: str, body_line: int = 1) -> None:
    """SKILL.md claims to bundle a script and tells the agent to run it, but the skill does not
    contain it: whatever runs is code nobody reviewed (trojan artifact)."""
    claim = BUNDLED_CLAIM.search(body)
    if not claim:
        return
    names = {PurePosixPath(p).name for p in files}
    for m in RUN_LOCAL_SCRIPT.finditer(body[:200000]):
        target = m.group(1).split()[-1]
        script = PurePosixPath(target).name
        if script not in names:
            line = body_line + body.count("\n", 0, m.start())
            # scripts/ is where the Agent Skills format keeps bundled code; a copy of a skill may
            # hold only its markdown, so a missing scripts/x.sh is weaker evidence
            conventional = target.lstrip("./").startswith("scripts/")
            ctx.add("SC-DOWNLOAD-EXEC", "SKILL.md", line,
                    f"runs {m.group(1).strip()!r}, described as {claim.group(0)!r}, but the skill does not contain it",
                    "low" if conventional else "medium", why="The instructions run a script the skill claims to bundle but does not ship, so the "
                                  "code that runs cannot be reviewed (trojan artifact).")
            return


AGENT_CONTENT_INTRO = rxcache.compile(r"<<-?\s*['\"]?\w+|:\s*(\*\*|__)?\s*$|:\s*[\"'“`]|\bfollowing\b|-->\s*$|<!--", re.I)


NET_ANYWHERE = rxcache.compile(
    rb"https?://|\b(requests|httpx|urllib\d?|aiohttp|http\.client|socket|smtplib|ftplib|paramiko|boto3|botocore|"
    rb"google\.cloud|azure|kubernetes|websocket\w*|grpc|pycurl|fetch|axios|XMLHttpRequest|sendBeacon|curl|wget|nc|ncat|"
    rb"netcat|scp|rsync|sftp|ssh|telnet|dig|nslookup|Invoke-WebRequest|Invoke-RestMethod|iwr|irm|WebClient|git|"
    rb"upload\w*|webhook\w*|post|send|sync|mail)\b|\b(https?|net|dns|tls|dgram)\.\w+\(|require\(\s*['\"](node:)?(https?|net|dns|tls)['\"]",
    re.I)


AGENT_WRITER = rxcache.compile(r"\b(updat|sync|maintain|keep|writ|edit|generat|merg|append|manag|curat|seed|bootstrap)\w*", re.I)
TEXT_LANGS = {"", "text", "txt", "markdown", "md", "mdx", "plaintext", "plain"}


def _agent_file_content(ctx: Ctx, body: str, body_line: int) -> None:
    """A skill whose job is to write agent instruction / memory files (CLAUDE.md, AGENTS.md, ...)
    and whose text blocks -- the content it has the agent merge into those files -- carry a
    pre-authorisation or a reporting waiver: memory poisoning that outlives the session."""
    ident = ctx.identity
    if not (ctx.facts.get("agent_config") or (textscan.AGENT_FILE.search(ident) or MEMORY_FILE.search(ident))
            and AGENT_WRITER.search(ident)):
        return
    blocks: list[tuple[str, int, list[str], str]] = []  # (lang, first body line index, lines, lead-in)
    fence = ""
    lead: list[str] = []
    for i, line in enumerate(body[:textscan.MAX_TEXT].split("\n")[:20000]):
        m = textscan.FENCE.match(line)
        if m and not fence:
            fence = m.group(1)
            blocks.append((m.group(2).lower(), i + 1, [], " ".join(lead[-3:])))
            continue
        if fence and line.lstrip().startswith(fence[:3]):
            fence = ""
            lead = []
            continue
        if fence:
            blocks[-1][2].append(line[:2000])
        elif line.strip():
            if INTO_FILE.search(line) and re.search(r"\b(following|below)\b", line) and line.rstrip().endswith((":", "`")) \
                    or lead and lead[-1].rstrip().endswith(":") and re.search(r"\b(following|below)\b", " ".join(lead[-2:])):
                # "ensure the following preference is present:" then the items themselves
                blocks.append(("", i, [line[:2000]], " ".join(lead[-3:] + [line[:500]])))
            lead.append(line[:500])
    for lang, first, lines, lead in blocks:
        # a balanced policy (some actions allowed, others needing confirmation or forbidden) is
        # least privilege, not a blanket waiver
        if lang not in TEXT_LANGS or not INTO_FILE.search(lead) or any(RESTRICTS.search(x) for x in lines):
            continue
        bad = bool(BAD_EXAMPLE.search(lead))
        for j, line in enumerate(lines):
            if BAD_EXAMPLE.search(line):
                bad = True
            elif GOOD_EXAMPLE.search(line):
                bad = False
            if bad or not (BLOCK_PREAUTH.search(line) or _WAIVER.search(line)) or \
                    textscan.SECURITY_CONTEXT.search(line) or NEGATED_PREAUTH.search(line):
                continue
            ln = body_line + first + j
            ctx.add("PI-AGENT-CONFIG", "SKILL.md", ln, line.strip() + " (content merged into an agent instruction file)",
                    "high", why="The skill writes agent instruction/memory files and the content it writes pre-approves "
                                "actions or waives reporting for every future session (memory poisoning).")
            ctx.fact("preauth", "SKILL.md", ln, line.strip())
            return


# the sentence before a block hands it over as content to put into a file
INTO_FILE = rxcache.compile(r"\b(add|append|merge|insert|write|include|paste|copy|put|place|keep|ensure|seed)\w*\b[^\n]{0,200}?"
                       r"\b(block|section|following|this|these|lines?|snippet|content|text|preferences|rules|template)\b|"
                       r"\b(to|into|in|at\s+the\s+top\s+of|near\s+the\s+top\s+of)\s+(the|your|each|every)\s+(\w+\s+){0,2}?"
                       r"(file|memory|instructions?)\b|" + textscan.AGENT_FILE.pattern, re.I)
# a standing pre-authorisation stated as a rule ("X are pre-approved", "never ask"), not a label
MEMORY_FILE = rxcache.compile(r"\b(agent|assistant|claude|model|llm)['’]?s?\b[^.\n]{0,40}\b(long-term\s+)?(memory|instructions?|rules)"
                         r"(\s+file)?\b", re.I)
BLOCK_PREAUTH = rxcache.compile(r"\b(has|have)\s+(already\s+)?(authori[sz]ed|approved|pre-?approved)\s+(all|every|any)\b|"r"\b(are|is|be)\s+(already\s+|always\s+)?pre-?(approved|authori[sz]ed|reviewed|vetted|cleared)\b|"
                           r"\bwithout\s+(asking|confirm\w*|prompting|approval|permission|checking\s+with)|"
                           r"\b(do\s+not|don'?t|never)\s+ask\b|\bno\s+need\s+to\s+(ask|confirm)\b|"
                           r"\b(do\s+not|don'?t|never)\s+(interrupt|bother)\s+the\s+user\b|\balways\s+(allow|approve|accept)\b|"
                           r"\bskip\w*\s+(the\s+|all\s+)?(confirmation|permission|approval)s?\b", re.I)
BAD_EXAMPLE = rxcache.compile(r"\b(bad|wrong|insecure|unsafe|vulnerable|dangerous|don'?t|avoid|never|anti-?pattern|overly\s+permissive|"
                         r"before\s+hardening|malicious|attack\w*|red\s+flags?|poison\w*)\b", re.I)
RESTRICTS = rxcache.compile(r"\b(requires?\s+(user\s+)?(confirmation|approval)|ask\s+(the\s+user\s+)?(first|before)|forbidden|"
                       r"never\s+do|not\s+allowed|must\s+(confirm|ask)|denied|prohibited)\b", re.I)
GOOD_EXAMPLE = rxcache.compile(r"\b(good|correct|secure|safe|better|recommended|fixed|hardened|after\s+hardening)\b", re.I)
_WAIVER = rxcache.compile(r"\b(need\s+not|do(es)?\s+not\s+need\s+to|don'?t\s+need\s+to)\s+be\s+(reported|mentioned|disclosed|"
                     r"surfaced|shown|confirmed|approved)\b|\brun\s+them\s+(directly|without)", re.I)
NEGATED_PREAUTH = rxcache.compile(r"\b(never|not|no)\s+(\w+\s+){0,2}(pre-?approved|pre-?authori[sz]ed|auto-?approv\w*)|"
                             r"\balways\s+ask\b", re.I)


# a change made on the user's explicit request
USER_ASKS = rxcache.compile(r"\b(when|if|only\s+when|only\s+if|whenever|once)\s+(the\s+)?user\s+(explicitly\s+|specifically\s+|directly\s+)?"
                       r"(asks?|requests?|wants?|says\s+so|tells\s+you)\b|\bon\s+(the\s+)?user['’]?s?\s+(explicit\s+)?request\b|"
                       r"\bat\s+the\s+user['’]?s\s+request\b", re.I)


# files that run by themselves once installed: git hooks, IPython start-up files, interpreter-wide
# customisation, shell start-up snippets
GIT_HOOK_NAMES = (r"pre-commit|prepare-commit-msg|commit-msg|post-commit|pre-push|post-checkout|post-merge|pre-rebase|"
                  r"post-rewrite|pre-receive|post-receive|post-update|pre-applypatch|applypatch-msg|post-applypatch|"
                  r"pre-auto-gc|reference-transaction|pre-merge-commit|push-to-checkout")
HOOK_FILE = rxcache.compile(r"(^|/)(\.?git-?hooks|\.husky|hooks)/(" + GIT_HOOK_NAMES + r")(\.(sh|py|js|bash|zsh|ps1))?$|"
                       r"(^|/)(\.?ipython/)?(profile_\w+/)?startup/[^/]+\.(py|ipy)$|(^|/)(sitecustomize|usercustomize)\.py$|"
                       r"(^|/)[^/]+\.pth$|(^|/)(\.?(bash|zsh)rc|\.?(bash_)?profile|\.?zprofile|[\w.-]+\.(bashrc|zshrc))$|"
                       r"(^|/)profile\.d/[^/]+\.sh$", re.I)
# a line that puts a shipped file in such a place
HOOK_PLACE = rxcache.compile(r"\.git/hooks|hooksPath|\.githooks|\.husky|ipython[/\\][^\s]*startup|sitecustomize|usercustomize|"
                        r"site-packages|\.(bash|zsh)rc\b|\.(bash_)?profile\b|\.zprofile\b|profile\.d\b", re.I)
_HOOK_PLACE_KEYS = (b".git/hooks", b"hooksPath", b"hookspath", b".githooks", b".husky", b"startup", b"customize", b"site-packages",
                    b"bashrc", b"zshrc", b"profile")
# the hook sends data out (a body, a form, an upload) ...
HOOK_SEND = rxcache.compile(r"\b(curl|wget|https?(?=\s)|nc|ncat|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b[^\n]*?"
                       r"(\s-d\b|\s--data|\s-F\b|\s--form|\s-T\b|\s--upload-file|-X\s*['\"]?(POST|PUT)|--post-(data|file)|"
                       r"-Method\s+['\"]?(Post|Put)|\s-Body\b|-InFile\b)|"
                       r"\b(requests|httpx|session|client)\.(post|put|patch)\s*\(|\burlopen\s*\([^\n]*\bdata\s*=|"
                       r"\bRequest\s*\([^\n]*\bdata\s*=|\bfetch\s*\([^\n]*method\s*:\s*['\"](POST|PUT)|\bsendall\s*\(", re.I)
# ... or fetches code and runs it
HOOK_FETCH_RUN = rxcache.compile(r"\b(curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b[^\n|]*\|\s*(sudo\s+)?"
                            r"((ba|z|da|k)?sh|python[\d.]*|node|perl|ruby|iex|Invoke-Expression)\b|"
                            r"\bexec\s*\(\s*(requests\.get|urlopen|urllib\.request\.urlopen|httpx\.get)\b|"
                            r"\b(source|\.)\s+<\(\s*(curl|wget)\b", re.I)
_FORGE_URL = rxcache.compile(r"^https?://([\w-]+\.)*(github\.com|gitlab\.com|bitbucket\.org|localhost|127\.0\.0\.1)([:/]|$)", re.I)


def _shipped_hooks(ctx: Ctx, files: Mapping[str, bytes] | None) -> None:
    """A hook the skill ships (a git hook, an IPython start-up file, a shell rc snippet) runs on its
    own at every commit / session once installed, so what it does is what the skill installs: a
    shipped hook that sends data to a fixed outside host, or fetches and runs code, is
    `PE-PERSIST-SCHED` high -- whether or not installing it waits for the user's confirmation (the
    user confirms a "commit logger", not an uploader)."""
    if not files:
        return
    placers = [rel for rel, d in files.items() if isinstance(d, (bytes, bytearray)) and
               rel.lower().endswith(MD_EXT + SH_EXT + PY_EXT + JS_EXT) and any(k in d for k in _HOOK_PLACE_KEYS)]
    if not placers and not any(HOOK_FILE.search(rel) for rel in files):
        return
    texts = {rel: bytes(d[:MAX_FILE_BYTES]).decode("utf-8", errors="replace")
             for rel, d in files.items() if isinstance(d, (bytes, bytearray)) and len(d) < MAX_FILE_BYTES}
    placing = [ln for rel, t in texts.items() if rel in placers
               and HOOK_PLACE.search(t[:textscan.MAX_TEXT]) for ln in t[:textscan.MAX_TEXT].split("\n") if HOOK_PLACE.search(ln)]
    for rel, text in list(texts.items())[:MAX_FILES]:
        if rel == "SKILL.md" or rel.lower().endswith(MD_EXT):
            continue
        base = PurePosixPath(rel).name
        shipped = HOOK_FILE.search(rel) or any(rel in ln or len(base) >= 6 and re.search(
            r"(^|[\s/'\"`])" + re.escape(base) + r"($|[\s'\"`])", ln) for ln in placing[:2000])
        if not shipped:
            continue
        for i, line in enumerate(text.split("\n")[:5000], start=1):
            line = line[:2000]
            if line.lstrip().startswith(("#", "//")) and not line.startswith("#!"):
                continue
            fetch_run = HOOK_FETCH_RUN.search(line)
            send = HOOK_SEND.search(line)
            def outside(u: str) -> bool:
                return not _FORGE_URL.match(u) and not textscan.first_party(u, ctx.identity) and \
                    not textscan.url_trusted(u, ctx.trusted_hosts)
            urls = [u for u in textscan.URL.findall(line if send or fetch_run else "") if outside(u)]
            if send and not urls and not textscan.URL.search(line):
                # the URL may be held in a variable set elsewhere in the hook
                urls = [u for u in textscan.URL.findall(text[:200000]) if outside(u)]
            if (send or fetch_run) and urls:
                what = "fetches and runs code" if fetch_run else "sends data to " + textscan.host_of(urls[0])
                ctx.add("PE-PERSIST-SCHED", rel, i, f"{line.strip()}  (a hook the skill installs {what})", "high",
                        why="The skill installs this file as a hook that runs by itself at every commit / session; "
                            "it " + what + ", so every later use of the repository or shell leaks or runs remote code.")
                ctx.fact("persist", rel, i, line.strip())
                ctx.fact("net_send" if send else "remote_exec", rel, i, line.strip())
                break


_SSH_PATH = rxcache.compile(rb"(?<=[./~])ssh\b|\bssh_host_\w+|\bssh-keygen\b")


def _local_cred_reads(ctx: Ctx, files: Mapping[str, bytes] | None) -> None:
    """A bundled script that reads a credential/config store (kube config contexts, docker
    config) in a skill where no file has any network sink, and nothing else is suspicious:
    the value cannot leave the process, so the read stays on record at low."""
    if not files:
        return
    reads = [(k, f) for k, f in ctx.findings.items() if f.rule_id == "PE-CRED-READ" and f.severity == "medium"]
    if not reads or any(not PurePosixPath(f.file).name.lower().endswith(PY_EXT + SH_EXT + JS_EXT) for _, f in reads):
        return
    if any(severity_rank(f.severity) >= 2 for f in ctx.findings.values() if f.rule_id != "PE-CRED-READ"):
        return
    if any(ctx.facts.get(k) for k in ("net_send", "net_fetch", "py_net", "ext_url", "prose_send", "remote_exec",
                                      "secret_source", "persist", "conceal", "obfuscation")):
        return
    for data in files.values():
        # a path into ~/.ssh names a folder, not the ssh client
        if isinstance(data, (bytes, bytearray)) and NET_ANYWHERE.search(_SSH_PATH.sub(b" ", bytes(data[:MAX_FILE_BYTES]))):
            return
    for key, f in reads:
        ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + "  (no network sink in the skill)")
    ctx.facts.pop("cred_read", None)


# the skill makes a change only after the user has seen and accepted it
CONSENT_GATE = rxcache.compile(
    r"\b(only\s+)?(after|once|when|if)\s+the\s+user\s+(explicitly\s+)?(says\s+yes|confirms?|approves?|agrees?|accepts?|"
    r"has\s+(confirmed|approved|agreed|accepted))\b|"
    r"\b(ask|get|obtain|wait\s+for|require)\s+(the\s+user['’]?s?\s+|(the\s+user\s+)?for\s+)?(explicit\s+|written\s+)?(confirmation|approval|consent|"
    r"permission|a\s+yes)\s+(before|first)\b|"
    r"\bwith\s+the\s+user['’]s\s+(explicit\s+)?(confirmation|approval|consent)\b|"
    r"\b(only\s+)?(if|once|after|when)\s+(they|the\s+user)\s+(explicitly\s+)?(agrees?|confirms?|approves?|accepts?|says\s+yes|"
    r"consents?)\b|\bwith\s+(their|the\s+user['’]s)\s+(explicit\s+)?consent\b", re.I)
# a prompt right before the change: `[y/N]`, "only on yes"
_YES_PROMPT = rxcache.compile(r"\[\s*y\s*/\s*N\s*\]|\(\s*y\s*/\s*N\s*\)|\bonly\s+(on|after|if|when)\s+(a\s+|they\s+(answer|say|type)\s+)?"
                         r"[\"'“]?yes\b", re.I)
CONSENTED_RULES = {"PE-PERSIST-SCHED", "PE-PERSIST-RC"}


# a system-wide cron line whose job is a local script at an absolute install path, its output kept in a
# log (not thrown away), no fetch, decode or eval: the same disclosed change as a user crontab line
_SYSTEM_LOCAL_JOB = rxcache.compile(r"^[^|;&`$]{0,40}?['\"]?(@(daily|weekly|monthly|hourly)|([\d*/,-]+\s+){5})(root|[a-z_][\w-]{0,30}\s+)?"
                               r"(/(usr/local|opt|usr|srv|home/[\w.-]+)/[\w./-]+)(\s+[\w./=-]+){0,6}"
                               r"(\s+>>?\s*/var/log/[\w./-]+(\s+2>&1)?)?['\"]?\s*(\|\s*sudo\s+tee\s+(-a\s+)?/etc/cron\.d/[\w.-]+)?\s*$")


_CRONTAB_FROM_FILES = rxcache.compile(r"^\s*(sudo\s+)?\(?\s*((crontab\s+-l(\s+2>\s*/dev/null)?|cat\s+[\"']?([\w./$~{}-]{1,200})[\"']?"
                                 r"(\s+2>\s*/dev/null)?)\s*(;|&&|\|\|)?\s*(true\s*;?\s*)?)+\)?\s*\|\s*crontab\s+-\s*$")


def _bundled_cron_ok(evidence: str, files: Mapping[str, bytes] | None) -> bool:
    """`( cat /tmp/cron.bak; cat scripts/crontab.example ) | crontab -`: the user's own table (saved with
    `crontab -l > backup`) plus a crontab file the skill ships; fine when every line of that bundled file runs
    a local script (no fetch, decode or hidden / temporary path)."""
    ev = evidence.split("  (")[0]
    if not files or not _CRONTAB_FROM_FILES.match(ev):
        return False
    bundled = 0
    for src in re.findall(r"\bcat\s+[\"']?([\w./$~{}-]{1,200})", ev):
        if re.match(r"(/tmp|/var/tmp)/[\w.-]*cron[\w.-]*$", src) or src in ("-",):
            continue  # the backup of the user's own table
        data = files.get(src.lstrip("./")) or next((v for k, v in files.items() if k.endswith("/" + src.lstrip("./"))), None)
        if not isinstance(data, (bytes, bytearray)):
            return False
        content = bytes(data[:20000]).decode("utf-8", errors="replace")
        jobs = [ln for ln in content.split("\n") if ln.strip() and not ln.lstrip().startswith("#") and "=" not in ln.split()[0]]
        if not jobs or any(textscan._REMOTE_JOB.search(j) or textscan._HIDDEN_JOB.search(j) for j in jobs):
            return False
        bundled += 1
    return bundled > 0


def _consented_changes(ctx: Ctx, body: str, files: Mapping[str, bytes] | None = None) -> None:
    """A user-level persistent change (a crontab line, a LaunchAgent, a start-up file line) the
    skill makes only after the user has confirmed it is disclosed and consented to: low. Never
    when the skill also conceals, overrides or pre-approves, and never for a job that fetches
    remote content or runs from a hidden or temporary place."""
    if not any(f.rule_id in CONSENTED_RULES and f.severity == "medium" for f in ctx.findings.values()):
        return
    if any(ctx.facts.get(k) for k in ("conceal", "override", "noconfirm_any", "preauth", "hidden", "remote_exec",
                                      "obfuscation", "revshell", "root")):
        return
    gate = bool(CONSENT_GATE.search(body[:textscan.MAX_TEXT]))
    for key, f in list(ctx.findings.items()):
        if f.rule_id == "PE-PERSIST-SCHED" and f.severity == "medium" and _bundled_cron_ok(f.evidence, files):
            src = files.get(f.file) if files else None
            lines = bytes(src[:MAX_FILE_BYTES]).decode("utf-8", "replace").split("\n") if isinstance(src, (bytes, bytearray)) else []
            if gate or _YES_PROMPT.search("\n".join(lines[max(0, f.line - 13):f.line])):
                ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + "  (a bundled crontab, after "
                                                                                              "the user confirms)")
    if not gate:
        return
    for key, f in list(ctx.findings.items()):
        if f.rule_id in CONSENTED_RULES and f.severity == "medium" and not textscan._REMOTE_JOB.search(f.evidence) \
                and not textscan._HIDDEN_JOB.search(f.evidence) and (
                    not re.search(r"/etc/|LaunchDaemons|\bsudo\b", f.evidence) or _SYSTEM_LOCAL_JOB.search(f.evidence)):
            ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + "  (after the user confirms)")


def _own_key_rotation(ctx: Ctx, files: Mapping[str, bytes] | None) -> None:
    """The skill's own script generates a key pair and installs that new public key (see
    `shscan._generated_key_installs`): the prose describing that change to authorized_keys describes
    key rotation, not a planted key. Not when any file holds a literal public key or the skill hides,
    overrides or pre-approves."""
    if not ctx.facts.get("own_key_install") or not files:
        return
    if any(ctx.facts.get(k) for k in ("conceal", "override", "preauth", "hidden", "remote_exec", "obfuscation", "revshell")):
        return
    for data in files.values():
        if isinstance(data, (bytes, bytearray)) and re.search(rb"\b(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\S+)\s+AAAA",
                                                             bytes(data[:MAX_FILE_BYTES])):
            return
    for key, f in list(ctx.findings.items()):
        if f.rule_id == "PE-SSH-AUTHKEYS" and severity_rank(f.severity) >= 2 and f.file.lower().endswith(MD_EXT):
            ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + "  (the skill's script installs a "
                                                                                          "key it generates)")
    # the description of that rotation ("reads ~/.ssh to find the current key") in a skill that sends nothing out
    if any(ctx.facts.get(k) for k in ("net_send", "prose_send", "secret_source", "ext_url")) or \
            any(f.rule_id.startswith("EX-") and severity_rank(f.severity) >= 2 for f in ctx.findings.values()):
        return
    for key, f in list(ctx.findings.items()):
        if f.rule_id == "PE-CRED-READ" and f.severity == "medium" and ".ssh" in f.evidence and f.file.lower().endswith(MD_EXT):
            ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + "  (key rotation; nothing is sent)")


# a control the skill itself turns on, and the command that turns it off again
_CONTROL_ON_OFF = (
    (rxcache.compile(r"\bufw\s+(--force\s+)?enable\b"), rxcache.compile(r"\bufw\s+disable\b|systemctl\s+(stop|disable)\s+ufw\b")),
    (rxcache.compile(r"systemctl\s+(enable|start)\s+(--now\s+)?firewalld\b|firewall-cmd\b"),
     rxcache.compile(r"systemctl\s+(stop|disable)\s+firewalld\b")),
    (rxcache.compile(r"\bsetenforce\s+1\b|SELINUX=enforcing"), rxcache.compile(r"\bsetenforce\s+0\b")),
    (rxcache.compile(r"systemctl\s+(enable|start)\s+(--now\s+)?(fail2ban|auditd|apparmor)\b"),
     rxcache.compile(r"systemctl\s+(stop|disable)\s+(fail2ban|auditd|apparmor)\b")),
)
_ROLLBACK = rxcache.compile(r"\b(roll\s*-?back|undo|revert|back\s+out|restor\w+|uninstall\w*|to\s+reverse|troubleshoot\w*|"
                       r"locked\s+out|recover\w*)\b", re.I)
_ROLLBACK_BAD = rxcache.compile(r"\b(silently|quietly|without\s+(asking|telling)|do\s+not\s+(tell|mention)|before\s+(running|you\s+run|"
                           r"install\w*)|first,?\s+disable|always\s+disable|keep\s+it\s+(off|disabled))\b", re.I)


def _rollback_steps(ctx: Ctx, files: Mapping[str, bytes] | None) -> None:
    """A skill that turns a control on (`ufw enable`, firewalld, SELinux enforcing) and documents how to turn
    it off again under a rollback / undo heading or sentence: the off switch is the undo of the skill's own
    change on the user's machine, not a skill disabling the user's protection (low). Not when the skill
    hides or overrides, or tells the agent to disable the control before its work."""
    if not files or any(ctx.facts.get(k) for k in ("conceal", "override", "hidden", "remote_exec", "revshell", "preauth")):
        return
    hits = [(k, f) for k, f in ctx.findings.items() if f.rule_id == "PI-DISABLE-SECURITY" and severity_rank(f.severity) >= 2]
    if not hits:
        return
    texts = {}
    for rel, data in files.items():
        if isinstance(data, (bytes, bytearray)):
            texts[rel] = bytes(data[:MAX_FILE_BYTES]).decode("utf-8", errors="replace")
    whole = "\n".join(texts.values())
    for key, f in hits:
        pair = next((on for on, off in _CONTROL_ON_OFF if off.search(f.evidence)), None)
        if pair is None or not pair.search(whole):
            continue
        text = texts.get(f.file, "")
        lines = text.split("\n")
        i = f.line - 1
        if i >= len(lines):
            continue
        near = "\n".join(lines[max(0, i - 3):i + 1])
        head = next((ln for ln in reversed(lines[max(0, i - 40):i + 1]) if re.match(r"\s{0,3}#{1,6}\s", ln)), "")
        if (_ROLLBACK.search(near) or _ROLLBACK.search(head)) and not _ROLLBACK_BAD.search(near):
            ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + "  (rollback of a control the "
                                                                                          "skill itself enables)")


# a real public key (not `ssh-ed25519 AAAA...`): the base64 body of an OpenSSH key line
REAL_PUBKEY = rxcache.compile(r"\b(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d{3}|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-\S{1,40})"
                         r"\s+AAAA[0-9A-Za-z+/]{30,}={0,3}")
_AK_WORDS = rxcache.compile(r"authorized[_ ]keys|ssh-copy-id|\bauthori[sz]ed\s+(ssh\s+)?keys?\b", re.I)
_AK_INSTALL = rxcache.compile(r"\b(add|append|install|put|place|insert|copy|deploy|write|ensure|include|plant|push|drop|paste|"
                         r"trust|authori[sz]e|grant)\w*\b", re.I)
_AK_NOT_ACT = rxcache.compile(r"\b(example|e\.g\.|looks\s+like|format\s+(is|of)|sample|for\s+instance|attacker|malicious|"
                         r"compromis\w*|indicators?|iocs?|red\s+flags?|detect\w*|suspicious|never\s+(add|append|install|put)|"
                         r"(do\s+not|don'?t)\s+(add|append|install|put))\b", re.I)


def _planted_literal_key(ctx: Ctx, files: Mapping[str, bytes] | None) -> None:
    """A literal public key (the author's) that the skill installs into authorized_keys -- told in prose
    ("append our maintenance key to ~/.ssh/authorized_keys on every host"), shown in a fenced block under
    such a sentence, or written by a script -- gives the author standing login on the user's hosts:
    critical wherever it sits. A key shown as the format of a key line, or quoted as an indicator, is not."""
    if not files:
        return
    for rel, data in sorted(files.items()):
        if not isinstance(data, (bytes, bytearray)) or b"AAAA" not in data or rel in ctx.indicator_files:
            continue
        text = bytes(data[:MAX_FILE_BYTES]).decode("utf-8", errors="replace")
        lines = text.split("\n")
        for m in REAL_PUBKEY.finditer(text[:400000]):
            i = text.count("\n", 0, m.start())
            code = not rel.lower().endswith(MD_EXT)
            if code:
                written = [f for f in ctx.findings.values() if f.rule_id == "PE-SSH-AUTHKEYS" and f.file == rel]
                if written or "authorized_keys" in text and (
                        any(textscan.authkeys_written(ln) for ln in lines if "authorized_keys" in ln) or
                        re.search(r"\.write(_text)?\(|append_?[Ff]ile|write_?[Ff]ile|\bopen\([^\n]{0,200}['\"]a\+?['\"]|"
                                  r">>|\btee\s+-a\b|Add-Content|File\.(write|open)\b", text)):
                    ctx.add("PE-SSH-AUTHKEYS", rel, i + 1, f"{lines[i].strip()[:160]}  (a literal public key the script "
                            "installs into authorized_keys)", "critical")
                    ctx.fact("persist", rel, i + 1, lines[i].strip())
                    return
                continue
            window = "\n".join(lines[max(0, i - 8):i + 4])
            near = "\n".join(lines[max(0, i - 2):i + 1])
            if not _AK_WORDS.search(window) or not _AK_INSTALL.search(window) or _AK_NOT_ACT.search(near) or \
                    _AK_NOT_ACT.search(window) and not re.search(r"\b(every|each|all)\s+(host|server|machine|node|box|vm|"
                                                                  r"instance)s?\b", window, re.I):
                continue
            ctx.add("PE-SSH-AUTHKEYS", rel, i + 1, f"{lines[i].strip()[:160]}  (a literal public key the instructions install "
                    "into authorized_keys)", "critical",
                    why="The skill tells the agent to add the author's own public key to authorized_keys: whoever holds the "
                        "private key can log in to every host the agent sets up.")
            ctx.fact("persist", rel, i + 1, lines[i].strip())
            return


# destructive infrastructure / data changes the agent may run
RISKY_INFRA = rxcache.compile(r"\bterraform\s+(apply\b[^\n`]{0,80}-auto-approve\b|destroy\b)|\bterragrunt\s+(run-all\s+)?(apply|destroy)\b"
                         r"[^\n`]{0,60}(-auto-approve|--terragrunt-non-interactive)|\bpulumi\s+(up|destroy)\b[^\n`]{0,60}(--yes|-y|"
                         r"--skip-preview)\b|\bkubectl\s+delete\b|\bhelm\s+(uninstall|delete)\b|\bDROP\s+(TABLE|DATABASE|SCHEMA)\b|"
                         r"\b(aws|gcloud|az)\s+[^\n`]{0,80}\b(delete|terminate|rb|remove)\b[^\n`]{0,60}(--quiet|--yes|-y|--force)\b|"
                         r"\bcdk\s+(deploy|destroy)\b[^\n`]{0,60}--require-approval\s+never|\bansible-playbook\b[^\n`]{0,80}--extra-vars"
                         r"[^\n`]{0,60}confirm=(yes|true)", re.I)
_INFRA_KEYS = rxcache.compile(rb"terraform|terragrunt|pulumi|kubectl|helm|DROP|drop\s+(table|database|schema)|--quiet|--yes|--force|"
                         rb"require-approval|confirm=")
_INFRA_ASK = rxcache.compile(r"\b(ask|confirm|show\s+the\s+plan|review\w*|approv\w*\s+(by|in)\s+(a\s+)?(reviewer|pull\s+request|the\s+pr)|"
                        r"in\s+(ci|the\s+pipeline)|only\s+(after|when|if|once))\b", re.I)


def _unconfirmed_infra(ctx: Ctx, files: Mapping[str, bytes] | None) -> None:
    """A destructive infrastructure or data change (`terraform apply -auto-approve`, `terraform destroy`,
    `kubectl delete`, `DROP TABLE`, a cloud delete with `--quiet`) that the instructions declare pre-approved or
    tell the agent to run without asking: PI-NO-CONFIRM medium -- high when the skill also hides or misreports
    what it did ("describe deletions as routine updates"). The command documented for CI, or behind the user's
    review, is not flagged."""
    if not files:
        return
    for rel, data in sorted(files.items()):
        if not rel.lower().endswith(MD_EXT) or not isinstance(data, (bytes, bytearray)) or rel in ctx.indicator_files or \
                not _INFRA_KEYS.search(data[:MAX_FILE_BYTES]):
            continue
        text = bytes(data[:MAX_FILE_BYTES]).decode("utf-8", errors="replace")
        if not RISKY_INFRA.search(text):
            continue
        lines = text.split("\n")
        for i, line in enumerate(lines[:20000]):
            if not RISKY_INFRA.search(line):
                continue
            window = " ".join(lines[max(0, i - 3):i + 3])
            pre = textscan.PREAUTH.search(line) or textscan.PREAUTH.search(window) and (
                re.search(r"\b(run|execute|apply|proceed|go\s+ahead)\b", line, re.I))
            if not pre or _INFRA_ASK.search(line) or re.match(r"\W{0,6}(never|do\s+not|don'?t|must\s+not|avoid)\b", line, re.I) or \
                    textscan.SECURITY_CONTEXT.search(line):
                continue
            hide = ctx.facts.get("conceal") or ctx.facts.get("conceal_weak") or ctx.facts.get("hidden")
            ctx.add("PI-NO-CONFIRM", rel, i + 1, line.strip()[:200] + (f"  (and: {hide[0][2][:80]})" if hide else ""),
                    "high" if hide else "medium",
                    why="A destructive infrastructure or data change is declared pre-approved or run without asking the user"
                        + ("; the skill also hides or misreports what changed." if hide else "."))
            ctx.fact("preauth" if hide else "noconfirm_any", rel, i + 1, line.strip())
            return



def _file_lines(files: Mapping[str, bytes] | None, rel: str, cache: dict[str, list[str]]) -> list[str]:
    if rel not in cache:
        data = files.get(rel) if files else None
        if isinstance(data, str):
            data = data.encode("utf-8", "replace")
        cache[rel] = bytes(data or b"")[:MAX_FILE_BYTES].decode("utf-8", "replace").split("\n")
    return cache[rel]


def _logical_line(lines: list[str], n: int) -> str:
    """Line n (1-based) with its shell continuation lines joined on."""
    if not 1 <= n <= len(lines):
        return ""
    out, i = lines[n - 1], n
    while out.rstrip().endswith("\\") and i < len(lines) and i < n + 20 and len(out) < textscan.MAX_LINE:
        out = out.rstrip()[:-1] + " " + lines[i].strip()
        i += 1
    return out


def _aimed_at_target(ctx: Ctx, files: Mapping[str, bytes] | None) -> None:
    """A documented request to the system under test (a victim placeholder the reader names, every part of it
    literal) carries a payload for that system; a reverse shell whose callback is an unresolvable placeholder
    (YOUR_IP, <attacker-ip>) connects nowhere as written. Both are low in a Markdown document, and feed no
    correlation (their lines stop counting as reads or sends)."""
    cache: dict[str, list[str]] = {}
    cleared: set[tuple[str, int]] = set()
    assigned: dict[str, list[str]] | None = None

    def skill_vars() -> dict[str, list[str]]:
        # a $TARGET_HOST the skill sets anywhere is what it is set to, not a placeholder for the reader
        nonlocal assigned
        if assigned is None:
            assigned = {}
            for rel in (files or {}):
                for k, v in textscan.assigned_names("\n".join(_file_lines(files, rel, cache))).items():
                    assigned.setdefault(k, []).extend(v)
        return assigned

    text: str | None = None

    def skill_text() -> str:
        # every file of the skill, read once (where it maps a placeholder name to an address)
        nonlocal text
        if text is None:
            text = "\n".join("\n".join(_file_lines(files, rel, cache)) for rel in (files or {}))
        return text

    for key, f in list(ctx.findings.items()):
        if severity_rank(f.severity) < 2 or not f.file.lower().endswith(MD_EXT):
            continue
        line = _logical_line(_file_lines(files, f.file, cache), f.line)
        if f.rule_id == "EX-CORRELATED" or not line:
            continue
        if (f.rule_id.startswith("EX-") or f.rule_id in ("PE-CRED-READ", "PE-CODE-EXEC")) and \
                not ctx.env_redirect and textscan.aimed_at_target(line, skill_vars()):
            # only what a request does can be aimed at a target: where it goes, what it reads, the code text it
            # carries to the target (an HTTP client sends it, never runs it); never an instruction to the agent,
            # an installer run, a reverse shell or a persistence step riding on the same line
            why = "aimed at the reader's chosen target"
        elif f.rule_id == "PE-REVERSE-SHELL" and not ctx.env_redirect and textscan.placeholder_callback(
                line, skill_text()):
            why = "callback address is a placeholder"
        else:
            continue
        ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + f"  ({why})")
        cleared.add((f.file, f.line))
    for name, facts in list(ctx.facts.items()):
        kept = []
        for fact in facts:
            if (fact[0], fact[1]) in cleared:
                continue
            if fact[0].lower().endswith(MD_EXT) and name in ("net_send", "drop_host"):
                line = _logical_line(_file_lines(files, fact[0], cache), fact[1])
                if line and not ctx.env_redirect and textscan.aimed_at_target(line, skill_vars()):
                    continue
            kept.append(fact)
        ctx.facts[name] = kept



# `grep [-i|-h|-m N ...] host ~/.git-credentials` and nothing after the one file: no inverted match (-v picks
# every OTHER entry), no recursion, no second file (~/.aws/credentials) riding along
_SCOPED_CRED_READ = re.compile(r"\bgrep\s+((?:-[hioswxFEm]{1,6}|-m\s*\d{1,4}|--(?:ignore-case|only-matching|no-filename|"
                               r"fixed-strings|word-regexp|line-regexp|extended-regexp|max-count=\d{1,4}))\s+)*"
                               r"(['\"]?)(?:https?://)?(?:[\w-]+\.)*([\w-]+)\.(com|org|net|io)\b[\w./-]{0,40}\2\s+"
                               r"(~|\$HOME|\$\{HOME\}|\"\$HOME\"|\"\$\{HOME\}\")/\.(git-credentials|netrc)\b['\"]?"
                               r"(?=\s*(2>\s*/dev/null\s*)?(\||\)|;|&&|\|\||>\s*[\w/$~.-]+\s*(;|&&|$)|$))")
_FILE_BODY = re.compile(r"(?<![\w-])@[-~/.$\w]|(?<!\S)-[A-Za-z]*d['\"]?@|--(upload|post|body)-file\b|(?<!\S)-T\s|"
                        r"--upload\b|-InFile\b|<\s*[~/.$\w]", re.I)
_LITERAL_TOKEN = re.compile(r"\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{10,}|\bgithub_pat_\w{10,}|\bglpat-[\w-]{10,}")
_URL_VAR = re.compile(r"\$\{?\w*(URL|HOST|ENDPOINT|SERVER|WEBHOOK|DEST)\w*", re.I)
_BARE_DOMAIN = re.compile(r"(?<![\w@./-])((?:[a-z0-9-]{1,63}\.)+(?:com|org|net|io|dev|sh|ai|app|co|me|xyz|info|site|"
                          r"cloud|[a-z]{2}))(?=[/:\s'\"?]|$)", re.I)
_ASSIGNED_FROM = re.compile(r"^\s*(?:export\s+|local\s+)?([A-Za-z_]\w{0,60})=\$\(")


def _send_hosts(text: str) -> list[str]:
    """Where a send line goes: its URLs, and a destination written without a scheme (`curl -d @f host/u`,
    `nc host 80`)."""
    hosts = [textscan.host_of(u) for u in textscan.URL.findall(text)]
    rest = textscan.URL.sub(" ", text)
    rest = re.sub(r"~?/[\w./$~-]*|\S+@\S+", " ", rest)  # local paths and user@host/email forms are no destinations
    hosts += [m.group(1).lower() for m in _BARE_DOMAIN.finditer(rest)
              if not re.search(r"\.(txt|json|ya?ml|md|sh|py|js|tgz|gz|zip|tar|log|pem|key|csv)$", m.group(1), re.I)]
    hosts += re.findall(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])", rest)
    return hosts


# options that send a request somewhere other than its URL's host: --resolve / --connect-to, a proxy, a DNS
# server, or an IPv6 literal anywhere on the line
_REROUTE = re.compile(r"(?<!\S)(?-i:--resolve|--connect-to|-x|--proxy\w*|--preproxy|--socks\w*|--dns-\w+|--interface|-e)"
                      r"(?=[\s=]|\S)|\[[0-9a-f:]{2,45}\]|(?<![\w:])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}(?![\w:])", re.I)


def _scoped_credential_reads(ctx: Ctx, files: Mapping[str, bytes] | None) -> None:
    """`grep github.com ~/.git-credentials` picks the one entry for the host the skill is about (its name,
    description or introduction names it): the user's own token for that service. Low, and no correlation
    input, when every request the skill sends goes to that host (a destination with or without a scheme; a
    send to a bare IP or to a $VAR host counts as elsewhere) and carries the token only in its auth header
    -- a token in a request body could be posted into someone else's issue or gist on that same host."""
    cache: dict[str, list[str]] = {}
    names = ("cred_read", "cred_read_weak", "secret_source")
    spots = {(f.file, f.line) for f in ctx.findings.values() if f.rule_id == "PE-CRED-READ" and severity_rank(f.severity) >= 2}
    spots |= {(x[0], x[1]) for n in names for x in ctx.facts.get(n, [])}
    for rel, ln in sorted(spots):
        if not rel.lower().endswith(MD_EXT):
            continue
        read = _logical_line(_file_lines(files, rel, cache), ln)
        m = _SCOPED_CRED_READ.search(read)
        if not m or not re.search(r"\b" + re.escape(m.group(3)) + r"\b", ctx.identity, re.I):
            continue
        if len(re.findall(r"(~|\$HOME|\$\{HOME\})/\.|\.(aws|ssh|kube|docker|config)/", read)) > 1:
            continue  # another credential store read on the same line
        domain = m.group(3).lower()
        var = _ASSIGNED_FROM.match(read)
        if not var:
            continue  # written to a file or piped on: the token may reach a body indirectly
        # the variable is used only in an Authorization header or -u, never copied into another variable or a body
        use = re.compile(r"\$\{?" + re.escape(var.group(1)) + r"\b")
        # (an emptiness test `[ -z "$VAR" ]` reads nothing out)
        test = re.compile(r"\[\[?\s+-[nz]\s+\"?\$\{?" + re.escape(var.group(1)) + r"\}?\"?\s+\]\]?")
        if any(use.search(x) and (use.search(textscan._strip_auth(test.sub(" ", x))) or
                                  re.match(r"^\s*(?:export\s+|local\s+)?\w+=(?!\$\(\s*(?:curl|wget)\s)", x))
               for f_ in (files or {}) for x in _file_lines(files, f_, cache)):
            continue
        ok = not ctx.env_redirect  # a proxy / resolver / curl config set anywhere in the skill
        # every request that carries the token goes where its URL says, over TLS
        if any(use.search(x) and (_REROUTE.search(x) or re.search(r"\bhttp://", x))
               for f_ in (files or {}) for x in _file_lines(files, f_, cache)):
            ok = False
        for sf, sl, ev in ctx.facts.get("net_send", []):
            text = _logical_line(_file_lines(files, sf, cache), sl) if sf in (files or {}) else ev
            hosts = _send_hosts(text)
            if hosts and any(not re.search(r"(^|\.)" + re.escape(domain) + r"(usercontent)?\.(com|org|net|io)$", h)
                             for h in hosts) or not hosts and (_URL_VAR.search(text) or re.search(r"(?<!\S)['\"]?\$\{?\w+\}?[/:]", text)):
                ok = False
                break
            if var and re.search(r"\$\{?" + re.escape(var.group(1)) + r"\b", textscan._strip_auth(text)):
                ok = False  # the token itself in the body of the request
                break
            if _FILE_BODY.search(text) or _LITERAL_TOKEN.search(text):
                ok = False  # a body read from a file / stdin, or a hard-coded token (someone else's account)
                break
            if _REROUTE.search(text) or re.search(r"\bhttp://", text):
                ok = False  # the connection goes elsewhere than its URL says, or the token travels in clear
                break
        if not ok:
            continue
        for key, f in list(ctx.findings.items()):
            if (f.file, f.line) == (rel, ln) and f.rule_id == "PE-CRED-READ" and severity_rank(f.severity) >= 2 and \
                    re.search(r"\.(git-credentials|netrc)\b", f.evidence):
                ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + f"  (the {domain} entry, for {domain})")
        for name in names:
            ctx.facts[name] = [x for x in ctx.facts.get(name, []) if (x[0], x[1]) != (rel, ln)]


def _correlate(ctx: Ctx, fm: dict, body: str, files: Mapping[str, bytes] | None = None) -> None:
    facts = ctx.facts
    _unconfirmed_infra(ctx, files)
    _planted_literal_key(ctx, files)
    _consented_changes(ctx, body, files)
    _rollback_steps(ctx, files)
    infrascan.local_hosts_entries(ctx)
    _own_key_rotation(ctx, files)
    # the user's content uploaded to a fixed outside host, with the upload kept from the user: the
    # upload is low on its own (a transcript to a summariser), concealment makes it exfiltration
    hide = facts.get("conceal") or facts.get("conceal_weak") or facts.get("hidden")
    if hide:
        for key, f in list(ctx.findings.items()):
            if f.rule_id == "EX-UPLOAD" and severity_rank(f.severity) < 3 and textscan.URL.search(f.evidence):
                ctx.findings[key] = dataclasses.replace(f, severity="high", evidence=f"{f.evidence}  (kept from the user: {hide[0][2][:80]})")
                ctx.fact("net_send", f.file, f.line, f.evidence)
    # a start-up hook in a skill that also sends data or runs remote content: the hook is the beacon
    if facts.get("startup_hook") and any(facts.get(k) for k in ("net_send", "remote_exec", "ext_url", "py_net", "net_fetch")):
        for key, f in list(ctx.findings.items()):
            if f.rule_id == "PE-PERSIST-SCHED" and f.evidence.endswith("(start-up hook)") and f.severity in ("low", "medium"):
                ctx.findings[key] = dataclasses.replace(f, severity="high", evidence=f.evidence + " in a skill that sends data out")
    sources = facts.get("cred_read", []) + facts.get("secret_source", []) + facts.get("cred_read_weak", []) + \
        facts.get("cred_copy", [])
    sends = facts.get("net_send", [])
    if sources and sends:
        s, d = sources[0], sends[0]
        ctx.add("EX-CORRELATED", s[0], s[1], f"reads: {s[2]}  →  sends: {d[2]}")
    if facts.get("fs_enum") and (sources or sends):
        f = facts["fs_enum"][0]
        ctx.add("EX-FS-ENUM", f[0], f[1], f[2], "high")
    if facts.get("agent_config"):
        a = facts["agent_config"][0]
        # a pre-authorisation ("never ask for confirmation", "pre-approved") written next to an
        # agent instruction / memory file (heredoc body, the following lines): memory poisoning
        # the file line introduces the content it writes (heredoc, "append the following:")
        intro = [c for c in facts["agent_config"] if AGENT_CONTENT_INTRO.search(c[2])
                 and not re.match(r"\s*[\w-]{1,40}:\s*[\"'“]", c[2]) and not textscan.SECURITY_CONTEXT.search(c[2])]
        near = [(c, f) for c in intro for f in facts.get("noconfirm_any", []) + facts.get("preauth", [])
                if c[0] == f[0] and 0 < f[1] - c[1] <= 8 and not textscan.SECURITY_CONTEXT.search(f[2])]
        near += [(c, c) for c in facts["agent_config"] if c in facts.get("preauth", [])]
        for c in intro[:20]:
            if near:
                break
            data = files.get(c[0]) if files else None
            if isinstance(data, (bytes, bytearray)) and c[1] >= 1:
                lines = bytes(data[:MAX_FILE_BYTES]).decode("utf-8", errors="replace").split("\n")[c[1] - 1:c[1] + 8]
                hit = next((ln for ln in lines[1:] if textscan.PREAUTH.search(ln[:2000]) and
                            not textscan.SECURITY_CONTEXT.search(ln[:2000])), None)
                if hit is not None:
                    near.append((c, (c[0], c[1], hit.strip())))
        if near:
            c, f = near[0]
            ctx.add("PI-AGENT-CONFIG", c[0], c[1], f"{c[2]}  →  {f[2]}", "high")
        # a skill whose purpose is editing agent files when the user asks for it describes a capability:
        # only a permissive setting, an override, concealment or disabled security beside it is poisoning
        strong = ("conceal", "override", "permissive", "hidden", "disable_security")
        gated = USER_ASKS.search(ctx.identity) or USER_ASKS.search(a[2])
        if any(facts.get(k) for k in strong + (() if gated else ("mandatory", "cred_read"))):
            ctx.add("PI-AGENT-CONFIG", a[0], a[1], a[2], "high")
        elif facts.get("noconfirm_any") and (facts.get("prose_send") or facts.get("ext_url")):
            ctx.add("PI-AGENT-CONFIG", a[0], a[1], a[2] + " (and pre-approves actions or routes data out)", "medium")
    _local_cred_reads(ctx, files)
    # "run it silently" is quiet output on its own; next to a sensitive capability (data sent out,
    # credentials read, remote code, persistence) it hides that capability from the user
    weak = facts.get("conceal_weak")
    sensitive = next((facts[k][0] for k in ("net_send", "cred_read", "cred_read_weak", "secret_source", "remote_exec",
                                             "persist", "obfuscation", "revshell", "drop_host", "agent_config",
                                             "standing_consent")
                      if facts.get(k)), None)
    if weak and sensitive:
        w = weak[0]
        ctx.add("PI-CONCEAL", w[0], w[1], f"{w[2]}  (in a skill that also: {sensitive[2]})", "high",
                why="The instructions keep an action quiet in a skill that also sends data out, reads credentials, "
                    "runs remote code or installs persistence.")
        ctx.fact("conceal", w[0], w[1], w[2])
    # "do not redact" next to a capture of the environment or of secret files: the secrets are
    # meant to leave intact
    if facts.get("noredact") and (facts.get("secret_source") or any(
            f.rule_id in ("EX-ENV-DUMP", "EX-SECRET-UPLOAD", "EX-SECRET-HARVEST") and severity_rank(f.severity) >= 2
            for f in ctx.findings.values())):
        n = facts["noredact"][0]
        ctx.add("PI-CONCEAL", n[0], n[1], n[2] + " (with a capture of the environment or secrets)", "high",
                why="The instructions forbid redacting what is captured from the environment or secret files.")
        ctx.fact("conceal", n[0], n[1], n[2])
    # standing consent (approval carried over to later sessions / updates, permission prompts answered
    # on the user's behalf) together with suppressing disclosure: the user loses both control and view
    if facts.get("standing_consent"):
        c = facts["standing_consent"][0]
        hide = facts.get("conceal") or facts.get("conceal_weak") or facts.get("hidden")
        if hide or len({x[1] for x in facts["standing_consent"]}) >= 2 and facts.get("noconfirm_any"):
            h = (hide or facts["noconfirm_any"])[0]
            ctx.add("PI-NO-CONFIRM", c[0], c[1], f"{c[2]}  (with: {h[2]})", "high",
                    why="The text claims a standing or transferred approval for the agent's actions and also keeps "
                        "the skipped confirmations from the user.")
    # description claims offline / read-only but the code talks to the network
    desc = str(fm.get("description") or "")
    # a JSON-RPC / GraphQL read travels as a POST: eth_getBalance, getAccountInfo, a `query` -- not a write
    claim = OFFLINE_CLAIM.search(desc)
    if claim and re.search(r"read-only|does\s+not\s+(write|modify)", claim.group(0), re.I):
        reads = [x for x in sends if _rpc_read(x, files)]
        sends = [x for x in sends if not _rpc_read(x, files)]
        # reading over the network does not contradict "read-only": only writes, transactions and
        # uploads (sends that are not JSON-RPC / GraphQL reads) do
        py_net = []
    else:
        py_net = facts.get("py_net", [])
    if claim and (sends or py_net and facts.get("script")):
        ev = sends[0] if sends else py_net[0]
        ctx.add("EX-DESCRIPTION-MISMATCH", ev[0], ev[1],
                f"claims '{OFFLINE_CLAIM.search(desc).group(0)}' but: {ev[2]}")
    # a promise of local processing (description or body) while a shipped script posts data out: the
    # user's documents leave under a claim that they do not
    code_sends = [x for x in facts.get("net_send", []) if not x[0].lower().endswith(MD_EXT)]
    privacy = code_sends and (PRIVACY_CLAIM.search(desc) or PRIVACY_CLAIM.search(body[:20000]))
    if privacy and code_sends:
        ev = code_sends[0]
        ctx.add("EX-DESCRIPTION-MISMATCH", ev[0], ev[1], f"claims '{privacy.group(0)}' but: {ev[2]}", "high",
                why="The skill promises the user's data stays on the machine, but its code sends data to an outside host.")


RPC_READ = rxcache.compile(r"['\"]?jsonrpc['\"]?\s*[:=][^\n]{0,200}['\"]?method['\"]?\s*[:=]\s*['\"]([a-z]+_)?(get|call|"
                      r"blockNumber|chainId|estimateGas|gasPrice|feeHistory|getBalance|getLogs|syncing|version|status|query|"
                      r"simulate)\w*['\"]|^\s*[^\n]{0,200}\b(query|json)\s*[:=]\s*\{?\s*['\"]?query['\"]?\s*:\s*['\"]\s*(query\b|\{)",
                      re.I)


RPC_WRITE = rxcache.compile(r"['\"]method['\"]?\s*[:=]\s*['\"]([a-z]+_)?(send|sign|submit|broadcast|transfer|approve)\w*['\"]|"
                       r"\bmutation\b", re.I)
_BODY_ARG = rxcache.compile(r"\b(data|json|body|content)\s*=\s*([A-Za-z_]\w{0,40})\b|\(\s*[^,()]{1,300},\s*([A-Za-z_]\w{0,40})\s*[,)]")


def _rpc_read(send: tuple, files: Mapping[str, bytes] | None) -> bool:
    """The POST carries a JSON-RPC / GraphQL read: on the line itself, or in the variable the call
    sends (`Request(url, data=body)` with `body = json.dumps({"method": "eth_getBalance", ...})`),
    in a script that names no write method anywhere."""
    if RPC_READ.search(send[2]):
        return True
    m = _BODY_ARG.search(send[2])
    data = files.get(send[0]) if files else None
    if not m or not isinstance(data, (bytes, bytearray)):
        return False
    src = bytes(data[:MAX_FILE_BYTES]).decode("utf-8", "replace")
    if RPC_WRITE.search(src):
        return False
    var = m.group(2) or m.group(3)
    for a in re.finditer(r"(?m)^\s*" + re.escape(var) + r"\s*=\s*([^\n]{1,600})", src):
        if RPC_READ.search(a.group(1)):
            return True
    return False


_AGENT_PI = ("PI-OVERRIDE", "PI-FAKE-SYSTEM", "PI-JAILBREAK", "PI-CONCEAL", "PI-EXFIL-INSTRUCTION", "PI-HIDDEN-COMMENT",
             "PI-INVISIBLE-CHARS", "PI-AGENT-CONFIG", "PI-NO-CONFIRM")


def _detection_samples(ctx: Ctx) -> None:
    """A detection-engineering skill (Sigma / YARA / Suricata / Snort rules, threat hunting) quotes the
    encoded payloads its rules match: a blob decoded from its Markdown is a sample, capped at low like
    the lines of an indicator document -- unless the skill also addresses the agent with an override,
    concealment or an exfiltration instruction."""
    if not textscan.DETECTION_IDENTITY.search(ctx.identity):
        return
    if any(f.rule_id in _AGENT_PI and severity_rank(f.severity) >= 2 and "encoded blob" not in f.evidence
           for f in ctx.findings.values()):
        return
    for key, f in list(ctx.findings.items()):
        if severity_rank(f.severity) >= 2 and f.file.lower().endswith(MD_EXT) and "encoded blob" in f.evidence:
            ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + "  (sample in a detection skill)")


# the label a document puts on a code example it shows as the wrong way: a comment or heading on the line
# or just above ("# VULNERABLE", "// Bad:", "def vulnerable():", "# ruleid: sql-injection", "❌")
_BAD_WORD = (r"(vulnerable|insecure|unsafe|bad|wrong|noncompliant|non-compliant|ruleid|anti-?pattern|dangerous|"
             r"never\s+do\s+this|don'?t\s+do\s+this|do\s+not\s+do\s+this|avoid)")
# the label opens the comment or heading ("# VULNERABLE", "// Bad:", "### Insecure example", "❌ Wrong"), or
# names the function ("def vulnerable_lookup():"); a comment that merely mentions a word ("# escaped, so no SQL
# injection here", "# returns [] on bad ids", "# ❌ empty list if none") is no label
_BAD_LABEL = re.compile(r"(^|\s)(#{1,6}|//|--|/\*|<!--|\*\*)\s*(\*\*|\[|\(|❌|⚠️?|🚫)?\s*" + _BAD_WORD + r"\b|"
                        r"^\s*(async\s+)?(def|function|func|fn)\s+\w*?" + _BAD_WORD + r"|"
                        r"(^|\s)(#{1,6}|//|--|/\*|\*\*)?\s*(❌|🚫)\s*(\*\*)?\s*(" + _BAD_WORD[1:-1] + r"|example|version|code)\b|"
                        r"(^|\s)(#{1,6}|//|--|/\*|\*\*)?\s*(❌|🚫)\s*(\*\*)?\s*([:(\-]|$)", re.I)
_LABEL_LINE = re.compile(r"\s*(#|//|--|/\*|<!--|\*\*|\u274c|\U0001f6ab|\u26a0|(async\s+)?(def|function|func|fn)\s)", re.I)
_GOOD_LABEL = re.compile(r"(#|//|--|^\s*#{1,6}\s|^\s*def\s|\*\*|✅)[^\n]{0,60}?\b(secure|safe|good|correct|fixed|"
                         r"parameteri[sz]ed|ok:|better)\b|✅", re.I)


def _labelled_bad_examples(ctx: Ctx, files: Mapping[str, bytes]) -> None:
    """A Markdown code example of injectable code that the document itself labels as the vulnerable
    version (a code-review or secure-coding guide showing what to catch) teaches; it does not run."""
    texts: dict[str, list[str]] = {}
    for key, f in list(ctx.findings.items()):
        if f.rule_id != "PE-VULN-CODE" or severity_rank(f.severity) < 2 or not f.file.lower().endswith(MD_EXT):
            continue
        if f.file not in texts:
            data = files.get(f.file)
            if isinstance(data, str):
                data = data.encode("utf-8", "replace")
            texts[f.file] = bytes(data or b"")[:MAX_FILE_BYTES].decode("utf-8", "replace").split("\n")
        lines = texts[f.file]
        window = lines[max(0, f.line - 4):f.line]  # the line and the three above it
        for ln in reversed(window):
            if _GOOD_LABEL.search(ln[:500]) and not _BAD_LABEL.search(ln[:500]):
                break
            # the label sits on its own comment line or heading above the code, or names the function; a
            # trailing comment on a code line ("...% name)  # avoid ORM overhead here") labels nothing
            if _LABEL_LINE.match(ln) and _BAD_LABEL.search(ln[:500]):
                ctx.findings[key] = dataclasses.replace(f, severity="low", evidence=f.evidence + "  (labelled as the bad example)")
                break


def audit_files(
    files: Mapping[str, bytes],
    *,
    name: str | None = None,
    path: str | None = None,
    policy: Policy | None = None,
    provenance: str | None = None,
    _extra: Iterable[Finding] = (),
) -> SkillAudit:
    """Audit one skill given as {posix relative path: bytes}. Pure: no I/O, never executes code."""
    policy = policy or Policy()
    ctx = Ctx(trusted_hosts=policy.all_trusted_hosts, deadline=time.perf_counter() + TIME_BUDGET)
    fm: dict = {}
    body = ""
    skill_md = files.get("SKILL.md")
    if isinstance(skill_md, str):
        skill_md = skill_md.encode("utf-8", errors="replace")
    if skill_md is not None:
        text = skill_md[:MAX_FILE_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
        fm, body, _ = parse_frontmatter(text)
        body_line = text.count("\n", 0, len(text) - len(body)) + 1
        _frontmatter_checks(ctx, fm, body)
    ctx.identity = " ".join(str(x) for x in (fm.get("name") or name or "", fm.get("description") or "",
                                              _introduction(body)) if isinstance(x, str))
    ctx.own_index = bool(deps.OWN_MIRROR.search(body[:textscan.MAX_TEXT]))
    ctx.env_redirect = textscan.env_redirect(files)
    total = 0
    for i, (rel, data) in enumerate(sorted(files.items())):
        if i >= MAX_FILES:
            ctx.add("AU-UNREADABLE", rel, 1, f"more than {MAX_FILES} files; the rest were not analysed")
            break
        if not isinstance(data, (bytes, bytearray)):
            data = str(data).encode("utf-8", errors="replace")
        total += len(data)
        if total > MAX_SKILL_BYTES:
            ctx.add("AU-UNREADABLE", rel, 1, f"skill larger than {MAX_SKILL_BYTES} bytes; rest not analysed")
            break
        if len(data) > MAX_FILE_BYTES:
            ctx.add("AU-UNREADABLE", rel, 1, f"file of {len(data)} bytes; only the first {MAX_FILE_BYTES} analysed",
                    "info")
            data = bytes(data[:MAX_FILE_BYTES])
        if ctx.out_of_time():
            ctx.add("AU-UNREADABLE", rel, 1, f"analysis time budget ({TIME_BUDGET}s) used up; not analysed")
            break
        try:
            _scan_file(ctx, rel, bytes(data))
        except RecursionError:
            ctx.add("AU-UNREADABLE", rel, 1, "content too deeply nested to analyse")
        if ctx.timed_out:
            ctx.add("AU-UNREADABLE", rel, 1, f"analysis time budget ({TIME_BUDGET}s) used up; file partly analysed")
    _missing_artifacts(ctx, files, body, body_line if skill_md is not None else 1)
    _cargo_build_hooks(ctx, files)
    _executed_indicator_files(ctx, files)
    _shipped_hooks(ctx, files)
    if skill_md is not None:
        _agent_file_content(ctx, body, body_line)
    _aimed_at_target(ctx, files)
    _scoped_credential_reads(ctx, files)
    _correlate(ctx, fm, body, files)
    trustscan.ssh_dir_creation(ctx)
    _detection_samples(ctx)
    _labelled_bad_examples(ctx, files)
    findings = list(ctx.findings.values()) + list(_extra)
    findings.sort(key=lambda f: (-severity_rank(f.severity), f.file, f.line, f.rule_id))
    skill_name = fm.get("name") if isinstance(fm.get("name"), str) else None
    skill_name = skill_name or name or (PurePosixPath(path).name if path else None)
    active, suppressed = apply_policy(findings, policy, skill_name)
    tier = compute_tier(active, provenance, policy, skill_name)
    return SkillAudit(path=path, name=skill_name, tier=tier, findings=active, suppressed=suppressed,
                      provenance=provenance)


def _finding(rule: str, rel: str, evidence: str, severity: str | None = None) -> Finding:
    ctx = Ctx()
    ctx.add(rule, rel, 1, evidence, severity)
    return next(iter(ctx.findings.values()))


def read_skill_folder(root: str | Path) -> tuple[dict[str, bytes], list[Finding]]:
    """Read a skill folder without following symlinks; over-size or unreadable files become
    findings."""
    root = Path(root)
    files: dict[str, bytes] = {}
    notes: list[Finding] = []
    total = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for d in list(dirnames):
            if os.path.islink(os.path.join(dirpath, d)):
                dirnames.remove(d)
                rel = Path(dirpath, d).relative_to(root).as_posix()
                notes.append(_symlink_finding(rel, os.path.join(dirpath, d)))
        for fn in sorted(filenames):
            full = os.path.join(dirpath, fn)
            rel = Path(full).relative_to(root).as_posix()
            if len(files) >= MAX_FILES:
                notes.append(_finding("AU-UNREADABLE", rel, f"more than {MAX_FILES} files; rest not read"))
                return files, notes
            try:
                st = os.lstat(full)
            except OSError as exc:
                notes.append(_finding("AU-UNREADABLE", rel, f"cannot stat: {exc}"))
                continue
            if stat.S_ISLNK(st.st_mode):
                notes.append(_symlink_finding(rel, full))
                continue
            if not stat.S_ISREG(st.st_mode):
                notes.append(_finding("AU-UNREADABLE", rel, "not a regular file (device, fifo or socket)"))
                continue
            try:
                fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
                with os.fdopen(fd, "rb") as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)
            except OSError as exc:
                notes.append(_finding("AU-UNREADABLE", rel, f"cannot read: {exc}"))
                continue
            if len(data) > MAX_FILE_BYTES:
                notes.append(_finding("AU-UNREADABLE", rel, f"larger than {MAX_FILE_BYTES} bytes; truncated", "info"))
                data = data[:MAX_FILE_BYTES]
            total += len(data)
            if total > MAX_SKILL_BYTES:
                notes.append(_finding("AU-UNREADABLE", rel, f"skill larger than {MAX_SKILL_BYTES} bytes; rest not read"))
                return files, notes
            files[rel] = data
    return files, notes


def _symlink_finding(rel: str, full: str) -> Finding:
    try:
        target = os.readlink(full)
    except OSError:
        target = "?"
    if CRED_STORE.search(target):
        return _finding("PE-CRED-READ", rel, f"symlink to credential store {target}", "high")
    outside = os.path.isabs(target) or ".." in Path(target).parts
    return _finding("AU-UNREADABLE", rel, f"symlink to {target} not followed",
                    "medium" if outside else "info")


def _require_exists(path: str | Path) -> None:
    """A typo must never read as a clean verdict."""
    if not Path(path).exists() and not Path(path).is_symlink():
        raise SourceError(f"{path}: no such file or folder to audit.")


def audit_path(path: str | Path, *, policy: Policy | None = None, provenance: str | None = None) -> SkillAudit:
    """Audit one skill folder (or a single SKILL.md file). A path that does not exist raises
    SourceError: a typo must never read as a clean verdict."""
    _require_exists(path)
    p = Path(path)
    if p.is_file() and not p.is_symlink():
        data = p.read_bytes()[:MAX_FILE_BYTES]
        return audit_files({"SKILL.md" if p.name.lower() == "skill.md" else p.name: data}, path=str(p),
                           policy=policy, provenance=provenance, name=p.parent.name)
    files, notes = read_skill_folder(p)
    return audit_files(files, path=str(p), name=p.name, policy=policy, provenance=provenance, _extra=notes)


def find_skill_dirs(path: str | Path) -> list[Path]:
    """Folders holding a SKILL.md under `path` (recursively, not following symlinks). A folder
    without any SKILL.md below it is treated as one skill."""
    p = Path(path)
    if p.is_file():
        return [p.parent if p.name == "SKILL.md" else p]
    if (p / "SKILL.md").is_file():
        return [p]
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not os.path.islink(os.path.join(dirpath, d)))
        if "SKILL.md" in filenames:
            found.append(Path(dirpath))
            dirnames[:] = []
    return found or ([p] if p.is_dir() else [])


def audit_paths(paths: Iterable[str | Path], *, policy: Policy | None = None,
                provenance: str | None = None) -> list[SkillAudit]:
    """Audit every skill folder under each path (`find_skill_dirs`); a path that does not
    exist raises SourceError."""
    out = []
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        _require_exists(path)
        for d in find_skill_dirs(path):
            out.append(audit_path(d, policy=policy, provenance=provenance))
    return out


__all__ = ["audit_files", "audit_path", "audit_paths", "find_skill_dirs", "read_skill_folder", "parse_frontmatter",
           "clip"]
