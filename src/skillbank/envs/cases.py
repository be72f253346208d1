"""What every environment adapter reports per verification case."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from skillbank.learn.mine import Trace


@dataclass
class Case:
    """A span to verify a skill on: a run, its turn, where the span starts, the bound parameters."""

    trace: Trace
    turn: int
    start: int
    params: dict[str, Any]
    role: str = "source"  # source | validation


@dataclass
class CaseResult:
    """One run of a skill on one span (a source occurrence or a validation span)."""

    trace: str
    turn: int
    start: int
    params: dict[str, Any]
    ok: bool
    reason: str = ""
    role: str = "source"  # source | validation

    def to_json(self) -> dict[str, Any]:
        return {
            "run": self.trace,
            "turn": self.turn,
            "start": self.start,
            "role": self.role,
            "ok": self.ok,
            "reason": self.reason,
        }


@dataclass
class RewriteResult:
    """A whole run replayed with skills substituted, checked against the original."""

    trace: str
    ok: bool
    substitutions: int
    reason: str = ""
    turns_checked: int = 0
    gold: dict[str, Any] | None = None  # end state of the original run, where the adapter reports it
    got: dict[str, Any] | None = None  # end state after the rewritten run
    per_turn: list[bool] = field(default_factory=list)  # one verdict per checked turn
