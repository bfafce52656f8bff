"""What the app may say about a fused result: a verdict, "unsure", and face/voice disagreement."""

from __future__ import annotations

import pytest

from emotion.fusion import fuse
from emotion.labels import EMOTIONS
from emotion.verdict import details, headline, phrase, verdict, why_neither


def peaked(label: str, top: float) -> dict[str, float]:
    rest = (1 - top) / (len(EMOTIONS) - 1)
    return {emotion: top if emotion == label else rest for emotion in EMOTIONS}


def test_a_confident_agreeing_result_is_stated() -> None:
    face, voice = peaked("happy", 0.8), peaked("happy", 0.6)
    result = verdict(fuse(face, voice, rule="arithmetic"), face, voice)  # type: ignore[arg-type]
    assert (result.label, result.unsure, result.disagreement) == ("happy", False, None)
    assert result.confidence == pytest.approx(0.7)
    assert result.margin == pytest.approx(0.7 - 0.05)
    assert headline(result) == "**happy** (70%)"
    assert details(result).startswith("Happy is 65% ahead of")


def test_a_low_top_probability_is_unsure_not_a_verdict() -> None:
    voice = peaked("sad", 0.3)
    result = verdict(fuse(None, voice), None, voice)  # type: ignore[arg-type]
    assert result.unsure and result.disagreement is None
    assert headline(result) == "unsure: perhaps **sad** (30%)"
    assert "more likely wrong than right" in details(result)


def test_disagreement_names_both_models_verdicts() -> None:
    face, voice = peaked("happy", 0.9), peaked("anger", 0.5)
    result = verdict(fuse(face, voice, 0.7), face, voice)  # type: ignore[arg-type]
    assert result.label == "happy" and not result.unsure
    assert result.disagreement == ("happy", "anger")


def test_a_model_the_slider_leaves_out_cannot_disagree() -> None:
    face, voice = peaked("happy", 0.9), peaked("anger", 0.5)
    result = verdict(fuse(face, voice, 1.0), face, voice)  # type: ignore[arg-type]
    assert result.disagreement is None


def test_a_tie_is_called_a_tie() -> None:
    even = dict.fromkeys(EMOTIONS, 1 / 7)
    result = verdict(fuse(even, None), even, None)  # type: ignore[arg-type]
    assert result.unsure and "tied with" in details(result)


def test_one_models_top_emotion_is_phrased_the_same_way() -> None:
    assert phrase("sad", 0.3, bold=False) == "unsure: perhaps sad (30%)"
    assert phrase("happy", 0.72) == "**happy** (72%)"


def test_a_third_emotion_both_rank_high_is_explained() -> None:
    face = dict.fromkeys(EMOTIONS, 0.02) | {"anger": 0.52, "disgust": 0.38}
    voice = dict.fromkeys(EMOTIONS, 0.07) | {"surprise": 0.34, "disgust": 0.31}
    result = verdict(fuse(face, voice), face, voice)
    assert result.label == "disgust" and result.disagreement == ("anger", "surprise")
    assert why_neither(result, face, voice) == (
        "**Disgust** is neither model's first choice, but both rank it high: the face gives it "
        "38% (its second choice), the voice 31% (its second), so it wins when the two are "
        "combined."
    )
    own = verdict(fuse(face, voice, 0.9), face, voice)
    assert own.label == "anger" and why_neither(own, face, voice) is None
