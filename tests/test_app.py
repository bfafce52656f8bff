"""Every page of the app runs (streamlit.testing.v1.AppTest) and says what it should."""

from __future__ import annotations

from pathlib import Path

import pytest
from media import write_tone
from streamlit.testing.v1 import AppTest

from emotion import paths
from emotion.eda import analyse, write_report
from emotion.labels import EMOTIONS

APP = Path(__file__).resolve().parents[1] / "streamlit_app.py"
PAGES = ["pages/home.py", "pages/upload.py", "pages/live_webcam.py", "pages/model_report.py"]


def open_page(page: str) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    if page != PAGES[0]:
        app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def text_of(app: AppTest) -> str:
    parts = [*app.title, *app.header, *app.subheader, *app.markdown, *app.info, *app.warning]
    return "\n".join(str(part.value) for part in [*parts, *app.success])


@pytest.fixture
def no_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setattr(paths, "MODELS_DIR", models)
    return models


def test_home_explains_the_app_and_its_limits(no_models: Path) -> None:
    app = open_page("pages/home.py")
    text = text_of(app)
    assert app.title[0].value == "Multimodal emotion recognition"
    assert all(emotion in text for emotion in EMOTIONS)
    assert "posed and lab data" in text
    assert "Not for decisions about people" in text
    assert "No face model yet" in text
    assert "No voice model yet" in text


def test_home_reports_a_model_once_its_files_exist(no_models: Path) -> None:
    (no_models / "face.tflite").write_bytes(b"model")
    (no_models / "face.metrics.json").write_text("{}")
    text = text_of(open_page("pages/home.py"))
    assert "The face model is ready" in text
    assert "No voice model yet" in text


@pytest.mark.parametrize(
    ("page", "title", "promise"),
    [
        ("pages/upload.py", "Upload", "a video (MP4, WebM, MOV)"),
        ("pages/live_webcam.py", "Live webcam", "webcam stream comes back"),
        ("pages/model_report.py", "Model report", "confusion matrix"),
    ],
)
def test_pages_say_what_is_coming(no_models: Path, page: str, title: str, promise: str) -> None:
    app = open_page(page)
    assert app.title[0].value == title
    assert promise in text_of(app)
    assert "No face model yet" in text_of(app)


def test_model_report_draws_the_eda_of_each_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clips = tmp_path / "clips"
    write_tone(clips / "angry" / "a.wav")
    write_tone(clips / "sad" / "b.wav", seconds=1.0)
    write_report(analyse("audio-folders", clips), tmp_path / "eda" / "audio-folders")
    monkeypatch.setattr(paths, "EDA_DIR", tmp_path / "eda")
    app = open_page("pages/model_report.py")
    assert app.selectbox[0].options == ["audio-folders"]
    assert "| all | 1 | 0 | 0 | 0 | 0 | 1 | 0 | 2 |" in text_of(app)
    assert len(app.get("plotly_chart")) == 3


def test_model_report_without_summaries_says_how_to_make_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "EDA_DIR", tmp_path / "empty")
    assert "python -m emotion eda --dataset" in text_of(open_page("pages/model_report.py"))


def test_committed_eda_summaries_cover_every_shared_dataset_in_order() -> None:
    app = open_page("pages/model_report.py")
    expected = [
        "fer2013",
        "ckplus48",
        "jaffe",
        "facial_expressions",
        "yalefaces",
        "ravdess",
        "tess",
    ]
    assert app.selectbox[0].options == expected
