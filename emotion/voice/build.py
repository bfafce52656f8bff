"""`python -m emotion train voice`: corpora -> features -> LOCO comparison -> served models.

Candidates (feature set x classifier, in both modes) are compared on the leave-one-corpus-out
(LOCO) mean macro-F1; the best of each mode is trained on every trainable corpus and written to
models/: voice.keras and voice.tflite (single clip), voice.adaptive.keras and
voice.adaptive.tflite (speaker adaptive), and voice.metrics.json (data, LOCO tables, what each
choice bought, calibration temperatures, the typical within-speaker spread, speed-relevant sizes,
training time, commit).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np

from emotion.datasets import DatasetError, detect_dataset, load_records
from emotion.fitting import TrainingClock
from emotion.litert import export_litert, litert_agreement
from emotion.model_files import model_files
from emotion.paths import display_path
from emotion.provenance import git_commit, utc_now
from emotion.splits import SALT, TEST_FRACTION, VAL_FRACTION
from emotion.voice.architectures import CLASSIFIERS, build_ensemble
from emotion.voice.blend_loco import speaker_adaptation
from emotion.voice.corpus import CACHE_DIR, EVALUATION_ONLY, VoiceCorpus, build_corpus
from emotion.voice.inputs import FEATURE_SETS, TARGET_DBFS, WINDOW_S
from emotion.voice.loco import (
    Config,
    adaptive_features,
    columns,
    config_json,
    ensemble,
    loco,
    novelty_reference,
    served_calibration,
    speaker_independent,
    speaker_keys,
    trainable,
)
from emotion.voice.normalise import within_speaker_std
from emotion.voice.novelty import save_reference
from emotion.voice.training import TrainSettings, fit_classifier

HEADLINE_SESSION = {"single": "single clip", "adaptive": "all clips"}
REGULARISATION = {
    "single": {"noise": 0.2, "dropout": 0.3},
    "adaptive": {"noise": 0.5, "dropout": 0.5},
}
"""Input noise and dropout per mode, chosen on the LOCO mean macro-F1: speaker-normalised
features overfit sooner, so the adaptive mode's classifiers are regularised more."""
COMPARED_FEATURE_SETS = ("egemaps+librosa", "encoder", "all")
"""The inputs compared: the hand-made measures (eGeMAPS and librosa alone each scored below
their union), the speech encoder's embedding, and both."""


def loco_mean(table: dict[str, Any], mode: str) -> float:
    """The LOCO mean macro-F1 a candidate is chosen on."""
    return float(table[HEADLINE_SESSION[mode]]["mean"]["macro_f1"])


def compare(
    corpus: VoiceCorpus, settings: TrainSettings, everything: bool, folds: Path
) -> tuple[dict[str, Config], list[dict[str, Any]], dict[str, dict]]:
    """The best candidate per mode by LOCO mean macro-F1, every candidate's row, and the chosen
    candidates' LOCO tables. `everything` False compares only the default candidate per mode.

    Candidates: every classifier on every compared feature set, then two ensembles: the best
    classifier of each feature set, and all of them.
    """
    feature_sets = list(COMPARED_FEATURE_SETS) if everything else [Config().feature_set]
    classifiers = list(CLASSIFIERS) if everything else [settings.classifier]
    rows, tables, chosen = [], {}, {}
    for mode in ("single", "adaptive"):
        singles = [
            Config(
                feature_set,
                mode,
                replace(settings, classifier=classifier, **REGULARISATION[mode]),
            )
            for feature_set in feature_sets
            for classifier in classifiers
        ]
        scored = {config: loco(corpus, config, folds) for config in singles}
        if len(singles) > 1:
            best_of_each = [
                max(
                    (c for c in singles if c.feature_set == feature_set),
                    key=lambda c: loco_mean(scored[c], mode),
                )
                for feature_set in feature_sets
            ]
            for members in (best_of_each, singles):
                scored[ensemble(members)] = loco(corpus, ensemble(members), folds)
        for config, table in scored.items():
            mean = loco_mean(table, mode)
            rows.append({**config.describe(), "loco_mean_macro_f1": mean})
            print(f"{config.describe()}: LOCO mean macro-F1 {mean:.3f}", file=sys.stderr)
        chosen[mode] = max(scored, key=lambda c: loco_mean(scored[c], mode))
        tables[mode] = scored[chosen[mode]]
    return chosen, rows, tables


def without_augmentation(config: Config) -> Config:
    """The same candidate (and members) trained on clean clips only."""
    return replace(
        config,
        settings=replace(config.settings, augment=False),
        members=tuple(without_augmentation(member) for member in config.members),
    )


def choose_augmentation(
    corpus: VoiceCorpus, chosen: dict[str, Config], tables: dict[str, dict], folds: Path
) -> list[dict[str, Any]]:
    """What augmentation buys each chosen candidate: the same candidate trained on clean clips
    only, which replaces it (in `chosen` and `tables`) when its LOCO mean is higher. Returns a
    row per mode with both means."""
    rows = []
    for mode, config in list(chosen.items()):
        plain = without_augmentation(config)
        table = loco(corpus, plain, folds)
        with_it, without = loco_mean(tables[mode], mode), loco_mean(table, mode)
        rows.append(
            {
                **config.describe(),
                "loco_mean_macro_f1": with_it,
                "without_augmentation": without,
                "augmentation_kept": with_it >= without,
            }
        )
        if without > with_it:
            chosen[mode], tables[mode] = plain, table
    return rows


