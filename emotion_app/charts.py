"""Plotly figures the pages draw: probabilities, timelines, confusion matrices, comparisons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from emotion.chart_style import chart_layout
from emotion.labels import EMOTIONS, top_emotion

# One colour per emotion, the same on every chart of the app.
EMOTION_COLORS = dict(
    zip(
        EMOTIONS,
        ("#d62728", "#8c564b", "#9467bd", "#f2b701", "#7f7f7f", "#1f77b4", "#17becf"),
        strict=True,
    )
)
STREAM_DASHES = {"face": "dot", "voice": "dash", "fused": "solid"}


def probability_bars(probabilities: Mapping[str, float], title: str) -> go.Figure:
    """Horizontal bars of the seven probabilities, the winner labelled with its percentage."""
    values = [probabilities[label] for label in EMOTIONS]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=list(EMOTIONS),
            orientation="h",
            marker_color=[EMOTION_COLORS[label] for label in EMOTIONS],
            text=[f"{value:.0%}" for value in values],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    figure.update_layout(
        **chart_layout(title, l=10, r=10, b=10),
        xaxis={"range": [0, 1.15], "tickformat": ".0%", "title": "probability"},
        yaxis={"autorange": "reversed"},
        height=300,
    )
    return figure


def timeline_figure(
    times: Sequence[float], streams: Mapping[str, Sequence[Mapping[str, float] | None]]
) -> go.Figure:
    """Each emotion's probability over time, one line style per stream (face, voice, fused).

    Gaps (no face in a frame, a pause in the voice) are left as gaps, not interpolated.
    """
    figure = go.Figure()
    for stream, points in streams.items():
        for label in EMOTIONS:
            values = [None if p is None else p[label] for p in points]
            figure.add_trace(
                go.Scatter(
                    x=list(times),
                    y=values,
                    name=f"{stream}: {label}",
                    legendgroup=stream,
                    legendgrouptitle_text=stream,
                    mode="lines+markers" if stream == "fused" else "lines",
                    line={"color": EMOTION_COLORS[label], "dash": STREAM_DASHES.get(stream)},
                    visible=True if stream == "fused" else "legendonly",
                    connectgaps=False,
                )
            )
    figure.update_layout(
        **chart_layout("Emotion over time (click the legend to show face and voice lines)"),
        xaxis={"title": "time (s)"},
        yaxis={"title": "probability", "range": [0, 1], "tickformat": ".0%"},
        height=420,
        legend={"groupclick": "toggleitem"},
    )
    return figure


def winner_strip(
    times: Sequence[float], streams: Mapping[str, Sequence[Mapping[str, float] | None]]
) -> go.Figure:
    """The winning emotion of each stream at each time, as coloured markers on one row each."""
    figure = go.Figure()
    for label in EMOTIONS:
        xs, ys = [], []
        for stream, points in streams.items():
            for time, point in zip(times, points, strict=True):
                if point is not None and top_emotion(point) == label:
                    xs.append(time)
                    ys.append(stream)
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                name=label,
                marker={"color": EMOTION_COLORS[label], "symbol": "square", "size": 12},
            )
        )
    figure.update_layout(
        **chart_layout("Winning emotion", b=10),
        xaxis={"title": "time (s)"},
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(list(streams)))},
        height=230,
    )
    return figure


def confusion_figure(confusion: Sequence[Sequence[int]], title: str) -> go.Figure:
    """Confusion matrix as a heatmap of row-normalised recall, with the counts written in."""
    counts = np.asarray(confusion, dtype=float)
    totals = counts.sum(axis=1, keepdims=True)
    rates = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    figure = go.Figure(
        go.Heatmap(
            z=rates,
            x=list(EMOTIONS),
            y=list(EMOTIONS),
            text=counts.astype(int),
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=1,
            colorbar={"title": "share of row", "tickformat": ".0%"},
            hovertemplate="true %{y}, predicted %{x}: %{text} (%{z:.0%} of %{y})<extra></extra>",
        )
    )
    figure.update_layout(
        **chart_layout(title),
        xaxis={"title": "predicted", "side": "bottom"},
        yaxis={"title": "true", "autorange": "reversed"},
        height=480,
    )
    return figure


def comparison_figure(rows: Sequence[Mapping[str, object]], title: str) -> go.Figure:
    """Accuracy and macro-F1 of each model side by side (rows with model/accuracy/macro_f1)."""
    models = [str(row["model"]) for row in rows]
    figure = go.Figure(
        [
            go.Bar(
                name=name,
                x=models,
                y=[row[key] for row in rows],
                text=[f"{row[key]:.1%}" for row in rows],
                textposition="outside",
            )
            for key, name in (("accuracy", "accuracy"), ("macro_f1", "macro-F1"))
        ]
    )
    figure.update_layout(
        **chart_layout(title),
        yaxis={"range": [0, 1.1], "tickformat": ".0%"},
        barmode="group",
        height=360,
    )
    return figure


def emotion_groups(series: Mapping[str, Mapping[str, float] | None], title: str = "") -> go.Figure:
    """One bar group per emotion and one bar per series (per-class recall of each model; face,
    voice and fused probabilities); a series that is None is left out."""
    figure = go.Figure(
        [
            go.Bar(name=name, x=list(EMOTIONS), y=[values.get(label) for label in EMOTIONS])
            for name, values in series.items()
            if values is not None
        ]
    )
    figure.update_layout(
        **chart_layout(title),
        yaxis={"range": [0, 1], "tickformat": ".0%"},
        barmode="group",
        height=360,
    )
    return figure


def reliability_figure(rows: Sequence[Mapping[str, object]], title: str) -> go.Figure:
    """Reliability diagram: accuracy against confidence per confidence bin (the diagonal is a
    perfectly calibrated model), bar width = the bin, hover = how many predictions."""
    filled = [row for row in rows if row["n"]]
    figure = go.Figure(
        [
            go.Bar(
                name="accuracy in the bin",
                x=[(float(row["low"]) + float(row["high"])) / 2 for row in filled],
                y=[row["accuracy"] for row in filled],
                width=[float(row["high"]) - float(row["low"]) for row in filled],
                customdata=[[row["n"], row["confidence"]] for row in filled],
                hovertemplate="mean confidence %{customdata[1]:.0%}: right %{y:.0%} of "
                "%{customdata[0]} predictions<extra></extra>",
            ),
            go.Scatter(
                name="perfectly calibrated", x=[0, 1], y=[0, 1], mode="lines", line={"dash": "dash"}
            ),
        ]
    )
    figure.update_layout(
        **chart_layout(title),
        xaxis={"title": "confidence (top probability)", "range": [0, 1], "tickformat": ".0%"},
        yaxis={"title": "share right", "range": [0, 1], "tickformat": ".0%"},
        height=360,
    )
    return figure


def fusion_figure(modes: Mapping[str, Mapping[str, Any]], title: str) -> go.Figure:
    """Fused accuracy against the face weight: one line per voice mode and fusion rule (0 is
    the voice alone, 1 the face alone)."""
    figure = go.Figure()
    for mode, table in modes.items():
        for rule, rows in table["rules"].items():
            weights = sorted(rows, key=float)
            figure.add_trace(
                go.Scatter(
                    name=f"{mode} voice, {rule} mean",
                    x=[float(w) for w in weights],
                    y=[rows[w]["accuracy"] for w in weights],
                    mode="lines+markers",
                    line={"dash": "solid" if rule == "geometric" else "dash"},
                    hovertemplate="face weight %{x}: right %{y:.1%}<extra></extra>",
                )
            )
    figure.update_layout(
        **chart_layout(title),
        xaxis={"title": "face weight (0: voice alone, 1: face alone)", "range": [0, 1]},
        yaxis={"title": "share right", "tickformat": ".0%"},
        height=380,
    )
    return figure
