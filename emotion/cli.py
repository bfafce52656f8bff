"""`python -m emotion ...`: the project's command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from emotion.datasets import DATASETS, DatasetError, default_path
from emotion.eda import analyse, format_markdown, write_report
from emotion.paths import EDA_DIR, data_root


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="python -m emotion", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    listing = commands.add_parser("datasets", help="list the supported dataset layouts")
    listing.set_defaults(handler=list_datasets)

    eda = commands.add_parser("eda", help="explore a dataset: counts, imbalance, media, plots")
    eda.add_argument("--dataset", required=True, choices=list(DATASETS))
    eda.add_argument(
        "--data",
        type=Path,
        help="the dataset's folder (or FER2013 CSV); default: its folder under $EMOTION_DATA "
        "or ../shared/data",
    )
    eda.add_argument(
        "--out", type=Path, help=f"where to write the report (default: {EDA_DIR}/DATASET)"
    )
    eda.add_argument("--json", action="store_true", help="print the summary as JSON")
    eda.set_defaults(handler=run_eda)
    return parser


def list_datasets(_: argparse.Namespace) -> int:
    """Print each supported layout, its modality, expected files and label policy."""
    for spec in DATASETS.values():
        where = default_path(spec.name)
        print(f"{spec.name} ({spec.modality}){f' - default {where}' if where else ''}")
        print(f"  layout: {spec.layout}\n  labels: {spec.policy}")
    return 0


def run_eda(args: argparse.Namespace) -> int:
    """Analyse one dataset, write its report and figures, print the summary."""
    root = args.data or default_path(args.dataset)
    if root is None:
        raise DatasetError(f"--data is required: {args.dataset} has no folder under {data_root()}")
    print(f"Reading {args.dataset} from {root} ...", file=sys.stderr)
    summary = analyse(args.dataset, root)
    written = write_report(summary, args.out or EDA_DIR / args.dataset)
    print(json.dumps(summary, indent=1) if args.json else format_markdown(summary))
    print(f"Wrote {', '.join(str(path) for path in written)}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; user errors print a one-line message and exit with status 2."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
