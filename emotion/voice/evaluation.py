"""`python -m emotion evaluate voice`: score a labelled folder with the served model.

Every clip goes through the same code as in the app (decode, resample, trim, windows, LiteRT).
A clip that cannot be judged (silent, too short, noise) counts as a miss, with its reason.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from emotion.audio.errors import AudioError
from emotion.datasets import detect_dataset, load_records
from emotion.metrics import folder_report
from emotion.splits import select_split
from emotion.voice.analysis import analyze_audio_file, voice_model


def evaluate_voice(
    root: Path, dataset: str | None = None, split: str = "all", model_path: Path | None = None
) -> dict[str, Any]:
    """accuracy, macro_f1, n, per_class_recall, confusion... of the voice model on `root`.

    `split` keeps only the speakers the project's split puts in train, val or test ("all":
    every clip, for corpora the model never saw).
    """
    name = dataset or detect_dataset(root, "audio")
    records = select_split(load_records(name, root), split)
    model = voice_model(model_path)
    predicted: list[str | None] = []
    problems: Counter[str] = Counter()
    for done, record in enumerate(records, start=1):
        try:
            predicted.append(analyze_audio_file(record.path, model).label)
        except AudioError as error:
            predicted.append(None)
            problems[str(error).split(":")[0].rstrip(".")] += 1
        if done % 500 == 0:
            print(f"  {done}/{len(records)} clips", file=sys.stderr)
    truth = [record.label for record in records]
    report = folder_report(model.path, name, root, split, truth, predicted)
    return {**report, "not_judged": dict(problems)}
