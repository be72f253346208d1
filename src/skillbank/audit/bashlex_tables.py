"""Import bashlex with its LR parse tables cached (a start-up speed-up only; same parser).

bashlex bundles a PLY copy that rebuilds the LALR tables of its grammar on every import (~0.1 s
of CPU: PLY no longer reads `parsetab` modules). `load()` imports bashlex with PLY's table builder
replaced by one that reads the action/goto tables from a file in the user's cache directory,
keyed by a hash of the Python version, PLY's source and the grammar itself (every production,
precedence, start symbol); on a miss, any error or an unwritable cache it builds the tables as
usual (and stores them when it can). The installed package is not modified. Nothing here runs
skill code: the tables are plain dicts of strings and integers read with `marshal`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType

_FORMAT = b"skillbank-bashlex-lr-1"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "skillbank"


def grammar_key(grammar, yacc_source: bytes) -> str:
    h = hashlib.sha256(_FORMAT)
    h.update(sys.version.encode())
    h.update(yacc_source)
    prods = [(p.name, p.prod, p.prec, p.func, p.number) for p in grammar.Productions if p is not None]
    h.update(repr((prods, sorted(grammar.Precedence.items()), grammar.Start,
                   sorted(grammar.Terminals), sorted(grammar.Nonterminals))).encode())
    return h.hexdigest()[:32]


def _valid(tables) -> bool:
    if not (isinstance(tables, tuple) and len(tables) == 2 and all(isinstance(t, dict) for t in tables)):
        return False
    for table in tables:
        for state, row in table.items():
            if not isinstance(state, int) or not isinstance(row, dict):
                return False
            if not all(isinstance(k, str) and isinstance(v, int) for k, v in row.items()):
                return False
    return True


def _load_module(name: str, path: str, package_dir: str | None = None) -> tuple[ModuleType, object]:
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=[package_dir] if package_dir else None)
    if spec is None or spec.loader is None:
        raise ImportError(name)
    return importlib.util.module_from_spec(spec), spec.loader


def _patch(yacc: ModuleType, source: bytes) -> None:
    """Replace yacc.LRTable by a subclass that reads / writes the cached tables."""
    base = yacc.LRTable

    class CachedLRTable(base):  # type: ignore[misc, valid-type]
        def __init__(self, grammar, log=None):
            file = cache_dir() / f"bashlex-lr-{grammar_key(grammar, source)}.marshal"
            try:
                tables = marshal.loads(file.read_bytes())
            except Exception:  # noqa: BLE001 - missing, unreadable or damaged: build the tables
                tables = None
            if tables is not None and _valid(tables):
                # the attributes LRTable.__init__ sets, with the tables read instead of computed
                self.grammar = grammar
                self.log = log or yacc.NullLogger()
                self.lr_action, self.lr_goto = tables
                self.lr_productions = grammar.Productions
                self.lr_goto_cache = {}
                self.lr0_cidhash = {}
                self._add_count = 0
                self.sr_conflict = 0
                self.rr_conflict = 0
                self.conflicts = []
                self.sr_conflicts = []
                self.rr_conflicts = []
                return
            base.__init__(self, grammar, log)
            try:
                data = marshal.dumps((self.lr_action, self.lr_goto))
                file.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=".bashlex-lr-", dir=file.parent)
                try:
                    with os.fdopen(fd, "wb") as fh:
                        fh.write(data)
                    os.replace(tmp, file)
                except BaseException:
                    try:
                        os.unlink(tmp)
                    except OSError:
                        pass
                    raise
            except (OSError, ValueError):
                pass  # an unwritable cache: the next start-up builds the tables again

    yacc.LRTable = CachedLRTable


def _import_cached() -> None:
    """Import the bashlex package by hand: its module object first (not yet run), then utils and
    yacc (patched), then the package's own __init__, which imports the parser against them."""
    spec = importlib.util.find_spec("bashlex")
    locs = list(spec.submodule_search_locations or []) if spec else []
    if not locs or not spec.origin:
        raise ImportError("bashlex")
    pkg_dir = locs[0]
    pkg, pkg_loader = _load_module("bashlex", spec.origin, pkg_dir)
    sys.modules["bashlex"] = pkg
    utils, utils_loader = _load_module("bashlex.utils", os.path.join(pkg_dir, "utils.py"))
    sys.modules["bashlex.utils"] = utils
    utils_loader.exec_module(utils)  # type: ignore[attr-defined]
    pkg.utils = utils
    yacc_path = os.path.join(pkg_dir, "yacc.py")
    yacc, yacc_loader = _load_module("bashlex.yacc", yacc_path)
    sys.modules["bashlex.yacc"] = yacc
    yacc_loader.exec_module(yacc)  # type: ignore[attr-defined]
    pkg.yacc = yacc
    _patch(yacc, Path(yacc_path).read_bytes())
    pkg_loader.exec_module(pkg)  # type: ignore[attr-defined]


def _forget() -> None:
    for name in [n for n in sys.modules if n == "bashlex" or n.startswith("bashlex.")]:
        del sys.modules[name]


def load() -> ModuleType:
    """The bashlex module (imported once per process)."""
    if "bashlex" not in sys.modules:
        try:
            _import_cached()
        except Exception:  # noqa: BLE001 - any problem: PLY's own import below
            _forget()
    import bashlex  # type: ignore[import-untyped]

    return bashlex
