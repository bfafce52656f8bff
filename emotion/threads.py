"""One thread budget per process, for every numeric runtime the project uses.

NumPy's OpenBLAS, OpenMP, OpenCV, LiteRT and TensorFlow each start a thread per core by
default. A server judges several requests at once: each request's libraries then fight over
the same cores, and four users get less than one alone. So a serving process gives each
request a few threads (`SERVING_THREADS`) and gets its concurrency from the requests; a command
that does one thing at a time (training, evaluation) gives it every core. `EMOTION_THREADS`
overrides either: a number, or "all" for one per core (a desktop with one user).
"""

from __future__ import annotations

import os
import sys
import threading

import cv2
from threadpoolctl import threadpool_limits

from emotion.errors import EmotionError

ENVIRONMENT = "EMOTION_THREADS"
SERVING_THREADS = 1
BLAS_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

_applied: int | None = None
_lock = threading.Lock()


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def requested_threads(default: int) -> int:
    """`EMOTION_THREADS` as a thread count ("all": every core), else `default`."""
    value = os.environ.get(ENVIRONMENT, "").strip().lower()
    if not value:
        return default
    if value == "all":
        return cores()
    if not value.isdigit() or int(value) < 1:
        raise EmotionError(
            f"{ENVIRONMENT} must be a whole number of threads or 'all', not {value!r}"
        )
    return int(value)


def use_threads(default: int = SERVING_THREADS) -> int:
    """Limit this process's numeric libraries to the budget (`EMOTION_THREADS`, else `default`)
    and return it: those loaded already (BLAS and OpenMP through threadpoolctl, OpenCV,
    TensorFlow if imported) and, through the environment, those loaded later. LiteRT models
    read it when they are created (`budget`)."""
    global _applied
    threads = requested_threads(default)
    with _lock:
        for variable in BLAS_VARIABLES:
            os.environ[variable] = str(threads)
        threadpool_limits(threads)
        cv2.setNumThreads(threads)
        _applied = threads
        keep_to_budget()
    return threads


def limit_tensorflow(threads: int) -> None:
    """TensorFlow's own pools, if it is imported; they can be sized only before its first
    operation."""
    if "tensorflow" not in sys.modules:
        return
    config = sys.modules["tensorflow"].config.threading
    try:
        config.set_intra_op_parallelism_threads(threads)
        config.set_inter_op_parallelism_threads(threads)
    except RuntimeError:  # already running: its pools keep their size
        pass


def budget() -> int:
    """The threads one request may use: what `use_threads` set, else (applied now) the serving
    default. Every served model asks when it is loaded, so a process that never chose a budget
    (a program that imports the package) gets the serving one with its first model."""
    return _applied if _applied is not None else use_threads()


def keep_to_budget() -> None:
    """Size TensorFlow's pools to the budget, if one was applied before it was imported."""
    if _applied is not None:
        limit_tensorflow(_applied)
