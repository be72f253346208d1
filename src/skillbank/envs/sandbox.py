"""The sandbox that runs skill code: bubblewrap, an unprivileged user, limits, no network.

Skill code never runs in the skillbank process. :class:`Session` starts the bootstrap
(``python -I -B bootstrap.py``) in a fresh work directory and, by default (mode ``bwrap``):

* as an unprivileged user: a fresh uid (= gid) per session from :data:`SANDBOX_UID_BASE`, no
  supplementary groups, when the parent is root (a non-root parent's own uid otherwise) - never
  as root; RLIMIT_NPROC is counted per uid, so concurrent sandboxes do not share it;
* under bubblewrap: ``bwrap --unshare-all --die-with-parent --new-session --ro-bind / /
  --tmpfs /tmp --proc /proc --dev /dev`` with the work directory a size-capped tmpfs - so the
  whole filesystem is read-only except the work dir and a private ``/tmp``, the network
  namespace is empty (no route to anything, not even the parent's 127.0.0.1), the PID
  namespace hides the parent (no ``/proc/<ppid>/environ``) and every descendant dies with
  bwrap's init, and the child has no capabilities (no ``setns`` back into the parent's
  namespaces);
* with ``resource.setrlimit`` in ``preexec_fn`` (inherited through bwrap): ``RLIMIT_AS``,
  ``RLIMIT_CPU``, ``RLIMIT_NOFILE``, ``RLIMIT_FSIZE``, ``RLIMIT_NPROC``; ``RLIMIT_CORE`` = 0;
* a scrubbed environment (``PATH``, ``HOME`` = ``TMPDIR`` = the work dir, ``LANG``);
* its own process group, killed as a group on the wall-clock deadline.

When bubblewrap or unprivileged user namespaces are unavailable, the old modes remain as a
*weaker* fallback, still as that unprivileged uid U: ``netns`` (``unshare --net --setuid U``),
``userns`` (``unshare --user --net`` after dropping to U) and ``audit`` (no namespace).
Without bwrap the child can read everything world-readable, write to world-writable places
and see other processes; only the uid, the rlimits and (for netns/userns) the empty network
namespace hold; descendants that left the process group are killed with ``kill -9 -1`` as U. The bootstrap's audit hook (refuses sockets, subprocesses and writes outside
the work dir) is kept in every mode as defence in depth only - it is bypassable (ctypes,
``_posixsubprocess``) and nothing relies on it.

The skill talks to its tools through a line-based JSON RPC on stdin/stdout: the *parent*
executes every tool call (so the environment state lives in the trusted process and every
call is logged by it); the child only decides what to call. ``print`` inside the skill goes
to stderr, so it cannot corrupt the protocol. The parent never blocks on the child: reads
and writes both go through one selector under the wall-clock deadline, a protocol line is
capped at :data:`MAX_LINE` bytes and queued input at :data:`MAX_PENDING`.
"""

from __future__ import annotations

import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["Limits", "SandboxError", "Session", "SkillError", "network_mode", "run_code"]

#: the child runs as a fresh unprivileged uid (= gid) from this range when the parent is root:
#: no passwd entry, owns nothing on the host, and RLIMIT_NPROC (counted per uid) is per sandbox,
#: so concurrent sandboxes neither share the process budget nor can signal each other.
SANDBOX_UID_BASE = 0x5B000000
SANDBOX_UID_SPAN = 1 << 24
#: longest protocol line the parent accepts from the child.
MAX_LINE = 1 << 20
#: most bytes the parent queues for a child that does not read its stdin.
MAX_PENDING = 16 << 20
MODES = ("bwrap", "netns", "userns", "audit")


class SandboxError(RuntimeError):
    """The sandboxed process broke the protocol, ran out of time/memory or crashed."""


class SkillError(RuntimeError):
    """The skill raised an exception (reported by the child)."""


@dataclass(frozen=True)
class Limits:
    wall_s: float = 20.0
    cpu_s: int = 20
    memory_mb: int = 512
    nofile: int = 64
    fsize_mb: int = 16
    nproc: int = 64
    workdir_mb: int = 64  # size of the work dir (a tmpfs) and of /tmp under bwrap
    network: str = "auto"  # auto (= bwrap, else the best fallback) | bwrap | netns | userns | audit


