"""What users import: `Library` and the folder-level functions `validate` and `to_prompt`.

    from skillbank.api import Library
    lib = Library.open()                      # $SKILLBANK_HOME/library.db or the user data dir
    report = lib.add(["examples/skills"])     # folders, folders of skills, git refs, archives
    lib.export("pdf-merge", "out/pdf-merge")  # byte-for-byte copy of the latest version
"""

from __future__ import annotations

import html
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillbank import skill as skillmod
from skillbank.audit import Policy, SkillAudit, audit_files, find_policy, tier_allows
from skillbank.errors import InstallError, NotFoundError, SkillbankError, SkillLoadError, SourceError
from skillbank.install import Installed, discovery_roots, install_lock, install_skill, record_lock, write_tree
from skillbank.route import RouteIndex
from skillbank.route.index import Hit
from skillbank.route.prompt import mark_synced
from skillbank.skill import Skill
from skillbank.sources import Candidate, Rejected, find_skill_dirs, iter_candidates
from skillbank.spec import Mode, Problem
from skillbank.store import Provenance, SQLiteStore, StoredVersion, VersionInfo

Progress = Callable[[str], None]


@dataclass
class AddOutcome:
    """What happened to one skill found in a source."""

    location: str
    status: str  # added | new-version | unchanged | rejected
    name: str | None = None
    version: int | None = None
    previous_version: int | None = None
    digest: str | None = None
    rule: str | None = None
    message: str | None = None
    warnings: list[dict[str, Any]] = field(default_factory=list)
    tier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v not in (None, [])}


