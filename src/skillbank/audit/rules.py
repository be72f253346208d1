"""The rule catalogue: every rule maps to one of SkillScan's 14 patterns (and so to one of
the four categories). Analyzers refer to rules by id; severity may be raised or lowered
per finding by context (e.g. a trusted installer host, a negated sentence)."""

from __future__ import annotations

from skillbank.audit.model import Rule

_RULES: list[Rule] = [
    # ---- prompt injection -------------------------------------------------------------
    Rule("PI-OVERRIDE", "P1", "high", "Instruction override",
         "Text tells the agent to ignore or replace its previous/system instructions; a skill "
         "that does this hijacks the agent.",
         "Remove the override; a skill should add instructions, never revoke the user's."),
    Rule("PI-FAKE-SYSTEM", "P1", "high", "Fake system or admin message",
         "Markers such as [SYSTEM], <system> or 'system override' impersonate a higher-priority "
         "message to smuggle instructions.",
         "Delete the fake message markers and the instructions they wrap."),
    Rule("PI-JAILBREAK", "P1", "high", "Jailbreak / safety bypass",
         "Asks the agent to enter an unrestricted mode or to disregard safety and content policy.",
         "Remove the jailbreak text."),
    Rule("PI-HIDDEN-COMMENT", "P2", "high", "Instructions hidden in an HTML comment",
         "HTML comments are invisible when the markdown is rendered, so a reviewer never sees the "
         "instructions or commands the agent will read.",
         "Move any real guidance into visible text; delete hidden commands."),
    Rule("PI-INVISIBLE-CHARS", "P2", "high", "Invisible or direction-changing characters",
         "Zero-width, Unicode tag or bidi-override characters hide text from human reviewers while "
         "the model still reads it.",
         "Strip the invisible characters and review what they encoded."),
    Rule("PI-HOMOGLYPH", "P2", "medium", "Homoglyphs (mixed scripts in one word)",
         "Words mixing Latin with look-alike Cyrillic/Greek letters evade keyword review and "
         "impersonate names.",
         "Use plain ASCII spelling."),
    Rule("PI-ENCODED-TEXT", "P2", "high", "Encoded instructions or commands",
         "A base64/hex blob decodes to commands or instructions: the real behaviour is hidden "
         "from review.",
         "Write instructions and commands in clear text."),
    Rule("PI-EXFIL-INSTRUCTION", "P3", "high", "Instruction to send sensitive data out",
         "The prose tells the agent to send credentials, files, code or conversation data to an "
         "external endpoint or address.",
         "Remove the instruction; never route user data to third parties without explicit consent."),
    Rule("PI-CONCEAL", "P4", "high", "Hides actions from the user",
         "Telling the agent not to mention, or to silently perform, actions is the signature of "
         "a malicious skill.",
         "Every action a skill takes must be visible to the user."),
    Rule("PI-NO-CONFIRM", "P4", "low", "Bypasses confirmation",
         "Pre-approving tool calls or forbidding the agent to ask for confirmation removes the "
         "user's control.",
         "Let the agent ask before risky actions."),
    Rule("PI-AGENT-CONFIG", "P4", "low", "Modifies agent instruction or config files",
         "Writing CLAUDE.md, AGENTS.md, .cursorrules, agent settings or memory files persists "
         "instructions into every future session (memory poisoning).",
         "Show the user the exact change and let them apply it."),
    Rule("PI-DISABLE-SECURITY", "P4", "high", "Disables security controls",
         "Turning off sandboxes, TLS verification, firewalls, security scanners or audit hooks "
         "weakens the user's defences.",
         "Keep security controls on; document a safe alternative."),
    Rule("PI-MANDATORY-TAG", "P4", "low", "Coercive hidden-priority block",
         "Blocks such as <IMPORTANT> with MUST/REQUIRED wording are the tool-poisoning pattern "
         "used to force side actions.",
         "State optional guidance plainly; do not coerce the agent."),
    # ---- data exfiltration -----------------------------------------------------------
    Rule("EX-SECRET-UPLOAD", "E1", "critical", "Secrets or credentials sent over the network",
         "Credentials, secret environment variables or the environment are placed in an outbound "
         "request body, URL or host name.",
         "Never transmit secrets except as authentication to the service that issued them."),
    Rule("EX-UPLOAD", "E1", "low", "Outbound upload of local data",
         "Command output, stdin or local files are posted to a remote host.",
         "Document exactly what is sent and where; prefer user-initiated uploads."),
    Rule("EX-CORRELATED", "E1", "high", "Reads credentials and sends data out",
         "The same skill reads credential stores or secrets and transmits data to a remote host: "
         "the ingredients of credential theft.",
         "Separate credential handling from networking, or remove one of them."),
    Rule("EX-DNS", "E1", "high", "DNS exfiltration",
         "Data is encoded into DNS query names, a channel that bypasses HTTP egress controls.",
         "Remove DNS lookups built from data."),
    Rule("EX-MARKDOWN-IMAGE", "E1", "high", "Markdown image with interpolated data",
         "A markdown image whose URL carries placeholders leaks data when the client renders it.",
         "Do not build image URLs from conversation or local data."),
    Rule("EX-DROP-HOST", "E1", "medium", "Tunnel, paste or collaborator endpoint",
         "Ephemeral tunnels, paste sites, request bins and OAST endpoints are typical exfiltration "
         "and payload drops.",
         "Use the real service's documented endpoint."),
    Rule("EX-ENV-DUMP", "E2", "high", "Whole environment captured",
         "Collecting the entire environment (os.environ, printenv, process.env, /proc/*/environ) "
         "harvests every secret in it.",
         "Read only the variables the skill needs."),
    Rule("EX-SECRET-HARVEST", "E2", "high", "Secret environment variables harvested",
         "Several secret-named variables are collected together, or the environment is filtered "
         "for KEY/TOKEN/SECRET names.",
         "Read a secret only where it is used to authenticate."),
    Rule("EX-FS-ENUM", "E3", "high", "Searches the file system for keys, wallets or credentials",
         "Recursive searches for private keys, wallets, .env or credential files are "
         "reconnaissance for theft.",
         "Operate only on files the user names."),
    Rule("EX-CONTEXT-LEAK", "E4", "high", "Leaks the agent's context",
         "Asks the agent to reveal its system prompt, headers, tokens or conversation.",
         "Remove the request."),
    Rule("EX-DESCRIPTION-MISMATCH", "E1", "medium", "Behaviour contradicts the description",
         "The skill claims to be offline/read-only but its code talks to the network or writes "
         "outside its folder.",
         "Make the description truthful or remove the undeclared behaviour."),
    Rule("EX-MAIL-FORWARD", "E1", "high", "Mail forwarding rule to an outside address",
         "A mailbox filter or inbox rule forwards or redirects mail to a fixed outside address; when it "
         "matches security mail (password resets, sign-in codes) or hides what it forwards, it hands over "
         "the account.",
         "Do not create forwarding rules from a skill; let the user set up forwarding to an address they choose."),
    # ---- privilege escalation ----------------------------------------------------------
    Rule("PE-BROAD-TOOLS", "PE1", "low", "Over-broad allowed-tools",
         "Wildcard or unscoped tool grants give the skill more power than it needs.",
         "Scope tools, e.g. Bash(git:*) instead of Bash or *."),
    Rule("PE-PERMISSIVE-SETTINGS", "PE1", "high", "Grants the agent blanket permissions",
         "Settings such as dangerouslyDisableSandbox, auto-approve or allow-all wildcards remove "
         "every guard rail.",
         "Grant narrow permissions and keep the sandbox on."),
    Rule("PE-WORLD-WRITABLE", "PE1", "medium", "World-writable permissions",
         "chmod 777 / a+rwx lets any local user or process tamper with the files.",
         "Use the narrowest mode (e.g. 755 or 700)."),
    Rule("PE-PERSIST-RC", "PE1", "medium", "Modifies shell start-up files",
         "Writing ~/.bashrc, ~/.zshrc or ~/.profile runs code in every future shell (persistence).",
         "Tell the user what to add instead of writing it."),
    Rule("PE-PERSIST-SCHED", "PE1", "medium", "Installs scheduled or start-up jobs",
         "cron, launchd, systemd or Windows Run keys keep code running after the task (persistence).",
         "Do not install background jobs from a skill."),
    Rule("PE-MINER", "PE1", "critical", "Cryptocurrency miner",
         "Mining pools, miner binaries or wallets hijack the user's compute.",
         "Remove it."),
    Rule("PE-RESOURCE", "PE1", "medium", "Resource exhaustion",
         "Fork bombs or loops with no exit exhaust CPU or memory.",
         "Bound loops and processes."),
    Rule("PE-SUDO", "PE2", "low", "Runs commands as root",
         "sudo gives the command full control of the machine.",
         "Avoid sudo; if unavoidable, tell the user and scope the command."),
    Rule("PE-ROOT-ABUSE", "PE2", "high", "Dangerous root-level change",
         "setuid bits, sudoers/NOPASSWD edits, root shells, ownership changes to root or piping "
         "passwords into sudo escalate privileges.",
         "Remove it."),
    Rule("PE-SYSTEM-TAMPER", "PE2", "high", "Tampers with the system or its logs",
         "Editing /etc/hosts, deleting logs or system directories, clearing shell history or "
         "disabling SELinux changes the system beneath the user.",
         "Remove it."),
    Rule("PE-REVERSE-SHELL", "PE2", "critical", "Reverse or bind shell",
         "Connects a shell to a network socket, giving a remote party command execution.",
         "Remove it."),
    Rule("PE-CODE-EXEC", "PE2", "medium", "Dynamic code or shell execution",
         "eval/exec, os.system or shell=True with non-constant input runs whatever the input says.",
         "Use argument lists and parsers instead of a shell or eval."),
    Rule("PE-VULN-CODE", "PE2", "medium", "Injectable code",
         "SQL built from strings or unvalidated paths let input escape the intended scope.",
         "Use parameterised queries; resolve paths and check they stay in the base folder."),
    Rule("PE-CRED-READ", "PE3", "medium", "Reads credential stores",
         "SSH keys, cloud credentials, token files, keychains, browser profiles or wallets are "
         "read.",
         "A skill should never read credential files; let tools authenticate themselves."),
    Rule("PE-ENV-FILE", "PE3", "low", "Reads .env files",
         "Dumping .env files exposes every secret of the project.",
         "Load only the named variable through the application's config."),
    Rule("PE-CLOUD-METADATA", "PE3", "low", "Queries the cloud metadata service",
         "169.254.169.254 / metadata.google.internal hand out instance credentials.",
         "Remove it."),
    Rule("PE-SSH-AUTHKEYS", "PE3", "critical", "Adds an SSH authorized key",
         "Writing ~/.ssh/authorized_keys gives someone permanent remote login.",
         "Remove it."),
    # ---- supply chain ---------------------------------------------------------------
    Rule("SC-UNPINNED", "SC1", "low", "Unpinned dependency",
         "Unpinned versions pull whatever is published next, including a hijacked release.",
         "Pin exact versions (==) and use hashes where possible."),
    Rule("SC-URL-DEP", "SC1", "medium", "Dependency from a URL",
         "Installing packages from arbitrary URLs skips the registry's provenance.",
         "Install from the official registry with a pinned version."),
    Rule("SC-CUSTOM-INDEX", "SC1", "high", "Non-default package index",
         "--index-url/--extra-index-url/--registry pointing elsewhere enables dependency "
         "confusion.",
         "Use the official registry, or a pinned private one configured by the user."),
    Rule("SC-TYPOSQUAT", "SC1", "high", "Typosquatted package or skill name",
         "The name is one edit (or a look-alike letter) away from a popular package or skill.",
         "Check the spelling against the real project."),
    Rule("SC-INSTALL-HOOK", "SC1", "medium", "Install-time hook",
         "preinstall/postinstall scripts or setup.py install overrides run code at install.",
         "Avoid install hooks; run setup explicitly."),
    Rule("SC-PIPE-EXEC", "SC2", "high", "Remote script piped to an interpreter",
         "curl|sh and friends run whatever the server returns, unreviewed.",
         "Download, verify (checksum/signature) and review before running."),
    Rule("SC-DOWNLOAD-EXEC", "SC2", "high", "Downloads and runs a file",
         "A file fetched from the network is executed (sh, chmod +x, exec of a response).",
         "Pin and verify downloads; do not execute them from a skill."),
    Rule("SC-PASSWORD-ARCHIVE", "SC2", "high", "Password-protected archive download",
         "Password-protected archives are used to smuggle malware past scanners.",
         "Do not distribute tools as password-protected archives."),
    Rule("SC-RAW-IP", "SC2", "low", "Network endpoint on a raw public IP",
         "Hard-coded public IP endpoints typically mark command-and-control servers.",
         "Use a named, documented host."),
    Rule("SC-BINARY", "SC2", "high", "Executable binary bundled",
         "Native executables cannot be reviewed and run with the agent's rights.",
         "Ship source, or reference an official signed release."),
    Rule("SC-ARCHIVE", "SC2", "medium", "Archive or bytecode bundled",
         "Archives and compiled bytecode hide content from review.",
         "Ship plain source files."),
    Rule("OB-DECODE-EXEC", "SC3", "critical", "Decoded payload executed",
         "Data is decoded (base64, hex, zlib, marshal, char codes) and then executed: classic "
         "obfuscated dropper.",
         "Ship readable code."),
    Rule("OB-ENCODED-BLOB", "SC3", "low", "Long encoded blob",
         "Long base64/hex strings can hide payloads.",
         "Keep data in clearly named files; avoid opaque blobs."),
    Rule("OB-OBFUSCATION", "SC3", "medium", "Obfuscated code",
         "Strings assembled from character codes, XOR loops, base85 or dynamic imports hide what "
         "the code does.",
         "Write code plainly."),
    Rule("SEM-REVIEW", "P4", "high", "Semantic review",
         "An LLM reviewer judged that the skill's behaviour does not match its description.",
         "Make the skill do only what its description says, visibly."),
    # ---- auditor itself -------------------------------------------------------------
    Rule("AU-UNREADABLE", "SC3", "low", "File could not be analysed",
         "A file was too large, unreadable or could not be parsed; its content is unreviewed.",
         "Keep skill files small, text and well-formed."),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}
