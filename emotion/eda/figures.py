"""Plotly figures of an EDA summary, shared by the `eda` command and the app's report page."""

from __future__ import annotations

import itertools
from typing import Any

import plotly.graph_objects as go

from emotion.chart_style import chart_layout
from emotion.eda.summary import ALL
from emotion.labels import EMOTIONS


def eda_figures(summary: dict[str, Any]) -> dict[str, go.Figure]:
    """The figures of one dataset's summary, keyed by a short name usable as a file name. Image
    sizes and sample rates are charted only when there are several: one bar says nothing the
    summary's text does not (every FER2013 image is 48x48)."""
    figures = {"counts": counts_figure(summary)}
    media = summary["media"]
    if summary["modality"] == "image":
        if len(media["sizes"]) > 1:
            figures["image_sizes"] = _bar(
                media["sizes"], "Image sizes (width x height)", "size", "images"
            )
    elif media["duration_histogram"]:
        figures["durations"] = durations_figure(summary)
        if len(media["sample_rates"]) > 1:
            figures["sample_rates"] = _bar(
                media["sample_rates"], "Sample rates", "sample rate (Hz)", "clips"
            )
    return figures


def counts_figure(summary: dict[str, Any]) -> go.Figure:
    """Clips or images per emotion, one bar group per split (or one bar set if unsplit)."""
    splits = summary["splits"] or [ALL]
    figure = go.Figure(
        [
            go.Bar(name=split, x=list(EMOTIONS), y=[summary["counts"][split][e] for e in EMOTIONS])
            for split in splits
        ]
    )
    figure.update_layout(
        **chart_layout(f"{summary['dataset']}: labelled items per emotion"),
        barmode="group",
        xaxis_title="emotion",
        yaxis_title="count",
    )
    return figure


def durations_figure(summary: dict[str, Any]) -> go.Figure:
    """Histogram of clip durations, redrawn from the stored bin edges and counts."""
    histogram = summary["media"]["duration_histogram"]
    edges = histogram["edges"]
    centres = [(low + high) / 2 for low, high in itertools.pairwise(edges)]
    widths = [high - low for low, high in itertools.pairwise(edges)]
    figure = go.Figure(go.Bar(x=centres, y=histogram["counts"], width=widths))
    figure.update_layout(
        **chart_layout(f"{summary['dataset']}: clip durations"),
        xaxis_title="seconds",
        yaxis_title="clips",
    )
    return figure


def _bar(values: dict[str, int], title: str, x_title: str, y_title: str) -> go.Figure:
    figure = go.Figure(go.Bar(x=list(values), y=list(values.values())))
    figure.update_layout(
        **chart_layout(title),
        xaxis_title=x_title,
        yaxis_title=y_title,
        xaxis_type="category",
    )
    return figure
