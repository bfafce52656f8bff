"""The live page's frame callbacks, on synthetic av frames: faces drawn, audio buffered and
judged, counters and smoothing; and its ICE server setting."""

from __future__ import annotations

import asyncio
from fractions import Fraction

import av
import numpy as np
import pytest
from media import face_frame, voice_like

from emotion.face.analysis import analyze_image
from emotion.face.drawing import BOX_COLOR
from emotion.live import AudioRing, LiveAnalyzer, RateMeter, mono_samples, steadied
from emotion.voice.analysis import SINGLE_CLIP, SPEAKER_ADAPTIVE
from emotion.voice.served import voice_model
from emotion_app.ice import parse_ice_servers, rtc_configuration


def video_frame(pixels: np.ndarray, pts: int = 0) -> av.VideoFrame:
    frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
    frame.pts, frame.time_base = pts, Fraction(1, 30)
    return frame


def audio_frames(samples: np.ndarray, rate: int = 48000, size: int = 960) -> list[av.AudioFrame]:
    """WebRTC-like frames: 20 ms of packed 16-bit stereo each."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    frames = []
    for start in range(0, len(pcm) - size + 1, size):
        stereo = np.repeat(pcm[start : start + size], 2)[None, :]
        frame = av.AudioFrame.from_ndarray(stereo, format="s16", layout="stereo")
        frame.sample_rate = rate
        frames.append(frame)
    return frames


def test_a_frame_with_a_face_comes_back_boxed_and_counted(face_photo: np.ndarray) -> None:
    analyzer = LiveAnalyzer()
    pixels = face_frame(face_photo)
    out = analyzer.video_frame(video_frame(pixels, pts=42))
    drawn = out.to_ndarray(format="rgb24")
    assert out.pts == 42 and out.width == 640 and out.height == 480
    assert np.all(drawn == BOX_COLOR, axis=-1).sum() > 500
    state = analyzer.snapshot()
    assert state.frames_processed == 1
    assert [face.label for face in state.faces] == ["happy"]
    assert state.face is not None and max(state.face, key=state.face.__getitem__) == "happy"


def test_every_other_frame_reuses_the_last_verdict(face_photo: np.ndarray) -> None:
    analyzer = LiveAnalyzer()
    blank = np.full((480, 640, 3), 90, np.uint8)
    analyzer.process(face_frame(face_photo))
    held = analyzer.process(blank)  # not judged: the face's box is drawn again
    assert np.all(held == BOX_COLOR, axis=-1).sum() > 500
    judged = analyzer.process(blank)
    assert not np.all(judged == BOX_COLOR, axis=-1).any()
    state = analyzer.snapshot()
    assert state.frames_processed == 3 and state.faces == []
    assert state.face is not None  # held for a moment, not flickering away


def test_face_probabilities_are_steadied_over_time(face_photo: np.ndarray) -> None:
    analyzer = LiveAnalyzer()
    analyzer.process(face_frame(face_photo))
    first = analyzer.snapshot().face
    analyzer.process(face_frame(face_photo))
    assert analyzer.snapshot().face == first
    other = face_frame(np.fliplr(face_photo)[:, 10:])
    raw = analyze_image(other, thorough=False)[0].probabilities
    analyzer.process(other)
    state = analyzer.snapshot()
    assert first is not None and state.face is not None and raw != first
    for label in raw:  # moved towards the new frame, but only a little: frames came fast
        low, high = sorted((first[label], raw[label]))
        assert low - 1e-6 <= state.face[label] <= high + 1e-6
    moved = sum(abs(state.face[k] - first[k]) for k in raw)
    assert 0 < moved < 0.5 * sum(abs(raw[k] - first[k]) for k in raw)
    # the label drawn on the video and listed with the faces is the steadied one
    assert state.faces[0].probabilities == pytest.approx(state.face)


def test_steadying_follows_a_real_change_within_a_second() -> None:
    before, after = np.eye(7)[0], np.eye(7)[3]
    fast = steadied(before, after, 1 / 15)  # the next judged frame at 30 frames/s
    assert 0.05 < fast[3] < 0.2
    held = before
    for _ in range(15):  # one second of frames showing the new expression
        held = steadied(held, after, 1 / 15)
    assert np.argmax(held) == 3 and held[3] > 0.8
    assert steadied(before, after, 1 / 15).sum() == pytest.approx(1.0)


def test_a_paused_analyzer_runs_no_model_and_buffers_no_sound(face_photo: np.ndarray) -> None:
    analyzer = LiveAnalyzer()
    analyzer.paused = True
    frame = video_frame(face_frame(face_photo))
    assert asyncio.run(analyzer.video_frames([frame])) == [frame]  # untouched, not redrawn
    silent = asyncio.run(analyzer.audio_frames(audio_frames(voice_like(1.0, rate=48000))))
    assert silent and not any(f.to_ndarray().any() for f in silent)
    state = analyzer.snapshot()
    assert (state.frames_processed, state.faces, state.audio_seconds) == (0, [], 0.0)
    analyzer.paused = False
    asyncio.run(analyzer.video_frames([frame]))
    assert analyzer.snapshot().frames_processed == 1


def test_microphone_audio_is_buffered_whole_and_judged() -> None:
    analyzer = LiveAnalyzer()
    frames = audio_frames(voice_like(4.0, rate=48000))
    returned = asyncio.run(analyzer.audio_frames(frames))
    assert len(returned) == len(frames)
    assert [f.samples for f in returned] == [f.samples for f in frames]
    assert [f.pts for f in returned] == [f.pts for f in frames]
    assert not any(f.to_ndarray().any() for f in returned)  # silence: no echo to the user
    state = analyzer.snapshot()
    assert state.audio_seconds == pytest.approx(3.0, abs=0.02)
    assert state.voice is not None and state.voice_problem is None
    assert sum(state.voice.values()) == pytest.approx(1.0, abs=1e-4)


def test_the_live_voice_adapts_to_the_speaker_after_a_few_stretches() -> None:
    analyzer = LiveAnalyzer()
    needed = voice_model().min_clips
    modes, now = [], 100.0
    for stretch in range(needed + 1):
        speech = voice_like(3.0, rate=48000, f0=130 + 15 * stretch)
        asyncio.run(analyzer.audio_frames(audio_frames(speech)))
        analyzer.judge_voice(now)
        state = analyzer.snapshot()
        modes.append(state.voice_mode)
        assert state.speaker_windows == stretch + 1
        asyncio.run(analyzer.audio_frames(audio_frames(speech[: 48000 // 2])))
        analyzer.judge_voice(now + 1.0)  # judged again, but too soon to learn from
        assert analyzer.snapshot().speaker_windows == stretch + 1
        now += 3.5
    assert modes[0] == SINGLE_CLIP and modes[-1] == SPEAKER_ADAPTIVE


def test_silence_on_the_microphone_is_said_not_judged() -> None:
    analyzer = LiveAnalyzer()
    assert analyzer.snapshot().voice_problem == "No sound from the microphone yet."
    asyncio.run(analyzer.audio_frames(audio_frames(np.zeros(48000 // 2))))
    assert "not enough sound" in (analyzer.snapshot().voice_problem or "")
    analyzer = LiveAnalyzer()
    asyncio.run(analyzer.audio_frames(audio_frames(np.zeros(2 * 48000))))
    assert "silent" in (analyzer.snapshot().voice_problem or "").lower()


def test_mono_samples_reads_packed_and_planar_frames() -> None:
    packed = av.AudioFrame.from_ndarray(
        np.array([[16384, -16384, 16384, -16384]], np.int16), format="s16", layout="stereo"
    )
    assert mono_samples(packed) == pytest.approx([0.0, 0.0], abs=1e-4)
    planar = av.AudioFrame.from_ndarray(
        np.array([[0.5, 0.5], [0.0, 1.0]], np.float32), format="fltp", layout="stereo"
    )
    assert mono_samples(planar) == pytest.approx([0.25, 0.75])


def test_ring_keeps_only_the_last_seconds_and_restarts_on_a_new_rate() -> None:
    ring = AudioRing(seconds=1.0)
    assert ring.buffered_seconds() == 0.0
    for value in range(30):
        ring.append(np.full(100, value, np.float32), rate=1000)
    samples, rate = ring.snapshot()
    assert rate == 1000 and len(samples) == 1000 and ring.buffered_seconds() == 1.0
    assert samples[0] == 20 and samples[-1] == 29
    ring.append(np.ones(10, np.float32), rate=8000)
    assert len(ring.snapshot()[0]) == 10 and ring.buffered_seconds() == 10 / 8000


def test_rate_meter_counts_events_per_second() -> None:
    meter = RateMeter(window_s=2.0)
    for i in range(61):
        meter.tick(100 + i / 30)
    assert meter.rate(102.0) == pytest.approx(30.0)
    assert meter.rate(110.0) == 0.0


def test_ice_servers_default_to_none_and_are_read_from_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EMOTION_ICE_SERVERS", raising=False)
    assert rtc_configuration() == {"iceServers": []}
    servers = '[{"urls": "turn:turn.example.org:3478", "username": "u", "credential": "p"}]'
    monkeypatch.setenv("EMOTION_ICE_SERVERS", servers)
    assert rtc_configuration()["iceServers"][0]["username"] == "u"
    assert parse_ice_servers("  ") == []
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_ice_servers("[{urls: stun}]")
    with pytest.raises(ValueError, match="list of"):
        parse_ice_servers('{"urls": "stun:x"}')
