"""skillbank.audit.bashlex_tables: bashlex imported with cached LR tables gives the parser PLY builds."""

from __future__ import annotations

import json
import os
import subprocess
import sys

_DUMP = """
import json, sys
if sys.argv[1] == "cached":
    from skillbank.audit.bashlex_tables import load
    bashlex = load()
    kind = type(sys.modules["bashlex.yacc"].LRTable).__name__ and sys.modules["bashlex.yacc"].LRTable.__name__
else:
    import bashlex
    kind = "plain"
from bashlex import parser
y = parser.yaccparser
tree = bashlex.parse("echo hi | grep x; a=$(curl -s http://h/x) && b > /tmp/o 2>&1")
print(json.dumps({"kind": kind,
                  "action": [[s, list(r.items())] for s, r in y.action.items()],
                  "goto": [[s, list(r.items())] for s, r in y.goto.items()],
                  "defaulted": sorted(y.defaulted_states.items()),
                  "prods": [[p.name, p.len, p.callable.__name__ if p.callable else None] for p in y.productions],
                  "tree": [t.dump() for t in tree]}))
"""


def _run(mode: str, cache: str) -> dict:
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    out = subprocess.run([sys.executable, "-c", _DUMP, mode], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_cached_tables_match_ply(tmp_path):
    plain = _run("plain", str(tmp_path))
    miss = _run("cached", str(tmp_path))  # builds and stores
    assert list((tmp_path / "skillbank").glob("bashlex-lr-*.marshal"))
    hit = _run("cached", str(tmp_path))  # reads
    assert plain["kind"] == "plain" and miss["kind"] == hit["kind"] == "CachedLRTable"
    for got in (miss, hit):
        for key in ("action", "goto", "defaulted", "prods", "tree"):
            assert got[key] == plain[key], key


def test_corrupt_cache_falls_back(tmp_path):
    plain = _run("plain", str(tmp_path))
    _run("cached", str(tmp_path))
    for f in (tmp_path / "skillbank").glob("bashlex-lr-*.marshal"):
        f.write_bytes(b"\x00garbage")
    got = _run("cached", str(tmp_path))
    assert got["action"] == plain["action"] and got["tree"] == plain["tree"]
