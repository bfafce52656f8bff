"""What a careless user or an attacker can upload: every input gets the package's own error with a
plain message (or a result), each analysed in a process of its own whose peak memory must stay
under 1.5 GB and whose address space is capped, so one bad input cannot take the machine down."""

from __future__ import annotations

import json
import os
import random
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
import soundfile
from media import blank_frames, voice_like, write_video
from PIL import Image

SUPPORT = Path(__file__).parent / "support"
PROJECT = Path(__file__).parents[1]
PEAK_MB = 1536
# What a user must never read: library internals, code, or where the server keeps files.
INTERNALS = re.compile(r"cv2|opencv|Traceback|libsndfile|ffmpeg|/tmp/|\.py\b|0x[0-9a-f]{6}", re.I)


def png_claiming(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims `width`x`height` pixels over a few bytes of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def blank_png(path: Path, width: int, height: int) -> Path:
    Image.new("L", (width, height), 128).save(path)
    return path


def big_jpeg(path: Path) -> Path:
    pixels = np.full((7000, 7000, 3), 90, np.uint8)
    cv2.imwrite(str(path), pixels)
    return path


def truncated(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def wav_claiming_rate(path: Path, rate: int) -> Path:
    soundfile.write(path, voice_like(1.0), 16000, subtype="PCM_16")
    data = bytearray(path.read_bytes())
    data[24:28] = struct.pack("<I", rate)
    data[28:32] = struct.pack("<I", rate * 2)
    path.write_bytes(bytes(data))
    return path


def float_wav(path: Path, samples: np.ndarray, rate: int = 16000) -> Path:
    soundfile.write(path, samples, rate, subtype="FLOAT")
    return path


def long_flac(path: Path) -> Path:
    with soundfile.SoundFile(path, "w", 8000, 1, format="FLAC") as out:
        for _ in range(20 * 60 // 10):
            out.write(np.zeros(80_000, np.int16))
    return path


def mjpeg_avi(path: Path) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mjpeg", rate=25)
        stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuvj420p"
        for pixels in blank_frames(45, (1920, 1080)):
            container.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        container.mux(stream.encode())
    return path


Maker = Callable[[Path], Path]
CASES: list[tuple[str, str, Maker, str, str]] = [
    # name, kind, maker, outcome, message pattern
    (
        "png 1x60000",
        "image",
        lambda d: blank_png(d / "a.png", 1, 60_000),
        "ImageError",
        "too large",
    ),
    (
        "png 70000x300",
        "image",
        lambda d: blank_png(d / "a.png", 70_000, 300),
        "ImageError",
        "too large",
    ),
    (
        "png 8000x300",
        "image",
        lambda d: blank_png(d / "a.png", 8000, 300),
        "ImageError",
        "too narrow",
    ),
    (
        "png claiming 15000x15000",
        "image",
        lambda d: png_claiming(d / "a.png", 15_000, 15_000),
        "ImageError",
        "too large",
    ),
    (
        "png claiming 0x0",
        "image",
        lambda d: png_claiming(d / "a.png", 0, 0),
        "ImageError",
        "could not be read|empty",
    ),
    ("jpeg 7000x7000", "image", lambda d: big_jpeg(d / "a.jpg"), "ok", "0 faces"),
    (
        "truncated jpeg",
        "image",
        lambda d: truncated(big_jpeg(d / "a.jpg")),
        "ImageError",
        "could not be read",
    ),
    (
        "random bytes as image",
        "image",
        lambda d: write(d / "a.png", random_bytes(0)),
        "ImageError",
        "could not be read",
    ),
    (
        "empty file as image",
        "image",
        lambda d: write(d / "a.jpg", b""),
        "ImageError",
        "could not be read",
    ),
    (
        "wav claiming 1 Hz",
        "audio",
        lambda d: wav_claiming_rate(d / "a.wav", 1),
        "AudioError",
        "sample rate",
    ),
    (
        "wav claiming 1 MHz",
        "audio",
        lambda d: wav_claiming_rate(d / "a.wav", 1_000_000),
        "AudioError",
        "sample rate",
    ),
    (
        "wav of NaN",
        "audio",
        lambda d: float_wav(d / "a.wav", np.full(16000, np.nan, np.float32)),
        "AudioError",
        "invalid samples",
    ),
    (
        "wav of infinity",
        "audio",
        lambda d: float_wav(d / "a.wav", np.r_[voice_like(1.0), np.float32(np.inf)]),
        "AudioError",
        "invalid samples",
    ),
    (
        "wav of DC",
        "audio",
        lambda d: float_wav(d / "a.wav", np.full(32000, 0.5, np.float32)),
        "AudioError",
        "silent|No voice",
    ),
    (
        "64-channel wav",
        "audio",
        lambda d: float_wav(d / "a.wav", np.zeros((1600, 64), np.float32)),
        "AudioError",
        "channels",
    ),
    ("20-minute flac", "audio", lambda d: long_flac(d / "a.flac"), "AudioError", "minutes"),
    (
        "empty wav",
        "audio",
        lambda d: float_wav(d / "a.wav", np.zeros(0, np.float32)),
        "AudioError",
        "no sound|could not be read",
    ),
    (
        "random bytes as audio",
        "audio",
        lambda d: write(d / "a.wav", random_bytes(1)),
        "AudioError",
        "could not be read",
    ),
    (
        "4K video with sound",
        "video",
        lambda d: write_video(
            d / "a.mp4", blank_frames(10, (3840, 2160)), fps=5, sound=voice_like(2.0)
        ),
        "ok",
        "4 frames",
    ),
    ("1080p MJPEG video", "video", lambda d: mjpeg_avi(d / "a.avi"), "ok", "4 frames"),
    (
        "truncated video",
        "video",
        lambda d: truncated(write_video(d / "a.mp4", blank_frames(20), fps=10)),
        "VideoError",
        ".",
    ),
    (
        "audio as video",
        "video",
        lambda d: float_wav(d / "a.wav", voice_like(1.0)),
        "VideoError",
        "no picture",
    ),
    (
        "random bytes as video",
        "video",
        lambda d: write(d / "a.mp4", random_bytes(2)),
        "VideoError",
        "could not be read",
    ),
]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def random_bytes(seed: int) -> bytes:
    """5,000 bytes of noise, the same each run (noise can happen to look like an MP3 frame, and a
    test must not depend on the draw)."""
    return random.Random(seed).randbytes(5000)


@pytest.mark.parametrize(
    ("kind", "make", "outcome", "pattern"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_gets_a_plain_message_within_the_memory_ceiling(
    tmp_path: Path, kind: str, make: Maker, outcome: str, pattern: str
) -> None:
    path = make(tmp_path)
    done = subprocess.run(
        [sys.executable, str(SUPPORT / "analyse_one.py"), kind, str(path)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=dict(os.environ, PYTHONPATH=f"{SUPPORT}{os.pathsep}{PROJECT}"),
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(report))  # the outcome and peak memory of each input: pytest -s shows them
    assert report["outcome"] == outcome, report
    assert re.search(pattern, report["message"]), report
    assert not INTERNALS.search(report["message"]), report
    assert report["peak_mb"] <= PEAK_MB, report
