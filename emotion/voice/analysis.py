"""`analyze_audio`: the seven emotion probabilities of a voice, with a result per window.

Clips up to 4.5 s of voice are one window; longer ones are cut into 3 s windows every 1.5 s,
each judged on its own (pauses and noise are skipped, with the reason) and averaged into the
overall result. This is the code the app, the evaluation command and the benchmark all run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from emotion.audio.cleaning import MODEL_RATE, check_judgeable, resample, voiced_span
from emotion.audio.decoding import decode_audio
from emotion.audio.errors import AudioError
from emotion.labels import as_probabilities, mean_probabilities, top_emotion
from emotion.litert import LiteRTModel
from emotion.model_files import require_litert
from emotion.voice.inputs import WINDOW_SAMPLES, model_inputs

SINGLE_WINDOW_SAMPLES = int(1.5 * WINDOW_SAMPLES)
WINDOW_HOP = WINDOW_SAMPLES // 2


@dataclass(frozen=True)
class WindowResult:
    """One window of the clip, in seconds from its start, with probabilities or the reason why
    it was not judged."""

    start_s: float
    end_s: float
    probabilities: dict[str, float] | None
    problem: str | None = None


@dataclass(frozen=True)
class VoiceResult:
    """Overall probabilities (mean over the judged windows) and every window's result."""

    probabilities: dict[str, float]
    windows: list[WindowResult]

    @property
    def label(self) -> str:
        """The most probable emotion."""
        return top_emotion(self.probabilities)


@functools.cache
def voice_model(path: Path | None = None) -> LiteRTModel:
    """The served voice model (models/voice.tflite by default), loaded once."""
    return LiteRTModel(require_litert("voice", path))


def window_bounds(length: int) -> list[tuple[int, int]]:
    """(start, end) samples of the windows over `length` samples of voice.

    Up to 4.5 s the whole voice is one window (the model sees its central 3 s); beyond, 3 s
    windows every 1.5 s, the last one flush with the end.
    """
    if length <= SINGLE_WINDOW_SAMPLES:
        return [(0, length)]
    starts = list(range(0, length - WINDOW_SAMPLES + 1, WINDOW_HOP))
    if starts[-1] + WINDOW_SAMPLES < length:
        starts.append(length - WINDOW_SAMPLES)
    return [(start, start + WINDOW_SAMPLES) for start in starts]


def score_voice(voice: np.ndarray, model: LiteRTModel) -> dict[str, float]:
    """Probabilities for trimmed, judgeable voice at the model's rate (one window)."""
    inputs = model_inputs(voice)
    values = {"patch": inputs.patch, "summary": inputs.summary}
    probabilities = model({name: values[name] for name in model.input_names})
    return as_probabilities(probabilities)


def analyze_audio(
    samples: np.ndarray, sample_rate: int, model: LiteRTModel | None = None
) -> VoiceResult:
    """The emotion in a voice recording (mono float samples at any rate).

    Raises AudioError, with a message for the user, when nothing in it can be judged.
    """
    model = model or voice_model()
    audio = resample(np.asarray(samples, dtype=np.float32), sample_rate)
    start, end = voiced_span(audio)
    voice = audio[start:end]
    check_judgeable(voice, MODEL_RATE)
    windows = []
    for first, last in window_bounds(len(voice)):
        window = voice[first:last]
        window = window[slice(*voiced_span(window))]
        seconds = ((start + first) / MODEL_RATE, (start + last) / MODEL_RATE)
        try:
            check_judgeable(window, MODEL_RATE)
        except AudioError as error:
            windows.append(WindowResult(*seconds, probabilities=None, problem=str(error)))
            continue
        windows.append(WindowResult(*seconds, score_voice(window, model)))
    judged = [w.probabilities for w in windows if w.probabilities is not None]
    if not judged:
        raise AudioError(f"No part of the recording could be judged: {windows[0].problem}")
    return VoiceResult(mean_probabilities(judged), windows)


def analyze_audio_file(source: bytes | Path, model: LiteRTModel | None = None) -> VoiceResult:
    """`analyze_audio` of an audio file or upload (WAV, FLAC, OGG/Opus, MP3)."""
    return analyze_audio(*decode_audio(source), model=model)
