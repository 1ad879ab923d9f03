"""Save a page's article into the seeds folder as a plain-text article.

The file holds the title on its first line, the text, then a ``Source:``
line with the page's address and a ``Retrieved:`` line with the day. Those
two closing lines are how a page added again is found and updated in place
instead of saved twice (an article written by hand, without them, is never
taken for one). A file is never overwritten unless it is that page's.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from qabot.articles.pages.extract import Page, article_text
from qabot.errors import PageError

SOURCE_PREFIX = "Source: "
RETRIEVED_PREFIX = "Retrieved: "
MAX_NAME_CHARACTERS = 80


@dataclass(frozen=True)
class SavedArticle:
    path: Path
    title: str
    source: str
    updated: bool  # True when the page had been added before


def file_stem(title: str) -> str:
    """A file name (without suffix) made from ``title``: its words in lower
    case joined by hyphens, accents dropped from Latin letters (other
    scripts are kept as they are)."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFKD", title):
        if not (unicodedata.combining(ch) and kept and kept[-1].isascii()):  # é -> e; other marks stay
            kept.append(ch)
    # Words: runs of letters, digits and marks (\w alone would split words at vowel signs).
    text = "".join(ch if unicodedata.category(ch)[0] in "LNM" else " "
                   for ch in unicodedata.normalize("NFKC", "".join(kept)).lower())
    words = text.split()
    stem = ""
    for word in words:
        if len(stem) + len(word) + 1 > MAX_NAME_CHARACTERS:
            break
        stem = f"{stem}-{word}" if stem else word
    return stem or (words[0][:MAX_NAME_CHARACTERS] if words else "article")


def source_of(path: Path) -> str | None:
    """The address on the ``Source:`` line of an article saved by
    :func:`save_article` (its last two lines: ``Source:``, ``Retrieved:``),
    or None."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - 4096))
            tail = handle.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return None
    if len(tail) >= 2 and tail[-2].startswith(SOURCE_PREFIX) and tail[-1].startswith(RETRIEVED_PREFIX):
        return tail[-2][len(SOURCE_PREFIX):].strip()
    return None


def _title_of(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.readline().strip()
    except OSError:
        return ""


def saved_from(seeds: Path, source: str, title: str | None = None) -> Path | None:
    """The article under ``seeds`` saved from ``source`` before (and, when
    ``title`` is given, under that title), if any."""
    if not seeds.is_dir():
        return None
    for path in sorted(seeds.rglob("*.txt")):
        if (path.is_file() and not path.name.startswith(".") and source_of(path) == source
                and (title is None or _title_of(path) == title)):
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


def save_article(seeds: Path, page: Page, source: str, retrieved: date | None = None,
                 same_title_only: bool = False) -> SavedArticle:
    """Write ``page`` into ``seeds`` as a ``.txt`` article whose Source line
    is ``source``: over the article saved from ``source`` before (with
    ``same_title_only``, only one with the same title), else under a new
    name from its title."""
    if seeds.exists() and not seeds.is_dir():
        raise PageError(f"{seeds} is a file, not a folder: pass --seeds DIR")
    seeds.mkdir(parents=True, exist_ok=True)
    page = Page(page.title, page.paragraphs, page.author, page.date, source)
    text = article_text(page, retrieved=(retrieved or date.today()).isoformat())
    earlier = saved_from(seeds, source, page.title if same_title_only else None)
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
