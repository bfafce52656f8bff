"""Soak: several simulated users analysing uploads at once, plus one live stream, for 10 minutes.

Each user thread runs what the Upload page runs (photos, audio clips, a video, and now and then a
bad file) on real dataset files and compares every result with the one computed alone before
the soak: any difference is cross-talk. The live thread feeds a LiveAnalyzer 640x480 frames at
up to 30 per second and microphone audio, as the stream's callbacks do. Reported: errors,
cross-talk, p95 latency per kind, and the process's resident memory over time.

Run with `make soak` (or `python bench/soak.py --minutes 1` for a short check).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

from emotion.audio.decoding import decode_audio
from emotion.audio.errors import AudioError
from emotion.face.analysis import analyze_image_file
from emotion.face.errors import ImageError
from emotion.face.images import load_image
from emotion.face.preprocess import to_gray
from emotion.live import LiveAnalyzer
from emotion.paths import data_root
from emotion.video import VideoError, analyze_video
from emotion.voice.analysis import analyze_audio_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))

from media import face_frame, write_video

USERS = 4
LIVE_FPS = 30
RSS_EVERY_S = 10.0


def resident_mb() -> float:
    """This process's resident memory in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def workload(work_dir: Path) -> list[tuple[str, Callable[[], object]]]:
    """(kind, job) pairs: real photos, clips, a video and bad files, each a fresh analysis."""
    root = data_root()
    photos = sorted((root / "facial_expressions" / "images").iterdir())[:12]
    clips = sorted((root / "ravdess").rglob("*.flac"))[:8]
    samples, rate = decode_audio(clips[0])
    video = write_video(
        work_dir / "talk.mp4",
        [face_frame(to_gray(load_image(photos[0])))] * 40,
        fps=10,
        sound=samples[: 4 * rate],
        sound_rate=rate,
    )
    broken = work_dir / "broken.png"
    broken.write_bytes(b"not an image" * 100)
    jobs: list[tuple[str, Callable[[], object]]] = []
    jobs += [("photo", lambda p=p: analyze_image_file(p)) for p in photos]
    jobs += [("clip", lambda c=c: analyze_audio_file(c)) for c in clips]
    jobs += [("video", lambda: analyze_video(video))]
    jobs += [("bad file", lambda: analyze_image_file(broken))]
    return jobs


def outcome(job: Callable[[], object]) -> object:
    """The job's result, or the user's message for an input it refuses."""
    try:
        return job()
    except (ImageError, AudioError, VideoError) as error:
        return f"refused: {error}"


class Soak:
    """Counters shared by the threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.crosstalk = 0
        self.runs = 0
        self.live_frames = 0

    def user(self, jobs: list, expected: list, seed: int, stop: float) -> None:
        """One user: jobs in a random order until `stop`."""
        rng = np.random.default_rng(seed)
        while time.monotonic() < stop:
            index = int(rng.integers(len(jobs)))
            kind, job = jobs[index]
            start = time.perf_counter()
            try:
                result = outcome(job)
            except Exception as error:
                with self.lock:
                    self.errors.append(f"{kind}: {type(error).__name__}: {error}")
                continue
            with self.lock:
                self.latencies[kind].append(time.perf_counter() - start)
                self.runs += 1
                self.crosstalk += result != expected[index]

    def live(self, frame: np.ndarray, sound: np.ndarray, rate: int, stop: float) -> None:
        """One live stream: frames at up to 30/s, 20 ms of audio per frame, a snapshot a second."""
        analyzer = LiveAnalyzer()
        step, position, last_snapshot = rate // 50, 0, 0.0
        while time.monotonic() < stop:
            start = time.monotonic()
            try:
                analyzer.process(frame)
                analyzer.audio.append(sound[position : position + step], rate)
                position = (position + step) % (len(sound) - step)
                if start - last_snapshot >= 1.0:
                    analyzer.snapshot()
                    last_snapshot = start
            except Exception as error:
                with self.lock:
                    self.errors.append(f"live: {type(error).__name__}: {error}")
            with self.lock:
                self.live_frames += 1
            time.sleep(max(0.0, 1 / LIVE_FPS - (time.monotonic() - start)))


def main() -> None:
    """Run the soak and print its report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--users", type=int, default=USERS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        jobs = workload(Path(work))
        expected = [outcome(job) for _, job in jobs]
        frame = face_frame(to_gray(load_image(sorted((data_root() / "jaffe").glob("*.tiff"))[0])))
        sound, rate = decode_audio(sorted((data_root() / "ravdess").rglob("*.flac"))[0])
        soak = Soak()
        stop = time.monotonic() + args.minutes * 60
        threads = [
            threading.Thread(target=soak.user, args=(jobs, expected, seed, stop))
            for seed in range(args.users)
        ]
        threads.append(threading.Thread(target=soak.live, args=(frame, sound, rate, stop)))
        print(
            f"{args.users} users + 1 live stream for {args.minutes:g} min; "
            f"RSS {resident_mb():.0f} MB"
        )
        started = time.monotonic()
        for thread in threads:
            thread.start()
        rss = []
        while any(thread.is_alive() for thread in threads):
            time.sleep(min(RSS_EVERY_S, max(0.1, stop - time.monotonic())))
            rss.append(resident_mb())
            print(f"  {time.monotonic() - started:5.0f} s  RSS {rss[-1]:.0f} MB", flush=True)
        for thread in threads:
            thread.join()
    elapsed = time.monotonic() - started
    print(
        f"analyses {soak.runs} ({soak.runs / elapsed:.1f}/s), errors {len(soak.errors)}, "
        f"cross-talk {soak.crosstalk}, live frames {soak.live_frames} "
        f"({soak.live_frames / elapsed:.1f}/s)"
    )
    for kind, times in sorted(soak.latencies.items()):
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        print(
            f"  {kind:<9} n={len(times):4d}  median {statistics.median(times) * 1000:6.0f} ms  "
            f"p95 {p95 * 1000:6.0f} ms"
        )
    print(f"RSS first {rss[0]:.0f} MB, last {rss[-1]:.0f} MB, max {max(rss):.0f} MB")
    for error in soak.errors[:10]:
        print("  error:", error)


if __name__ == "__main__":
    main()
