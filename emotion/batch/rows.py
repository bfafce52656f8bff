"""`analyze_file`: one file (photo, audio clip or video) to one row of results, as plain data.

The row holds the face probabilities (the largest face), the voice probabilities, their fusion
at the chosen weight and rule, the top emotion and its probability; with `detail`, every face
with its box and every voice window. A file that cannot be analysed gets a row too, with
`error`: the same plain message the app shows. This is the function the `analyze` command and
its engines run for every file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from emotion.audio.decoding import decode_audio
from emotion.audio.errors import AudioError
from emotion.batch.kinds import media_kind
from emotion.face.analysis import FaceResult, analyze_image
from emotion.face.detection import Detector
from emotion.face.errors import ImageError
from emotion.face.images import load_image
from emotion.fusion import DEFAULT_FACE_WEIGHT, DEFAULT_RULE, FusionRule, fuse
from emotion.model_files import MissingModelError
from emotion.video import VideoError, analyze_video
from emotion.voice.analysis import VoiceResult, VoiceWindows, judge_windows, voice_windows
from emotion.voice.served import voice_model
from emotion.voice.speaker import SpeakerProfile

USER_ERRORS = (ImageError, AudioError, VideoError, MissingModelError)
UNSUPPORTED = "Not a photo, audio clip or video this app reads."


@dataclass(frozen=True)
class AnalysisSettings:
    """How every file of a run is analysed and fused; with `speaker_folders`, the clips of one
    folder are one speaker's (see `emotion.batch.speakers`)."""

    face_weight: float = DEFAULT_FACE_WEIGHT
    rule: FusionRule = DEFAULT_RULE
    detector: Detector = "haar"
    detail: bool = False
    speaker_folders: bool = False


@dataclass(frozen=True)
class HeardClip:
    """An audio clip's duration and its voice windows with their features, not yet judged."""

    duration_s: float
    windows: VoiceWindows


def hear_clip(path: Path) -> HeardClip:
    """Decode an audio clip and compute its voice windows' features (AudioError: none)."""
    samples, rate = decode_audio(path)
    return HeardClip(round(len(samples) / rate, 3), voice_windows(samples, rate))


def rounded(probabilities: dict[str, float] | None) -> dict[str, float] | None:
    """Probabilities to 4 decimals (what a results file needs), None kept."""
    return None if probabilities is None else {k: round(v, 4) for k, v in probabilities.items()}


def face_detail(faces: list[FaceResult], scale: float = 1.0) -> list[dict[str, Any]]:
    """Every face: its box in the file's pixels (x, y, width, height) and its probabilities."""
    return [
        {
            "box": [round(value * scale) for value in face.box.as_tuple()],
            "probabilities": rounded(face.probabilities),
        }
        for face in faces
    ]


def voice_detail(result: VoiceResult) -> list[dict[str, Any]]:
    """Every voice window: where it lies, its probabilities or why it was not judged."""
    return [
        {
            "start_s": window.start_s,
            "end_s": window.end_s,
            "probabilities": rounded(window.probabilities),
            "problem": window.problem,
        }
        for window in result.windows
    ]


def image_part(path: Path, settings: AnalysisSettings) -> dict[str, Any]:
    """Size, face probabilities (largest face) and detail of a photo."""
    with Image.open(path) as header:
        width, height = header.size
    pixels = load_image(path)
    faces = analyze_image(pixels, detector=settings.detector)
    part: dict[str, Any] = {
        "width": width,
        "height": height,
        "faces_found": len(faces),
        "face": faces[0].probabilities if faces else None,
    }
    if settings.detail:
        part["faces"] = face_detail(faces, max(width, height) / max(pixels.shape[:2]))
    if not faces:
        part["error"] = "No face found in the photo."
    return part


def audio_part(
    path: Path,
    settings: AnalysisSettings,
    speaker: SpeakerProfile | None = None,
    heard: HeardClip | None = None,
) -> dict[str, Any]:
    """Duration, voice probabilities (relative to `speaker` once enough of their voice is
    known), the mode they were judged in, and detail of an audio clip (`heard`: already
    decoded and measured)."""
    heard = heard or hear_clip(path)
    result = judge_windows(heard.windows, voice_model(), speaker)
    part: dict[str, Any] = {
        "duration_s": heard.duration_s,
        "voice": result.probabilities,
        "voice_mode": result.mode,
    }
    if result.warnings:
        part["warnings"] = result.warnings
    if settings.detail:
        part["windows"] = voice_detail(result)
    return part


def video_part(path: Path, settings: AnalysisSettings) -> dict[str, Any]:
    """Duration, face (mean over frames) and voice probabilities, and detail of a video."""
    result = analyze_video(path, settings.detector)
    part: dict[str, Any] = {
        "duration_s": round(result.duration_s, 3),
        "frames_with_face": sum(bool(frame.faces) for frame in result.frames),
        "frames": len(result.frames),
        "face": result.face_probabilities,
        "voice": result.voice.probabilities if result.voice else None,
        "voice_problem": result.voice_problem,
    }
    if result.note:
        part["warnings"] = [result.note]
    if settings.detail:
        part["timeline"] = [
            {"time_s": frame.time_s, "faces": face_detail(frame.faces)} for frame in result.frames
        ]
        part["windows"] = voice_detail(result.voice) if result.voice else []
    if part["face"] is None and part["voice"] is None:
        part["error"] = f"No face in any sampled frame, and {result.voice_problem}"
    return part


PICTURE_PARTS = {"image": image_part, "video": video_part}
"""The parts of the kinds judged alone (an audio clip may be judged relative to its speaker)."""


def analyze_file(
    path: Path | str,
    settings: AnalysisSettings | None = None,
    speaker: SpeakerProfile | None = None,
    heard: HeardClip | None = None,
) -> dict[str, Any]:
    """One row of results for the file at `path` (never raises for a bad file: see `error`).

    Every row has path, kind, size_bytes, face, voice, fused, label, confidence and error;
    the kind adds its own (width and height, duration_s, frames...). An audio clip is judged
    relative to `speaker` when given (`heard`: the clip already decoded and measured).
    """
    settings = settings or AnalysisSettings()
    row: dict[str, Any] = {"path": str(path), "kind": None, "size_bytes": None}
    try:
        row["size_bytes"] = Path(path).stat().st_size
        row["kind"] = media_kind(Path(path))
        if row["kind"] == "audio":
            row |= audio_part(Path(path), settings, speaker, heard)
        elif row["kind"]:
            row |= PICTURE_PARTS[row["kind"]](Path(path), settings)
        else:
            row["error"] = UNSUPPORTED
    except USER_ERRORS as error:
        row["error"] = str(error)
    except OSError as error:
        row["error"] = f"The file could not be read ({error.strerror or error})."
    except MemoryError:
        row["error"] = "The file needs more memory than this machine has free."
    fused = fuse(row.get("face"), row.get("voice"), settings.face_weight, settings.rule)
    return {
        **row,
        "face": rounded(row.get("face")),
        "voice": rounded(row.get("voice")),
        "fused": rounded(fused.probabilities) if fused else None,
        "label": fused.label if fused else None,
        "confidence": round(fused.probabilities[fused.label], 4) if fused else None,
        "error": row.get("error"),
    }
