"""Layout every chart of the project shares (the app's and the EDA report's)."""

from __future__ import annotations

import textwrap
from typing import Any

TITLE_CHARACTERS = 40
"""The longest title line: about 300 px, clear of the toolbar on a 390 px wide phone."""


def chart_title(text: str) -> dict[str, Any]:
    """A chart's title, wrapped into lines of at most TITLE_CHARACTERS (Plotly never wraps
    titles: a long one runs under the toolbar on a phone), with room made for every line."""
    return {"text": "<br>".join(textwrap.wrap(text, TITLE_CHARACTERS)), "automargin": True}


def chart_layout(title: str) -> dict[str, Any]:
    """What every chart's layout starts from: its wrapped title, and the toolbar standing
    upright at the right edge (lying across the top, on a phone's narrow chart, it covers the
    title)."""
    return {"title": chart_title(title), "modebar": {"orientation": "v"}}
