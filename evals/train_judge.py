"""Train the judge (qabot/answering/judge.json): does the chosen sentence
answer the question? And fit how much the reader's finding weighs in
choosing it (the "reader" entry of qabot/answering/weights.json).

Run, after evals/reader_data.py (see evals/reader-card.md):
    .venv/bin/python evals/train_judge.py --readings evals/reader-readings.json.gz

``evals/reader-readings.json.gz`` holds the held-out readings of the shipped
reader's four fold models (written by evals/train_reader.py).

Data recipe (all from the SQuAD half-A files):

- ``squad-v2-style-half-a-foreign.json``: 24 articles, their answerable
  questions and 20 questions each taken from another article ("foreign");
- ``squad-v2.0-dev-half-a.json``: 17 of those articles with SQuAD v2.0's
  unanswerable questions, written to look answerable ("adversarial");
- near-misses made by rule (:func:`near_misses`): an answerable question
  with one key name or number replaced by one from another paragraph of the
  same article ("paragraph") or from another article ("article"); the
  replacement never occurs in the question's own paragraph.

Each question is asked twice: of its whole article (hundreds of sentences,
like an archive) and of a document of six consecutive paragraphs holding
its paragraph (about 30 sentences, the size of a news story), so that the
judge learns how evidence changes with the number of sentences. Every
question is asked as the bot asks it (first stage, ranking, the reader's
readings of the best-ranked sentences, the choice among them; see
``reader_rows.py``); a question whose key term no article mentions is
declined by that rule and is not the judge's to learn. For the others the
judge's features of the chosen sentence are measured, labelled right when
the question is answerable and that sentence holds a gold answer.

Three logistic regressions over the standardised features: the chance that
the best sentence answers (label: right), an off-topic detector (answerable
against foreign) and a near-miss detector (answerable against SQuAD v2.0
unanswerable and rule-made near-misses), cross-validated by article (4
folds: each article is scored by models that never saw it). The chance is
calibrated by isotonic regression on held-out chances of the v2-style
file (mostly answerable questions, as people ask them). The thresholds:
the off-topic detector declines at most --off-topic-declined of held-out
answerable questions alone, then the near-miss one is the highest that keeps
all declines at most --answerable-declined. The figures printed, and written
to the card, are all held-out.
Deterministic; CPU only; about a minute.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import reader_rows  # noqa: E402

from qabot.answering.judge import HASHES_FILE, JUDGE_FEATURES, MODEL_FILE, Judge, Logistic  # noqa: E402
from qabot.answering.missing import (
    MissingTerms,  # noqa: E402
    key_runs,  # noqa: E402
)
from qabot.answering.weights import WEIGHTS_FILE  # noqa: E402
from qabot.bot import Bot  # noqa: E402
from qabot.embedding.embedder import BundledModel  # noqa: E402
from qabot.evaluation.metrics import calibration_error, holds_answer, reliability  # noqa: E402
from qabot.index.lexical import terms  # noqa: E402
from qabot.index.loaded import Index  # noqa: E402

FOLDS = 4
# Paragraphs of a SQuAD article per training document (about 30 sentences,
# the size of a news story).
PARAGRAPHS_PER_DOCUMENT = 6
SEED = 20261128
CARD = ROOT / "evals" / "judge-card.md"
# The chance is calibrated on the questions people ask most: SQuAD's
# answerable ones with a few foreign ones (the v2-style file). On a set with
# more unanswerable questions (the v2.0 file) it reads high.
CALIBRATED_ON = "v2-style"


@dataclass
class Row:
    group: str  # the article's title: folds never split an article
    document: str  # the cache key of the index it was asked of
    source: str  # which file or rule the question came from
    size: str  # "article" (a whole SQuAD article) or "news" (six of its paragraphs)
    kind: str  # answerable, foreign, adversarial, near-miss
    question: str
    declined_by_rule: bool
    features: np.ndarray
    right: bool  # answerable and the best sentence holds a gold answer


def squad_articles(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["data"]


def documents_of(article: dict) -> list[tuple[str, str, str, list[int]]]:
    """The article whole, then cut into news-sized documents: each its size
    label, title, text and paragraphs' numbers."""
    title = str(article["title"]).replace("_", " ")
    contexts = [p["context"].strip() for p in article["paragraphs"]]
    whole = ("article", title, title + "\n\n" + "\n\n".join(contexts) + "\n", list(range(len(contexts))))
    return [whole] + [("news", *document) for document in news_sized(article)]


