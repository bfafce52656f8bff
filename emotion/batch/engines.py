"""Running `analyze_file` over many files: in this process, in a pool of processes (one per
core, each loading the models once), or on Ray Data (actors that load the models once, on a
local Ray runtime or an existing cluster). The work goes out in jobs (a file, or a speaker's
folder: `emotion.batch.speakers`). Every engine yields the same rows, in the order they
finish."""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from emotion.batch.rows import AnalysisSettings
from emotion.batch.speakers import Job, analysis_jobs, run_job
from emotion.face.analysis import face_model
from emotion.model_files import MissingModelError
from emotion.threads import use_threads
from emotion.voice.served import voice_model

Engine = Literal["local", "ray"]
ENGINES: tuple[Engine, ...] = ("local", "ray")
RAY_BATCH = 4

_settings = AnalysisSettings()


def load_models() -> None:
    """Load both served models now (each is cached per process), where they exist."""
    for load in (face_model, voice_model):
        with contextlib.suppress(MissingModelError):  # the rows that need it say so
            load()


def _start_worker(settings: AnalysisSettings) -> None:
    """Pool initializer: the run's settings, one thread per library (every core already runs a
    worker), the models loaded."""
    global _settings
    _settings = settings
    use_threads(1)
    load_models()


def _run_job(job: Job) -> list[dict[str, Any]]:
    return run_job(job, _settings)


def run_local(
    jobs: Iterable[Job], settings: AnalysisSettings, workers: int
) -> Iterator[dict[str, Any]]:
    """Rows of `jobs`, run in `workers` processes (1: in this process)."""
    if workers == 1:
        load_models()
        for job in jobs:
            yield from run_job(job, settings)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, _start_worker, (settings,)) as pool:
        for rows in pool.imap_unordered(_run_job, jobs):
            yield from rows


class RayAnalyzer:
    """A Ray Data actor: loads the models once, then runs batches of jobs."""

    def __init__(self, settings: AnalysisSettings) -> None:
        self.settings = settings
        use_threads(1)
        load_models()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        return {
            "row": [
                json.dumps(row)
                for job in batch["job"]
                for row in run_job(tuple(json.loads(job)), self.settings)  # type: ignore[arg-type]
            ]
        }


def run_ray(
    jobs: list[Job], settings: AnalysisSettings, workers: int, address: str | None
) -> Iterator[dict[str, Any]]:
    """Rows of `jobs` run by `workers` Ray actors on the cluster at `address` (None: a Ray
    runtime started on this machine). Every node must see the files at the same paths."""
    import ray  # optional: requirements-scale.txt

    if not ray.is_initialized():
        ray.init(
            address=address,
            num_cpus=None if address else workers,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    dataset = ray.data.from_items([{"job": json.dumps(job)} for job in jobs])
    rows = dataset.map_batches(
        RayAnalyzer,
        fn_constructor_args=(settings,),
        batch_size=RAY_BATCH,
        concurrency=workers,
        num_cpus=1,
    )
    for row in rows.iter_rows():
        yield json.loads(row["row"])


def run(
    paths: list[str],
    settings: AnalysisSettings,
    workers: int,
    engine: Engine = "local",
    address: str | None = None,
    skip: frozenset[str] = frozenset(),
) -> Iterator[dict[str, Any]]:
    """Rows of `paths` (but those in `skip`, already written) on `engine` with `workers`
    processes or actors (no more than there are jobs)."""
    jobs = analysis_jobs(paths, settings, skip)
    workers = min(workers, max(len(jobs), 1))
    if engine == "ray":
        return run_ray(jobs, settings, workers, address)
    return run_local(jobs, settings, workers)
