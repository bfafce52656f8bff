"""The voice model's pure pieces: split, scores, inputs, augmentation, windows, weights,
speaker normalisation, calibration and the LOCO sessions."""

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
    mp3_round_trip,
    random_variant,
    reverberate,
)
from emotion.voice.inputs import (
    FEATURE_SETS,
    SINGLE_WINDOW_SAMPLES,
    TARGET_DBFS,
    WINDOW_SAMPLES,
    feature_names,
    fit_window,
    model_inputs,
    normalise_level,
)
from emotion.voice.loco import SESSION_SIZES, recall_summary, reference_masks, score
from emotion.voice.normalise import (
    PRIOR_CLIPS,
    normalise,
    normalise_by_group,
    speaker_stats,
    within_speaker_std,
)
from emotion.voice.speaker import MAX_WINDOWS, SpeakerProfile
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


def test_window_keeps_one_window_of_voice_and_crops_longer_voice() -> None:
    short = np.arange(1000, dtype=np.float32)
    assert fit_window(short) is short
    one = np.arange(SINGLE_WINDOW_SAMPLES, dtype=np.float32)
    assert len(fit_window(one)) == SINGLE_WINDOW_SAMPLES
    long = np.arange(SINGLE_WINDOW_SAMPLES + 100, dtype=np.float32)
    spare = len(long) - WINDOW_SAMPLES
    assert len(fit_window(long)) == WINDOW_SAMPLES and fit_window(long)[0] == spare // 2
    assert fit_window(long, offset=100)[0] == 100
    assert fit_window(long, offset=10**6)[-1] == long[-1]
    with pytest.raises(ValueError, match="no samples"):
        fit_window(np.zeros(0, np.float32))


def test_inputs_do_not_depend_on_loudness() -> None:
    voice = voice_like(2.0)
    quiet, loud = model_inputs(voice * 0.01), model_inputs(voice)
    assert quiet.shape == (len(feature_names()),) == (754,)
    assert np.isfinite(quiet).all()
    np.testing.assert_allclose(quiet, loud, rtol=1e-3, atol=1e-3)
    assert level_dbfs(normalise_level(voice * 0.01)) == pytest.approx(TARGET_DBFS, abs=0.01)
    assert feature_names()[0].startswith("F0semitone")
    sizes = {name: len(range(754)[columns]) for name, columns in FEATURE_SETS.items()}
    assert sizes == {
        "egemaps": 88,
        "librosa": 154,
        "egemaps+librosa": 242,
        "encoder": 512,
        "all": 754,
    }


def test_inputs_follow_the_pitch_of_the_voice() -> None:
    low, high = model_inputs(voice_like(2.0, f0=110)), model_inputs(voice_like(2.0, f0=220))
    f0_semitones = feature_names().index("F0semitoneFrom27.5Hz_sma3nz_amean")
    assert high[f0_semitones] - low[f0_semitones] == pytest.approx(12, abs=0.5)


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


def test_variants_change_the_clip() -> None:
    rng = np.random.default_rng(3)
    voice = voice_like(2.0)
    variants = [random_variant(voice, rng) for _ in range(8)]
    assert sum(not np.array_equal(v, voice) for v in variants) >= 6
    assert all(np.isfinite(v).all() and len(v) > MODEL_RATE for v in variants)


def test_reverberation_smears_a_click_and_keeps_the_level() -> None:
    click = np.zeros(MODEL_RATE, np.float32)
    click[100] = 1.0
    wet = reverberate(click, 0.5, np.random.default_rng(4))
    assert len(wet) == len(click)
    assert level_dbfs(wet) == pytest.approx(level_dbfs(click), abs=0.01)
    tail = wet[100 + int(0.1 * MODEL_RATE) : 100 + int(0.2 * MODEL_RATE)]
    assert level_dbfs(tail) > level_dbfs(wet) - 40  # still ringing 100 ms later
    assert np.allclose(wet[:100], 0)


def test_mp3_round_trip_keeps_the_voice_and_loses_the_top_band() -> None:
    voice = voice_like(2.0)
    t = np.arange(len(voice)) / MODEL_RATE
    with_hiss = voice + 0.01 * np.sin(2 * np.pi * 7800 * t).astype(np.float32)
    coded = mp3_round_trip(with_hiss, 0.9)
    assert len(coded) == len(voice)
    assert level_dbfs(coded) == pytest.approx(level_dbfs(with_hiss), abs=1.5)
    top = power_spectrogram(coded)[240:].sum() / power_spectrogram(with_hiss)[240:].sum()
    assert top < 0.1


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


