"""A deterministic, news-like corpus for the large-corpus benchmark (bench/scale.py).

Run: .venv/bin/python bench/synthetic.py [--articles N] [--out DIR]

writes N articles into DIR and prints what qabot's chunker makes of them
(passages and sentences per article, passage lengths, share of words kept).

Sentences come from templates filled with words drawn with Zipf-like
frequencies (a few words are common, most are rare), generated names of
people, places and organisations, numbers and dates. Each article has a
topic and a cast of names that recur through it, as news does, besides names
drawn at random, so BM25 and dense search see a realistic spread. Every
article is a pure function of (seed, its number): any article, and the
questions about it, can be made again without reading the files.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from dataclasses import asdict, dataclass
from itertools import accumulate
from pathlib import Path

import numpy as np

from qabot.articles.chunking import chunk_article
from qabot.embedding.embedder import BundledModel
from qabot.index.lexical import words

DEFAULT_ARTICLES = 3000
# Paragraphs per article and sentences per paragraph; with these, qabot's
# chunker makes about 33 passages per article (100,000 for 3,000 articles).
PARAGRAPHS = (35, 41)
SENTENCES = (2, 4)


class Words:
    """A word list drawn from with Zipf-like frequencies: the k-th word is
    about k times rarer than the first."""

    def __init__(self, text: str, separator: str | None = None) -> None:
        self.words = [w.strip() for w in text.split(separator) if w.strip()]
        self.cumulative = list(accumulate(1 / rank for rank in range(1, len(self.words) + 1)))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.words, cum_weights=self.cumulative)[0]


FIRST_NAMES = Words("""Amina Daniel Elena Farid Grace Hiro Ines Jonas Kofi Lena Mateo Nadia Omar Priya Rosa
    Samir Tara Vera Wen Yara Zoltan Aisha Bruno Chloe Diego Esther Felix Greta Hassan Ingrid Jamal Keiko
    Luis Maya Nikolai Olga Pablo Rania Sofia Tomas Ulla Victor Wanda Yusuf Zara Anders Beatriz Cyrus""")
SURNAMES = Words("""Okafor Lindqvist Moreau Haddad Tanaka Novak Mendes Kowalski Osei Brennan Duarte
    Petrov Nakamura Castillo Achebe Larsen Rossi Varga Mbeki Sorensen Quintero Halvorsen Iqbal Fontaine
    Adeyemi Kaur Whitfield Marchetti Ivanova Oduya Sandoval Bergstrom Farouk Delgado Nyberg Chandra Abara
    Vasquez Holm Ferreira Kimura Ashworth Balogun Lund Serrano Takahashi Mwangi Calloway""")
PLACE_STEMS = Words("""Ash Mill Stone Oak Red Clear Black Fair North West Hazel Elm Marsh Iron Silver
    Kings Glen Rye Thorn Wood Bright Salt Lake Hart""")
PLACE_ENDINGS = Words("ford brook haven field bury ton wick dale port mouth ridge stead")
ORG_KINDS = Words("""Water Authority|Transit Agency|City Council|Health Trust|Chamber of Commerce|
    Housing Board|Energy Cooperative|School District|Port Authority|Farmers Union|Planning Commission|
    Hospital Group|Teachers Association|Workers Union|Development Bank|Fire Service""", "|")
COMPANY_KINDS = Words("Holdings|Logistics|Energy|Construction|Partners|Foods|Shipping|Analytics|Steel", "|")
ROLES = Words("""spokesperson|director|chief executive|chair|chief engineer|treasurer|legal adviser|
    head of planning|deputy director|press officer|senior analyst|board member""", "|")
TOPICS = [Words(nouns, "|") for nouns in (
    "bus line|rail link|bridge|tunnel|ferry route|bike lane|depot|timetable|fare increase|station|tram line",
    "clinic|vaccine program|hospital wing|screening campaign|ambulance contract|care home|health center",
    "wind farm|power plant|solar project|grid upgrade|pipeline|battery plant|heat pump program|substation",
    "housing project|rent cap|apartment tower|zoning plan|eviction rule|shelter|building code|land sale",
    "school budget|university campus|exam reform|teacher contract|library|scholarship fund|school meal plan",
    "factory|port expansion|trade deal|tax cut|wage agreement|warehouse|market hall|export license",
    "flood barrier|drought plan|reservoir|tree planting scheme|water treatment plant|sea wall|recycling plant",
    "budget|ballot measure|reform bill|council vote|ethics inquiry|spending review|election law|audit",
)]
ADJECTIVES = Words("""new proposed controversial local regional costly long-delayed ambitious revised
    temporary emergency public private national rural urban modest disputed experimental planned
    expanded unpopular historic aging overdue second cheaper smaller larger joint""")
VERBS = [pair.split("/") for pair in """approve/approved delay/delayed expand/expanded review/reviewed
    fund/funded block/blocked cancel/canceled defend/defended launch/launched suspend/suspended
    inspect/inspected complete/completed propose/proposed reject/rejected support/supported
    oppose/opposed finance/financed redesign/redesigned relocate/relocated audit/audited""".split()]
VERB_RANKS = Words(" ".join(str(i) for i in range(len(VERBS))))
GROUPS = Words("residents workers families students patients commuters farmers voters drivers teachers "
               "shop owners tenants nurses retirees fishermen")
RESOURCES = Words("power|water|heating|transport|internet access|clean water|school places|medical care", "|")
MONTHS = Words("March June September January October April November May February July August December")
WEEKDAYS = Words("Tuesday Monday Wednesday Thursday Friday Saturday Sunday")
COMPASS = Words("northern southern eastern western central coastal")
LANDMARKS = ("{last} Square", "the {last} Memorial", "City Hall", "the central market", "the {last} Bridge",
             "the main railway station", "the harbor front", "the old cathedral", "the {last} Stadium")
TAILS = ("according to local media", "despite strong objections from {org2}", "earlier this year",
         "in a statement released on {weekday2}", "after weeks of negotiations", "citing rising costs",
         "without giving further details", "in an interview with a local newspaper")

# (sentence, question about it or None); slots are filled by Slots below.
TEMPLATES = (
    ("{person}, the {role} of {org}, said on {date} that the {adj} {noun} in {place} would be {verbed} "
     "by {month}.", "What did {person} say would be {verbed} by {month}?"),
    ("{org} {verbed} {number} new {nouns} in {place} on {date}, the largest such move in {count} years.",
     "How many new {nouns} did {org} {verb} in {place}?"),
    ("In {place}, {person} {verbed} the {adj} {noun} after {count} months of talks with {org}.",
     "Who {verbed} the {adj} {noun} in {place}?"),
    ("Officials in {place} estimated that {number} {group} were affected by the {adj} {noun} last {weekday}.",
     "How many {group} were affected by the {adj} {noun} in {place}?"),
    ("The {adj} {noun} was first {verbed} by {org} in {year}, according to records seen by reporters.",
     "When was the {adj} {noun} first {verbed} by {org}?"),
    ('"We will {verb} the {noun} before {month}," {person} told a crowd of {group} in {place} on {weekday}.',
     "Who promised to {verb} the {noun} before {month}?"),
    ("The {noun} is expected to cost about {money} and to serve {number} {group} across {region}.",
     "How much is the {noun} in {region} expected to cost?"),
    ("{org} reported a {percent} percent rise in {adj} {nouns} in {place} during {month}.",
     "Which organization reported a rise in {adj} {nouns} in {place}?"),
    ("Residents gathered near {landmark} in {place} on {weekday} to protest against the {adj} {noun}.",
     "Where did residents of {place} protest against the {adj} {noun}?"),
    ("By {month} {year}, more than {number} {nouns} had been {verbed} across {region}, {person} said.",
     "How many {nouns} had been {verbed} across {region} by {month} {year}?"),
    ("{person} of {org} warned that the {noun} could leave {number} {group} without {resource} for weeks.",
     "Who warned that the {noun} could leave {group} without {resource}?"),
    ("Critics, including {person}, argue that the {adj} {noun} favors {group} in {place} over {group2} "
     "elsewhere.", "Who argues that the {adj} {noun} favors {group} in {place}?"),
    ("The {noun} in {place} will reopen on {date} after repairs costing {money}, {org} confirmed.",
     "When will the {noun} in {place} reopen?"),
    ("{org} has not yet responded to requests for comment on the {adj} {noun}.", None),
    ("The decision follows the {adj} {noun} in {place2} that {person} described as a turning point for "
     "{region}.", "What did {person} describe as a turning point for {region}?"),
    ("Why the {noun} was {verbed} so late remains unclear to many {group} in {place}.", None),
    ("{person} declined to say when the {noun} in {place} would be {verbed}.",
     "Who declined to say when the {noun} in {place} would be {verbed}?"),
)


@dataclass(frozen=True)
class Cast:
    """The names an article keeps coming back to."""

    topic: Words
    people: tuple[str, ...]
    places: tuple[str, ...]
    orgs: tuple[str, ...]


def person(rng: random.Random) -> str:
    return f"{FIRST_NAMES.draw(rng)} {SURNAMES.draw(rng)}"


def place(rng: random.Random) -> str:
    return PLACE_STEMS.draw(rng) + PLACE_ENDINGS.draw(rng)


def organization(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"the {place(rng)} {ORG_KINDS.draw(rng)}"
    return f"{SURNAMES.draw(rng)} {COMPANY_KINDS.draw(rng)}"


def new_cast(rng: random.Random) -> Cast:
    return Cast(rng.choice(TOPICS), tuple(person(rng) for _ in range(3)), (place(rng), place(rng)),
                (organization(rng), organization(rng)))


def number(rng: random.Random) -> str:
    return f"{int(10 ** rng.uniform(1.2, 5.5)):,}"


def money(rng: random.Random) -> str:
    return rng.choice((f"${rng.randint(2, 900)} million", f"${rng.randint(1, 9)}.{rng.randint(1, 9)} billion",
                       f"{rng.randint(20, 950):,},000 euros"))


class Slots(dict):
    """Values for a template's slots, drawn when first asked for, so a
    question reuses the values of its sentence."""

    def __init__(self, rng: random.Random, cast: Cast) -> None:
        super().__init__()
        self.rng, self.cast = rng, cast

    def recurring(self, own: tuple[str, ...], fresh) -> str:
        """One of the article's own names, or (less often) a new one."""
        return self.rng.choice(own) if self.rng.random() < 0.6 else fresh(self.rng)

    def __missing__(self, key: str) -> str:
        if key in ("verb", "verbed"):
            self["verb"], self["verbed"] = VERBS[int(VERB_RANKS.draw(self.rng))]
        else:
            self[key] = DRAWS[key](self, self.rng)
        return self[key]


