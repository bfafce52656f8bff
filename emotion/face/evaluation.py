"""`python -m emotion evaluate face`: score a labelled image folder with the served model.

By default each image is taken as an already-cropped face (FER2013, CK+48); with a detector it
runs first, the largest face found is classified, and an image with no face found
counts as a miss.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from emotion.datasets import detect_dataset, load_records
from emotion.datasets.records import Record
from emotion.face.analysis import classify_face, face_model
from emotion.face.detection import Detector, detect_faces
from emotion.face.errors import ImageError
from emotion.face.images import load_image
from emotion.face.preprocess import crop, to_gray
from emotion.labels import top_emotion
from emotion.litert import LiteRTModel
from emotion.metrics import folder_report
from emotion.splits import select_split


def record_gray(record: Record) -> Any:
    """The record's image in grayscale (pixels held in memory for the FER2013 CSV)."""
    return record.pixels if record.pixels is not None else to_gray(load_image(record.path))


def predict_record(record: Record, model: LiteRTModel, detector: Detector | None) -> str | None:
    """The predicted emotion of one image, None when no face was found (or it is unreadable)."""
    try:
        gray = record_gray(record)
    except ImageError:
        return None
    if detector:
        faces = detect_faces(gray, detector)
        if not faces:
            return None
        gray = crop(gray, faces[0].as_tuple())
    return top_emotion(classify_face(gray, model))


def evaluate_face(
    root: Path,
    dataset: str | None = None,
    split: str = "all",
    detector: Detector | None = None,
    model_path: Path | None = None,
) -> dict[str, Any]:
    """accuracy, macro_f1, n, per_class_recall, confusion... of the face model on `root`.

    With a `detector` the largest face it finds is classified; without, the whole image.
    """
    name = dataset or detect_dataset(root, "image")
    records = select_split(load_records(name, root), split)
    model = face_model(model_path)
    predicted = []
    for done, record in enumerate(records, start=1):
        predicted.append(predict_record(record, model, detector))
        if done % 5000 == 0:
            print(f"  {done}/{len(records)} images", file=sys.stderr)
    truth = [record.label for record in records]
    return {**folder_report(model.path, name, root, split, truth, predicted), "detector": detector}