def _drop_ids() -> tuple[int, int] | None:
    """A fresh (uid, gid) to switch to before exec, or None when the parent is not root (already unprivileged)."""
    if os.geteuid() != 0:
        return None
    uid = SANDBOX_UID_BASE + secrets.randbelow(SANDBOX_UID_SPAN)
    return uid, uid


def _preexec(limits: Limits, ids: tuple[int, int] | None) -> Callable[[], None]:

    def fn() -> None:
        import resource

        mem = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.nofile, limits.nofile))
        fs = limits.fsize_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (fs, fs))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.nproc, limits.nproc))
        if ids is not None:
            os.setgroups([])
            os.setgid(ids[1])
            os.setuid(ids[0])
            if os.getuid() == 0 or os.geteuid() == 0:
                os._exit(126)

    return fn


def _bwrap_argv(workdir: str, files: dict[str, str], limits: Limits) -> list[str]:
    """bwrap prefix: read-only root, private /tmp, the work dir a tmpfs holding read-only `files`."""
    size = str(max(1, limits.workdir_mb) * 1024 * 1024)
    argv = [
        shutil.which("bwrap") or "bwrap",
        "--unshare-all", "--die-with-parent", "--new-session",
        "--ro-bind", "/", "/",
        "--size", size, "--tmpfs", "/tmp",
        "--proc", "/proc", "--dev", "/dev",
        "--size", size, "--tmpfs", workdir,
    ]
    for name, src in files.items():
        argv += ["--ro-bind", src, os.path.join(workdir, name)]
    return [*argv, "--chdir", workdir]


def _wrap(mode: str, workdir: str, files: dict[str, str], limits: Limits, ids: tuple[int, int] | None) -> tuple[list[str], bool]:
    """(argv prefix, drop to `ids` in preexec) for a mode."""
    unshare = shutil.which("unshare") or "unshare"
    if mode == "bwrap":
        return _bwrap_argv(workdir, files, limits), True
    if mode == "netns":
        if ids is None:  # not root: unshare --net is not permitted anyway
            return [unshare, "--net"], False
        return [unshare, "--net", "--setuid", str(ids[0]), "--setgid", str(ids[1])], False
    if mode == "userns":
        return [unshare, "--user", "--net"], True
    return [], True


_PROBE = "import os, sys; sys.exit(0 if os.getuid() != 0 and os.geteuid() != 0 else 1)"


def _probe(mode: str, exe: str) -> bool:
    """Can `exe` start in `mode`, as an unprivileged user, here?"""
    d = tempfile.mkdtemp(prefix="skillbank-sandbox-probe-")
    try:
        os.chmod(d, 0o711)
        wd = os.path.join(d, "work")
        os.mkdir(wd, 0o700)
        ids = _drop_ids()
        if ids is not None:
            os.chown(wd, *ids)
        prefix, drop = _wrap(mode, wd, {}, Limits(), ids)
        if prefix and not shutil.which(prefix[0]):
            return False
        r = subprocess.run(
            [*prefix, exe, "-I", "-c", _PROBE], cwd=wd, env={"PATH": "/usr/bin:/bin"}, capture_output=True,
            timeout=20, preexec_fn=_preexec(Limits(), ids if drop else None), start_new_session=True,
        )
        return r.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        shutil.rmtree(d, ignore_errors=True)


@lru_cache(maxsize=None)
def _interpreter(mode: str) -> str | None:
    """A Python the unprivileged child can execute in `mode` (sys.executable may sit under /root)."""
    cands = [sys.executable, os.path.realpath(sys.executable)]
    cands += [p for p in (shutil.which(f"python{sys.version_info[0]}.{sys.version_info[1]}", path="/usr/bin:/bin"),
                          shutil.which("python3", path="/usr/bin:/bin")) if p]
    seen: set[str] = set()
    for exe in cands:
        if exe in seen:
            continue
        seen.add(exe)
        if _probe(mode, exe):
            return exe
    return None


