"""How soon a visitor sees each page on a server that has just started: the app and headless
Chromium, a fresh server per page, seconds until the page's title is drawn. Run with
`make bench`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests" / "support"))

from app_server import running_app  # noqa: E402
from browser import chromium  # noqa: E402

PAGES = ("", "upload", "live_webcam", "model_report")


def main() -> None:
    """One line per page."""
    for path in PAGES:
        with (
            tempfile.TemporaryDirectory() as work,
            running_app(Path(work) / "streamlit.log") as base,
            chromium() as browser,
        ):
            page = browser.new_page()
            start = time.perf_counter()
            page.goto(f"{base}/{path}")
            page.wait_for_selector("h1", timeout=60_000)
            title = time.perf_counter() - start
            print(f"/{path:<13} title drawn {title:4.2f} s (cold server)")


if __name__ == "__main__":
    main()