DRAWS = {
    "person": lambda slots, rng: slots.recurring(slots.cast.people, person),
    "place": lambda slots, rng: slots.recurring(slots.cast.places, place),
    "place2": lambda slots, rng: place(rng),
    "org": lambda slots, rng: slots.recurring(slots.cast.orgs, organization),
    "org2": lambda slots, rng: organization(rng),
    "role": lambda slots, rng: ROLES.draw(rng),
    "noun": lambda slots, rng: slots.cast.topic.draw(rng),
    "nouns": lambda slots, rng: plural(slots.cast.topic.draw(rng)),
    "adj": lambda slots, rng: ADJECTIVES.draw(rng),
    "group": lambda slots, rng: GROUPS.draw(rng),
    "group2": lambda slots, rng: GROUPS.draw(rng),
    "resource": lambda slots, rng: RESOURCES.draw(rng),
    "number": lambda slots, rng: number(rng),
    "count": lambda slots, rng: str(rng.randint(2, 30)),
    "percent": lambda slots, rng: str(rng.randint(3, 60)),
    "money": lambda slots, rng: money(rng),
    "month": lambda slots, rng: MONTHS.draw(rng),
    "weekday": lambda slots, rng: WEEKDAYS.draw(rng),
    "weekday2": lambda slots, rng: WEEKDAYS.draw(rng),
    "year": lambda slots, rng: str(rng.randint(1995, 2024)),
    "date": lambda slots, rng: f"{MONTHS.draw(rng)} {rng.randint(1, 28)}",
    "region": lambda slots, rng: rng.choice((f"the {COMPASS.draw(rng)} districts", f"{place(rng)} province")),
    "landmark": lambda slots, rng: rng.choice(LANDMARKS).format(last=SURNAMES.draw(rng)),
}


def plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")


def capitalized(sentence: str) -> str:
    return sentence[0].upper() + sentence[1:]


def fact(rng: random.Random, cast: Cast) -> tuple[str, str | None]:
    """One sentence (12-25 words or so) and a question it answers, if any."""
    sentence, question = rng.choice(TEMPLATES)
    slots = Slots(rng, cast)
    text = sentence.format_map(slots)
    if len(text.split()) < 19 and rng.random() < 0.6:
        text = f"{text[:-1]}, {rng.choice(TAILS).format_map(slots)}."
    return capitalized(text), capitalized(question.format_map(slots)) if question else None


def paragraph(rng: random.Random, cast: Cast) -> list[tuple[str, str | None]]:
    return [fact(rng, cast) for _ in range(rng.randint(*SENTENCES))]


def title(rng: random.Random, cast: Cast) -> str:
    verb = VERBS[int(VERB_RANKS.draw(rng))][1]
    org = cast.orgs[0].removeprefix("the ")
    words = f"{org} {verb} {ADJECTIVES.draw(rng)} {cast.topic.draw(rng)} in {cast.places[0]}".split()
    return " ".join(w if w in ("in", "of") else w[0].upper() + w[1:] for w in words)


def article_rng(number: int, seed: int) -> random.Random:
    return random.Random(f"qabot-synthetic:{seed}:{number}")


