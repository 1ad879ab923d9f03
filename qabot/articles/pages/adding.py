"""Add a web page to the articles: by address, or from a saved page file."""

from __future__ import annotations

from pathlib import Path

from qabot.articles.pages.download import download, page_address
from qabot.articles.pages.extract import extract_page, is_page
from qabot.articles.pages.saving import SavedArticle, save_article
from qabot.errors import PageError


def add_page(seeds: Path, target: str) -> SavedArticle:
    """Save the article of ``target`` (an http(s) address, or a saved
    ``.html``/``.htm`` file) into ``seeds`` as a ``.txt`` article; a page
    added before (same address) is updated. PageError says what went wrong."""
    address = page_address(target)
    if address is not None:
        return save_article(seeds, extract_page(download(address), url=address, where=address), address)
    path = Path(target)
    if "://" in target:
        raise PageError(f"{target}: only http:// and https:// addresses can be added")
    if not path.is_file():
        raise PageError(f"{target}: neither a web address nor a file")
    if not is_page(path.name):
        raise PageError(f"{target}: not a saved web page (.html or .htm)")
    if seeds.is_dir() and path.resolve().is_relative_to(seeds.resolve()):
        raise PageError(f"{target}: already in {seeds}, where it is read as an article as it is")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PageError(f"{target}: cannot be read ({error.strerror})") from None
    page = extract_page(data, where=target)
    # A saved page names its own address, but some sites give every page
    # the same one: only an article of the same title is taken as its
    # earlier copy.
    return save_article(seeds, page, page.url or path.resolve().as_uri(), same_title_only=True)
