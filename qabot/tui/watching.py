"""Notice when the articles change: a cheap fingerprint of the seeds folder.

The chat polls this every few seconds; comparing two fingerprints says
whether any article was added, removed, or written to since.
"""

from __future__ import annotations

from pathlib import Path

from qabot.articles.files import ARTICLE_SUFFIXES

Fingerprint = dict[str, tuple[int, int]]


def seeds_fingerprint(seeds: Path) -> Fingerprint:
    """``{relative path: (mtime_ns, size)}`` of every article under ``seeds``;
    empty when the folder is missing or unreadable."""
    found: Fingerprint = {}
    try:
        paths = list(seeds.rglob("*"))
    except OSError:
        return found
    for path in paths:
        if path.suffix.lower() not in ARTICLE_SUFFIXES or path.name.startswith("."):
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file():
            found[path.relative_to(seeds).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return found
