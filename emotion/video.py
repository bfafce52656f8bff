"""Video files (MP4, WebM, MOV...): faces in sampled frames, the voice in the sound track, and a
timeline of face, voice and fused emotion over time.

Frames are taken every 0.5 s (less often for long videos, at most 240 frames), turned upright by
the rotation a phone records, scaled down to at most 1280 px and judged as photos one at a time;
the sound track (channels averaged) is judged as an audio clip, window by window. The file is
read in one pass, and memory does not grow with its length or resolution.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from emotion.audio.cleaning import MODEL_RATE
from emotion.audio.decoding import MonoSound
from emotion.audio.errors import AudioError
from emotion.errors import EmotionError
from emotion.face.analysis import FaceResult, analyze_image
from emotion.face.detection import Detector
from emotion.face.motion import clip_probabilities
from emotion.formats import VIDEO_FORMATS
from emotion.fusion import DEFAULT_FACE_WEIGHT, DEFAULT_RULE, FusedResult, FusionRule, fuse
from emotion.labels import mean_probabilities
from emotion.voice.analysis import VoiceResult, WindowResult, analyze_audio

SAMPLE_EVERY_S = 0.5
# A voice window counts for frames up to this far outside it (codec padding, trimmed silence).
VOICE_REACH_S = 0.5
MAX_FRAMES = 240
MAX_DURATION_S = 600.0
MAX_FRAME_SIDE = 1280
MAX_VIDEO_SIDE = 8192
MAX_FRAME_COUNT = 100_000
SHORT_BY_S = 1.0  # pictures ending this much before the stated duration: the file is damaged

Progress = Callable[[float], None]


class VideoError(EmotionError, ValueError):
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
    note: str | None = None
    """Set when only part of the file could be decoded: how much the results cover."""

    @property
    def face_probabilities(self) -> dict[str, float] | None:
        """The largest face's probabilities over the frames that have one, judged at the
        expression's peak (`emotion.face.motion`: a neutral onset and offset do not dilute it);
        None when no frame shows a face."""
        return clip_probabilities([f.faces[0].probabilities for f in self.frames if f.faces])


@dataclass(frozen=True)
class TimelinePoint:
    """Face, voice and fused probabilities at one sampled time (None where there are none)."""

    time_s: float
    face: dict[str, float] | None
    voice: dict[str, float] | None
    fused: FusedResult | None


def sample_interval(duration_s: float) -> float:
    """Seconds between sampled frames: every 0.5 s, spread wider so at most 240 are taken."""
    return max(SAMPLE_EVERY_S, duration_s / MAX_FRAMES)


def frame_size(width: int, height: int) -> tuple[int, int]:
    """(width, height) of a frame scaled down so that its longer side is at most 1280 px,
    rounded to even numbers (what the scaler needs)."""
    scale = min(1.0, MAX_FRAME_SIDE / max(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def upright(frame: av.VideoFrame) -> np.ndarray:
    """The frame as RGB pixels no longer than 1280 px, turned by the rotation its container
    records (phone videos)."""
    width, height = frame_size(frame.width, frame.height)
    pixels = frame.to_ndarray(format="rgb24", width=width, height=height)
    quarter_turns = round(getattr(frame, "rotation", 0) / 90) % 4
    return np.ascontiguousarray(np.rot90(pixels, quarter_turns)) if quarter_turns else pixels


def open_video(source: bytes | Path) -> av.container.InputContainer:
    """The opened container, or VideoError when it is not a video with a picture or is over
    the limits its header states (duration, resolution, frame count)."""
    if isinstance(source, Path) and not source.is_file():
        raise VideoError(f"There is no video file at {source}.")
    try:
        container = av.open(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    except (av.error.FFmpegError, UnicodeDecodeError, MemoryError) as error:
        raise VideoError(f"This file could not be read as a video ({VIDEO_FORMATS}).") from error
    try:
        check_header(container)
    except VideoError:
        container.close()
        raise
    return container


def check_header(container: av.container.InputContainer) -> None:
    """Raise VideoError for a container without a picture or over a limit its header states."""
    if not container.streams.video:
        raise VideoError("This file has no picture: upload it as an audio clip instead.")
    stream = container.streams.video[0]
    width, height = stream.codec_context.width, stream.codec_context.height
    if max(width, height) > MAX_VIDEO_SIDE:
        raise VideoError(
            f"The video is {width}x{height} pixels; at most {MAX_VIDEO_SIDE} pixels a side "
            "(8K) are accepted."
        )
    duration = duration_of(container)
    if duration and duration > MAX_DURATION_S:
        raise too_long(duration)
    if stream.frames > MAX_FRAME_COUNT:
        raise VideoError(
            f"The video has {stream.frames} frames; at most {MAX_FRAME_COUNT} are accepted."
        )


def too_long(duration_s: float | None) -> VideoError:
    """The error for a video over 10 minutes (`duration_s`: its length, when known)."""
    length = f"is {duration_s / 60:.0f} minutes long" if duration_s else "is too long"
    limit = f"{MAX_DURATION_S / 60:.0f} minutes"
    return VideoError(f"The video {length}; at most {limit} are accepted: trim it first.")


def duration_of(container: av.container.InputContainer) -> float | None:
    """The container's duration in seconds, when it records one."""
    return container.duration / av.time_base if container.duration else None


