"""Copying text where the user can paste it.

A terminal app can only ask the terminal to set the clipboard (OSC 52),
which many terminals and tmux (by default) ignore. So the text also goes to
the system's clipboard tool when one is installed, and into tmux's paste
buffer inside tmux. Nothing here imports Textual.
"""

from __future__ import annotations

import os
import shutil
import subprocess

# (where it goes, the command), tried in this order when it applies.
_TOOLS = (
    ("the Wayland clipboard", ("wl-copy",), "WAYLAND_DISPLAY"),
    ("the X clipboard", ("xclip", "-selection", "clipboard"), "DISPLAY"),
    ("the X clipboard", ("xsel", "--clipboard", "--input"), "DISPLAY"),
    ("the clipboard", ("pbcopy",), None),
    ("the clipboard", ("clip.exe",), None),
)


def _run(command: tuple[str, ...], text: str) -> bool:
    try:
        done = subprocess.run(command, input=text.encode("utf-8"), timeout=3,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def copy_with_tools(text: str, environ=os.environ) -> list[str]:
    """Put ``text`` on the clipboards the tools installed here reach; the
    names of the places it went (empty when none)."""
    places = []
    if environ.get("TMUX") and shutil.which("tmux") and _run(("tmux", "load-buffer", "-"), text):
        places.append("tmux's paste buffer")
    for place, command, needs in _TOOLS:
        if (needs is None or environ.get(needs)) and shutil.which(command[0]) and _run(command, text):
            places.append(place)
            break
    return places


def copied_message(places: list[str]) -> str:
    """What the user is told after a copy."""
    if not places:
        return ("Sent the last answer to the terminal's clipboard (OSC 52); if nothing pastes, "
                "your terminal does not allow it: install wl-copy, xclip, xsel or pbcopy.")
    return "Copied the last answer and its citation to " + " and ".join(places) + "."