def article(number: int, seed: int = 0) -> tuple[str, list[list[tuple[str, str | None]]]]:
    """Title and paragraphs of article ``number``: lists of (sentence, question)."""
    rng = article_rng(number, seed)
    cast = new_cast(rng)
    return title(rng, cast), [paragraph(rng, cast) for _ in range(rng.randint(*PARAGRAPHS))]


def article_text(title_line: str, paragraphs: list[list[tuple[str, str | None]]]) -> str:
    return "\n\n".join([title_line] + [" ".join(s for s, _ in p) for p in paragraphs]) + "\n"


def article_name(number: int) -> str:
    return f"article-{number:05d}.txt"


@dataclass(frozen=True)
class CorpusStats:
    articles: int
    paragraphs: int
    sentences: int
    words: int
    megabytes: float
    written: int  # files created or changed (the others already held this text)
    removed: int  # article files beyond ``articles`` deleted
    seconds: float

    def to_json(self) -> dict:
        return asdict(self)


def write_corpus(folder: Path, articles: int = DEFAULT_ARTICLES, seed: int = 0) -> CorpusStats:
    """Write articles ``article-00000.txt`` ... into ``folder``.

    Files that already hold their text are left alone, and other
    ``article-*.txt`` files are removed, so the folder ends up holding
    exactly this corpus.
    """
    began = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = sentences = words = size = written = 0
    for number in range(articles):
        title_line, body = article(number, seed)
        text = article_text(title_line, body)
        data = text.encode("utf-8")
        path = folder / article_name(number)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            written += 1
        paragraphs += len(body)
        sentences += sum(len(p) for p in body)
        words += len(text.split())
        size += len(data)
    wanted = {article_name(number) for number in range(articles)}
    extra = [p for p in folder.glob("article-*.txt") if p.name not in wanted]
    for path in extra:
        path.unlink()
    return CorpusStats(articles, paragraphs, sentences, words, round(size / 1e6, 2), written, len(extra),
                       round(time.perf_counter() - began, 2))


