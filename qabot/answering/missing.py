"""Key terms of a question that no article mentions.

A name, a place, an organisation (a capitalised word that does not open the
question) or a number of three digits or more that appears nowhere in the
articles, after case folding and stemming (so plurals and possessives still
match), means the articles cannot answer: "The article doesn't mention
Bahrain." People write names loosely, so a word also counts as mentioned
when the articles hold:

- another name of the same thing (``aliases.json``: "American" for "U.S.",
  "Tehran" for "Iran");
- the name it is an adjective of ("Asian" for "Asia", "Iraqi" for "Iraq");
- a spelling one letter away (two for long words: "Ghengis" for "Genghis"),
  accents aside ("Gospic" for "Gospić");
- a number with or without a plural "s" ("1970" for "1970s").

Short abbreviations (three capitals or fewer) and small numbers are not
looked for: articles spell them out too often ("TV", "8" for "eight"). A
name of several words counts as missing when most of its words are.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cached_property, lru_cache
from pathlib import Path

from qabot.index.lexical import stopwords, terms
from qabot.index.loaded import Index

ALIASES_FILE = Path(__file__).with_name("aliases.json")
# A word as written: letters or digits, with inner apostrophes, dots or hyphens.
_WORD = re.compile(r"[^\W_][\w'’.-]*")


_NUMBER = re.compile(r"\d{3,}(s|st|nd|rd|th)?")
_ABBREVIATION = re.compile(r"[A-Z]{1,3}s?")
# Endings that make an adjective or a people-noun of a name (Asia-n, Iraq-i).
_NAME_ENDINGS = ("ian", "ean", "ish", "ese", "an", "n", "i")


def _is_key(word: str, first: bool) -> bool:
    """A number of three digits or more, or a capitalised word that does not
    open the question and is no short abbreviation."""
    if any(ch.isdigit() for ch in word):
        return bool(_NUMBER.fullmatch(word))
    if first or not word[0].isupper() or _ABBREVIATION.fullmatch(word.replace(".", "")):
        return False
    return word.lower().strip(".'’") not in stopwords()


def fold(term: str) -> str:
    """``term`` without accents."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", term) if not unicodedata.combining(ch))


def within_edits(a: str, b: str, most: int) -> bool:
    """True when ``a`` becomes ``b`` with at most ``most`` insertions,
    deletions or substitutions."""
    if abs(len(a) - len(b)) > most:
        return False
    previous = list(range(len(b) + 1))
    for i, ch in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ch != other)))
        if min(current) > most:
            return False
        previous = current
    return previous[-1] <= most


def key_runs(question: str) -> list[list[str]]:
    """The question's key words, adjacent ones grouped ("Mark Esper")."""
    runs: list[list[str]] = []
    previous_end = -2
    for number, match in enumerate(_WORD.finditer(question)):
        word = re.sub(r"['’]s$", "", match.group()).rstrip(".'’-")
        if not word or not _is_key(word, number == 0):
            continue
        gap = question[previous_end:match.start()]
        if runs and gap.strip() == "":
            runs[-1].append(word)
        else:
            runs.append([word])
        previous_end = match.start() + len(word)
    return runs


def name_terms(name: str) -> tuple[str, ...]:
    """The terms of a name, its dots dropped ("U.S." matches "US")."""
    return tuple(terms(name.replace(".", "")))


@lru_cache(maxsize=1)
def alias_groups() -> tuple[dict[tuple[str, ...], int], list[list[tuple[str, ...]]]]:
    """Each name's group number, and each group's names (as terms)."""
    groups = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))["groups"]
    as_terms = [[name_terms(name) for name in group if name_terms(name)] for group in groups]
    number_of = {}
    for number, group in enumerate(as_terms):
        for name in group:
            number_of.setdefault(name, number)
    return number_of, as_terms


def writings(name: str) -> list[tuple[str, ...]]:
    """The terms of ``name`` and of every other name of the same thing."""
    own = name_terms(name)
    number_of, groups = alias_groups()
    group = number_of.get(own)
    return [own] + ([other for other in groups[group] if other != own] if group is not None else [])


class MissingTerms:
    """Finds the key terms of a question that the index never mentions."""

    def __init__(self, index: Index) -> None:
        self.index = index

    @cached_property
    def _title_terms(self) -> frozenset[str]:
        return frozenset(t for title in self.index.file_titles.values() for t in terms(title))

    def _in_articles(self, term: str) -> bool:
        if term in self._title_terms:
            return True
        return self.index.sentence_bm25.document_frequencies([term])[term] > 0

    @cached_property
    def _by_initial(self) -> dict[str, list[str]]:
        """The index's terms, accents folded, by first letter (for near spellings)."""
        table: dict[str, set[str]] = {}
        for counts, _ in self.index.sentence_bm25.parts:
            for term in counts.vocabulary:
                folded = fold(term)
                table.setdefault(folded[:1], set()).add(term)
        return {initial: sorted(found) for initial, found in table.items()}

    def _spelt_nearly(self, term: str) -> bool:
        if len(term) < 5 or term.isdigit():
            return False
        most = 1 if len(term) < 8 else 2
        folded = fold(term)
        return any(within_edits(folded, fold(other), most) and self._in_articles(other)
                   for other in self._by_initial.get(folded[:1], ()))

    def _mentioned(self, term: str) -> bool:
        """``term`` or a loose writing of it is in the articles."""
        if self._in_articles(term):
            return True
        if term[:1].isdigit():
            return self._in_articles(term + "s") or (term.endswith("s") and self._in_articles(term[:-1]))
        for ending in _NAME_ENDINGS:
            base = term[:-len(ending)]
            if term.endswith(ending) and len(base) >= 3 and any(
                    self._in_articles(base + tail) for tail in ("", "a", "e")):
                return True
        return self._spelt_nearly(term)

    def _name_mentioned(self, name: tuple[str, ...]) -> bool:
        """All of the name's terms are mentioned, or all of another name's for the same thing."""
        if all(self._mentioned(t) for t in name):
            return True
        number_of, groups = alias_groups()
        group = number_of.get(name)
        return group is not None and any(
            other != name and all(self._mentioned(t) for t in other) for other in groups[group])

    def _run_mentioned(self, run: list[str]) -> bool:
        """The whole name is mentioned, or at least half of its words are."""
        if self._name_mentioned(name_terms(" ".join(run))):
            return True
        found = [self._name_mentioned(name_terms(word)) for word in run if name_terms(word)]
        return 2 * sum(found) >= len(found)

    def of(self, question: str) -> list[str]:
        """Key terms (as written in the question) that no article mentions."""
        missing = [" ".join(run) for run in key_runs(question) if not self._run_mentioned(run)]
        return list(dict.fromkeys(missing))
