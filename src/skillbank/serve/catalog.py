"""What the server may show: the library's latest versions, filtered by trust tier.

Every tool, resource and extension method of the server goes through `Catalog`, the one
place the server enforces trust tiers:

* ``blocked`` skills do not exist here: not listed, not searchable, not loadable, not
  readable. Asking for one gives the same error as asking for a missing skill (so a
  client cannot even learn that the name is taken), and the refusal is logged.
* ``instructions-only``: SKILL.md and inert documents are served; anything that could be
  run (files under ``scripts/`` or ``bin/``, executable bits, shebangs, code and binary
  executables) is withheld, marked so in the manifest, and reading it is refused.
* ``scripts-in-sandbox`` and ``trusted``: every file, with the tier in the metadata so the
  host knows whether scripts must run in a sandbox.

The tier is the one `add` stored with the version, or, when the server has a policy file,
the verdict of `skillbank.api.audit_version` under that policy (what `install` acts on).
What each tier permits is `skillbank.audit.tier_allows`.
"""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, unquote

from skillbank.api import Library, audit_version
from skillbank.audit import Policy, tier_allows
from skillbank.errors import SkillbankError
from skillbank.skill import file_digest
from skillbank.store import StoredVersion, VersionInfo

log = logging.getLogger("skillbank.serve")


