"""The sandbox that runs skill code: a subprocess with limits, a throwaway cwd and no network.

Skill code never runs in the skillbank process. :class:`Session` starts
``sys.executable -I bootstrap.py`` in a fresh temporary directory with

* a scrubbed environment (``PATH``, ``HOME`` = the temp dir, ``LANG``),
* ``resource.setrlimit`` in ``preexec_fn``: ``RLIMIT_AS`` (memory), ``RLIMIT_CPU``,
  ``RLIMIT_NOFILE``, ``RLIMIT_FSIZE``; ``RLIMIT_CORE`` = 0,
* its own process group (``start_new_session``), killed as a group on a wall-clock timeout,
* no network: ``unshare --net`` (a new, empty network namespace; needs root) if it works,
  else ``unshare -rn`` (user namespace), and in every case an audit hook installed by the
  bootstrap before the skill is imported that refuses ``socket.*`` connects/binds,
  ``subprocess``/``os.system``/``exec*``/``fork`` and writes outside the temp dir.

The skill talks to its tools through a line-based JSON RPC on stdin/stdout: the *parent*
executes every tool call (so the environment state lives in the trusted process and every
call is logged by it); the child only decides what to call. ``print`` inside the skill goes
to stderr, so it cannot corrupt the protocol.
"""

from __future__ import annotations

import json
import os
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
    network: str = "auto"  # auto | netns | userns | audit


@lru_cache(maxsize=None)
def _unshare_works(flags: str) -> bool:
    exe = shutil.which("unshare")
    if not exe:
        return False
    try:
        r = subprocess.run([exe, *flags.split(), "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0


def network_mode(requested: str = "auto") -> str:
    """Which isolation is used: ``netns`` (unshare --net), ``userns`` (unshare -rn) or ``audit``."""
    if requested == "audit":
        return "audit"
    if requested in ("auto", "netns") and _unshare_works("--net"):
        return "netns"
    if requested in ("auto", "userns", "netns") and _unshare_works("-rn"):
        return "userns"
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


def _preexec(limits: Limits) -> Callable[[], None]:
    def fn() -> None:
        import resource

        mem = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.nofile, limits.nofile))
        fs = limits.fsize_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (fs, fs))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return fn


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
    _proc: subprocess.Popen | None = None
    _sel: selectors.BaseSelector | None = None
    _buf: bytes = b""
    _deadline: float = 0.0

    def __enter__(self) -> Session:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def start(self) -> None:
        self.workdir = tempfile.mkdtemp(prefix="skillbank-sandbox-")
        wd = Path(self.workdir)
        (wd / "bootstrap.py").write_text(BOOTSTRAP, encoding="utf-8")
        job: dict[str, Any] = {"skills": self.skills}
        if self.code is not None:
            job["code"] = self.code
        (wd / "job.json").write_text(json.dumps(job), encoding="utf-8")
        self.mode = network_mode(self.limits.network)
        argv = [sys.executable, "-I", "-B", "bootstrap.py"]
        if self.mode == "netns":
            argv = [shutil.which("unshare") or "unshare", "--net", *argv]
        elif self.mode == "userns":
            argv = [shutil.which("unshare") or "unshare", "-rn", *argv]
        env = {"PATH": "/usr/bin:/bin", "HOME": self.workdir, "LANG": "C.UTF-8", "TMPDIR": self.workdir}
        self._proc = subprocess.Popen(
            argv,
            cwd=self.workdir,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_preexec(self.limits),
            close_fds=True,
        )
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
        if self._proc and self._proc.poll() is None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._proc.wait(timeout=5)

    def _recv(self) -> dict[str, Any]:
        assert self._proc and self._sel
        while b"\n" not in self._buf:
            left = self._deadline - time.monotonic()
            if left <= 0:
                self._kill()
                raise SandboxError(f"timed out after {self.limits.wall_s:g}s wall clock")
            events = self._sel.select(timeout=min(left, 1.0))
            for key, _ in events:
                chunk = os.read(key.fileobj.fileno(), 65536)  # type: ignore[union-attr]
                if key.data == "err":
                    if chunk:
                        self.stderr_tail = (self.stderr_tail + chunk.decode("utf-8", "replace"))[-4000:]
                    else:
                        self._sel.unregister(key.fileobj)
                    continue
                if not chunk:
                    self._proc.wait(timeout=5)
                    rc = self._proc.returncode
                    why = "killed by the CPU or memory limit" if rc and rc < 0 else f"exited with {rc}"
                    tail = self.stderr_tail.strip().splitlines()[-1:] or [""]
                    if "MemoryError" in self.stderr_tail:
                        why = "ran out of memory (MemoryError)"
                    raise SandboxError(f"sandboxed process {why} {tail[0]}".strip())
                self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)

    def _send(self, obj: dict[str, Any]) -> None:
        assert self._proc and self._proc.stdin
        try:
            self._proc.stdin.write((json.dumps(obj, default=str) + "\n").encode())
            self._proc.stdin.flush()
        except BrokenPipeError as exc:
            raise SandboxError("sandboxed process went away") from exc

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
                raise SandboxError(f"protocol violation: {msg!r}"[:200])

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
                    self._send({"op": "exit"})
                    self._proc.wait(timeout=2)
                except (SandboxError, subprocess.TimeoutExpired, OSError, ValueError):
                    pass
            self._kill()
            for f in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
                try:
                    if f:
                        f.close()
                except OSError:
                    pass
            if self._sel:
                self._sel.close()
            self._proc = None
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = ""


def run_code(code: str, limits: Limits | None = None, handler: Callable[[str, dict[str, Any]], Any] | None = None) -> Any:
    """Run a code snippet in the sandbox; it may set ``RESULT`` (returned) and use ``call(tool, **args)``."""
    s = Session({}, limits or Limits(), code=code)
    try:
        s.start()
        return s.serve(handler or (lambda t, a: None), [])
    finally:
        s.close()
