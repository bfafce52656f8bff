"""Fusion of face and voice probabilities: both rules, the weight, missing modalities."""

from __future__ import annotations

import math

import numpy as np
import pytest

from emotion.fusion import combine, fuse
from emotion.labels import EMOTIONS

FACE = dict(zip(EMOTIONS, [0.05, 0.05, 0.05, 0.60, 0.15, 0.05, 0.05], strict=True))
VOICE = dict(zip(EMOTIONS, [0.70, 0.05, 0.05, 0.02, 0.08, 0.05, 0.05], strict=True))


def test_arithmetic_mean_weights_the_face_by_the_slider() -> None:
    fused = fuse(FACE, VOICE, face_weight=0.25, rule="arithmetic")
    assert fused is not None
    assert fused.probabilities["happy"] == pytest.approx(0.25 * 0.60 + 0.75 * 0.02)
    assert fused.probabilities["anger"] == pytest.approx(0.25 * 0.05 + 0.75 * 0.70)
    assert math.fsum(fused.probabilities.values()) == pytest.approx(1.0)
    assert fused.label == "anger"
    assert fused.sources == ("face", "voice")
    assert fused.explanation == "Arithmetic mean of face (25%) and voice (75%)."


def test_moving_the_weight_changes_the_winner() -> None:
    labels = [fuse(FACE, VOICE, face_weight=w).label for w in (0.0, 0.3, 0.7, 1.0)]  # type: ignore[union-attr]
    assert labels == ["anger", "anger", "happy", "happy"]


def test_geometric_mean_is_the_renormalised_weighted_product_and_the_default() -> None:
    fused = fuse(FACE, VOICE, face_weight=0.5)
    assert fused is not None
    product = {label: math.sqrt(FACE[label] * VOICE[label]) for label in EMOTIONS}
    total = sum(product.values())
    for label in EMOTIONS:
        assert fused.probabilities[label] == pytest.approx(product[label] / total)
    assert fused.explanation.startswith("Geometric mean")


def test_geometric_mean_lets_one_model_veto_what_it_rules_out() -> None:
    face = np.array([0.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.0])
    voice = np.array([0.0, 0.0, 0.0, 0.02, 0.9, 0.08, 0.0])
    arithmetic = combine(face, voice, 0.5, "arithmetic")
    geometric = combine(face, voice, 0.5, "geometric")
    assert arithmetic[EMOTIONS.index("sad")] == pytest.approx(0.04)
    assert geometric[EMOTIONS.index("sad")] < 1e-3
    assert geometric.sum() == pytest.approx(1.0)
    assert np.argmax(geometric) == EMOTIONS.index("neutral")


def test_weight_ends_pass_one_model_through_unchanged() -> None:
    for rule in ("arithmetic", "geometric"):
        only_face = fuse(FACE, VOICE, face_weight=1.0, rule=rule)  # type: ignore[arg-type]
        assert only_face is not None
        assert only_face.probabilities == pytest.approx(FACE)
        assert only_face.sources == ("face",)
        assert "no weight" in only_face.explanation


@pytest.mark.parametrize("weight", [0.0, 0.5, 1.0])
def test_a_missing_modality_is_left_out_and_said(weight: float) -> None:
    voice_only = fuse(None, VOICE, face_weight=weight)
    assert voice_only is not None
    assert voice_only.probabilities == pytest.approx(VOICE)
    assert voice_only.sources == ("voice",)
    assert voice_only.explanation == "Voice only: no face to fuse with."
    face_only = fuse(FACE, None, face_weight=weight, rule="geometric")
    assert face_only is not None
    assert face_only.probabilities == pytest.approx(FACE)
    assert face_only.explanation == "Face only: no voice to fuse with."


def test_nothing_to_fuse_gives_none() -> None:
    assert fuse(None, None) is None


@pytest.mark.parametrize(("weight", "rule"), [(-0.1, "arithmetic"), (1.5, "geometric")])
def test_bad_weight_is_refused(weight: float, rule: str) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        fuse(FACE, VOICE, face_weight=weight, rule=rule)  # type: ignore[arg-type]


def test_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fusion rule"):
        fuse(FACE, VOICE, rule="harmonic")  # type: ignore[arg-type]
