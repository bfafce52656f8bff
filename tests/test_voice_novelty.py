"""Novelty: how far a clip's features lie from the training clips', and the served single-clip
model being less sure of clips unlike its training data."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from emotion.calibration import apply_temperature
from emotion.model_files import MissingModelError, model_files
from emotion.voice.novelty import fit_novelty, load_reference, novelty, save_reference
from emotion.voice.served import load_voice_model


def correlated(n: int, rng: np.random.Generator, shift: float = 0.0) -> np.ndarray:
    """(n, 30) features with structure: 5 hidden factors, scaled columns, noise."""
    factors = rng.normal(0, 1, (n, 5))
    mixing = np.random.default_rng(0).normal(0, 1, (5, 30))
    scales = np.geomspace(0.01, 100, 30)
    return (factors @ mixing + rng.normal(0, 0.3, (n, 30)) + shift) * scales


def test_training_clips_are_typical_and_other_recordings_are_far(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    train = correlated(2000, rng)
    reference = fit_novelty(train, components=10)
    assert np.median(novelty(reference, train)) == pytest.approx(1.0, abs=1e-6)
    assert np.median(novelty(reference, correlated(500, rng))) == pytest.approx(1.0, abs=0.1)
    assert np.median(novelty(reference, correlated(500, rng, shift=2.0))) > 2.0
    one = correlated(1, rng)[0]
    assert np.ndim(novelty(reference, one)) == 0
    save_reference(reference, tmp_path / "novelty.npz")
    loaded = load_reference(tmp_path / "novelty.npz")
    assert loaded.axes.shape == (10, 30)
    before, after = novelty(reference, train[:50]), novelty(loaded, train[:50])
    np.testing.assert_allclose(after, before, rtol=1e-4)


VOICE = model_files("voice")


@pytest.mark.skipif(not VOICE.servable, reason="no committed voice model")
def test_the_served_single_clip_model_is_less_sure_of_unfamiliar_recordings() -> None:
    model = load_voice_model()
    single = model.single
    assert single.reference is not None and single.novelty_power > 0
    typical = single.reference.mean.astype(np.float32)
    far = typical + 6 * single.reference.scale
    assert novelty(single.reference, typical) < 1 < novelty(single.reference, far)
    raw = single.model({"features": far})
    plain = apply_temperature(raw, single.temperature)
    softened = single.probabilities(far)
    assert softened.argmax() == plain.argmax() and softened.max() < plain.max()
    np.testing.assert_allclose(
        single.probabilities(typical),
        apply_temperature(single.model({"features": typical}), single.temperature),
        atol=1e-6,
    )


@pytest.mark.skipif(not VOICE.servable, reason="no committed voice model")
def test_a_voice_model_without_its_novelty_reference_is_reported_missing(tmp_path: Path) -> None:
    for path in VOICE.keras.parent.glob("voice.*"):
        shutil.copy(path, tmp_path)
    (tmp_path / "voice.novelty.npz").unlink()
    assert not model_files("voice", tmp_path).servable
    with pytest.raises(MissingModelError, match="novelty reference"):
        load_voice_model(tmp_path)
