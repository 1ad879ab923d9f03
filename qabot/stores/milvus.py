"""A Milvus store: the searched vectors and terms of an index's segments,
copied into Milvus (a server, or Milvus Lite in a local file).

Two collections hold the rows, ``PREFIX_passages`` and ``PREFIX_sentences``:
one entity per row of a segment, keyed by (segment number, row), with its
article (a digest of the file's name, so that no name is ever written into
a filter; the partition key, so an article's rows share a partition),
its vector (HNSW, inner product) and its stemmed terms, which Milvus turns
into a BM25 sparse vector itself. A third, ``PREFIX_segments``, holds one
mark per segment copied whole, with a fingerprint of the segment's files:
a segment without its mark (a copy cut short) is not searched, and is
copied again.

Searches are filtered to the segments the reader's manifest lists, so a
reader never mixes segments of two versions of the index; rows of articles
no longer live are dropped by the reader as in the index folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import socket
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import numpy as np

# gRPC's own log lines would land on the terminal (in the chat window too):
# Milvus Lite's in-process server refuses the client's keep-alive pings
# after a quiet spell (the client reconnects by itself), and does not
# implement one call the client makes while an index is built (the client
# carries on without it). Errors that matter reach qabot as exceptions.
os.environ.setdefault("GRPC_VERBOSITY", "NONE")
logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
# Milvus Lite logs a traceback of its own when it cannot open a file; the
# StoreError raised then says what went wrong in one line.
logging.getLogger("milvus_lite").setLevel(logging.CRITICAL)

from pymilvus import DataType, Function, FunctionType, MilvusClient, MilvusException  # noqa: E402

from qabot.errors import StoreError
from qabot.index.columns import RecordColumns
from qabot.index.lexical import K1, B, terms
from qabot.index.segments import RECORD_SETS, SEGMENTS
from qabot.index.vectors import HNSW_BUILD_EFFORT, HNSW_NEIGHBOURS, open_vectors, search_effort
from qabot.stores.address import StoreAddress
from qabot.stores.keys import fingerprint, row_key, segment_number

# Rows sent to Milvus in one insert.
BATCH = 1000
# Longest stemmed-terms text kept for BM25 (Milvus's VARCHAR limit is 65,535 bytes).
MAX_TERMS_BYTES = 60_000
# Partitions the article key is hashed into (Milvus's default is 16).
PARTITIONS = 16
# The mark row naming the index a store holds (segment numbers are >= 1).
OWNER = 0
# Seconds a search or a change may take before it is an error.
CALL_SECONDS = 60
# Most hits one Milvus search returns.
MOST_HITS = 16_384
CONNECT_SECONDS = 5
Progress = Callable[[str, int, int], None]


def article_key(name: str) -> str:
    """What the store holds of an article file's name: its SHA-256 (hex)."""
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()


def terms_text(text: str) -> str:
    """The stemmed terms of ``text`` as Milvus analyses them (one word
    each), cut to what a VARCHAR field holds."""
    joined = " ".join(terms(text))
    if len(joined.encode("utf-8")) > MAX_TERMS_BYTES:
        joined = joined.encode("utf-8")[:MAX_TERMS_BYTES].decode("utf-8", "ignore").rsplit(" ", 1)[0]
    return joined


def _literal(values: list) -> str:
    """``values`` (numbers or strings) as a list in a Milvus filter."""
    return json.dumps([v if isinstance(v, str) else int(v) for v in values], ensure_ascii=False)


def _one_line(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error)
    return " ".join(str(message).split())[:300]


