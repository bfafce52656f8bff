"""Video files (MP4, WebM, MOV...): faces in sampled frames, the voice in the sound track, and a
timeline of face, voice and fused emotion over time.

Frames are taken every 0.5 s (less often for long videos, at most 240 frames), turned upright by
the rotation a phone records, and judged as photos; the sound track is judged as an audio clip,
window by window. The file is read in one pass.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from emotion.audio.cleaning import MODEL_RATE
from emotion.audio.errors import AudioError
from emotion.face.analysis import FaceResult, analyze_image
from emotion.face.detection import Detector
from emotion.fusion import FusedResult, FusionRule, fuse
from emotion.labels import mean_probabilities
from emotion.voice.analysis import VoiceResult, WindowResult, analyze_audio

SUPPORTED = "MP4, WebM, MOV, MKV or AVI"
SAMPLE_EVERY_S = 0.5
# A voice window counts for frames up to this far outside it (codec padding, trimmed silence).
VOICE_REACH_S = 0.5
MAX_FRAMES = 240
MAX_DURATION_S = 600.0

Progress = Callable[[float], None]


class VideoError(ValueError):
    """A video that cannot be read or judged; the message says why, for the user."""


@dataclass(frozen=True)
class FrameFaces:
    """The faces found in the frame shown `time_s` seconds into the video (largest first)."""

    time_s: float
    faces: list[FaceResult]


@dataclass(frozen=True)
class VideoResult:
    """Faces per sampled frame, and the voice result or the reason there is none."""

    duration_s: float
    frames: list[FrameFaces]
    voice: VoiceResult | None
    voice_problem: str | None

    @property
    def face_probabilities(self) -> dict[str, float] | None:
        """Mean probabilities of the largest face over the frames that have one (None: no face)."""
        seen = [frame.faces[0].probabilities for frame in self.frames if frame.faces]
        return mean_probabilities(seen) if seen else None


@dataclass(frozen=True)
class TimelinePoint:
    """Face, voice and fused probabilities at one sampled time (None where there are none)."""

    time_s: float
    face: dict[str, float] | None
    voice: dict[str, float] | None
    fused: FusedResult | None


@dataclass(frozen=True)
class VideoMedia:
    """What a video holds for the models: sampled RGB frames with their times, mono sound."""

    duration_s: float
    frames: list[tuple[float, np.ndarray]]
    sound: np.ndarray | None


def sample_interval(duration_s: float) -> float:
    """Seconds between sampled frames: every 0.5 s, spread wider so at most 240 are taken."""
    return max(SAMPLE_EVERY_S, duration_s / MAX_FRAMES)


def upright(frame: av.VideoFrame) -> np.ndarray:
    """The frame as RGB pixels, turned by the rotation its container records (phone videos)."""
    pixels = frame.to_ndarray(format="rgb24")
    quarter_turns = round(getattr(frame, "rotation", 0) / 90) % 4
    return np.ascontiguousarray(np.rot90(pixels, quarter_turns)) if quarter_turns else pixels


def open_video(source: bytes | Path) -> av.container.InputContainer:
    """The opened container, or VideoError when it is not a video with a picture."""
    if isinstance(source, Path) and not source.is_file():
        raise VideoError(f"There is no video file at {source}.")
    try:
        container = av.open(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    except (av.error.FFmpegError, UnicodeDecodeError) as error:
        raise VideoError(f"This file could not be read as a video ({SUPPORTED}).") from error
    if not container.streams.video:
        container.close()
        raise VideoError("This file has no picture: upload it as an audio clip instead.")
    return container


def duration_of(container: av.container.InputContainer) -> float | None:
    """The container's duration in seconds, when it records one."""
    return container.duration / av.time_base if container.duration else None


