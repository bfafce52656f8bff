"""Server time to re-fuse when the user moves the fusion slider on the Upload page, with a photo
and a clip already analysed: the whole page script run again (Streamlit's AppTest, in process),
models not run again. Run with `make bench`.
"""

from __future__ import annotations

import io
import statistics
import sys
import time

import numpy as np
from PIL import Image
from streamlit.testing.v1 import AppTest

from emotion.paths import PROJECT_ROOT, data_root

sys.path.insert(0, str(PROJECT_ROOT / "tests" / "support"))

from media import face_frame

RUNS = 20
CLIP = "ravdess/Actor_01/03-01-05-02-01-01-01.flac"
PHOTO = "jaffe/KA.HA1.29.tiff"


def png(path: str) -> bytes:
    """A 640x480 frame with the photo in its middle, as PNG bytes."""
    face = np.asarray(Image.open(data_root() / path).convert("L"))
    buffer = io.BytesIO()
    Image.fromarray(face_frame(face)).save(buffer, format="PNG")
    return buffer.getvalue()


def main() -> None:
    """Analyse once, then time each slider move."""
    app = AppTest.from_file(str(PROJECT_ROOT / "streamlit_app.py"), default_timeout=120).run()
    app.switch_page("pages/upload.py").run()
    for label, name, data in (
        ("Photo", "face.png", png(PHOTO)),
        ("Audio clip", "clip.flac", (data_root() / CLIP).read_bytes()),
    ):
        (uploader,) = [u for u in app.get("file_uploader") if u.label.startswith(label)]
        uploader.set_value((name, data, "application/octet-stream"))
        app.run()
    times = []
    for run in range(RUNS):
        start = time.perf_counter()
        app.slider(key="face_weight").set_value(0.25 if run % 2 else 0.75).run()
        times.append((time.perf_counter() - start) * 1000)
    assert not app.exception, [e.value for e in app.exception]
    print(
        f"Upload page, slider moved {RUNS} times with a photo and a clip analysed: "
        f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms per re-fuse"
    )


if __name__ == "__main__":
    main()
