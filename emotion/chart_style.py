"""Layout every chart of the project shares (the app's and the EDA report's)."""

from __future__ import annotations

from typing import Any

CHART_LAYOUT: dict[str, Any] = {"modebar": {"orientation": "v"}}
"""The chart toolbar stands upright at the right edge: lying across the top, on a phone's narrow
chart, it covers the chart's title."""