def news_sized(article: dict) -> list[tuple[str, str, list[int]]]:
    """The article cut into documents of a few consecutive paragraphs, the
    size of a news story (a whole SQuAD article is ten times longer): each
    its title, its text (the title, then the paragraphs) and its paragraphs'
    numbers."""
    title = str(article["title"]).replace("_", " ")
    count = len(article["paragraphs"])
    starts = list(range(0, count, PARAGRAPHS_PER_DOCUMENT))
    if len(starts) > 1 and count - starts[-1] < PARAGRAPHS_PER_DOCUMENT // 2:
        starts.pop()  # a short tail joins the document before it
    documents = []
    for first, end in zip(starts, starts[1:] + [count]):
        contexts = [article["paragraphs"][i]["context"].strip() for i in range(first, end)]
        documents.append((title, title + "\n\n" + "\n\n".join(contexts) + "\n", list(range(first, end))))
    return documents


def _runs_of(text: str) -> list[str]:
    return [" ".join(run) for run in key_runs(text)]


def _is_number(run: str) -> bool:
    return any(ch.isdigit() for ch in run)


def near_misses(articles: list[dict], rng: random.Random, per_article: int = 60) -> list[tuple[int, int, str, str]]:
    """(article number, paragraph number, question, how) made by replacing one
    key term of an answerable question by one from elsewhere that its
    paragraph lacks."""
    pools = []
    for article in articles:
        pools.append([(_runs_of(p["context"]), p["context"]) for p in article["paragraphs"]])
    made = []
    for number, article in enumerate(articles):
        candidates = []
        for p_number, paragraph in enumerate(article["paragraphs"]):
            context_terms = set(terms(paragraph["context"]))
            for qa in paragraph["qas"]:
                if qa.get("is_impossible") or not qa["answers"]:
                    continue
                for run in _runs_of(qa["question"]):
                    candidates.append((p_number, qa["question"], run, context_terms))
        rng.shuffle(candidates)
        for count, (p_number, question, run, context_terms) in enumerate(candidates[:per_article]):
            how = "article" if count % 3 == 2 else "paragraph"
            if how == "paragraph":
                sources = [runs for i, (runs, _) in enumerate(pools[number]) if i != p_number]
            else:
                sources = [runs for i, pool in enumerate(pools) if i != number for runs, _ in pool]
            options = sorted({r for runs in sources for r in runs
                              if _is_number(r) == _is_number(run) and terms(r)
                              and not set(terms(r)) & context_terms})
            if options:
                made.append((number, p_number, question.replace(run, rng.choice(options), 1), how))
    return made


def measure(answerer, question: str, answers, group: str, source: str, kind: str, size: str) -> Row:
    """The judge's features of the best sentence for ``question``, and its label."""
    declined_by_rule = bool(answerer.missing.of(question))
    evidence = answerer.evidence(question)
    ranked, scores = answerer.rank(evidence)
    features = answerer.judge_features(evidence, ranked, scores)
    right = kind == "answerable" and holds_answer(answerer.index.sentences[int(ranked[0])].text, answers)
    document = answerer.seeds.parent.name
    return Row(group, document, source, size, kind, question, declined_by_rule, features, right)


def open_answerer(cache: Path, name: str, text: str, embedder):
    """An answerer over ``text`` alone; its index is kept in ``cache``."""
    key = hashlib.sha256(text.encode()).hexdigest()[:16]
    seeds = cache / key / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    (seeds / f"{name}.txt").write_text(text, encoding="utf-8")
    return Bot.open(seeds, cache / key / "index", embedder, export=False).answerer


@dataclass
class Asked:
    """One question of the data recipe, with the answerer it is asked of."""

    answerer: object
    question: str
    answers: list[str]
    group: str  # the article's title
    source: str
    kind: str
    size: str
    # Where each of ``answers`` starts in the document asked of.
    answer_starts: list[int] = field(default_factory=list)
    id: str = ""


# The files of the judge's recipe: (source, file name).
RECIPE_FILES = (("v2-style", "squad-v2-style-half-a-foreign.json"), ("v2.0", "squad-v2.0-dev-half-a.json"))


