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

from qabot.errors import StoreError
from qabot.stores.address import StoreAddress, parse_store, store_from

__all__ = ["StoreAddress", "open_store", "parse_store", "store_from"]


def open_store(address: StoreAddress, dimension: int):
    """Connect to the store at ``address`` (pymilvus is imported here);
    StoreError when the extra is missing or the store cannot be reached."""
    try:
        from qabot.stores.milvus import MilvusStore
    except ImportError as error:
        raise StoreError(f"a Milvus store needs the extra ({error.name or 'pymilvus'} is not installed): "
                         "pip install -e '.[milvus]'") from None
    return MilvusStore(address, dimension)
