"""The LOCO table as people read it, and `evaluate voice --loco [--ablation]`: the committed
model's candidates scored again, corpus by corpus, and what its choices buy, from the project's
own command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from emotion.datasets import detect_dataset, load_records
from emotion.model_files import ModelFiles, model_files
from emotion.paths import data_root
from emotion.voice.blend_loco import speaker_adaptation
from emotion.voice.build import HEADLINE_SESSION, headline, loco_mean
from emotion.voice.corpus import (
    CACHE_DIR,
    VOICE_CORPORA,
    VoiceCorpus,
    build_corpus,
    with_spectrograms,
)
from emotion.voice.loco import (
    config_from_json,
    loco,
    novelty_reference,
    served_calibration,
    spectrogram_candidate,
    trainable,
)
from emotion.voice.novelty import save_reference


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
        if "recall" in scores:
            recall = scores["recall"]
            means = ", ".join(f"{e} {r:.2f}" for e, r in recall["mean_per_emotion"].items())
            lines.append(
                f"recall per emotion, mean over corpora: {means}; lowest "
                f"{recall['lowest']['emotion']} {recall['lowest']['recall']:.3f}"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


MIN_CORPORA_FOR_ABLATION = 3
"""Leaving one corpus out of training, and another to score, must leave one to train on."""


def committed(
    data_dirs: list[Path] | None, models_dir: Path | None, cache_dir: Path
) -> tuple[ModelFiles, dict[str, Any], VoiceCorpus]:
    """The committed voice model's files and metrics, and the corpus of `data_dirs` (default:
    the nine corpora under the data root) with its features as the model was trained."""
    files = model_files("voice", models_dir)
    metrics = json.loads(files.metrics.read_text())
    roots = data_dirs or [data_root() / name for name in VOICE_CORPORA]
    records = [r for root in roots for r in load_records(detect_dataset(root, "audio"), root)]
    corpus = build_corpus(records, int(metrics["settings"]["variants"]), cache_dir=cache_dir)
    return files, metrics, corpus


def rerun_loco(
    data_dirs: list[Path] | None = None,
    models_dir: Path | None = None,
    cache_dir: Path = CACHE_DIR,
) -> dict[str, dict[str, Any]]:
    """The LOCO tables of the committed model's two candidates on `data_dirs` (default: the
    nine corpora under the data root), written into its metrics file as well, with the served
    calibration refitted on them (and the single-clip model's novelty reference), and how the
    app adapts to a speaker (`speaker_adaptation`: the two modes blended, from how many clips
    on), whose tables are returned as "blended". Features and each fold's predictions are kept
    under `cache_dir`, so a rerun is quick."""
    files, metrics, corpus = committed(data_dirs, models_dir, cache_dir)
    tables = {}
    configs = {mode: config_from_json(m["config"]) for mode, m in metrics["modes"].items()}
    for mode, served in metrics["modes"].items():
        tables[mode] = loco(corpus, configs[mode], cache_dir / "loco")
        served["loco"] = tables[mode]
        served.update(served_calibration(tables[mode][HEADLINE_SESSION[mode]]))
        if mode == "single":
            reference = novelty_reference(corpus, trainable(corpus))
            save_reference(reference, files.novelty_reference)
    metrics["headline"] = headline(metrics["modes"])
    single = loco_mean(tables["single"], "single")
    metrics["speaker_adaptation"] = speaker_adaptation(corpus, configs, single, cache_dir / "loco")
    files.metrics.write_text(json.dumps(metrics, indent=1) + "\n")
    return {**tables, "blended": metrics["speaker_adaptation"]["loco"]}


def ablation(
    data_dirs: list[Path] | None = None,
    models_dir: Path | None = None,
    cache_dir: Path = CACHE_DIR,
    workers: int = 0,
) -> dict[str, Any]:
    """What the committed model's choices buy on the LOCO mean macro-F1, written into its
    metrics file under "ablation": per mode, the served candidate beside a convolutional net on
    log-mel spectrograms (the third kind of input compared); and the adaptive candidate
    trained without each trainable corpus in turn (which corpora help)."""
    files, metrics, corpus = committed(data_dirs, models_dir, cache_dir)
    corpus = with_spectrograms(corpus, workers, cache_dir)
    folds = cache_dir / "loco"
    modes = {mode: config_from_json(served["config"]) for mode, served in metrics["modes"].items()}
    spectrogram: dict[str, Any] = {}
    for mode, config in modes.items():
        table = loco(corpus, spectrogram_candidate(mode), folds)
        spectrogram[mode] = {
            "served": loco_mean(loco(corpus, config, folds), mode),
            "spectrogram_cnn": loco_mean(table, mode),
            "spectrogram_cnn_corpora": {
                dataset: row["macro_f1"]
                for dataset, row in table[HEADLINE_SESSION[mode]]["corpora"].items()
            },
        }
    used = dict.fromkeys(corpus.datasets[trainable(corpus)].tolist())
    without = {
        dataset: loco_mean(loco(corpus, modes["adaptive"], folds, frozenset({dataset})), "adaptive")
        for dataset in (used if len(used) >= MIN_CORPORA_FOR_ABLATION else ())
    }
    result = {
        "spectrogram_cnn": spectrogram,
        "adaptive_without_corpus": {"served": spectrogram["adaptive"]["served"], **without},
    }
    metrics["ablation"] = result
    files.metrics.write_text(json.dumps(metrics, indent=1) + "\n")
    return result


def format_ablation(result: dict[str, Any]) -> str:
    """The ablation as two small tables."""
    lines = ["LOCO mean macro-F1: the served candidate and a CNN on log-mel spectrograms"]
    lines.append(f"{'mode':<10}{'served':>8}{'spectrogram CNN':>17}")
    for mode, row in result["spectrogram_cnn"].items():
        lines.append(f"{mode:<10}{row['served']:>8.3f}{row['spectrogram_cnn']:>17.3f}")
    served = result["adaptive_without_corpus"]["served"]
    lines += [
        "",
        f"Adaptive mode trained without one corpus (LOCO mean macro-F1; all: {served:.3f})",
    ]
    for dataset, mean in result["adaptive_without_corpus"].items():
        if dataset != "served":
            lines.append(f"without {dataset:<18}{mean:>7.3f}  ({mean - served:+.3f})")
    return "\n".join(lines)
