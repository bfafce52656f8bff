"""Writing an EDA summary out: the JSON itself, a Markdown report and the plotly figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from emotion.datasets import DATASETS
from emotion.eda.figures import eda_figures
from emotion.eda.summary import ALL
from emotion.labels import EMOTIONS

SUMMARY_FILE = "summary.json"
REPORT_FILE = "summary.md"


def write_report(summary: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write summary.json, summary.md and one self-contained-offline HTML page per figure."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / SUMMARY_FILE, out_dir / REPORT_FILE]
    written[0].write_text(json.dumps(summary, indent=1) + "\n")
    written[1].write_text(format_markdown(summary))
    for name, figure in eda_figures(summary).items():
        path = out_dir / f"{name}.html"
        figure.write_html(path, include_plotlyjs="directory")
        written.append(path)
    return written


def format_markdown(summary: dict[str, Any]) -> str:
    """A human-readable report of a summary (the text the `eda` command prints)."""
    lines = [
        f"## {summary['dataset']} ({summary['modality']})",
        "",
        f"Data: `{summary['data']}`. {summary['n_files']:,} files, "
        f"{summary['n_labelled']:,} labelled with one of the seven emotions.",
        "",
        "| split | " + " | ".join(EMOTIONS) + " | total | groups | imbalance (max/min) |",
        "|---" * (len(EMOTIONS) + 4) + "|",
    ]
    for split, counts in summary["counts"].items():
        balance = summary["imbalance"][split]
        ratio = (
            "1.0 (balanced)"
            if balance["ratio"] == 1
            else f"{balance['ratio']} ({balance['largest']}/{balance['smallest']})"
        )
        if balance["missing"]:
            ratio += f", missing: {', '.join(balance['missing'])}"
        cells = " | ".join(f"{counts[e]:,}" for e in EMOTIONS)
        lines.append(
            f"| {split} | {cells} | {sum(counts.values()):,} | "
            f"{summary['groups'].get(split, 0):,} | {ratio} |"
        )
    weights = summary["class_weights"]
    lines += [
        "",
        f"Balanced class weights (from {weights['split'] if weights['split'] != ALL else 'all'}"
        f" data): " + ", ".join(f"{label} {w}" for label, w in weights["weights"].items()) + ".",
        "",
        "Label mapping: "
        + ", ".join(
            f"{m['source']} -> {m['label'] or 'dropped'} ({m['count']:,})"
            for m in summary["label_mapping"]
        )
        + ".",
        "",
        *_media_lines(summary),
        *_quality_lines(summary),
    ]
    return "\n".join(lines) + "\n"


def _media_lines(summary: dict[str, Any]) -> list[str]:
    media = summary["media"]
    if summary["modality"] == "image":
        sizes = list(media["sizes"].items())
        shown = ", ".join(f"{size} ({n:,})" for size, n in sizes[:5])
        more = f" and {len(sizes) - 5} other sizes" if len(sizes) > 5 else ""
        modes = ", ".join(f"{mode} ({n:,})" for mode, n in media["modes"].items())
        return [f"Image sizes: {shown}{more}. Modes: {modes}.", ""]
    if media["duration_s"] is None:
        return ["No readable clips.", ""]
    d = media["duration_s"]
    rates = ", ".join(f"{rate} Hz ({n:,})" for rate, n in media["sample_rates"].items())
    channels = ", ".join(f"{c} ({n:,})" for c, n in media["channels"].items())
    return [
        f"Durations (s): min {d['min']}, 5% {d['p5']}, median {d['median']}, mean {d['mean']}, "
        f"95% {d['p95']}, max {d['max']}; {d['total_min']} minutes in all.",
        f"Sample rates: {rates}. Channels: {channels}.",
        "",
    ]


def _quality_lines(summary: dict[str, Any]) -> list[str]:
    dup = summary["duplicates"]
    lines = [
        f"Unreadable files: {summary['unreadable']['count']}. "
        f"Duplicated content: {dup['sets']} sets ({dup['extra_copies']} extra copies), "
        f"{dup['across_splits']} across splits, "
        f"{dup['conflicting_labels']} with conflicting labels."
    ]
    lines += [f"- e.g. {', '.join(example)}" for example in dup["examples"]]
    lines += [f"- unreadable: {u['path']}: {u['error']}" for u in summary["unreadable"]["examples"]]
    return lines


def load_summaries(reports_dir: Path) -> dict[str, dict[str, Any]]:
    """Every EDA summary under `reports_dir` (a folder per dataset), in the order of DATASETS."""
    summaries = [json.loads(path.read_text()) for path in reports_dir.glob(f"*/{SUMMARY_FILE}")]
    rank = {name: position for position, name in enumerate(DATASETS)}
    summaries.sort(
        key=lambda summary: (rank.get(summary["dataset"], len(rank)), summary["dataset"])
    )
    return {summary["dataset"]: summary for summary in summaries}
