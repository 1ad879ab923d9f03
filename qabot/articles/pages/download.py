"""Download a web page by its address."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request

from qabot import __version__
from qabot.articles.pages.extract import MAX_PAGE_BYTES
from qabot.errors import PageError

TIMEOUT_SECONDS = 30
HTML_TYPES = ("text/html", "application/xhtml+xml")


# Characters left as they are when an address is made ASCII (the rest are %-escaped).
_KEPT_IN_PATH = "/%:@!$&'()*+,;=-._~"
_KEPT_IN_QUERY = _KEPT_IN_PATH + "?"


def page_address(text: str) -> str | None:
    """``text`` as an http(s) page address without its #fragment (letters
    outside ASCII in its path and query %-escaped), or None when it is not
    one; PageError when it is one, but malformed."""
    try:
        parts = urllib.parse.urlsplit(text.strip())
        if parts.scheme.lower() not in ("http", "https"):
            return None
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        if text.strip().lower().startswith(("http:", "https:")):
            raise PageError(f"{text}: not a valid web address ({error})") from None
        return None
    if not parts.netloc:
        return None
    return urllib.parse.urlunsplit(parts._replace(
        path=urllib.parse.quote(parts.path, safe=_KEPT_IN_PATH),
        query=urllib.parse.quote(parts.query, safe=_KEPT_IN_QUERY), fragment=""))


def download(url: str, timeout: float = TIMEOUT_SECONDS) -> bytes | str:
    """The HTML of the page at ``url`` (text when the server named its
    encoding, else bytes); PageError when it cannot be fetched or is not an
    HTML page. Reading stops past MAX_PAGE_BYTES: no news page is larger."""
    address = page_address(url)
    if address is None:
        raise PageError(f"{url}: not a web address (give one starting with http:// or https://)")
    request = urllib.request.Request(address, headers={
        "User-Agent": f"qabot/{__version__} (article reader)", "Accept": "text/html,application/xhtml+xml",
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            if kind not in HTML_TYPES:
                raise PageError(f"{address}: not a web page (the server sent {kind})")
            data = response.read(MAX_PAGE_BYTES + 1)
            charset = response.headers.get_content_charset()
            promised = response.headers.get("Content-Length", "")
    except urllib.error.HTTPError as error:
        raise PageError(f"{address}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise PageError(f"{address}: cannot be downloaded ({error.reason})") from None
    except (OSError, ValueError, http.client.HTTPException) as error:  # timeouts, resets, malformed answers
        raise PageError(f"{address}: cannot be downloaded ({error.__class__.__name__}: {error})") from None
    if len(data) > MAX_PAGE_BYTES:
        raise PageError(f"{address}: larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB, not an article page")
    if promised.isdigit() and len(data) < int(promised):
        raise PageError(f"{address}: the download was cut off ({len(data):,} of {int(promised):,} bytes); "
                        "try again")
    if charset:
        try:
            return data.decode(charset, errors="replace")
        except LookupError:  # an encoding Python does not know: let the extractor guess
            pass
    return data
