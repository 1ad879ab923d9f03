"""Split an article's text into prose blocks, sentences and passages.

Everything here is a pure function of the text. Every span is a pair of
character offsets into that text, so ``text[start:end]`` is the span's text.
Lines that are not prose (page furniture such as font-size buttons, video
promos, stray symbols) are dropped by a general rule, never by a list; the
lines of a hard-wrapped paragraph are judged together, as the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qabot.articles.lines import is_prose, line_number, line_starts, trimmed, word_count, wraps_onto
from qabot.articles.markdown import Block, is_markup_line, markdown_structure

# Bump when a rule here or in qabot.articles.lines changes what is cut out,
# so indexes are rebuilt.
CHUNKING_RULES = 4
MIN_PASSAGE_WORDS = 40
MAX_PASSAGE_WORDS = 120
# After a sentence end: closing quotes/brackets, then white space.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]»]*(?=\s)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+([\"'“‘(\[«]*)([A-Z0-9À-Þ])")
# Words that end with a period without ending the sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen col lt sgt capt cmdr adm maj gov sen rep
    rev hon pres supt insp det vs etc no nos fig figs vol approx dept est mt ft
    jan feb aug sept oct nov dec e.g i.e al ca cf op""".split()
)


@dataclass(frozen=True)
class Span:
    """A stretch of the article: ``text == article[start:end]``."""

    start: int
    end: int
    text: str
    line: int


@dataclass(frozen=True)
class ChunkedPassage(Span):
    """A passage and the sentences inside it, all with article offsets;
    ``heading`` names its section (Markdown), "" when there is none."""

    sentences: tuple[Span, ...]
    heading: str = ""


@dataclass(frozen=True)
class ChunkedArticle:
    title: str
    passages: tuple[ChunkedPassage, ...]


def title_span(text: str) -> tuple[int, int] | None:
    """The first non-empty line, which names the article, unless it reads as
    a sentence of the text itself (prose ending with . ! or ?)."""
    offset = 0
    for line in text.split("\n"):
        start, end = trimmed(text, offset, offset + len(line))
        if start < end:
            heading = text[start:end]
            if is_prose(heading) and heading.rstrip("\"'”’)»").endswith((".", "!", "?", "…")):
                return None
            return start, end
        offset += len(line) + 1
    return None


def _prose_flags(run: list[str]) -> list[bool]:
    """For each line of a run of non-blank lines, whether it is prose.

    The run is cut into paragraphs at every break that is not a wrap (see
    :func:`wraps_onto`); each paragraph is judged whole by :func:`is_prose`.
    """
    flags: list[bool] = []
    first = 0
    for i, line in enumerate(run):
        if i + 1 < len(run) and wraps_onto(line, run[i + 1]):
            continue
        paragraph = " ".join(part.strip() for part in run[first:i + 1])
        flags += [is_prose(paragraph)] * (i + 1 - first)
        first = i + 1
    return flags


def _runs(text: str, skip_until: int) -> list[list[tuple[int, str]]]:
    """Runs of consecutive non-blank lines as ``(offset, line)`` pairs,
    leaving out lines that start before ``skip_until``."""
    runs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        if offset >= skip_until and line.strip():
            current.append((offset, line))
        elif current:
            runs.append(current)
            current = []
        offset += len(line) + 1
    if current:
        runs.append(current)
    return runs


def prose_blocks(text: str, skip_until: int = 0) -> list[tuple[int, int]]:
    """Runs of consecutive prose lines, as trimmed ``(start, end)`` offsets.

    A blank or non-prose line ends a block. Lines before ``skip_until``
    (the title) are ignored.
    """
    blocks: list[tuple[int, int]] = []
    for run in _runs(text, skip_until):
        block_start = block_end = None
        for (offset, line), prose in zip(run, _prose_flags([line for _, line in run])):
            if prose:
                start, end = trimmed(text, offset, offset + len(line))
                block_start = start if block_start is None else block_start
                block_end = end
            elif block_start is not None:
                blocks.append((block_start, block_end))
                block_start = None
        if block_start is not None:
            blocks.append((block_start, block_end))
    return blocks