def paragraph_offsets(title: str, article: dict, paragraphs: list[int]) -> dict[int, int]:
    """Where each of ``paragraphs`` (stripped) starts in the document
    :func:`documents_of` makes of them."""
    offsets, at = {}, len(title) + 2
    for number in paragraphs:
        offsets[number] = at
        at += len(article["paragraphs"][number]["context"].strip()) + 2
    return offsets


def asked_questions(folder: Path, cache: Path, embedder, rng: random.Random, files=RECIPE_FILES,
                    whole_only: bool = False):
    """Every question of the recipe (see the docstring), in a fixed order:
    per file, article and document, its paragraphs' questions then their
    rule-made near-misses. ``files`` and ``whole_only`` (no news-sized
    documents) serve other recipes."""
    for source, file in files:
        articles = squad_articles(folder / file)
        made = near_misses(articles, rng) if source != "v2.0" else []
        for number, article in enumerate(articles):
            for size, title, text, paragraphs in documents_of(article)[:1 if whole_only else None]:
                answerer = open_answerer(cache, f"{number:03d}", text, embedder)
                offsets = paragraph_offsets(title, article, paragraphs)
                for p_number in paragraphs:
                    context = article["paragraphs"][p_number]["context"]
                    shift = offsets[p_number] - (len(context) - len(context.lstrip()))
                    for qa in article["paragraphs"][p_number]["qas"]:
                        impossible = qa.get("is_impossible", False)
                        kind = ("foreign" if str(qa["id"]).endswith("-foreign") else "adversarial") \
                            if impossible else "answerable"
                        answers = [a["text"] for a in qa["answers"]]
                        starts = [shift + int(a["answer_start"]) for a in qa["answers"]]
                        yield Asked(answerer, qa["question"], answers, title, source, kind, size, starts,
                                    str(qa["id"]))
                    for _, _, question, how in (m for m in made if m[:2] == (number, p_number)):
                        yield Asked(answerer, question, [], title, f"near-miss by {how}", "near-miss", size)
            print(f"{source}: asked {article['title']}", file=sys.stderr, flush=True)


def measure_all(folder: Path, cache: Path, embedder, rng: random.Random) -> list[Row]:
    return [measure(a.answerer, a.question, a.answers, a.group, a.source, a.kind, a.size)
            for a in asked_questions(folder, cache, embedder, rng)]


def save_rows(rows: list[Row], path: Path) -> None:
    data = [{**r.__dict__, "features": r.features.tolist()} for r in rows]
    path.write_text(json.dumps(data), encoding="utf-8")


def load_rows(path: Path) -> list[Row]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Row(**{**d, "features": np.asarray(d["features"])}) for d in data]


def measured_rows(squad: Path, cache: Path, path: Path | None) -> list[Row]:
    """The rows kept in ``path`` (the missing-term rule applied anew), or
    measured now, and kept there when ``path`` is given."""
    if path is not None and path.exists():
        return apply_rule(load_rows(path), cache)
    rows = measure_all(squad, cache, BundledModel(), random.Random(SEED))
    if path is not None:
        save_rows(rows, path)
    return rows


def apply_rule(rows: list[Row], cache: Path) -> list[Row]:
    """Rows measured before: the missing-term rule applied anew (it may have changed)."""
    rules = {}
    for r in rows:
        if r.document not in rules:
            rules[r.document] = MissingTerms(Index.load(cache / r.document / "index"))
        r.declined_by_rule = bool(rules[r.document].of(r.question))
    return rows


def _logistic(x: np.ndarray, y: np.ndarray, c: float) -> Logistic:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    return Logistic(model.coef_[0].copy(), float(model.intercept_[0]))


