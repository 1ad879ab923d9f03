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
            "Copy the last answer and its citation to the clipboard."),
    Command("ctrl+s", "export", "Export", "Export the conversation",
            "Save the conversation with its citations as Markdown in this folder."),
    Command("ctrl+r", "rebuild", "Rebuild", "Rebuild the index",
            "Update the index from the articles (only changed text is re-embedded)."),
    Command("ctrl+q", "quit", "Quit", "Quit", "Leave qabot."),
)

# Keys that are not commands of their own, for the help screen.
OTHER_KEYS: tuple[tuple[str, str], ...] = (
    ("enter", "Ask the question typed; on a selected answer, open its source."),
    ("up / down", "In the question box: recall earlier questions."),
    ("tab / shift+tab", "Move between the question box, answers and passages."),
    ("pageup / pagedown", "Scroll the conversation."),
    ("escape", "Close the article or this help and go back."),
    ("ctrl+p", "Open the command palette."),
)


def key_label(key: str) -> str:
    """How a key is written in the help: ``F1``, ``ctrl+n``."""
    return key.upper() if key.startswith("f") and key[1:].isdigit() else key
