"""What every command shares about speaking to the user: exit codes and
one-line notices on stderr."""

from __future__ import annotations

import sys

from qabot.printable import one_line

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def stderr_notice(message: str) -> None:
    """One line on stderr, printable whatever a file name or article holds."""
    print(f"qabot: {one_line(message)}", file=sys.stderr)
