"""How an answer is written out: JSON for scripts, plain text for people."""

from __future__ import annotations

from qabot.answering import Answer

REFUSAL = "The article doesn't say."


def answer_json(answer: Answer) -> dict:
    """The JSON contract of `qabot ask --json` (one object per question)."""
    source = None
    if answer.citation:
        c = answer.citation
        source = {"file": c.file, "title": c.title, "line": c.line, "start": c.start, "end": c.end}
    return {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "confidence": round(answer.confidence, 4),
        **({"reason": answer.reason, "not_mentioned": list(answer.missing)} if answer.abstained else {}),
        "source": source,
        "passages": [
            {"text": p.passage.text, "score": round(p.score, 4), "file": p.file,
             "line": p.passage.line, "start": p.passage.start, "end": p.passage.end}
            for p in answer.passages
        ],
    }


def citation_text(file: str, line: int, start: int, end: int) -> str:
    return f"{file}:{line} (characters {start}-{end})"


def answer_text(answer: Answer) -> str:
    """A readable answer: sentence, citation, passage and confidence."""
    lines = [f"Q: {answer.question}"]
    if answer.citation:
        c = answer.citation
        lines += [
            f"A: {answer.text}",
            f"   source: {citation_text(c.file, c.line, c.start, c.end)} · {c.title}",
            f"   confidence: {answer.confidence:.2f}",
            "   passage:",
            *(f"   | {row}" for row in answer.passage.text.splitlines()),
        ]
    else:
        lines.append(f"A: {answer.reason or REFUSAL} (confidence {answer.confidence:.2f})")
        if answer.passages:
            lines.append("   closest passages:")
        for scored in answer.passages:
            p = scored.passage
            lines.append(f"   - {citation_text(scored.file, p.line, p.start, p.end)}: {_preview(p.text)}")
    return "\n".join(lines) + "\n"


def _preview(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
