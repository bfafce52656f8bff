"""The model report's first-screen figures, read from metrics files."""

from __future__ import annotations

from emotion.model_report import Headline, headlines, session_rows

FACE = {
    "accuracy": 0.66,
    "lodo": {"served": {"mean_accuracy": 0.61, "domains": {"fer2013": {}, "jaffe": {}}}},
}
VOICE = {
    "headline": {"single": {"accuracy": 0.45}, "adaptive": {"accuracy": 0.6}},
    "modes": {"single": {"loco": {"single clip": {"corpora": {"ravdess": {}, "tess": {}}}}}},
    "speaker_adaptation": {"min_clips": 3},
}
FUSION = {
    "defaults": {"rule": "geometric", "face_weight": 0.5},
    "modes": {"single": {"rules": {"geometric": {"0.5": {"accuracy": 0.73}}}}},
}


def test_each_model_and_both_together_in_plain_figures() -> None:
    found = headlines(FACE, VOICE, FUSION)
    assert [(h.label, h.right) for h in found] == [
        ("Face", 0.61),
        ("Voice, one clip", 0.45),
        ("Voice, adapted to the speaker", 0.6),
        ("Face and voice together", 0.73),
    ]
    assert "2 face datasets" in found[0].data and "never trained on it" in found[0].data
    assert "2 speech corpora it never heard" in found[1].data
    assert "3 stretches" in found[2].data


def test_only_what_was_measured_is_shown() -> None:
    face_without_lodo = {"accuracy": 0.66}
    assert headlines(face_without_lodo, None, None) == [
        Headline("Face", 0.66, "faces it never trained on")
    ]
    assert headlines(None, None, None) == []


def test_the_sessions_table_shows_the_blend_the_app_serves() -> None:
    metrics = {
        "modes": {
            "single": {"loco": {"single clip": {"mean": {"macro_f1": 0.48}}}},
            "adaptive": {"loco": {"session of 2": {"mean": {"macro_f1": 0.46}}}},
        },
        "speaker_adaptation": {"loco": {"session of 2": {"mean": {"macro_f1": 0.53}}}},
    }
    assert session_rows(metrics) == [
        {"heard of the speaker": "nothing (single clip)", "macro_f1": 0.48},
        {"heard of the speaker": "session of 2", "macro_f1": 0.53},
    ]
