"""Naming a store: the addresses `--store` and $QABOT_STORE take, parsed
without importing anything heavy (the command line's help names them)."""

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
