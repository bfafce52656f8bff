"""The committed voice model: its metrics file keeps the contract, its exports agree with Keras,
and it judges real clips in both modes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from emotion.audio.cleaning import prepare_voice
from emotion.audio.decoding import decode_audio
from emotion.backend import keras
from emotion.calibration import apply_temperature
from emotion.datasets import load_records
from emotion.labels import EMOTIONS, as_vector
from emotion.model_files import model_files
from emotion.voice.analysis import (
    SPEAKER_ADAPTIVE,
    analyze_audio_file,
    judge_windows,
    voice_windows,
)
from emotion.voice.blending import blend
from emotion.voice.corpus import EVALUATION_ONLY, VOICE_CORPORA
from emotion.voice.inputs import model_inputs
from emotion.voice.normalise import normalise, speaker_stats
from emotion.voice.served import voice_model
from emotion.voice.speaker import SpeakerProfile

FILES = model_files("voice")
METRICS = json.loads(FILES.metrics.read_text()) if FILES.metrics.is_file() else {}
pytestmark = pytest.mark.skipif(not FILES.servable, reason="no committed voice model")


def test_each_mode_is_the_best_candidate_on_the_loco_mean() -> None:
    for mode, served in METRICS["modes"].items():
        rows = [row for row in METRICS["candidates"] if row["mode"] == mode]
        best = max(rows, key=lambda row: row["loco_mean_macro_f1"])
        assert (served["feature_set"], served["classifier"]) == (
            best["feature_set"],
            best["classifier"],
        )
        (augmentation,) = [row for row in METRICS["augmentation"] if row["mode"] == mode]
        assert served["augment"] == augmentation["augmentation_kept"]
        session = "single clip" if mode == "single" else "all clips"
        table = served["loco"][session]
        # `evaluate voice --loco` rescored the table from kept fold predictions, which a fold
        # trained again (training is not bit-for-bit repeatable) moves by a few thousandths
        assert table["mean"]["macro_f1"] == pytest.approx(
            max(best["loco_mean_macro_f1"], augmentation["without_augmentation"]), abs=0.005
        )
        assert METRICS["headline"][mode]["macro_f1"] == table["mean"]["macro_f1"]
        assert set(table["corpora"]) == set(VOICE_CORPORA)


def test_evaluation_only_corpora_were_never_trained_on() -> None:
    for name, described in METRICS["data"].items():
        assert described["trained_on"] == (name not in EVALUATION_ONLY)


def test_exports_agree_with_keras_on_real_clips(shared_data: Path) -> None:
    records = load_records("emovo", shared_data / "emovo")[::12]
    features = np.stack([model_inputs(prepare_voice(*decode_audio(r.path))) for r in records])
    served = voice_model()
    stats = speaker_stats(features[:, served.adaptive.columns], served.prior_std)
    for mode, keras_path in (
        ("single", FILES.keras),
        ("adaptive", FILES.mode_paths("adaptive")[0]),
    ):
        exported = getattr(served, mode)
        inputs = features[:, exported.columns]
        if mode == "adaptive":
            inputs = normalise(inputs, stats)
        original = keras().models.load_model(keras_path).predict(inputs, verbose=0)
        raw = np.stack([exported.model({"features": x}) for x in inputs])
        np.testing.assert_allclose(raw, original, atol=1e-4)


def test_real_clips_get_seven_calibrated_probabilities_in_both_modes(shared_data: Path) -> None:
    clips = sorted((shared_data / "emovo" / "m2").glob("*.opus"))[:6]
    speaker = SpeakerProfile()
    results = [analyze_audio_file(clip, speaker=speaker) for clip in clips]
    for result in results:
        assert list(result.probabilities) == list(EMOTIONS)
        assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-4)
    assert results[-1].mode == SPEAKER_ADAPTIVE
    assert results[0].mode != SPEAKER_ADAPTIVE or voice_model().min_clips <= 1


def test_adapting_blends_the_clip_alone_with_the_clip_relative_to_the_speaker(
    shared_data: Path,
) -> None:
    model = voice_model()
    clips = sorted((shared_data / "emovo" / "m2").glob("*.opus"))[:6]
    speaker = SpeakerProfile()
    windows = [voice_windows(*decode_audio(clip)) for clip in clips]
    for clip_windows in windows:
        speaker.add(clip_windows.judged)
    assert speaker.windows >= model.min_clips
    result = judge_windows(windows[0], model, speaker)
    features = windows[0].judged[0]
    stats = speaker.stats(model.adaptive.columns, model.prior_std)
    alone = model.single.probabilities(features[model.single.columns])
    relative = model.adaptive.probabilities(normalise(features[model.adaptive.columns], stats))
    expected = apply_temperature(
        blend(alone, relative, speaker.windows, model.blend_half), model.blend_temperature
    )
    assert result.mode == SPEAKER_ADAPTIVE
    np.testing.assert_allclose(as_vector(result.windows[0].probabilities), expected, atol=1e-6)
    assert not np.allclose(expected, relative, atol=1e-3)
