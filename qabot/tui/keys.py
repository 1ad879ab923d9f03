"""The chat's commands: one table for the key bindings, the footer, the
help screen and the command palette, so they can never disagree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    key: str       # as Textual names it, such as "ctrl+n"
    action: str    # the app action it runs
    label: str     # short, for the footer
    title: str     # for the command palette and the help screen
    help: str      # one sentence of what it does


COMMANDS: tuple[Command, ...] = (
    Command("f1", "help", "Help", "Help", "Show the keys and how to use qabot."),
    Command("ctrl+n", "new_conversation", "New chat", "New conversation",
            "Start a new conversation: the next question is not a follow-up."),
    Command("ctrl+l", "clear", "Clear", "Clear",
            "Empty the window and start a new conversation."),
    Command("ctrl+o", "open_source", "Source", "Open the last source",
            "Open the article at the last answer's citation."),
    Command("ctrl+y", "copy_answer", "Copy", "Copy the last answer",
            "Copy the last answer and its citation: to the clipboard through wl-copy, xclip, xsel or pbcopy "
            "where installed, to tmux's paste buffer inside tmux, and through the terminal (OSC 52)."),
    Command("ctrl+s", "export", "Export", "Export the conversation",
            "Save the conversation with its citations as Markdown in the exports folder "
            "(exports/, or --exports DIR)."),
    Command("ctrl+r", "rebuild", "Rebuild", "Rebuild the index",
            "Update the index from the articles (only changed text is re-embedded)."),
    Command("ctrl+q", "quit", "Quit", "Quit", "Leave qabot."),
)

# Commands only the command palette (ctrl+p) offers: no key of their own.
PALETTE_COMMANDS: tuple[Command, ...] = (
    Command("", "limit_articles", "", "Ask about some articles only",
            "Choose the article questions are asked about (the header shows it), or all articles again."),
)

# Which commands the key bar keeps longest on a narrow screen (first: kept).
KEY_BAR_ORDER = ("quit", "help", "open_source", "copy_answer", "new_conversation", "export", "rebuild", "clear")

# Keys that are not commands of their own, for the help screen.
OTHER_KEYS: tuple[tuple[str, str], ...] = (
    ("enter", "Ask the question typed; on a selected answer, open its source."),
    ("up / down", "In the question box: recall earlier questions."),
    ("tab / shift+tab", "From the question box, go to the newest answer; then move between answers "
                        "and passages."),
    ("ctrl+up / down", "In the article: show more of the text before or after."),
    ("pageup / pagedown", "Scroll the conversation."),
    ("escape", "Close the article or this help and go back."),
    ("ctrl+p", "Open the command palette."),
)


@dataclass(frozen=True)
class KeyEntry:
    """One entry of a screen's key bar."""

    key: str      # as Textual names it
    label: str
    action: str   # with its namespace: "app.quit", "screen.back"
    rank: int     # lower ranks stay longest when the bar is narrow


def chat_keys() -> list[KeyEntry]:
    """The chat's key bar: every command, in the table's order."""
    return [KeyEntry(c.key, c.label, f"app.{c.action}", KEY_BAR_ORDER.index(c.action)) for c in COMMANDS]


def short_key(key: str) -> str:
    """``ctrl+n`` as ``^n``; F-keys as ``F1``."""
    return "^" + key[len("ctrl+"):] if key.startswith("ctrl+") else key_label(key)


def key_label(key: str) -> str:
    """How a key is written in the help: ``F1``, ``ctrl+n``."""
    return key.upper() if key.startswith("f") and key[1:].isdigit() else key
