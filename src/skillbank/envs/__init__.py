"""Environment adapters (restore a run's state, execute a skill, check the result) and the sandbox.

* :mod:`skillbank.envs.sandbox` - subprocess with limits, throwaway cwd, no network; skills talk
  to their tools through an RPC so the environment state stays in this process.
* :mod:`skillbank.envs.bfcl` - BFCL multi-turn (``bfcl-eval``): BFCL's own state checker.
* :mod:`skillbank.envs.twx` - TextWorldExpress (``textworld-express``, needs Java).
"""

from __future__ import annotations

import importlib
from types import ModuleType

ENVS = {"bfcl": "skillbank.envs.bfcl", "textworld-express": "skillbank.envs.twx"}

__all__ = ["ENVS", "get_env"]


def get_env(name: str) -> ModuleType:
    """The adapter module of an environment (``bfcl`` or ``textworld-express``)."""
    from skillbank.errors import SkillbankError

    if name not in ENVS:
        raise SkillbankError(f"unknown environment {name!r} (known: {', '.join(ENVS)})")
    mod = importlib.import_module(ENVS[name])
    if not mod.available():
        raise SkillbankError(f"environment {name!r} is not installed (run scripts/install-envs.sh)")
    return mod
