"""What fusion adds, on simulated pairs: pairing by emotion and the table by rule and weight."""

from __future__ import annotations

import numpy as np
import pytest

from emotion.fusion_evaluation import WEIGHTS, format_fusion, fusion_table, same_emotion_faces


def sure(labels: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Probabilities that put 0.7 on the label where `right`, else spread evenly."""
    probabilities = np.full((len(labels), 7), 1 / 7)
    probabilities[right] = 0.05
    probabilities[np.flatnonzero(right), labels[right]] = 0.7
    return probabilities


def test_each_voice_gets_a_face_of_its_own_emotion() -> None:
    face_labels = np.array([0, 1, 1, 2, 3, 3, 3])
    voice_labels = np.array([3, 1, 0, 3, 2])
    chosen = same_emotion_faces(face_labels, voice_labels, np.random.default_rng(1))
    np.testing.assert_array_equal(face_labels[chosen], voice_labels)
    with pytest.raises(ValueError, match=r"\[5\]"):
        same_emotion_faces(face_labels, np.array([5]), np.random.default_rng(1))


def test_fusing_models_that_know_different_emotions_beats_either_alone() -> None:
    labels = np.repeat(np.arange(7), 20)
    face = sure(labels, labels < 4)
    voice = sure(labels, labels >= 4)
    table = fusion_table(face, labels, {"corpus a": (voice, labels), "corpus b": (voice, labels)})
    arithmetic = table["rules"]["arithmetic"]
    assert set(arithmetic) == {str(w) for w in WEIGHTS} and table["pairs"] == 280
    assert arithmetic["1.0"]["accuracy"] == pytest.approx(np.mean(face.argmax(1) == labels))
    assert arithmetic["0.0"]["accuracy"] == pytest.approx(np.mean(voice.argmax(1) == labels))
    assert arithmetic["0.5"]["accuracy"] == 1.0 > arithmetic["1.0"]["accuracy"]
    assert table["best"]["accuracy"] == 1.0 and 0 < table["best"]["face_weight"] < 1
    text = format_fusion("single", table)
    assert "280 simulated face + voice pairs" in text and "(face alone)" in text
