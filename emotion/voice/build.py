"""`python -m emotion train voice`: data -> corpus -> both models -> selection -> files.

Writes models/voice.keras (the model selected on validation speakers), models/voice.tflite
(what the app serves) and models/voice.metrics.json (data, split, every model's scores on the
test speakers, the choice and why, training time, commit).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from emotion.datasets import detect_dataset, load_records
from emotion.fitting import TrainingClock, predicted_labels
from emotion.labels import EMOTIONS
from emotion.litert import export_litert, litert_agreement
from emotion.metrics import classification_report
from emotion.model_files import model_files
from emotion.paths import display_path
from emotion.provenance import git_commit, utc_now
from emotion.splits import SALT, TEST_FRACTION, VAL_FRACTION
from emotion.voice.corpus import CACHE_DIR, VoiceCorpus, build_corpus
from emotion.voice.inputs import TARGET_DBFS, WINDOW_S
from emotion.voice.training import (
    MODEL_NAMES,
    TrainSettings,
    split_inputs,
    test_reports,
    train_models,
)


def split_description(corpus: VoiceCorpus) -> dict[str, Any]:
    """Which speakers and how many clips went to each split, per dataset."""
    described: dict[str, Any] = {
        "method": f"speaker independent: each dataset's speakers ordered by a salted hash "
        f"({SALT}); {TEST_FRACTION:.0%} test, {VAL_FRACTION:.0%} validation (at least one "
        "speaker for test once there are two, for validation once three remain)",
    }
    for dataset in np.unique(corpus.datasets):
        mine = corpus.datasets == dataset
        described[str(dataset)] = {
            split: {
                "speakers": sorted(set(corpus.groups[mine & (corpus.splits == split)].tolist())),
                "clips": int(np.sum(mine & (corpus.splits == split))),
            }
            for split in ("train", "val", "test")
        }
    return described


def train_voice(
    data_dirs: list[Path],
    out_dir: Path,
    work_dir: Path,
    settings: TrainSettings,
    variants: int = 4,
    workers: int = 0,
    cache_dir: Path = CACHE_DIR,
) -> dict[str, Any]:
    """Train, select, export and describe the voice model; returns the metrics written."""
    clock = TrainingClock(work_dir)
    sources = {root: detect_dataset(root, "audio") for root in data_dirs}
    records = [record for root, name in sources.items() for record in load_records(name, root)]
    corpus = build_corpus(records, variants, workers, cache_dir)
    rejected = {path for path, _ in corpus.rejected}
    data = {
        name: {
            "path": display_path(root),
            "clips": sum(r.dataset == name for r in records),
            "not_judged": sum(r.dataset == name and str(r.path) in rejected for r in records),
        }
        for root, name in sources.items()
    }
    print(f"Data: {data}", file=sys.stderr)
    models = train_models(corpus, settings, work_dir, clock)
    val_truth = [EMOTIONS[i] for i in corpus.labels[corpus.splits == "val"]]
    val_inputs = split_inputs(corpus, "val")
    scores = {}
    for name, model in models.items():
        scores[name] = {
            "parameters": int(model.count_params()),
            "val": classification_report(val_truth, predicted_labels(model, val_inputs)),
            "test": test_reports(model, corpus),
        }
        print(
            f"{name}: val macro-F1 {scores[name]['val']['macro_f1']:.3f}, test accuracy "
            f"{scores[name]['test']['pooled']['accuracy']:.3f}",
            file=sys.stderr,
        )
    chosen = max(MODEL_NAMES, key=lambda name: scores[name]["val"]["macro_f1"])
    files = model_files("voice", out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    models[chosen].save(files.keras)
    export_litert(models[chosen], files.litert)
    pooled = scores[chosen]["test"]["pooled"]
    metrics = {
        "model": "voice",
        "chosen": chosen,
        "selection": "highest macro-F1 on the validation speakers",
        **{key: pooled[key] for key in ("accuracy", "macro_f1", "n", "per_class_recall")},
        "evaluated_on": "test speakers (never seen in training or selection), clean clips",
        "data": data,
        "split": split_description(corpus),
        "inputs": {"sample_rate": 16_000, "window_s": WINDOW_S, "level_dbfs": TARGET_DBFS},
        "settings": {**asdict(settings), "variants": variants},
        "models": scores,
        "litert_test_agreement": litert_agreement(
            models[chosen], files.litert, split_inputs(corpus, "test")
        ),
        "training_seconds": round(clock.seconds()),
        "created": utc_now(),
        "commit": git_commit(),
    }
    files.metrics.write_text(json.dumps(metrics, indent=1) + "\n")
    return metrics