def read_video(source: bytes | Path, progress: Progress | None = None) -> VideoMedia:
    """Sampled frames and the mono sound track (at the voice model's rate) of a video file.

    Raises VideoError for unreadable files, videos without a picture or over 10 minutes.
    `progress` is told the fraction read so far.
    """
    container = open_video(source)
    with container:
        duration = duration_of(container)
        if duration and duration > MAX_DURATION_S:
            raise VideoError(
                f"The video is {duration / 60:.0f} minutes long; at most "
                f"{MAX_DURATION_S / 60:.0f} minutes are accepted: trim it first."
            )
        step = sample_interval(duration or 0.0)
        streams = [container.streams.video[0], *container.streams.audio[:1]]
        frames: list[tuple[float, np.ndarray]] = []
        sound: list[np.ndarray] = []
        resampler = av.AudioResampler(format="flt", layout="mono", rate=MODEL_RATE)
        first_time: float | None = None
        try:
            for frame in decoded(container, streams):
                if isinstance(frame, av.AudioFrame):
                    sound.extend(chunk.to_ndarray()[0] for chunk in resampler.resample(frame))
                    continue
                if frame.time is None:
                    continue
                first_time = frame.time if first_time is None else first_time
                elapsed = frame.time - first_time
                if elapsed > MAX_DURATION_S:
                    raise VideoError(f"The video is longer than {MAX_DURATION_S / 60:.0f} minutes.")
                if len(frames) < MAX_FRAMES and elapsed >= len(frames) * step - 1e-6:
                    frames.append((round(elapsed, 3), upright(frame)))
                    if progress and duration:
                        progress(min(elapsed / duration, 1.0))
        except av.error.FFmpegError as error:
            if not frames:
                raise VideoError(f"This video could not be decoded ({SUPPORTED}).") from error
    if not frames:
        raise VideoError("The video has no frames that could be decoded.")
    samples = np.concatenate(sound).astype(np.float32) if sound else None
    length = max(frames[-1][0], len(samples) / MODEL_RATE if samples is not None else 0.0)
    return VideoMedia(duration or length, frames, samples)


def decoded(
    container: av.container.InputContainer, streams: list[av.stream.Stream]
) -> Iterator[av.VideoFrame | av.AudioFrame]:
    """Every decoded video and audio frame of `streams`, in file order."""
    for packet in container.demux(*streams):
        yield from packet.decode()


def analyze_video(
    source: bytes | Path, detector: Detector = "haar", progress: Progress | None = None
) -> VideoResult:
    """Faces in the sampled frames and the voice of the sound track of a video file.

    `progress` is told the fraction done (reading and judging the frames, then the voice).
    A video without sound, or whose sound cannot be judged, has `voice=None` and the reason.
    """
    media = read_video(source, (lambda f: progress(0.5 * f)) if progress else None)
    frames = []
    for index, (time_s, pixels) in enumerate(media.frames, start=1):
        frames.append(FrameFaces(time_s, analyze_image(pixels, detector=detector)))
        if progress:
            progress(0.5 + 0.45 * index / len(media.frames))
    voice, problem = None, "The video has no sound track."
    if media.sound is not None:
        try:
            voice, problem = analyze_audio(media.sound, MODEL_RATE), None
        except AudioError as error:
            problem = str(error)
    if progress:
        progress(1.0)
    return VideoResult(media.duration_s, frames, voice, problem)


def voice_at(windows: list[WindowResult], time_s: float) -> dict[str, float] | None:
    """Mean probabilities of the judged voice windows within 0.5 s of `time_s` (None: none)."""
    covering = [
        w.probabilities
        for w in windows
        if w.probabilities is not None
        and w.start_s - VOICE_REACH_S <= time_s <= w.end_s + VOICE_REACH_S
    ]
    return mean_probabilities(covering) if covering else None


def timeline(
    result: VideoResult, face_weight: float = 0.5, rule: FusionRule = "arithmetic"
) -> list[TimelinePoint]:
    """Face (largest face), voice and fused probabilities at every sampled frame's time."""
    windows = result.voice.windows if result.voice else []
    points = []
    for frame in result.frames:
        face = frame.faces[0].probabilities if frame.faces else None
        voice = voice_at(windows, frame.time_s)
        points.append(
            TimelinePoint(frame.time_s, face, voice, fuse(face, voice, face_weight, rule))
        )
    return points
