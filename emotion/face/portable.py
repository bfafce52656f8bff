"""`python -m emotion.face.portable teacher|student`: face training that needs only Keras (any
backend), OpenCV and Pillow, for a GPU machine without the app's dependencies.

`teacher` trains one large CNN; `student` distils teachers into the served CNN's design. Each
writes NAME.keras and NAME.json (settings, val scores, backend, seconds) and appends the run,
epoch by epoch, to the run log beside them (see `run_log`); `python -m emotion
export face --model NAME.keras` then makes the served files from a student where TensorFlow is.
Training time is given in minutes (the cosine spread over it), since a lent machine's speed
is not known in advance.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.face.architectures import TEACHERS, build_face_cnn, build_face_teacher
from emotion.face.dataset import CACHE_DIR, face_data
from emotion.face.distillation import ensemble_probabilities
from emotion.face.training import FaceTrainSettings, split_faces, train_cnn
from emotion.fitting import TrainingClock, epoch_log, predicted_labels
from emotion.labels import EMOTIONS
from emotion.metrics import classification_report
from emotion.paths import PROJECT_ROOT, display_path
from emotion.run_log import log_run


def val_scores(predicted: list[str], labels: np.ndarray) -> dict[str, float]:
    """Accuracy and macro-F1 of `predicted` against val's label indices."""
    report = classification_report([EMOTIONS[i] for i in labels], predicted)
    return {"accuracy": report["accuracy"], "macro_f1": report["macro_f1"]}


def ensemble_scores(teachers: Sequence[str], faces: np.ndarray, labels: np.ndarray) -> dict:
    """Val scores of the teachers' ensemble, as the student is taught (with mirror images)."""
    models = [keras().models.load_model(path) for path in teachers]
    probabilities = np.concatenate(
        [ensemble_probabilities(models, batch) for batch in np.array_split(faces, 16)]
    )
    return val_scores([EMOTIONS[i] for i in probabilities.argmax(axis=1)], labels)


def train_portable(
    data_dir: Path,
    out: Path,
    settings: FaceTrainSettings,
    architecture: str | None,
    work_dir: Path,
    cache_dir: Path = CACHE_DIR,
) -> dict[str, Any]:
    """Train a teacher (`architecture`) or, without one, a student; write `out` and its JSON."""
    arrays = face_data(data_dir, cache_dir)[2]
    clock = TrainingClock(work_dir)
    network = (lambda: build_face_teacher(architecture)) if architecture else build_face_cnn
    model = train_cnn(arrays, settings, work_dir, clock, network)
    faces, labels = split_faces(arrays, "val")
    description = {
        "role": f"teacher ({architecture})" if architecture else "student",
        "val": val_scores(predicted_labels(model, {"face": faces}), labels),
        "settings": asdict(settings),
        "keras_backend": keras().backend.backend(),
        "precision": keras().config.dtype_policy().name,
        "training_seconds": round(clock.seconds()),
    }
    if settings.teachers:
        description["teachers_val"] = ensemble_scores(settings.teachers, faces, labels)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    out.with_suffix(".json").write_text(json.dumps(description, indent=1) + "\n")
    log_run(
        out.parent,
        {
            "command": f"portable {description['role']}",
            "model": display_path(out),
            **description,
            "epochs": {"cnn": epoch_log(work_dir, model.name)},
        },
    )
    return description


def build_parser() -> argparse.ArgumentParser:
    """The two commands and their options."""
    parser = argparse.ArgumentParser(prog="python -m emotion.face.portable")
    parser.add_argument("role", choices=["teacher", "student"])
    parser.add_argument("--data", type=Path, required=True, help="FER2013 (folders or CSV)")
    parser.add_argument("--out", type=Path, required=True, help="the .keras file to write")
    parser.add_argument("--architecture", choices=list(TEACHERS), default="wide")
    parser.add_argument("--teachers", type=Path, nargs="*", default=[], help="student: .keras")
    parser.add_argument("--weight", type=float, default=0.7, help="student: teachers' share")
    parser.add_argument("--init-from", type=Path, help="student: start from this face model")
    parser.add_argument("--minutes", type=float, required=True, help="training time")
    parser.add_argument(
        "--precision",
        choices=["float32", "mixed_bfloat16"],
        default="float32",
        help="teacher: mixed_bfloat16 computes in bfloat16 (GPUs with bfloat16 units)",
    )
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    parser.add_argument(
        "--work-dir", type=Path, help="checkpoints, removed when done (default: checkpoints/NAME)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one training and print its description."""
    args = build_parser().parse_args(argv)
    teacher = args.role == "teacher"
    keras().config.set_dtype_policy(args.precision if teacher else "float32")
    settings = FaceTrainSettings(
        cnn_epochs=10_000,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        seed=args.seed,
        init_from=None if teacher or not args.init_from else str(args.init_from),
        teachers=() if teacher else tuple(str(path) for path in args.teachers),
        distillation_weight=args.weight,
        minutes=args.minutes,
    )
    work_dir = args.work_dir or PROJECT_ROOT / "checkpoints" / args.out.stem
    description = train_portable(
        args.data,
        args.out,
        settings,
        args.architecture if teacher else None,
        work_dir,
        args.cache_dir,
    )
    shutil.rmtree(work_dir, ignore_errors=True)
    print(json.dumps(description["val"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
