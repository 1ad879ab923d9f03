"""A bare `qabot ask` on a terminal prompts for each question and answers it
as it is typed; from a pipe or a file it reads every line, silently, as
scripts expect."""

from __future__ import annotations

import io
import json
import sys

import pytest

from qabot.cli.ask import PROMPT, TYPING_HINT

MISSILES = "How many missiles did Iran fire?"
OFF_TOPIC = "What is the capital of France?"


class Terminal(io.StringIO):
    """Standard input that is a terminal, typed ahead; ``events`` records
    each line read."""

    def __init__(self, typed: str, events: list[str]) -> None:
        super().__init__(typed)
        self.events = events

    def isatty(self) -> bool:
        return True

    def read(self, *args):
        raise AssertionError("a terminal is read a line at a time")

    def readline(self, *args):
        line = super().readline(*args)
        self.events.append("read" if line else "end")
        return line


@pytest.fixture
def events() -> list[str]:
    return []


@pytest.fixture
def terminal(monkeypatch, events):
    def type_ahead(typed: str) -> Terminal:
        stdin = Terminal(typed, events)
        monkeypatch.setattr(sys, "stdin", stdin)
        return stdin
    return type_ahead


def test_a_bare_ask_on_a_terminal_prompts_and_ends_at_ctrl_d(workdir, cli, no_model, terminal):
    terminal("")  # Ctrl-D at once
    result = cli("ask")
    assert result.code == 0 and result.out == ""
    assert result.err == f"{TYPING_HINT}\n{PROMPT}\n"


def test_a_line_that_is_not_a_question_is_said_and_the_prompt_comes_back(workdir, cli, no_model, terminal):
    terminal("???\n\n")
    result = cli("ask")
    assert result.code == 2 and result.out == ""
    assert result.err == (f"{TYPING_HINT}\n{PROMPT}qabot: not asked: '???': the question is empty: ask something "
                          f"in words\n{PROMPT}{PROMPT}\n")


@pytest.mark.model
def test_each_question_typed_is_answered_before_the_next_is_read(workdir, cli, shared_model, terminal, events,
                                                                  monkeypatch):
    import qabot.cli.ask

    answer_json = qabot.cli.ask.answer_json

    def answered(answer):
        events.append("answer")
        return answer_json(answer)

    monkeypatch.setattr(qabot.cli.ask, "answer_json", answered)
    terminal(f"{MISSILES}\n\n{OFF_TOPIC}\n")
    result = cli("ask", "--json")
    assert result.code == 0, result
    assert events == ["read", "answer", "read", "read", "answer", "end"]
    assert [json.loads(line)["question"] for line in result.out.splitlines()] == [MISSILES, OFF_TOPIC]
    assert result.err == f"{TYPING_HINT}\n" + PROMPT * 4 + "\n"  # prompts on stderr, answers alone on stdout


@pytest.mark.model
def test_a_pipe_is_read_whole_without_a_prompt(workdir, cli, shared_model):
    result = cli("ask", "--json", stdin=f"{MISSILES}\n{OFF_TOPIC}\n")
    assert result.code == 0 and result.err == ""
    assert [json.loads(line)["question"] for line in result.out.splitlines()] == [MISSILES, OFF_TOPIC]
