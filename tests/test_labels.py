"""Label names and synonyms map onto the seven emotions; probabilities over them convert."""

import pytest

from emotion.labels import (
    EMOTIONS,
    as_probabilities,
    as_vector,
    canonical_label,
    mean_probabilities,
    top_emotion,
)


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


def test_probabilities_convert_between_dict_and_vector_in_emotion_order() -> None:
    probabilities = {label: (i + 1) / 28 for i, label in enumerate(reversed(EMOTIONS))}
    vector = as_vector(probabilities)
    assert vector.tolist() == [probabilities[label] for label in EMOTIONS]
    assert as_probabilities(vector) == probabilities
    assert list(as_probabilities(vector)) == list(EMOTIONS)
    assert top_emotion(probabilities) == "anger"


def test_mean_probabilities_averages_each_emotion() -> None:
    first = as_probabilities([0.7, 0.1, 0.0, 0.2, 0.0, 0.0, 0.0])
    second = as_probabilities([0.1, 0.1, 0.0, 0.8, 0.0, 0.0, 0.0])
    mean = mean_probabilities([first, second])
    assert mean["anger"] == pytest.approx(0.4) and mean["happy"] == pytest.approx(0.5)
    assert top_emotion(mean) == "happy"
    assert mean_probabilities([first]) == first
