"""Find and read the articles under a seeds folder."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from qabot.articles.pages.extract import PAGE_SUFFIXES, article_text, extract_page, is_page
from qabot.errors import ArticleError, NoArticlesError, PageError

ARTICLE_SUFFIXES = (".txt", ".md", *PAGE_SUFFIXES)


@dataclass(frozen=True)
class Article:
    """One article file.

    ``name`` is its path relative to the seeds folder (what the index
    records); ``path`` is where it is on disk, as the user named the folder.
    ``text`` is what citations count in: the file's own text, or for a web
    page the article extracted from it (which the index keeps), taken out
    only when asked for (a build asks only for the articles it rewrites).
    ``unreadable`` says why a file is not text (not UTF-8, or binary): the
    build skips it, and names it on every update until it is fixed.
    """

    name: str
    path: Path
    sha256: str
    decoded: str | None = field(default=None, repr=False)  # a text file's text
    page: bytes | None = field(default=None, repr=False)  # a web page's bytes
    unreadable: str | None = None

    @cached_property
    def text(self) -> str:
        return page_article(self.path, self.page) if self.page is not None else self.decoded or ""

    @property
    def is_page(self) -> bool:
        return is_page(self.name)


def article_paths(seeds: Path) -> list[Path]:
    """Every .txt, .md, .html and .htm file under ``seeds``, in a stable order."""
    if seeds.exists() and not seeds.is_dir():
        raise NoArticlesError(f"{str(seeds)!r} is a file, not a folder: pass --seeds DIR")
    if not seeds.is_dir():
        raise NoArticlesError(
            f"seeds folder {str(seeds)!r} not found: create it and put .txt, .md or .html articles in it, "
            "or pass --seeds DIR"
        )
    paths = sorted(
        p for p in seeds.rglob("*")
        if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file() and not p.name.startswith(".")
    )
    if not paths:
        raise NoArticlesError(
            f"no articles in {str(seeds)!r}: add .txt, .md or .html files there, or pass --seeds DIR"
        )
    return paths


class NotTextError(ValueError):
    """An article file's bytes are not UTF-8 text; the message says why."""


def _decode(data: bytes) -> str:
    if b"\0" in data:
        raise NotTextError("not a text file (it contains NUL bytes); save it as UTF-8 text, or remove it")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotTextError(f"not valid UTF-8 (byte {error.start}); save it as UTF-8 text") from None
    # Universal newlines, exactly as read_text applies them.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_article(path: Path, data: bytes) -> str:
    """The text of an article file, as ``Path.read_text(encoding="utf-8")`` gives it;
    ArticleError naming ``path`` when it is not UTF-8 text."""
    try:
        return _decode(data)
    except NotTextError as error:
        raise ArticleError(f"{path}: {error}") from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ArticleError(f"{path}: cannot be read ({error.strerror})") from None


def page_article(path: Path, data: bytes) -> str:
    """The article text of the saved web page ``path`` holding ``data``;
    empty when it holds none (the build then skips it and says so)."""
    try:
        return article_text(extract_page(data, where=str(path)))
    except PageError:
        return ""


def read_articles(seeds: Path) -> list[Article]:
    """Every article under ``seeds``, a text file decoded at once: one that
    is not UTF-8 text comes back with ``unreadable`` set (the build skips
    it), one that cannot be read at all is an ArticleError."""
    articles = []
    for path in article_paths(seeds):
        data = _read_bytes(path)
        name = path.relative_to(seeds).as_posix()
        digest = hashlib.sha256(data).hexdigest()
        if is_page(name):
            articles.append(Article(name, path, digest, page=data))
            continue
        try:
            articles.append(Article(name, path, digest, decoded=_decode(data)))
        except NotTextError as error:
            articles.append(Article(name, path, digest, unreadable=str(error)))
    return articles


def file_hashes(seeds: Path) -> dict[str, str]:
    """``{name: sha256}`` of every article, without decoding them."""
    return {
        path.relative_to(seeds).as_posix(): hashlib.sha256(_read_bytes(path)).hexdigest()
        for path in article_paths(seeds)
    }
