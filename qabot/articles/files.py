"""Find and read the articles under a seeds folder."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from qabot.articles.pages.extract import PAGE_SUFFIXES, article_text, extract_page, is_page
from qabot.errors import ArticleError, NoArticlesError, PageError, UnknownArticleError

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


# How many known articles an error about an unknown one lists.
LISTED_AT_MOST = 20


def article_names(seeds: Path) -> list[str]:
    """The names (relative to ``seeds``, as the index records them) of the
    articles there now; NoArticlesError when there are none."""
    return [path.relative_to(seeds).as_posix() for path in article_paths(seeds)]


def name_in_seeds(seeds: Path, given: str) -> str | None:
    """The name relative to ``seeds`` that ``given`` stands for: a path
    (from the current folder, or absolute) to a file inside ``seeds``, or a
    name inside it (``a.txt`` for ``seeds/a.txt``); None when it is
    neither. The file itself is not looked at (a link is its own name)."""
    path = Path(given)
    try:
        inside = (path.parent.resolve() / path.name).relative_to(seeds.resolve())
    except (ValueError, OSError):
        inside = None
    if inside is not None and inside.parts:
        return inside.as_posix()
    if not path.is_absolute() and path.parts and ".." not in path.parts:
        return path.as_posix()
    return None


def chosen_articles(seeds: Path, given, known) -> tuple[str, ...]:
    """The names among ``known`` (article names, relative to ``seeds``) of
    the files ``given`` (each a path or a name, see :func:`name_in_seeds`),
    each once, in the order given; UnknownArticleError naming a file that
    is not one of them, and listing those that are."""
    known = list(known)
    chosen = []
    for file in given:
        name = _known_name(seeds, file, known)
        if name is None:
            raise UnknownArticleError(f"{file!r} is not one of the articles; {known_articles(seeds, known)}")
        chosen.append(name)
    return tuple(dict.fromkeys(chosen))


def _known_name(seeds: Path, given: str, known: list[str]) -> str | None:
    """``given`` as a name among ``known``: the path inside ``seeds`` it
    names, else the name it is, relative to ``seeds``."""
    name = name_in_seeds(seeds, given)
    if name in known:
        return name
    as_name = Path(given).as_posix()  # a name in the seeds folder that is also a path inside it
    return as_name if as_name in known and not Path(given).is_absolute() else None


def known_articles(seeds: Path, known: list[str]) -> str:
    """"the articles are seeds/a.txt, seeds/b.md": for an error about
    an article that is not one of them (at most LISTED_AT_MOST named)."""
    if not known:
        return f"there are no articles in {str(seeds)!r}"
    named = [str(seeds / name) for name in known[:LISTED_AT_MOST]]
    more = ""
    if len(known) > LISTED_AT_MOST:
        more = f" and {len(known) - LISTED_AT_MOST:,} more (qabot list names them all)"
    return f"the articles are {', '.join(named)}{more}"


def remove_article(seeds: Path, given: str) -> Path:
    """Delete the article file ``given`` (a path to it inside ``seeds``, or
    its name there) and return where it was. UnknownArticleError, and
    nothing deleted, when ``given`` is outside ``seeds``, not an article, or
    not there."""
    try:
        known = article_names(seeds)
    except NoArticlesError as error:
        raise UnknownArticleError(f"{given!r} cannot be removed: {error}") from None
    name = _known_name(seeds, given, known)
    if name is None:
        raise UnknownArticleError(f"{given!r} cannot be removed: {_why_not_an_article(seeds, given)}")
    path = seeds / name
    path.unlink()
    return path


def _why_not_an_article(seeds: Path, given: str) -> str:
    """Why ``given`` names none of the articles in ``seeds``."""
    path = Path(given)
    if path.is_dir() and path.resolve() == seeds.resolve():
        return "it is the seeds folder itself; name an article in it"
    inside = name_in_seeds(seeds, given)
    if inside is None or (path.exists() and not _is_inside(seeds, path)):
        return f"it is outside the seeds folder {str(seeds)!r}; only articles there are removed"
    target = seeds / inside
    if target.is_dir():
        return "it is a folder, not an article"
    if target.exists():
        return f"it is not an article (those are {', '.join(ARTICLE_SUFFIXES)} files)"
    return f"there is no such article in {str(seeds)!r} (qabot list names them)"


def _is_inside(seeds: Path, path: Path) -> bool:
    try:
        (path.parent.resolve() / path.name).relative_to(seeds.resolve())
    except (ValueError, OSError):
        return False
    return True
