"""The sandbox enforces its limits: wall/CPU time, memory, no network, throwaway cwd.

The attack tests below are the security review's reproductions (ctypes, ``_posixsubprocess``,
rename/truncate/hardlink, setns, loopback, /proc/<ppid>/environ, setsid grandchildren, a child
that floods stdout); each one skips the bootstrap's audit hook, so they hold only because of the
OS-level isolation (bubblewrap, uid 65534, namespaces, rlimits, the parent's deadline).
"""

import os
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest

from skillbank.envs.sandbox import MAX_LINE, Limits, SandboxError, Session, SkillError, network_mode, run_code

MODE = network_mode()
ISOLATED = MODE in ("bwrap", "netns", "userns")  # own network namespace
needs_bwrap = pytest.mark.skipif(MODE != "bwrap", reason=f"bubblewrap unavailable here (mode {MODE})")

# ctypes calls straight into libc: no audit event is raised for any of them
LIBC = "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"


def _spawn(argv: list[str], new_session: bool = False) -> str:
    """Child code that starts `argv` via _posixsubprocess.fork_exec (bypasses the subprocess audit event)."""
    args = [a.encode() for a in argv]
    return (
        "import _posixsubprocess, os\n"
        "r, w = os.pipe()\n"
        f"pid = _posixsubprocess.fork_exec({args!r}, [{args[0]!r}], True, (), None, None, -1, -1, -1, -1, -1, -1,"
        f" r, w, True, {new_session!r}, -1, None, None, None, -1, None, False)\n"
    )


def test_default_mode_is_bwrap_when_available():
    assert network_mode("auto") == MODE
    assert MODE in ("bwrap", "netns", "userns", "audit")
    with pytest.raises(ValueError):
        network_mode("nope")


def test_cwd_is_a_throwaway_temp_dir_and_env_is_scrubbed(monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "hunter2")
    out = run_code("import os\nopen('scratch.txt', 'w').write('x')\nRESULT = [os.getcwd(), sorted(os.listdir('.')), dict(os.environ)]")
    cwd, listing, env = out
    assert "skillbank-sandbox-" in cwd and cwd != os.getcwd()
    assert "scratch.txt" in listing
    assert not os.path.exists(cwd)  # removed afterwards
    assert "SECRET_TOKEN" not in env and env["HOME"] == cwd


def test_child_is_unprivileged_and_cannot_read_root_only_files():
    uid, euid, groups = run_code("import os\nRESULT = [os.getuid(), os.geteuid(), os.getgroups()]")
    assert uid != 0 and euid != 0 and 0 not in groups
    with pytest.raises(SkillError, match="PermissionError|Errno 13"):
        run_code("RESULT = open('/etc/shadow').read()")


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


@pytest.mark.parametrize("mode", ["auto", "bwrap", "netns", "userns", "audit"])
def test_network_is_refused(mode):
    # in "audit" mode only the (bypassable) audit hook refuses this; the namespaced modes are tested below
    code = "import socket\ns = socket.socket()\ns.settimeout(2)\ns.connect(('1.1.1.1', 80))"
    with pytest.raises(SkillError, match="PermissionError|OSError|unreachable"):
        run_code(code, Limits(network=mode))


@pytest.mark.parametrize("mode", ["bwrap", "netns", "userns"])
def test_network_namespace_has_no_interfaces_when_available(mode):
    if network_mode(mode) != mode:
        pytest.skip(f"{mode} not permitted here")
    devs = run_code("RESULT = open('/proc/net/dev').read()", Limits(network=mode))
    names = {line.split(":")[0].strip() for line in devs.splitlines()[2:]}
    assert names <= {"lo"}
    assert run_code("RESULT = len(open('/proc/net/route').read().splitlines())", Limits(network=mode)) <= 1  # no routes


