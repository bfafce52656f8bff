"""The served voice model: both exported classifiers and what they need, read from models/.

The single-clip classifier judges a clip on its own; the speaker-adaptive one judges features
relative to the speaker's, once enough of the speaker has been heard. Each mode's calibration
temperature, feature columns and the typical within-speaker spread come from the metrics file
written by `train voice`; the single-clip temperature grows with the clip's novelty, measured
against the training clips' reference (`voice.novelty.npz`).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from emotion.calibration import apply_novelty_temperature
from emotion.litert import LiteRTModel
from emotion.model_files import MissingModelError, model_files, require_litert
from emotion.voice.inputs import FEATURE_SETS
from emotion.voice.novelty import NoveltyReference, load_reference, novelty
from emotion.voice.speech_encoder import speech_encoder


@dataclass(frozen=True)
class ServedMode:
    """One exported classifier with its feature columns and calibration: a temperature, raised
    for novel clips by `novelty_power` when the mode has a novelty reference."""

    model: LiteRTModel
    columns: slice
    temperature: float
    reference: NoveltyReference | None = None
    novelty_power: float = 0.0

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probabilities (EMOTIONS order) for one input vector."""
        clip_novelty = 1.0 if self.reference is None else novelty(self.reference, features)
        return apply_novelty_temperature(
            self.model({"features": features}), clip_novelty, self.temperature, self.novelty_power
        )


@dataclass(frozen=True)
class VoiceModel:
    """Both modes of the voice model, the within-speaker spread prior, the switch point and
    the blend of both modes once adapting (see `blending`)."""

    single: ServedMode
    adaptive: ServedMode
    prior_std: np.ndarray
    min_clips: int
    blend_half: float
    blend_temperature: float


def load_voice_model(models_dir: Path | None = None) -> VoiceModel:
    """The voice model in `models_dir` (default models/); MissingModelError if incomplete.
    The speech encoder its inputs need (see `inputs`) is loaded with it."""
    speech_encoder()
    files = model_files("voice", models_dir)
    single = require_litert("voice", files.litert)
    adaptive = require_litert("voice", files.adaptive_litert)
    if not files.metrics.is_file():
        raise MissingModelError(f"The voice model's metrics file is missing ({files.metrics}).")
    metrics = json.loads(files.metrics.read_text())
    modes = metrics["modes"]

    def served(mode: str, path: Path) -> ServedMode:
        return ServedMode(
            LiteRTModel(path),
            FEATURE_SETS[modes[mode]["feature_set"]],
            float(modes[mode]["temperature"]),
        )

    power = modes["single"].get("novelty_power")
    if power is not None and not files.novelty_reference.is_file():
        raise MissingModelError(
            f"The voice model's novelty reference is missing ({files.novelty_reference})."
        )
    return VoiceModel(
        single=replace(
            served("single", single),
            reference=load_reference(files.novelty_reference) if power is not None else None,
            novelty_power=float(power or 0.0),
        ),
        adaptive=served("adaptive", adaptive),
        prior_std=np.asarray(modes["adaptive"]["prior_std"], dtype=np.float32),
        min_clips=int(metrics["speaker_adaptation"]["min_clips"]),
        blend_half=float(metrics["speaker_adaptation"]["blend_half"]),
        blend_temperature=float(metrics["speaker_adaptation"]["blend_temperature"]),
    )


@functools.cache
def voice_model(models_dir: Path | None = None) -> VoiceModel:
    """The served voice model, loaded once per folder."""
    return load_voice_model(models_dir)
