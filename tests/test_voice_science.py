"""The voice model's pure pieces: split, scores, inputs, augmentation, windows, weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from media import voice_like
from sklearn.metrics import f1_score

from emotion.audio.cleaning import MODEL_RATE, level_dbfs
from emotion.audio.features import pitch, power_spectrogram
from emotion.datasets.records import Record
from emotion.labels import EMOTIONS
from emotion.metrics import classification_report
from emotion.splits import assign_splits, split_groups
from emotion.voice.analysis import WINDOW_HOP, window_bounds
from emotion.voice.augment import (
    add_noise,
    band_limit,
    change_speed,
    coloured_noise,
    mask_patch,
    random_variant,
)
from emotion.voice.inputs import (
    PATCH_FRAMES,
    TARGET_DBFS,
    WINDOW_SAMPLES,
    fit_window,
    model_inputs,
    normalise_level,
    standardise_patch,
)
from emotion.voice.training import balanced_weights


def test_split_keeps_every_speaker_in_one_split() -> None:
    actors = [f"Actor_{i:02d}" for i in range(1, 25)]
    split = split_groups(actors)
    assert split == split_groups(list(reversed(actors)))
    assert [list(split.values()).count(name) for name in ("train", "val", "test")] == [15, 4, 5]
    assert set(split_groups(["OAF", "YAF"]).values()) == {"train", "test"}
    assert set(split_groups(["DC", "JE", "JK", "KL"]).values()) == {"train", "val", "test"}
    assert split_groups(["only"]) == {"only": "train"}


def test_split_is_made_within_each_dataset() -> None:
    records = [
        Record(dataset, "audio", Path(f"{dataset}{g}{i}"), "x", "happy", f"g{g}")
        for dataset in ("a", "b")
        for g in range(10)
        for i in range(3)
    ]
    splits = assign_splits(records)
    for dataset in ("a", "b"):
        chosen = [s for r, s in zip(records, splits, strict=True) if r.dataset == dataset]
        assert chosen.count("test") == 6 and chosen.count("val") == 6
    by_group = {}
    for record, split in zip(records, splits, strict=True):
        assert by_group.setdefault((record.dataset, record.group), split) == split


def test_report_matches_sklearn_and_counts_misses() -> None:
    rng = np.random.default_rng(0)
    truth = [EMOTIONS[i] for i in rng.integers(0, 6, 200)]
    guess = [t if rng.random() < 0.6 else EMOTIONS[rng.integers(0, 7)] for t in truth]
    guess[:10] = [None] * 10
    report = classification_report(truth, guess)
    present = sorted(set(truth))
    filled = [g or "none" for g in guess]
    assert report["macro_f1"] == pytest.approx(
        f1_score(truth, filled, labels=present, average="macro")
    )
    assert report["accuracy"] == pytest.approx(np.mean(np.array(truth) == np.array(filled)))
    assert report["n"] == 200 and report["missed"] == 10
    assert report["per_class_recall"]["surprise"] is None
    assert np.array(report["confusion"]).sum() == 190


def test_report_of_a_perfect_guess() -> None:
    report = classification_report(["sad", "happy"], ["sad", "happy"])
    assert report["accuracy"] == report["macro_f1"] == 1.0
    with pytest.raises(ValueError, match="2 labels but 1"):
        classification_report(["sad", "happy"], ["sad"])


def test_window_wraps_short_voice_and_crops_long_voice() -> None:
    short = np.arange(1000, dtype=np.float32)
    wrapped = fit_window(short)
    assert len(wrapped) == WINDOW_SAMPLES and wrapped[1000] == 0 and wrapped[1999] == 999
    long = np.arange(WINDOW_SAMPLES + 100, dtype=np.float32)
    assert fit_window(long)[0] == 50
    assert fit_window(long, offset=100)[0] == 100
    assert fit_window(long, offset=10**6)[-1] == long[-1]


def test_inputs_do_not_depend_on_loudness() -> None:
    voice = voice_like(2.0)
    quiet, loud = model_inputs(voice * 0.01), model_inputs(voice)
    assert quiet.patch.shape == (64, PATCH_FRAMES) and quiet.summary.shape == (154,)
    np.testing.assert_allclose(quiet.patch, loud.patch, atol=1e-3)
    assert level_dbfs(normalise_level(voice * 0.01)) == pytest.approx(TARGET_DBFS, abs=0.01)
    patch = standardise_patch(np.random.default_rng(1).normal(-40, 7, (64, 301)))
    assert patch.mean() == pytest.approx(0, abs=1e-5) and patch.std() == pytest.approx(1, abs=1e-4)


def test_speed_change_moves_pitch_and_length() -> None:
    faster = change_speed(voice_like(2.0, f0=200), 1.1)
    assert len(faster) == pytest.approx(2 * MODEL_RATE / 1.1, abs=2)
    assert np.median(pitch(faster)) == pytest.approx(220, rel=0.02)


def test_noise_is_added_at_the_asked_snr() -> None:
    rng = np.random.default_rng(2)
    voice = voice_like(2.0)
    for exponent in (0.0, 1.0, 2.0):
        noise = coloured_noise(len(voice), exponent, rng)
        noisy = add_noise(voice, 10.0, noise)
        assert level_dbfs(noisy - voice) - level_dbfs(voice) == pytest.approx(-10, abs=0.01)
    power = power_spectrogram(coloured_noise(MODEL_RATE * 2, 1.0, rng)).mean(axis=1)
    assert power[8:16].mean() / power[128:256].mean() > 8  # pink: low bands carry more


def test_band_limit_cuts_outside_the_band() -> None:
    t = np.arange(MODEL_RATE) / MODEL_RATE
    for frequency, kept in ((50, False), (1000, True), (7500, False)):
        tone = np.sin(2 * np.pi * frequency * t).astype(np.float32)
        ratio = level_dbfs(band_limit(tone, 300, 3400)) - level_dbfs(tone)
        assert (ratio > -1) == kept, (frequency, ratio)


def test_variants_and_masks_change_the_clip() -> None:
    rng = np.random.default_rng(3)
    voice = voice_like(2.0)
    variants = [random_variant(voice, rng) for _ in range(8)]
    assert sum(not np.array_equal(v, voice) for v in variants) >= 6
    patch = np.ones((64, 301), np.float32)
    masked = mask_patch(patch, rng)
    assert (masked == 0).any() and patch.min() == 1


def test_window_bounds_cover_long_voice() -> None:
    assert window_bounds(2 * MODEL_RATE) == [(0, 2 * MODEL_RATE)]
    assert window_bounds(int(4.5 * MODEL_RATE)) == [(0, int(4.5 * MODEL_RATE))]
    bounds = window_bounds(10 * MODEL_RATE)
    assert bounds[0] == (0, WINDOW_SAMPLES) and bounds[1][0] == WINDOW_HOP
    assert bounds[-1] == (10 * MODEL_RATE - WINDOW_SAMPLES, 10 * MODEL_RATE)
    assert all(end - start == WINDOW_SAMPLES for start, end in bounds)


def test_weights_balance_datasets_and_classes() -> None:
    datasets = np.array(["big"] * 90 + ["small"] * 10)
    labels = np.array([0] * 60 + [1] * 30 + [0] * 5 + [1] * 5)
    weights = balanced_weights(labels, datasets)
    assert weights.mean() == pytest.approx(1)
    for dataset in ("big", "small"):
        for label in (0, 1):
            chosen = (datasets == dataset) & (labels == label)
            assert weights[chosen].sum() == pytest.approx(25)
