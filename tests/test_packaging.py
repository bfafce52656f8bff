"""The package as a developer installs it: a wheel built from the repository, installed in a
fresh virtual environment, used from another folder (command and Python API), offline.

The new environment borrows the test environment's third-party packages (a .pth file) so that
nothing is downloaded; the `emotion` package itself comes only from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import numpy as np
import pytest
from app_server import LOCAL, running_app
from media import face_frame, voice_like, write_video, write_voice

from emotion.paths import PROJECT_ROOT

SUPPORT = PROJECT_ROOT / "tests" / "support"
PIP_WHEEL = (sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q")
API_CHECK = """
import json, emotion
faces = emotion.analyze_photo("portrait.jpg")
voice = emotion.analyze_voice("voice.wav")
fused = emotion.fuse(faces[0].probabilities, voice.probabilities, face_weight=0.7)
try:
    emotion.analyze_photo(b"not an image")
    error = None
except emotion.EmotionError as caught:
    error = type(caught).__name__
print(json.dumps({"module": emotion.__file__, "faces": len(faces), "face": faces[0].label,
                  "voice": voice.label, "fused": fused.label, "error": error}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [*PIP_WHEEL, "-w", str(out), str(PROJECT_ROOT)],
        check=True,
        capture_output=True,
    )
    for leftover in ("build", "emotion_recognition.egg-info"):
        shutil.rmtree(PROJECT_ROOT / leftover, ignore_errors=True)
    (built,) = out.glob("emotion_recognition-*.whl")
    return built


def test_the_wheel_carries_the_models_app_and_licences(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    share = next(n for n in names if n.endswith("/share/emotion-recognition/streamlit_app.py"))
    root = share.removesuffix("streamlit_app.py")
    for served in ("face.tflite", "voice.tflite", "voice.encoder.tflite", "voice.encoder.LICENSE"):
        assert f"{root}models/{served}" in names
    assert f"{root}models/face.metrics.json" in names and f"{root}pages/upload.py" in names
    assert f"{root}.streamlit/config.toml" in names
    assert any(n.endswith(".dist-info/LICENSE") for n in names)
    assert any(n.endswith(".dist-info/entry_points.txt") for n in names)
    eda = {n.split("/")[-2] for n in names if n.endswith("/summary.json")}
    assert eda == {p.name for p in (PROJECT_ROOT / "reports" / "eda").iterdir() if p.is_dir()}


def test_every_dataset_summary_is_listed_for_the_wheel() -> None:
    listed = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {key.rsplit("/", 1)[-1] for key in listed["data-files"] if "/reports/eda/" in key}
    assert folders == {p.name for p in (PROJECT_ROOT / "reports" / "eda").iterdir() if p.is_dir()}


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed (third-party packages borrowed)."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = Path(sysconfig.get_path("purelib"))
    (venv / "lib" / "python3.11" / "site-packages" / "borrowed.pth").write_text(f"{site}\n")
    python = venv / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], check=True
    )
    return venv


def offline_env(log: Path) -> dict[str, str]:
    """The environment without the repository on the path, refusing network connections."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "EMOTION_MODELS")}
    return env | {"NETGUARD_LOG": str(log), "PYTHONPATH": str(SUPPORT)}


def test_installed_elsewhere_it_analyses_a_photo_and_a_clip(venv: Path, tmp_path: Path) -> None:
    python, command = venv / "bin" / "python", venv / "bin" / "emotion"
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(PROJECT_ROOT / "examples" / "astronaut.jpg", work / "portrait.jpg")
    write_voice(work / "voice.wav", seconds=3.0)
    env = offline_env(tmp_path / "attempts.log")

    def run(*args: str | Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(a) for a in args], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )

    analysed = run(command, "analyze", "portrait.jpg", "--out", "r.jsonl", "--quiet")
    assert analysed.returncode == 0, analysed.stderr[-2000:]
    (row,) = [json.loads(line) for line in (work / "r.jsonl").read_text().splitlines()]
    assert row["error"] is None and row["faces_found"] == 1 and row["label"] == "happy"
    api = run(python, "-c", API_CHECK)
    assert api.returncode == 0, api.stderr[-2000:]
    result = json.loads(api.stdout.splitlines()[-1])
    assert result["module"].startswith(str(venv)) and result["faces"] == 1
    assert result["face"] == "happy" and result["error"] == "ImageError"
    assert result["voice"] and result["fused"]
    paths = run(python, "-c", "from emotion import paths; print(paths.MODELS_DIR)")
    assert paths.stdout.strip().startswith(str(venv / "share" / "emotion-recognition"))
    assert not (tmp_path / "attempts.log").exists()  # nothing tried to leave the machine


def test_the_readme_python_example_runs(tmp_path: Path, face_photo: np.ndarray) -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme.split("## Install as a Python package", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    shutil.copy(PROJECT_ROOT / "examples" / "astronaut.jpg", tmp_path / "photo.jpg")
    for name in ("clip.wav", "my_normal_speech.wav", "my_clip.wav"):
        write_voice(tmp_path / name, seconds=3.0)
    frames = [face_frame(face_photo)] * 20
    for name in ("talk.mp4", "anything.mov"):
        write_video(tmp_path / name, frames, fps=10, sound=voice_like(2.0))
    (tmp_path / "notes.txt").write_text("not a photo")
    result = subprocess.run(
        [sys.executable, "-c", example],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "could not be read as an image" in result.stdout


def test_the_installed_command_serves_the_app(venv: Path, tmp_path: Path) -> None:
    log = tmp_path / "attempts.log"
    command = (str(venv / "bin" / "emotion"), "app")
    with running_app(tmp_path / "app.log", offline_env(log), command=command, cwd=tmp_path) as base:
        for page in ("", "upload", "model_report"):
            with LOCAL.open(f"{base}/{page}", timeout=10) as reply:
                assert reply.status == 200
    assert "Uncaught" not in (tmp_path / "app.log").read_text()
    assert not log.exists()


def test_emotion_models_points_at_another_models_folder(tmp_path: Path) -> None:
    code = "from emotion import paths, model_files; print(model_files.model_files('face').litert)"
    env = dict(os.environ, EMOTION_MODELS=str(tmp_path), PYTHONPATH=str(PROJECT_ROOT))
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert shown.stdout.strip() == str(tmp_path / "face.tflite")
    photo = str(PROJECT_ROOT / "examples" / "astronaut.jpg")
    out = ["--out", str(tmp_path / "r.jsonl"), "--quiet", "--workers", "1"]
    missing = subprocess.run(
        [sys.executable, "-m", "emotion", "analyze", photo, *out],
        env=env,
        capture_output=True,
        text=True,
    )
    row = json.loads((tmp_path / "r.jsonl").read_text())
    assert missing.returncode == 0 and "face model is missing" in row["error"]
