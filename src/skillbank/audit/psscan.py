"""PowerShell (*.ps1, *.psm1 and PowerShell code blocks) by a small tokenizer: statements are
split on newlines and `;`, backtick escapes and literal string concatenation are folded
('Down'+'loadString', I`E`X), and variables carry what was assigned to them (downloaded,
decoded, a Run key path, the Startup folder) to the statements that use them. Nothing runs."""

from __future__ import annotations

import base64
import binascii
import re

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx

MAX_PS = 256 * 1024
I = re.I

# sources
DOWNLOAD = rxcache.compile(r"\.Download(String|Data|File)(Async)?\s*\(|\b(Invoke-WebRequest|Invoke-RestMethod|iwr|irm|"
                      r"Start-BitsTransfer|curl|wget)\b|Net\.WebClient|Net\.Http\.HttpClient|\.GetStringAsync\s*\(", I)
DECODE = rxcache.compile(r"FromBase64String|\.GetString\s*\(|\bConvertFrom-SecureString\b|-bxor\b|"
                    r"IO\.Compression\.(GZip|Deflate)Stream|\[char\[\]\]|\[char\]\s*\d", I)
RUN_KEY = rxcache.compile(r"\\CurrentVersion\\{1,2}(Run|RunOnce|RunServices|Policies\\{1,2}Explorer\\{1,2}Run)\b|"
                     r"\\Winlogon\\{1,2}?(Userinit|Shell)\b|\\Image File Execution Options\\", I)
STARTUP = rxcache.compile(r"\\Start Menu\\Programs\\Startup|shell:startup|GetFolderPath\(\s*['\"]?(\[Environment\+SpecialFolder\]::)?"
                     r"(Common)?Startup", I)
# sinks
EXEC = rxcache.compile(r"(?<![\w-])(iex|Invoke-Expression)(?![\w-])|\[scriptblock\]::Create\s*\(|\bInvoke-Command\b[^\n]{0,80}"
                  r"-ScriptBlock|\.InvokeScript\s*\(|\bAdd-Type\b[^\n]{0,80}-TypeDefinition", I)
ENCODED_ARG = rxcache.compile(r"(?<![\w-])-(EncodedCommand|enc|ec|en|e)['\"]?(\s*,\s*|\s+)['\"]?([A-Za-z0-9+/=]{16,}|\$[\w:]+)", I)
PS_LAUNCH = rxcache.compile(r"\b(powershell|pwsh)(\.exe)?\b", I)
HIDDEN_WINDOW = rxcache.compile(r"-(WindowStyle|w|win|wind\w*)\s+['\"]?(Hidden|hid\w*|1)\b|-NonInteractive[^\n]{0,60}-nop\b|"
                           r"CreateNoWindow\s*=\s*\$true", I)
REG_WRITE = rxcache.compile(r"\b(Set-ItemProperty|New-ItemProperty|New-Item|sp|reg(\.exe)?\s+add|\.SetValue\s*\(|"
                       r"Set-Item|CreateSubKey)\b", I)
FILE_WRITE = rxcache.compile(r"\b(Copy-Item|Move-Item|Set-Content|Add-Content|Out-File|New-Item|cp|copy|move|"
                        r"CreateShortcut|WriteAllText|WriteAllBytes)\b|>>?", I)
SCHED = rxcache.compile(r"\bRegister-ScheduledTask\b|\bschtasks(\.exe)?\s+/create\b|"
                   r"\bRegister-ScheduledJob\b|\bsc(\.exe)?\s+create\b|\bNew-Service\b", I)
# a WMI event subscription being created (reading one back with Get-WmiObject / wmic ... get is a hunt)
WMI_PERSIST = rxcache.compile(r"\b(Set-WmiInstance|New-CimInstance|Register-WmiEvent|wmic\b[^\n]{0,80}\bcreate)\b[^\n]{0,200}"
                         r"(__EventFilter|EventConsumer|__FilterToConsumerBinding)", I)
# where a task runs from / when: a user-writable or temporary place, or at every logon / start-up
SCHED_SUSPECT = rxcache.compile(r"\\AppData\\|\$env:(APPDATA|LOCALAPPDATA|TEMP|TMP|PUBLIC)|\\ProgramData\\|\\Users\\Public\\|"
                           r"\\Temp\\|-AtLogOn\b|-AtStartup\b|/sc\s+(onlogon|onstart)\b|-Hidden\b", I)
