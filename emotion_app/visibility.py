"""Whether the viewer's browser tab is visible: a component of a few lines of JavaScript
(`tab_visibility/index.html`, served by the app itself) that reports the page's visibility
whenever it changes, so that a hidden Live tab stops costing the server."""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

_tab_visibility = components.declare_component(
    "tab_visibility", path=str(Path(__file__).parent / "tab_visibility")
)


def tab_visible(key: str = "tab_visibility") -> bool:
    """True unless the browser reports the tab hidden (also True before it reports)."""
    return _tab_visibility(key=key, default="visible") != "hidden"
