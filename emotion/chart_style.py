"""Layout every chart of the project shares (the app's and the EDA report's)."""

from __future__ import annotations

import textwrap
from typing import Any

TITLE_CHARACTERS = 40
"""The longest title line: about 300 px, clear of the toolbar on a 390 px wide phone."""
TITLE_LINE_PX = 24
TITLE_GAP_PX = 12
"""Height of one title line, and the space above the title and between it and the plot."""


def title_lines(text: str) -> list[str]:
    """A title wrapped into lines of at most TITLE_CHARACTERS (Plotly never wraps titles: a
    long one runs under the toolbar on a phone)."""
    return textwrap.wrap(text, TITLE_CHARACTERS)


def chart_layout(title: str, **margin: int) -> dict[str, Any]:
    """What every chart's layout starts from: its wrapped title hung from the top with room
    made above the plot for every line (Plotly's own placement let the first of two lines run
    off the top), the toolbar standing upright at the right edge (lying across the top, on a
    phone's narrow chart, it covers the title), and the other `margin`s given (l, r, b)."""
    lines = title_lines(title)
    return {
        "title": {
            "text": "<br>".join(lines),
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": TITLE_GAP_PX},
        },
        "margin": {"t": len(lines) * TITLE_LINE_PX + 2 * TITLE_GAP_PX, **margin},
        "modebar": {"orientation": "v"},
    }
