"""A video's face verdict from its frames: the peak of an expression is not diluted by its
neutral onset and offset, and a neutral clip stays neutral."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from media import face_frame, write_video

from emotion.cli import main
from emotion.face.clip_evaluation import format_clips, labelled_clips, score_clips
from emotion.face.motion import CLIP_RULES, clip_probabilities
from emotion.labels import EMOTIONS, as_probabilities, top_emotion


def frame(neutral: float, surprise: float) -> dict[str, float]:
    rest = (1 - neutral - surprise) / 5
    vector = [rest] * 7
    vector[EMOTIONS.index("neutral")], vector[EMOTIONS.index("surprise")] = neutral, surprise
    return as_probabilities(vector)


def test_a_surprised_peak_between_neutral_frames_is_called_surprise() -> None:
    frames = [frame(0.8, 0.1)] * 6 + [frame(0.1, 0.8)] * 3 + [frame(0.8, 0.1)] * 3
    assert top_emotion(clip_probabilities(frames, "mean")) == "neutral"
    assert top_emotion(clip_probabilities(frames, "expressive")) == "surprise"
    assert top_emotion(clip_probabilities(frames, "peak")) == "surprise"
    assert clip_probabilities(frames) == clip_probabilities(frames, "peak")


def test_a_clip_that_stays_neutral_is_neutral_under_every_rule() -> None:
    frames = [frame(0.7, 0.05), frame(0.6, 0.1), frame(0.75, 0.05)]
    for rule in CLIP_RULES:
        probabilities = clip_probabilities(frames, rule)
        assert probabilities is not None and top_emotion(probabilities) == "neutral"
        assert sum(probabilities.values()) == pytest.approx(1.0)
    assert clip_probabilities([]) is None


def test_labelled_clips_are_scored_under_every_rule(tmp_path: Path, face_photo: np.ndarray) -> None:
    write_video(tmp_path / "smile.mp4", [face_frame(face_photo)] * 10, fps=10)
    (tmp_path / "labels.csv").write_text("path,corpus,actor,emotion\nsmile.mp4,x,1,happy\n")
    assert labelled_clips(tmp_path) == [(tmp_path / "smile.mp4", "happy")]
    scores = score_clips(tmp_path)
    (clip,) = scores["clips"]
    assert clip["frames"] == 2 and clip["verdicts"] == dict.fromkeys(CLIP_RULES, "happy")
    assert scores["right"] == dict.fromkeys(CLIP_RULES, 1)
    assert "smile.mp4" in format_clips(scores)
    assert main(["evaluate", "face", "--clips", str(tmp_path)]) == 0
