"""What open but idle Live tabs cost the server: the app and headless Chromium with 8 tabs on
the Live page (stream not started), the server's CPU over 30 s. Run with `make bench`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests" / "support"))

from app_server import running_app  # noqa: E402
from browser import chromium, wait_for_app  # noqa: E402

TABS = 8
MEASURE_S = 30.0
CLOCK_TICKS = 100


def server_cpu_seconds() -> float:
    """CPU seconds used so far by the app's server process(es)."""
    found = subprocess.run(
        ["pgrep", "-f", "streamlit run"], capture_output=True, text=True, check=False
    ).stdout.split()
    total = 0.0
    for pid in found:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def main() -> None:
    """Open the tabs, wait for them to settle, measure."""
    with (
        tempfile.TemporaryDirectory() as work,
        running_app(Path(work) / "streamlit.log") as base,
        chromium() as browser,
    ):
        for _ in range(TABS):
            wait_for_app(browser.new_page(), f"{base}/live_webcam")
        time.sleep(5)
        start_cpu, start = server_cpu_seconds(), time.monotonic()
        time.sleep(MEASURE_S)
        share = (server_cpu_seconds() - start_cpu) / (time.monotonic() - start)
    print(f"{TABS} idle Live tabs: the server used {share:.1%} of one core over {MEASURE_S:.0f} s")


if __name__ == "__main__":
    main()
