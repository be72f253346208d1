"""The default chunk encoder: our unpadded pooling must give wordllama's own vectors."""

from __future__ import annotations

import numpy as np

from skillbank.route.embedders import WordLlamaEmbedder, _normalise

TEXTS = [
    "Convert a PDF invoice into CSV rows",
    "",
    "   ",
    "a much longer text " * 60,
    "ünïcödé — emoji 🚀 and CJK 漢字 mixed in",
    "x",
]


def test_wordllama_pooling_matches_the_library():
    emb = WordLlamaEmbedder()
    ours = emb.embed(TEXTS)
    # wordllama's own embed (padded batches, masked mean); blanks as we pass them
    ref = _normalise(emb._model.embed([t if t.strip() else " " for t in TEXTS], norm=False, batch_size=4))
    assert ours.shape == (len(TEXTS), emb.dim) and ours.dtype == np.float32
    assert np.allclose(ours, ref, atol=1e-5)
    norms = np.linalg.norm(ours, axis=1)
    assert np.all((np.abs(norms - 1) < 1e-5) | (norms == 0))


def test_wordllama_batch_independence():
    emb = WordLlamaEmbedder()
    together = emb.embed(TEXTS)
    alone = np.vstack([emb.embed([t]) for t in TEXTS])
    assert np.allclose(together, alone, atol=1e-6)
    assert emb.embed([]).shape == (0, emb.dim)


# --- all-MiniLM-L6-v2 in numpy (the semantic encoder without torch) ---

MINILM_TEXTS = TEXTS + [
    "grab a still image every second from this clip",
    "pdf merge: Merge, split and reorder pages of PDF files. " * 12,  # longer than 64 tokens
]


def test_numpy_minilm_matches_sentence_transformers():
    from skillbank.route.embedders import NumpyMiniLMEmbedder, SentenceTransformerEmbedder

    for length in (64, 256):
        ours = NumpyMiniLMEmbedder(max_seq_length=length, batch_size=3)
        ref = SentenceTransformerEmbedder("minilm", max_seq_length=length)
        assert (ours.name, ours.version, ours.dim) == (ref.name, ref.version, ref.dim)
        a, b = ours.embed(MINILM_TEXTS), ref.embed(MINILM_TEXTS)
        assert a.shape == (len(MINILM_TEXTS), 384) and a.dtype == np.float32
        assert np.abs(a - b).max() < 1e-5
    # truncation happens: the long text and its double read the same first 64 tokens
    short = NumpyMiniLMEmbedder(max_seq_length=64)
    long_text = MINILM_TEXTS[-1]
    assert np.allclose(short.embed([long_text]), short.embed([long_text * 2]), atol=1e-6)


def test_numpy_minilm_batching_and_padding_do_not_change_vectors():
    from skillbank.route.embedders import NumpyMiniLMEmbedder

    emb = NumpyMiniLMEmbedder(max_seq_length=64, batch_size=4)
    together = emb.embed(MINILM_TEXTS)
    alone = np.vstack([emb.embed([t]) for t in MINILM_TEXTS])
    assert np.allclose(together, alone, atol=1e-5)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert emb.embed([]).shape == (0, 384)
    # paraphrases land closer than unrelated text (the model, not just the plumbing, is right)
    a, b, c = emb.embed(["merge two PDF files", "combine several PDF documents into one", "bake sourdough bread"])
    assert a @ b > a @ c + 0.3


def test_numpy_minilm_rejects_a_model_folder_it_cannot_read(tmp_path):
    import pytest

    from skillbank.errors import SkillbankError
    from skillbank.route.minilm_np import NumpyBertEncoder

    with pytest.raises(SkillbankError, match="cannot load the sentence encoder"):
        NumpyBertEncoder(tmp_path)
    (tmp_path / "config.json").write_text('{"model_type": "roberta"}')
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text("{}")
    with pytest.raises(SkillbankError, match="cannot load|only BERT"):
        NumpyBertEncoder(tmp_path)


