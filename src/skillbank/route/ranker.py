"""The ranking pipeline over an in-memory snapshot of the index.

Stage 1 (whole corpus, vectorised):
  * lexical: BM25F of the whole task, and of each aspect of the task (`split_query`);
  * summary: binary IDF match of the task's terms on name+description (length-normalised);
  * dense: cosine of the task (and each aspect) to every chunk of every skill; a skill
    scores by its best chunk (max-sim), so long bodies count in full;
  * semantic: cosine of the task to each skill's name, description and opening prose
    under a sentence encoder trained on paraphrases (MiniLM, when installed) — what finds a skill for a
    short task written in other words than the skill's;
  * fusion: weighted reciprocal-rank fusion of these lists. A short task carries little
    lexical evidence, so the semantic list weighs more for a single-aspect task than for
    a long, multi-aspect one; for a single-aspect task each list's weight also follows its
    clarity for that task (how far its best score stands above the rest, `clarity`).
Stage 2 (top candidates only), signals stage 1 cannot use:
  * name coverage: how much of the skill's name (IDF-weighted) the task mentions — exact
    tool, library and file-type mentions land here (`pymatgen`, `stl`, `pdf` ...);
  * description coverage: the same for the description's rare terms;
  * phrase match (long tasks): word pairs of the description that the task also has;
  * passage (short tasks): the best-chunk cosine by value, scaled over the candidates;
  * near-duplicate demotion: a skill whose name and summary are the same as a better
    ranked one is moved below the distinct candidates, freeing slots for other needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from skillbank.route.lexical import LexicalIndex
from skillbank.route.text import split_query, tokenize


@dataclass
class RankParams:
    """Global weights. Tuned on half of the shared benchmark's queries and checked on the
    other half (see docs/route.md); none of them names a skill, a term or a query."""

    rrf_k: float = 20.0
    w_lex: float = 1.0  # BM25F, whole task
    w_summary: float = 0.5  # binary IDF match on name+description
    w_dense: float = 0.3  # best-chunk cosine, whole task
    w_lex_seg: float = 0.5  # BM25F, best aspect of the task
    w_dense_seg: float = 0.3  # best-chunk cosine, best aspect
    w_summary_seg: float = 0.0  # summary match, best aspect
    w_semantic: float = 1.5  # sentence-encoder cosine on the summary text, single-aspect task
    w_semantic_multi: float = 0.0  # the same for a long, multi-aspect task (its opening only)
    semantic_chars_multi: int = 400  # how much of a long task the semantic encoder reads
    candidates: int = 100
    dense_pool: int = 300  # long tasks: head of each lexical list re-scored densely
    w_fused: float = 1.0
    w_name: float = 0.2  # IDF-weighted share of the skill name a long, multi-aspect task mentions
    w_name_single: float = 0.0  # the same for a single-aspect task (see below)
    w_desc: float = 0.0  # same for the description (reported in explain, not weighted)
    # Best-chunk cosine of the task, min-max scaled over the candidates, as a score (not
    # a rank): single-aspect / long multi-aspect task.
    w_passage: float = 0.4
    w_passage_multi: float = 0.0
    w_phrase: float = 0.1  # long task: description word pairs it also has (see _phrase_match)
    phrase_norm: float = 20.0  # summed IDF of matched pairs that counts as a full match
    dedup: bool = True
    segments: bool = True
    # Single-aspect task: each list's weight is scaled by its clarity (how far its best
    # score stands above its 10th, relative to its 1,000th) to this power; 0 = off.
    clarity: float = 1.0
    clarity_multi: float = 0.0  # the same for a long, multi-aspect task
    clarity_head: int = 10
    clarity_depth: int = 1000
    diversify: float = 0.0  # xQuAD weight over the task's aspects (0 = off)
    diversify_depth: int = 30
    # A task of several sentences shorter than this (about 30 words) is a short request,
    # not a long specification: it is ranked as a single-aspect task (semantic list,
    # clarity, passage) with the best-aspect BM25F list added, so each of its sentences can
    # still pull in its own skill (see docs/route.md, "Two-sentence requests").
    long_task_chars: int = 200


class LazyColumn:
    """A read-only list whose items are computed from a source list on first access.

    The rerank reads the terms and duplicate key of ~100 candidates per task; computing
    them for every skill when the index loads cost ~0.5 s at 14K skills. Computing an
    item twice (two threads at once) is harmless: the function is pure."""

    __slots__ = ("_source", "_fn", "_cache")

    def __init__(self, source, fn):
        self._source = source
        self._fn = fn
        self._cache: list = [None] * len(source)

    def __len__(self) -> int:
        return len(self._source)

    def __getitem__(self, i: int):
        value = self._cache[i]
        if value is None:
            value = self._cache[i] = self._fn(self._source[i])
        return value

    def __iter__(self):
        return (self[i] for i in range(len(self)))


@dataclass
class RankState:
    """Everything search needs, rebuilt from the database when the index changes."""

    doc_ids: list[str]
    names: list[str]
    descriptions: list[str]
    name_terms: list[tuple[str, ...]] | LazyColumn
    desc_terms: list[tuple[str, ...]] | LazyColumn
    lexical: LexicalIndex
    vectors: np.ndarray  # (n_chunks, dim) float32, chunks of doc i are contiguous
    chunk_starts: np.ndarray  # (n_docs,) first chunk row of each doc; chunk 0 = name+desc
    dup_keys: list[str] | LazyColumn = field(default_factory=list)
    summary_vectors: np.ndarray | None = None  # (n_docs, dim) summary text, semantic encoder
    _weights: dict[tuple[str, int], tuple] = field(default_factory=dict, repr=False)

    def weighted(self, which: str, i: int) -> tuple[tuple[tuple[str, float], ...], float]:
        """(term, idf) pairs and IDF mass of a doc's name or description (memoised)."""
        key = (which, i)
        got = self._weights.get(key)
        if got is None:
            terms = self.name_terms[i] if which == "name" else self.desc_terms[i]
            got = self._weights[key] = _weighted_terms(terms, self.lexical)
        return got

    @property
    def n_docs(self) -> int:
        return len(self.doc_ids)

    def nbytes(self) -> int:
        extra = self.summary_vectors.nbytes if self.summary_vectors is not None else 0
        return int(self.vectors.nbytes + self.chunk_starts.nbytes + self.lexical.matrix.nbytes + extra)


