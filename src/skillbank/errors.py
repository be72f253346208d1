"""Exceptions raised by skillbank. Every message says what was wrong, where, and what to do."""

from __future__ import annotations


class SkillbankError(Exception):
    """Base class of every error skillbank raises on purpose."""


class SkillLoadError(SkillbankError):
    """A skill folder, archive or file could not be read safely."""

    def __init__(self, message: str, *, path: str | None = None, rule: str = "load") -> None:
        super().__init__(message)
        self.path = path
        self.rule = rule


class SourceError(SkillbankError):
    """A source given to `add` (folder, git checkout, archive) is unusable."""


class NotFoundError(SkillbankError):
    """A skill or version asked for is not in the library."""


class StoreError(SkillbankError):
    """The library database is unusable (corrupt, newer schema, locked too long)."""


class InstallError(SkillbankError):
    """Installing a skill into an agent's folder failed; nothing was half-written."""
