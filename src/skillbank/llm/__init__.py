"""The one LLM provider interface: an OpenAI-compatible Chat Completions client.

Works with anything that speaks the OpenAI HTTP API: OpenAI, vLLM, Ollama, llama.cpp server,
LM Studio, OpenRouter::

    from skillbank.llm import OpenAICompatible
    llm = OpenAICompatible("http://localhost:11434/v1", "qwen3:8b")
    text = llm.chat([{"role": "user", "content": "Say hi"}], temperature=0)
    obj = llm.chat_json([{"role": "user", "content": "Give a lesson"}], {"lesson": "str"})
    vecs = llm.embed(["a", "b"])

Defaults come from the environment: ``SKILLBANK_LLM_URL``, ``SKILLBANK_LLM_MODEL``,
``SKILLBANK_LLM_API_KEY`` (or ``OPENAI_API_KEY``), ``SKILLBANK_LLM_EMBED_MODEL``.
Tests use :class:`skillbank.llm.testing.ScriptedServer`, a real HTTP server on loopback that
answers the same API from a script.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

import httpx

from skillbank.errors import SkillbankError

__all__ = [
    "ChatMessage",
    "LLMError",
    "LLMResponseError",
    "OpenAICompatible",
    "Provider",
    "default_provider",
    "parse_json_reply",
]

ChatMessage = Mapping[str, Any]

ENV_URL = "SKILLBANK_LLM_URL"
ENV_MODEL = "SKILLBANK_LLM_MODEL"
ENV_KEY = "SKILLBANK_LLM_API_KEY"
ENV_EMBED_MODEL = "SKILLBANK_LLM_EMBED_MODEL"
OPENAI_URL = "https://api.openai.com/v1"

_RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


class LLMError(SkillbankError):
    """The LLM endpoint could not be reached or answered with an error."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class LLMResponseError(LLMError):
    """The LLM answered, but not with what was asked (e.g. no valid JSON after a correction)."""

    def __init__(self, message: str, *, reply: str = "") -> None:
        super().__init__(message)
        self.reply = reply


@runtime_checkable
class Provider(Protocol):
    """What the parts need from an LLM. :class:`OpenAICompatible` is the implementation."""

    model: str

    def chat(self, messages: Sequence[ChatMessage], **params: Any) -> str: ...

    def chat_json(self, messages: Sequence[ChatMessage], schema_hint: Any = None, **params: Any) -> dict[str, Any]: ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


def _normalise_base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    for suffix in ("/chat/completions", "/embeddings"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LLMError(f"LLM base URL must be http(s)://host[:port][/path], got {url!r}")
    if parts.path in ("", "/"):
        url += "/v1"  # http://localhost:8000 -> http://localhost:8000/v1 (vLLM, llama.cpp, Ollama)
    return url


def _as_message(m: Any) -> dict[str, Any]:
    if isinstance(m, Mapping):
        return dict(m)
    dump = getattr(m, "model_dump", None)  # skillbank.learn.runs.Message and other pydantic models
    if callable(dump):
        return {k: v for k, v in dump(mode="json").items() if v is not None}
    raise TypeError(f"a chat message must be a mapping, got {type(m).__name__}")


_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)


def parse_json_reply(text: str) -> dict[str, Any]:
    """Extract one JSON object from an LLM reply (bare, fenced, or surrounded by prose).

    Raises ``ValueError`` with the reason when there is none.
    """
    candidates: list[str] = []
    stripped = text.strip()
    candidates.append(stripped)
    candidates.extend(m.group(1).strip() for m in _FENCE.finditer(text))
    # the first balanced {...} in the text
    start = text.find("{")
    while start != -1:
        depth, in_str, esc = 0, False, False
        for i in range(start, len(text)):
            ch = text[i]
            if in_str:
                if esc:
                    esc = False
                elif ch == "\\":
                    esc = True
                elif ch == '"':
                    in_str = False
            elif ch == '"':
                in_str = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    candidates.append(text[start : i + 1])
                    break
        start = text.find("{", start + 1) if len(candidates) < 8 else -1
    last_error = "no JSON object found"
    for c in candidates:
        if not c:
            continue
        try:
            obj = json.loads(c)
        except json.JSONDecodeError as exc:
            last_error = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
            continue
        if isinstance(obj, dict):
            return obj
        last_error = f"expected a JSON object, got {type(obj).__name__}"
    raise ValueError(last_error)