def test_speaker_normalisation_removes_each_speakers_offset() -> None:
    rng = np.random.default_rng(6)
    emotion = rng.normal(0, 1, (200, 3))
    groups = np.repeat(["low", "high"], 100)
    offsets = np.where(groups[:, None] == "low", -5.0, 5.0) * np.array([1, 2, 3])
    features = (emotion + offsets).astype(np.float32)
    prior = within_speaker_std(features, groups)
    np.testing.assert_allclose(prior, 1, atol=0.2)
    normalised = normalise_by_group(features, groups, prior)
    for group in ("low", "high"):
        mine = normalised[groups == group]
        np.testing.assert_allclose(mine.mean(axis=0), 0, atol=1e-5)
        np.testing.assert_allclose(mine.std(axis=0), 1, atol=0.05)
    np.testing.assert_allclose(normalised, (emotion - emotion.mean(0)) / 1, atol=0.5)


def test_few_clips_lean_on_the_typical_spread() -> None:
    prior = np.full(2, 2.0, np.float32)
    one = speaker_stats(np.array([[1.0, 3.0]]), prior)
    np.testing.assert_allclose(one.mean, [1, 3])
    np.testing.assert_allclose(one.std, prior * np.sqrt(PRIOR_CLIPS / (1 + PRIOR_CLIPS)))
    assert np.isfinite(normalise(np.array([[1.0, 3.0]]), one)).all()
    many = speaker_stats(np.random.default_rng(7).normal(0, 10, (5000, 2)), prior)
    np.testing.assert_allclose(many.std, 10, rtol=0.05)


def test_reference_clips_limit_the_statistics() -> None:
    features = np.array([[0.0], [10.0], [20.0]], np.float32)
    groups = np.array(["a", "a", "a"])
    prior = np.ones(1, np.float32)
    first_only = normalise_by_group(features, groups, prior, np.array([True, False, False]))
    spread = np.sqrt(PRIOR_CLIPS / (1 + PRIOR_CLIPS))  # one clip at 0, the prior's weight
    np.testing.assert_allclose(first_only[:, 0], [0, 10 / spread, 20 / spread], rtol=1e-5)
    none = normalise_by_group(features, groups, prior, np.zeros(3, dtype=bool))
    np.testing.assert_allclose(none, normalise_by_group(features, groups, prior))


def test_sessions_draw_the_asked_number_of_clips_per_speaker() -> None:
    labels = np.array([0] * 30 + [4] * 10 + [1] * 40)
    keys = np.array(["a"] * 40 + ["b"] * 40)
    masks = reference_masks(labels, keys, np.random.default_rng(8))
    assert masks["all clips"] is None
    for size in SESSION_SIZES:
        chosen = masks[f"session of {size}"]
        assert chosen[keys == "a"].sum() == chosen[keys == "b"].sum() == size
    lopsided = masks["lopsided session"]
    assert lopsided[keys == "a"].sum() == 10
    assert np.array_equal(masks["neutral reference"], labels == EMOTIONS.index("neutral"))


def test_a_speaker_profile_keeps_the_newest_windows() -> None:
    profile = SpeakerProfile()
    assert profile.windows == 0 and profile.stats(slice(0, 2), np.ones(2)) is None
    profile.add([np.full(3, float(i)) for i in range(MAX_WINDOWS + 10)])
    assert profile.windows == MAX_WINDOWS
    stats = profile.stats(slice(0, 2), np.ones(2, np.float32))
    assert stats.clips == MAX_WINDOWS and stats.mean.shape == (2,)
    assert stats.mean[0] == pytest.approx(np.mean(np.arange(10, MAX_WINDOWS + 10)))
    profile.clear()
    assert profile.windows == 0


def test_the_loco_scores_show_a_model_that_says_one_emotion_to_most_clips() -> None:
    labels = np.array([0, 0, 3, 3, 5, 5])  # anger, happy, sad
    collapsed = np.full((6, 7), 0.01)
    collapsed[:, 5] = 0.9  # "sad" to everything ...
    collapsed[0] = np.eye(7)[0]  # ... but one anger clip
    row = score(collapsed, labels)
    assert row["per_class_recall"] == {"anger": 0.5, "happy": 0.0, "sad": 1.0}
    assert row["prediction_shares"]["sad"] == pytest.approx(5 / 6)
    assert sum(row["prediction_shares"].values()) == pytest.approx(1.0)
    other = {**row, "per_class_recall": {"anger": 1.0, "sad": 0.5, "surprise": 0.25}}
    summary = recall_summary({"a": row, "b": other})
    assert summary["mean_per_emotion"] == {
        "anger": 0.75,
        "happy": 0.0,
        "sad": 0.75,
        "surprise": 0.25,
    }  # each emotion over the corpora that have it
    assert summary["lowest"] == {"emotion": "happy", "recall": 0.0}
