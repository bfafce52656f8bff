"""Batch analysis throughput: files per second on one worker, on every core, and on a local Ray
runtime, over real photos (facial_expressions) and clips (RAVDESS); the ratio to one worker,
and the peak memory of one worker (models loaded, every file analysed). Run with `make bench`.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

from emotion.batch import analyze_files
from emotion.paths import data_root
from emotion.threads import cores, use_threads

PHOTOS = 200
CLIPS = 100


def archive() -> list[Path]:
    """The benchmark's files: photos and clips interleaved, as in a mixed archive."""
    photos = sorted((data_root() / "facial_expressions" / "images").iterdir())[:PHOTOS]
    clips = sorted((data_root() / "ravdess").rglob("*.flac"))[:CLIPS]
    return photos + clips


def timed(files: list[Path], workers: int, engine: str) -> tuple[float, int]:
    """Files per second of one run, and how many rows carried an error."""
    start = time.perf_counter()
    rows = list(analyze_files(files, workers=workers, engine=engine))  # type: ignore[arg-type]
    return len(rows) / (time.perf_counter() - start), sum(row["error"] is not None for row in rows)


def main() -> None:
    """Print one line per engine and worker count."""
    use_threads(cores())  # as `emotion analyze` does: one worker may use every core
    files = archive()
    print(f"{len(files)} files ({PHOTOS} photos, {CLIPS} clips), {cores()} cores")
    single, errors = timed(files, 1, "local")
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"local, 1 worker     {single:6.1f} files/s  (x1.00)  errors {errors}")
    print(f"  peak memory of one worker (this process, after the 1-worker run): {own_peak:.0f} MB")
    for engine in ("local", "ray"):
        rate, errors = timed(files, cores(), engine)
        print(
            f"{engine}, {cores()} workers{' ' * (6 - len(engine))} {rate:6.1f} files/s  "
            f"(x{rate / single:.2f})  errors {errors}"
        )


if __name__ == "__main__":
    main()