def _schema_text(schema_hint: Any) -> str:
    if schema_hint is None:
        return ""
    if isinstance(schema_hint, str):
        return schema_hint
    return json.dumps(schema_hint, indent=1, ensure_ascii=False)


class OpenAICompatible:
    """A client of an OpenAI-compatible ``/v1/chat/completions`` and ``/v1/embeddings`` API.

    Thread-safe (one pooled ``httpx.Client``); use from a thread pool freely. Transient
    failures (connection errors, timeouts, 408/409/425/429/5xx) are retried ``max_retries``
    times with exponential backoff (``Retry-After`` is honoured, capped at ``max_backoff``).
    """

    def __init__(
        self,
        base_url: str | None = None,
        model: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 120.0,
        max_retries: int = 2,
        embedding_model: str | None = None,
        headers: Mapping[str, str] | None = None,
        default_params: Mapping[str, Any] | None = None,
        backoff: float = 0.5,
        max_backoff: float = 20.0,
    ) -> None:
        api_key = api_key or os.environ.get(ENV_KEY) or os.environ.get("OPENAI_API_KEY") or None
        base_url = base_url or os.environ.get(ENV_URL) or (OPENAI_URL if api_key else None)
        if not base_url:
            raise LLMError(
                f"no LLM endpoint configured: pass base_url or set {ENV_URL} "
                "(e.g. http://localhost:11434/v1 for Ollama, http://localhost:8000/v1 for vLLM)"
            )
        model = model or os.environ.get(ENV_MODEL)
        if not model:
            raise LLMError(f"no LLM model configured: pass model or set {ENV_MODEL}")
        self.base_url = _normalise_base_url(base_url)
        self.model = model
        self.embedding_model = embedding_model or os.environ.get(ENV_EMBED_MODEL) or model
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.default_params = dict(default_params or {})
        self.backoff = backoff
        self.max_backoff = max_backoff
        hdrs = {"Content-Type": "application/json", "User-Agent": "skillbank"}
        if api_key:
            hdrs["Authorization"] = f"Bearer {api_key}"
        hdrs.update(headers or {})
        self._client = httpx.Client(timeout=timeout, headers=hdrs)
        self._lock = threading.Lock()
        self.usage = {"requests": 0, "prompt_tokens": 0, "completion_tokens": 0}

    # -- plumbing ------------------------------------------------------------------------------
    def __repr__(self) -> str:
        return f"OpenAICompatible(base_url={self.base_url!r}, model={self.model!r})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OpenAICompatible:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sleep_before_retry(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * (2**attempt) * (0.75 + random.random() / 2)
        if retry_after:
            try:
                delay = max(delay, float(retry_after))
            except ValueError:
                pass
        time.sleep(min(delay, self.max_backoff))

    def post(self, path: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        """POST ``payload`` to ``base_url + path`` with retries; return the decoded JSON body."""
        url = self.base_url + path
        last: str = ""
        for attempt in range(self.max_retries + 1):
            try:
                resp = self._client.post(url, json=payload)
            except httpx.TimeoutException as exc:
                last = f"timed out after {self.timeout}s ({type(exc).__name__})"
            except httpx.TransportError as exc:
                last = f"cannot reach {url}: {exc}"
            else:
                if resp.status_code < 400:
                    try:
                        body = resp.json()
                    except ValueError:
                        raise LLMError(f"{url} answered {resp.status_code} with a non-JSON body: {resp.text[:200]!r}") from None
                    if not isinstance(body, dict):
                        raise LLMError(f"{url} answered with JSON that is not an object")
                    return body
                detail = resp.text[:500]
                try:
                    err = resp.json().get("error")
                    if isinstance(err, dict) and err.get("message"):
                        detail = str(err["message"])
                    elif isinstance(err, str):
                        detail = err
                except (ValueError, AttributeError):
                    pass
                last = f"{url} answered HTTP {resp.status_code}: {detail}"
                if resp.status_code not in _RETRY_STATUS:
                    raise LLMError(last, status=resp.status_code)
                if attempt < self.max_retries:
                    self._sleep_before_retry(attempt, resp.headers.get("retry-after"))
                    continue
                raise LLMError(f"{last} (after {attempt + 1} attempts)", status=resp.status_code)
            if attempt < self.max_retries:
                self._sleep_before_retry(attempt, None)
        raise LLMError(f"{last} (after {self.max_retries + 1} attempts)")

    # -- the API -------------------------------------------------------------------------------
    def complete(self, messages: Iterable[ChatMessage], **params: Any) -> dict[str, Any]:
        """One Chat Completions call; returns the whole response object."""
        payload: dict[str, Any] = {"model": self.model, "messages": [_as_message(m) for m in messages]}
        payload.update(self.default_params)
        payload.update({k: v for k, v in params.items() if v is not None})
        payload["stream"] = False
        body = self.post("/chat/completions", payload)
        usage = body.get("usage") or {}
        with self._lock:
            self.usage["requests"] += 1
            self.usage["prompt_tokens"] += int(usage.get("prompt_tokens") or 0)
            self.usage["completion_tokens"] += int(usage.get("completion_tokens") or 0)
        return body

    def chat(self, messages: Iterable[ChatMessage], **params: Any) -> str:
        """Send ``messages``; return the text of the first choice (``""`` if it has none)."""
        body = self.complete(messages, **params)
        choices = body.get("choices")
        if not choices or not isinstance(choices, list):
            raise LLMError(f"the response has no choices: {json.dumps(body)[:300]}")
        msg = choices[0].get("message") or {}
        content = msg.get("content")
        if isinstance(content, list):  # some servers return content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        return content or ""

    def chat_json(self, messages: Iterable[ChatMessage], schema_hint: Any = None, **params: Any) -> dict[str, Any]:
        """Ask for a JSON object and parse it from the reply.

        ``schema_hint`` (a string, or any JSON-able example/schema) is appended as an
        instruction. If the reply holds no valid JSON object, the model is told what was wrong
        and asked once more; if that fails too, :class:`LLMResponseError` is raised.
        """
        msgs = [_as_message(m) for m in messages]
        instruction = "Reply with a single JSON object only, no prose and no code fences."
        hint = _schema_text(schema_hint)
        if hint:
            instruction += f"\nThe object must have this shape:\n{hint}"
        # Merged into the last user message: some chat templates reject a system message that is
        # not first, or two user messages in a row.
        if msgs and msgs[-1].get("role") == "user" and isinstance(msgs[-1].get("content"), str):
            msgs[-1] = {**msgs[-1], "content": f"{msgs[-1]['content']}\n\n{instruction}"}
        else:
            msgs.append({"role": "user", "content": instruction})
        reply = self.chat(msgs, **params)
        try:
            return parse_json_reply(reply)
        except ValueError as exc:
            first_error = str(exc)
        msgs.append({"role": "assistant", "content": reply})
        msgs.append(
            {
                "role": "user",
                "content": f"Your reply was not a valid JSON object ({first_error}). "
                "Reply again with only the corrected JSON object.",
            }
        )
        reply2 = self.chat(msgs, **params)
        try:
            return parse_json_reply(reply2)
        except ValueError as exc:
            raise LLMResponseError(
                f"{self.model} did not reply with a JSON object after a correction ({exc})", reply=reply2
            ) from None

    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> list[list[float]]:
        """Embed ``texts`` with ``/v1/embeddings`` (batched); one vector per text, in order."""
        out: list[list[float]] = []
        texts = list(texts)
        for i in range(0, len(texts), batch_size):
            batch = texts[i : i + batch_size]
            body = self.post("/embeddings", {"model": self.embedding_model, "input": batch})
            data = body.get("data")
            if not isinstance(data, list) or len(data) != len(batch):
                raise LLMError(f"/embeddings returned {len(data) if isinstance(data, list) else 'no'} vectors for {len(batch)} texts")
            data = sorted(data, key=lambda d: d.get("index", 0))
            out.extend([float(x) for x in d["embedding"]] for d in data)
        return out


def default_provider(**kwargs: Any) -> OpenAICompatible | None:
    """The provider configured by the environment, or ``None`` when none is configured."""
    try:
        return OpenAICompatible(**kwargs)
    except LLMError:
        return None