def train_final(corpus: VoiceCorpus, config: Config, prior: np.ndarray) -> tuple[Any, np.ndarray]:
    """The served model of `config`, trained on every trainable clip, and its clean inputs.

    `prior` is the typical within-speaker spread of `config`'s columns (adaptive mode).
    """
    train = trainable(corpus)
    x = columns(corpus, config.feature_set)[:, train]
    if config.mode == "adaptive":
        x = adaptive_features(x, speaker_keys(corpus)[train], prior, None)
    if config.members:
        parts = [
            (train_final(corpus, m, prior[FEATURE_SETS[m.feature_set]])[0], m.feature_set)
            for m in config.members
        ]
        return build_ensemble(parts), x[0]
    model = fit_classifier(x, corpus.labels[train], corpus.datasets[train], config.settings)
    return model, x[0]


def headline(modes: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per mode, the LOCO mean accuracy, macro-F1 and ECE of its headline session."""
    return {
        mode: {
            key: modes[mode]["loco"][HEADLINE_SESSION[mode]]["mean"][key]
            for key in ("accuracy", "macro_f1", "ece")
        }
        for mode in modes
    }


def data_description(sources: dict[Path, str], records: list, corpus: VoiceCorpus) -> dict:
    """Clips, speakers and rejected clips per corpus, and whether it was trained on."""
    rejected = {Path(path).resolve() for path, _ in corpus.rejected}
    return {
        name: {
            "path": display_path(root),
            "clips": sum(r.dataset == name for r in records),
            "speakers": len({r.group for r in records if r.dataset == name}),
            "not_judged": sum(r.dataset == name and r.path.resolve() in rejected for r in records),
            "trained_on": name not in EVALUATION_ONLY,
        }
        for root, name in sources.items()
    }


def train_voice(
    data_dirs: list[Path],
    out_dir: Path,
    work_dir: Path,
    settings: TrainSettings,
    variants: int = 2,
    workers: int = 0,
    cache_dir: Path = CACHE_DIR,
    compare_all: bool = True,
) -> dict[str, Any]:
    """Compare, train, export and describe the voice models; returns the metrics written.

    Features and every LOCO fold's predictions are kept under `cache_dir` (an interrupted run
    resumes with the next corpus or fold); `work_dir` keeps the training time across runs.
    """
    clock = TrainingClock(work_dir)
    sources = {root: detect_dataset(root, "audio") for root in data_dirs}
    if len(set(sources.values())) < 2 or not set(sources.values()) - EVALUATION_ONLY:
        raise DatasetError(
            "train voice needs at least two corpora (models are chosen by leaving each corpus "
            f"out in turn), one of them trainable; got {', '.join(sources.values())}"
        )
    records = [record for root, name in sources.items() for record in load_records(name, root)]
    corpus = build_corpus(records, variants, workers, cache_dir)
    folds = cache_dir / "loco"
    chosen, candidates, tables = compare(corpus, settings, compare_all, folds)
    augmentation = choose_augmentation(corpus, chosen, tables, folds)
    keys = speaker_keys(corpus)
    files = model_files("voice", out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    served: dict[str, Any] = {}
    for mode, config in chosen.items():
        raw = columns(corpus, config.feature_set)[0]
        prior = within_speaker_std(raw[trainable(corpus)], keys[trainable(corpus)])
        model, inputs = train_final(corpus, config, prior)
        keras_path, litert_path = files.mode_paths(mode)
        model.save(keras_path)
        export_litert(model, litert_path)
        served[mode] = {
            **config.describe(),
            "config": config_json(config),
            "loco": tables[mode],
            "speaker_independent": speaker_independent(corpus, config),
            **served_calibration(tables[mode][HEADLINE_SESSION[mode]]),
            "parameters": int(model.count_params()),
            "litert_agreement": litert_agreement(model, litert_path, {"features": inputs[:500]}),
        }
        if mode == "adaptive":
            served[mode]["prior_std"] = prior.tolist()
        else:
            save_reference(novelty_reference(corpus, trainable(corpus)), files.novelty_reference)
    metrics = {
        "model": "voice",
        "selection": "highest leave-one-corpus-out (LOCO) mean macro-F1 per mode",
        "headline": headline(served),
        "evaluated_on": "each corpus left out in turn: a model trained on the other corpora "
        f"scores it; {', '.join(sorted(EVALUATION_ONLY))} is only ever left out (its licence "
        "allows evaluation only)",
        "data": data_description(sources, records, corpus),
        "split": {
            "method": f"speaker independent within each corpus, for the secondary column: "
            f"speakers ordered by a salted hash ({SALT}); {TEST_FRACTION:.0%} test, "
            f"{VAL_FRACTION:.0%} validation",
        },
        "inputs": {
            "sample_rate": 16_000,
            "window_s": WINDOW_S,
            "level_dbfs": TARGET_DBFS,
            "features": "eGeMAPS v02 functionals (88) + librosa summary statistics (154) + "
            "speech-encoder embedding (512: Whisper base's encoder, first 3 blocks, averaged "
            "over the window)",
        },
        "speaker_adaptation": speaker_adaptation(
            corpus, chosen, loco_mean(tables["single"], "single"), folds
        ),
        "settings": {"variants": variants, **asdict(settings)},
        "candidates": candidates,
        "augmentation": augmentation,
        "modes": served,
        "training_seconds": round(clock.seconds()),
        "created": utc_now(),
        "commit": git_commit(),
    }
    files.metrics.write_text(json.dumps(metrics, indent=1) + "\n")
    return metrics