def test_a_short_find_does_not_import_torch(tmp_path):
    """The CLI's semantic list runs in numpy: a one-off `find` never pays for torch."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    examples = Path(__file__).resolve().parents[2] / "examples" / "skills"
    db = tmp_path / "lib.db"
    code = (
        "import sys\n"
        "from skillbank.cli import main\n"
        f"args = ['--library', {str(db)!r}]\n"
        "try:\n"
        f"    main(args + ['add', {str(examples)!r}], standalone_mode=False)\n"
        "    main(args + ['find', 'stitch two documents together', '--json'], standalone_mode=False)\n"
        "finally:\n"
        "    print('TORCH' if 'torch' in sys.modules else 'NO-TORCH', file=sys.stderr)\n"
    )
    env = {**os.environ, "SKILLBANK_SUMMARY_EMBEDDER": "auto"}  # the suite turns it off elsewhere
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, env=env)
    assert res.returncode == 0, res.stderr
    assert '"pdf-merge-split"' in res.stdout and '"semantic"' in res.stdout  # the list ran
    assert res.stderr.strip().endswith("NO-TORCH")


def test_numpy_minilm_hands_large_batches_to_torch_with_the_same_vectors(monkeypatch):
    """An index build (a large batch) goes to sentence-transformers when installed; the
    vectors are the same as numpy's, so a library may be built one way and queried the other."""
    from skillbank.route.embedders import NumpyMiniLMEmbedder

    texts = [f"{t} (variant {i})" for i in range(10) for t in MINILM_TEXTS][: NumpyMiniLMEmbedder.BATCH_FOR_TORCH + 6]
    emb = NumpyMiniLMEmbedder(max_seq_length=64)
    monkeypatch.setenv("SKILLBANK_MINILM", "numpy")
    in_numpy = emb.embed(texts)
    assert emb._torch is None
    monkeypatch.delenv("SKILLBANK_MINILM")
    in_torch = emb.embed(texts)
    assert emb._torch is not None  # the large batch went to sentence-transformers
    assert np.abs(in_numpy - in_torch).max() < 1e-5


def test_a_broken_torch_falls_back_to_numpy_once(monkeypatch, caplog):
    from skillbank.route import embedders
    from skillbank.route.embedders import NumpyMiniLMEmbedder

    built = []

    def broken(*args, **kwargs):
        built.append(1)
        raise ImportError("torch is broken here")

    monkeypatch.setattr(embedders, "SentenceTransformerEmbedder", broken)
    emb = NumpyMiniLMEmbedder(max_seq_length=64)
    texts = [f"text number {i}" for i in range(NumpyMiniLMEmbedder.BATCH_FOR_TORCH)]
    first = emb.embed(texts)
    again = emb.embed(texts)
    assert first.shape == (len(texts), 384) and np.allclose(first, again)
    assert built == [1]  # tried once, then numpy for good
    assert "encoding in numpy" in caplog.text


def test_the_torch_twin_is_built_once_under_concurrent_batches(monkeypatch):
    import threading
    import time

    from skillbank.route import embedders
    from skillbank.route.embedders import NumpyMiniLMEmbedder

    built = []

    class Slow:
        def __init__(self, *args, **kwargs):
            built.append(1)
            time.sleep(0.2)  # a slow load widens the race

        def embed(self, texts):
            return np.ones((len(texts), 384), np.float32) / np.sqrt(384)

    monkeypatch.setattr(embedders, "SentenceTransformerEmbedder", Slow)
    emb = NumpyMiniLMEmbedder(max_seq_length=64)
    monkeypatch.setattr(NumpyMiniLMEmbedder, "_torch_available", staticmethod(lambda: True))
    texts = ["x"] * NumpyMiniLMEmbedder.BATCH_FOR_TORCH
    threads = [threading.Thread(target=emb.embed, args=(texts,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert built == [1]


def test_an_unknown_minilm_mode_is_an_error(monkeypatch):
    import pytest

    from skillbank.errors import SkillbankError
    from skillbank.route.embedders import NumpyMiniLMEmbedder

    monkeypatch.setenv("SKILLBANK_MINILM", "NUMPY")
    with pytest.raises(SkillbankError, match="SKILLBANK_MINILM='NUMPY'"):
        NumpyMiniLMEmbedder(max_seq_length=64).embed(["x"] * NumpyMiniLMEmbedder.BATCH_FOR_TORCH)
