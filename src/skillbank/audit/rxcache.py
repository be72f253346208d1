"""Rule regexes compiled once per Python version (a start-up speed-up only; same patterns).

The auditor compiles ~600 regexes at import, ~0.2 s of CPU spent in the `re` parser and code
generator. `compile()` returns exactly what `re.compile()` returns, but builds the Pattern from
the internal program (the list of integers `re._compiler` generates) kept in a file in the user's
cache directory, keyed by the Python version and the regex engine's magic number; a pattern not in
the file is compiled as usual and `save()` (called once the auditor is imported) stores the
programs. Any error, an unreadable or malformed file or an unwritable cache falls back to
`re.compile()`. tests/audit/test_rxcache.py checks every pattern equal (same flags, source and
program) to a fresh `re.compile()`. Nothing here runs skill code: the file holds strings and
integers read with `marshal`.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import tempfile
from pathlib import Path

try:  # the engine's internals: without them every pattern goes through re.compile
    import _sre
    from re import _compiler, _parser
    _OK = callable(getattr(_sre, "compile", None)) and callable(getattr(_compiler, "_code", None))
except Exception:  # pragma: no cover
    _OK = False

_FORMAT = "skillbank-rx-1"
_programs: dict | None = None  # (pattern, flags) -> (flags, code, groups, groupindex, indexgroup)
_new: dict = {}
_used: set = set()  # keys asked for in this process: what save() keeps (stale programs are dropped)


def cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    tag = f"{sys.implementation.cache_tag}-{getattr(_sre, 'MAGIC', 0) if _OK else 0}"
    return Path(base) / "skillbank" / f"rx-{tag}.marshal"


def _valid(entry) -> bool:
    if not (isinstance(entry, tuple) and len(entry) == 5):
        return False
    flags, code, groups, groupindex, indexgroup = entry
    return (isinstance(flags, int) and isinstance(code, list) and all(type(c) is int for c in code) and
            isinstance(groups, int) and isinstance(groupindex, dict) and
            all(isinstance(k, str) and type(v) is int for k, v in groupindex.items()) and
            isinstance(indexgroup, tuple) and all(g is None or isinstance(g, str) for g in indexgroup) and
            len(indexgroup) == groups + 1)


def _load() -> dict:
    global _programs
    if _programs is None:
        _programs = {}
        try:
            data = marshal.loads(cache_file().read_bytes())
            if isinstance(data, tuple) and len(data) == 2 and data[0] == _FORMAT and isinstance(data[1], dict):
                _programs = data[1]
        except Exception:
            pass
    return _programs


def _program(pattern: str, flags: int) -> tuple:
    """What re._compiler.compile hands to _sre.compile."""
    p = _parser.parse(pattern, flags)
    code = _compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    # (opcodes are int subclasses: stored as plain ints, which _sre.compile reads the same)
    return int(flags | p.state.flags), [int(c) for c in code], p.state.groups - 1, groupindex, tuple(indexgroup)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 -- re.compile's twin
    flags = int(flags)
    if not _OK or not isinstance(pattern, str) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    _used.add(key)
    try:
        entry = _load().get(key)
        if entry is None or not _valid(entry):
            entry = _program(pattern, flags)
            _new[key] = entry
        eflags, code, groups, groupindex, indexgroup = entry
        return _sre.compile(pattern, eflags, code, groups, groupindex, indexgroup)
    except Exception:
        _new.pop(key, None)
        return re.compile(pattern, flags)


def save() -> None:
    """Store the programs of the patterns compiled in this process when any was missing from the file
    (no-op otherwise)."""
    if not _new:
        return
    try:
        old = _load()
        merged = {k: _new[k] if k in _new else old[k] for k in _used if k in _new or (k in old and _valid(old[k]))}
        path = cache_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rx-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps((_FORMAT, merged)))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        _new.clear()
    except Exception:
        pass
