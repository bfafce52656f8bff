"""Every page of the app runs (streamlit.testing.v1.AppTest) and says what it should."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import soundfile
import streamlit as st
import streamlit_webrtc
from media import face_frame, voice_like, write_image, write_tone, write_video
from PIL import Image
from streamlit.testing.v1 import AppTest

from emotion import paths
from emotion.eda import analyse, write_report
from emotion.face import analysis as face_analysis
from emotion.face.analysis import face_model, face_temperature
from emotion.fusion import DEFAULT_FACE_WEIGHT, DEFAULT_RULE
from emotion.labels import EMOTIONS
from emotion.model_report import load_fusion_metrics, load_metrics
from emotion.voice.analysis import SINGLE_CLIP, SPEAKER_ADAPTIVE
from emotion.voice.corpus import VOICE_CORPORA
from emotion.voice.served import voice_model
from emotion_app.examples import EXAMPLES, EXAMPLES_DIR
from emotion_app.result_views import voice_mode_note

APP = Path(__file__).resolve().parents[1] / "streamlit_app.py"
PAGES = [
    "streamlit_app.py",
    "pages/upload.py",
    "pages/live_webcam.py",
    "pages/model_report.py",
]


def open_page(page: str) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    if page != PAGES[0]:
        app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def text_of(app: AppTest) -> str:
    parts = [*app.title, *app.header, *app.subheader, *app.markdown, *app.info, *app.warning]
    return "\n".join(str(part.value) for part in [*parts, *app.success, *app.error, *app.caption])


@dataclass
class FakeContext:
    state: SimpleNamespace = field(default_factory=lambda: SimpleNamespace(playing=False))


@pytest.fixture
def fake_webrtc(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """webrtc_streamer cannot run under AppTest: record its arguments instead."""
    calls: list[dict[str, Any]] = []

    def webrtc_streamer(**kwargs: Any) -> FakeContext:
        calls.append(kwargs)
        return FakeContext()

    monkeypatch.setattr(streamlit_webrtc, "webrtc_streamer", webrtc_streamer)
    return calls


@pytest.fixture
def no_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setattr(paths, "MODELS_DIR", models)
    for cached in (face_model, face_temperature, voice_model):
        cached.cache_clear()
    yield models
    for cached in (face_model, face_temperature, voice_model):
        cached.cache_clear()


def test_home_explains_the_app_and_its_limits(no_models: Path) -> None:
    app = open_page("streamlit_app.py")
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
    text = text_of(open_page("streamlit_app.py"))
    assert "The face model is ready" in text
    assert "No voice model yet" in text


@pytest.mark.parametrize(
    ("page", "title", "missing"),
    [
        ("pages/upload.py", "Upload", None),
        ("pages/live_webcam.py", "Live webcam", "No face model yet"),
        ("pages/model_report.py", "Model report", "No face model metrics yet"),
    ],
)
def test_pages_work_or_say_what_is_missing_without_models(
    no_models: Path, fake_webrtc: list[dict], page: str, title: str, missing: str | None
) -> None:
    app = open_page(page)
    assert app.title[0].value == title
    if missing:
        assert missing in text_of(app)


def test_model_report_says_how_to_measure_fusion_without_its_file(no_models: Path) -> None:
    text = text_of(open_page("pages/model_report.py"))
    assert "No fusion measurements yet: `python -m emotion evaluate fusion`" in text


def test_model_report_draws_the_eda_of_each_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clips = tmp_path / "clips"
    write_tone(clips / "angry" / "a.wav")
    write_tone(clips / "sad" / "b.wav", seconds=1.0, sample_rate=22050)  # two rates: a chart
    write_report(analyse("audio-folders", clips), tmp_path / "eda" / "audio-folders")
    monkeypatch.setattr(paths, "EDA_DIR", tmp_path / "eda")
    app = open_page("pages/model_report.py")
    assert app.selectbox(key="dataset").options == ["audio-folders"]
    assert "| all | 1 | 0 | 0 | 0 | 0 | 1 | 0 | 2 |" in text_of(app)
    assert len([c for c in app.get("plotly_chart") if c.key.startswith("eda_")]) == 3


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
        *VOICE_CORPORA,
    ]
    assert app.selectbox(key="dataset").options == expected


def png_bytes(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


ANGRY_CLIP = "ravdess/Actor_01/03-01-05-02-01-01-01.flac"


def upload(app: AppTest, label_start: str, name: str, data: bytes) -> AppTest:
    (uploader,) = [u for u in app.get("file_uploader") if u.label.startswith(label_start)]
    uploader.set_value((name, data, "application/octet-stream"))
    return app.run()


def downloads(app: AppTest) -> list[str]:
    return [button.proto.label for button in app.get("download_button")]


def fused_headline(app: AppTest) -> str:
    (headline,) = [m.value for m in app.markdown if m.value.startswith("### Fused")]
    return headline


@pytest.fixture
def face_analyses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per call of the face model's analysis, from any page."""
    calls: list[int] = []
    real = face_analysis.analyze_image
    monkeypatch.setattr(
        face_analysis, "analyze_image", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    return calls


def upload_page_with_a_face(face_photo: np.ndarray) -> AppTest:
    app = open_page("pages/upload.py")
    return upload(app, "Photo", "face.png", png_bytes(face_frame(face_photo)))


def test_upload_fuses_a_photo_and_a_clip_and_the_slider_refuses_without_rerunning(
    shared_data: Path, face_photo: np.ndarray, face_analyses: list[int]
) -> None:
    calls = face_analyses
    app = upload_page_with_a_face(face_photo)
    upload(app, "Audio clip", "angry.flac", (shared_data / ANGRY_CLIP).read_bytes())
    assert not app.exception, [e.value for e in app.exception]
    text = text_of(app)
    assert "1 face found" in text
    assert "Geometric mean of face (50%) and voice (50%)." in text
    assert "Face and voice disagree**: the face says **happy**" in text
    assert downloads(app) == ["Download the results (JSON)", "Download the annotated photo (PNG)"]
    assert len(app.get("plotly_chart")) == 3  # face, voice, fused
    app.slider[0].set_value(1.0).run()
    assert fused_headline(app).startswith("### Fused: **happy**")
    assert "Face only: the slider gives the other model no weight." in text_of(app)
    app.slider[0].set_value(0.0).run()
    assert fused_headline(app) == "### Fused: **anger** (66%)"
    assert "disagree" not in text_of(app)  # the slider leaves the face out
    app.radio(key="fusion_rule").set_value("arithmetic").run()
    assert "Face only" not in text_of(app)
    assert calls == [1]


@pytest.mark.parametrize(
    ("uploader", "name", "make", "message"),
    [
        ("Photo", "broken.jpg", lambda d: b"not an image", "could not be read as an image"),
        ("Audio clip", "broken.wav", lambda d: b"RIFF nonsense", "could not be read as audio"),
        ("Audio clip", "silence.wav", lambda d: write_silence(d), "silent"),
        (
            "Photo",
            "wall.png",
            lambda d: write_image(d / "wall.png", (200, 200)).read_bytes(),
            "No face found",
        ),
    ],
)
def test_bad_uploads_get_a_message_and_the_app_keeps_working(
    tmp_path: Path,
    uploader: str,
    name: str,
    make,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    app = upload(open_page("pages/upload.py"), uploader, name, make(tmp_path))
    assert not app.exception, [e.value for e in app.exception]
    assert message in text_of(app)
    assert "Download the results (JSON)" not in downloads(app)  # nothing to download
    if name != "wall.png":  # unreadable: the reason is the headline, above the columns
        headlines = [m.value for m in app.markdown if m.value.startswith("### ")]
        assert headlines[0] == "### Nothing could be judged"
        assert message in app.error[0].value
    app.slider[0].set_value(0.8).run()
    assert not app.exception


def write_silence(folder: Path) -> bytes:
    path = folder / "silence.wav"
    soundfile.write(path, np.zeros(16000, np.float32), 16000)
    return path.read_bytes()


def test_upload_without_models_says_how_to_get_them(no_models: Path, tmp_path: Path) -> None:
    clip = write_tone(tmp_path / "tone.wav", seconds=2.0)
    app = upload(open_page("pages/upload.py"), "Audio clip", "tone.wav", clip.read_bytes())
    assert "The voice model is missing" in text_of(app)
    assert "python -m emotion train voice" in text_of(app)


def test_a_video_gets_a_timeline_and_a_fused_result(tmp_path: Path, face_photo: np.ndarray) -> None:
    frames = [face_frame(face_photo)] * 20
    video = write_video(tmp_path / "talk.webm", frames, fps=10, sound=voice_like(2.0))
    app = open_page("pages/upload.py")
    upload(app, "Video", "talk.webm", video.read_bytes())
    assert not app.exception, [e.value for e in app.exception]
    text = text_of(app)
    assert "a face in **4 of 4** sampled frames" in text
    assert "### Fused: " in text and "**" in fused_headline(app)
    assert "Download the timeline (CSV)" in downloads(app)
    titles = [chart.proto.spec for chart in app.get("plotly_chart")]
    assert any("Emotion over time" in spec for spec in titles)
    assert any("Winning emotion" in spec for spec in titles)


def test_model_report_shows_each_model_from_its_metrics_file() -> None:
    app = open_page("pages/model_report.py")
    assert not app.exception, [e.value for e in app.exception]
    metrics = {kind: load_metrics(kind) for kind in ("face", "voice")}
    shown = {m.label: m.value for m in app.metric}
    face = metrics["face"]
    lodo = face["lodo"]["served"]  # type: ignore[index]
    headline = metrics["voice"]["headline"]  # type: ignore[index]
    fusion = load_fusion_metrics()
    assert fusion is not None and fusion["defaults"]["rule"] == DEFAULT_RULE
    fused = fusion["modes"]["single"]["rules"][DEFAULT_RULE][str(DEFAULT_FACE_WEIGHT)]
    # the first screen: how often each is right, in plain words
    assert app.metric[0].label == "Face" and shown["Face"] == f"{lodo['mean_accuracy']:.0%} right"
    assert shown["Voice, one clip"] == f"{headline['single']['accuracy']:.0%} right"
    assert shown["Voice, adapted to the speaker"] == f"{headline['adaptive']['accuracy']:.0%} right"
    assert shown["Face and voice together"] == f"{fused['accuracy']:.0%} right"
    assert shown["FER2013 faces it never saw: right"] == f"{face['accuracy']:.0%}"  # type: ignore[index]
    assert shown["Datasets it never trained on: right"] == f"{lodo['mean_accuracy']:.0%}"
    assert shown["One clip alone: right"] == f"{headline['single']['accuracy']:.0%}"
    assert not any("F1" in label for label in shown)  # jargon stays in the folded tables
    text = text_of(app)
    assert "metrics.json" not in text.split("Face model")[0]
    assert f"Served: {face['chosen']}" in text and "leave one corpus out" in text  # type: ignore[index]
    assert "faces it never trained on" in text and "calibrated by a temperature" in text
    assert "Can its confidence be trusted?" in text
    specs = " ".join(chart.proto.spec for chart in app.get("plotly_chart"))
    assert "Per-class recall" in specs and "How often each emotion is recognised" in specs
    assert '"predicted"' in specs  # confusion matrix axis
    assert face["chosen"] in specs  # type: ignore[index]
    assert "Reliability, one clip alone" in specs and "perfectly calibrated" in specs
    assert "Reliability, faces (val)" in specs
    assert f"the fused result is right {fused['accuracy']:.0%} of the time" in text
    assert "Fused accuracy by face weight" in specs and "adaptive voice, geometric mean" in specs
    tables = [frame.value for frame in app.dataframe]
    kinds = next(t for t in tables if "kind of faces (never trained on)" in t.columns)
    assert len(kinds) == len(face["lodo"]["served"]["domains"])  # type: ignore[index]
    assert "On kinds of faces it never trained on" in text
    corpora = next(t for t in tables if "corpus" in t.columns and "emotions" in t.columns)
    assert len(corpora) == len(
        metrics["voice"]["modes"]["single"]["loco"]["single clip"]["corpora"]
    )  # type: ignore[index]


def test_live_page_wires_the_stream_to_the_analyzer(fake_webrtc: list[dict[str, Any]]) -> None:
    app = open_page("pages/live_webcam.py")
    (call,) = fake_webrtc
    assert call["rtc_configuration"] == {"iceServers": []}
    assert call["media_stream_constraints"]["audio"]["echoCancellation"] is False
    assert call["async_processing"] is True
    assert call["queued_audio_frames_callback"] is not None
    # not playing: no counters or verdicts left from an earlier stream, only how to begin
    assert "Frames processed" not in text_of(app)
    assert "Press **START** to begin" in text_of(app)
    assert app.slider(key="face_weight").value == DEFAULT_FACE_WEIGHT  # on the page, not only
    assert not any(w.key == "face_weight" for w in app.sidebar.slider)  # in the sidebar
    app.toggle(key="live_microphone").set_value(False).run()
    assert fake_webrtc[-1]["media_stream_constraints"]["audio"] is False
    (help_box,) = app.expander
    assert help_box.label == "START shows an error, or no picture?"
    assert "NotFoundError" in help_box.markdown[0].value


def test_live_page_refreshes_only_while_the_stream_plays(
    fake_webrtc: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    refreshes: list[float | None] = []
    real_fragment = st.fragment

    def fragment(func: Any = None, *, run_every: float | None = None) -> Any:
        refreshes.append(run_every)
        return real_fragment(func, run_every=run_every)

    monkeypatch.setattr(st, "fragment", fragment)
    app = open_page("pages/live_webcam.py")
    assert refreshes == [None]
    playing = FakeContext(SimpleNamespace(playing=True))
    monkeypatch.setattr(streamlit_webrtc, "webrtc_streamer", lambda **_: playing)
    app.run()
    assert refreshes == [None, 1.0]


def test_fusion_settings_are_kept_across_pages(fake_webrtc: list[dict[str, Any]]) -> None:
    app = open_page("pages/upload.py")
    app.slider(key="face_weight").set_value(0.8).run()
    app.radio(key="fusion_rule").set_value("arithmetic").run()
    for page in ("pages/model_report.py", "streamlit_app.py", "pages/live_webcam.py"):
        app.switch_page(page).run()
        assert not app.exception, [e.value for e in app.exception]
    assert app.slider(key="face_weight").value == 0.8
    assert app.radio(key="fusion_rule").value == "arithmetic"


def test_every_page_lists_every_page_in_the_sidebar(fake_webrtc: list[dict[str, Any]]) -> None:
    for page in PAGES:
        app = open_page(page)
        links = [element.proto for element in app.sidebar.get("page_link")]
        assert [link.label for link in links] == ["Home", "Upload", "Live webcam", "Model report"]


def test_uploads_and_results_are_kept_across_pages(
    face_photo: np.ndarray, face_analyses: list[int]
) -> None:
    calls = face_analyses
    app = upload_page_with_a_face(face_photo)
    assert "1 face found" in text_of(app)
    app.switch_page("pages/model_report.py").run()
    app.switch_page("pages/upload.py").run()
    assert not app.exception, [e.value for e in app.exception]
    text = text_of(app)
    assert "1 face found" in text
    assert "Your upload **face.png**, kept while you visited other pages." in text
    assert calls == [1]  # the kept result, not a new analysis
    app.button(key="clear_face").click().run()
    assert "1 face found" not in text_of(app)


def test_examples_are_one_click_away_and_each_can_be_tried_in_turn() -> None:
    app = open_page("pages/upload.py")
    assert "No file at hand? Try an example:" in text_of(app)
    app.button(key="example_astronaut.jpg").click().run()
    offered = [button.key for button in app.button if button.key.startswith("example_")]
    assert offered == ["example_gonna_get_you.ogg", "example_front_center.wav"]
    app.button(key="example_gonna_get_you.ogg").click().run()
    assert not app.exception, [e.value for e in app.exception]
    text = text_of(app)
    assert "1 face found" in text  # the larger false box beside her face is not a second face
    assert "Example **astronaut.jpg** (NASA portrait, public domain)." in text
    assert "Example **gonna_get_you.ogg** (Hedgewars game voice, GFDL-1.3)." in text
    assert "Face and voice disagree**: the face says **happy**" in text
    assert "No file at hand?" not in text
    # the other voice example stays one click away; the face slot holds the only face example
    offered = [button.key for button in app.button if button.key.startswith("example_")]
    assert offered == ["example_front_center.wav"] and "Try another example:" in text
    app.button(key="example_front_center.wav").click().run()
    assert "Example **front_center.wav** (ALSA speaker test, GPL-2)." in text_of(app)
    offered = [button.key for button in app.button if button.key.startswith("example_")]
    assert offered == ["example_gonna_get_you.ogg"]
    app.button(key="clear_face").click().run()
    app.button(key="clear_voice").click().run()
    assert "No file at hand? Try an example:" in text_of(app)


def test_every_example_file_is_described_in_the_examples_readme() -> None:
    readme = (EXAMPLES_DIR / "README.md").read_text()
    for example in EXAMPLES:
        assert (EXAMPLES_DIR / example.file).is_file()
        assert f"`{example.file}`" in readme


def test_the_voice_note_says_what_the_voice_was_judged_against() -> None:
    alone = voice_mode_note(SINGLE_CLIP, 1, 2)
    assert "from this recording alone" in alone
    assert "after 2 stretches" in alone and "1 heard so far" in alone
    adapted = voice_mode_note(SPEAKER_ADAPTIVE, 2, 2)
    assert adapted.startswith("Judged relative to your own voice (2 stretches of up to 3 s heard)")
    assert "from this recording alone as well" in adapted
    assert "(1 stretch of" in voice_mode_note(SPEAKER_ADAPTIVE, 1, 1)
