"""Live analysis of a webcam and microphone stream, frame by frame, safe to call from the
streaming threads.

Every other video frame is judged (the live detector settings: one reduced-scale Haar pass),
and every frame comes back with each face boxed and labelled; when frames pile up, only the
newest two are kept, so latency does not grow. Microphone audio goes into a
ring buffer of the last 3 s, which the voice model judges on request; every 3 s of new voice
is also added to the viewer's speaker profile, so that once a few windows are heard the voice
is judged relative to the viewer's own (speaker-adaptive mode). The latest face, voice and
their smoothed probabilities are read from any thread with `snapshot()`. While `paused` (the
viewer's tab is hidden) frames pass through untouched and no model runs.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, replace

import av
import numpy as np

from emotion.audio.errors import AudioError
from emotion.face.analysis import FaceResult, analyze_image
from emotion.face.detection import Detector
from emotion.face.drawing import draw_faces
from emotion.labels import as_probabilities, as_vector
from emotion.voice.analysis import judge_windows, voice_windows
from emotion.voice.served import voice_model
from emotion.voice.speaker import SpeakerProfile

VOICE_WINDOW_S = 3.0
# The largest face's probabilities (its label on the video and in the charts) are steadied over
# time, so that they do not flip from frame to frame: a moving average whose memory fades with
# this time constant, whatever the frame rate (a real change shows within about a second). A face
# unseen for FACE_TIMEOUT_S is dropped.
FACE_STEADY_S = 0.5
FACE_TIMEOUT_S = 1.0
# How often the voice is re-judged, and the least voice it needs.
VOICE_EVERY_S = 0.5
MIN_VOICE_S = 1.0
RATE_WINDOW_S = 2.0
# Faces are found and judged on every 2nd frame; the frame between shows the same boxes and
# labels (a face moves little in 33 ms). Halves the model's share of the CPU.
JUDGE_EVERY = 2
# Frames arrive in bursts under load: up to this many waiting frames are all shown; beyond
# it, the oldest are dropped (at 30 frames/s, 2 frames are 67 ms of delay at most).
MAX_BACKLOG = 2


def steadied(previous: np.ndarray, newest: np.ndarray, elapsed_s: float) -> np.ndarray:
    """The moving average of a face's probabilities after a frame `elapsed_s` after the last:
    the newest frame weighs 1 - exp(-elapsed_s / FACE_STEADY_S)."""
    weight = 1.0 - np.exp(-max(elapsed_s, 0.0) / FACE_STEADY_S)
    return weight * newest + (1.0 - weight) * previous


class AudioRing:
    """The last `seconds` of mono audio, appended from one thread and read from another."""

    def __init__(self, seconds: float = VOICE_WINDOW_S) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._chunks: deque[np.ndarray] = deque()
        self._length = 0
        self._rate = 0
        self.version = 0

    def append(self, samples: np.ndarray, rate: int) -> None:
        """Add mono float samples; a new sample rate starts the buffer afresh."""
        with self._lock:
            if rate != self._rate:
                self._chunks.clear()
                self._length, self._rate = 0, rate
            self._chunks.append(np.asarray(samples, dtype=np.float32))
            self._length += len(samples)
            limit = int(self.seconds * rate)
            while self._length - len(self._chunks[0]) >= limit:
                self._length -= len(self._chunks.popleft())
            self.version += 1

    def buffered_seconds(self) -> float:
        """How much audio `snapshot()` would return, in seconds, without copying it."""
        with self._lock:
            return (
                min(self._length, int(self.seconds * self._rate)) / self._rate
                if self._rate
                else 0.0
            )

    def snapshot(self) -> tuple[np.ndarray, int]:
        """The buffered audio (at most `seconds` of it) and its sample rate."""
        with self._lock:
            if not self._chunks:
                return np.zeros(0, np.float32), self._rate
            audio = np.concatenate(self._chunks)
            return audio[-int(self.seconds * self._rate) :], self._rate


class RateMeter:
    """Events per second over the last two seconds."""

    def __init__(self, window_s: float = RATE_WINDOW_S) -> None:
        self.window_s = window_s
        self._times: deque[float] = deque()

    def tick(self, now: float) -> None:
        """Count one event at `now` (seconds, monotonic)."""
        self._times.append(now)
        while self._times and self._times[0] < now - self.window_s:
            self._times.popleft()

    def rate(self, now: float) -> float:
        """Events per second in the window ending at `now`."""
        recent = [t for t in self._times if t >= now - self.window_s]
        if len(recent) < 2:
            return 0.0
        return (len(recent) - 1) / max(recent[-1] - recent[0], 1e-6)


def mono_samples(frame: av.AudioFrame) -> np.ndarray:
    """An audio frame's samples as mono float32 in [-1, 1], whatever its format and layout."""
    data = frame.to_ndarray()
    channels = len(frame.layout.channels)
    data = data if frame.format.is_planar else data.reshape(-1, channels).T
    if np.issubdtype(data.dtype, np.integer):
        data = data.astype(np.float32) / np.iinfo(data.dtype).max
    return data.astype(np.float32).mean(axis=0)


def silence_like(frame: av.AudioFrame) -> av.AudioFrame:
    """A silent audio frame with the format, layout, length and timing of `frame`."""
    silent = av.AudioFrame(
        format=frame.format.name, layout=frame.layout.name, samples=frame.samples
    )
    for plane in silent.planes:
        plane.update(bytes(plane.buffer_size))
    silent.pts, silent.sample_rate = frame.pts, frame.sample_rate
    if frame.time_base is not None:
        silent.time_base = frame.time_base
    return silent


