"""TextWorldExpress adapter: command parsing, the go_to policy, verification of rewritten episodes."""

import shutil

import pytest

twx = pytest.importorskip("skillbank.envs.twx")
if not twx.available() or shutil.which("java") is None:
    pytest.skip("textworld-express or Java not installed", allow_module_level=True)

from skillbank.learn.emit import script_source, skill_files  # noqa: E402
from skillbank.learn.mine import Template, find_matches, substitute  # noqa: E402

GO_TO = Template((), ("room",), {"room": "string"}, kind="policy", policy="twx.go_to")


@pytest.mark.parametrize(
    "cmd",
    ["take used Q-tip", "move north", "open door to west", "put gray coat in wardrobe", "cook red potato in oven", "look around", "prepare meal", "read map"],
)
def test_parse_render_roundtrip(cmd):
    name, args = twx.parse(cmd)
    assert twx.render(name, args) == cmd


@pytest.fixture(scope="module")
def episodes():
    return [twx.gold_trace(g, "dev", s) for g, s in [("coin", 10007), ("cookingworld", 10003), ("mapreader", 10001), ("twc", 10002)]]


@pytest.mark.slow
def test_go_to_spans_and_rewritten_episodes_keep_success_and_score(episodes):
    matches = find_matches(GO_TO, episodes)
    assert matches and all(set(p) == {"room"} for *_, p in matches)
    src = script_source(GO_TO, "go-to")
    rewritten_any = 0
    for tr in episodes:
        assert tr.meta["success"] and tr.turns[0][0].name != "look_around"  # leading look around stripped
        uses = substitute(tr.turns[0], [GO_TO])
        if not any(u.skill for u in uses):
            continue
        rewritten_any += 1
        res = twx.verify_rewrite(tr, [uses], {GO_TO.id: src})
        assert res.ok, res.reason
        assert res.got["score"] == tr.meta["score"] and res.got["success"]
    assert rewritten_any >= 2


@pytest.mark.slow
def test_a_broken_policy_is_rejected(episodes):
    tr = next(t for t in episodes if any(u.skill for u in substitute(t.turns[0], [GO_TO])))
    uses = substitute(tr.turns[0], [GO_TO])
    lazy = "def run(call, *, room):\n    return call('act', command='look around')\n"
    res = twx.verify_rewrite(tr, [uses], {GO_TO.id: lazy})
    assert not res.ok and "go_to ended in" in res.reason


def test_policy_skill_folder_has_script_and_simulated_map_test(tmp_path):
    import subprocess
    import sys

    files = skill_files(GO_TO, "go-to-room", env="textworld-express")
    assert {"SKILL.md", "scripts/go-to-room.py", "tests/test_policy.py"} <= set(files)
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "tests")], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
