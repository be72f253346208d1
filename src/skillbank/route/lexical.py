"""Field-weighted BM25 (BM25F) over name, description and body, on a sparse matrix.

Each field's term frequencies are length-normalised with its own `b`, weighted, summed and
saturated once (Robertson's BM25F), so a term in the name counts more than the same term
deep in the body without the fields' scores simply being added up. The whole index is
one CSC matrix of final term weights: a query is a sum of a few columns (~1 ms for 14K
skills), and many query aspects are one sparse-dense product.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FIELDS = ("name", "description", "body")


class CSC:
    """A minimal compressed-sparse-column matrix (no scipy needed): rows per column."""

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, shape):
        self.data = data
        self.indices = indices
        self.indptr = indptr
        self.shape = shape

    @property
    def nbytes(self) -> int:
        return self.data.nbytes + self.indices.nbytes + self.indptr.nbytes

    def dot_columns(self, cols: np.ndarray, q: np.ndarray) -> np.ndarray:
        """`M[:, cols] @ q` for a dense q of shape (len(cols), s) -> (n_rows, s)."""
        n, s = self.shape[0], q.shape[1]
        out = np.zeros((n, s), dtype=np.float32)
        if len(cols) == 0 or n == 0:
            return out
        starts = self.indptr[cols]
        ends = self.indptr[cols + 1]
        lens = ends - starts
        total = int(lens.sum())
        if total == 0:
            return out
        # positions of every stored entry of the selected columns
        offs = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
        pos = np.arange(total, dtype=np.int64) + offs
        rows = self.indices[pos]
        vals = self.data[pos]
        which = np.repeat(np.arange(len(cols)), lens)
        for j in range(s):
            qj = q[:, j]
            nz = qj[which]
            mask = nz != 0
            if s > 1 and not mask.all():
                out[:, j] = np.bincount(rows[mask], weights=vals[mask] * nz[mask], minlength=n)
            else:
                out[:, j] = np.bincount(rows, weights=vals * nz, minlength=n)
        return out


@dataclass(frozen=True)
class BM25FParams:
    k1: float = 1.2
    weights: tuple[float, float, float] = (3.0, 2.0, 1.0)
    b: tuple[float, float, float] = (0.3, 0.5, 0.75)


class LexicalIndex:
    """Immutable BM25F matrix over a fixed list of documents."""

    def __init__(self, matrix: CSC, vocab: dict[str, int], idf: np.ndarray, nd: CSC | None = None):
        self.matrix = matrix
        self.vocab = vocab
        self.idf = idf
        # Binary name+description matrix: entry (doc, term) = 1 / sqrt(1 + idf mass of the
        # doc's name+description terms). A query scores sum(idf of matched terms) under that
        # normalisation: how much of the task a skill's *summary* speaks to, immune to one
        # term repeated many times in a long task or body.
        self.nd = nd

    @property
    def n_docs(self) -> int:
        return self.matrix.shape[0]

    # ------------------------------------------------------------------ build
    @classmethod
    def build(
        cls,
        docs: Sequence[Sequence[dict[str, int]]],
        params: BM25FParams = BM25FParams(),
    ) -> LexicalIndex:
        """`docs[i]` is one term-count dict per field (name, description, body)."""
        n = len(docs)
        vocab: dict[str, int] = {}
        rows: list[list[int]] = [[] for _ in FIELDS]
        cols: list[list[int]] = [[] for _ in FIELDS]
        vals: list[list[float]] = [[] for _ in FIELDS]
        lengths = np.zeros((len(FIELDS), max(n, 1)), dtype=np.float64)
        setdefault = vocab.setdefault
        for i, fields in enumerate(docs):
            for f, counts in enumerate(fields):
                if not counts:
                    continue
                r, c, v = rows[f], cols[f], vals[f]
                total = 0
                for term, tf in counts.items():
                    r.append(i)
                    c.append(setdefault(term, len(vocab)))
                    v.append(tf)
                    total += tf
                lengths[f, i] = total
        m = len(vocab)
        r_all, c_all, v_all = [], [], []
        for f in range(len(FIELDS)):
            if not rows[f]:
                continue
            avg = lengths[f, :n].mean() or 1.0
            norm = 1.0 - params.b[f] + params.b[f] * lengths[f] / avg
            r = np.asarray(rows[f], dtype=np.int64)
            r_all.append(r)
            c_all.append(np.asarray(cols[f], dtype=np.int64))
            v_all.append(np.asarray(vals[f], dtype=np.float64) * params.weights[f] / norm[r])
        if r_all:
            r = np.concatenate(r_all)
            c = np.concatenate(c_all)
            v = np.concatenate(v_all)
            key = c * max(n, 1) + r  # column-major order, duplicates (same term, doc) adjacent
            order = np.argsort(key, kind="stable")
            key, v = key[order], v[order]
            first = np.ones(len(key), dtype=bool)
            first[1:] = key[1:] != key[:-1]
            starts = np.flatnonzero(first)
            tf = np.add.reduceat(v, starts)
            key = key[starts]
            col = key // max(n, 1)
            row = (key % max(n, 1)).astype(np.int32)
        else:
            tf = np.zeros(0)
            col = np.zeros(0, dtype=np.int64)
            row = np.zeros(0, dtype=np.int32)
        indptr = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(np.bincount(col, minlength=m), out=indptr[1:])
        df = np.diff(indptr).astype(np.float64)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        data = (idf[col] * (tf * (params.k1 + 1.0) / (tf + params.k1))).astype(np.float32)
        matrix = CSC(data, row, indptr, (n, m))
        nd = cls._build_nd(rows, cols, n, m, idf)
        return cls(matrix, vocab, idf, nd)

    @staticmethod
    def _build_nd(rows, cols, n: int, m: int, idf: np.ndarray) -> CSC:
        r = np.asarray(rows[0] + rows[1], dtype=np.int64)
        c = np.asarray(cols[0] + cols[1], dtype=np.int64)
        if len(r) == 0 or n == 0:
            return CSC(np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(m + 1, np.int64), (n, m))
        key = np.unique(c * n + r)  # distinct (term, doc), column-major
        col = key // n
        row = key % n
        mass = np.bincount(row, weights=idf[col].astype(np.float64), minlength=n)
        data = (1.0 / np.sqrt(1.0 + mass[row])).astype(np.float32)
        indptr = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(np.bincount(col, minlength=m), out=indptr[1:])
        return CSC(data, row.astype(np.int32), indptr, (n, m))

    # ------------------------------------------------------------------ query
    def nd_scores(self, terms: Sequence[str]) -> np.ndarray:
        """Binary IDF match of the query against each skill's name+description."""
        ids = np.fromiter({self.vocab[t] for t in terms if t in self.vocab}, dtype=np.int64)
        if self.nd is None or len(ids) == 0 or self.n_docs == 0:
            return np.zeros(self.n_docs, dtype=np.float32)
        return self.nd.dot_columns(ids, self.idf[ids][:, None].astype(np.float32))[:, 0]

    def query_weights(self, terms: Sequence[str]) -> dict[int, float]:
        """Map query terms to column ids with a damped within-query frequency."""
        counts: dict[int, int] = {}
        for t in terms:
            j = self.vocab.get(t)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        return {j: 1.0 + math.log(c) for j, c in counts.items()}

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25F score of every document for one bag of query terms."""
        q = self.query_weights(terms)
        if not q or self.n_docs == 0:
            return np.zeros(self.n_docs, dtype=np.float32)
        ids = np.fromiter(q.keys(), dtype=np.int64)
        w = np.fromiter(q.values(), dtype=np.float32)
        return self.matrix.dot_columns(ids, w[:, None])[:, 0]

    def multi_scores(self, term_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Scores for several query aspects at once: array (n_docs, n_aspects)."""
        out = np.zeros((self.n_docs, len(term_lists)), dtype=np.float32)
        for s, terms in enumerate(term_lists):
            out[:, s] = self.scores(terms)
        return out

    def term_idf(self, term: str) -> float:
        j = self.vocab.get(term)
        return float(self.idf[j]) if j is not None else 0.0

    # ------------------------------------------------------------------ persistence
    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        np.savez(
            buf,
            data=self.matrix.data,
            indices=self.matrix.indices,
            indptr=self.matrix.indptr,
            shape=np.asarray(self.matrix.shape, dtype=np.int64),
            idf=self.idf,
            vocab=np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8),
            nd_data=self.nd.data,
            nd_indices=self.nd.indices,
            nd_indptr=self.nd.indptr,
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> LexicalIndex:
        z = np.load(io.BytesIO(blob), allow_pickle=False)
        shape = (int(z["shape"][0]), int(z["shape"][1]))
        matrix = CSC(z["data"], z["indices"], z["indptr"], shape)
        raw = z["vocab"].tobytes().decode("utf-8")
        terms = raw.split("\n") if raw else []
        nd = CSC(z["nd_data"], z["nd_indices"], z["nd_indptr"], shape)
        return cls(matrix, {t: i for i, t in enumerate(terms)}, z["idf"], nd)
