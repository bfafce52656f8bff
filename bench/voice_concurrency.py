"""Voice judged by several users at once: clips per second for one user alone and for four at
once (threads of one server process, as the app serves them), the 4-vs-1 ratio, and whether
every clip got the same result both ways. Each setting runs in a process of its own: the
default thread budget and, beside it, one thread per core for every library (as served before
the budget), on an idle machine and with another process keeping one core busy.
Run with `make bench`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

CLIPS = 24
USERS = 4
SETTINGS = (("default budget", None), ("a thread per core", "all"))


def clips() -> list[tuple[np.ndarray, int]]:
    """Decoded RAVDESS clips (every actor's first ones), or generated voices without the data."""
    from emotion.audio.decoding import decode_audio
    from emotion.paths import data_root

    found = sorted((data_root() / "ravdess").glob("Actor_*/*.flac"))[::40][:CLIPS]
    if found:
        return [decode_audio(path) for path in found]
    rate, t = 16000, np.arange(3 * 16000) / 16000
    return [
        (0.2 * np.sin(2 * np.pi * (110 + 7 * i) * t) * (1 + np.sin(3 * t)), rate)
        for i in range(CLIPS)
    ]


def measure() -> dict[str, object]:
    """In this process, under its thread budget: one user, then USERS users at once."""
    from emotion.threads import use_threads
    from emotion.voice.analysis import analyze_audio
    from emotion.voice.served import voice_model

    threads = use_threads()
    model = voice_model()
    recordings = clips()

    def judge(recording: tuple[np.ndarray, int]) -> list[float]:
        return list(analyze_audio(*recording, model=model).probabilities.values())

    judge(recordings[0])
    start = time.perf_counter()
    alone = [judge(r) for r in recordings]
    one = len(recordings) / (time.perf_counter() - start)
    with ThreadPoolExecutor(USERS) as users:
        start = time.perf_counter()
        together = list(users.map(judge, recordings))
        many = len(recordings) / (time.perf_counter() - start)
    difference = float(np.abs(np.array(alone) - np.array(together)).max())
    return {"threads": threads, "one": one, "many": many, "difference": difference}


def spin(stop: multiprocessing.synchronize.Event) -> None:
    """Keep one core busy until told to stop."""
    while not stop.is_set():
        sum(i * i for i in range(10_000))


def child(threads: str | None) -> dict[str, object]:
    """`measure` in a fresh process with EMOTION_THREADS set to `threads` (None: unset)."""
    env = {k: v for k, v in os.environ.items() if k != "EMOTION_THREADS"}
    if threads is not None:
        env["EMOTION_THREADS"] = threads
    done = subprocess.run(
        [sys.executable, __file__, "--measure"], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print one line per setting and machine load."""
    print(f"{CLIPS} clips; {USERS} users at once vs one alone; {os.cpu_count()} cores")
    for busy in (False, True):
        stop = multiprocessing.Event()
        spinner = multiprocessing.Process(target=spin, args=(stop,)) if busy else None
        if spinner:
            spinner.start()
        for name, threads in SETTINGS:
            row = child(threads)
            print(
                f"{'one core busy' if busy else 'idle machine':<14} {name:<18} "
                f"({row['threads']} threads/request)  1 user {row['one']:5.1f} clips/s   "
                f"{USERS} users {row['many']:5.1f} clips/s   {USERS} vs 1: "
                f"x{row['many'] / row['one']:.2f}   results differ by {row['difference']:.1e}"
            )
        if spinner:
            stop.set()
            spinner.join()


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        print(json.dumps(measure()))
    else:
        main()
