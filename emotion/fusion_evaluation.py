"""What fusion adds: face + voice pairs scored at every face weight, by both rules.

The data hold no real pairs (one person's face and voice at the same moment), so pairs are
simulated: every voice clip of the leave-one-corpus-out comparison (calibrated, judged by a
model that never heard its corpus) is paired with a FER2013 val face of the same emotion (the
served face model, calibrated). Face and voice errors are independent in such pairs, so the
table shows what each weight and rule makes of two calibrated models, not how much real
expressions agree. Pure functions of probability rows, and `served_fusion`, which feeds them
the served models' predictions (`python -m emotion evaluate fusion`, which also writes the
tables to models/fusion.metrics.json for the Model report page).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from emotion.calibration import apply_temperature, expected_calibration_error
from emotion.face.analysis import face_temperature
from emotion.face.calibration import val_probabilities
from emotion.fusion import DEFAULT_FACE_WEIGHT, DEFAULT_RULE, FUSION_RULES, combine
from emotion.model_files import fusion_metrics_path, model_files
from emotion.paths import display_path
from emotion.provenance import git_commit, utc_now
from emotion.voice.build import HEADLINE_SESSION
from emotion.voice.corpus import CACHE_DIR
from emotion.voice.loco import calibrated_predictions, config_from_json, loco_predictions
from emotion.voice.loco_report import committed

WEIGHTS = tuple(round(w / 10, 1) for w in range(11))
"""The face weights scored: 0 (voice alone) to 1 (face alone) in steps of 0.1."""


def same_emotion_faces(
    face_labels: np.ndarray, voice_labels: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """For every voice clip, the index of a face with the same label, drawn at random."""
    by_label = {label: np.flatnonzero(face_labels == label) for label in np.unique(voice_labels)}
    missing = [int(label) for label, faces in by_label.items() if len(faces) == 0]
    if missing:
        raise ValueError(f"no face with label(s) {missing} to pair voices with")
    return np.array([rng.choice(by_label[label]) for label in voice_labels], dtype=int)


def fusion_table(
    face: np.ndarray,
    face_labels: np.ndarray,
    voices: dict[str, tuple[np.ndarray, np.ndarray]],
    seed: int = 0,
) -> dict[str, Any]:
    """Accuracy and ECE of the fused pairs per rule and face weight (mean over the voice
    corpora, each paired once with same-emotion faces), and the best rule and weight.

    `voices` maps a corpus to its (n, 7) voice probabilities and label indices.
    """
    rng = np.random.default_rng(seed)
    pairs = [
        (face[same_emotion_faces(face_labels, labels, rng)], probabilities, labels)
        for probabilities, labels in voices.values()
    ]
    table: dict[str, Any] = {}
    for rule in FUSION_RULES:
        rows = {}
        for weight in WEIGHTS:
            scores = []
            for paired_faces, paired_voices, labels in pairs:
                fused = combine(paired_faces, paired_voices, weight, rule)
                scores.append(
                    (np.mean(fused.argmax(1) == labels), expected_calibration_error(fused, labels))
                )
            accuracy, ece = np.mean(scores, axis=0)
            rows[str(weight)] = {"accuracy": float(accuracy), "ece": float(ece)}
        table[rule] = rows
    best_rule, best_weight = max(
        ((rule, weight) for rule in FUSION_RULES for weight in table[rule]),
        key=lambda chosen: table[chosen[0]][chosen[1]]["accuracy"],
    )
    return {
        "pairs": int(sum(len(labels) for _, labels in voices.values())),
        "rules": table,
        "best": {
            "rule": best_rule,
            "face_weight": float(best_weight),
            **table[best_rule][best_weight],
        },
    }


def format_fusion(mode: str, table: dict[str, Any]) -> str:
    """One row per face weight: accuracy (and ECE) of each rule."""
    rules = list(table["rules"])
    lines = [
        f"Fusion, voice {mode}: {table['pairs']} simulated face + voice pairs "
        "(mean over voice corpora)",
        f"{'face weight':<13}" + "".join(f"{rule + ' acc / ECE':>26}" for rule in rules),
    ]
    for weight in WEIGHTS:
        cells = [table["rules"][rule][str(weight)] for rule in rules]
        note = "  (voice alone)" if weight == 0 else "  (face alone)" if weight == 1 else ""
        lines.append(
            f"{weight:<13}"
            + "".join(f"{c['accuracy']:>18.3f} / {c['ece']:.3f}" for c in cells)
            + note
        )
    best = table["best"]
    lines.append(
        f"best: {best['rule']} at face weight {best['face_weight']}, "
        f"accuracy {best['accuracy']:.3f}"
    )
    return "\n".join(lines)


def served_fusion(
    faces_dir: Path,
    voice_dirs: list[Path] | None = None,
    cache_dir: Path = CACHE_DIR,
    voice_models: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """The fusion table per voice mode: the served face model on the FER2013 val faces of
    `faces_dir`, and the LOCO predictions of the voice model's candidates (`voice_models`,
    default models/) on the voice corpora (`voice_dirs`, default the nine under the data root;
    each fold's predictions are kept under `cache_dir`, as `evaluate voice --loco` keeps them)."""
    face, face_labels = val_probabilities(faces_dir, model_files("face").litert)
    face = apply_temperature(face, face_temperature())
    _, metrics, corpus = committed(voice_dirs, voice_models, cache_dir)
    tables = {}
    for mode, served in metrics["modes"].items():
        config = config_from_json(served["config"])
        predictions, labels, novelties = loco_predictions(corpus, config, cache_dir / "loco")
        calibrated, _ = calibrated_predictions(
            predictions[HEADLINE_SESSION[mode]], labels, novelties
        )
        voices = {
            corpus_name: (calibrated[corpus_name], labels[corpus_name]) for corpus_name in labels
        }
        tables[mode] = fusion_table(face, face_labels, voices)
    return tables


def write_fusion_metrics(
    tables: dict[str, dict[str, Any]], faces_dir: Path, models_dir: Path | None = None
) -> Path:
    """`served_fusion`'s tables as models/fusion.metrics.json, with what they were measured on
    and the defaults the app uses."""
    path = fusion_metrics_path(models_dir)
    metrics = {
        "evaluated_on": "simulated pairs: each voice clip of the leave-one-corpus-out comparison "
        "(calibrated, judged by a model that never heard its corpus) with a FER2013 val face of "
        f"the same emotion ({display_path(faces_dir)}; the served face model, calibrated); "
        "accuracy and ECE are means over the voice corpora",
        "defaults": {"rule": DEFAULT_RULE, "face_weight": DEFAULT_FACE_WEIGHT},
        "modes": tables,
        "created": utc_now(),
        "commit": git_commit(),
    }
    path.write_text(json.dumps(metrics, indent=1) + "\n")
    return path
