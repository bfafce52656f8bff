"""TensorFlow and streamlit-webrtc share a process when TensorFlow comes via emotion.backend."""

import os
import subprocess
import sys


def test_streamlit_webrtc_imports_after_tensorflow_from_backend() -> None:
    code = (
        "from emotion.backend import tensorflow\n"
        "tf = tensorflow()\n"
        "import streamlit_webrtc\n"
        "print('both', tf.__version__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "both" in result.stdout


def test_the_app_and_the_command_line_do_not_load_tensorflow() -> None:
    code = (
        "import sys, emotion.cli, emotion.eda, emotion.datasets, emotion_app.model_status\n"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_another_keras_backend_is_used_without_tensorflow() -> None:
    code = (
        "import sys\n"
        "from emotion.backend import keras\n"
        "k = keras()\n"
        "print(k.backend.backend(), 'tensorflow' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KERAS_BACKEND": "jax"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["jax", "False"]
