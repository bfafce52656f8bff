"""The files a trained model consists of, and whether they are present in `models/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from emotion import paths
from emotion.errors import EmotionError

ModelKind = Literal["face", "voice"]
MODEL_KINDS: tuple[ModelKind, ...] = ("face", "voice")


@dataclass(frozen=True)
class ModelFiles:
    """A model's Keras weights, the LiteRT export the app serves, and its metrics file."""

    kind: ModelKind
    keras: Path
    litert: Path
    metrics: Path

    @property
    def adaptive_litert(self) -> Path:
        """The voice model's speaker-adaptive export, beside the single-clip one."""
        return self.litert.with_name(f"{self.kind}.adaptive.tflite")

    @property
    def novelty_reference(self) -> Path:
        """What the voice model's training clips are like (single-clip calibration by novelty)."""
        return self.litert.with_name(f"{self.kind}.novelty.npz")

    @property
    def base(self) -> Path:
        """The face network trained on FER2013 train alone: where every leave-one-dataset-out
        fold but FER2013's, and the served face model, start from."""
        return self.keras.with_name(f"{self.kind}.base.keras")

    @property
    def speech_encoder(self) -> Path:
        """The speech encoder whose output is part of the voice model's inputs."""
        return self.litert.with_name(f"{self.kind}.encoder.tflite")

    def mode_paths(self, mode: str) -> tuple[Path, Path]:
        """(Keras, LiteRT) files of the voice model's "single" or "adaptive" mode."""
        if mode == "single":
            return self.keras, self.litert
        return self.keras.with_name(f"{self.kind}.adaptive.keras"), self.adaptive_litert

    @property
    def servable(self) -> bool:
        """Whether the app can serve this model: its LiteRT export(s) and metrics are on disk,
        and for the voice model its novelty reference and speech encoder."""
        needed = [self.litert, self.metrics]
        if self.kind == "voice":
            needed += [self.adaptive_litert, self.novelty_reference, self.speech_encoder]
        return all(path.is_file() for path in needed)


def model_files(kind: ModelKind, models_dir: Path | None = None) -> ModelFiles:
    """The files of the `kind` model under `models_dir` (default: the project's models/)."""
    models_dir = models_dir or paths.MODELS_DIR
    return ModelFiles(
        kind=kind,
        keras=models_dir / f"{kind}.keras",
        litert=models_dir / f"{kind}.tflite",
        metrics=models_dir / f"{kind}.metrics.json",
    )


def fusion_metrics_path(models_dir: Path | None = None) -> Path:
    """Where `python -m emotion evaluate fusion` keeps what fusing the two models adds."""
    return (models_dir or paths.MODELS_DIR) / "fusion.metrics.json"


class MissingModelError(EmotionError, FileNotFoundError):
    """A model the caller needs is not in models/; the message says how to train it."""


def require_litert(kind: ModelKind, path: Path | None = None) -> Path:
    """The LiteRT file of the `kind` model (default: in models/), or MissingModelError saying
    how to make it."""
    path = path or model_files(kind).litert
    if not path.is_file():
        raise MissingModelError(
            f"The {kind} model is missing ({path}): train it with "
            f"`python -m emotion train {kind} --data ...` or restore models/ from the repository."
        )
    return path
