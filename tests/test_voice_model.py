"""The committed voice model: its metrics file keeps the contract, its export agrees with Keras."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from emotion.audio.cleaning import prepare_voice
from emotion.audio.decoding import decode_audio
from emotion.backend import keras
from emotion.datasets import load_records
from emotion.labels import EMOTIONS
from emotion.model_files import model_files
from emotion.splits import assign_splits
from emotion.voice.analysis import analyze_audio_file, voice_model
from emotion.voice.inputs import model_inputs

FILES = model_files("voice")
pytestmark = pytest.mark.skipif(not FILES.servable, reason="no committed voice model")


def test_metrics_file_reports_the_selected_model_on_test_speakers() -> None:
    metrics = json.loads(FILES.metrics.read_text())
    chosen, models = metrics["chosen"], metrics["models"]
    assert chosen == max(models, key=lambda name: models[name]["val"]["macro_f1"])
    pooled = metrics["models"][chosen]["test"]["pooled"]
    for key in ("accuracy", "macro_f1", "n", "per_class_recall"):
        assert metrics[key] == pooled[key]
    for dataset, split in metrics["split"].items():
        if dataset != "method":
            assert not set(split["train"]["speakers"]) & set(split["test"]["speakers"])
    assert set(metrics["models"]) == {"ann", "cnn", "ensemble"}


def test_export_agrees_with_keras_on_real_test_speakers(shared_data: Path) -> None:
    records = load_records("ravdess", shared_data / "ravdess")
    test = [r for r, s in zip(records, assign_splits(records), strict=True) if s == "test"]
    served = voice_model()
    model = keras().models.load_model(FILES.keras)
    agree = []
    for record in test[::6]:
        inputs = model_inputs(prepare_voice(*decode_audio(record.path)))
        values = {"patch": inputs.patch, "summary": inputs.summary}
        exported = served({name: values[name] for name in served.input_names})
        batch = [values[tensor.name][np.newaxis] for tensor in model.inputs]
        original = model.predict(batch[0] if len(batch) == 1 else batch, verbose=0)[0]
        np.testing.assert_allclose(exported, original, atol=1e-4)
        agree.append(np.argmax(exported) == np.argmax(original))
    assert len(agree) == 50 and all(agree)


def test_real_clip_gets_seven_probabilities(shared_data: Path) -> None:
    clip = shared_data / "tess" / "YAF_angry" / "YAF_back_angry.opus"
    result = analyze_audio_file(clip)
    assert list(result.probabilities) == list(EMOTIONS)
    assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-4)
    assert len(result.windows) == 1
