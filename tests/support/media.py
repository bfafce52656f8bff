"""Small real media files for tests: images and tones in any format the loaders accept."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import soundfile
from PIL import Image


def write_image(path: Path, size: tuple[int, int] = (48, 48), mode: str = "L") -> Path:
    """Write a gradient image of `size` (width, height) in PIL `mode`; format from the suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = size
    gradient = np.add.outer(np.arange(height), np.arange(width)).astype(np.uint8)
    image = Image.fromarray(gradient, "L")
    image = image.convert(mode) if mode != "P" else image.convert("P", palette=Image.ADAPTIVE)
    image.save(path, format="GIF" if path.suffix not in Image.registered_extensions() else None)
    return path


def voice_like(seconds: float, rate: int = 16000, f0: float = 150.0) -> np.ndarray:
    """A harmonic buzz at `f0` with a slow loudness contour: voiced, not flat like noise."""
    t = np.arange(int(seconds * rate)) / rate
    harmonics = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 6))
    return (0.2 * harmonics * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


def write_voice(path: Path, seconds: float = 1.0, f0: float = 150.0, rate: int = 16000) -> Path:
    """Write `voice_like` audio; the container follows the suffix as for `write_tone`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, voice_like(seconds, rate, f0), rate)
    return path


def write_tone(
    path: Path, seconds: float = 0.5, sample_rate: int = 16000, channels: int = 1
) -> Path:
    """Write a 220 Hz tone; the container (wav, flac, ogg, opus, mp3) follows the suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t)
    samples = np.repeat(tone[:, None], channels, axis=1)
    formats = {".opus": ("OGG", "OPUS"), ".ogg": ("OGG", "VORBIS"), ".mp3": ("MP3", None)}
    fmt, subtype = formats.get(path.suffix.lower(), (None, None))
    soundfile.write(path, samples, sample_rate, format=fmt, subtype=subtype)
    return path


CODECS = {
    ".webm": ("libvpx", "libopus", 48000),
    ".flv": ("flv", "libmp3lame", 22050),
    ".mpg": ("mpeg1video", "mp2", 44100),
    ".mpeg": ("mpeg1video", "mp2", 44100),
    ".ts": ("mpeg2video", "mp2", 48000),
    ".mts": ("libx264", "aac", 48000),
    ".m2ts": ("libx264", "aac", 48000),
    ".wmv": ("wmv2", "wmav2", None),
    ".asf": ("wmv2", "wmav2", None),
    ".avi": ("mpeg4", "mp3", 44100),
}
"""Picture codec, sound codec and sound rate (None: the clip's own) of each container written."""
MPEG_RATES = {"mpeg1video", "mpeg2video"}
"""Codecs that only take the standard frame rates (written at 25 frames/s)."""
MUXERS = {".m4v": "mp4", ".mts": "mpegts", ".m2ts": "mpegts", ".ts": "mpegts"}
"""Extensions whose usual container is not the one FFmpeg guesses from the name."""


def write_video(
    path: Path,
    frames: list[np.ndarray],
    fps: int = 10,
    sound: np.ndarray | None = None,
    sound_rate: int = 16000,
) -> Path:
    """Write RGB `frames` (and float `sound`: mono, or (channels, samples) for stereo or 5.1) as a
    video, with the codecs its container usually holds (CODECS; otherwise H.264 + AAC). No
    frames: a sound-only file (M4A)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    picture, voice, voice_rate = CODECS.get(path.suffix.lower(), ("libx264", "aac", None))
    with av.open(str(path), "w", format=MUXERS.get(path.suffix.lower())) as container:
        if frames:
            video = container.add_stream(picture, rate=25 if picture in MPEG_RATES else fps)
            video.height, video.width = frames[0].shape[:2]
            video.pix_fmt = "yuv420p"
        audio = None
        if sound is not None:
            sound = np.atleast_2d(sound).astype(np.float32)
            layout = {1: "mono", 2: "stereo", 6: "5.1"}[len(sound)]
            audio = container.add_stream(voice, rate=voice_rate or sound_rate)
            audio.bit_rate = 64000
            audio.layout = layout
        for pixels in frames:
            container.mux(video.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        if frames:
            container.mux(video.encode())
        if audio is not None and sound is not None:
            frame = av.AudioFrame.from_ndarray(sound, format="fltp", layout=layout)
            frame.sample_rate = sound_rate
            resampler = av.AudioResampler(format=audio.format.name, layout=layout, rate=audio.rate)
            for chunk in resampler.resample(frame) + resampler.resample(None):
                container.mux(audio.encode(chunk))
            container.mux(audio.encode())
    return path


def blank_frames(count: int, size: tuple[int, int] = (320, 240)) -> list[np.ndarray]:
    """`count` plain RGB frames of `size` (width, height), each a little brighter."""
    width, height = size
    return [np.full((height, width, 3), (30 + 5 * i) % 256, np.uint8) for i in range(count)]


def face_frame(face: np.ndarray, size: tuple[int, int] = (640, 480)) -> np.ndarray:
    """A `size` (width, height) gray RGB frame with the gray `face` photo in its middle."""
    width, height = size
    frame = np.full((height, width, 3), 128, np.uint8)
    top, left = (height - face.shape[0]) // 2, (width - face.shape[1]) // 2
    frame[top : top + face.shape[0], left : left + face.shape[1]] = face[..., None]
    return frame
