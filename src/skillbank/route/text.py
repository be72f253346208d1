"""Text handling for the router: tokenizer, light stemmer, chunker, query segmenter and the
opening prose of a skill body (what the semantic encoder reads after the description).

Everything here is deterministic, dependency-free and cheap; the same functions tokenize
skills at index time and tasks at query time, so the two always agree.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# A compact English stop list plus words that occur in almost every skill or task text and
# carry no routing signal ("use", "file", "skill" ...). Kept short on purpose: BM25's IDF
# already discounts frequent words; the list mostly saves work on long task texts.
# Bump when tokenize() changes: indexes made with another version are re-tokenized.
TOKENIZER_VERSION = "2"

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing don down during
    each else etc few for from further had has have having he her here hers him his how
    i if in into is it its itself just let me more most my no nor not now of off on once
    only or other our ours out over own per same she should so some such than that the
    their theirs them then there these they this those through to too under until up upon
    us very via was we were what when where which while who whom why will with within
    without would you your yours e g ie eg
    """.split()
)

_WORD = re.compile(r"[A-Za-z0-9]+")
_LOWER_UPPER = re.compile(r"[a-z0-9][A-Z]")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """A light, conservative English suffix stripper (plural, -ing, -ed, final -e).

    Maps "merge", "merges", "merged", "merging" to one stem and "parser"/"parsing" close
    enough for BM25; it never produces stems shorter than three letters.
    """
    w = word
    if len(w) <= 3 or w.isdigit():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) >= 6:
        w = w[:-3]
        if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]
    elif w.endswith("ed") and len(w) >= 5 and not w.endswith("eed"):
        w = w[:-2]
        if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]
    return w


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed terms; camelCase and snake/kebab compounds are split.

    A camelCase word yields its parts and the whole word ("ReportLab" -> report, lab,
    reportlab) so both spellings match. Pure numbers and one-letter tokens are dropped.
    """
    out: list[str] = []
    append = out.append
    for raw in _WORD.findall(text):
        low = raw.lower()
        if raw != low and _LOWER_UPPER.search(raw):
            parts = _CAMEL.findall(raw)
            if len(parts) > 1:
                for p in parts:
                    p = p.lower()
                    if len(p) > 1 and p not in STOPWORDS and not p.isdigit():
                        append(stem(p))
        if len(low) < 2 or low in STOPWORDS or low.isdigit():
            continue
        append(stem(low))
    return out


def term_counts(text: str) -> dict[str, int]:
    return dict(Counter(tokenize(text)))


# --------------------------------------------------------------------------- chunking

_PARA = re.compile(r"\n\s*\n")


def chunk_text(text: str, size: int = 900, max_chunks: int = 48) -> list[str]:
    """Split a body into ~`size`-char chunks on paragraph (then line, then word) borders.

    Every chunk is scored on its own at query time, so a skill is found by its best
    passage, not by whatever fits into a model's window from the top. Bodies longer than
    `max_chunks` chunks keep evenly spaced chunks (the tail is not simply cut off).
    """
    text = text.strip()
    if not text:
        return []
    pieces: list[str] = []
    for para in _PARA.split(text):
        para = para.strip()
        if not para:
            continue
        while len(para) > size:
            cut = para.rfind("\n", 0, size)
            if cut < size // 3:
                cut = para.rfind(" ", 0, size)
            if cut < size // 3:
                cut = size
            pieces.append(para[:cut])
            para = para[cut:].strip()
        if para:
            pieces.append(para)
    chunks: list[str] = []
    cur = ""
    for p in pieces:
        if cur and len(cur) + len(p) + 2 > size:
            chunks.append(cur)
            cur = p
        else:
            cur = f"{cur}\n\n{p}" if cur else p
    if cur:
        chunks.append(cur)
    if len(chunks) > max_chunks:
        step = len(chunks) / max_chunks
        chunks = [chunks[int(i * step)] for i in range(max_chunks)]
    return chunks


# --------------------------------------------------------------------------- queries

_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#+)\s+")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*\"'(])")


def split_query(query: str, min_len: int = 60, max_segments: int = 12) -> list[str]:
    """Split a long task into its aspects (paragraphs, list items, sentences).

    A task that needs several skills usually states each need in its own sentence or list
    item; scoring each aspect separately lets a skill that matches one aspect strongly
    surface even when the whole text is dominated by another. Short queries are one
    aspect. Tiny pieces are merged into their neighbour.
    """
    query = query.strip()
    if len(query) < 2 * min_len:
        return [query] if query else []
    raw: list[str] = []
    for para in _PARA.split(query):
        lines = [ln for ln in para.splitlines() if ln.strip()]
        if len(lines) > 1 and sum(bool(_ITEM.match(ln)) for ln in lines) >= 1:
            raw.extend(lines)
        else:
            raw.extend(_SENT.split(" ".join(ln.strip() for ln in lines)))
    segs: list[str] = []
    for piece in raw:
        piece = piece.strip()
        if not piece:
            continue
        if segs and (len(segs[-1]) < min_len or len(piece) < min_len // 2):
            segs[-1] = f"{segs[-1]} {piece}"
        else:
            segs.append(piece)
    if len(segs) > 1 and len(segs[-1]) < min_len:
        last = segs.pop()
        segs[-1] = f"{segs[-1]} {last}"
    if len(segs) > max_segments:
        # merge neighbours until the count fits
        per = -(-len(segs) // max_segments)
        segs = [" ".join(segs[i : i + per]) for i in range(0, len(segs), per)]
    return segs


_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.S | re.M)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINE_MARKUP = re.compile(r"^(?:#+\s*|>\s*|[-*+]\s+|\d+[.)]\s+)")
_INLINE_MARKUP = re.compile(r"\*\*|__|`")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def opening_prose(body: str, limit: int = 400) -> str:
    """The first `limit` characters of a skill body's prose, as plain text.

    What a reader sees first of what the skill does: headings and list items as words;
    code blocks, tables, HTML and comments left out (they are about how, not what).
    """
    body = _HTML_COMMENT.sub(" ", _FENCE.sub(" ", body))
    out: list[str] = []
    size = 0
    for line in body.splitlines():
        line = line.strip()
        if not line or line.startswith(("|", "<")):
            continue
        line = _LINK.sub(r"\1", _INLINE_MARKUP.sub("", _LINE_MARKUP.sub("", line))).strip()
        if not line:
            continue
        out.append(line)
        size += len(line) + 1
        if size > limit:
            break
    return " ".join(out)[:limit]
