"""The window the reader reads: a candidate sentence with the sentence before
it and the one after it in its passage, as far as they fit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

# Tokens of article text a window may hold (the question and the model's
# markers take the rest of the reader's input; see tokens.MAX_TOKENS).
TEXT_TOKENS = 133
SEPARATOR = " "


@dataclass(frozen=True)
class Piece:
    """One sentence inside a window: where its text starts in the window,
    and where it is in the article."""

    sentence: int  # the sentence's id
    at: int  # its first character in the window's text
    start: int  # its first character in the article
    end: int


@dataclass(frozen=True)
class Window:
    """Sentences of one passage, joined by a space; ``center`` is the place
    (in ``pieces``) of the candidate sentence."""

    text: str
    pieces: tuple[Piece, ...]
    center: int

    @property
    def center_range(self) -> tuple[int, int]:
        piece = self.pieces[self.center]
        return piece.at, piece.at + (piece.end - piece.start)

    def in_article(self, at: int) -> int:
        """The article offset of window character ``at`` (a character between
        two sentences maps to the end of the first)."""
        for piece in reversed(self.pieces):
            if at >= piece.at:
                return min(piece.start + (at - piece.at), piece.end)
        return self.pieces[0].start

    def in_window(self, start: int) -> int | None:
        """The window offset of article offset ``start``, or None when no
        sentence of the window holds it."""
        for piece in self.pieces:
            if piece.start <= start <= piece.end:
                return piece.at + (start - piece.start)
        return None


def window_around(center: int, sentences, previous: int, following: int,
                  count_tokens: Callable[[str], int], budget: int = TEXT_TOKENS) -> Window:
    """The window of sentence ``center``: its neighbours ``previous`` and
    ``following`` (equal to ``center`` when it has none in its passage) join
    it while the tokens fit in ``budget``, the one before first.

    ``sentences[i]`` has the sentence's ``text`` and its ``start`` and
    ``end`` in the article."""
    chosen = [center]
    used = count_tokens(sentences[center].text)
    for neighbour in (previous, following):
        if neighbour != center:
            cost = count_tokens(sentences[neighbour].text)
            if used + cost <= budget:
                chosen.append(neighbour)
                used += cost
    chosen.sort()
    pieces, parts, at = [], [], 0
    for i in chosen:
        sentence = sentences[i]
        pieces.append(Piece(i, at, sentence.start, sentence.end))
        parts.append(sentence.text)
        at += len(sentence.text) + len(SEPARATOR)
    return Window(SEPARATOR.join(parts), tuple(pieces), chosen.index(center))
