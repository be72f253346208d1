import json
import threading

import pytest

from skillbank.llm import LLMError, LLMResponseError, OpenAICompatible, Provider, default_provider, parse_json_reply
from skillbank.llm.testing import Fail, ScriptedServer, hashed_embedding, scripted_server  # noqa: F401 (fixture)

USER = [{"role": "user", "content": "hi"}]


def test_chat_over_real_http():
    with ScriptedServer(["hello", {"content": None, "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}]) as srv:
        assert srv.url.startswith("http://127.0.0.1:") and srv.url.endswith("/v1")
        with srv.provider(api_key="sk-test") as llm:
            assert isinstance(llm, Provider)
            assert llm.chat(USER, temperature=0, max_tokens=5) == "hello"
            body = llm.complete(USER)
            assert body["choices"][0]["finish_reason"] == "tool_calls"
            assert llm.usage["requests"] == 2
        req = srv.requests[0]
        assert req.path == "/v1/chat/completions"
        assert req.body["model"] == "scripted-model" and req.body["temperature"] == 0 and req.body["stream"] is False
        assert req.body["messages"] == USER and req.headers["authorization"] == "Bearer sk-test"
        assert srv.remaining == 0


def test_script_function_and_exhaustion():
    with ScriptedServer(lambda req: f"echo:{req.last_user}") as srv, srv.provider() as llm:
        assert llm.chat([{"role": "user", "content": "abc"}]) == "echo:abc"
    with ScriptedServer([]) as srv, srv.provider(max_retries=0) as llm:
        with pytest.raises(LLMError, match="script exhausted"):
            llm.chat(USER)


def test_retries_on_transient_errors_not_on_client_errors():
    with ScriptedServer([Fail(503), Fail(429, headers={"Retry-After": "0"}), "ok", Fail(400, "bad request"), Fail(500), Fail(500)]) as srv:
        with srv.provider(max_retries=2) as llm:
            assert llm.chat(USER) == "ok"
            assert len(srv.chat_requests) == 3
            with pytest.raises(LLMError, match="HTTP 400: bad request") as ei:
                llm.chat(USER)
            assert ei.value.status == 400 and len(srv.chat_requests) == 4
        with srv.provider(max_retries=1) as llm:
            with pytest.raises(LLMError, match="after 2 attempts"):
                llm.chat(USER)


def test_timeout():
    with ScriptedServer([Fail(200, "late", delay=0.6), "fast"]) as srv, srv.provider(timeout=0.2, max_retries=1) as llm:
        assert llm.chat(USER) == "fast"  # first attempt timed out, retried


def test_unreachable():
    with ScriptedServer() as srv:
        url = srv.url
    llm = OpenAICompatible(url, "m", max_retries=0, timeout=1)
    with llm, pytest.raises(LLMError, match="cannot reach"):
        llm.chat(USER)


def test_chat_json_parses_and_corrects_once():
    with ScriptedServer(['Sure!\n```json\n{"a": 1}\n```', "not json", '{"b": [1, 2]}', "nope", "still nope"]) as srv, srv.provider() as llm:
        assert llm.chat_json(USER, {"a": "int"}) == {"a": 1}
        sent = srv.chat_requests[0].body["messages"]
        assert len(sent) == 1 and "single JSON object" in sent[0]["content"] and '"a": "int"' in sent[0]["content"]
        assert llm.chat_json(USER, "an object with b") == {"b": [1, 2]}
        retry = srv.chat_requests[2].body["messages"]
        assert retry[-2] == {"role": "assistant", "content": "not json"}
        assert retry[-1]["role"] == "user" and "not a valid JSON object" in retry[-1]["content"]
        with pytest.raises(LLMResponseError) as ei:
            llm.chat_json(USER)
        assert ei.value.reply == "still nope"


def test_parse_json_reply():
    assert parse_json_reply('{"x": "a } b"}') == {"x": "a } b"}
    assert parse_json_reply('The answer: {"x": {"y": 2}} done') == {"x": {"y": 2}}
    with pytest.raises(ValueError, match="expected a JSON object"):
        parse_json_reply("[1, 2]")
    with pytest.raises(ValueError):
        parse_json_reply("{'x': 1}")


def test_embed():
    with ScriptedServer() as srv, srv.provider(embedding_model="emb") as llm:
        vecs = llm.embed(["the cat sat", "the cat sat", "quantum flux"], batch_size=2)
        assert len(vecs) == 3 and len(vecs[0]) == 64
        assert vecs[0] == vecs[1] == hashed_embedding("the cat sat")
        assert [r.body["model"] for r in srv.requests] == ["emb", "emb"]
        assert srv.requests[0].body["input"] == ["the cat sat", "the cat sat"]


def test_env_defaults(monkeypatch):
    monkeypatch.delenv("SKILLBANK_LLM_URL", raising=False)
    monkeypatch.delenv("SKILLBANK_LLM_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("SKILLBANK_LLM_MODEL", raising=False)
    assert default_provider() is None
    with pytest.raises(LLMError, match="SKILLBANK_LLM_URL"):
        OpenAICompatible()
    monkeypatch.setenv("SKILLBANK_LLM_URL", "http://localhost:11434")
    with pytest.raises(LLMError, match="SKILLBANK_LLM_MODEL"):
        OpenAICompatible()
    monkeypatch.setenv("SKILLBANK_LLM_MODEL", "qwen3")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    with OpenAICompatible() as llm:
        assert llm.base_url == "http://localhost:11434/v1" and llm.model == "qwen3"
        assert llm._client.headers["authorization"] == "Bearer sk-x"
    monkeypatch.delenv("SKILLBANK_LLM_URL")
    with OpenAICompatible() as llm:
        assert llm.base_url == "https://api.openai.com/v1"
    with OpenAICompatible("http://h:1/v1/chat/completions/", "m") as llm:
        assert llm.base_url == "http://h:1/v1"
    with pytest.raises(LLMError, match="must be http"):
        OpenAICompatible("localhost:8000", "m")


def test_concurrent_clients():
    with ScriptedServer(lambda r: r.last_user.upper()) as srv, srv.provider() as llm:
        out = {}

        def work(i):
            out[i] = llm.chat([{"role": "user", "content": f"m{i}"}])

        ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        assert out == {i: f"M{i}" for i in range(8)}


def test_fixture(scripted_server):
    scripted_server.add("from fixture")
    with scripted_server.provider() as llm:
        assert llm.chat(USER) == "from fixture"
    assert json.loads(json.dumps(scripted_server.requests[0].body))["messages"] == USER
