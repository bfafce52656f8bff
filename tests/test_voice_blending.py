"""Blending the speaker-adaptive mode with the single-clip mode: the weights, the rows, and
which clips a simulated session heard."""

from __future__ import annotations

import numpy as np
import pytest

from emotion.voice.blending import adaptive_weight, blend
from emotion.voice.loco import heard_clips

SINGLE = np.array([0.6, 0.1, 0.05, 0.05, 0.1, 0.05, 0.05])
ADAPTIVE = np.array([0.1, 0.05, 0.05, 0.6, 0.1, 0.05, 0.05])


def test_the_adaptive_mode_weighs_more_as_more_of_the_speaker_is_heard() -> None:
    assert adaptive_weight(2, 2.0) == pytest.approx(0.5)
    weights = [adaptive_weight(n, 2.0) for n in (2, 3, 5, 10, 50)]
    assert weights == sorted(weights) and weights[-1] > 0.95


def test_at_half_the_blend_is_the_renormalised_geometric_mean() -> None:
    expected = np.sqrt(SINGLE * ADAPTIVE)
    np.testing.assert_allclose(blend(SINGLE, ADAPTIVE, 3, 3.0), expected / expected.sum())


def test_the_blend_moves_from_the_clip_alone_to_the_speaker_view() -> None:
    early = blend(SINGLE, ADAPTIVE, 1, 8.0)
    late = blend(SINGLE, ADAPTIVE, 80, 8.0)
    assert early.argmax() == 0 and late.argmax() == 3
    assert early.sum() == pytest.approx(1.0) and late.sum() == pytest.approx(1.0)


def test_rows_are_blended_each_by_their_own_clips() -> None:
    single = np.stack([SINGLE, ADAPTIVE, SINGLE])
    adaptive = np.stack([ADAPTIVE, SINGLE, SINGLE])
    clips = np.array([2, 5, 20])
    rows = blend(single, adaptive, clips, 2.0)
    for row, s, a, n in zip(rows, single, adaptive, clips, strict=True):
        np.testing.assert_allclose(row, blend(s, a, int(n), 2.0))


def test_a_session_counts_the_clips_its_statistics_come_from() -> None:
    keys = np.array(["a", "a", "a", "a", "b", "b", "c"])
    reference = np.array([True, True, False, False, True, False, False])
    # a: two of its clips heard; b: one; c: none chosen, so all of its clips (as normalised)
    np.testing.assert_array_equal(heard_clips(keys, reference), [2, 2, 2, 2, 1, 1, 1])
    np.testing.assert_array_equal(heard_clips(keys, None), [4, 4, 4, 4, 2, 2, 1])
