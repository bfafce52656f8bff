"""Drive the live page in Chromium with a fake camera and microphone, inside a private network.

Run as `unshare -rn python live_check.py Y4M WAV OUT_JSON [--samples N] [--screenshot PNG]`:
in a fresh network namespace nothing can leave the machine. ICE ignores loopback interfaces,
so the namespace gets a veth pair on private addresses (IPv6 off), the app listens on one of
them, and Chromium's WebRTC connects to it with no ICE servers, as a browser on the user's LAN
would. Writes what it saw as JSON: the page's counters once a second, box-green pixels in the
returned video, WebRTC statistics, the voice line, and the fused result before and after
moving the slider to each end, where the verdicts lie in a 1366x768 window, and what is left
after STOP.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from app_server import running_app
from browser import (
    chromium,
    green_pixels,
    save_screenshot,
    set_slider,
    wait_for_app,
    wait_for_run_end,
)
from playwright.sync_api import Page

from emotion.labels import EMOTIONS

APP_ADDRESS, PEER_ADDRESS = "10.203.0.1", "10.203.0.2"
STATS = re.compile(r"Frames processed: (\d+) · ([\d.]+) frames/s · ([\d.]+) ms per frame")


def private_network() -> None:
    """lo up, and a veth pair with a private address on each end, IPv6 off."""
    commands = [
        "ip link set lo up",
        "ip link add veth0 type veth peer name veth1",
        f"ip addr add {APP_ADDRESS}/24 dev veth0",
        f"ip addr add {PEER_ADDRESS}/24 dev veth1",
        "ip link set veth0 up",
        "ip link set veth1 up",
    ]
    for command in commands:
        subprocess.run(command.split(), check=True)
    for device in ("veth0", "veth1"):
        Path(f"/proc/sys/net/ipv6/conf/{device}/disable_ipv6").write_text("1")


# Keeps every RTCPeerConnection a frame makes, so its WebRTC statistics can be read.
KEEP_PEER_CONNECTIONS = """
const Original = window.RTCPeerConnection;
window.__peers = [];
window.RTCPeerConnection = function (...args) {
  const peer = new Original(...args);
  window.__peers.push(peer);
  return peer;
};
window.RTCPeerConnection.prototype = Original.prototype;
"""
# What the browser sent (frame rate, size, why it limited quality) and got back.
VIDEO_STATS = """
async () => {
  const found = {};
  for (const peer of window.__peers) {
    const stats = await peer.getStats();
    stats.forEach((s) => {
      if (s.kind !== 'video') return;
      if (s.type === 'outbound-rtp') found.sent = {fps: s.framesPerSecond, width: s.frameWidth,
        height: s.frameHeight, limited_by: s.qualityLimitationReason, frames: s.framesEncoded};
      if (s.type === 'inbound-rtp') found.received = {fps: s.framesPerSecond,
        frames: s.framesDecoded, dropped: s.framesDropped};
    });
  }
  return found;
}
"""


def lines(page: Page, *markers: str) -> list[str]:
    """The page's lines of text that contain any of `markers`."""
    return [
        line for line in page.inner_text("body").splitlines() if any(m in line for m in markers)
    ]


def stats(page: Page) -> tuple[int, float, float, float]:
    """Frames processed, frames per second and milliseconds per frame as the page shows them,
    and when (seconds, monotonic) they were read."""
    match = STATS.search(page.inner_text("body"))
    now = time.monotonic()
    return (int(match[1]), float(match[2]), float(match[3]), now) if match else (0, 0, 0, now)


def main(y4m: Path, wav: Path, out: Path, samples: int, screenshot: Path | None) -> None:
    private_network()
    seen: dict[str, object] = {}
    fake_media = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}",
        f"--use-file-for-fake-audio-capture={wav}",
    ]
    with (
        running_app(out.with_suffix(".log"), address=APP_ADDRESS) as base,
        chromium(
            # Camera and microphone need a secure origin: plain http counts only on localhost.
            [*fake_media, f"--unsafely-treat-insecure-origin-as-secure={base}"]
        ) as web,
    ):
        page = web.new_page(viewport={"width": 1366, "height": 768})
        page.add_init_script(KEEP_PEER_CONNECTIONS)
        wait_for_app(page, f"{base}/live_webcam")
        page.frame_locator('iframe[title*="webrtc"]').get_by_role("button", name="START").click()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            print(f"live page: {stats(page)}", file=sys.stderr, flush=True)
            judged = [line for line in lines(page, "Voice: ") if line.split()[1] in EMOTIONS]
            if stats(page)[0] >= 250 and judged:
                break
            time.sleep(1)
        seen["samples"] = [stats(page) for _ in range(samples) if not time.sleep(1)]
        video = next(frame for frame in page.frames if frame.locator("video").count())
        seen["video"] = green_pixels(video, "video")
        seen["webrtc"] = video.evaluate(VIDEO_STATS)
        seen["voice"] = lines(page, "Voice:")
        seen["fused"] = lines(page, "Fused:", " mean of ", " only")
        seen["first_screen"] = {
            name: page.get_by_text(text).first.bounding_box()
            for name, text in (("voice", "Voice: "), ("fused", "Fused: "))
        }
        if screenshot:
            save_screenshot(page, screenshot)
        for key, end, wanted in (("End", "face", "Face only"), ("Home", "voice", "Voice only")):
            set_slider(page, "Face weight", key)
            page.wait_for_function(
                f"() => document.body.innerText.includes('{wanted}: the slider gives')",
                timeout=30_000,
            )
            seen[f"fused_{end}_only"] = lines(page, "Fused:", "Voice: ", "faces in view")
        page.frame_locator('iframe[title*="webrtc"]').get_by_role("button", name="STOP").click()
        page.get_by_text("to begin: the results appear here").wait_for(timeout=30_000)
        wait_for_run_end(page)  # the run that drew it may still hold the stopped stream's lines
        seen["after_stop"] = lines(page, "Frames processed", "Voice: ", "Fused: ", "to begin")
    out.write_text(json.dumps(seen, indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("y4m", type=Path)
    parser.add_argument("wav", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--samples", type=int, default=5, help="seconds of statistics to read")
    parser.add_argument("--screenshot", type=Path)
    arguments = parser.parse_args()
    main(arguments.y4m, arguments.wav, arguments.out, arguments.samples, arguments.screenshot)
