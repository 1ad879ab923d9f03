"""Compare libraries that take a news article out of a web page, on the
pages under tests/pages (news layouts with menus, share bars, cookie
banners, related-story boxes, comment sections and video promos, each with
the article text expected and the furniture that must not come through).

    .venv/bin/python evals/compare_extractors.py

Prints, per library: paragraphs of the article found (of all expected),
furniture lines that came through (in the raw extraction, and in what
qabot would index after its prose rule), titles right, and time per page.
readability-lxml is not a qabot dependency: `pip install readability-lxml`
to include it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from qabot.articles.chunking import chunk_article

PAGES = Path(__file__).resolve().parent.parent / "tests" / "pages"


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def with_trafilatura(html: bytes) -> tuple[str, str]:
    import trafilatura

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    return found.title or "", found.text or ""


def with_readability(html: bytes) -> tuple[str, str]:
    import lxml.html
    from readability import Document

    document = Document(html)
    tree = lxml.html.fromstring(document.summary())
    blocks = tree.xpath("//p|//li|//h1|//h2|//h3|//figcaption|//div[not(descendant::p or descendant::div)]")
    return document.short_title(), "\n".join(block.text_content() for block in blocks)


def with_justext(html: bytes) -> tuple[str, str]:
    import justext
    import lxml.html

    title = (lxml.html.fromstring(html).findtext(".//title") or "").strip()
    paragraphs = justext.justext(html, justext.get_stoplist("English"))
    return title, "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


CANDIDATES = {"trafilatura": with_trafilatura, "readability-lxml": with_readability, "jusText": with_justext}


def score(extract) -> dict:
    furniture = json.loads((PAGES / "furniture.json").read_text(encoding="utf-8"))
    found = expected = leaked = leaked_indexed = furniture_lines = titles = 0
    seconds = 0.0
    pages = sorted(PAGES.glob("*.html"))
    extract(pages[0].read_bytes())  # imports and warm-up, not timed
    for page in pages:
        title, *body = _lines(page.with_suffix(".expected.txt").read_text(encoding="utf-8"))
        html = page.read_bytes()
        began = time.perf_counter()
        got_title, text = extract(html)
        seconds += time.perf_counter() - began
        lines = set(_lines(text))
        found += sum(" ".join(line.split()) in lines for line in body)
        expected += len(body)
        indexed = " ".join(p.text for p in chunk_article(text).passages)
        furniture_lines += len(furniture[page.name])
        leaked += sum(line in text for line in furniture[page.name])
        leaked_indexed += sum(line in indexed for line in furniture[page.name])
        titles += " ".join(got_title.split()) == title
    return {"paragraphs found": f"{found}/{expected}", "furniture through": f"{leaked}/{furniture_lines}",
            "furniture indexed": f"{leaked_indexed}/{furniture_lines}", "titles right": f"{titles}/{len(pages)}",
            "ms a page": f"{1000 * seconds / len(pages):.1f}"}


def main() -> None:
    rows = {}
    for name, extract in CANDIDATES.items():
        try:
            rows[name] = score(extract)
        except ImportError as error:
            rows[name] = {"paragraphs found": f"not installed ({error.name})"}
    columns = ["paragraphs found", "furniture through", "furniture indexed", "titles right", "ms a page"]
    print(f"{'library':18}" + "".join(f"{column:>20}" for column in columns))
    for name, row in rows.items():
        print(f"{name:18}" + "".join(f"{row.get(column, ''):>20}" for column in columns))


if __name__ == "__main__":
    main()