TAMPER_SECURITY = rxcache.compile(
    r"\bSet-MpPreference\b[^\n]{0,200}-Disable\w*\b(?!\s*:?\s*(\$false|0)\b)|"
    r"\bAdd-MpPreference\b[^\n]{0,120}-Exclusion(Path|Process|Extension|IpAddress)\b|"
    r"\bSet-NetFirewallProfile\b[^\n]{0,120}-Enabled\s+['\"]?(False|0|\$false)|"
    r"\bnetsh\s+(advfirewall\s+set\s+\w+\s+state\s+off|firewall\s+set\s+opmode\s+(mode=)?disable)|"
    r"\b(EnableLUA|ConsentPromptBehaviorAdmin|PromptOnSecureDesktop|EnableSmartScreen|DisableAntiSpyware|"
    r"DisableRealtimeMonitoring|TamperProtection)\b[^\n]{0,120}(-Value\s+)?['\"]?(0|1)\b|"
    r"\bStop-Service\b[^\n]{0,60}\b(WinDefend|MpsSvc|Sense|wscsvc|EventLog)\b|"
    r"\bSet-Service\b[^\n]{0,60}\b(WinDefend|MpsSvc|Sense|wscsvc|EventLog)\b[^\n]{0,60}Disabled|"
    r"\bUninstall-WindowsFeature\b[^\n]{0,40}Defender", I)
TAMPER_SYSTEM = rxcache.compile(r"\b(Clear-EventLog|Remove-EventLog|Limit-EventLog)\b|\bwevtutil(\.exe)?\s+(cl|clear-log)\b|"
                           r"\bvssadmin(\.exe)?\s+delete\s+shadows\b|\bwmic\s+shadowcopy\s+delete\b|"
                           r"\bbcdedit(\.exe)?\s+/set\b[^\n]{0,60}(recoveryenabled\s+no|bootstatuspolicy\s+ignoreallfailures)|"
                           r"\bClear-History\b|ConsoleHost_history\.txt[^\n]{0,40}(Remove-Item|del\b)|"
                           r"(Remove-Item|del)\b[^\n]{0,80}ConsoleHost_history", I)
CRED_ACCESS = rxcache.compile(r"\bcmdkey(\.exe)?\s+/list\b|\bvaultcmd(\.exe)?\b|Windows\.Security\.Credentials\.PasswordVault|"
                         r"\bGet-StoredCredential\b|\bCredEnumerate\b|\\Microsoft\\(Credentials|Protect|Vault)\b|"
                         r"\b(Login Data|Local State|logins\.json|key4\.db)\b|"
                         r"\\(Google\\Chrome|Microsoft\\Edge|BraveSoftware\\Brave-Browser)\\User Data\\[^\n]{0,40}(Login|Cookies|Local State)|"
                         r"ProtectedData\]::Unprotect|\bUnprotect\b[^\n]{0,40}DataProtectionScope|"
                         r"\bnetsh\s+wlan\s+show\s+profile\w*\b[^\n]{0,80}key=clear", I)
CRED_DUMP = rxcache.compile(r"\bInvoke-Mimikatz\b|\b(sekurlsa|lsadump)::\w+|\blsass\b[^\n]{0,120}(MiniDump|\.dmp|procdump|Out-Minidump)|"
                       r"comsvcs(\.dll)?[,\s]+#?\d*\s*MiniDump|\breg(\.exe)?\s+save\s+HKLM\\(SAM|SECURITY|SYSTEM)\b", I)
UPLOAD = rxcache.compile(r"\.Upload(String|File|Data|Values)(Async)?\s*\(|\b(Invoke-RestMethod|Invoke-WebRequest|irm|iwr)\b"
                    r"[^\n]{0,300}(-Method\s+['\"]?(Post|Put|Patch)\b|-InFile\b|-Body\b)|\bSend-MailMessage\b", I)
ENV_ALL = rxcache.compile(r"\b(Get-ChildItem|gci|ls|dir)\s+env:\s*(\||$|;)|\[Environment\]::GetEnvironmentVariables\(\s*\)", I)
ASSIGN = rxcache.compile(r"^\s*\$([\w:]{1,60})\s*[+]?=\s*(.+)$")
VAR = rxcache.compile(r"\$([\w:]{1,60})")
URL_HOST = rxcache.compile(r"https?://([A-Za-z0-9.\-]{1,253})", I)


# "PID 4012: powershell ...", "3. Command: ...", "Decoded: IEX ...", "CommandLine contains: ...": a labelled
# line of output or a query, not a statement (PowerShell drives and scopes -- HKCU:, $env: -- excluded)
OUTPUT_LINE = rxcache.compile(r"\s*(\d{1,3}[.)]\s*|[-*]\s+)?(?!(HKCU|HKLM|HKCR|HKU|Env|Cert|Function|Variable|Alias|WSMan|"
                         r"[A-Z])\s*:)[A-Za-z][\w ()/-]{0,40}:\s+\S", I)


