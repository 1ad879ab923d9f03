"""How the command line's summaries read: counts in the right number, and the
eval table's reliability rows under a header of their own."""

from __future__ import annotations

import pytest

from qabot.evaluation.metrics import Outcome, summarize
from qabot.evaluation.report import table
from support import committed_counts, write_seeds


@pytest.mark.model
def test_one_passage_embedded_is_said_in_the_singular(workdir, cli, shared_model):
    write_seeds(workdir / "seeds", {"extra.md": "Harbour News\n\nThe harbour master is Ada Lovelace, "
                                                "who took office in May after a long career at sea.\n"})
    result = cli("index")
    assert result.code == 0, result
    n = committed_counts()["passages"]
    assert result.out.startswith(f"index updated: 2 articles, {n + 1} passages, ")
    assert "; 1 passage embedded (2 texts in all), " in result.out


def test_the_reliability_rows_of_eval_have_a_header_of_their_own():
    report = summarize([Outcome(True, False, True, 1, 1, 10.0, 0.95, None),
                        Outcome(True, False, False, 3, 2, 20.0, 0.35, None),
                        Outcome(False, True, False, None, None, 30.0, 0.0, "foreign")])
    report.update({"file": "questions.jsonl", "format": "jsonl", "mode": "hybrid", "seconds": 1.5})
    lines = table(report).splitlines()
    at = lines.index("answers by confidence:")  # the title alone on its line
    header, *rows = lines[at + 1:]
    assert header.split() == ["range", "confidence", "count", "right"]
    assert [row.split() for row in rows] == [["0.3-0.4", "0.350", "1", "0.000"], ["0.9-1.0", "0.950", "1", "1.000"]]
    for column in ("confidence", "count", "right"):  # each figure ends under the end of its column's name
        end = header.index(column) + len(column)
        assert all(row[end - 1] != " " and (len(row) == end or row[end] == " ") for row in rows), column