class MilvusStore:
    """The rows of an index's segments in Milvus, searched by vector and by
    terms."""

    def __init__(self, address: StoreAddress, dimension: int) -> None:
        self.address = address
        self.dimension = dimension
        self.collections = {records: f"{address.prefix}_{records}" for records in RECORD_SETS}
        self.marks = f"{address.prefix}_segments"
        if not address.lite:
            _check_reachable(address.uri)
        elif os.path.lexists(address.uri) and not os.path.isdir(address.uri):
            raise StoreError(f"{address.uri} is a file, not a Milvus Lite store: Milvus Lite keeps a store in a "
                             "folder of the name given (several files), so name another")
        try:
            self.client = MilvusClient(uri=address.uri, timeout=CONNECT_SECONDS * 2)
        except MilvusException as error:
            if address.lite and _locked(address.uri):
                raise StoreError(f"the Milvus Lite store {address.uri} is open in another process (Milvus Lite "
                                 "serves one process at a time: close it, or use a Milvus server)") from None
            raise StoreError(f"Milvus store {address}: {_one_line(error)}") from None
        if address.lite:
            _LITE_USERS[address.uri] += 1
        self._open = True
        try:
            self._prepare()
        except MilvusException as error:
            self.close()
            raise StoreError(f"Milvus store {address}: {_one_line(error)}") from None
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Let go of the store; for Milvus Lite, the last store of this
        process on a file also stops the engine serving it (so another
        process may open the file)."""
        if not self._open:
            return
        self._open = False
        self.client.close()
        if self.address.lite:
            _LITE_USERS[self.address.uri] -= 1
            if not _LITE_USERS[self.address.uri]:
                from milvus_lite import server_manager_instance

                server_manager_instance.release_server(self.address.uri)

    # -- collections ---------------------------------------------------

    def _prepare(self) -> None:
        for records, name in self.collections.items():
            if not self.client.has_collection(name):
                self._create_rows(name)
            else:
                self._check_dimension(name)
            self._load(name)
        if not self.client.has_collection(self.marks):
            schema = self.client.create_schema(auto_id=False)
            schema.add_field("id", DataType.INT64, is_primary=True)
            schema.add_field("fingerprint", DataType.VARCHAR, max_length=64)
            schema.add_field("unused", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector in every collection
            index = self.client.prepare_index_params()
            index.add_index("unused", index_type="FLAT", metric_type="L2")
            self.client.create_collection(self.marks, schema=schema, index_params=index)
        self._load(self.marks)

    def _load(self, name: str) -> None:
        if self.address.replicas > 1:
            self.client.load_collection(name, replica_number=self.address.replicas)
        else:
            self.client.load_collection(name)

    def _create_rows(self, name: str) -> None:
        schema = self.client.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("segment", DataType.INT64)
        schema.add_field("article", DataType.VARCHAR, max_length=64, is_partition_key=True)
        schema.add_field("terms", DataType.VARCHAR, max_length=65_535, enable_analyzer=True,
                         analyzer_params={"tokenizer": "standard"})
        schema.add_field("bm25", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=self.dimension)
        schema.add_function(Function(name=f"{name}_bm25", function_type=FunctionType.BM25,
                                     input_field_names=["terms"], output_field_names=["bm25"]))
        index = self.client.prepare_index_params()
        index.add_index("vector", index_type="HNSW", metric_type="IP",
                        params={"M": HNSW_NEIGHBOURS, "efConstruction": HNSW_BUILD_EFFORT})
        index.add_index("bm25", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                        params={"bm25_k1": K1, "bm25_b": B})
        self.client.create_collection(name, schema=schema, index_params=index, num_partitions=PARTITIONS,
                                      **({"num_shards": self.address.shards} if self.address.shards > 1 else {}))

    def _check_dimension(self, name: str) -> None:
        fields = self.client.describe_collection(name).get("fields", [])
        sizes = [f.get("params", {}).get("dim") for f in fields if f.get("name") == "vector"]
        if not sizes or int(sizes[0]) != self.dimension:
            raise StoreError(f"Milvus store {self.address}: collection {name!r} was not made by qabot for "
                             f"vectors of size {self.dimension}; name another store or prefix")

    # -- keeping it in step with the index folder --------------------------

    def copied(self, manifest: dict) -> set[str]:
        """The segments of ``manifest`` the store holds whole."""
        names = list(manifest["segments"])
        if not names:
            return set()
        marks = self._marks([segment_number(n) for n in names])
        return {name for name in names if marks.get(segment_number(name)) == fingerprint(manifest, name)}

    def _marks(self, numbers: list[int]) -> dict[int, str]:
        with self._failing("reading the segment marks"):
            found = self.client.query(self.marks, filter=f"id in {_literal(numbers)}", output_fields=["fingerprint"],
                                      consistency_level="Strong", timeout=CALL_SECONDS)
        return {int(row["id"]): row["fingerprint"] for row in found}

    def holds(self, marks: dict[int, str]) -> bool:
        """Whether the store holds whole every segment ``marks`` names
        (segment number: fingerprint, see :func:`qabot.stores.keys.marks_of`)."""
        return not marks or self._marks(list(marks)) == marks

    def claim(self, manifest: dict, take_over: bool = False) -> None:
        """Make the store this index's (by the manifest's ``index_id``).
        A store holding another index is taken over when ``take_over`` (an
        explicit `qabot index`: the other's rows are replaced as segments
        are copied); otherwise StoreError. An index from before ids were
        kept claims nothing."""
        mine = manifest.get("index_id")
        if not mine:
            return
        owner = self._marks([OWNER]).get(OWNER)
        if owner not in (None, mine) and not take_over:
            raise StoreError(
                f"the Milvus store {self.address} holds another index: give this one a store of its own (another "
                "Milvus Lite folder, or another collection prefix on the server), or make it this index's with "
                "`qabot index --store ...` (what the other index had there is replaced)")
        if owner != mine:
            with self._failing("claiming the store"):
                self.client.upsert(self.marks, [{"id": OWNER, "fingerprint": mine, "unused": [0.0, 0.0]}])
                self.client.flush(self.marks)

    def missing(self, manifest: dict) -> list[str]:
        """Segments of ``manifest`` the store does not hold whole."""
        have = self.copied(manifest)
        return [name for name in manifest["segments"] if name not in have]

    def add(self, folder: Path, manifest: dict, progress: Progress | None = None, take_over: bool = False) -> int:
        """Copy in every segment of ``manifest`` (files in ``folder``) the
        store does not hold whole; return how many rows were copied. A
        segment's mark is written last, once all its rows are in. See
        :meth:`claim` for ``take_over``."""
        self.claim(manifest, take_over)
        copied = 0
        for name in self.missing(manifest):
            with self._failing("copying the index"):
                copied += self._copy(folder / SEGMENTS / name, name, manifest, progress)
        return copied

    def _copy(self, folder: Path, name: str, manifest: dict, progress: Progress | None) -> int:
        entry, number = manifest["segments"][name], segment_number(name)
        self.client.delete(self.marks, filter=f"id == {number}")
        for records in RECORD_SETS:  # rows left by a copy cut short
            self.client.delete(self.collections[records], filter=f"segment == {number}")
        total = sum(entry[records] for records in RECORD_SETS)
        done = 0
        for records in RECORD_SETS:
            columns = RecordColumns.load(folder, records, entry[records])
            vectors = open_vectors(folder, records)
            articles = [article_key(file) for file, _ in columns.files]
            for first in range(0, entry[records], BATCH):
                rows = range(first, min(first + BATCH, entry[records]))
                keys = row_key(number, np.arange(rows.start, rows.stop))
                self.client.upsert(self.collections[records], [
                    {"id": int(key), "segment": number, "article": articles[int(columns.numbers["file"][row])],
                     "terms": terms_text(columns.text("text", row)), "vector": np.asarray(vectors[row])}
                    for key, row in zip(keys, rows)
                ])
                done += len(rows)
                if progress:
                    progress(f"copying segment {name} to Milvus", done, total)
        for records in RECORD_SETS:
            self.client.flush(self.collections[records])
        self.client.upsert(self.marks, [{"id": number, "fingerprint": fingerprint(manifest, name),
                                         "unused": [0.0, 0.0]}])
        self.client.flush(self.marks)
        return total

    def forget(self, manifest: dict, previous: dict | None = None) -> None:
        """Delete what ``manifest`` (just switched in by a build, which
        alone calls this) no longer lists: segments, marks first, and in the
        segments it keeps, the rows of articles now elsewhere or gone (those
        ``previous``, the manifest before, held there; without it, every
        row of an article the segment no longer lists). Segments numbered
        from the manifest's ``next_segment`` on are a later build's, being
        copied: never touched."""
        listed = _literal([segment_number(name) for name in manifest["segments"]])

        def unlisted(field: str) -> str:  # segments (by number) this build replaced
            return f"{field} not in {listed} and {field} < {int(manifest['next_segment'])} and {field} > {OWNER}"

        with self._failing("removing old rows"):
            marks = self.client.query(self.marks, filter=unlisted("id"), output_fields=["id"],
                                      consistency_level="Strong", timeout=CALL_SECONDS)
            if marks:
                self.client.delete(self.marks, ids=[int(row["id"]) for row in marks], timeout=CALL_SECONDS)
            for records in RECORD_SETS:
                self.client.delete(self.collections[records], filter=unlisted("segment"), timeout=CALL_SECONDS)
            for name in manifest["segments"]:
                self._drop_gone_articles(name, manifest, previous)

    def _drop_gone_articles(self, name: str, manifest: dict, previous: dict | None) -> None:
        def articles(of: dict) -> set[str]:
            return {article_key(file) for file, entry in of["files"].items() if entry["segment"] == name}

        number = segment_number(name)
        if previous is None:
            kept = f"segment == {number} and article not in {_literal(sorted(articles(manifest)))}"
        elif name in previous.get("segments", {}):
            gone = articles(previous) - articles(manifest)
            if not gone:
                return
            kept = f"segment == {number} and article in {_literal(sorted(gone))}"
        else:
            return  # the build's new segment: copied as it is
        for records in RECORD_SETS:
            self.client.delete(self.collections[records], filter=kept, timeout=CALL_SECONDS)

    # -- searching ---------------------------------------------------------

    def nearest(self, records: str, vector: np.ndarray, k: int, segments: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Inner products and entity keys of the ``k`` rows of ``segments``
        nearest to ``vector``, best first."""
        k = min(k, MOST_HITS)
        found = self._search(records, [np.asarray(vector, dtype=np.float32)], "vector", k, segments,
                             {"params": {"ef": search_effort(k)}})
        return (np.array([hit["distance"] for hit in found], dtype=np.float32),
                np.array([hit["id"] for hit in found], dtype=np.int64))

    def matching(self, records: str, question_terms: list[str], k: int, segments: list[int]) -> np.ndarray:
        """Entity keys of the ``k`` rows of ``segments`` whose terms match
        ``question_terms`` best by Milvus's BM25."""
        if not question_terms:
            return np.zeros(0, np.int64)
        found = self._search(records, [" ".join(question_terms)], "bm25", min(k, MOST_HITS), segments, {})
        return np.array([hit["id"] for hit in found], dtype=np.int64)

    def _search(self, records: str, data, field: str, k: int, segments: list[int], params: dict) -> list:
        if k <= 0 or not segments:
            return []
        with self._failing("searching"):
            results = self.client.search(self.collections[records], data=data, anns_field=field, limit=k,
                                         filter=f"segment in {_literal(segments)}", search_params=params,
                                         timeout=CALL_SECONDS)
        return list(results[0]) if results else []

    @contextmanager
    def _failing(self, what: str):
        """Milvus's errors as one-line StoreErrors saying what failed."""
        try:
            yield
        except MilvusException as error:
            raise StoreError(f"Milvus store {self.address}: {what} failed: {_one_line(error)}") from None


# How many open stores of this process use each Milvus Lite folder.
_LITE_USERS: Counter[str] = Counter()


def _locked(path: str) -> bool:
    """Whether another process holds Milvus Lite's lock on ``path``."""
    try:
        with open(Path(path) / "LOCK", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle, fcntl.LOCK_UN)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def _check_reachable(uri: str) -> None:
    """StoreError at once when nothing listens at ``uri`` (the client
    itself would retry for a long while)."""
    parsed = urlparse(uri)
    try:
        with socket.create_connection((parsed.hostname, parsed.port), timeout=CONNECT_SECONDS):
            pass
    except OSError as error:
        raise StoreError(f"cannot reach the Milvus server at {parsed.hostname}:{parsed.port} "
                         f"({error.strerror or error})") from None
