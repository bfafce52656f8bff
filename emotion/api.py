"""The package's public functions, as `emotion.analyze_photo` etc. (see `emotion/__init__.py`):
one call per kind of input, each taking a path, the file's bytes, or (photos) pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from emotion.face.analysis import FaceResult, analyze_image, analyze_image_file
from emotion.face.detection import Detector
from emotion.video import VideoResult, analyze_video
from emotion.voice.analysis import VoiceResult, analyze_audio_file
from emotion.voice.speaker import SpeakerProfile


def analyze_photo(
    source: str | Path | bytes | np.ndarray, detector: Detector = "haar"
) -> list[FaceResult]:
    """Every face in a photo (a path, the file's bytes, or RGB/gray pixels), largest first, each
    with its box and seven probabilities; an empty list when no face is found. Raises ImageError
    for a file that is not a readable photo."""
    if isinstance(source, np.ndarray):
        return analyze_image(source, detector=detector)
    return analyze_image_file(
        Path(source) if isinstance(source, str) else source, detector=detector
    )


def analyze_voice(
    source: str | Path | bytes, speaker: SpeakerProfile | None = None, learn: bool = True
) -> VoiceResult:
    """The emotion in a voice recording (WAV, FLAC, OGG/Opus, MP3, M4A...). With `speaker`, it is
    judged relative to that speaker's voice (and, with `learn`, added to what is known of it).
    Raises AudioError when it cannot be read or holds no voice to judge."""
    path = Path(source) if isinstance(source, str) else source
    return analyze_audio_file(path, speaker=speaker, learn=learn)


def analyze_clip(source: str | Path | bytes) -> VideoResult:
    """Faces in a video's sampled frames and the voice of its sound track (`face_probabilities`
    and `voice` hold the whole clip's verdicts). Raises VideoError for an unreadable video."""
    return analyze_video(Path(source) if isinstance(source, str) else source)