def _quoted_only(stmt: str) -> bool:
    """A query line of quoted command fragments: "X" OR "Y", CommandLine="*x*"."""
    return bool(re.search(r"[\"'][^\"']{1,200}[\"']\s+(OR|AND)\s+[\"'(]", stmt)) or \
        bool(re.search(r"\b(CommandLine|Image|ParentImage|ProcessName|process\.command_line)\s*[=:]|\bEventCode\s*=", stmt, I))


def looks_like_powershell(src: str) -> bool:
    return bool(re.search(r"\b(Get|Set|New|Invoke|Start|Add|Remove|Register|Write|Out|Copy|ConvertTo|ConvertFrom)-[A-Z]\w+|"
                          r"\$env:\w+|\[(System\.)?(Convert|Text\.Encoding|Environment|Net\.WebClient)\]", src))


def _fold(stmt: str) -> str:
    """Backtick escapes inside words (I`E`X) and concatenated literals ('Down'+'loadString')."""
    s = re.sub(r"`(?=[A-Za-z])", "", stmt)
    for _ in range(3):
        s2 = re.sub(r"(['\"])\s*\+\s*(['\"])", "", s)
        if s2 == s:
            break
        s = s2
    return s


def _statements(src: str):
    """(line number, statement) with `;` splits outside quotes; line continuations (trailing `) joined."""
    lines = src.split("\n")
    i = 0
    while i < len(lines):
        start = i
        line = lines[i][:2000]
        while line.rstrip().endswith("`") and i + 1 < len(lines) and len(line) < 4000:
            i += 1
            line = line.rstrip()[:-1] + " " + lines[i].strip()[:2000]
        i += 1
        code = line.split("#", 1)[0] if not re.search(r"['\"][^'\"]*#", line) else line
        parts, buf, quote = [], "", ""
        for ch in code:
            if quote:
                buf += ch
                if ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
                buf += ch
            elif ch == ";":
                parts.append(buf)
                buf = ""
            else:
                buf += ch
        parts.append(buf)
        for p in parts:
            if p.strip():
                yield start + 1, _fold(p.strip())


def _decode_ps(blob: str) -> str | None:
    try:
        raw = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=False)
    except (binascii.Error, ValueError):
        return None
    for enc in ("utf-16-le", "utf-8"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) >= 0.9 * len(text):
            return text
    return None