@dataclass
class Ranked:
    index: int
    score: float
    signals: dict[str, float]


RANK_DEPTH = 1000  # ranks below this depth all count as RANK_DEPTH in the fusion


def _ranks(scores: np.ndarray, depth: int = RANK_DEPTH) -> np.ndarray:
    """0-based rank of every element (best = 0); beyond `depth` all share rank `depth`.

    Only the head of each list matters for reciprocal-rank fusion (1/(k+1000) is noise),
    and a partial sort is several times cheaper than a full one on large corpora.
    """
    n = len(scores)
    ranks = np.full(n, float(min(depth, n)), dtype=np.float32)
    if n == 0:
        return ranks
    if n > depth:
        head = np.argpartition(-scores, depth - 1)[:depth]
        head = head[np.argsort(-scores[head], kind="stable")]
    else:
        head = np.argsort(-scores, kind="stable")
    ranks[head] = np.arange(len(head), dtype=np.float32)
    return ranks


def rrf(rank_lists: list[np.ndarray], weights: list[float], k: float = 60.0) -> np.ndarray:
    """Weighted reciprocal-rank fusion of 0-based rank arrays: sum w / (k + rank + 1)."""
    out = np.zeros(len(rank_lists[0]) if rank_lists else 0, dtype=np.float32)
    for r, w in zip(rank_lists, weights, strict=True):
        if w:
            out += w / (k + r + 1.0)
    return out


