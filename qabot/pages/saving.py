"""Save a page's article into the seeds folder as a plain-text article.

The file holds the title on its first line, the text, then a ``Source:``
line with the page's address and a ``Retrieved:`` line with the day. That
``Source:`` line is how a page added again is found and updated in place
instead of saved twice. A file is never overwritten unless it is that page's.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from qabot.pages.extract import Page, article_text

SOURCE_PREFIX = "Source: "
# The Source line is among the last lines of a saved article.
SOURCE_WITHIN_LINES = 3
MAX_NAME_CHARACTERS = 80


@dataclass(frozen=True)
class SavedArticle:
    path: Path
    title: str
    source: str
    updated: bool  # True when the page had been added before


def file_stem(title: str) -> str:
    """A file name (without suffix) made from ``title``: lower-case ASCII
    letters and digits joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    stem = ""
    for word in words:
        if len(stem) + len(word) + 1 > MAX_NAME_CHARACTERS:
            break
        stem = f"{stem}-{word}" if stem else word
    return stem or "article"


def source_of(path: Path) -> str | None:
    """The address on the ``Source:`` line near the end of the article at
    ``path``, or None."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - 4096))
            tail = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    for line in tail.splitlines()[-SOURCE_WITHIN_LINES:]:
        if line.startswith(SOURCE_PREFIX):
            return line[len(SOURCE_PREFIX):].strip()
    return None


def saved_from(seeds: Path, source: str) -> Path | None:
    """The article under ``seeds`` saved from ``source`` before, if any."""
    if not seeds.is_dir():
        return None
    for path in sorted(seeds.rglob("*.txt")):
        if path.is_file() and not path.name.startswith(".") and source_of(path) == source:
            return path
    return None


def _write_new(seeds: Path, stem: str, temporary: Path) -> Path:
    """Give ``temporary`` a name of its own under ``seeds`` (``stem.txt``,
    else ``stem-2.txt``, ...), never taking an existing file's."""
    number = 1
    while True:
        path = seeds / (f"{stem}.txt" if number == 1 else f"{stem}-{number}.txt")
        try:
            try:
                os.link(temporary, path)  # fails if the name is taken, even by a racing writer
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links: create the name exclusively
                with open(path, "xb") as handle:
                    handle.write(temporary.read_bytes())
            return path
        except FileExistsError:
            number += 1


def save_article(seeds: Path, page: Page, source: str, retrieved: date | None = None) -> SavedArticle:
    """Write ``page`` into ``seeds`` as a ``.txt`` article whose Source line
    is ``source``: over the article saved from ``source`` before, else under
    a new name from its title."""
    seeds.mkdir(parents=True, exist_ok=True)
    page = Page(page.title, page.paragraphs, page.author, page.date, source)
    text = article_text(page, retrieved=(retrieved or date.today()).isoformat())
    earlier = saved_from(seeds, source)
    temporary = seeds / f".qabot-adding-{os.getpid()}.txt"
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if earlier is not None:
            os.replace(temporary, earlier)
            return SavedArticle(earlier, page.title, source, updated=True)
        return SavedArticle(_write_new(seeds, file_stem(page.title), temporary), page.title, source, updated=False)
    finally:
        temporary.unlink(missing_ok=True)