def _ends_with_abbreviation(text: str, start: int, mark: int) -> bool:
    """True when the word ending at ``mark`` (a period) is an abbreviation."""
    word_start = mark
    while word_start > start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:mark].strip("\"'“‘([").lower()
    if text[mark] != ".":
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith"
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
        return True  # an acronym: "U.S", "e.g"
    return word in ABBREVIATIONS


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into trimmed sentence spans."""
    spans = []
    sentence_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        following = _NEXT_STARTS_SENTENCE.match(text, match.end(), end)
        if following is None or _ends_with_abbreviation(text, sentence_start, match.start()):
            continue
        spans.append(trimmed(text, sentence_start, match.end()))
        sentence_start = match.end()
    spans.append(trimmed(text, sentence_start, end))
    return [span for span in spans if span[0] < span[1]]


def _group_sentences(sentences, text, max_words):
    """Greedily pack a block's sentences into passages of at most max_words."""
    groups: list[list[tuple[int, int]]] = [[]]
    words = 0
    for span in sentences:
        n = word_count(text[span[0]:span[1]])
        if groups[-1] and words + n > max_words:
            groups.append([])
            words = 0
        groups[-1].append(span)
        words += n
    return groups


_MARKUP = re.compile(r"(?m)^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+")


def _only_space(gap: str, markdown: bool) -> bool:
    """True when ``gap`` holds nothing but white space (and, in Markdown,
    list markers)."""
    return gap.isspace() or (markdown and not _MARKUP.sub("", gap).strip())


def _merge_short(groups, text, min_words, max_words, markdown):
    """Join a short passage to the next one of the same section when both
    fit and only blank lines (or Markdown list markers) lie between them, so
    the passage is still one stretch of text. ``groups`` are (spans, heading)."""
    merged: list[tuple[list[tuple[int, int]], str]] = []
    for group, heading in groups:
        if merged and merged[-1][1] == heading:
            previous = merged[-1][0]
            gap = text[previous[-1][1]:group[0][0]]
            size = word_count(text[previous[0][0]:previous[-1][1]])
            both = size + word_count(text[group[0][0]:group[-1][1]])
            if size < min_words and both <= max_words and _only_space(gap, markdown):
                previous.extend(group)
                continue
        merged.append((list(group), heading))
    return merged


def _blocks(text: str, markdown: bool) -> tuple[tuple[int, int] | None, list]:
    """The title's span and the article's blocks (see
    :mod:`qabot.articles.markdown`); a plain article is all prose blocks."""
    if markdown:
        title, blocks = markdown_structure(text)
        if title is not None:
            return title, blocks
    title = title_span(text)
    if markdown and title and is_markup_line(text[text.rfind("\n", 0, title[0]) + 1:title[1]]):
        title = None  # a Markdown article opening with code or a list has no title line
    skip = title[1] if title else 0
    if markdown:
        return title, markdown_structure(text, skip_until=skip)[1]
    return title, [Block(start, end, "prose", "") for start, end in prose_blocks(text, skip_until=skip)]


def chunk_article(
    text: str,
    min_words: int = MIN_PASSAGE_WORDS,
    max_words: int = MAX_PASSAGE_WORDS,
    markdown: bool = False,
) -> ChunkedArticle:
    """Title, passages and sentences of one article, with exact offsets.

    With ``markdown``, headings, list items and bylines are read as such
    (see :mod:`qabot.articles.markdown`).
    """
    title, blocks = _blocks(text, markdown)
    title_text = text[title[0]:title[1]] if title else ""
    starts = line_starts(text)
    groups = []
    for block in blocks:
        spans = sentence_spans(text, block.start, block.end) if block.kind == "prose" else [(block.start, block.end)]
        groups.extend((group, block.heading) for group in _group_sentences(spans, text, max_words))
    groups = _merge_short(groups, text, min_words, max_words, markdown)

    def span(start: int, end: int) -> Span:
        return Span(start, end, text[start:end], line_number(starts, start))

    passages = []
    for group, heading in groups:
        sentences = tuple(span(*s) for s in group)
        whole = span(group[0][0], group[-1][1])
        passages.append(ChunkedPassage(whole.start, whole.end, whole.text, whole.line, sentences, heading))
    return ChunkedArticle(title_text, tuple(passages))
