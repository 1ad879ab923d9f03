"""The article inside a web page: its title, byline, date, body and address,
without the page's furniture (menus, share buttons, related links, cookie
banners, comments, video promos).

The extraction itself is trafilatura's, imported only when a page is read.
What qabot indexes is :func:`article_text`, a plain text built from it: the
offsets and line numbers of every citation count in that text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qabot.articles.lines import is_prose
from qabot.errors import PageError

PAGE_SUFFIXES = (".html", ".htm")
# Larger files are not article pages (and would take minutes to read).
MAX_PAGE_BYTES = 20 * 1024 * 1024
_SPACES = re.compile(r"\s+")


def is_page(name: str) -> bool:
    """True when the file ``name`` is a saved web page."""
    return name.lower().endswith(PAGE_SUFFIXES)


@dataclass(frozen=True)
class Page:
    """What a page says, as extracted: ``paragraphs`` are the body's blocks
    of text in order, each on one line."""

    title: str
    paragraphs: tuple[str, ...]
    author: str = ""
    date: str = ""
    url: str = ""


def _one_line(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def extract_page(html: bytes | str, url: str | None = None, where: str = "the page") -> Page:
    """The article of ``html``; PageError when it holds no article text.

    ``url`` is where the page came from, when known (otherwise the page's
    own canonical address is used); ``where`` names the page in errors.
    """
    if len(html) > MAX_PAGE_BYTES:
        raise PageError(f"{where}: larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB, not an article page")
    import trafilatura

    try:
        found = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_images=False,
        )
    except Exception as error:  # noqa: BLE001 - a parser's failure on a malformed page
        raise PageError(f"{where}: cannot be read as HTML ({error.__class__.__name__})") from None
    title = _one_line(found.title if found else "")
    paragraphs = [_one_line(line) for line in (found.text or "").split("\n")] if found else []
    paragraphs = [line for line in paragraphs if line]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline, repeated as the body's first line
    if not any(is_prose(line) for line in paragraphs):  # a menu or a list of links
        raise PageError(f"{where}: no article text found in it")
    return Page(
        title=title or paragraphs[0][:120], paragraphs=tuple(paragraphs),
        author=_one_line(found.author), date=_one_line(found.date), url=_one_line(url or found.url),
    )


def article_text(page: Page, retrieved: str = "") -> str:
    """``page`` as a plain-text article: its title on the first line, the
    byline and date, the paragraphs separated by blank lines, then the
    address it came from (and the day it was retrieved, when given)."""
    blocks = [page.title]
    byline = " · ".join(part for part in (f"By {page.author}" if page.author else "", page.date) if part)
    if byline:
        blocks.append(byline)
    blocks.extend(page.paragraphs)
    source = [f"Source: {page.url}"] if page.url else []
    if retrieved:
        source.append(f"Retrieved: {retrieved}")
    if source:
        blocks.append("\n".join(source))
    return "\n\n".join(blocks) + "\n"
