"""Calibration: temperature scaling makes over- and under-confident probabilities honest."""

from __future__ import annotations

import numpy as np
import pytest

from emotion.calibration import (
    apply_novelty_temperature,
    apply_temperature,
    confidence_gap,
    expected_calibration_error,
    fit_novelty_temperature,
    fit_temperature,
    reliability_table,
)
from emotion.face.calibration import calibration_report, served_calibration


def overconfident(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities that are right 50% of the time but say ~0.95."""
    labels = rng.integers(0, 7, n)
    guess = np.where(rng.random(n) < 0.5, labels, rng.integers(0, 7, n))
    logits = rng.normal(0, 1, (n, 7))
    logits[np.arange(n), guess] += 6
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return probabilities, labels


def test_temperature_keeps_the_ranking_and_rows_sum_to_one() -> None:
    probabilities, _ = overconfident(100, np.random.default_rng(0))
    for temperature in (0.5, 1.0, 3.0):
        scaled = apply_temperature(probabilities, temperature)
        np.testing.assert_allclose(scaled.sum(axis=1), 1)
        assert np.array_equal(scaled.argmax(axis=1), probabilities.argmax(axis=1))
    np.testing.assert_allclose(apply_temperature(probabilities, 1.0), probabilities, atol=1e-9)
    assert apply_temperature(probabilities, 3.0).max(axis=1).mean() < probabilities.max(1).mean()


def test_fitted_temperature_softens_an_overconfident_model() -> None:
    rng = np.random.default_rng(1)
    probabilities, labels = overconfident(4000, rng)
    before = expected_calibration_error(probabilities, labels)
    temperature = fit_temperature(probabilities, labels)
    after = expected_calibration_error(apply_temperature(probabilities, temperature), labels)
    assert temperature > 1.5
    assert before > 0.3 and after < before / 4


def test_ece_of_a_calibrated_model_is_near_zero() -> None:
    rng = np.random.default_rng(2)
    confidence = rng.uniform(0.2, 1.0, 20000)
    probabilities = np.zeros((20000, 7))
    probabilities[:, 0] = confidence
    probabilities[:, 1:] = ((1 - confidence) / 6)[:, None]
    labels = np.where(rng.random(20000) < confidence, 0, 1)
    assert expected_calibration_error(probabilities, labels) < 0.02
    rows = reliability_table(probabilities, labels)
    assert sum(row["n"] for row in rows) == 20000
    assert rows[0]["n"] == 0 and rows[0]["accuracy"] is None
    for row in rows[2:]:
        assert row["accuracy"] == pytest.approx(row["confidence"], abs=0.05)


def test_confidence_gap_compares_right_and_wrong() -> None:
    probabilities = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]])
    gap = confidence_gap(probabilities, np.array([0, 1, 1]))
    assert gap["right"] == pytest.approx(0.8) and gap["wrong"] == pytest.approx(0.6)
    assert gap["gap"] == pytest.approx(0.2)
    assert confidence_gap(probabilities, np.array([0, 0, 1]))["wrong"] is None


def test_face_calibration_softens_an_overconfident_model_and_scores_it_on_unseen_halves() -> None:
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 7, 2000)
    right = rng.random(2000) < 0.6  # right 60% of the time, but always 95% sure
    predicted = np.where(right, labels, (labels + 1) % 7)
    probabilities = np.full((2000, 7), 0.05 / 6)
    probabilities[np.arange(2000), predicted] = 0.95
    report = calibration_report(probabilities, labels)
    assert report["temperature"] > 1.5
    assert report["ece_before"] > 0.3 and report["ece_after"] < 0.05
    assert report["confidence_after"]["right"] < 0.8


def test_weights_let_a_small_set_count_as_much_as_a_large_one() -> None:
    rng = np.random.default_rng(4)
    calibrated = np.full((4000, 7), 0.1)
    calibrated[:, 0] = 0.4  # says 40% and is right 40% of the time
    calibrated_labels = np.where(rng.random(4000) < 0.4, 0, rng.integers(1, 7, 4000))
    small, small_labels = overconfident(100, rng)
    probabilities = np.concatenate([calibrated, small])
    labels = np.concatenate([calibrated_labels, small_labels])
    pooled = fit_temperature(probabilities, labels)
    weights = np.concatenate([np.full(4000, 1 / 4000), np.full(100, 1 / 100)])
    balanced = fit_temperature(probabilities, labels, weights)
    assert balanced > pooled * 1.2  # the overconfident small set pulls the temperature up
    assert fit_temperature(probabilities, labels, np.ones(4100)) == pytest.approx(pooled)


def test_the_served_face_temperature_comes_from_unseen_sources_when_there_is_one() -> None:
    rng = np.random.default_rng(5)
    probabilities, labels = overconfident(400, rng)
    own = served_calibration(probabilities, labels, None)
    assert own["temperature"] == pytest.approx(fit_temperature(probabilities, labels))
    unseen = {"data": "faces from datasets never trained on", "temperature": 1.3}
    served = served_calibration(probabilities, labels, unseen)
    assert served["temperature"] == 1.3 and served["data"] == unseen["data"]
    calibrated = apply_temperature(probabilities, 1.3)
    assert served["ece_after"] == pytest.approx(expected_calibration_error(calibrated, labels))
    assert served["ece_before"] == own["ece_before"]


def test_novelty_raises_the_temperature_only_for_unusual_inputs() -> None:
    probabilities, _ = overconfident(4, np.random.default_rng(5))
    typical = apply_novelty_temperature(probabilities, np.array([0.5, 1.0, 2.0, 3.0]), 1.2, 1.0)
    np.testing.assert_allclose(typical[:2], apply_temperature(probabilities[:2], 1.2), atol=1e-9)
    np.testing.assert_allclose(typical[2], apply_temperature(probabilities[2], 2.4), atol=1e-9)
    np.testing.assert_allclose(typical[3], apply_temperature(probabilities[3], 3.6), atol=1e-9)
    one = apply_novelty_temperature(probabilities[3], 3.0, 1.2, 1.0)  # one vector, as served
    np.testing.assert_allclose(one, typical[3], atol=1e-9)


def test_novelty_power_is_fitted_where_unusual_inputs_are_more_often_wrong() -> None:
    rng = np.random.default_rng(6)
    probabilities, labels = overconfident(4000, rng)
    right = probabilities.argmax(axis=1) == labels
    novelty = np.where(right, 1.0, 2.5) * rng.uniform(0.9, 1.1, len(labels))
    temperature, power = fit_novelty_temperature(probabilities, labels, novelty)
    assert power > 1.0 and 0.05 <= temperature <= 20
    fitted = apply_novelty_temperature(probabilities, novelty, temperature, power)
    plain = apply_temperature(probabilities, fit_temperature(probabilities, labels))
    assert confidence_gap(fitted, labels)["gap"] > confidence_gap(plain, labels)["gap"] + 0.2
    assert expected_calibration_error(fitted, labels) < expected_calibration_error(plain, labels)
    unrelated = rng.uniform(1.0, 2.5, len(labels))
    assert fit_novelty_temperature(probabilities, labels, unrelated)[1] < 0.3
