"""Video files: sampled frames, the sound track, and the face/voice/fused timeline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from media import blank_frames, face_frame, voice_like, write_tone, write_video

from emotion.batch.kinds import media_kind
from emotion.formats import VIDEO_EXTENSIONS
from emotion.labels import EMOTIONS
from emotion.video import (
    MAX_FRAMES,
    VideoError,
    analyze_video,
    read_video,
    sample_interval,
    timeline,
    voice_at,
)
from emotion.voice.analysis import WindowResult


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("suffix", [".mp4", ".webm", ".mov"])
def test_frames_are_sampled_every_half_second_with_the_sound(tmp_path: Path, suffix: str) -> None:
    path = write_video(tmp_path / f"clip{suffix}", blank_frames(30), fps=10, sound=voice_like(3.0))
    reader = read_video(path)
    frames = list(reader.frames())
    assert [time for time, _ in frames] == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5]
    assert frames[0][1].shape == (240, 320, 3)
    assert reader.duration_s == pytest.approx(3.0, abs=0.1)
    assert reader.sound is not None and reader.note is None
    assert len(reader.sound) / 16000 == pytest.approx(3.0, abs=0.1)


def test_reading_from_bytes_reports_progress(tmp_path: Path) -> None:
    path = write_video(tmp_path / "clip.mp4", blank_frames(20), fps=10)
    seen: list[float] = []
    reader = read_video(path.read_bytes(), seen.append)
    assert len(list(reader.frames())) == 4
    assert reader.sound is None
    assert seen == sorted(seen)
    assert 0 < seen[-1] <= 1


def test_long_videos_are_sampled_more_sparsely_up_to_the_cap() -> None:
    assert sample_interval(10) == 0.5
    assert sample_interval(600) * MAX_FRAMES == pytest.approx(600)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.mp4", "no video file"),
        (lambda d: write_bytes(d / "notes.mp4", b"not a video at all" * 50), "could not be read"),
        (lambda d: write_tone(d / "clip.wav"), "no picture"),
    ],
)
def test_what_is_not_a_video_gets_a_message(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(VideoError, match=message):
        read_video(make(tmp_path))


def test_a_truncated_video_gets_a_message(tmp_path: Path) -> None:
    data = write_video(tmp_path / "clip.mp4", blank_frames(20), fps=10).read_bytes()
    with pytest.raises(VideoError):
        list(read_video(data[: len(data) // 3]).frames())


def test_a_video_damaged_part_way_says_how_much_was_analysed(tmp_path: Path) -> None:
    path = write_video(tmp_path / "clip.webm", blank_frames(40), fps=10)
    data = bytearray(path.read_bytes())
    data[len(data) // 2 :] = bytes(len(data) - len(data) // 2)
    reader = read_video(bytes(data))
    frames = list(reader.frames())
    assert 0 < len(frames) < 8
    assert reader.note is not None and reader.note.startswith("Only the first")


def test_large_frames_are_scaled_down_and_surround_sound_is_averaged(tmp_path: Path) -> None:
    voice = 0.5 * voice_like(2.0) / np.abs(voice_like(2.0)).max()
    path = write_video(
        tmp_path / "big.mp4", blank_frames(10, (2560, 1440)), fps=5, sound=np.stack([voice] * 6)
    )
    reader = read_video(path)
    frames = list(reader.frames())
    assert frames[0][1].shape == (720, 1280, 3)
    assert reader.sound is not None
    assert 0.35 < np.abs(reader.sound).max() < 0.65  # the mean of six equal channels, not a sum


def test_limits_are_checked_from_the_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_video(tmp_path / "clip.mp4", blank_frames(30, (640, 480)), fps=10)
    monkeypatch.setattr("emotion.video.MAX_VIDEO_SIDE", 600)
    with pytest.raises(VideoError, match="640x480 pixels"):
        read_video(path)
    monkeypatch.setattr("emotion.video.MAX_VIDEO_SIDE", 8192)
    monkeypatch.setattr("emotion.video.MAX_DURATION_S", 2.0)
    with pytest.raises(VideoError, match="trim it first"):
        read_video(path)


def test_face_and_voice_of_a_video_make_a_timeline(tmp_path: Path, face_photo: np.ndarray) -> None:
    frames = [face_frame(face_photo)] * 20 + blank_frames(20, (640, 480))
    path = write_video(tmp_path / "talk.mp4", frames, fps=10, sound=voice_like(4.0))
    result = analyze_video(path)
    assert [len(frame.faces) for frame in result.frames] == [1, 1, 1, 1, 0, 0, 0, 0]
    assert result.frames[0].faces[0].label == "happy"
    assert result.voice is not None and result.voice_problem is None
    assert result.face_probabilities == pytest.approx(
        result.frames[0].faces[0].probabilities, abs=0.05
    )
    points = timeline(result, face_weight=1.0)
    assert [p.fused.sources for p in points[:4]] == [("face",)] * 4  # type: ignore[union-attr]
    assert [p.fused.sources for p in points[4:]] == [("voice",)] * 4  # type: ignore[union-attr]
    assert points[0].fused.label == "happy"  # type: ignore[union-attr]
    assert points[-1].fused.probabilities == pytest.approx(result.voice.probabilities)  # type: ignore[union-attr]


def test_a_silent_sound_track_is_reported_not_fatal(tmp_path: Path, face_photo: np.ndarray) -> None:
    path = write_video(
        tmp_path / "quiet.webm", [face_frame(face_photo)] * 10, fps=10, sound=np.zeros(16000)
    )
    result = analyze_video(path)
    assert result.voice is None
    assert "silent" in (result.voice_problem or "").lower()
    assert all(point.voice is None for point in timeline(result))


def test_voice_at_averages_the_windows_around_a_time() -> None:
    one = dict.fromkeys(EMOTIONS, 0.0) | {"anger": 1.0}
    two = dict.fromkeys(EMOTIONS, 0.0) | {"sad": 1.0}
    windows = [
        WindowResult(0.0, 3.0, one),
        WindowResult(1.5, 4.5, two),
        WindowResult(3.0, 6.0, None, "pause"),
    ]
    assert voice_at(windows, 0.5) == one
    assert voice_at(windows, 2.0)["anger"] == pytest.approx(0.5)  # type: ignore[index]
    assert voice_at(windows, 4.9) == two
    assert voice_at(windows, 5.5) is None


@pytest.mark.parametrize("extension", VIDEO_EXTENSIONS)
def test_every_listed_video_format_is_read_with_its_sound(
    extension: str, tmp_path: Path, face_photo: np.ndarray
) -> None:
    path = write_video(
        tmp_path / f"clip.{extension}", [face_frame(face_photo)] * 10, fps=10, sound=voice_like(3.0)
    )
    assert media_kind(path) == "video"
    result = analyze_video(path)
    assert result.frames and result.frames[0].faces, extension
    assert result.voice is not None, result.voice_problem
