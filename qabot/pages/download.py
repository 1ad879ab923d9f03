"""Download a web page by its address."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from qabot.errors import PageError

TIMEOUT_SECONDS = 30
# Larger answers are not news pages; reading stops there.
MAX_BYTES = 20 * 1024 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Download:
    url: str  # as asked for, without its #fragment
    html: bytes | str  # text when the server named its encoding, else bytes


def page_address(text: str) -> str | None:
    """``text`` as an http(s) page address without its #fragment, or None
    when it is not one."""
    parts = urllib.parse.urlsplit(text.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return urllib.parse.urlunsplit(parts._replace(fragment=""))


def download(url: str, timeout: float = TIMEOUT_SECONDS) -> Download:
    """The page at ``url``; PageError when it cannot be fetched or is not
    an HTML page."""
    address = page_address(url)
    if address is None:
        raise PageError(f"{url}: not a web address (give one starting with http:// or https://)")
    from qabot import __version__

    request = urllib.request.Request(address, headers={
        "User-Agent": f"qabot/{__version__} (article reader)", "Accept": "text/html,application/xhtml+xml",
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            if kind not in HTML_TYPES:
                raise PageError(f"{address}: not a web page (the server sent {kind})")
            data = response.read(MAX_BYTES + 1)
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as error:
        raise PageError(f"{address}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise PageError(f"{address}: cannot be downloaded ({error.reason})") from None
    except (OSError, ValueError) as error:  # timeouts, resets, malformed answers
        raise PageError(f"{address}: cannot be downloaded ({error})") from None
    if len(data) > MAX_BYTES:
        raise PageError(f"{address}: larger than {MAX_BYTES // (1024 * 1024)} MB, not an article page")
    if charset:
        try:
            return Download(address, data.decode(charset, errors="replace"))
        except LookupError:  # an encoding Python does not know: let the extractor guess
            pass
    return Download(address, data)