def network_mode(requested: str = "auto") -> str:
    """Which isolation is used: ``bwrap`` (default), else the weaker ``netns``, ``userns`` or ``audit``.

    A requested mode that does not work here falls back to the next weaker one."""
    if requested not in ("auto", *MODES):
        raise ValueError(f"unknown sandbox mode {requested!r}; use auto, {', '.join(MODES)}")
    order = MODES if requested == "auto" else MODES[MODES.index(requested):]
    for mode in order:
        if mode == "audit" or _interpreter(mode):
            return mode
    return "audit"


BOOTSTRAP = r'''
import sys, os, json, builtins, traceback
_proto_out = os.fdopen(os.dup(1), "w", buffering=1)
_proto_in = sys.stdin
sys.stdout = sys.stderr
_WORK = os.path.realpath(os.getcwd())
_PY = tuple(os.path.realpath(p) for p in sys.path if p)

def _hook(event, args):
    if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
                 "socket.gethostbyname", "socket.gethostbyaddr"):
        raise PermissionError("network access is disabled in the skill sandbox")
    if event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "pty.spawn"):
        raise PermissionError(f"{event} is disabled in the skill sandbox")
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
        flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        writing = any(ch in mode for ch in "wax+") or (flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        if writing:
            p = os.path.realpath(os.fsdecode(args[0]))
            if not (p == _WORK or p.startswith(_WORK + os.sep)):
                raise PermissionError(f"writing outside the sandbox directory is disabled: {p}")

def _send(obj):
    _proto_out.write(json.dumps(obj, default=str) + "\n")
    _proto_out.flush()

def _recv():
    line = _proto_in.readline()
    if not line:
        raise SystemExit(0)
    return json.loads(line)

def call(tool, **args):
    _send({"op": "call", "tool": tool, "args": args})
    msg = _recv()
    if msg.get("op") != "result":
        raise SystemExit(3)
    return msg.get("value")

job = json.load(open("job.json"))
sys.addaudithook(_hook)
modules = {}
for sid, src in job.get("skills", {}).items():
    ns = {"__name__": "skill_" + sid}
    try:
        exec(compile(src, f"skill_{sid}.py", "exec"), ns)
    except BaseException as exc:
        _send({"op": "error", "error": f"skill {sid} failed to load: {type(exc).__name__}: {exc}"})
        raise SystemExit(4)
    modules[sid] = ns
if "code" in job:
    ns = {"__name__": "__sandbox__", "call": call}
    try:
        exec(compile(job["code"], "sandboxed.py", "exec"), ns)
        _send({"op": "done", "return": ns.get("RESULT")})
    except BaseException as exc:
        _send({"op": "error", "error": f"{type(exc).__name__}: {exc}"})
    raise SystemExit(0)
_send({"op": "ready"})
while True:
    msg = _recv()
    if msg.get("op") == "exit":
        break
    if msg.get("op") == "run":
        ns = modules[msg["skill"]]
        try:
            ret = ns[msg.get("entry", "run")](call, **msg.get("params", {}))
            _send({"op": "done", "return": ret})
        except BaseException as exc:
            _send({"op": "error", "error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc(limit=3)})
'''


