"""Soak: one user alone, then several simulated users at once plus a live stream, 10 minutes.

Each user thread runs what the Upload page runs (photos, voice clips, a video with sound, and now
and then a bad file) on real dataset files and compares every result with the one computed
before the soak: any difference is cross-talk. The live thread feeds a LiveAnalyzer 640x480
frames at up to 30 per second and microphone audio, as the stream's callbacks do, and asks for
its verdict every second, which judges the voice heard ("live voice"). Reported for each phase,
in the same run: throughput, errors, cross-talk, median and p95 latency per kind; and the
process's resident memory over time. The process keeps to the serving thread budget, as the
app does (`emotion.threads`).

Run with `make soak` (or `python bench/soak.py --alone 0.5 --minutes 1` for a short check).
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
from emotion.threads import use_threads
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

    def __init__(self, streams: int) -> None:
        self.streams = streams
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.crosstalk = 0
        self.runs = 0
        self.live_frames = 0
        self.live_voice = 0

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
                    verdict = analyzer.snapshot()
                    last_snapshot = start
                    with self.lock:
                        self.latencies["live voice"].append(time.monotonic() - start)
                        self.live_voice += verdict.voice is not None
            except Exception as error:
                with self.lock:
                    self.errors.append(f"live: {type(error).__name__}: {error}")
            with self.lock:
                self.live_frames += 1
            time.sleep(max(0.0, 1 / LIVE_FPS - (time.monotonic() - start)))


def run_phase(
    jobs: list, expected: list, users: int, streams: int, live: tuple, minutes: float
) -> tuple[Soak, float]:
    """`users` user threads and `streams` live streams (of `live`: frame, sound and rate) for
    `minutes`; RSS printed every RSS_EVERY_S. Returns the counters and the seconds it ran."""
    soak = Soak(streams)
    stop = time.monotonic() + minutes * 60
    threads = [
        threading.Thread(target=soak.user, args=(jobs, expected, seed, stop))
        for seed in range(users)
    ]
    threads += [threading.Thread(target=soak.live, args=(*live, stop)) for _ in range(streams)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        time.sleep(min(RSS_EVERY_S, max(0.1, stop - time.monotonic())))
        print(f"  {time.monotonic() - started:5.0f} s  RSS {resident_mb():.0f} MB", flush=True)
    for thread in threads:
        thread.join()
    return soak, time.monotonic() - started


def rate(soak: Soak, elapsed: float) -> float:
    """Analyses per second."""
    return soak.runs / elapsed


def report(name: str, soak: Soak, elapsed: float) -> None:
    """Print one phase's throughput, errors, cross-talk and latencies."""
    print(
        f"{name}: analyses {soak.runs} ({soak.runs / elapsed:.1f}/s), errors {len(soak.errors)}, "
        f"cross-talk {soak.crosstalk}"
    )
    if soak.live_frames:
        print(
            f"  live frames {soak.live_frames} ({soak.live_frames / elapsed / soak.streams:.1f}/s "
            f"per stream, {soak.streams} stream(s)), voice "
            f"verdicts {soak.live_voice} of {len(soak.latencies['live voice'])} snapshots"
        )
    for kind, times in sorted(soak.latencies.items()):
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        print(
            f"  {kind:<10} n={len(times):4d}  median {statistics.median(times) * 1000:6.0f} ms  "
            f"p95 {p95 * 1000:6.0f} ms"
        )
    for error in soak.errors[:10]:
        print("  error:", error)


def main() -> None:
    """Run both phases and print their reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alone", type=float, default=2.0, help="minutes of one user alone")
    parser.add_argument("--minutes", type=float, default=8.0, help="minutes of users at once")
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--live", type=int, default=1, help="live streams beside the users")
    args = parser.parse_args()
    threads = use_threads()
    with tempfile.TemporaryDirectory() as work:
        jobs = workload(Path(work))
        expected = [outcome(job) for _, job in jobs]
        frame = face_frame(to_gray(load_image(sorted((data_root() / "jaffe").glob("*.tiff"))[0])))
        sound, sample_rate = decode_audio(sorted((data_root() / "ravdess").rglob("*.flac"))[0])
        first = resident_mb()
        live = (frame, sound, sample_rate)
        print(f"1 user alone for {args.alone:g} min; {threads} thread(s) per request")
        alone = run_phase(jobs, expected, 1, 0, live, args.alone)
        print(f"{args.users} users + {args.live} live stream(s) for {args.minutes:g} min")
        loaded = run_phase(jobs, expected, args.users, args.live, live, args.minutes)
    report("1 user alone", *alone)
    report(f"{args.users} users + {args.live} live", *loaded)
    print(
        f"throughput {args.users} users vs 1: x{rate(*loaded) / rate(*alone):.2f}; "
        f"RSS after warm-up {first:.0f} MB, at the end {resident_mb():.0f} MB"
    )


if __name__ == "__main__":
    main()