def _clip(text: str, limit: int = 200) -> str:
    """A client's argument as it is echoed in errors and logs: never megabytes of it."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"

SCHEME = "skill://"
PAGE_SIZE = 50

#: Files an `instructions-only` skill may still serve: documents and data, never code.
DOC_SUFFIXES = frozenset({
    ".md", ".markdown", ".mdx", ".txt", ".rst", ".adoc", ".json", ".jsonl", ".yaml", ".yml", ".toml",
    ".csv", ".tsv", ".xml", ".ini", ".cfg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".ico",
    ".pdf", ".ttf", ".otf", ".woff", ".woff2", ".j2", ".jinja", ".tmpl", ".tpl", ".template",
})
DOC_NAMES = frozenset({"LICENSE", "LICENCE", "NOTICE", "COPYING", "README", "AUTHORS", "CHANGELOG"})
CODE_DIRS = frozenset({"scripts", "bin"})

mimetypes.add_type("text/markdown", ".md")
mimetypes.add_type("text/markdown", ".markdown")


class SkillNotServed(SkillbankError):
    """No such skill here: missing, or blocked by its trust tier (deliberately the same error)."""


class FileNotServed(SkillbankError):
    """A file the server will not hand out: not in the skill, outside it, or withheld by the tier."""


class BadCursor(SkillbankError):
    """A pagination cursor this server did not issue."""


def skill_uri(name: str, path: str = "SKILL.md") -> str:
    return SCHEME + quote(name, safe="") + "/" + quote(path, safe="/")


def parse_skill_uri(uri: str) -> tuple[str, str] | None:
    """(name, file path) of a `skill://<name>/<path>` URI, or None for another scheme."""
    if not uri.startswith(SCHEME):
        return None
    name, _, path = uri[len(SCHEME):].partition("/")
    return unquote(name), unquote(path)


def check_path(path: str) -> str:
    """Refuse anything that is not a plain relative path inside a skill."""
    parts = path.split("/")
    if not path or "\\" in path or "\x00" in path or path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise FileNotServed(
            f"{_clip(path)!r} is not a path inside the skill: give a relative path such as references/guide.md "
            "(no '..', no leading '/')."
        )
    return path


def is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def mime_type(path: str, data: bytes) -> str:
    if PurePosixPath(path).name == "SKILL.md":
        return "text/markdown"
    guessed, _ = mimetypes.guess_type(path, strict=False)
    if guessed:
        return guessed
    return "text/plain" if is_text(data) else "application/octet-stream"


def runnable(path: str, data: bytes, mode: int) -> bool:
    """Whether a file could be run: withheld from `instructions-only` skills (deny by default)."""
    pure = PurePosixPath(path)
    if path == "SKILL.md":
        return False
    head = data[:64].lstrip(b"\xef\xbb\xbf").lstrip()  # a BOM or blanks before "#!"
    if mode & 0o111 or head.startswith(b"#!") or any(part.lower() in CODE_DIRS for part in pure.parts[:-1]):
        return True
    return not (pure.suffix.lower() in DOC_SUFFIXES or (not pure.suffix and pure.name.upper() in DOC_NAMES))


@dataclass(frozen=True)
class ServedFile:
    path: str
    size: int
    digest: str
    mime_type: str
    uri: str
    withheld: str | None = None  # why the file is not served, when it is not

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"path": self.path, "size": self.size, "digest": self.digest,
                             "mime_type": self.mime_type, "uri": self.uri}
        if self.withheld:
            d["withheld"] = self.withheld
        return d


@dataclass(frozen=True)
class Entry:
    """A skill the server shows, without its files."""

    name: str
    description: str
    tier: str
    version: int
    digest: str

    @property
    def uri(self) -> str:
        return skill_uri(self.name)

    @property
    def scripts(self) -> str:
        """What the host may do with bundled scripts: withheld, sandbox or allowed."""
        if not tier_allows(self.tier, "run-scripts"):
            return "withheld"
        return "allowed" if tier_allows(self.tier, "run-scripts-unsandboxed") else "sandbox"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "tier": self.tier, "scripts": self.scripts,
                "uri": self.uri}


@dataclass
class ServedSkill:
    entry: Entry
    version: StoredVersion
    files: list[ServedFile] = field(default_factory=list)

    @property
    def withheld(self) -> list[str]:
        return [f.path for f in self.files if f.withheld]

    def text(self) -> str:
        return self.version.files["SKILL.md"].decode("utf-8", errors="replace")


class Catalog:
    """The library as the server shows it: latest versions whose tier permits loading."""

    def __init__(self, library: Library, policy: Policy | None = None, page_size: int = PAGE_SIZE,
                 *, policy_tightens_only: bool = False) -> None:
        self.library = library
        self.policy = policy
        # A policy found in the working directory (not named with --policy) may only make
        # tiers stricter: a cloned repository must not unblock skills of the user's library.
        self.policy_tightens_only = policy_tightens_only
        self.page_size = page_size

    # -- tiers -------------------------------------------------------------------------

    def _tier(self, info: VersionInfo, version: StoredVersion | None = None) -> str:
        """The stored tier, or a fresh audit under the policy (cached by the library)."""
        return self.library.effective_tier(info, self.policy, tighten_only=self.policy_tightens_only, version=version)

    def _entries(self) -> tuple[dict[str, Entry], set[str]]:
        shown: dict[str, Entry] = {}
        hidden: set[str] = set()
        for info in self.library.list():
            tier = self._tier(info)
            if tier_allows(tier, "load"):
                shown[info.name] = Entry(info.name, info.description, tier, info.seq, info.digest)
            else:
                hidden.add(info.name)
        return shown, hidden

    @staticmethod
    def _refuse(name: str) -> SkillNotServed:
        return SkillNotServed(f"No skill named {_clip(name)!r} is served here; search_skills or list_skills shows what is.")

    # -- listing and search ------------------------------------------------------------

    def page(self, cursor: str | None = None, limit: int | None = None) -> tuple[list[Entry], str | None]:
        """One page of visible skills by name, and the cursor of the next page (None at the end)."""
        after = ""
        if cursor:
            try:
                after = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
            except (binascii.Error, UnicodeError, ValueError) as exc:
                raise BadCursor(f"cursor {cursor!r} was not issued by this server; list again without one.") from exc
        entries = sorted((e for e in self._entries()[0].values() if e.name > after), key=lambda e: e.name)
        size = limit or self.page_size
        page = entries[:size]
        more = len(entries) > size
        next_cursor = base64.urlsafe_b64encode(page[-1].name.encode("utf-8")).decode("ascii") if more else None
        return page, next_cursor

    def search(self, query: str, k: int = 5) -> list[tuple[Entry, float]]:
        """The router's top `k` among visible skills."""
        shown, _ = self._entries()
        if not shown:
            return []
        hits = self.library.route_index.search(query, k=k, exclude=lambda name: name not in shown)
        return [(shown[h.name], h.score) for h in hits]

    # -- one skill ---------------------------------------------------------------------

    def skill(self, name: str, via: str = "load") -> ServedSkill:
        """A visible skill with its manifest; a blocked one is refused exactly like a missing one."""
        info = self.library.store.latest_version(name)
        if info is None:
            raise self._refuse(name)
        if self.policy is None and info.tier is not None and not tier_allows(info.tier, "load"):
            version = None  # refused before its files are read: a blocked name costs what a missing one does
            tier = info.tier
        else:
            version = self.library.store.load(info)
            tier = self._tier(info, version)
        if not tier_allows(tier, "load"):
            log.warning("refused %s of skill %r: its trust tier is %s", via, _clip(name), tier)
            raise self._refuse(name)
        assert version is not None
        entry = Entry(info.name, info.description, tier, info.seq, info.digest)
        scripts_ok = tier_allows(tier, "run-scripts")
        files = []
        for path in sorted(version.files):
            data = version.files[path]
            withheld = None
            if not scripts_ok and runnable(path, data, version.modes.get(path, 0)):
                withheld = (f"{path} is withheld: skill {name!r} has trust tier {tier}, so only its instructions "
                            "and documents are served, not files that could be run. See `skillbank audit --library`.")
            files.append(ServedFile(path, len(data), file_digest(data), mime_type(path, data), skill_uri(name, path),
                                    withheld))
        return ServedSkill(entry, version, files)

    def read(self, name: str, path: str, via: str = "read") -> tuple[ServedFile, bytes]:
        """One file of a visible skill: refuses paths outside it and files its tier withholds."""
        skill = self.skill(name, via)
        check_path(path)
        for f in skill.files:
            if f.path == path:
                if f.withheld:
                    log.info("withheld %s of skill %r (tier %s)", path, name, skill.entry.tier)
                    raise FileNotServed(f.withheld)
                return f, skill.version.files[path]
        raise FileNotServed(f"Skill {_clip(name)!r} has no file {_clip(path)!r}; load_skill lists its files.")

    def read_uri(self, uri: str) -> tuple[ServedFile, bytes]:
        parsed = parse_skill_uri(uri)
        if parsed is None or not parsed[0]:
            raise FileNotServed(f"{_clip(uri)} is not a skill:// URI of this server.")
        try:
            return self.read(*parsed, via="resources/read")
        except SkillNotServed as exc:
            raise FileNotServed(f"Nothing is served at {_clip(uri)}: {exc}") from exc