def scan_powershell(ctx: Ctx, file: str, src: str, offset: int = 0) -> None:
    """Findings for PowerShell source (a script, or a code block starting at line offset+1)."""
    from skillbank.audit.textscan import first_party, scan_decoded, urls_trusted

    src = src[:MAX_PS]
    taint: dict[str, set[str]] = {}
    taint_text: dict[str, str] = {}
    for ln, stmt in _statements(src):
        if ctx.out_of_time():
            return
        line = ln + offset
        if OUTPUT_LINE.match(stmt) or _quoted_only(stmt) or re.match(r"[-*+]\s", stmt):
            continue  # a log / output / query line quoting a command, not a command
        low_kinds: set[str] = set()
        used = {v.lower() for v in VAR.findall(stmt)}
        for v in used:
            low_kinds |= taint.get(v, set())
        kinds = set(low_kinds)
        if DOWNLOAD.search(stmt):
            kinds.add("remote")
        if DECODE.search(stmt):
            kinds.add("decoded")
        if RUN_KEY.search(stmt):
            kinds.add("runkey")
        if STARTUP.search(stmt):
            kinds.add("startup")
        if HIDDEN_WINDOW.search(stmt) or ENCODED_ARG.search(stmt):
            kinds.add("stealth")
        trusted = bool(URL_HOST.search(stmt)) and (urls_trusted(stmt, ctx.trusted_hosts) or first_party(stmt, ctx.identity))
        if trusted:
            kinds.discard("remote")
        m = ASSIGN.match(stmt)
        if m:
            taint[m.group(1).lower()] = kinds - {"stealth"}
            taint_text[m.group(1).lower()] = stmt + " " + " ".join(taint_text.get(v, "") for v in used)[:2000]
            if kinds & {"remote", "decoded", "stealth"}:
                taint[m.group(1).lower()].add("payload")
        # decoded or downloaded code executed
        launch = PS_LAUNCH.search(stmt)
        enc = ENCODED_ARG.search(stmt) if (launch or re.search(r"\bStart-Process\b", stmt, I)) else None
        hidden = bool(HIDDEN_WINDOW.search(stmt))
        if enc:
            arg = enc.group(3)
            decoded = _decode_ps(arg) if not arg.startswith("$") else None
            known = None
            if arg.startswith("$"):
                # $cmd = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes('literal')): the
                # script encodes a command it states in clear text
                lit = re.search(r"ToBase64String\([^\n]{0,80}GetBytes\(\s*(['\"])([^'\"]{1,2000})\1\s*\)\s*\)",
                                taint_text.get(arg[1:].lower(), ""), I)
                known = lit.group(2) if lit else None
            if decoded:
                scan_decoded(ctx, file, line, decoded, "-EncodedCommand", executed=True)
            if known is not None:
                sub = ctx.child(1)
                scan_decoded(sub, file, line, known, "-EncodedCommand", executed=True)
                benign = not any(f.severity in ("medium", "high", "critical") for f in sub.findings.values())
                for f in sub.findings.values():
                    ctx.add(f.rule_id, f.file, f.line, f.evidence, f.severity)
                if benign and not hidden:
                    ctx.add("OB-DECODE-EXEC", file, line, stmt + f"  (encodes the literal {known[:60]!r})", "low")
                    continue
            ctx.add("OB-DECODE-EXEC", file, line, stmt, "critical" if hidden else "high",
                    why="PowerShell is started with an encoded command" + (" in a hidden window" if hidden else "") +
                        ": what runs is hidden from review.")
            ctx.fact("obfuscation", file, line, stmt)
        if EXEC.search(stmt) or launch and re.search(r"(?<![\w-])-(Command|c)\s+[\"']?\$", stmt, I):
            if "decoded" in kinds:
                ctx.add("OB-DECODE-EXEC", file, line, stmt, "critical")
                ctx.fact("obfuscation", file, line, stmt)
            if "remote" in kinds:
                ctx.add("SC-PIPE-EXEC", file, line, stmt, "high",
                        why="Code downloaded at run time is executed with Invoke-Expression / a script block: "
                            "whatever the server returns runs.")
                ctx.fact("remote_exec", file, line, stmt)
                ctx.fact("net_fetch", file, line, stmt)
        # downloaded file started
        if re.search(r"\b(Start-Process|saps|start)\b|&\s*['\"$]|\.\\[\w.-]+\.(exe|ps1|bat|cmd)\b", stmt, I) and \
                "remote" in low_kinds and not trusted:
            ctx.add("SC-DOWNLOAD-EXEC", file, line, stmt, "high")
            ctx.fact("remote_exec", file, line, stmt)
        # persistence
        bad_payload = bool(kinds & {"remote", "decoded", "stealth", "payload"}) or bool(
            re.search(r"\$env:(TEMP|TMP)|\\AppData\\Local\\Temp|-enc\b|-EncodedCommand|http", stmt, I))
        if "runkey" in kinds and REG_WRITE.search(stmt):
            ctx.add("PE-PERSIST-SCHED", file, line, stmt, "high" if bad_payload else "medium")
            ctx.fact("persist", file, line, stmt)
        if "startup" in kinds and FILE_WRITE.search(stmt):
            ctx.add("PE-PERSIST-SCHED", file, line, stmt, "high" if bad_payload else "medium")
            ctx.fact("persist", file, line, stmt)
        if WMI_PERSIST.search(stmt):
            ctx.add("PE-PERSIST-SCHED", file, line, stmt, "high")
            ctx.fact("persist", file, line, stmt)
        elif SCHED.search(stmt):
            # a task running a local tool on a schedule is administration (low, like a user crontab);
            # one started from a user-writable or temporary place, at every logon, or running
            # downloaded / encoded / hidden code is persistence
            suspect = SCHED_SUSPECT.search(stmt) or any(SCHED_SUSPECT.search(taint_text.get(v, "")) for v in used)
            sev = "high" if bad_payload else "medium" if suspect else "low"
            ctx.add("PE-PERSIST-SCHED", file, line, stmt, sev)
            if sev != "low":
                ctx.fact("persist", file, line, stmt)
        # tampering with defences and the system
        if TAMPER_SECURITY.search(stmt):
            ctx.add("PI-DISABLE-SECURITY", file, line, stmt, "high",
                    why="The script turns off Defender, the firewall or UAC, or excludes paths from scanning.")
            ctx.fact("disable_security", file, line, stmt)
        if TAMPER_SYSTEM.search(stmt):
            ctx.add("PE-SYSTEM-TAMPER", file, line, stmt, "high")
            ctx.fact("tamper", file, line, stmt)
        # credential access
        if CRED_DUMP.search(stmt):
            # credential-dumping tools are the subject of red-team and detection guides; on record,
            # and the browser / vault reads below are what a skill stealing secrets does
            ctx.add("PE-CRED-READ", file, line, stmt, "low")
        elif CRED_ACCESS.search(stmt) and not re.match(r"\s*#", stmt):
            ctx.add("PE-CRED-READ", file, line, stmt, "medium")
            ctx.fact("cred_read", file, line, stmt)
        if ENV_ALL.search(stmt):
            ctx.fact("secret_source", file, line, stmt)
        if UPLOAD.search(stmt) and not trusted:
            ctx.fact("net_send", file, line, stmt)
            ctx.add("EX-UPLOAD", file, line, stmt, "low")
