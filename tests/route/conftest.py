"""Fixtures of the router tests: connections, a tiny deterministic embedder, sample skills."""

from __future__ import annotations

import hashlib
import sqlite3

import numpy as np
import pytest

from skillbank.route.text import tokenize


class HashEmbedder:
    """Bag-of-stems hashed into 64 dims: deterministic, instant, no model files."""

    def __init__(self, name: str = "test/hash", version: str = "1", dim: int = 64):
        self.name, self.version, self.dim = name, version, dim
        self.calls = 0
        self.texts = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for term in tokenize(t):
                h = int(hashlib.md5(term.encode()).hexdigest()[:8], 16)
                out[i, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


SKILLS = [
    ("pdf-merge", "pdf-merge", "Merge, split and reorder pages of PDF files with qpdf.",
     "# PDF merge\n\nUse `qpdf --empty --pages a.pdf b.pdf -- out.pdf` to merge PDF documents.\n\n"
     "To split a PDF into single pages, run qpdf with --split-pages."),
    ("csv-profile", "csv-profile", "Profile CSV tables with pandas: dtypes, missing values, summaries.",
     "# CSV profiling\n\nLoad with `pd.read_csv`, then `df.describe()` and `df.isna().sum()`.\n\n"
     "Report column types and missing values per column."),
    ("git-bisect", "git-bisect", "Find the commit that introduced a regression with git bisect.",
     "# Bisect\n\nRun `git bisect start`, mark good and bad commits, and automate with "
     "`git bisect run pytest`."),
    ("docker-slim", "docker-slim", "Shrink Docker images: multi-stage builds, slim bases, layer caching.",
     "# Dockerfile optimisation\n\nUse multi-stage builds and a slim base image. Order layers so "
     "dependency installation is cached."),
    ("email-draft", "email-draft", "Draft clear, polite professional emails and replies.",
     "# Email drafting\n\nState the ask in the first line, keep paragraphs short, close with a "
     "clear next step."),
]


@pytest.fixture
def conn(tmp_path):
    c = sqlite3.connect(str(tmp_path / "route.db"), isolation_level=None)
    yield c
    c.close()


@pytest.fixture
def embedder():
    return HashEmbedder()
