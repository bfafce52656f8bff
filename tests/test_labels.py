"""Label names and synonyms map onto the seven emotions."""

import pytest

from emotion.labels import EMOTIONS, canonical_label


def test_the_seven_emotions_in_their_fixed_order() -> None:
    assert EMOTIONS == ("anger", "disgust", "fear", "happy", "neutral", "sad", "surprise")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Angry", "anger"),
        ("anger", "anger"),
        ("HAPPINESS", "happy"),
        ("sadness", "sad"),
        ("Surprised", "surprise"),
        ("pleasant surprise", "surprise"),
        ("Pleasant-Surprised", "surprise"),
        ("fearful", "fear"),
        ("disgusted", "disgust"),
        (" neutral ", "neutral"),
        ("normal", "neutral"),
    ],
)
def test_synonyms_and_spellings(name: str, expected: str) -> None:
    assert canonical_label(name) == expected


@pytest.mark.parametrize("name", ["contempt", "calm", "sleepy", "ps", "", "angryish"])
def test_other_labels_are_not_guessed(name: str) -> None:
    assert canonical_label(name) is None
