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