def questions(rng: random.Random, n: int, articles: int = DEFAULT_ARTICLES, seed: int = 0) -> list[str]:
    """``n`` questions, each about one sentence of a random article of the
    corpus ``write_corpus(folder, articles, seed)`` writes."""
    asked = []
    while len(asked) < n:
        _, body = article(rng.randrange(articles), seed)
        answerable = [q for p in body for _, q in p if q]
        asked.append(rng.choice(answerable))
    return asked


def modify_article(path: Path, rng: random.Random) -> int:
    """Rewrite one paragraph of the article at ``path`` with new sentences;
    returns the paragraph's number (1 is the first after the title)."""
    blocks = path.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    changed = rng.randrange(1, len(blocks))
    blocks[changed] = " ".join(s for s, _ in paragraph(rng, new_cast(rng)))
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return changed


def measure(folder: Path, limit: int = 200) -> dict:
    """What qabot's chunker makes of up to ``limit`` articles in ``folder``."""
    passages, sentences, sizes, kept, total = [], [], [], 0, 0
    for path in sorted(folder.glob("article-*.txt"))[:limit]:
        text = path.read_text(encoding="utf-8")
        chunked = chunk_article(text)
        passages.append(len(chunked.passages))
        sentences.append(sum(len(p.sentences) for p in chunked.passages))
        lengths = [len(p.text.split()) for p in chunked.passages]
        sizes += lengths
        kept += sum(lengths)
        total += len(text.split()) - len(chunked.title.split())
    return {
        "articles": len(passages),
        "passages_per_article": round(statistics.mean(passages), 2),
        "sentences_per_article": round(statistics.mean(sentences), 2),
        "passage_words": {"min": min(sizes), "median": statistics.median(sizes), "max": max(sizes)},
        "passages_under_40_words": round(sum(s < 40 for s in sizes) / len(sizes), 4),
        "words_kept": round(kept / total, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200, help="articles to write (default 200)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write them into")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    stats = write_corpus(args.out, args.articles, args.seed)
    print(stats.to_json())
    measured = measure(args.out, args.articles)
    print(measured)
    print(f"at {DEFAULT_ARTICLES:,} articles: about "
          f"{measured['passages_per_article'] * DEFAULT_ARTICLES:,.0f} passages")


if __name__ == "__main__":
    main()


class StandInVectors:
    """Vectors made from the model's vectors of words, in place of the
    model's vectors of whole texts (see --vectors).

    Each distinct word is embedded by the model once; a text's vector is the
    normalised sum of its words' vectors. Like the model's own mean pooling,
    texts on one topic cluster together, so approximate search meets the
    kind of data it will meet for real, at a small part of the cost. The
    model still encodes every small call, so that its time is counted.
    """

    name = "bench-stand-in-word-vectors"
    model_calls_up_to = 64

    def __init__(self, model: BundledModel) -> None:
        self.model = model
        self.dimension = model.dimension
        self.word_rows: dict[str, int] = {}
        self.word_vectors = np.zeros((0, model.dimension), dtype=np.float32)

    def _rows(self, tokens: list[str]) -> list[int]:
        return [self.word_rows.setdefault(token, len(self.word_rows)) for token in tokens]

    def encode(self, texts, progress=None):
        from scipy.sparse import csr_matrix

        texts = list(texts)
        if len(texts) <= self.model_calls_up_to:
            self.model.encode(texts)
        known = len(self.word_rows)
        rows = [self._rows(words(text) or ["."]) for text in texts]
        if len(self.word_rows) > known:
            fresh = list(self.word_rows)[known:]
            self.word_vectors = np.vstack([self.word_vectors, self.model.encode(fresh)])
        counts = csr_matrix((np.ones(sum(map(len, rows)), dtype=np.float32),
                             np.concatenate([np.asarray(r, dtype=np.int64) for r in rows]) if rows else [],
                             np.r_[0, np.cumsum([len(r) for r in rows])]),
                            shape=(len(texts), len(self.word_rows)))
        vectors = np.asarray(counts @ self.word_vectors, dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        if progress and texts:
            progress(len(texts))
        return vectors
