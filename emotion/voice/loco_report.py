"""The LOCO table as people read it, and `evaluate voice --loco`: the committed model's
candidates scored again, corpus by corpus, from the project's own command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from emotion.datasets import detect_dataset, load_records
from emotion.model_files import model_files
from emotion.paths import data_root
from emotion.voice.corpus import CACHE_DIR, VOICE_CORPORA, build_corpus
from emotion.voice.loco import config_from_json, loco


def format_loco(mode: str, table: dict[str, Any]) -> str:
    """One block per session kind: a row per left-out corpus, then the mean over corpora."""
    blocks = []
    for session, scores in table.items():
        lines = [
            f"LOCO, {mode} mode, {session}: each corpus scored by a model that never heard it",
            f"{'corpus':<18}{'n':>6}{'accuracy':>10}{'macro-F1':>10}{'ECE':>7}  emotions",
        ]
        for corpus, row in scores["corpora"].items():
            emotions = "all 7" if len(row["emotions"]) == 7 else ", ".join(row["emotions"])
            lines.append(
                f"{corpus:<18}{row['n']:>6}{row['accuracy']:>10.3f}{row['macro_f1']:>10.3f}"
                f"{row['ece']:>7.3f}  {emotions}"
            )
        mean, gap = scores["mean"], scores["confidence"]
        lines.append(
            f"{'mean':<18}{'':>6}{mean['accuracy']:>10.3f}{mean['macro_f1']:>10.3f}"
            f"{mean['ece']:>7.3f}"
        )
        lines.append(
            f"confidence when right {gap['right']:.3f}, when wrong {gap['wrong']:.3f} "
            f"(gap {gap['gap']:.3f}); pooled ECE {scores['pooled_ece']:.3f}"
        )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def rerun_loco(
    data_dirs: list[Path] | None = None,
    models_dir: Path | None = None,
    cache_dir: Path = CACHE_DIR,
) -> dict[str, dict[str, Any]]:
    """The LOCO tables of the committed model's two candidates on `data_dirs` (default: the
    nine corpora under the data root), written into its metrics file as well. Features and
    each fold's predictions are kept under `cache_dir`, so a rerun is quick."""
    files = model_files("voice", models_dir)
    metrics = json.loads(files.metrics.read_text())
    roots = data_dirs or [data_root() / name for name in VOICE_CORPORA]
    records = [r for root in roots for r in load_records(detect_dataset(root, "audio"), root)]
    corpus = build_corpus(records, int(metrics["settings"]["variants"]), cache_dir=cache_dir)
    tables = {}
    for mode, served in metrics["modes"].items():
        tables[mode] = loco(corpus, config_from_json(served["config"]), cache_dir / "loco")
        served["loco"] = tables[mode]
    files.metrics.write_text(json.dumps(metrics, indent=1) + "\n")
    return tables
