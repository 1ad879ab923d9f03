"""The layers stay apart: the library never imports Textual, and the chat's
plain modules (what to show, history, watching, keys) do not either."""

from __future__ import annotations

import subprocess
import sys

import pytest

PLAIN = ["qabot.bot", "qabot.cli.main", "qabot.cli.render", "qabot.tui.presenting", "qabot.tui.history",
         "qabot.tui.watching", "qabot.tui.keys"]


@pytest.mark.parametrize("module", PLAIN)
def test_module_does_not_import_textual(module):
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_opening_the_chat_module_does_not_load_the_library_heavy_parts():
    """The window must appear before numpy, faiss or the model are imported."""
    code = ("import sys, qabot.tui.app; "
            "print(sorted(m for m in ('numpy', 'faiss', 'torch', 'qabot.bot') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