def fit_models(rows: list[Row], c: float) -> tuple[np.ndarray, np.ndarray, Logistic, Logistic, Logistic]:
    """Standardisation and the three models, fitted on ``rows`` (none declined by the rule)."""
    x = np.array([r.features for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / scale
    kinds = np.array([r.kind for r in rows])
    answerable = kinds == "answerable"
    answers = _logistic(z, np.array([r.right for r in rows]), c)
    topic = answerable | (kinds == "foreign")
    on_topic = _logistic(z[topic], answerable[topic], c)
    close = answerable | (kinds == "adversarial") | (kinds == "near-miss")
    return mean, scale, answers, on_topic, _logistic(z[close], answerable[close], c)


@dataclass
class HeldOut:
    """Per row, from models that never saw its article (nan: declined by the rule)."""

    raw: np.ndarray  # chance that the best sentence answers, before calibration
    chance: np.ndarray  # the same, calibrated on the other folds
    on_topic: np.ndarray
    answerable: np.ndarray


def calibration_map(raw: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Isotonic map from raw chance to share right, as points to interpolate."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, right)
    xs = np.r_[0.0, iso.X_thresholds_, 1.0]
    ys = np.r_[iso.predict([0.0])[0], iso.y_thresholds_, iso.predict([1.0])[0]]
    return np.round(xs, 5), np.round(ys, 5)


def held_out(rows: list[Row], c: float) -> HeldOut:
    groups = sorted({r.group for r in rows})
    fold_of = np.array([{g: i % FOLDS for i, g in enumerate(groups)}[r.group] for r in rows])
    judged = np.array([not r.declined_by_rule for r in rows])
    result = HeldOut(*(np.full(len(rows), np.nan) for _ in range(4)))
    for fold in range(FOLDS):
        mean, scale, answers, on_topic, answerable = fit_models(
            [r for r, f, j in zip(rows, fold_of, judged) if f != fold and j], c)
        for i in np.flatnonzero((fold_of == fold) & judged):
            z = (rows[i].features - mean) / scale
            result.raw[i], result.on_topic[i], result.answerable[i] = (
                answers.chance(z), on_topic.chance(z), answerable.chance(z))
    right = np.array([r.right for r in rows])
    usual = np.array([r.source == CALIBRATED_ON for r in rows])
    for fold in range(FOLDS):
        others = judged & (fold_of != fold) & usual
        xs, ys = calibration_map(result.raw[others], right[others])
        mine = judged & (fold_of == fold)
        result.chance[mine] = np.interp(result.raw[mine], xs, ys)
    return result


def declined(rows: list[Row], held: HeldOut, thresholds: tuple[float, float], keep) -> float | None:
    picked = [i for i, r in enumerate(rows) if keep(r)]
    if not picked:
        return None
    on_topic, answerable = thresholds
    return float(np.mean([rows[i].declined_by_rule or held.on_topic[i] < on_topic
                          or held.answerable[i] < answerable for i in picked]))


def judged_reliability(rows, chances, keep) -> tuple[float, list[dict]]:
    """Expected calibration error and the bins of :func:`reliability` over judged rows."""
    picked = [i for i, r in enumerate(rows) if keep(r) and not r.declined_by_rule]
    table = reliability(chances[picked], [rows[i].right for i in picked])
    return calibration_error(table), table


def squad_answerable(r: Row) -> bool:
    """An answerable question of the v2-style file (the v1.1 questions)."""
    return r.kind == "answerable" and r.source == "v2-style"


def choose_thresholds(rows, held, on_topic_most: float, most: float) -> tuple[float, float]:
    """The off-topic threshold declining at most ``on_topic_most`` of held-out
    answerable questions alone (and never above 0.5: it declines only a
    question it finds more likely off-topic than not), then the near-miss
    one up to ``most`` in all, on each file's answerable questions."""
    grid = np.round(np.arange(0.0, 0.9, 0.005), 3)
    worst = lambda picked: max(declined(rows, held, picked, keep) for keep in (  # noqa: E731
        squad_answerable, lambda r: r.kind == "answerable" and r.source == "v2.0"))
    on_topic = max(t for t in grid if t <= 0.5 and worst((t, 0.0)) - worst((0.0, 0.0)) <= on_topic_most)
    answerable = max(t for t in grid if worst((on_topic, t)) <= most)
    return float(on_topic), float(answerable)


KINDS = (("answerable (v2-style file: v1.1's questions)", squad_answerable),
         ("answerable (v2.0 file)", lambda r: r.kind == "answerable" and r.source == "v2.0"),
         ("foreign", lambda r: r.kind == "foreign"),
         ("SQuAD v2.0 unanswerable", lambda r: r.kind == "adversarial"),
         ("near-miss by rule, term from another paragraph", lambda r: r.source == "near-miss by paragraph"),
         ("near-miss by rule, term from another article", lambda r: r.source == "near-miss by article"))


def report(rows, held, thresholds) -> list[str]:
    lines = [f"Thresholds: off-topic {thresholds[0]}, near-miss {thresholds[1]}.", "",
             "| questions | count (per size) | declined by the missing-term rule: whole articles / news-sized | "
             "declined in all: whole articles / news-sized |", "| --- | --- | --- | --- |"]
    for label, keep in KINDS:
        by_size = [lambda r, s=size: keep(r) and r.size == s for size in ("article", "news")]
        rule = [np.mean([r.declined_by_rule for r in rows if k(r)]) for k in by_size]
        total = [declined(rows, held, thresholds, k) for k in by_size]
        lines.append(f"| {label} | {sum(by_size[0](r) for r in rows)} | {rule[0]:.1%} / {rule[1]:.1%} | "
                     f"{total[0]:.1%} / {total[1]:.1%} |")
    right = [r.right for r in rows if squad_answerable(r) and not r.declined_by_rule]
    lines += ["", f"Best-ranked sentence right (answerable, v2-style file): {np.mean(right):.3f}", ""]
    for label, keep in (("v2-style file", lambda r: r.source == "v2-style"), ("v2.0 file", lambda r: r.source == "v2.0")):
        error, table = judged_reliability(rows, held.chance, keep)
        lines += [f"Calibration on the {label} (every judged question): expected calibration error {error:.3f}", "",
                  "| chance | count | mean chance | share right |", "| --- | --- | --- | --- |"]
        lines += [f"| {b['from']:.1f}-{b['to']:.1f} | {b['count']} | {b['confidence']:.3f} | {b['right']:.3f} |"
                  for b in table]
        lines.append("")
    lines += ["Trade-off by near-miss threshold (off-topic threshold fixed), share declined:", "",
              "| near-miss threshold | answerable (v2-style) | answerable (v2.0) | SQuAD v2.0 unanswerable | "
              "near-miss by rule | foreign |", "| --- | --- | --- | --- | --- | --- |"]
    for t in sorted({0.0, 0.05, 0.1, 0.15, 0.2, 0.3, thresholds[1], 0.4, 0.5, 0.6, 0.7}):
        picked = (thresholds[0], t)
        lines.append(f"| {t:.3f} | " + " | ".join(f"{declined(rows, held, picked, keep):.1%}" for keep in (
            squad_answerable, KINDS[1][1], KINDS[3][1], lambda r: r.kind == "near-miss", KINDS[2][1])) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "reader-data",
                        help="the folder evals/reader_data.py wrote (rows.json.gz, device/pairs.json.gz)")
    parser.add_argument("--readings", type=Path, required=True,
                        help="the held-out readings evals/train_reader.py wrote (readings.json.gz)")
    parser.add_argument("--reads", type=int, default=4, help="how many of the best-ranked sentences the reader reads")
    parser.add_argument("--answerable-declined", type=float, default=0.02,
                        help="at most this share of held-out answerable questions declined in all")
    parser.add_argument("--off-topic-declined", type=float, default=0.005,
                        help="at most this share of them declined by the off-topic detector alone")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    args = parser.parse_args()
    asked = reader_rows.load(args.data / "rows.json.gz", args.data / "device" / "pairs.json.gz", args.readings)
    weight, per_fold = reader_rows.fit_ranking(asked, args.reads, FOLDS)
    ranking = ranking_lines(args.reads, weight, per_fold)
    print("\n".join(ranking))
    rows = reader_rows.judge_rows(asked, args.reads, weight, Row)
    print(Counter((r.source, r.kind) for r in rows), file=sys.stderr)
    held = held_out(rows, args.c)
    thresholds = choose_thresholds(rows, held, args.off_topic_declined, args.answerable_declined)
    lines = report(rows, held, thresholds) + [""] + short_answer_lines(
        reader_rows.short_answer_scores(asked, args.reads, weight, declined_each(rows, held, thresholds)))
    print("\n".join(lines))
    judged = [r for r in rows if not r.declined_by_rule]
    mean, scale, answers, on_topic, answerable = fit_models(judged, args.c)
    usual = [i for i, r in enumerate(rows) if r.source == CALIBRATED_ON and not r.declined_by_rule]
    xs, ys = calibration_map(held.raw[usual], np.array([rows[i].right for i in usual]))
    judge = Judge(mean, scale, answers, on_topic, answerable, xs, ys, *thresholds)
    data = json.dumps(judge.to_json(), indent=1) + "\n"
    MODEL_FILE.write_text(data, encoding="utf-8")
    digest = hashlib.sha256(data.encode()).hexdigest()
    HASHES_FILE.write_text(f"{digest}  {MODEL_FILE.name}\n", encoding="utf-8")
    write_reader_weights(args.reads, weight)
    CARD.write_text(card(ranking + [""] + lines, len(JUDGE_FEATURES), args, digest, len(data), len(rows)),
                    encoding="utf-8")


def declined_each(rows, held, thresholds) -> list[bool]:
    on_topic, answerable = thresholds
    return [bool(r.declined_by_rule or held.on_topic[i] < on_topic or held.answerable[i] < answerable)
            for i, r in enumerate(rows)]


def short_answer_lines(scores: dict) -> list[str]:
    lines = ["What is shown (the short answer, else the sentence) against SQuAD's answers, answerable v2-style "
             "questions, both document sizes, retrieval included (held out):", "",
             "| fold | questions | EM / F1 always answering | EM / F1 with declines (a decline scores 0) |",
             "| --- | --- | --- | --- |"]
    for fold, s in scores.items():
        lines.append(f"| {fold} | {s['questions']} | {s['em']:.3f} / {s['f1']:.3f} | "
                     f"{s['em_declining']:.3f} / {s['f1_declining']:.3f} |")
    return lines


def ranking_lines(reads: int, weight: float, per_fold: list[dict]) -> list[str]:
    """The choice among the sentences read, fold by fold (held out)."""
    lines = [f"The reader reads the {reads} best-ranked sentences; its finding joins their scores with weight "
             f"{weight} (fitted on all folds; per fold, on the other three). Best-ranked sentence right, "
             "answerable v2-style questions not declined by the missing-term rule, both document sizes:", "",
             "| fold | questions | weight (other folds) | ranking alone | with the reader |", "| --- | --- | --- | --- | --- |"]
    for f in per_fold:
        lines.append(f"| {f['fold']} | {f['questions']} | {f['weight']} | {f['before']:.3f} | {f['after']:.3f} |")
    total = sum(f["questions"] for f in per_fold)
    before = sum(f["before"] * f["questions"] for f in per_fold) / total
    after = sum(f["after"] * f["questions"] for f in per_fold) / total
    lines.append(f"| all | {total} | | {before:.3f} | {after:.3f} |")
    return lines


def write_reader_weights(reads: int, weight: float) -> None:
    """The reader's part of the ranking, in qabot/answering/weights.json."""
    stored = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    stored["reader"] = {"reads": reads, "ranking": weight}
    WEIGHTS_FILE.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")


def card(lines, features, args, digest, size, count) -> str:
    return "\n".join([
        "# The judge: model card", "",
        "Written by `evals/train_judge.py` (run it to reproduce this file and the model); every figure "
        "below is held-out: each article is scored by models fitted without it (4 folds by article).", "",
        f"- models: three logistic regressions over the same {features} standardised features (C = {args.c}): "
        "the chance that the best sentence answers (calibrated by isotonic regression on held-out chances), "
        "an off-topic detector (answerable against foreign questions) and a near-miss detector (answerable "
        "against SQuAD v2.0's unanswerable questions and the rule-made near-misses)",
        f"- file: `qabot/answering/judge.json`, {size:,} bytes, sha256 `{digest}` (checked on load)",
        f"- data: {count // 2:,} questions of SQuAD half A (the v2-style file with foreign questions, the v2.0 "
        "file with its unanswerable questions, near-misses made by rule), each asked of its whole article and "
        f"of a news-sized part of it: {count:,} rows; see the script's docstring",
        f"- thresholds: the off-topic one declines at most {args.off_topic_declined:.1%} of held-out answerable "
        f"questions alone; the near-miss one is the highest that keeps all declines at most "
        f"{args.answerable_declined:.1%}", "", *lines, ""])


if __name__ == "__main__":
    main()
