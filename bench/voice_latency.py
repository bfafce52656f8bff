"""Voice scoring latency: a 3 s clip end to end (decode -> trim -> checks -> features and the
speech encoder -> LiteRT model -> calibration), in single-clip and speaker-adaptive mode.

Prints the median and 90th percentile over many runs, and the share of each stage, on a real
RAVDESS clip when ../shared/data is there, else on a generated voice-like clip.
Run with `make bench`.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

import numpy as np
import soundfile

from emotion.audio.cleaning import MODEL_RATE, prepare_voice
from emotion.audio.decoding import decode_audio
from emotion.audio.egemaps import egemaps
from emotion.audio.features import summary_vector, voice_features
from emotion.paths import data_root
from emotion.voice.analysis import analyze_audio_file
from emotion.voice.inputs import model_inputs, normalise_level
from emotion.voice.served import voice_model
from emotion.voice.speaker import SpeakerProfile
from emotion.voice.speech_encoder import speech_encoder

RUNS = 200
REAL_CLIP = data_root() / "ravdess" / "Actor_01" / "03-01-05-01-01-01-01.flac"


def three_second_clip() -> tuple[bytes, str]:
    """WAV bytes of 3 s of voice, and where they came from."""
    if REAL_CLIP.is_file():
        samples, rate = decode_audio(REAL_CLIP)
        source = f"{REAL_CLIP.name} (RAVDESS), first 3 s"
    else:
        rate = MODEL_RATE
        t = np.arange(3 * rate) / rate
        samples = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 6)) * 0.2
        source = "generated 150 Hz harmonic voice"
    buffer = io.BytesIO()
    soundfile.write(buffer, samples[: 3 * rate], rate, format="WAV")
    return buffer.getvalue(), source


def timings_ms(action: Callable[[], object], runs: int = RUNS) -> list[float]:
    """Wall-clock milliseconds of `runs` calls, after three warm-up calls."""
    for _ in range(3):
        action()
    measured = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        measured.append((time.perf_counter() - start) * 1000)
    return measured


def line(name: str, values: list[float]) -> str:
    """One row: median and 90th percentile."""
    p90 = statistics.quantiles(values, n=10)[-1]
    return f"{name:<34} median {statistics.median(values):6.2f} ms   p90 {p90:6.2f} ms"


def main() -> None:
    """Measure and print."""
    clip, source = three_second_clip()
    model = voice_model()
    samples, rate = decode_audio(clip)
    voice = prepare_voice(samples, rate)
    level = normalise_level(voice)
    features = model_inputs(voice)
    speaker = SpeakerProfile()
    for _ in range(model.min_clips):
        analyze_audio_file(clip, model, speaker)
    print(f"Voice model {model.single.model.path.name}; clip: {source}")
    print(line("end to end, single clip", timings_ms(lambda: analyze_audio_file(clip))))
    print(
        line(
            "end to end, speaker adaptive",
            timings_ms(lambda: analyze_audio_file(clip, model, speaker, learn=False)),
        )
    )
    print(line("  decode WAV bytes", timings_ms(lambda: decode_audio(clip))))
    print(line("  resample, trim, checks", timings_ms(lambda: prepare_voice(samples, rate))))
    print(line("  features (model_inputs)", timings_ms(lambda: model_inputs(voice))))
    print(line("    eGeMAPS (openSMILE)", timings_ms(lambda: egemaps(level))))
    print(line("    librosa summary", timings_ms(lambda: summary_vector(voice_features(level)))))
    encoder = speech_encoder()
    print(line("    speech encoder", timings_ms(lambda: encoder.embedding(level))))
    print(
        line(
            "  LiteRT model + calibration",
            timings_ms(lambda: model.single.probabilities(features[model.single.columns])),
        )
    )


if __name__ == "__main__":
    main()
