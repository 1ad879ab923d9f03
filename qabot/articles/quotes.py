"""Every quote is the article's own text: records are checked against the
article files before anything is shown.

The index stores each passage's and sentence's text with its offsets. A
damaged or stale index could hold text the article does not; this module
reads the article as it is on disk now (each file once, again only when its
size or modification time changes) and checks ``text[start:end]`` against
the record, and the line it cites. A web page's citations count in the
text extracted from it, which the index keeps: that text is the one read.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable

from qabot.articles.files import decode_article
from qabot.articles.pages.extract import is_page
from qabot.errors import ArticleError, QuoteMismatchError

# Articles kept in memory at once (the most recently checked).
CACHED_ARTICLES = 64


class ArticleTexts:
    """The text of the articles under ``seeds`` as on disk now; for a web
    page, ``extracted(name, sha256)`` gives the text the index took out of
    it, while the page on disk is the one it was taken from (its sha256)."""

    def __init__(self, seeds: Path, cached: int = CACHED_ARTICLES,
                 extracted: Callable[[str, str], str | None] = lambda name, sha256: None) -> None:
        self.seeds = seeds
        self.extracted = extracted
        self._cached = cached
        self._texts: OrderedDict[str, tuple[tuple[int, int], str]] = OrderedDict()
        self._lock = threading.Lock()

    def text(self, name: str) -> str | None:
        """The text of article ``name`` (relative to seeds), or None when it
        cannot be read."""
        path = self.seeds / name
        try:
            status = path.stat()
        except OSError:
            return None
        stamp = (status.st_size, status.st_mtime_ns)
        with self._lock:
            found = self._texts.get(name)
            if found and found[0] == stamp:
                self._texts.move_to_end(name)
                return found[1]
        try:
            data = path.read_bytes()
            text = (self.extracted(name, hashlib.sha256(data).hexdigest()) if is_page(name)
                    else decode_article(path, data))
        except (OSError, ArticleError):
            return None
        if text is None:
            return None
        with self._lock:
            self._texts[name] = (stamp, text)
            while len(self._texts) > self._cached:
                self._texts.popitem(last=False)
        return text

    def holds(self, file: str, start: int, end: int, text: str, line: int | None = None) -> bool:
        """True when article ``file`` has exactly ``text`` at ``[start, end)``
        (and, when ``line`` is given, it begins on that line)."""
        article = self.text(file)
        if article is None or article[start:end] != text:
            return False
        return line is None or article.count("\n", 0, start) + 1 == line

    def check(self, records) -> None:
        """QuoteMismatchError unless every record (a Passage or a Sentence)
        is its article's own text at its offsets, on the line it cites."""
        for record in records:
            if not self.holds(record.file, record.start, record.end, record.text, record.line):
                raise QuoteMismatchError(
                    f"the index does not match {record.file} at characters {record.start}-{record.end}"
                )

    @staticmethod
    def check_inside(sentence, passage) -> None:
        """QuoteMismatchError unless ``sentence`` lies inside ``passage``
        (the one shown around it) in the same article."""
        if sentence.file != passage.file or not passage.start <= sentence.start < sentence.end <= passage.end:
            raise QuoteMismatchError(
                f"the index does not match {sentence.file}: sentence {sentence.start}-{sentence.end} "
                f"is not in its passage {passage.start}-{passage.end}"
            )
