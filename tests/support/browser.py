"""A real headless Chromium (the Debian package) driven by Playwright, and fake media for it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import soundfile
from app_server import PROJECT
from media import face_frame
from playwright.sync_api import Browser, Frame, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The box colour emotion.face.drawing uses, as it comes back through a lossy video codec.
GREEN_MIN, OTHER_MAX = 180, 110


def write_y4m(path: Path, frames: Sequence[np.ndarray], fps: int = 30) -> Path:
    """Write RGB frames as a raw YUV4MPEG2 video: Chromium's fake camera plays it in a loop."""
    height, width = frames[0].shape[:2]
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for pixels in frames:
            out.write(b"FRAME\n")
            out.write(cv2.cvtColor(pixels, cv2.COLOR_RGB2YUV_I420).tobytes())
    return path


def run_live_check(
    face: np.ndarray, clip: Path, work: Path, *options: str, timeout: int = 300
) -> dict[str, Any]:
    """What `live_check.py` saw on the live page, run in a private network namespace
    (`unshare -rn`) with `face` looping as the camera and `clip` as the microphone.

    Raises CalledProcessError when it fails (its output is left on this process's stderr).
    """
    y4m = write_y4m(work / "face.y4m", [face_frame(face)] * 30, fps=30)
    samples, rate = soundfile.read(clip)
    wav = work / "voice.wav"  # Chromium's fake microphone reads WAV only
    soundfile.write(wav, samples, rate)
    out = work / "live.json"
    support = Path(__file__).resolve().parent
    subprocess.run(
        ["unshare", "-rn", sys.executable, support / "live_check.py", y4m, wav, out, *options],
        cwd=support,
        env=dict(os.environ, PYTHONPATH=f"{support}{os.pathsep}{PROJECT}"),
        check=True,
        timeout=timeout,
    )
    return json.loads(out.read_text())


@contextlib.contextmanager
def chromium(args: Sequence[str] = ()) -> Iterator[Browser]:
    """Headless Chromium from the system package, with extra command-line `args`."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=list(args)
        )
        try:
            yield browser
        finally:
            browser.close()


def wait_for_app(page: Page, url: str) -> None:
    """Open a page of the app and wait until its script has run."""
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    wait_for_run_end(page)


def wait_for_run_end(page: Page) -> None:
    """Wait until the page's script has stopped running (Streamlit's status widget is gone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )


def set_slider(page: Page, label: str, key: str) -> None:
    """Move the slider labelled `label` to one end: key "End" (maximum) or "Home" (minimum)."""
    slider = page.get_by_role("slider", name=label)
    slider.focus()
    slider.press(key)


GREEN_PIXELS_JS = """
(video) => {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth; canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  context.drawImage(video, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let green = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 1] > GREEN_MIN && data[i] < OTHER_MAX && data[i + 2] < OTHER_MAX) green++;
  }
  return {green, width: canvas.width, height: canvas.height};
}
""".replace("GREEN_MIN", str(GREEN_MIN)).replace("OTHER_MAX", str(OTHER_MAX))


def green_pixels(frame: Frame, selector: str) -> dict[str, int]:
    """How many pixels of the video element `selector` in `frame` are box green, and its size."""
    return frame.locator(selector).evaluate(GREEN_PIXELS_JS)


def save_screenshot(page: Page, path: Path) -> None:
    """The whole page as a PNG: Streamlit scrolls in its own pane, so grow the viewport first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1400, "height": 1000}
    bottom = page.evaluate(
        "() => { const main = document.querySelector('[data-testid=\"stMainBlockContainer\"]');"
        " return main.getBoundingClientRect().top + main.scrollHeight; }"
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], bottom + 40)})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
