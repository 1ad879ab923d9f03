"""What the chat shows for an answer, decided without any widget.

Everything here is plain Python over the library's records: which part of a
passage to highlight, how a citation and a confidence read, what is copied
and what is exported. The widgets only turn these decisions into Rich text.
Nothing here imports Textual (or the heavy parts of the library), so it is
quick to import and easy to test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from qabot.errors import QabotError
from qabot.printable import one_line, preview, printable
from qabot.wording import (
    UNSURE,
    confidence_label,
    confidence_level,
    not_answered,
    plural,
    taking_to_mean,
    unsure_of,
)

if TYPE_CHECKING:  # only for annotations: importing the library pulls in numpy
    from qabot.answering import Answer, ScoredPassage, ShortAnswer
    from qabot.index.records import Passage

# The wording and the terminal-safe text are the library's own, shared with the CLI.
REFUSAL = not_answered()
# What an unsure answer's card says above its passage.
UNSURE_HEADING = f"{UNSURE} highlighted below."
METER_CELLS = 5


def citation_label(file: str, line: int) -> str:
    """How a source is cited: ``seeds/file.txt:LINE``."""
    return f"{file}:{line}"


def relative_span(
    container_start: int, container_text: str, start: int, end: int, expected: str,
) -> tuple[int, int] | None:
    """Where ``[start, end)`` (offsets into the article) lies inside a
    container (a passage or a paragraph) that begins at ``container_start``.

    The offsets are trusted when the text there is ``expected``; otherwise
    the first occurrence of ``expected`` is used; None if it is not there.
    """
    rel_start, rel_end = start - container_start, end - container_start
    if 0 <= rel_start <= rel_end <= len(container_text) and container_text[rel_start:rel_end] == expected:
        return rel_start, rel_end
    found = container_text.find(expected) if expected else -1
    return (found, found + len(expected)) if found >= 0 else None


def confidence_meter(confidence: float, cells: int = METER_CELLS) -> str:
    """A small gauge such as ``●●●○○``."""
    filled = max(0, min(cells, round(confidence * cells)))
    return "●" * filled + "○" * (cells - filled)


@dataclass(frozen=True)
class ArticleTarget:
    """A place in an article to open: a passage, and maybe a sentence in it.

    ``file`` is relative to the seeds folder (where to read the article);
    ``label`` is how it is cited. Offsets are into the article's text;
    ``sentence_text`` and ``passage_text`` check they still hold, and
    ``short_text`` (the short answer inside the sentence, when there is one)
    likewise.
    """

    file: str
    label: str
    title: str
    line: int
    passage_start: int
    passage_end: int
    passage_text: str
    sentence_start: int | None = None
    sentence_end: int | None = None
    sentence_text: str | None = None
    short_start: int | None = None
    short_end: int | None = None
    short_text: str | None = None


@dataclass(frozen=True)
class PassageView:
    """One of the other (or closest) passages listed under an answer."""

    label: str
    title: str
    text: str
    score: float
    target: ArticleTarget


@dataclass(frozen=True)
class AnswerView:
    """Everything the answer card shows, already decided."""

    question: str
    refused: bool
    headline: str
    passage_text: str | None
    highlight: tuple[int, int] | None
    citation: str | None
    title: str | None
    confidence: float
    others: tuple[PassageView, ...]
    target: ArticleTarget | None
    # The short answer inside the highlighted sentence (offsets into
    # ``passage_text``); None when there is none.
    short_highlight: tuple[int, int] | None = None
    # The answer is more likely wrong than right: the sentence is shown as
    # the closest one, not as the answer.
    unsure: bool = False
    # For a follow-up: what its pointing word was taken to mean, as one
    # printable line ("Taking “he” to mean ..."); None otherwise.
    assumed: str | None = None
    # That reading came from an unsure or declined earlier answer.
    assumed_doubtful: bool = False

    @property
    def confidence_label(self) -> str:
        return confidence_label(self.confidence)

    @property
    def confidence_level(self) -> str:
        return confidence_level(self.confidence)

    @property
    def meter(self) -> str:
        return confidence_meter(self.confidence)


def passage_target(passage: "Passage", label: str, sentence=None,
                   short: "ShortAnswer | None" = None) -> ArticleTarget:
    """Where to open ``passage`` (and highlight ``sentence``, and ``short``
    inside it, when given)."""
    return ArticleTarget(
        file=passage.file, label=label, title=passage.title, line=sentence.line if sentence else passage.line,
        passage_start=passage.start, passage_end=passage.end, passage_text=passage.text,
        sentence_start=sentence.start if sentence else None,
        sentence_end=sentence.end if sentence else None,
        sentence_text=sentence.text if sentence else None,
        short_start=short.start if short else None,
        short_end=short.end if short else None,
        short_text=short.text if short else None,
    )


def short_span(sentence_start: int, sentence_text: str, start: int, end: int, text: str) -> tuple[int, int] | None:
    """Where the short answer ``[start, end)`` (article offsets) lies inside
    the sentence that begins at ``sentence_start`` (offsets into
    ``sentence_text``); None when it is blank or not in the sentence."""
    if not text.strip():
        return None
    return relative_span(sentence_start, sentence_text, start, end, text)


def _shifted(span: tuple[int, int] | None, by: tuple[int, int] | None) -> tuple[int, int] | None:
    """``span`` (inside a sentence) moved to where the sentence is, ``by``."""
    return None if span is None or by is None else (by[0] + span[0], by[0] + span[1])


def passage_view(scored: "ScoredPassage") -> PassageView:
    p = scored.passage
    label = citation_label(scored.file, p.line)
    return PassageView(label, p.title, p.text, scored.score, passage_target(p, label))


def present(answer: "Answer") -> AnswerView:
    """Decide what to show for ``answer``: the passage with the answering
    sentence highlighted, its citation and confidence, and the other
    passages; for a refusal, the refusal and the closest passages. An
    unsure answer's sentence is the closest one: its short answer is not
    marked."""
    question = one_line(answer.question)
    ref = answer.assumed_reference
    assumed = one_line(taking_to_mean(ref.word, ref.meaning, ref.earlier)) if ref else None
    doubtful = ref is not None and ref.earlier != "sure"
    if answer.abstained or answer.passage is None or answer.citation is None:
        others = tuple(passage_view(s) for s in answer.passages)
        headline = one_line(answer.reason) if answer.reason else REFUSAL
        return AnswerView(question, True, headline, None, None, None, None, answer.confidence, others, None,
                          assumed=assumed, assumed_doubtful=doubtful)
    sentence, passage, cited, short = answer.sentence, answer.passage, answer.citation, answer.short_answer
    label = citation_label(cited.file, cited.line)
    highlight = relative_span(passage.start, passage.text, sentence.start, sentence.end, sentence.text)
    if answer.unsure:  # the closest sentence, not the answer: no words are marked as answering
        short = None
    inside = short_span(sentence.start, sentence.text, short.start, short.end, short.text) if short else None
    others = tuple(passage_view(s) for s in answer.passages if s.passage.id != passage.id)
    return AnswerView(
        question, False, sentence.text, passage.text, highlight, label, cited.title,
        answer.confidence, others, passage_target(passage, label, sentence, short if inside else None),
        _shifted(inside, highlight), answer.unsure, assumed, doubtful,
    )


def copy_text(view: AnswerView) -> str:
    """What "copy the last answer" puts on the clipboard."""
    if view.refused:
        return f"Q: {view.question}\nA: {view.headline}\n"
    said = unsure_of(one_line(view.headline)) if view.unsure else one_line(view.headline)
    return f"{said}\n— {view.citation} ({one_line(view.title or '')})\n"


def _quoted(text: str) -> str:
    return "\n".join("> " + row if row else ">" for row in printable(text).splitlines())


def _markdown_answer(view: AnswerView) -> list[str]:
    lines = [f"## Q: {view.question}", ""] + ([view.assumed, ""] if view.assumed else [])
    if view.refused:
        lines += [f"**{view.headline}**", ""]
        if view.others:
            lines += ["Closest passages:", ""]
            lines += [f"- `{p.label}`: {preview(p.text, 200)}" for p in view.others]
            lines.append("")
        return lines
    target = view.target
    span = f", characters {target.sentence_start}-{target.sentence_end}" if target else ""
    if view.unsure:
        lines += [f"*{UNSURE}:*", ""]
    lines += [
        _quoted(view.headline), "",
        f"Source: `{view.citation}`{span}: *{one_line(view.title or '')}* ({view.confidence_label})", "",
    ]
    return lines


def conversation_markdown(conversations: Sequence[Sequence[AnswerView]], heading: str, when: str) -> str:
    """Conversations as Markdown: each question, its answer quoted with its
    citation, or the refusal with the closest passages; a rule between
    conversations."""
    lines = [f"# qabot conversation: {one_line(heading)}", "", f"Exported {when}.", ""]
    for number, views in enumerate(conversations):
        if number:
            lines += ["---", "", "*New conversation*", ""]
        for view in views:
            lines += _markdown_answer(view)
    return "\n".join(lines).rstrip("\n") + "\n"


def export_name(stamp: str) -> str:
    """``qabot-conversation-YYYYmmdd-HHMMSS.md`` for a ``YYYYmmdd-HHMMSS`` stamp."""
    return f"qabot-conversation-{stamp}.md"


def heading_for(titles: Iterable[str]) -> str:
    """The header's title: the article's title, or "N articles"."""
    titles = list(titles)
    if len(titles) == 1:
        return one_line(titles[0]) or "1 article"
    return f"{len(titles)} articles"


def limit_heading(chosen_titles: list[str], total: int) -> str:
    """The header's words for questions limited to the articles of
    ``chosen_titles`` among ``total``: ``only “Title” (1 of 3 articles)``."""
    of = f"{len(chosen_titles)} of {total} articles"
    if len(chosen_titles) == 1:
        return f"only “{one_line(chosen_titles[0]) or 'untitled'}” ({of})"
    return f"only {of}"


@dataclass(frozen=True)
class Paragraph:
    """A run of non-blank lines of an article, with its offsets; ``joined``
    when it was cut from the lines after it (no blank line between)."""

    start: int
    end: int
    text: str
    joined: bool = False


_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
# Characters of an article shown on each side of a cited passage at first
# (and added by each "show more"), so a huge article opens at once.
ARTICLE_REACH = 20_000


def paragraphs(text: str, start: int = 0, end: int | None = None,
               span: tuple[int, int] | None = None) -> list[Paragraph]:
    """The article split at blank lines, between ``start`` and ``end``;
    every character of a non-blank line belongs to exactly one paragraph.
    Offsets are into the whole ``text``. With ``span`` (a cited passage),
    a paragraph is also cut at line ends so that the lines holding the span
    are a paragraph of their own: a passage can begin below lines that
    are no prose (the web page's leftovers above the shipped article's
    first passage), and only its own lines are marked as cited."""
    end = len(text) if end is None else end
    found = []
    for match in _PARAGRAPH.finditer(text, start, end):
        cuts = [cut for cut in _line_cuts(text, span) if match.start() < cut < match.end()]
        edges = [match.start(), *cuts, match.end()]
        for number, (low, high) in enumerate(zip(edges, edges[1:])):
            piece = text[low:high].rstrip("\n")
            found.append(Paragraph(low, low + len(piece), piece, joined=number < len(cuts)))
    return found


def _line_cuts(text: str, span: tuple[int, int] | None) -> list[int]:
    """Where the lines holding ``span`` begin and where the lines after them
    begin: the places to cut a paragraph around it."""
    if span is None or span[1] <= span[0]:
        return []
    first = text.rfind("\n", 0, span[0]) + 1
    after = text.find("\n", span[1] - 1 if span[1] > 0 else 0)
    return [first] + ([after + 1] if after >= 0 else [])


def window_around(text: str, start: int, end: int, reach: int = ARTICLE_REACH) -> tuple[int, int]:
    """The stretch of ``text`` to show around ``[start, end)``: ``reach``
    characters each side, widened to whole lines (but never by more than
    ``reach`` again: a line can be a whole article), never past the ends."""
    low = max(0, start - reach)
    high = min(len(text), end + reach)
    if low > 0:  # back to the start of the line, if it begins within reach
        newline = text.rfind("\n", max(0, low - reach), low)
        low = newline + 1 if newline >= 0 else (0 if low <= reach else low)
    if high < len(text):  # on to the end of the line, if it ends within reach
        newline = text.find("\n", high, high + reach)
        high = newline if newline >= 0 else (len(text) if len(text) - high <= reach else high)
    return low, high


def locate(target: ArticleTarget, article: str) -> tuple[tuple[int, int], tuple[int, int] | None, bool]:
    """The passage and sentence spans of ``target`` in ``article`` (as read
    now), and whether the offsets still matched; when the article changed
    since it was indexed, the texts are searched for instead."""
    passage = relative_span(0, article, target.passage_start, target.passage_end, target.passage_text)
    sentence = None
    if target.sentence_text is not None:
        sentence = relative_span(0, article, target.sentence_start, target.sentence_end, target.sentence_text)
    exact = passage == (target.passage_start, target.passage_end) and (
        target.sentence_text is None or sentence == (target.sentence_start, target.sentence_end)
    )
    if passage is None:
        passage = sentence or (0, 0)
    return passage, sentence, exact


def locate_short(target: ArticleTarget, article: str, sentence: tuple[int, int] | None) -> tuple[int, int] | None:
    """The short answer's span in ``article``, inside the ``sentence`` span
    that :func:`locate` found; None when there is no short answer or it is
    not in that sentence any more."""
    if target.short_text is None or sentence is None or target.sentence_start is None:
        return None
    inside = short_span(target.sentence_start, article[sentence[0]:sentence[1]],
                        target.short_start, target.short_end, target.short_text)
    return _shifted(inside, sentence)


def duration_words(seconds: float) -> str:
    """``about 40 s``, ``about 3 min``, ``about 1 h 20 min``."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"about {max(seconds, 1)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min"
    return f"about {minutes // 60} h {minutes % 60} min"


def embedding_progress(done: int, total: int, seconds_per_text: float | None = None) -> str:
    """``1,200 of 5,000 texts embedded · about 3 min left``: the counts, and
    an estimate when the pace is known."""
    words = f"{done:,} of {total:,} texts embedded"
    if seconds_per_text and done < total:
        words += f" · {duration_words(seconds_per_text * (total - done))} left"
    return words


def build_summary(report) -> str:
    """One line about a finished build (a qabot.index.build.BuildReport)."""
    if not report.changed:
        return "The index is already up to date."
    return (f"Index updated: {plural(report.files, 'article')}, {plural(report.passages, 'passage')} "
            f"({report.embedded} embedded, {report.reused} reused).")


def error_text(error: BaseException) -> str:
    """A one-line, readable account of ``error`` (never a traceback)."""
    if isinstance(error, QabotError):
        return str(error)
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror}"
    detail = str(error)
    return f"unexpected {type(error).__name__}" + (f": {detail}" if detail else "")
