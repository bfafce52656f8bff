"""Reading a model's metrics file for reports: every evaluation of every candidate model, flat.

Metrics files nest evaluations differently (the face model reports `val`; the voice model `val`
and `test` per dataset); here each becomes one named report with accuracy, macro-F1, per-class
recall and a confusion matrix, so pages and tables need not know the nesting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emotion.model_files import ModelKind, fusion_metrics_path, model_files

REPORT_KEYS = ("accuracy", "macro_f1", "confusion")


def load_metrics(kind: ModelKind) -> dict[str, Any] | None:
    """The `kind` model's metrics file as a dict, or None when it is missing or unreadable."""
    path = model_files(kind).metrics
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def load_fusion_metrics(models_dir: Path | None = None) -> dict[str, Any] | None:
    """The fusion tables `python -m emotion evaluate fusion` wrote, or None (missing or
    unreadable)."""
    try:
        return json.loads(fusion_metrics_path(models_dir).read_text())
    except (OSError, ValueError):
        return None


def evaluations(model: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every report in one candidate model's entry, named by its path ("val", "test / tess")."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any], names: tuple[str, ...]) -> None:
        if all(key in node for key in REPORT_KEYS):
            found[" / ".join(names)] = node
            return
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, (*names, key))

    walk({k: v for k, v in model.items() if isinstance(v, dict)}, ())
    return found


def comparison_rows(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per candidate model and evaluation: model, evaluation, n, accuracy, macro-F1,
    parameters, and whether it is the model the app serves."""
    return [
        {
            "model": name,
            "served": name == metrics.get("chosen"),
            "evaluation": evaluation,
            "n": report.get("n"),
            "accuracy": report["accuracy"],
            "macro_f1": report["macro_f1"],
            "parameters": model.get("parameters"),
        }
        for name, model in metrics.get("models", {}).items()
        for evaluation, report in evaluations(model).items()
    ]


CORPUS_NAMES = {
    "ravdess": "RAVDESS (English, acted, 24 speakers)",
    "tess": "TESS (English, acted, 2 speakers)",
    "emodb": "EmoDB (German, acted, 10 speakers)",
    "emovo": "EMOVO (Italian, acted, 6 speakers)",
    "urdu": "URDU (Urdu, TV talk shows)",
    "turev": "TurEV-DB (Turkish words, 6 speakers)",
    "spanish_rcebrian": "Spanish (acted, 14 speakers)",
    "nemo": "nEMO (Polish, acted, 9 speakers)",
    "emospeech_indian": "EmoSpeech Command (Hindi/English, own phones)",
}
"""How the model report names each speech corpus for users."""


def loco_rows(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per corpus: what it is, which emotions it has, and each mode's leave-one-corpus-
    out accuracy and macro-F1 (a model that never heard the corpus scored it)."""
    single = metrics["modes"]["single"]["loco"]["single clip"]["corpora"]
    adaptive = metrics["modes"]["adaptive"]["loco"]["all clips"]["corpora"]
    return [
        {
            "corpus": CORPUS_NAMES.get(name, name),
            "clips": row["n"],
            "emotions": "all 7" if len(row["emotions"]) == 7 else ", ".join(row["emotions"]),
            "single clip: accuracy": row["accuracy"],
            "single clip: macro-F1": row["macro_f1"],
            "adapted to the speaker: accuracy": adaptive[name]["accuracy"],
            "adapted to the speaker: macro-F1": adaptive[name]["macro_f1"],
            "trained on": metrics["data"].get(name, {}).get("trained_on", True),
        }
        for name, row in single.items()
    ]


def session_rows(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """The served speaker-adaptive mode's LOCO mean (both modes blended) for each kind of
    session (how much of the speaker was heard), after the single-clip mode's for comparison."""
    single = metrics["modes"]["single"]["loco"]["single clip"]
    rows = [{"heard of the speaker": "nothing (single clip)", **single["mean"]}]
    for session, table in metrics["speaker_adaptation"]["loco"].items():
        rows.append({"heard of the speaker": session, **table["mean"]})
    return rows


FACE_DATASET_NAMES = {
    "fer2013": "FER2013 (grey web photos, 48x48)",
    "ckplus48": "CK+ (lab video frames, posed)",
    "jaffe": "JAFFE (10 Japanese women, posed)",
    "facial_expressions": "facial_expressions (web and news photos)",
    "yalefaces": "Yale faces (15 people, studio)",
    "london_faces": "London set (102 adults, colour studio photos)",
}
"""How the model report names each face dataset for users."""


def face_lodo_rows(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per face dataset: the served recipe's accuracy on it when it was left out of
    training, beside what the network trained on FER2013 alone scored; empty without a table."""
    served = metrics.get("lodo", {}).get("served")
    if not served:
        return []
    before = served.get("base_model", {}).get("domains", {})
    return [
        {
            "kind of faces (never trained on)": FACE_DATASET_NAMES.get(name, name),
            "faces": row["n"],
            "accuracy": row["accuracy"],
            "macro-F1": row["macro_f1"],
            "calibration error": row["ece"],
            "trained on FER2013 alone: accuracy": before.get(name, {}).get("accuracy"),
        }
        for name, row in served["domains"].items()
    ]


@dataclass(frozen=True)
class Headline:
    """One figure of the report's first screen: how often something is right, and on what."""

    label: str
    right: float
    data: str


def headlines(
    face: dict[str, Any] | None, voice: dict[str, Any] | None, fusion: dict[str, Any] | None
) -> list[Headline]:
    """How often the face, the voice (alone and adapted to the speaker) and both together are
    right on data the models never trained on, with the kind of data, for the models whose
    metrics exist."""
    found = []
    if face is not None:
        served = face.get("lodo", {}).get("served")
        if served:
            found.append(
                Headline(
                    "Face",
                    served["mean_accuracy"],
                    f"photos from {len(served['domains'])} face datasets, each judged by a "
                    "model that never trained on it",
                )
            )
        else:
            found.append(Headline("Face", face["accuracy"], "faces it never trained on"))
    if voice is not None:
        corpora = len(voice["modes"]["single"]["loco"]["single clip"]["corpora"])
        heard = f"recordings from {corpora} speech corpora it never heard"
        found.append(Headline("Voice, one clip", voice["headline"]["single"]["accuracy"], heard))
        found.append(
            Headline(
                "Voice, adapted to the speaker",
                voice["headline"]["adaptive"]["accuracy"],
                f"the same, once it has heard {voice['speaker_adaptation']['min_clips']} "
                "stretches of the speaker",
            )
        )
    if fusion is not None:
        rule, weight = fusion["defaults"]["rule"], str(fusion["defaults"]["face_weight"])
        found.append(
            Headline(
                "Face and voice together",
                fusion["modes"]["single"]["rules"][rule][weight]["accuracy"],
                "a voice clip paired with a face of the same emotion, one clip, the app's "
                "default weights",
            )
        )
    return found
