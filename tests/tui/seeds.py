"""Small articles for the chat tests, written into a temporary seeds folder."""

from __future__ import annotations

from pathlib import Path

VOLCANO = """\
Mount Kelda Erupts After Two Quiet Centuries

The Kelda volcano in northern Iceland erupted on Tuesday morning, sending a column of ash four kilometres into the sky. Scientists at the Reykjavik observatory said the eruption began shortly after six o'clock.

Farmers near the mountain were told to keep their sheep indoors. The civil protection agency opened two shelters in the town of Husavik for families who left their homes.

Airlines cancelled dozens of flights across the north Atlantic because of the ash cloud. The airport authority said flights would resume once the wind carried the ash away from the main routes.

Dr. Anna Sigurdardottir, the chief volcanologist, said the lava flow was moving slowly to the east. She added that the eruption could continue for several weeks.
"""

LIBRARY = """\
City Library Opens New Reading Garden

The central library of Portvale opened a reading garden on its roof on Saturday, with benches, shade trees and a small cafe. The mayor cut the ribbon in front of about two hundred visitors.

The garden cost nine hundred thousand dollars, paid for by a donation from a local bookseller. Librarians said the space would host poetry readings every Thursday evening during the summer.
"""

# An article that tries to smuggle markup and terminal escapes onto the screen.
INJECTION = """\
Markup Test Article About Harbour Cranes

The harbour cranes were painted [bold]x[/bold] bright orange by the port workers last spring.
Workers said the button [@click=app.quit]quit[/] was printed on every crane cabin door by mistake.
The harbour website [link=http://example.com]l[/link] lists the cranes and their lifting limits.
A sign on the gate reads \x1b[31mred danger\x1b[0m in large letters for all the crane drivers.
"""


def write_seeds(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