def clarity(scores: np.ndarray, head: int = 10, depth: int = 1000) -> float:
    """How clearly a list's best candidates stand out: (s_1 - s_head) / (s_1 - s_depth),
    in [0, 1] and free of the list's score scale. A list whose top score towers over its
    head has found what the task names (its first hit is right far more often, measured
    on both short-task sets for every list); a flat head means it is guessing."""
    n = len(scores)
    if n < 2:
        return 1.0
    depth = min(depth, n)
    head = min(head, depth)
    part = np.partition(scores, [n - depth, n - head])
    s1 = float(scores.max())
    span = s1 - float(part[n - depth])
    return (s1 - float(part[n - head])) / span if span > 0 else 0.0


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    idx = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    return idx[np.argsort(-scores[idx], kind="stable")]


def _weighted_terms(terms: tuple[str, ...], lex: LexicalIndex) -> tuple[tuple[tuple[str, float], ...], float]:
    pairs = tuple((t, lex.term_idf(t)) for t in dict.fromkeys(terms))
    return pairs, sum(w for _, w in pairs)


def _coverage(field: tuple[tuple[tuple[str, float], ...], float], qset: set[str]) -> float:
    """IDF-weighted fraction of a field's distinct terms that the query mentions."""
    pairs, total = field
    if not total:
        return 0.0
    return sum(w for t, w in pairs if t in qset) / total


def _phrase_match(state: RankState, i: int, qpairs: set[tuple[str, str]]) -> float:
    """Summed IDF of the word pairs (adjacent terms, stopwords skipped) that a doc's
    description shares with the task. A pair is stronger evidence than its two words
    apart: "rise time", "steady state error", "sensor data" name the precise need a
    narrow skill serves, while a broad skill shares the words scattered over its text."""
    dt = state.desc_terms[i]
    hit = {pr for pr in zip(dt, dt[1:]) if pr in qpairs and pr[0] != pr[1]}
    idf = state.lexical.term_idf
    return sum(idf(a) + idf(b) for a, b in hit)


def dense_doc_scores(state: RankState, qvecs: np.ndarray) -> np.ndarray:
    """(n_docs, n_queries) best-chunk cosine of each doc for each query vector."""
    if state.n_docs == 0:
        return np.zeros((0, qvecs.shape[0]), dtype=np.float32)
    out = np.empty((state.n_docs, qvecs.shape[0]), dtype=np.float32)
    for j in range(qvecs.shape[0]):  # one matrix-vector product each: contiguous, fast
        out[:, j] = np.maximum.reduceat(state.vectors @ qvecs[j], state.chunk_starts)
    return out


def dense_subset_scores(state: RankState, docs: np.ndarray, qvecs: np.ndarray) -> np.ndarray:
    """Best-chunk cosine for a subset of docs only: (len(docs), n_queries)."""
    if len(docs) == 0:
        return np.zeros((0, qvecs.shape[0]), dtype=np.float32)
    ends = np.append(state.chunk_starts[1:], len(state.vectors))
    starts = state.chunk_starts[docs]
    lens = ends[docs] - starts
    offsets = np.concatenate(([0], np.cumsum(lens)[:-1]))
    rows = np.repeat(starts - offsets, lens) + np.arange(int(lens.sum()))
    if len(rows) > len(state.vectors) // 2:  # most of the corpus: one product is cheaper
        full = np.maximum.reduceat(state.vectors @ qvecs.T, state.chunk_starts, axis=0)
        return full[docs]
    sims = state.vectors[rows] @ qvecs.T
    return np.maximum.reduceat(sims, offsets, axis=0)


