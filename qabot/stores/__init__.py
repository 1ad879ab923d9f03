"""Where the first stage searches: the index folder itself (the default), or
a Milvus store holding a copy of its searched vectors and terms.

The index folder stays the record of truth either way (records, vectors,
term counts, the manifest); a store only answers "which rows are nearest to
this vector" and "which rows match these terms best", and qabot scores
those rows itself, so answers and citations are the same. Nothing here
imports pymilvus: :mod:`qabot.stores.milvus` does, and only when a Milvus
store is named.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from qabot.errors import StoreError

# The store used when a command is given none.
STORE_VARIABLE = "QABOT_STORE"
EMBEDDED = "embedded"
LITE_PREFIX = "milvus-lite:"
SERVER_PREFIX = "milvus://"
# Collections are named after this prefix (one prefix per index).
DEFAULT_PREFIX = "qabot"
_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
_HOST_PORT = re.compile(r"^(?P<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(?P<port>\d{1,5})$")

STORE_HELP = (f"where questions search: {EMBEDDED} (the index folder, the default), "
              f"{LITE_PREFIX}DIR.db (Milvus Lite in this process, in a local folder of that name: its engine "
              f"keeps a store as several files, and takes only names ending in .db) or "
              f"{SERVER_PREFIX}HOST:PORT[/PREFIX][?shards=N&replicas=N] (a Milvus server; collections "
              f"PREFIX_passages and PREFIX_sentences, default prefix {DEFAULT_PREFIX}); default: "
              f"${STORE_VARIABLE}, else {EMBEDDED}. Milvus needs the extra: pip install -e '.[milvus]'")


@dataclass(frozen=True)
class StoreAddress:
    """A Milvus store: a Milvus Lite folder (``lite``) or a server's URI, and
    the prefix of its collections."""

    uri: str
    lite: bool
    prefix: str = DEFAULT_PREFIX
    # For a cluster: shards of each new collection, replicas it is loaded in.
    shards: int = 1
    replicas: int = 1

    def __str__(self) -> str:
        return f"{LITE_PREFIX}{self.uri}" if self.lite else self.uri


def parse_store(spec: str | None) -> StoreAddress | None:
    """The store ``spec`` names (None for the index folder itself);
    StoreError saying what a valid one looks like."""
    if spec is None or spec.strip() in ("", EMBEDDED):
        return None
    spec = spec.strip()
    if spec.startswith(LITE_PREFIX):
        path = spec[len(LITE_PREFIX):]
        if not path.endswith(".db") or path == ".db":
            raise StoreError(f"store {spec!r}: a Milvus Lite store must be named like {LITE_PREFIX}./milvus.db")
        return StoreAddress(os.path.abspath(path), lite=True)
    if spec.startswith(SERVER_PREFIX):
        rest, _, query = spec[len(SERVER_PREFIX):].partition("?")
        where, _, prefix = rest.partition("/")
        found = _HOST_PORT.match(where)
        if not found or not 0 < int(found["port"]) < 65536:
            raise StoreError(f"store {spec!r}: expected {SERVER_PREFIX}HOST:PORT, for example "
                             f"{SERVER_PREFIX}localhost:19530")
        prefix = prefix or DEFAULT_PREFIX
        if not _PREFIX.match(prefix):
            raise StoreError(f"store {spec!r}: the collection prefix must be a letter then letters, "
                             "digits or underscores (at most 40)")
        return StoreAddress(f"http://{where}", lite=False, prefix=prefix, **_cluster_settings(spec, query))
    raise StoreError(f"unknown store {spec!r}: expected {EMBEDDED}, {LITE_PREFIX}DIR.db or "
                     f"{SERVER_PREFIX}HOST:PORT")


def _cluster_settings(spec: str, query: str) -> dict[str, int]:
    """``shards=N&replicas=M`` of a server address (each 1 to 64)."""
    found = {}
    for part in filter(None, query.split("&")):
        name, _, value = part.partition("=")
        if name not in ("shards", "replicas") or not value.isdigit() or not 1 <= int(value) <= 64:
            raise StoreError(f"store {spec!r}: after '?' only shards=N and replicas=N (1 to 64) are understood")
        found[name] = int(value)
    return found


def store_from(spec: str | None) -> StoreAddress | None:
    """The store named by ``spec``, else by $QABOT_STORE, else None."""
    return parse_store(spec if spec is not None else os.environ.get(STORE_VARIABLE))


def open_store(address: StoreAddress, dimension: int):
    """Connect to the store at ``address`` (pymilvus is imported here);
    StoreError when the extra is missing or the store cannot be reached."""
    try:
        from qabot.stores.milvus import MilvusStore
    except ImportError as error:
        raise StoreError(f"a Milvus store needs the extra ({error.name or 'pymilvus'} is not installed): "
                         "pip install -e '.[milvus]'") from None
    return MilvusStore(address, dimension)


def sync_store(store, folder, progress=None, notice=None, take_over: bool = False) -> int:
    """Copy into ``store`` the segments of the index in ``folder`` it does
    not hold whole (``notice`` hears how many); return how many rows were
    copied. Nothing is deleted here: only a build deletes, once its new
    index is in (``store.forget``), since another reader or build may be
    using what this index no longer lists."""
    from qabot.index import read_manifest
    from qabot.storage import readable_folder

    source = readable_folder(folder)
    manifest = read_manifest(source)
    lacking = store.missing(manifest)
    if lacking and notice:
        notice(f"the Milvus store {store.address} lacks {len(lacking)} of the index's "
               f"{len(manifest['segments'])} segments; copying them")
    if not lacking:
        store.claim(manifest, take_over)
        return 0
    return store.add(source, manifest, progress, take_over)


def update_keeping_store(store, folder, update, progress=None, notice=None, take_over: bool = False,
                         switch=None):
    """Run one update of the index in ``folder`` with ``store`` kept in
    step, in the one order that never leaves a reader without its rows:

    1. ``update(before_switch)`` runs the build (``update_index`` with that
       hook), which copies its new segment into the store before the folder
       switches to it; it returns the build report, or None when no build ran;
    2. segments the store still lacks are copied (``sync_store``);
    3. ``switch()``, when given, puts the new index to use;
    4. only then, when a build ran, does the store forget what the index no
       longer lists (segments, and articles gone from the segments it
       keeps, against the manifest before the build); with ``take_over``
       (an explicit ``qabot index`` makes the store this index's) it does
       so even when no build ran, and sweeps every row of an article its
       segment no longer lists unless this build changed the index.

    With no store (``store`` None), only the update and the switch. Returns
    the build report."""
    if store is None:
        report = update()
        if switch is not None:
            switch()
        return report
    previous = manifest_or_none(folder)

    def before_switch(staging, manifest, build_progress):
        store.add(staging, manifest, build_progress, take_over)

    report = update(before_switch)
    sync_store(store, folder, progress, notice, take_over)
    if switch is not None:
        switch()
    manifest = manifest_or_none(folder)
    if manifest is not None and take_over:
        store.forget(manifest, previous if report is not None and report.changed else None)
    elif manifest is not None and report is not None:
        store.forget(manifest, previous)
    return report


def manifest_or_none(folder) -> dict | None:
    """The index's manifest as it is now, or None (no index yet, damaged)."""
    from qabot.errors import IndexLoadError
    from qabot.index import read_manifest

    try:
        return read_manifest(folder)
    except IndexLoadError:
        return None
