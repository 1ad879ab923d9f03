"""Stored unit vectors, searched exactly or through an approximate graph.

Every vector set is kept as a plain ``.npy`` file (float32, one row per
record), read memory-mapped. Above :data:`APPROXIMATE_ABOVE` rows a searched
set also gets an HNSW graph (``.hnsw``, FAISS's own file format), because a
brute-force scan of that many rows costs more than the rest of an answer.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Callable

import numpy as np

from qabot.index.row_files import RowFile

# Rows above which a searched set gets an HNSW graph. Scanning 20,000 rows of
# 384 floats takes about 4 ms on the 2-core machine (bench/scale.py).
APPROXIMATE_ABOVE = 20_000
EXACT = "exact"
HNSW = "hnsw"
SEARCH_KINDS = (EXACT, HNSW)
# Graph neighbours per node, and the candidates explored while building and
# (at least) per query. On the 342,000 sentences of bench/scale.py, a build
# effort of 200 instead of 80 lifts recall@10 against exact search from 0.95
# to 0.99 at a search effort of 256, for 1.3 ms a query.
HNSW_NEIGHBOURS = 32
HNSW_BUILD_EFFORT = 200
HNSW_SEARCH_EFFORT = 256


def search_effort(k: int) -> int:
    """Candidates a graph search explores to return its ``k`` best rows:
    twice as many, and at least HNSW_SEARCH_EFFORT. The first stage reads
    the 256 nearest rows; exploring only 256, the graph returned 98.3% of
    exact search's 256 best sentences and 97.6% of its passages on model
    vectors (640 articles, 73,000 sentences), 96.4% and 95.4% on 342,000
    stand-in sentences; exploring 512: 99.6% and 99.5%, 98.9% and 98.6%,
    for about 1.7 ms more a question at the larger size (bench/scale.py's
    corpora and questions)."""
    return max(HNSW_SEARCH_EFFORT, 2 * k)


def search_kind(rows: int, searched: bool) -> str:
    """How a set of ``rows`` vectors is searched (see APPROXIMATE_ABOVE)."""
    return HNSW if searched and rows > APPROXIMATE_ABOVE else EXACT


# Rows added to a graph between two progress reports.
GRAPH_STEP = 10_000


def write_vectors(folder: Path, name: str, rows: Path, kind: str,
                  progress: Callable[[str, int, int], None] | None = None) -> None:
    """Move the vector file ``rows`` (float32 ``.npy``, on the same file
    system) into ``folder`` as ``name.npy``, and write ``name.hnsw`` when
    ``kind`` is HNSW (minutes for a few hundred thousand rows:
    ``progress(stage, done, total)`` hears of each step). The rows are read
    a slice at a time, so memory holds the graph and one slice."""
    target = folder / f"{name}.npy"
    try:
        os.replace(rows, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        shutil.move(rows, target)  # the scratch folder was put on another disk
    if kind == HNSW:
        import faiss

        with RowFile(target) as source:
            graph = faiss.IndexHNSWFlat(source.width, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
            graph.hnsw.efConstruction = HNSW_BUILD_EFFORT
            _reserve(graph, source.rows)
            for first, vectors in source.slices(GRAPH_STEP):
                graph.add(vectors)
                if progress:
                    progress(f"search graph of {name}", first + len(vectors), source.rows)
        faiss.write_index(graph, str(folder / f"{name}.hnsw"))


def _reserve(graph, rows: int) -> None:
    """Make room for ``rows`` vectors in the graph's storage at once: grown
    a step at a time, the storage is copied as it grows, and for a moment
    held twice (hundreds of megabytes for a large set). Resizing a vector
    down keeps its room."""
    import faiss

    storage = faiss.downcast_index(graph.storage)
    if storage.codes.size() == 0:
        storage.codes.resize(rows * storage.code_size)
        storage.codes.resize(0)


def open_vectors(folder: Path, name: str) -> np.ndarray:
    """The vectors in ``name.npy``, memory-mapped (rows are read when used)."""
    return np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)


def vector_files(name: str, kind: str) -> list[str]:
    return [f"{name}.npy"] + ([f"{name}.hnsw"] if kind == HNSW else [])


class VectorStore:
    """One vector set of one segment: rows by number, and a top-k search."""

    def __init__(self, rows: np.ndarray, graph=None) -> None:
        self.rows = rows
        self.graph = graph

    @classmethod
    def load(cls, folder: Path, name: str, kind: str, count: int, dimension: int) -> "VectorStore":
        """ValueError unless the files hold ``count`` vectors of ``dimension``."""
        rows = open_vectors(folder, name)
        if rows.dtype != np.float32 or rows.shape != (count, dimension):
            raise ValueError(f"{name}.npy does not match the index records")
        graph = None
        if kind == HNSW:
            import faiss

            # The graph's vectors stay on disk, memory-mapped like the rows
            # (segments are never written in place); only its links are read.
            mapped = getattr(faiss, "IO_FLAG_MMAP_IFC", 0) | getattr(faiss, "IO_FLAG_READ_ONLY", 0)
            graph = faiss.read_index(str(folder / f"{name}.hnsw"), mapped)
            if graph.ntotal != count or graph.d != dimension:
                raise ValueError(f"{name}.hnsw does not match the index records")
        return cls(rows, graph)

    def search(self, query: np.ndarray, k: int, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Inner products and row numbers of the ``k`` best rows for one
        query vector, best first (fewer when the set is smaller)."""
        k = min(k, len(self.rows))
        if k <= 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        if self.graph is not None and not exact:
            self.graph.hnsw.efSearch = search_effort(k)
            scores, ids = self.graph.search(np.asarray(query, np.float32)[None, :], k)
            keep = ids[0] >= 0
            return scores[0][keep], ids[0][keep].astype(np.int64)
        scores = np.asarray(self.rows @ query, dtype=np.float32)
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return scores[top], top.astype(np.int64)
