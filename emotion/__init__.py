"""Multimodal emotion recognition: seven emotions from a face and a voice, fused.

The public API (imported on first use, so `import emotion` stays light):

- `analyze_photo(source)`: every face in a photo (path, bytes or pixels), with probabilities.
- `analyze_voice(source, speaker=None)`: the emotion in a voice recording.
- `analyze_clip(source)`: faces over a video's frames and the voice of its sound track.
- `analyze_file(path)`: any photo, clip or video, as one row of results (what `emotion analyze`
  writes); `analyze_files(paths, workers=...)` for many.
- `fuse(face, voice, face_weight=0.5)`: face and voice probabilities combined.
- `SpeakerProfile()`: what is known of one speaker, for speaker-adaptive voice judgements.
- `use_threads(n)`: the threads each analysis may use (default: 1, for a server that runs
  several at once; `EMOTION_THREADS` sets it too).
- `EmotionError`: the base of every error the package raises for an input (`ImageError`,
  `AudioError`, `VideoError`) or a missing model file (`MissingModelError`).

The seven emotions, in the order every probability vector of this package uses, are EMOTIONS.
"""

from importlib import import_module
from typing import Any

from emotion.errors import EmotionError
from emotion.labels import EMOTIONS, canonical_label

__version__ = "0.6.0"

_LAZY = {
    "analyze_photo": "emotion.api",
    "analyze_voice": "emotion.api",
    "analyze_clip": "emotion.api",
    "analyze_file": "emotion.batch",
    "analyze_files": "emotion.batch",
    "fuse": "emotion.fusion",
    "SpeakerProfile": "emotion.voice.speaker",
    "use_threads": "emotion.threads",
    "ImageError": "emotion.face.errors",
    "AudioError": "emotion.audio.errors",
    "VideoError": "emotion.video",
    "MissingModelError": "emotion.model_files",
}

__all__ = ["EMOTIONS", "EmotionError", "canonical_label", *_LAZY]


def __getattr__(name: str) -> Any:
    """The public functions and classes, imported from their modules on first use."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'emotion' has no attribute {name!r}")
