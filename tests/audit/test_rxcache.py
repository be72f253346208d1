"""skillbank.audit.rxcache: rule regexes built from cached programs equal what re.compile builds."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

_DUMP = """
import json, re, sys
import skillbank.audit
from skillbank.audit import rxcache
mods = [m for n, m in sorted(sys.modules.items()) if n.startswith("skillbank.audit.")]
pats = [v for m in mods for v in vars(m).values() if isinstance(v, re.Pattern)]
pats += [r.regex for r in skillbank.audit.textscan.LINE_RULES]
bad = [p.pattern[:80] for p in pats if p != re.compile(p.pattern, p.flags)]
print(json.dumps({"n": len(pats), "bad": bad, "new": len(rxcache._new), "cached": len(rxcache._load())}))
"""


def _run(cache: str) -> dict:
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    out = subprocess.run([sys.executable, "-c", _DUMP], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_cached_patterns_equal_re_compile(tmp_path):
    miss = _run(str(tmp_path))  # compiles and stores
    files = list((tmp_path / "skillbank").glob("rx-*.marshal"))
    assert files and miss["bad"] == [] and miss["n"] > 500
    hit = _run(str(tmp_path))  # every module-level pattern from the file
    assert hit["bad"] == [] and hit["new"] == 0 and hit["cached"] >= 500 and hit["n"] == miss["n"]
    files[0].write_bytes(b"not marshal")  # a broken file: plain compilation, same patterns
    broken = _run(str(tmp_path))
    assert broken["bad"] == [] and broken["n"] == miss["n"]


def test_compile_matches_re_compile():
    from skillbank.audit import rxcache
    for pattern, flags in ((r"(?P<a>x)(y)?|\b\w+", 0), (r"ab[^c]{0,3}", re.I | re.M), (r"(?i:x)(?-i:Y)", 0)):
        assert rxcache.compile(pattern, flags) == re.compile(pattern, flags)
        p = rxcache.compile(pattern, flags)
        assert p.groupindex == re.compile(pattern, flags).groupindex and p.groups == re.compile(pattern, flags).groups
