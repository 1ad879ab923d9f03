"""How an answer is written out: JSON for scripts, plain text for people.

Every field of the text form goes through :func:`printable`, so nothing
from an article or a question can drive the terminal; JSON escapes control
characters itself.
"""

from __future__ import annotations

from qabot.answering import Answer
from qabot.articles.pages.extract import is_page
from qabot.printable import one_line, preview, printable, unwrapped
from qabot.wording import confidence_label, not_answered, taking_to_mean, unsure_of

REFUSAL = not_answered()


def answer_json(answer: Answer) -> dict:
    """The JSON contract of `qabot ask --json` (one object per question)."""
    source = None
    if answer.citation:
        c = answer.citation
        source = {"file": c.file, "title": c.title, "line": c.line, "start": c.start, "end": c.end,
                  "extracted": is_page(c.file)}
    short = answer.short_answer if not answer.abstained else None
    return {
        "question": answer.question,
        "answer": answer.text,
        "short_answer": {"text": short.text, "start": short.start, "end": short.end} if short else None,
        "abstained": answer.abstained,
        "unsure": answer.unsure,
        "confidence": round(answer.confidence, 4),
        "truncated": answer.truncated,
        **({"reason": answer.reason, "not_mentioned": list(answer.missing)} if answer.abstained else {}),
        **({"assumed_reference": reference_json(answer)} if answer.assumed_reference else {}),
        "source": source,
        "passages": [
            {"text": p.passage.text, "score": round(p.score, 4), "file": p.file,
             "line": p.passage.line, "start": p.passage.start, "end": p.passage.end, "extracted": is_page(p.file)}
            for p in answer.passages
        ],
        **({"limited_to": list(answer.limited_to)} if answer.limited_to else {}),
    }


def reference_json(answer: Answer) -> dict:
    """A follow-up's reading of its pointing word: ``{"word": "he",
    "meaning": "Qassem Soleimani", "earlier": "unsure"}`` (``earlier`` is
    "sure", "unsure" or "declined")."""
    ref = answer.assumed_reference
    return {"word": ref.word, "meaning": ref.meaning, "earlier": ref.earlier}


def reference_line(answer: Answer) -> str | None:
    """``Taking “he” to mean Qassem Soleimani (from an unsure earlier
    answer).`` on one printable line; None for a question that is no
    follow-up."""
    ref = answer.assumed_reference
    return one_line(taking_to_mean(ref.word, ref.meaning, ref.earlier)) if ref else None


def citation_text(file: str, line: int, start: int, end: int) -> str:
    """Where a quote is; for a web page, in the text extracted from it."""
    of = " of the extracted text" if is_page(file) else ""
    return f"{one_line(file)}:{line} (characters {start}-{end}{of})"


def short_answer_line(answer: Answer) -> str | None:
    """The short answer on one printable line; None when there is none
    (a refusal, or an answer that is the whole sentence)."""
    if answer.abstained or answer.short_answer is None:
        return None
    return one_line(answer.short_answer.text) or None


def answer_lines(answer: Answer) -> list[str]:
    """The ``A:`` line (and the sentence under it): the short answer when
    there is one, else the sentence; for an unsure answer, the closest
    sentence, never given as the answer."""
    sentence = one_line(answer.text or "")
    if answer.unsure:
        return [f"A: {unsure_of(sentence)}"]
    short = short_answer_line(answer)
    return [f"A: {short}", f"   sentence: {sentence}"] if short else [f"A: {sentence}"]


def answer_text(answer: Answer) -> str:
    """A readable answer: the short answer when there is one, then the
    sentence, citation, confidence and passage."""
    lines = [f"Q: {one_line(answer.question)}"]
    reference = reference_line(answer)
    if reference:
        lines.append(f"   {reference}")
    if answer.limited_to:
        lines.append(f"   (asked only about {', '.join(one_line(file) for file in answer.limited_to)})")
    if answer.citation:
        c = answer.citation
        lines += [
            *answer_lines(answer),
            f"   source: {citation_text(c.file, c.line, c.start, c.end)} · {one_line(c.title)}",
            f"   {confidence_label(answer.confidence)}",
            "   passage:",
            *(f"   | {row.strip()}".rstrip() for row in printable(unwrapped(answer.passage.text)).split("\n")),
        ]
    else:
        lines.append(f"A: {one_line(answer.reason or REFUSAL)}")
        if answer.passages:
            lines.append("   closest passages:")
        for scored in answer.passages:
            p = scored.passage
            lines.append(f"   - {citation_text(scored.file, p.line, p.start, p.end)}: {preview(p.text, 100)}")
    return "\n".join(lines) + "\n"