def rank(
    state: RankState,
    query: str,
    embedder,
    k: int = 10,
    mode: str = "router",
    params: RankParams | None = None,
    summary_embedder=None,
) -> list[Ranked]:
    """Rank the snapshot's documents for `query`; mode is router, bm25 or dense.

    `summary_embedder` (with `state.summary_vectors`) adds the semantic list."""
    p = params or RankParams()
    n = state.n_docs
    if n == 0 or not query.strip():
        return []
    terms = tokenize(query)
    if mode == "bm25":
        lex = state.lexical.scores(terms)
        return [Ranked(int(i), float(lex[i]), {"bm25": float(lex[i])}) for i in _top(lex, k)]
    if mode == "dense":
        dense = dense_doc_scores(state, embedder.embed([query]))[:, 0]
        return [Ranked(int(i), float(dense[i]), {"dense": float(dense[i])}) for i in _top(dense, k)]
    segs = split_query(query) if p.segments else [query]
    multi = len(segs) > 1
    long_task = multi and len(query) >= p.long_task_chars
    qvecs = embedder.embed([query, *segs] if long_task else [query])

    lex = state.lexical.scores(terms)
    summary = state.lexical.nd_scores(terms)
    top_lex = float(lex.max()) or 1.0
    summary = summary + 1e-4 * lex / top_lex  # equal summaries (copies) ordered by full text
    lists = [_ranks(lex), _ranks(summary)]
    weights = [p.w_lex, p.w_summary]
    raw = [lex, summary]  # the scores behind each list (for the clarity weighting)
    lex_seg = dense_seg = None
    if multi:
        seg_terms = [tokenize(s) for s in segs]
        seg_scores = state.lexical.multi_scores(seg_terms)
        mx = seg_scores.max(axis=0)
        mx[mx == 0] = 1.0
        lex_seg = (seg_scores / mx).max(axis=1)
        lists.append(_ranks(lex_seg))
        weights.append(p.w_lex_seg)
        raw.append(lex_seg)
        if p.w_summary_seg:
            sm = np.stack([state.lexical.nd_scores(t) for t in seg_terms], axis=1)
            smx = sm.max(axis=0)
            smx[smx == 0] = 1.0
            raw.append((sm / smx).max(axis=1) + 1e-4 * lex / top_lex)
            lists.append(_ranks(raw[-1]))
            weights.append(p.w_summary_seg)
    if long_task:
        # A long, multi-aspect task carries plenty of lexical evidence: its dense scores
        # (whole task and every aspect) re-score the pool the lexical lists found instead
        # of scanning every chunk of the corpus once per aspect.
        pool = np.unique(np.concatenate([np.flatnonzero(r < p.dense_pool) for r in lists]))
        ds = dense_subset_scores(state, pool, qvecs)
        dense = np.full(n, -1.0, dtype=np.float32)
        dense[pool] = ds[:, 0]
        dense_seg = np.full(n, -2.0, dtype=np.float32)
        asp = ds[:, 1:]
        dense_seg[pool] = (asp - asp.max(axis=0)).max(axis=1)
        lists += [_ranks(dense), _ranks(dense_seg)]
        weights += [p.w_dense, p.w_dense_seg]
        raw += [dense, dense_seg]
    else:
        # A short task: the dense scan over every chunk is what finds paraphrases.
        dense = dense_doc_scores(state, qvecs[:1])[:, 0]
        lists.append(_ranks(dense))
        weights.append(p.w_dense)
        raw.append(dense)
    semantic = None
    w_sem = p.w_semantic_multi if long_task else p.w_semantic
    if summary_embedder is not None and state.summary_vectors is not None and w_sem:
        qtext = query[: p.semantic_chars_multi] if long_task else query
        semantic = state.summary_vectors @ summary_embedder.embed([qtext])[0]
        lists.append(_ranks(semantic))
        weights.append(w_sem)
        raw.append(semantic)
    gamma = p.clarity_multi if long_task else p.clarity
    if gamma:
        # Query-adaptive fusion: a list's weight follows how clearly it separates its
        # best candidates from the rest for this task (scale-free, so the lists compare).
        weights = [
            w * clarity(r, p.clarity_head, p.clarity_depth) ** gamma
            for w, r in zip(weights, raw, strict=True)
        ]
    fused = rrf(lists, weights, p.rrf_k)
    cand = _top(fused, max(p.candidates, k))
    hi = float(fused[cand[0]])
    lo = float(fused[cand[-1]]) if len(cand) > 1 else 0.0
    span = (hi - lo) or 1.0
    qset = set(terms)
    qpairs = set(zip(terms, terms[1:]))
    # A short task has one or two word pairs at most: measured no change on either blind
    # short-task set, so the phrase signal is for long tasks only.
    w_phrase = p.w_phrase if long_task else 0.0
    # Name coverage finds the tool a long task names among many aspects; a short task's
    # words are few and incidental ("class recording" ~ "music-instructor"), its name
    # matches are already in the BM25F name field and the semantic list, and the extra
    # boost only lifted skills that share one word of their name with it (measured on
    # both blind short-task sets: top-1 +2 points each without it, recall@10 unchanged).
    w_name = p.w_name if long_task else p.w_name_single
    # Passage evidence: how close the skill's best chunk comes to the task, by value. The
    # fusion only saw its rank; among candidates the lists already agree on, a skill with
    # a passage that says what the task says should lead one whose closest passage is far.
    w_passage = p.w_passage_multi if long_task else p.w_passage
    passage = np.zeros(len(cand), dtype=np.float32)
    if w_passage and len(cand) > 1:
        d = dense[cand]
        lo_d, hi_d = float(d.min()), float(d.max())
        passage = (d - lo_d) / ((hi_d - lo_d) or 1.0)
    out: list[Ranked] = []
    for i, pas in zip(cand, passage, strict=True):
        i = int(i)
        name_cov = _coverage(state.weighted("name", i), qset)
        desc_cov = _coverage(state.weighted("desc", i), qset)
        f = (float(fused[i]) - lo) / span
        score = p.w_fused * f + w_name * name_cov + p.w_desc * desc_cov + w_passage * float(pas)
        phrase = min(1.0, _phrase_match(state, i, qpairs) / p.phrase_norm) if w_phrase else 0.0
        score += w_phrase * phrase
        sig = {
            "bm25": float(lex[i]),
            "summary": float(summary[i]),
            "dense": float(dense[i]),
            "fused": f,
            "name_match": name_cov,
            "desc_match": desc_cov,
            "phrase_match": phrase,
            "passage": float(pas),
        }
        if semantic is not None:
            sig["semantic"] = float(semantic[i])
        if lex_seg is not None:
            sig["bm25_aspect"] = float(lex_seg[i])
        if dense_seg is not None:
            sig["dense_aspect"] = float(dense_seg[i])
        out.append(Ranked(i, score, sig))
    out.sort(key=lambda r: (-r.score, -r.signals["bm25"]))  # ties: the fuller text match
    if p.dedup and state.dup_keys:
        seen: set[str] = set()
        kept: list[Ranked] = []
        dups: list[Ranked] = []
        for r in out:
            key = state.dup_keys[r.index]
            if key in seen:
                r.signals["duplicate"] = 1.0
                dups.append(r)
            else:
                seen.add(key)
                kept.append(r)
        out = kept + dups
    if multi and p.diversify > 0 and len(out) > 1:
        out = _xquad(out, seg_scores / mx, p.diversify, p.diversify_depth)
    return out[:k]


def _xquad(out: list[Ranked], aspects: np.ndarray, lam: float, depth: int) -> list[Ranked]:
    """Aspect diversification (xQuAD) of the head of the ranking.

    Each pick maximises (1 - lam) * relevance + lam * sum over aspects of how well the
    candidate covers the aspect times how uncovered the aspect still is, so a task with
    several needs gets a skill per need near the top instead of variants of one.
    """
    head, tail = out[:depth], out[depth:]
    rel = np.array([r.score for r in head], dtype=np.float64)
    span = (rel.max() - rel.min()) or 1.0
    rel = (rel - rel.min()) / span
    cover = np.clip(aspects[[r.index for r in head]], 0.0, 1.0).astype(np.float64)
    uncovered = np.ones(aspects.shape[1], dtype=np.float64)
    w = 1.0 / aspects.shape[1]
    left = list(range(len(head)))
    picked: list[Ranked] = []
    while left:
        gains = (1 - lam) * rel[left] + lam * w * (cover[left] * uncovered).sum(axis=1)
        j = left.pop(int(np.argmax(gains)))
        uncovered *= 1.0 - cover[j]
        picked.append(head[j])
    return picked + tail
