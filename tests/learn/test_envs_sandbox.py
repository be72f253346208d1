"""The sandbox enforces its limits: wall/CPU time, memory, no network, throwaway cwd."""

import os
import time

import pytest

from skillbank.envs.sandbox import Limits, SandboxError, Session, SkillError, network_mode, run_code


def test_cwd_is_a_throwaway_temp_dir_and_env_is_scrubbed(monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "hunter2")
    out = run_code("import os\nopen('scratch.txt', 'w').write('x')\nRESULT = [os.getcwd(), sorted(os.listdir('.')), dict(os.environ)]")
    cwd, listing, env = out
    assert "skillbank-sandbox-" in cwd and cwd != os.getcwd()
    assert "scratch.txt" in listing
    assert not os.path.exists(cwd)  # removed afterwards
    assert "SECRET_TOKEN" not in env and env["HOME"] == cwd


def test_wall_clock_timeout_kills_the_process_group():
    t0 = time.monotonic()
    with pytest.raises(SandboxError, match="timed out|killed"):
        run_code("import time\ntime.sleep(30)", Limits(wall_s=1.5, cpu_s=10))
    assert time.monotonic() - t0 < 6


def test_cpu_limit():
    with pytest.raises(SandboxError, match="killed"):
        run_code("while True:\n    pass", Limits(wall_s=15, cpu_s=1))


def test_memory_limit():
    with pytest.raises(SkillError, match="MemoryError"):
        run_code("x = bytearray(1024 * 1024 * 1024)", Limits(memory_mb=256))


@pytest.mark.parametrize("mode", ["auto", "netns", "userns", "audit"])
def test_network_is_refused(mode):
    code = "import socket\ns = socket.socket()\ns.settimeout(2)\ns.connect(('1.1.1.1', 80))"
    with pytest.raises(SkillError, match="PermissionError|OSError|unreachable"):
        run_code(code, Limits(network=mode))


@pytest.mark.parametrize("mode", ["netns", "userns"])
def test_network_namespace_has_no_interfaces_when_available(mode):
    if network_mode(mode) != mode:
        pytest.skip(f"{mode} not permitted here (the audit hook still blocks sockets)")
    devs = run_code("RESULT = open('/proc/net/dev').read()", Limits(network=mode))
    names = {line.split(":")[0].strip() for line in devs.splitlines()[2:]}
    assert names <= {"lo"}
    # even a raw socket that skipped the audit hook would find no route out
    code = (
        "import sys, socket\n"
        "sys.audit = None\n"
        "RESULT = len(open('/proc/net/route').read().splitlines())"
    )
    assert run_code(code, Limits(network=mode)) <= 1  # header only: no routes


def test_no_subprocess_and_no_writes_outside_the_sandbox(tmp_path):
    with pytest.raises(SkillError, match="disabled"):
        run_code("import subprocess\nsubprocess.run(['true'])")
    target = tmp_path / "escape.txt"
    with pytest.raises(SkillError, match="outside"):
        run_code(f"open({str(target)!r}, 'w').write('x')")
    assert not target.exists()


def test_tool_calls_go_through_the_parent():
    src = "def run(call, x):\n    a = call('f', x=x)\n    print('noise')\n    return [a, call('g', y=a['v'])]\n"
    with Session({"s": src}) as s:
        ret, log = s.run("s", {"x": 3}, lambda tool, args: {"v": 7} if tool == "f" else "ok")
    assert ret == [{"v": 7}, "ok"] and log == [("f", {"x": 3}), ("g", {"y": 7})]