@dataclass
class AddReport:
    outcomes: list[AddOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def rejected_by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for o in self.outcomes:
            if o.status == "rejected":
                counts[o.rule or "?"] = counts.get(o.rule or "?", 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

    def collisions(self) -> dict[str, list[str]]:
        """Names claimed by more than one folder in this run (later ones became versions)."""
        places: dict[str, list[str]] = {}
        for o in self.outcomes:
            if o.name and o.status != "rejected" and o.location not in places.get(o.name, []):
                places.setdefault(o.name, []).append(o.location)
        return {name: locs for name, locs in sorted(places.items()) if len(locs) > 1}

    def to_dict(self) -> dict[str, Any]:
        return {
            "collisions": self.collisions(),
            "added": self.count("added"),
            "new_versions": self.count("new-version"),
            "unchanged": self.count("unchanged"),
            "rejected": self.count("rejected"),
            "rejected_by_rule": self.rejected_by_rule(),
            "skills": [o.to_dict() for o in self.outcomes],
        }


@dataclass
class ValidationResult:
    path: str
    name: str | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": self.name,
            "valid": self.ok,
            "problems": [p.to_dict() for p in self.problems],
        }


def provenance_uri(provenance: Provenance) -> str:
    """`kind:origin[@ref]`, the string a policy's trusted_sources patterns match."""
    return f"{provenance.source_kind}:{provenance.origin or ''}" + (f"@{provenance.git_ref}" if provenance.git_ref else "")


def audit_version(version: StoredVersion, policy: Policy | None = None) -> SkillAudit:
    """Re-audit a stored version under `policy`: the verdict `install` and `serve` act on."""
    return audit_files(version.files, name=version.name, policy=policy, provenance=provenance_uri(version.provenance))


def validate(path: str | os.PathLike[str], mode: Mode = "strict") -> list[ValidationResult]:
    """Validate a skill folder (or every skill under a folder)."""
    root = Path(path)
    if root.is_file() and root.name.lower() == "skill.md":
        root = root.parent
    if not root.exists():
        return [ValidationResult(str(path), None, [Problem("not-found", "error", f"{path}: no such file or folder.", file=str(path))])]
    if not root.is_dir():
        return [ValidationResult(str(path), None, [Problem("not-a-folder", "error", f"{path}: not a skill folder.", file=str(path))])]
    folders = [root] if skillmod.find_skill_md(root) else find_skill_dirs(root)
    if not folders:
        return [ValidationResult(str(path), None, [Problem("skill-md-missing", "error", "No SKILL.md in the folder.", file=str(path))])]
    results = []
    for folder in folders:
        try:
            skill = skillmod.load(folder, mode)
        except SkillLoadError as exc:
            results.append(ValidationResult(str(folder), None, [Problem(exc.rule, "error", str(exc), file=str(folder))]))
            continue
        results.append(ValidationResult(str(folder), skill.name or None, skill.problems))
    return results


def prompt_block(entries: Iterable[tuple[str, str, str]]) -> str:
    """The `<available_skills>` catalogue (name, description, location), as skills-ref prints it."""
    lines = ["<available_skills>"]
    for name, description, location in entries:
        lines += [
            "<skill>",
            "<name>", html.escape(name), "</name>",
            "<description>", html.escape(description), "</description>",
            "<location>", location, "</location>",
            "</skill>",
        ]
    lines.append("</available_skills>")
    return "\n".join(lines)


def to_prompt(paths: Iterable[str | os.PathLike[str]], mode: Mode = "lenient") -> str:
    """Catalogue block for skill folders on disk (location = absolute SKILL.md path)."""
    entries = []
    for path in paths:
        skill = skillmod.load(path, mode)
        if skill.frontmatter.get("name") is None or not skill.description:
            raise SkillLoadError(f"{path}: SKILL.md lacks a name or description; run `skillbank validate {path}`.")
        location = skill.location or str(Path(path).resolve() / "SKILL.md")
        md = skillmod.find_skill_md(Path(location).parent)
        entries.append((skill.name, skill.description, str(md or location)))
    return prompt_block(entries)


def _listed(value: Any, what: str) -> list[str]:
    """A list of strings from an iterable of them; one string (or path) is a one-item list,
    not its characters."""
    if isinstance(value, (str, os.PathLike)):
        return [os.fspath(value)]
    items = list(value)
    if not all(isinstance(v, (str, os.PathLike)) for v in items):
        raise TypeError(f"{what} must be strings (a list of them, or one)")
    return [os.fspath(v) for v in items]


def _tier_order(tier: str) -> int:
    """blocked (0) is the strictest tier, trusted the loosest; unknown tiers count as blocked."""
    from skillbank.audit.model import TIERS

    return TIERS.index(tier) if tier in TIERS else 0


class Library:
    """A skill library: versions with provenance, audited and indexed on every change."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self._route: RouteIndex | None = None
        self._tiers: dict[tuple[int, str, int], str] = {}
        self._policies: dict[int, Policy] = {}
        self._tier_lock = threading.Lock()

    @property
    def route_index(self) -> RouteIndex:
        """The router's index over this library (kept in sync by add and remove)."""
        if self._route is None:
            self._route = RouteIndex(self.conn)
        return self._route

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Library:
        return cls(SQLiteStore(path))

    @property
    def conn(self):  # noqa: ANN201 - sqlite3.Connection, autocommit
        return self.store.conn

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- adding ------------------------------------------------------------------------

    def add(
        self,
        sources: Iterable[str],
        *,
        mode: Mode = "lenient",
        progress: Progress | None = None,
        audit: bool = True,
        policy: Policy | None = None,
    ) -> AddReport:
        """Import skills; identical content is a no-op, changed content a new version.

        A skill whose SKILL.md breaks the spec (in `mode`) or a safety limit is rejected
        with its rule; the others still go in. A source that cannot be read at all
        (missing path, broken archive) raises SourceError before anything is written.
        With `audit` (the default) each new version is audited and its findings and
        trust tier are stored with it.
        """
        report = AddReport()
        # Read every source first: a source that cannot be read stops the command before
        # anything is written.
        candidates = [candidate for source in _listed(sources, "sources") for candidate in iter_candidates(source)]
        for candidate in candidates:
            if isinstance(candidate, Rejected):
                report.outcomes.append(
                    AddOutcome(candidate.location, "rejected", rule=candidate.rule, message=candidate.message)
                )
            else:
                report.outcomes.append(self._add_candidate(candidate, mode, audit=audit, policy=policy))
            if progress:
                progress(report.outcomes[-1].location)
        if any(o.status in ("added", "new-version") for o in report.outcomes):
            mark_synced(self)
        return report

    def add_files(
        self,
        files: Mapping[str, bytes],
        *,
        source_kind: str = "learned",
        origin: str | None = None,
        git_ref: str | None = None,
        extra: Mapping[str, Any] | None = None,
        modes: Mapping[str, int] | None = None,
        folder_name: str | None = None,
        mode: Mode = "strict",
        audit: bool = True,
    ) -> AddOutcome:
        """Add one skill given as files (e.g. a learned skill), with its provenance."""
        skill = skillmod.from_files(files, folder_name=folder_name, mode=mode, modes=modes)
        name = folder_name or skill.name
        candidate = Candidate(
            name, dict(skill.files), Provenance(source_kind, origin, git_ref), origin or name, dict(modes or {})  # type: ignore[arg-type]
        )
        outcome = self._add_candidate(candidate, mode, extra=extra, audit=audit)
        if outcome.status in ("added", "new-version"):
            mark_synced(self)
        return outcome

    def _add_candidate(
        self,
        candidate: Candidate,
        mode: Mode,
        extra: Mapping[str, Any] | None = None,
        audit: bool = True,
        policy: Policy | None = None,
    ) -> AddOutcome:
        try:
            skillmod.check_limits(candidate.files, candidate.location)
        except SkillLoadError as exc:
            return AddOutcome(candidate.location, "rejected", rule=exc.rule, message=str(exc))
        skill = skillmod.from_files(
            candidate.files, folder_name=candidate.folder_name, mode=mode, modes=candidate.modes
        )
        errors = [p for p in skill.problems if p.severity == "error"]
        warnings = [p.to_dict() for p in skill.problems if p.severity == "warning"]
        if errors:
            first = errors[0]
            return AddOutcome(
                candidate.location,
                "rejected",
                name=skill.name or None,
                rule=first.rule,
                message="; ".join(str(p) for p in errors),
                warnings=warnings,
            )
        verdict = (
            audit_files(
                skill.files, name=skill.name, path=candidate.location, policy=policy,
                provenance=provenance_uri(candidate.provenance),
            ).to_dict()
            if audit
            else None
        )
        result = self.store.put_version(
            skill.name,
            skill.files,
            digest=skill.digest,
            frontmatter=skill.frontmatter,
            description=skill.description,
            body=skill.body,
            provenance=candidate.provenance,
            modes=skill.modes,
            problems=warnings,
            extra=extra,
            audit=verdict,
        )
        if result.status != "unchanged":
            self.route_index.upsert(skill.name, skill.name, skill.description, skill.body)
        return AddOutcome(
            candidate.location,
            result.status,
            name=result.name,
            version=result.seq,
            previous_version=result.previous_seq,
            digest=result.digest,
            warnings=warnings,
            tier=verdict["tier"] if verdict else None,
        )

    # -- reading -----------------------------------------------------------------------

    def list(self) -> list[VersionInfo]:
        return self.store.latest_versions()

    def versions(self, name: str) -> list[VersionInfo]:
        return self.store.versions(name)

    def get(self, ref: str, version: str | int | None = None) -> StoredVersion:
        """A version with its files: `get("name")`, `get("name@2")`, `get("name@sha256:ab")`."""
        name, at, inline = ref.partition("@")
        return self.store.load(self.store.resolve(name, version if version is not None else (inline if at else None)))

    def iter_latest(self) -> Iterator[StoredVersion]:
        return self.store.iter_latest()

    def remove(self, ref: str) -> int:
        name, at, version = ref.partition("@")
        seq = self.store.resolve(name, version).seq if at else None
        removed = self.store.remove(name, seq)
        left = self.store.latest_version(name)
        if left is None:
            self.route_index.remove(name)
        else:
            latest = self.store.load(left)
            self.route_index.upsert(name, name, latest.description, latest.body)
        mark_synced(self)
        return removed

    def export(self, ref: str, dest: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write a stored version to `dest` exactly as it was added (bytes and exec bits)."""
        version = self.get(ref)
        dest = Path(dest).resolve()
        occupied = any(dest.iterdir()) if dest.is_dir() else dest.exists()
        if occupied and not force:
            raise SourceError(f"{dest} exists and is not empty; pass --force to replace it.")
        write_tree(dest, version.files, version.modes)
        return dest

    def effective_tier(self, info: VersionInfo, policy: Policy | None = None, *, tighten_only: bool = False,
                       version: StoredVersion | None = None) -> str:
        """The trust tier a version gets under `policy`: the one stored at `add` when there is
        no policy, else (or when it was added without an audit) a fresh audit, cached per
        version and policy. The rule the MCP server and `find` share.

        `tighten_only`: the policy may make a tier stricter but never looser than the one the
        version had without it. Use it for a policy found by walking up from the working
        directory (`find_policy`): a cloned repository's `.skillbank-policy.yaml` must not be
        able to unblock or trust skills of the user's library. `version`: `info`'s stored
        version, when the caller has it loaded."""
        if policy is None and info.tier is not None:
            return info.tier
        key = (info.id, info.digest, id(policy), tighten_only)
        with self._tier_lock:
            tier = self._tiers.get(key)
        if tier is None:
            version = version or self.store.load(info)  # the caller may have loaded it already
            tier = audit_version(version, policy).tier
            if tighten_only and policy is not None:
                base = info.tier if info.tier is not None else audit_version(version, None).tier
                tier = min(tier, base, key=_tier_order)  # the stricter of the two
            with self._tier_lock:
                self._tiers[key] = tier
                if policy is not None:
                    self._policies[id(policy)] = policy  # keep it alive: its id is in the key
        return tier

    def find(
        self,
        task: str,
        k: int = 5,
        *,
        policy: Policy | None = None,
        policy_tightens_only: bool = False,
        include_blocked: bool = False,
        progress: Callable[[int, int], None] | None = None,
        reindex: bool = False,
        **search: Any,
    ) -> list[Hit]:
        """The k skills the router picks for `task`, each with its trust tier.

        Skills whose tier (`effective_tier`: stored, or audited now under `policy` or when
        added without an audit; with `policy_tightens_only` the policy can only make tiers
        stricter) does not permit loading are left out, as the MCP server leaves them out,
        unless `include_blocked`. They are dropped before any LLM rerank
        sees them. `search`: `RouteIndex.search` options (`explain`, `llm`, `llm_rewrite`,
        `llm_rerank`).
        """
        from skillbank.route.prompt import library_index

        if not isinstance(task, str):
            raise TypeError(f"task must be a string, not {type(task).__name__}")
        if not isinstance(k, int) or k < 1:
            raise SkillbankError(f"k must be a whole number of at least 1, not {k!r}")
        if not task.strip():
            raise SkillbankError("the task is empty: say what the skills should do")
        infos = {v.name: v for v in self.list()}
        tiers: dict[str, str] = {}

        def tier_of(name: str) -> str | None:
            info = infos.get(name)
            if info is None:
                return None
            if name not in tiers:
                tiers[name] = self.effective_tier(info, policy, tighten_only=policy_tightens_only)
            return tiers[name]

        def hidden(name: str) -> bool:
            tier = tier_of(name)
            return tier is not None and not tier_allows(tier, "load")

        index = library_index(self, progress=progress, reindex=reindex)
        hits = index.search(task, k=k, exclude=None if include_blocked else hidden, **search)
        for h in hits:
            h.tier = tier_of(h.doc_id)
        return hits

    def to_prompt(self, names: Iterable[str], *, location: Callable[[StoredVersion], str] | None = None) -> str:
        """The `<available_skills>` block for these skills (latest versions). A skill whose
        stored tier forbids loading (blocked) is refused, never written into a prompt."""
        entries = []
        for name in _listed(names, "names"):
            version = self.get(name)
            if version.tier is not None and not tier_allows(version.tier, "load"):
                raise SkillbankError(
                    f"{version.ref} is blocked by the audit and is not put into a prompt; see `skillbank show {version.name}`."
                )
            entries.append((version.name, version.description, location(version) if location else f"skill://{version.name}/SKILL.md"))
        return prompt_block(entries)

    # -- installing --------------------------------------------------------------------

    def install(
        self,
        refs: Iterable[str],
        *,
        agents: Iterable[str],
        global_: bool = False,
        copy: bool = False,
        project: str | os.PathLike[str] | None = None,
        home: str | os.PathLike[str] | None = None,
        force: bool = False,
    ) -> list[Installed]:
        project_dir = Path(project or Path.cwd())
        home_dir = Path(home or Path.home())
        versions = [self.get(ref) for ref in _listed(refs, "refs")]  # resolve all first: all or nothing found
        policy = find_policy(project_dir)
        tiers = {}
        for version in versions:
            verdict = audit_version(version, policy)
            if not tier_allows(verdict.tier, "install"):
                if not verdict.findings:  # blocked by name in the policy, not by a finding
                    raise InstallError(
                        f"{version.ref} is blocked by the project's policy (block_skills in "
                        ".skillbank-policy.yaml)."
                    )
                worst = verdict.findings[0]
                raise InstallError(
                    f"{version.ref} is blocked by the audit ({worst.severity}: {worst.rule_id} in "
                    f"{worst.file}:{worst.line}). See `skillbank audit --library`; a team can allow it "
                    "with a suppression (and its reason) in .skillbank-policy.yaml."
                )
            tiers[version.name] = verdict.tier
        done: list[Installed] = []
        lock: dict[str, dict[str, Any]] = {}
        agents = _listed(agents, "agents")
        root = (home_dir if global_ else project_dir) / ".agents"
        with install_lock(root):
            for version in versions:
                done.append(
                    install_skill(
                        version.name, version.files, version.modes, agents=agents, global_=global_,
                        copy=copy, project=project_dir, home=home_dir, force=force,
                        known_digests=[v.digest for v in self.versions(version.name)],
                    )
                )
                self._lock_entry(lock, version, tiers[version.name])
            if lock:
                record_lock(lock, global_=global_, project=project_dir, home=home_dir)
        return done

    @staticmethod
    def _lock_entry(lock: dict[str, dict[str, Any]], version: StoredVersion, tier: str) -> None:
        prov = version.provenance
        lock[version.name] = {
            "source": prov.origin or version.name,
            "sourceType": {"folder": "local", "archive": "local"}.get(prov.source_kind, prov.source_kind),
            "computedHash": skillmod.lock_hash(version.files),
            "digest": version.digest,
            "version": version.seq,
            "tier": tier,
            **({"ref": prov.git_ref} if prov.git_ref else {}),
        }

    def import_installed(
        self,
        *,
        project: str | os.PathLike[str] | None = None,
        home: str | os.PathLike[str] | None = None,
        mode: Mode = "lenient",
    ) -> tuple[AddReport, list[dict[str, Any]]]:
        """Add the skills already in agents' folders; report names that shadow each other."""
        project_dir = Path(project or Path.cwd())
        home_dir = Path(home or Path.home())
        report = AddReport()
        seen: dict[str, list[dict[str, Any]]] = {}
        for scope, root in discovery_roots(project_dir, home_dir):
            # Installers symlink skills into agent folders; walk those links one level.
            linked = [c for c in sorted(root.iterdir()) if c.is_symlink() and (c / "SKILL.md").is_file()]
            for folder in find_skill_dirs(root) + linked:
                real = folder.resolve()
                sub = self.add([str(folder)], mode=mode)
                for outcome in sub.outcomes:
                    report.outcomes.append(outcome)
                    if outcome.name:
                        seen.setdefault(outcome.name, []).append(
                            {"scope": scope, "path": str(folder), "real_path": str(real), "digest": outcome.digest}
                        )
        shadows = []
        for name, places in sorted(seen.items()):
            distinct = {p["real_path"] for p in places}
            if len(distinct) > 1:
                shadows.append(
                    {
                        "name": name,
                        "winner": places[0]["path"],
                        "shadowed": [p["path"] for p in places[1:] if p["real_path"] != places[0]["real_path"]],
                        "same_content": len({p["digest"] for p in places}) == 1,
                    }
                )
        return report, shadows

    def stats(self) -> dict[str, Any]:
        return self.store.stats()


def load_skill(path: str | os.PathLike[str], mode: Mode = "strict") -> Skill:
    """Parse one skill folder (problems collected in `.problems`)."""
    return skillmod.load(path, mode)


__all__ = [
    "AddOutcome",
    "AddReport",
    "Library",
    "NotFoundError",
    "ValidationResult",
    "audit_version",
    "load_skill",
    "prompt_block",
    "to_prompt",
    "validate",
]
