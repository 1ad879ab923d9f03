"""Question sets: the project's JSON Lines and SQuAD v1.1 / v2.0 JSON.

A SQuAD article becomes one document: its title line, then its paragraphs
joined with blank lines, answered against an index of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qabot.errors import QabotError

FORMATS = ("jsonl", "squad")


class EvalFileError(QabotError):
    """The question file cannot be read or is not in a known format."""


@dataclass(frozen=True)
class Case:
    """One question (or conversation) with its gold answers."""

    id: str
    turns: tuple[str, ...]  # a plain question is a one-turn conversation
    answers: tuple[str, ...]
    answerable: bool
    document: str | None = None  # SQuAD article id; None: the seeds folder

    @property
    def question(self) -> str:
        return self.turns[-1]


@dataclass
class QuestionSet:
    format: str
    cases: list[Case]
    documents: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (file name, text)


def detect_format(path: Path, text: str) -> str:
    if path.suffix == ".jsonl":
        return "jsonl"
    start = text.lstrip()[:1]
    if start == "{":
        try:
            data = json.loads(text)
            if isinstance(data, dict) and "data" in data:
                return "squad"
        except ValueError:
            pass
    return "jsonl"


def load_question_set(path: Path, format: str | None = None) -> QuestionSet:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EvalFileError(f"{path}: cannot be read ({error})") from None
    chosen = format or detect_format(path, text)
    if chosen == "squad":
        return _squad(path, text)
    return _jsonl(path, text)


def _jsonl(path: Path, text: str) -> QuestionSet:
    cases = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cases.append(_jsonl_case(row, f"{path.stem}-{number}"))
        except (ValueError, TypeError, KeyError) as error:
            raise EvalFileError(f"{path}:{number}: not a question line ({error})") from None
    if not cases:
        raise EvalFileError(f"{path}: holds no questions")
    return QuestionSet("jsonl", cases)


def _jsonl_case(row: dict, default_id: str) -> Case:
    turns = tuple(row["turns"]) if "turns" in row else (row["question"],)
    if not turns or not all(isinstance(t, str) and t.strip() for t in turns):
        raise ValueError("empty question")
    answers = tuple(str(a) for a in row.get("answers", ()))
    answerable = bool(row.get("answerable", bool(answers)))
    if answerable and not answers:
        raise ValueError("an answerable question needs answers")
    return Case(str(row.get("id", default_id)), turns, answers, answerable)


def _squad(path: Path, text: str) -> QuestionSet:
    try:
        articles = json.loads(text)["data"]
    except (ValueError, KeyError, TypeError):
        raise EvalFileError(f"{path}: not SQuAD JSON (no 'data' list)") from None
    cases, documents = [], {}
    for number, article in enumerate(articles):
        title = str(article.get("title", f"article {number}")).replace("_", " ")
        doc_id = f"{number:03d}"
        paragraphs = [p["context"].strip() for p in article["paragraphs"]]
        documents[doc_id] = (f"{doc_id}.txt", title + "\n\n" + "\n\n".join(paragraphs) + "\n")
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                impossible = bool(qa.get("is_impossible", False))
                answers = tuple(dict.fromkeys(a["text"] for a in qa.get("answers", [])))
                cases.append(Case(str(qa["id"]), (qa["question"],), answers, not impossible, doc_id))
    return QuestionSet("squad", cases, documents)