@dataclass
class Session:
    """One sandboxed child holding a set of skills; the parent answers its tool calls.

    >>> with Session({"s1": source}) as s:
    ...     ret, log = s.run("s1", {"folder": "x"}, handler)
    """

    skills: dict[str, str]
    limits: Limits = field(default_factory=Limits)
    code: str | None = None
    mode: str = ""
    workdir: str = ""
    stderr_tail: str = ""
    _root: str = ""
    _ids: tuple[int, int] | None = None
    _proc: subprocess.Popen | None = None
    _sel: selectors.BaseSelector | None = None
    _buf: bytes = b""
    _out: bytes = b""
    _in_fd: int = -1
    _writing: bool = False
    _deadline: float = 0.0

    def __enter__(self) -> Session:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def start(self) -> None:
        self.mode = network_mode(self.limits.network)
        exe = _interpreter(self.mode)
        if exe is None:
            raise SandboxError("no Python interpreter the unprivileged sandbox user can run (refusing to run as root)")
        # root-owned parent (the child cannot rename or replace its work dir); work dir owned by the sandbox user
        self._root = tempfile.mkdtemp(prefix="skillbank-sandbox-")
        os.chmod(self._root, 0o711)
        root = Path(self._root)
        self.workdir = str(root / "work")
        os.mkdir(self.workdir, 0o700)
        ids = self._ids = _drop_ids()
        if ids is not None:
            os.chown(self.workdir, *ids)
        job: dict[str, Any] = {"skills": self.skills}
        if self.code is not None:
            job["code"] = self.code
        files = {"bootstrap.py": BOOTSTRAP, "job.json": json.dumps(job)}
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
            os.chmod(root / name, 0o644)
        paths = {name: str(root / name) for name in files}
        if self.mode != "bwrap":  # no mount namespace: the files are copied into the work dir (root-owned, read-only)
            for name, src in paths.items():
                shutil.copyfile(src, os.path.join(self.workdir, name))
                os.chmod(os.path.join(self.workdir, name), 0o644)
        prefix, drop = _wrap(self.mode, self.workdir, paths, self.limits, ids)
        argv = [*prefix, exe, "-I", "-B", "bootstrap.py"]
        env = {"PATH": "/usr/bin:/bin", "HOME": self.workdir, "LANG": "C.UTF-8", "TMPDIR": self.workdir}
        self._proc = subprocess.Popen(
            argv,
            cwd=self.workdir,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_preexec(self.limits, ids if drop else None),
            close_fds=True,
        )
        assert self._proc.stdin and self._proc.stdout and self._proc.stderr
        self._in_fd = self._proc.stdin.fileno()
        for f in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
            os.set_blocking(f.fileno(), False)
        self._sel = selectors.DefaultSelector()
        self._sel.register(self._proc.stdout, selectors.EVENT_READ, "out")
        self._sel.register(self._proc.stderr, selectors.EVENT_READ, "err")
        self._deadline = time.monotonic() + self.limits.wall_s
        if self.code is None:
            msg = self._recv()
            if msg.get("op") != "ready":
                raise SandboxError(msg.get("error") or f"sandbox did not start: {msg}")

    def reset_clock(self) -> None:
        self._deadline = time.monotonic() + self.limits.wall_s

    def _kill(self) -> None:
        """SIGKILL the process group (also after a clean exit: leftover children of the fallback modes);
        under bwrap every descendant is in its PID namespace and dies with it (--die-with-parent)."""
        if self._proc is None or (self._proc.returncode is not None and self.mode == "bwrap"):
            return
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self._proc.poll() is None:
            try:
                self._proc.kill()
            except OSError:
                pass
            self._proc.wait(timeout=5)
        if self.mode != "bwrap" and self._ids is not None and (setpriv := shutil.which("setpriv")):
            # no PID namespace: descendants that left the group (setsid) still run as the session's own
            # uid - `kill -9 -1` as that uid reaches exactly them
            u, g = self._ids
            subprocess.run([setpriv, f"--reuid={u}", f"--regid={g}", "--clear-groups", "kill", "-9", "-1"],
                           capture_output=True, timeout=10, check=False)

    def _fail(self, why: str) -> SandboxError:
        self._kill()
        return SandboxError(why)

    def _flush_some(self) -> None:
        """Write what the child's stdin takes now (never blocks)."""
        if not self._out:
            return
        try:
            n = os.write(self._in_fd, self._out[:65536])
            self._out = self._out[n:]
        except BlockingIOError:
            pass
        except (BrokenPipeError, OSError):
            self._out = b""  # the child went away; its stdout EOF reports it
        self._want_write(bool(self._out))

    def _want_write(self, on: bool) -> None:
        assert self._sel and self._proc
        if on and not self._writing:
            self._sel.register(self._proc.stdin, selectors.EVENT_WRITE, "in")
        elif not on and self._writing:
            self._sel.unregister(self._proc.stdin)
        self._writing = on

    def _recv(self) -> dict[str, Any]:
        assert self._proc and self._sel
        while True:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise self._fail(f"timed out after {self.limits.wall_s:g}s wall clock")
            nl = self._buf.find(b"\n")
            if nl > MAX_LINE or (nl < 0 and len(self._buf) > MAX_LINE):
                raise self._fail(f"protocol line longer than {MAX_LINE} bytes")
            if nl >= 0:
                break
            events = self._sel.select(timeout=min(left, 1.0))
            for key, _ in events:
                if key.data == "in":
                    self._flush_some()
                    continue
                try:
                    chunk = os.read(key.fileobj.fileno(), 65536)  # type: ignore[union-attr]
                except BlockingIOError:
                    continue
                if key.data == "err":
                    if chunk:
                        self.stderr_tail = (self.stderr_tail + chunk.decode("utf-8", "replace"))[-4000:]
                    else:
                        self._sel.unregister(key.fileobj)
                    continue
                if not chunk:
                    try:
                        self._proc.wait(timeout=max(0.1, min(5.0, self._deadline - time.monotonic())))
                    except subprocess.TimeoutExpired:
                        self._kill()
                    rc = self._proc.returncode
                    why = "killed by the CPU or memory limit" if rc and rc < 0 else f"exited with {rc}"
                    if self.mode == "bwrap" and rc in (128 + signal.SIGKILL, 128 + signal.SIGXCPU):
                        why = "killed by the CPU or memory limit"
                    tail = self.stderr_tail.strip().splitlines()[-1:] or [""]
                    if "MemoryError" in self.stderr_tail:
                        why = "ran out of memory (MemoryError)"
                    raise SandboxError(f"sandboxed process {why} {tail[0]}".strip())
                self._buf += chunk
        line, self._buf = self._buf[:nl], self._buf[nl + 1:]
        try:
            msg = json.loads(line)
        except ValueError as exc:
            raise self._fail(f"protocol violation: {line[:100]!r}") from exc
        if not isinstance(msg, dict):
            raise self._fail(f"protocol violation: {line[:100]!r}")
        return msg

    def _send(self, obj: dict[str, Any]) -> None:
        """Queue a message for the child; it is written as the child reads (see :meth:`_recv`)."""
        assert self._proc and self._proc.stdin
        if self._proc.poll() is not None and not self._out:
            raise SandboxError("sandboxed process went away")
        self._out += (json.dumps(obj, default=str) + "\n").encode()
        if len(self._out) > MAX_PENDING:
            raise self._fail(f"sandboxed process does not read its input ({len(self._out)} bytes queued)")
        self._flush_some()

    def serve(self, handler: Callable[[str, dict[str, Any]], Any], log: list[tuple[str, dict[str, Any]]]) -> Any:
        """Answer tool calls until the child says done (returns its value) or error (raises SkillError)."""
        while True:
            msg = self._recv()
            op = msg.get("op")
            if op == "call":
                tool, args = str(msg.get("tool")), dict(msg.get("args") or {})
                log.append((tool, args))
                self._send({"op": "result", "value": handler(tool, args)})
            elif op == "done":
                return msg.get("return")
            elif op == "error":
                raise SkillError(str(msg.get("error")))
            else:
                raise self._fail(f"protocol violation: {msg!r}"[:200])

    def run(self, skill: str, params: dict[str, Any], handler: Callable[[str, dict[str, Any]], Any], entry: str = "run") -> tuple[Any, list]:
        """Run one skill with `params`; every tool call goes to `handler(tool, args)` in this process."""
        log: list[tuple[str, dict[str, Any]]] = []
        self.reset_clock()
        self._send({"op": "run", "skill": skill, "entry": entry, "params": params})
        return self.serve(handler, log), log

    def close(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                try:
                    self._out = b""
                    self._send({"op": "exit"})
                    if not self._out:
                        self._proc.wait(timeout=2)
                except (SandboxError, subprocess.TimeoutExpired, OSError, ValueError):
                    pass
            self._kill()
            if self._sel:
                self._sel.close()
                self._sel = None
            for f in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
                try:
                    if f:
                        f.close()
                except OSError:
                    pass
            self._proc = None
            self._writing = False
            self._out = b""
        if self._root:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = ""
        self.workdir = ""


def run_code(code: str, limits: Limits | None = None, handler: Callable[[str, dict[str, Any]], Any] | None = None) -> Any:
    """Run a code snippet in the sandbox; it may set ``RESULT`` (returned) and use ``call(tool, **args)``."""
    s = Session({}, limits or Limits(), code=code)
    try:
        s.start()
        return s.serve(handler or (lambda t, a: None), [])
    finally:
        s.close()