@pytest.fixture
def listener():
    """A loopback TCP listener in the parent; records whatever connects (bounded by timeouts)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.2)
    got: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except (TimeoutError, OSError):
                continue
            c.settimeout(1)
            try:
                got.append(c.recv(100) or b"<connected>")
            except OSError:
                got.append(b"<connected>")
            c.close()

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1], got
    stop.set()
    t.join(2)
    srv.close()


def _ctypes_connect(port: int) -> str:
    return LIBC + (
        "import socket, struct\n"
        "s = socket.socket(); fd = s.fileno()\n"
        f"addr = struct.pack('=H', socket.AF_INET) + struct.pack('!H4s8x', {port}, socket.inet_aton('127.0.0.1'))\n"
        "c = libc.connect(fd, ctypes.c_char_p(addr), len(addr))\n"
        "if c == 0: libc.send(fd, b'escaped', 7, 0)\n"
        "RESULT = [c, ctypes.get_errno()]\n"
    )


@pytest.mark.skipif(not ISOLATED, reason="no network namespace here")
def test_ctypes_connect_to_a_loopback_listener_in_the_parent_fails(listener):
    port, got = listener
    rc, _errno = run_code(_ctypes_connect(port))
    time.sleep(0.3)
    assert rc != 0 and got == []


@pytest.mark.skipif(not ISOLATED, reason="no network namespace here")
def test_setns_into_the_parent_net_namespace_fails(listener):
    port, got = listener
    code = LIBC + (
        "res = []\n"
        f"for p in ({os.getpid()}, os.getppid(), 1):\n"
        "    try:\n"
        "        fd = os.open(f'/proc/{p}/ns/net', os.O_RDONLY)\n"
        "    except OSError as e:\n"
        "        res.append(['open', p, e.errno]); continue\n"
        "    res.append(['setns', p, libc.setns(fd, 0x40000000), ctypes.get_errno()])\n"
    ) + _ctypes_connect(port).replace(LIBC, "").replace("RESULT = ", "RESULT = res + ")
    out = run_code(code)
    time.sleep(0.3)
    assert all(r[2] != 0 for r in out[:-2] if r[0] == "setns"), out
    assert out[-2] != 0 and got == []


def test_parent_environ_does_not_leak_a_secret():
    # /proc/<pid>/environ shows the environment a process was exec'd with, so the secret goes into
    # the environment of a fresh parent process that then runs the sandbox
    secret = "sk-parent-" + uuid.uuid4().hex
    child = (
        "import os\n"
        "seen = []\n"
        "for p in sorted({os.getppid(), 1, PARENT} | {int(d) for d in os.listdir('/proc') if d.isdigit()}):\n"
        "    try:\n"
        "        seen.append(open(f'/proc/{p}/environ', 'rb').read().decode('latin-1'))\n"
        "    except OSError:\n"
        "        pass\n"
        "RESULT = '\\n'.join(seen)\n"
    )
    parent = (
        "import os, sys\n"
        "from skillbank.envs.sandbox import run_code\n"
        "assert os.environ['SKILLBANK_TEST_SECRET'] in open(f'/proc/{os.getpid()}/environ').read()\n"
        "out = run_code(sys.argv[1].replace('PARENT', str(os.getpid())))\n"
        "print('LEAKED' if os.environ['SKILLBANK_TEST_SECRET'] in out else 'CLEAN', len(out))\n"
    )
    env = {**os.environ, "SKILLBANK_TEST_SECRET": secret}
    r = subprocess.run([sys.executable, "-c", parent, child], env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("CLEAN"), r.stdout


@pytest.fixture
def victim(tmp_path):
    tmp_path.chmod(0o755)  # world-readable/traversable, as a worst case
    v = tmp_path / "victim.txt"
    v.write_text("original")
    v.chmod(0o666)  # even world-writable
    return v


def test_ctypes_system_cannot_write_outside_the_workdir(victim):
    new = victim.parent / "created.txt"
    cmd = f"echo pwned > {victim}; touch {new}; touch /var/tmp/skillbank-escape-{os.getpid()}"
    run_code(LIBC + f"RESULT = libc.system({cmd.encode()!r})")
    assert victim.read_text() == "original" and not new.exists()
    assert not os.path.exists(f"/var/tmp/skillbank-escape-{os.getpid()}")


@pytest.mark.parametrize(
    "attack",
    [
        "posixsubprocess",
        "rename",
        "truncate",
        "hardlink",
        "o_trunc",
        "delete",
        "main_work_global",
    ],
)
def test_files_outside_the_workdir_cannot_be_touched(victim, attack):
    v, new = str(victim), str(victim.parent / "moved.txt")
    code = {
        "posixsubprocess": _spawn(["/bin/sh", "-c", f"echo pwned > {v}; echo x > {new}"]) + "RESULT = os.waitpid(pid, 0)",
        "rename": f"import os\nopen('f', 'w').write('pwned')\nos.rename('f', {new!r})\nos.rename('f', {v!r})",
        "truncate": f"import os\nos.truncate({v!r}, 0)",
        "hardlink": f"import os\nos.link({v!r}, 'lnk')\nopen('lnk', 'a').write('pwned')",
        "o_trunc": f"import os\nos.close(os.open({v!r}, os.O_RDONLY | os.O_TRUNC))",
        "delete": f"import os\nos.remove({v!r})",
        "main_work_global": f"import __main__\n__main__._WORK = ''\nopen({v!r}, 'w').write('pwned')\nopen({new!r}, 'w').write('x')",
    }[attack]
    try:
        run_code(code)
    except SkillError:
        pass
    assert victim.read_text() == "original"
    assert not os.path.exists(new)


def _alive(marker: str) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        out.append(int(d))
            except OSError:
                pass
    return out


@pytest.mark.parametrize("mode", ["auto", "netns", "userns", "audit"])
def test_setsid_grandchild_does_not_survive_the_timeout(mode):
    if os.geteuid() != 0 and mode != "auto":
        pytest.skip("the fallback modes reach setsid escapees through the per-session uid (needs a root parent)")
    marker = f"3{uuid.uuid4().int % 10**6}.25"  # a unique `sleep` argument to look for
    code = _spawn(["/bin/sleep", marker], new_session=True) + "import time\ntime.sleep(60)"
    with pytest.raises(SandboxError, match="timed out"):
        run_code(code, Limits(wall_s=1.5, network=mode))
    deadline = time.monotonic() + 3
    while _alive(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive(marker) == []


def test_flooding_child_that_never_reads_does_not_hang_the_parent():
    code = (
        "import json, time, __main__\n"
        "out = __main__._proto_out\n"
        "for i in range(20000):\n"
        "    out.write(json.dumps({'op': 'call', 'tool': 't', 'args': {}}) + '\\n')\n"
        "out.flush()\n"
        "time.sleep(3600)\n"
    )
    t0 = time.monotonic()
    with pytest.raises(SandboxError, match="timed out|does not read"):
        run_code(code, Limits(wall_s=2), handler=lambda t, a: "x" * 4096)
    assert time.monotonic() - t0 < 5


def test_a_line_without_newline_is_capped():
    code = "import os\nchunk = b'A' * (1 << 20)\nfor i in range(100):\n    os.write(1, chunk)\nimport time\ntime.sleep(60)"
    t0 = time.monotonic()
    with pytest.raises(SandboxError, match=f"longer than {MAX_LINE}"):
        run_code(code, Limits(wall_s=10))
    assert time.monotonic() - t0 < 5


def test_process_count_is_limited():
    code = (
        "import _posixsubprocess, os\n"
        "n = 0\n"
        "try:\n"
        "    while n < 500:\n"
        "        r, w = os.pipe()\n"
        "        _posixsubprocess.fork_exec([b'/bin/sleep', b'5'], [b'/bin/sleep'], True, (), None, None,"
        " -1, -1, -1, -1, -1, -1, r, w, True, False, -1, None, None, None, -1, None, False)\n"
        "        os.close(r); os.close(w)\n"
        "        n += 1\n"
        "except OSError:\n"
        "    pass\n"
        "RESULT = n\n"
    )
    assert run_code(code, Limits(nproc=32, nofile=64)) < 32


@needs_bwrap
def test_workdir_and_tmp_are_size_capped_and_the_rest_is_read_only():
    code = (
        "import errno, os, __main__\n"
        "__main__._WORK = ''  # switches off the audit hook's path check: only the OS decides below\n"
        "res = []\n"
        "for d in ('.', '/tmp'):\n"
        "    try:\n"
        "        for i in range(20):\n"
        "            with open(os.path.join(d, f'f{i}'), 'wb') as f: f.write(b'0' * (1 << 20))\n"
        "        res.append('ok')\n"
        "    except OSError as e:\n"
        "        res.append(errno.errorcode[e.errno])\n"
        "try:\n"
        "    os.close(os.open('/var/tmp/x', os.O_WRONLY | os.O_CREAT)); res.append('ok')\n"
        "except OSError as e:\n"
        "    res.append(errno.errorcode[e.errno])\n"
        "RESULT = res\n"
    )
    assert run_code(code, Limits(workdir_mb=8)) == ["ENOSPC", "ENOSPC", "EROFS"]


def test_tool_calls_go_through_the_parent():
    src = "def run(call, x):\n    a = call('f', x=x)\n    print('noise')\n    return [a, call('g', y=a['v'])]\n"
    with Session({"s": src}) as s:
        ret, log = s.run("s", {"x": 3}, lambda tool, args: {"v": 7} if tool == "f" else "ok")
    assert ret == [{"v": 7}, "ok"] and log == [("f", {"x": 3}), ("g", {"y": 7})]


def test_large_tool_results_reach_a_child_that_reads_them():
    src = "def run(call):\n    return sum(len(call('big')) for _ in range(5))\n"
    with Session({"s": src}) as s:
        ret, _ = s.run("s", {}, lambda tool, args: "y" * 300_000)
    assert ret == 1_500_000
