"""A scripted OpenAI-compatible server for tests: real HTTP on 127.0.0.1, canned replies.

::

    from skillbank.llm.testing import ScriptedServer

    with ScriptedServer(["hello", '{"ok": true}']) as srv:
        llm = srv.provider()                     # OpenAICompatible pointed at the server
        assert llm.chat([{"role": "user", "content": "hi"}]) == "hello"
        assert srv.requests[0].body["messages"][0]["content"] == "hi"

The script is either a list of replies consumed in order, or a function ``f(request) -> reply``
(called for every chat request; ``request`` is a :class:`ScriptedRequest`). A reply is

* a ``str`` - the assistant's text;
* a ``dict`` with ``"choices"`` - sent as the whole response body;
* a ``dict`` with ``"content"`` and/or ``"tool_calls"`` - the assistant message;
* a :class:`Fail` - an HTTP error (``Fail(429)``, ``Fail(500, "boom")``) or a delay;
* a callable - called with the request, its result is the reply.

When a list script runs out, the server answers HTTP 500 ``script exhausted`` (tests see it as
an :class:`~skillbank.llm.LLMError`). ``/v1/embeddings`` answers from ``embed`` (a function
``text -> list[float]``), by default a deterministic hashed bag of words (64 dimensions).
``/v1/models`` lists the model. Every request is recorded in :attr:`ScriptedServer.requests`.

As a pytest fixture: add ``pytest_plugins = ["skillbank.llm.testing"]`` to a ``conftest.py``
(or import ``scripted_server`` into the test module) and take ``scripted_server`` as an argument;
set its script with :meth:`ScriptedServer.set_script` or :meth:`ScriptedServer.add`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Fail", "ScriptedRequest", "ScriptedServer", "hashed_embedding", "scripted_server"]


@dataclass(frozen=True)
class Fail:
    """A scripted failure: answer HTTP ``status`` with ``message`` after ``delay`` seconds.

    ``status=200`` with a delay simulates a slow server (for timeout tests). ``body`` replaces
    the default OpenAI error body when given (``str`` bodies are sent verbatim).
    """

    status: int = 500
    message: str = "scripted failure"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass
class ScriptedRequest:
    path: str
    body: Any
    headers: dict[str, str]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def text(self) -> str:
        """All message contents of the request joined (handy for routing in script functions)."""
        parts = []
        for m in self.messages:
            c = m.get("content")
            if isinstance(c, str):
                parts.append(c)
            elif isinstance(c, list):
                parts.extend(str(p.get("text", "")) for p in c if isinstance(p, dict))
        return "\n".join(parts)

    @property
    def last_user(self) -> str:
        for m in reversed(self.messages):
            if m.get("role") == "user" and isinstance(m.get("content"), str):
                return m["content"]
        return ""


Reply = Any
Script = Iterable[Reply] | Callable[[ScriptedRequest], Reply]

_WORD = re.compile(r"[A-Za-z0-9_]+")


def hashed_embedding(text: str, dim: int = 64) -> list[float]:
    """A deterministic unit vector: hashed bag of lower-cased words (similar texts -> similar vectors)."""
    v = [0.0] * dim
    for w in _WORD.findall(text.lower()):
        h = hashlib.blake2b(w.encode(), digest_size=8).digest()
        v[int.from_bytes(h[:4], "little") % dim] += 1.0 if h[4] & 1 else -1.0
    norm = math.sqrt(sum(x * x for x in v)) or 1.0
    return [x / norm for x in v]


def _ntokens(text: str) -> int:
    return len(text.split())


class ScriptedServer:
    """An OpenAI-compatible HTTP server on 127.0.0.1 (random port) answering from a script."""

    def __init__(
        self,
        script: Script | None = None,
        *,
        embed: Callable[[str], list[float]] | None = None,
        model: str = "scripted-model",
    ) -> None:
        self.model = model
        self.embed_fn = embed or hashed_embedding
        self.requests: list[ScriptedRequest] = []
        self._lock = threading.Lock()
        self._fn: Callable[[ScriptedRequest], Reply] | None = None
        self._queue: list[Reply] = []
        self.set_script(script)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- script --------------------------------------------------------------------------------
    def set_script(self, script: Script | None) -> None:
        with self._lock:
            if callable(script):
                self._fn, self._queue = script, []
            else:
                self._fn, self._queue = None, list(script or [])

    def add(self, *replies: Reply) -> None:
        """Append replies to a list script."""
        with self._lock:
            self._fn = None
            self._queue.extend(replies)

    @property
    def remaining(self) -> int:
        with self._lock:
            return len(self._queue)

    @property
    def chat_requests(self) -> list[ScriptedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _next_reply(self, req: ScriptedRequest) -> Reply:
        with self._lock:
            fn = self._fn
            if fn is None:
                if not self._queue:
                    return Fail(500, "script exhausted: no scripted reply left")
                reply = self._queue.pop(0)
            else:
                reply = None
        if fn is not None:
            reply = fn(req)
        while callable(reply) and not isinstance(reply, Fail):
            reply = reply(req)
        return reply

    # -- lifecycle -----------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("ScriptedServer is not started")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """The base URL to give a client: ``http://127.0.0.1:<port>/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> ScriptedServer:
        if self._httpd is not None:
            return self
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # one request must not wait for a delayed ACK

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": server.model, "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"null")
                except json.JSONDecodeError:
                    self._send(400, {"error": {"message": "request body is not JSON", "type": "invalid_request_error"}})
                    return
                req = ScriptedRequest(self.path, body, {k.lower(): v for k, v in self.headers.items()})
                with server._lock:
                    server.requests.append(req)
                path = self.path.split("?", 1)[0].rstrip("/")
                try:
                    if path.endswith("/chat/completions"):
                        self._chat(req)
                    elif path.endswith("/embeddings"):
                        self._embeddings(req)
                    else:
                        self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                except Exception as exc:  # a broken script is the test's bug: make it visible
                    self._send(500, {"error": {"message": f"script error: {type(exc).__name__}: {exc}", "type": "server_error"}})

            def _chat(self, req: ScriptedRequest) -> None:
                if not isinstance(req.body, dict) or not isinstance(req.body.get("messages"), list):
                    self._send(400, {"error": {"message": "'messages' is required", "type": "invalid_request_error"}})
                    return
                reply = server._next_reply(req)
                if isinstance(reply, Fail):
                    if reply.delay:
                        time.sleep(reply.delay)
                    if reply.status < 400:
                        reply = reply.body if reply.body is not None else reply.message
                    else:
                        body = reply.body if reply.body is not None else {
                            "error": {"message": reply.message, "type": "scripted_error", "code": reply.status}
                        }
                        self._send(reply.status, body, reply.headers)
                        return
                if isinstance(reply, dict) and "choices" in reply:
                    self._send(200, reply)
                    return
                if isinstance(reply, dict):
                    message = {"role": "assistant", "content": reply.get("content")}
                    if reply.get("tool_calls"):
                        message["tool_calls"] = reply["tool_calls"]
                    finish = "tool_calls" if reply.get("tool_calls") else "stop"
                else:
                    message = {"role": "assistant", "content": "" if reply is None else str(reply)}
                    finish = "stop"
                completion = message.get("content") or ""
                self._send(
                    200,
                    {
                        "id": f"chatcmpl-scripted-{len(server.requests)}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": req.body.get("model") or server.model,
                        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                        "usage": {
                            "prompt_tokens": _ntokens(req.text),
                            "completion_tokens": _ntokens(completion),
                            "total_tokens": _ntokens(req.text) + _ntokens(completion),
                        },
                    },
                )

            def _embeddings(self, req: ScriptedRequest) -> None:
                inp = req.body.get("input") if isinstance(req.body, dict) else None
                texts = [inp] if isinstance(inp, str) else inp
                if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                    self._send(400, {"error": {"message": "'input' must be a string or a list of strings", "type": "invalid_request_error"}})
                    return
                data = [{"object": "embedding", "index": i, "embedding": server.embed_fn(t)} for i, t in enumerate(texts)]
                n = sum(_ntokens(t) for t in texts)
                self._send(200, {"object": "list", "data": data, "model": req.body.get("model") or server.model,
                                 "usage": {"prompt_tokens": n, "total_tokens": n}})

        class _Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="ScriptedServer", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._httpd = None
            self._thread = None

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def provider(self, **kwargs: Any):
        """An :class:`~skillbank.llm.OpenAICompatible` client pointed at this server."""
        from skillbank.llm import OpenAICompatible

        kwargs.setdefault("model", self.model)
        kwargs.setdefault("api_key", "scripted-key")
        kwargs.setdefault("timeout", 10.0)
        kwargs.setdefault("backoff", 0.01)
        return OpenAICompatible(self.url, **kwargs)


try:  # the pytest fixture, when pytest is around
    import pytest as _pytest
except ImportError:  # pragma: no cover
    _pytest = None

if _pytest is not None:

    @_pytest.fixture
    def scripted_server() -> Iterator[ScriptedServer]:
        """A started :class:`ScriptedServer` with an empty script (stopped after the test)."""
        with ScriptedServer() as srv:
            yield srv