class VideoReader:
    """One pass over a video: `frames()` yields the sampled frames (time, RGB pixels no longer
    than 1280 px) one at a time while the sound track is collected, mono at the voice model's
    rate; then `sound`, `duration_s` and `note` are known.

    Memory does not grow with the video's length beyond its sound (at most 10 minutes at
    16 kHz). A file damaged part-way is read up to the damage, and `note` says how much was.
    """

    def __init__(self, source: bytes | Path, progress: Progress | None = None) -> None:
        self._container = open_video(source)
        self._progress = progress
        self.duration_s = duration_of(self._container) or 0.0
        picture = self._container.streams.video[0]
        self._picture_s = (
            float(picture.duration * picture.time_base) if picture.duration else self.duration_s
        )
        self.note: str | None = None
        self._sound = MonoSound()
        self.sound_problem: str | None = None
        self._last_time = 0.0

    @property
    def sound(self) -> np.ndarray | None:
        """The mono sound track read so far (None: the video has none, or it is damaged)."""
        return None if self.sound_problem else self._sound.samples()

    def frames(self) -> Iterator[tuple[float, np.ndarray]]:
        """The sampled frames, in time order (raises VideoError when none can be decoded)."""
        with self._container as container:
            step = sample_interval(self.duration_s)
            streams = [container.streams.video[0], *container.streams.audio[:1]]
            taken, first_time = 0, None
            try:
                for frame in decoded(container, streams):
                    if isinstance(frame, av.AudioFrame):
                        self._add_sound(frame)
                        continue
                    if frame.time is None:
                        continue
                    first_time = frame.time if first_time is None else first_time
                    elapsed = self._last_time = frame.time - first_time
                    if elapsed > MAX_DURATION_S:
                        raise too_long(None)
                    if taken < MAX_FRAMES and elapsed >= taken * step - 1e-6:
                        taken += 1
                        yield round(elapsed, 3), upright(frame)
                        if self._progress and self.duration_s:
                            self._progress(min(elapsed / self.duration_s, 1.0))
            except (av.error.FFmpegError, MemoryError) as error:
                if not taken:
                    raise VideoError(
                        f"This video could not be decoded ({VIDEO_FORMATS})."
                    ) from error
                self.note = self._damaged_note()
        if not taken:
            raise VideoError("The video has no frames that could be decoded.")
        if self._picture_s and self._last_time + SHORT_BY_S < self._picture_s:
            self.note = self._damaged_note()
        sound_s = self._sound.length / MODEL_RATE
        self.duration_s = self.duration_s or max(self._last_time, sound_s)

    def _add_sound(self, frame: av.AudioFrame) -> None:
        """Keep a sound frame: a sound track over 10 minutes makes the video too long, one
        with damaged samples is dropped (the pictures are still judged) and says why."""
        if self.sound_problem:
            return
        try:
            self._sound.add(frame)
        except AudioError as error:
            if self._sound.length > MAX_DURATION_S * MODEL_RATE:
                raise too_long(None) from error
            self.sound_problem = str(error)

    def _damaged_note(self) -> str:
        """What was analysed of a video whose decoding failed part-way."""
        of_total = f" of {self.duration_s:.1f} s" if self.duration_s else ""
        return (
            f"Only the first {self._last_time:.1f} s{of_total} could be decoded (the rest of "
            "the file is damaged): the results cover that part."
        )


def read_video(source: bytes | Path, progress: Progress | None = None) -> VideoReader:
    """A reader of `source` whose header was checked (raises VideoError for unreadable files,
    files without a picture, and videos over 10 minutes, 8K or 100000 frames). `progress` is
    told the fraction read so far."""
    return VideoReader(source, progress)


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
    reader = read_video(source, (lambda f: progress(0.95 * f)) if progress else None)
    frames = [
        FrameFaces(time_s, analyze_image(pixels, detector=detector))
        for time_s, pixels in reader.frames()
    ]
    voice, problem = None, reader.sound_problem or "The video has no sound track."
    sound = reader.sound
    if sound is not None:
        try:
            voice, problem = analyze_audio(sound, MODEL_RATE), None
        except AudioError as error:
            problem = str(error)
    if progress:
        progress(1.0)
    return VideoResult(reader.duration_s, frames, voice, problem, reader.note)


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
    result: VideoResult,
    face_weight: float = DEFAULT_FACE_WEIGHT,
    rule: FusionRule = DEFAULT_RULE,
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
