"""Vector files a build writes by position: plain .npy files that numpy
reads as any other, checked when opened, never written past their end; and
a search graph built from them a slice at a time is the same graph."""

from __future__ import annotations

import numpy as np
import pytest

from qabot.index.row_files import RowFile
from qabot.index.vectors import HNSW, write_vectors


def test_rows_written_by_position_are_a_plain_npy_file(tmp_path):
    rng = np.random.default_rng(7)
    expected = rng.standard_normal((25, 6)).astype(np.float32)
    path = tmp_path / "rows.npy"
    with RowFile.create(path, 25, 6) as rows:
        for row in rng.permutation(25):  # in any order, one row at a time
            rows.write(int(row), expected[row])
        rows.write(10, expected[10:14])  # and several at once
    assert np.array_equal(np.load(path, allow_pickle=False), expected)
    with RowFile(path) as rows:
        assert (rows.rows, rows.width) == (25, 6)
        assert np.array_equal(rows.read(3, 9), expected[3:9])
        assert np.array_equal(rows.read(20, 99), expected[20:])  # cut at the end
        assert rows.read(30, 40).shape == (0, 6)
        assert np.array_equal(np.concatenate([part for _, part in rows.slices(7)]), expected)


def test_a_row_file_refuses_what_it_cannot_hold(tmp_path):
    path = tmp_path / "rows.npy"
    with RowFile.create(path, 3, 4) as rows:
        with pytest.raises(IndexError):
            rows.write(2, np.zeros((2, 4), dtype=np.float32))
    np.save(tmp_path / "ints.npy", np.zeros((3, 4), dtype=np.int64))
    np.save(tmp_path / "flat.npy", np.zeros(12, dtype=np.float32))
    for name in ("ints.npy", "flat.npy"):
        with pytest.raises(ValueError, match="float32"):
            RowFile(tmp_path / name)
    short = tmp_path / "short.npy"
    short.write_bytes(path.read_bytes()[:-8])
    with RowFile(short) as rows, pytest.raises(ValueError, match="shorter"):
        rows.read(0, 3)


def test_a_graph_built_from_slices_is_the_graph_of_all_rows(tmp_path, monkeypatch):
    import faiss

    import qabot.index.vectors

    monkeypatch.setattr(qabot.index.vectors, "GRAPH_STEP", 700)
    vectors = np.random.default_rng(3).standard_normal((2000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    np.save(tmp_path / "rows.npy", vectors)
    steps = []
    write_vectors(tmp_path, "sentences", tmp_path / "rows.npy", HNSW, lambda *step: steps.append(step))
    assert not (tmp_path / "rows.npy").exists() and np.array_equal(np.load(tmp_path / "sentences.npy"), vectors)
    assert [done for _, done, _ in steps] == [700, 1400, 2000]
    whole = faiss.IndexHNSWFlat(16, qabot.index.vectors.HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
    whole.hnsw.efConstruction = qabot.index.vectors.HNSW_BUILD_EFFORT
    for first in range(0, 2000, 700):
        whole.add(vectors[first:first + 700])
    built = faiss.read_index(str(tmp_path / "sentences.hnsw"))
    assert built.ntotal == 2000
    assert np.array_equal(faiss.serialize_index(built), faiss.serialize_index(whole))
