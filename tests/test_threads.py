"""The thread budget: every numeric library of a process kept to it, set from EMOTION_THREADS or
the entry point's default, and a clear message for a wrong setting."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from emotion.errors import EmotionError
from emotion.paths import PROJECT_ROOT
from emotion.threads import ENVIRONMENT, cores, requested_threads

REPORT = """
import json, os, sys, cv2
from threadpoolctl import threadpool_info
{setup}
from emotion.face.analysis import face_model
import emotion.backend, emotion.threads
face_model()  # a served model: asks for the budget
tf = emotion.backend.tensorflow()
print(json.dumps({{
    "budget": emotion.threads.budget(),
    "libraries": sorted({{i["num_threads"] for i in threadpool_info()}}),
    "opencv": cv2.getNumThreads(),
    "openblas_variable": os.environ["OPENBLAS_NUM_THREADS"],
    "tensorflow": tf.config.threading.get_intra_op_parallelism_threads(),
}}))
"""


def report(setup: str = "", threads: str | None = None) -> dict:
    """What a fresh process's libraries use, after `setup` and loading a served model."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)}
    if threads is not None:
        env[ENVIRONMENT] = threads
    done = subprocess.run(
        [sys.executable, "-c", REPORT.format(setup=setup)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_setting_is_read_as_a_number_of_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    assert requested_threads(3) == 3
    monkeypatch.setenv(ENVIRONMENT, "2")
    assert requested_threads(3) == 2
    monkeypatch.setenv(ENVIRONMENT, "all")
    assert requested_threads(1) == cores()
    for wrong in ("0", "-1", "two", "1.5"):
        monkeypatch.setenv(ENVIRONMENT, wrong)
        with pytest.raises(EmotionError, match="EMOTION_THREADS must be a whole number of threads"):
            requested_threads(1)


def test_a_program_that_loads_a_model_gets_the_serving_budget_everywhere() -> None:
    # BLAS and OpenMP, OpenCV, libraries loaded later (through the environment), TensorFlow
    assert report() == {
        "budget": 1,
        "libraries": [1],
        "opencv": 1,
        "openblas_variable": "1",
        "tensorflow": 1,
    }


def test_the_environment_and_the_entry_point_choose_the_budget() -> None:
    assert report(threads="2")["budget"] == 2
    chosen = report(setup="import emotion.threads; emotion.threads.use_threads(2)")
    assert chosen["budget"] == 2 and chosen["opencv"] == 2 and chosen["tensorflow"] == 2
    assert (
        report(setup="import emotion.threads; emotion.threads.use_threads(2)", threads="1")[
            "budget"
        ]
        == 1
    )


def test_a_wrong_setting_stops_a_command_with_a_message(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "emotion", "analyze", str(tmp_path), "--out", "r.jsonl"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT), ENVIRONMENT: "lots"},
        timeout=300,
    )
    assert done.returncode == 2
    assert "EMOTION_THREADS must be a whole number of threads or 'all', not 'lots'" in done.stderr