@dataclass(frozen=True)
class LiveSnapshot:
    """What the live stream shows now: counters, the faces, and face and voice probabilities."""

    frames_processed: int
    frames_per_second: float
    milliseconds_per_frame: float
    faces: list[FaceResult]
    face: dict[str, float] | None
    voice: dict[str, float] | None
    voice_problem: str | None
    audio_seconds: float
    voice_mode: str | None = None
    speaker_windows: int = 0


class LiveAnalyzer:
    """Judges webcam frames and microphone audio for one viewer; thread-safe."""

    def __init__(self, detector: Detector = "haar") -> None:
        self.detector: Detector = detector
        self.audio = AudioRing()
        self._lock = threading.Lock()
        self._voice_lock = threading.Lock()
        self._meter = RateMeter()
        self._frames = 0
        self._durations: deque[float] = deque(maxlen=30)
        self._faces: list[FaceResult] = []
        self._face: np.ndarray | None = None
        self._face_seen = 0.0
        self._voice: dict[str, float] | None = None
        self._voice_problem: str | None = "No sound from the microphone yet."
        self._voice_version = 0
        self._voice_time = 0.0
        self._voice_mode: str | None = None
        self._learned_time = float("-inf")
        self.speaker = SpeakerProfile()
        self.paused = False

    def process(self, image: np.ndarray) -> np.ndarray:
        """Judge one RGB frame (or reuse the last verdict, every other frame): returns it with
        boxes and labels, and updates the state."""
        start = time.perf_counter()
        with self._lock:
            judge, faces = self._frames % JUDGE_EVERY == 0, self._faces
        if judge:
            faces = analyze_image(image, detector=self.detector, thorough=False)
        now = time.monotonic()
        with self._lock:
            if judge and faces:
                newest = as_vector(faces[0].probabilities)
                elapsed = now - self._face_seen
                recent = self._face is not None and elapsed < FACE_TIMEOUT_S
                self._face = steadied(self._face, newest, elapsed) if recent else newest
                self._face_seen = now
                faces = [replace(faces[0], probabilities=as_probabilities(self._face)), *faces[1:]]
            self._faces = faces
        drawn = draw_faces(image, faces)
        with self._lock:
            self._frames += 1
            self._durations.append(time.perf_counter() - start)
            self._meter.tick(now)
        return drawn

    def video_frame(self, frame: av.VideoFrame) -> av.VideoFrame:
        """One frame, judged and drawn on (returned as it came while paused)."""
        if self.paused:
            return frame
        drawn = self.process(frame.to_ndarray(format="rgb24"))
        out = av.VideoFrame.from_ndarray(drawn, format="rgb24")
        out.pts, out.time_base = frame.pts, frame.time_base
        return out

    async def video_frames(self, frames: list[av.VideoFrame]) -> list[av.VideoFrame]:
        """streamlit-webrtc queued-video callback: the newest frames waiting (at most
        MAX_BACKLOG), judged and drawn on; older ones are dropped so latency cannot grow."""
        return [self.video_frame(frame) for frame in frames[-MAX_BACKLOG:]]

    async def audio_frames(self, frames: list[av.AudioFrame]) -> list[av.AudioFrame]:
        """streamlit-webrtc queued-audio callback: every frame goes into the ring buffer (none
        dropped, unlike video). Silence goes back: the stream only runs while it returns audio,
        and the user must not hear themselves."""
        if not self.paused:
            for frame in frames:
                self.audio.append(mono_samples(frame), frame.sample_rate)
        return [silence_like(frame) for frame in frames]

    def judge_voice(self, now: float) -> None:
        """Re-judge the buffered voice when new audio came and the last verdict is old enough."""
        if self.audio.version == self._voice_version or now - self._voice_time < VOICE_EVERY_S:
            return
        self._voice_version, self._voice_time = self.audio.version, now
        samples, rate = self.audio.snapshot()
        if rate == 0 or len(samples) < MIN_VOICE_S * rate:
            self._voice, self._voice_problem = None, "Listening: not enough sound yet."
            return
        try:
            windows = voice_windows(samples, rate)
        except AudioError as error:
            self._voice, self._voice_problem = None, str(error)
            return
        if now - self._learned_time >= VOICE_WINDOW_S:
            self.speaker.add(windows.judged)
            self._learned_time = now
        result = judge_windows(windows, voice_model(), self.speaker)
        self._voice, self._voice_problem = result.probabilities, None
        self._voice_mode = result.mode

    def snapshot(self) -> LiveSnapshot:
        """The current state; judges the voice first if new audio arrived."""
        now = time.monotonic()
        with self._voice_lock:
            self.judge_voice(now)
            voice, voice_problem, voice_mode = self._voice, self._voice_problem, self._voice_mode
        with self._lock:
            face = None
            if self._face is not None and now - self._face_seen < FACE_TIMEOUT_S:
                face = as_probabilities(self._face)
            return LiveSnapshot(
                frames_processed=self._frames,
                frames_per_second=self._meter.rate(now),
                milliseconds_per_frame=1000 * float(np.median(self._durations or [0.0])),
                faces=list(self._faces),
                face=face,
                voice=voice,
                voice_problem=voice_problem,
                audio_seconds=self.audio.buffered_seconds(),
                voice_mode=voice_mode,
                speaker_windows=self.speaker.windows,
            )
