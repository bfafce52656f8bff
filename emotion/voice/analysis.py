"""`analyze_audio`: the seven emotion probabilities of a voice, with a result per window.

Clips up to 4.5 s of voice are one window; longer ones are cut into 3 s windows every 1.5 s,
each judged on its own (pauses and noise are skipped, with the reason) and averaged into the
overall result. Given a `SpeakerProfile`, the windows are added to what is known of the speaker
and, once enough has been heard, judged relative to the speaker's own voice too (speaker-adaptive
mode: both views blended, see `blending`), which is far more accurate for a voice the model
never heard. This is the code the app, the evaluation command and the benchmark all run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from emotion.audio.cleaning import (
    MODEL_RATE,
    check_judgeable,
    clipping_warning,
    resample,
    voiced_span,
)
from emotion.audio.decoding import decode_audio
from emotion.audio.errors import AudioError
from emotion.calibration import apply_temperature
from emotion.labels import as_probabilities, mean_probabilities, top_emotion
from emotion.voice.blending import blend
from emotion.voice.inputs import SINGLE_WINDOW_SAMPLES, WINDOW_SAMPLES, model_inputs
from emotion.voice.normalise import normalise
from emotion.voice.served import VoiceModel, voice_model
from emotion.voice.speaker import SpeakerProfile

WINDOW_HOP = WINDOW_SAMPLES // 2
SINGLE_CLIP = "single clip"
SPEAKER_ADAPTIVE = "speaker adaptive"


@dataclass(frozen=True)
class WindowResult:
    """One window of the clip, in seconds from its start, with probabilities or the reason why
    it was not judged."""

    start_s: float
    end_s: float
    probabilities: dict[str, float] | None
    problem: str | None = None


@dataclass(frozen=True)
class VoiceWindows:
    """A clip's windows before judging: where each lies, its feature vector or its problem."""

    bounds: list[tuple[float, float]]
    features: list[np.ndarray | None]
    problems: list[str | None]
    warnings: list[str] = field(default_factory=list)

    @property
    def judged(self) -> list[np.ndarray]:
        """Feature vectors of the windows that can be judged."""
        return [f for f in self.features if f is not None]


@dataclass(frozen=True)
class VoiceResult:
    """Overall probabilities (mean over the judged windows), every window's result, the mode
    they were judged in, how many windows of the speaker were known, and warnings."""

    probabilities: dict[str, float]
    windows: list[WindowResult]
    mode: str = SINGLE_CLIP
    speaker_windows: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The most probable emotion."""
        return top_emotion(self.probabilities)


def window_bounds(length: int) -> list[tuple[int, int]]:
    """(start, end) samples of the windows over `length` samples of voice.

    Up to 4.5 s the whole voice is one window; beyond, 3 s windows every 1.5 s, the last one
    flush with the end.
    """
    if length <= SINGLE_WINDOW_SAMPLES:
        return [(0, length)]
    starts = list(range(0, length - WINDOW_SAMPLES + 1, WINDOW_HOP))
    if starts[-1] + WINDOW_SAMPLES < length:
        starts.append(length - WINDOW_SAMPLES)
    return [(start, start + WINDOW_SAMPLES) for start in starts]


def voice_windows(samples: np.ndarray, sample_rate: int) -> VoiceWindows:
    """Cut a recording (mono float samples, any rate) into windows and compute their features.

    Raises AudioError, with a message for the user, when nothing in it can be judged.
    """
    audio = resample(np.asarray(samples, dtype=np.float32), sample_rate)
    start, end = voiced_span(audio)
    voice = audio[start:end]
    check_judgeable(voice, MODEL_RATE)
    warning = clipping_warning(voice)
    bounds, features, problems = [], [], []
    spans = window_bounds(len(voice))
    for first, last in spans:
        window = voice[first:last]
        bounds.append(((start + first) / MODEL_RATE, (start + last) / MODEL_RATE))
        if len(spans) > 1:  # one window is the voice itself, trimmed and checked above
            window = window[slice(*voiced_span(window))]
            try:
                check_judgeable(window, MODEL_RATE)
            except AudioError as error:
                features.append(None)
                problems.append(str(error))
                continue
        features.append(model_inputs(window))
        problems.append(None)
    if not any(f is not None for f in features):
        raise AudioError(f"No part of the recording could be judged: {problems[0]}")
    return VoiceWindows(bounds, features, problems, [warning] if warning else [])


def judge_windows(
    windows: VoiceWindows, model: VoiceModel, speaker: SpeakerProfile | None = None
) -> VoiceResult:
    """Probabilities for every judged window and overall; once at least `model.min_clips` of
    the speaker's windows are known (this clip's included), judged relative to `speaker` too,
    the two blended by how much of the speaker is known."""
    stats = None
    if speaker is not None and speaker.windows >= model.min_clips:
        stats = speaker.stats(model.adaptive.columns, model.prior_std)
    results = []
    for (start_s, end_s), features, problem in zip(
        windows.bounds, windows.features, windows.problems, strict=True
    ):
        if features is None:
            results.append(WindowResult(start_s, end_s, None, problem))
            continue
        vector = model.single.probabilities(features[model.single.columns])
        if stats is not None:
            relative = model.adaptive.probabilities(
                normalise(features[model.adaptive.columns], stats)
            )
            vector = apply_temperature(
                blend(vector, relative, speaker.windows, model.blend_half), model.blend_temperature
            )
        results.append(WindowResult(start_s, end_s, as_probabilities(vector)))
    judged = [w.probabilities for w in results if w.probabilities is not None]
    return VoiceResult(
        mean_probabilities(judged),
        results,
        SINGLE_CLIP if stats is None else SPEAKER_ADAPTIVE,
        speaker.windows if speaker is not None else 0,
        windows.warnings,
    )


def analyze_audio(
    samples: np.ndarray,
    sample_rate: int,
    model: VoiceModel | None = None,
    speaker: SpeakerProfile | None = None,
    learn: bool = True,
) -> VoiceResult:
    """The emotion in a voice recording (mono float samples at any rate).

    With `speaker`, the recording is judged relative to that speaker's voice; with `learn`, its
    windows are first added to what is known of the speaker (leave it off for a recording that
    may be someone else's). Raises AudioError, with a message for the user, when nothing in it
    can be judged.
    """
    model = model or voice_model()
    windows = voice_windows(samples, sample_rate)
    if speaker is not None and learn:
        speaker.add(windows.judged)
    return judge_windows(windows, model, speaker)


def analyze_audio_file(
    source: bytes | Path,
    model: VoiceModel | None = None,
    speaker: SpeakerProfile | None = None,
    learn: bool = True,
) -> VoiceResult:
    """`analyze_audio` of an audio file or upload (WAV, FLAC, OGG/Opus, MP3)."""
    return analyze_audio(*decode_audio(source), model=model, speaker=speaker, learn=learn)
