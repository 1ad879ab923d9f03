"""Question sets: the project's JSON Lines and SQuAD v1.1 / v2.0 JSON.

A SQuAD article becomes one document: its title line, then its paragraphs
joined with blank lines, answered against an index of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qabot.answering import clean_question
from qabot.errors import BadQuestionError, QabotError

FORMATS = ("jsonl", "squad")
UNANSWERABLE_KINDS = ("foreign", "near-miss")
# The keys a question line may have; any other is a typo to report.
JSONL_KEYS = ("id", "question", "turns", "answers", "answerable", "kind")


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
    # What kind of unanswerable question: "foreign" (about another
    # article) or "near-miss" (close to the article); None when not said.
    kind: str | None = None

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
        except (ValueError, TypeError, KeyError, BadQuestionError) as error:
            raise EvalFileError(f"{path}:{number}: not a question line ({error})") from None
    if not cases:
        raise EvalFileError(f"{path}: holds no questions")
    return QuestionSet("jsonl", cases)


def _jsonl_case(row: dict, default_id: str) -> Case:
    if not isinstance(row, dict):
        raise ValueError("expected a JSON object")
    unknown = [key for key in row if key not in JSONL_KEYS]
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}; a question line has {', '.join(JSONL_KEYS)}")
    if ("turns" in row) == ("question" in row):
        raise ValueError("give either 'question' or 'turns'")
    turns = tuple(row["turns"]) if "turns" in row else (row["question"],)
    if not turns or not all(isinstance(t, str) and t.strip() for t in turns):
        raise ValueError("empty question")
    raw_answers = row.get("answers", [])
    if not isinstance(raw_answers, list):
        raise ValueError("answers must be a list")
    for turn in turns:
        clean_question(turn)  # a question of punctuation only is refused here, with its line
    answers = tuple(str(a) for a in raw_answers)
    if "answers" in row and not answers:
        raise ValueError("'answers' is empty: list the gold answers, or mark the question \"answerable\": false")
    if "answerable" in row and not isinstance(row["answerable"], bool):
        raise ValueError("'answerable' must be true or false")
    answerable = row.get("answerable", bool(answers))
    if answerable and not answers:
        raise ValueError("an answerable question needs answers")
    kind = row.get("kind")
    if kind is not None and (answerable or kind not in UNANSWERABLE_KINDS):
        raise ValueError(f"kind must be one of {', '.join(UNANSWERABLE_KINDS)}, on an unanswerable question")
    return Case(str(row.get("id", default_id)), turns, answers, answerable, kind=kind)


def _squad(path: Path, text: str) -> QuestionSet:
    try:
        data = json.loads(text)
    except ValueError:
        raise EvalFileError(f"{path}: not SQuAD JSON (not valid JSON)") from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise EvalFileError(f"{path}: not SQuAD JSON (no 'data' list)")
    cases, documents = [], {}
    for number, article in enumerate(data["data"]):
        try:
            _squad_article(article, number, cases, documents)
        except (TypeError, KeyError, ValueError) as error:
            raise EvalFileError(f"{path}: article {number} is not SQuAD ({error})") from None
    if not cases:
        raise EvalFileError(f"{path}: holds no questions")
    return QuestionSet("squad", cases, documents)


def _field(row, key: str, kind, default=None):
    """``row[key]``, checked to be of type ``kind`` (a type or tuple of types).

    A missing key gives ``default``, or KeyError when there is none.
    """
    if not isinstance(row, dict):
        raise TypeError(f"expected an object, got {type(row).__name__}")
    if key not in row and default is not None:
        return default
    if key not in row:
        raise KeyError(f"no {key!r}")
    value = row[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise TypeError(f"{key!r} has the wrong type ({type(value).__name__})")
    return value


def _squad_article(article, number: int, cases: list[Case], documents: dict) -> None:
    """Add one SQuAD article's document and questions to ``cases`` and ``documents``."""
    title = str(_field(article, "title", (str, int, float), f"article {number}")).replace("_", " ")
    doc_id = f"{number:03d}"
    paragraphs = _field(article, "paragraphs", list)
    contexts = [_field(p, "context", str).strip() for p in paragraphs]
    documents[doc_id] = (f"{doc_id}.txt", title + "\n\n" + "\n\n".join(contexts) + "\n")
    for paragraph in paragraphs:
        for qa in _field(paragraph, "qas", list):
            question_id = _field(qa, "id", (str, int))
            question = _field(qa, "question", str)
            impossible = _field(qa, "is_impossible", bool, False)
            texts = [_field(a, "text", str) for a in _field(qa, "answers", list, [])]
            kind = next((k for k in UNANSWERABLE_KINDS if str(question_id).endswith(f"-{k}")), None)
            cases.append(Case(str(question_id), (question,), tuple(dict.fromkeys(texts)), not impossible, doc_id,
                              kind if impossible else None))
