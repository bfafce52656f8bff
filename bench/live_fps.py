"""Live page throughput: frames processed per second on a 640x480, 30 frames/s fake camera.

Runs the app and a real headless Chromium in a private network namespace (as the browser test
does: tests/support/live_check.py) with a JAFFE face looping as the camera and a RAVDESS clip
as the microphone, then reads the page's own counters once a second for 20 s. Both the browser
and the app share this machine's cores, as they do when someone runs the app on their laptop.
Run with `make bench` (needs chromium, unshare and ../shared/data).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from emotion.paths import data_root

PROJECT = Path(__file__).resolve().parents[1]
SUPPORT = PROJECT / "tests" / "support"
sys.path.insert(0, str(SUPPORT))

from browser import run_live_check  # noqa: E402

SECONDS = 20


def main() -> None:
    """Run the live page for SECONDS and print its frame rate and per-frame model time."""
    data = data_root()
    face = np.asarray(Image.open(data / "jaffe" / "KA.HA1.29.tiff").convert("L"))
    clip = data / "ravdess" / "Actor_01" / "03-01-05-02-01-01-01.flac"
    with tempfile.TemporaryDirectory() as folder:
        seen = run_live_check(face, clip, Path(folder), "--samples", str(SECONDS), timeout=600)
    frames, fps, ms, times = zip(*seen["samples"], strict=True)
    overall = (frames[-1] - frames[0]) / (times[-1] - times[0])
    sent = seen["webrtc"]["sent"]
    print(
        f"Live page, {SECONDS} s at 640x480 (browser sends {sent['fps']} frames/s, "
        f"{sent['width']}x{sent['height']}, quality limited by: {sent['limited_by']})"
    )
    print(f"  frames/s processed   median {statistics.median(fps):5.1f}   min {min(fps):5.1f}")
    print(f"  ms per frame (model) median {statistics.median(ms):5.1f}   max {max(ms):5.1f}")
    print(
        f"  frames processed     {frames[0]} -> {frames[-1]} in {times[-1] - times[0]:.1f} s: "
        f"{overall:.1f} frames/s overall"
    )


if __name__ == "__main__":
    main()
