"""Smoke training on generated clips: the real train/evaluate commands, end to end, in seconds.

The generated "voices" differ in pitch by emotion, so even two epochs learn something; what is
asserted is the contract (files written, metrics fields, speaker-independent split, exported
model agreeing with Keras, evaluation through the served model), not accuracy.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile
from media import voice_like, write_voice

from emotion.audio.errors import AudioError
from emotion.cli import main
from emotion.fitting import TrainingClock
from emotion.labels import EMOTIONS
from emotion.litert import LiteRTModel
from emotion.paths import PROJECT_ROOT
from emotion.voice.analysis import analyze_audio, analyze_audio_file

RAVDESS_CODES = ("01", "03", "04", "05", "06", "07", "08")


@pytest.fixture(scope="module")
def fake_ravdess(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six actors x seven emotions x two statements, 1 s each, pitch set by the emotion."""
    root = tmp_path_factory.mktemp("ravdess")
    for actor in range(1, 7):
        for i, code in enumerate(RAVDESS_CODES):
            for statement in (1, 2):
                name = f"03-01-{code}-01-0{statement}-01-{actor:02d}.wav"
                write_voice(root / f"Actor_{actor:02d}" / name, 1.0, f0=110 + 40 * i + 3 * actor)
    return root


@pytest.fixture(scope="module")
def trained(fake_ravdess: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The models folder written by `python -m emotion train voice` on the generated clips."""
    out = tmp_path_factory.mktemp("models")
    args = ["train", "voice", "--data", str(fake_ravdess), "--out", str(out)]
    args += ["--work-dir", str(out / "checkpoints"), "--cnn-epochs", "2", "--ann-epochs", "3"]
    args += ["--variants", "1", "--workers", "1", "--cache-dir", str(out / "cache")]
    assert main(args) == 0
    return out


def test_training_writes_model_export_and_metrics(trained: Path) -> None:
    assert (trained / "voice.keras").is_file()
    assert (trained / "voice.tflite").is_file()
    metrics = json.loads((trained / "voice.metrics.json").read_text())
    assert metrics["chosen"] in {"ann", "cnn", "ensemble"}
    assert set(metrics["models"]) == {"ann", "cnn", "ensemble"}
    assert metrics["litert_test_agreement"] >= 0.99
    split = metrics["split"]["ravdess"]
    speakers = [set(split[name]["speakers"]) for name in ("train", "val", "test")]
    assert [len(s) for s in speakers] == [4, 1, 1]
    assert not (speakers[0] & speakers[2]) and not (speakers[1] & speakers[2])
    assert metrics["n"] == split["test"]["clips"] == 14
    assert set(metrics["per_class_recall"]) == set(EMOTIONS)
    for name in ("ann", "cnn", "ensemble"):
        test = metrics["models"][name]["test"]
        assert set(test) == {"pooled", "ravdess", "augmented"}
        assert test["augmented"]["n"] == 14


def test_a_finished_run_clears_its_checkpoints(trained: Path) -> None:
    assert not (trained / "checkpoints").exists()


def test_an_interrupted_run_resumes_where_it_stopped(fake_ravdess: Path, tmp_path: Path) -> None:
    args = [sys.executable, "-m", "emotion", "train", "voice", "--data", str(fake_ravdess)]
    args += ["--out", str(tmp_path / "out"), "--work-dir", str(tmp_path / "work")]
    args += ["--cache-dir", str(tmp_path / "cache"), "--cnn-epochs", "5", "--ann-epochs", "2"]
    args += ["--variants", "1", "--workers", "1"]
    log = tmp_path / "first.log"
    with log.open("w") as output:
        first = subprocess.Popen(args, stdout=output, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT)
        deadline = time.monotonic() + 300
        while "Epoch 3/5" not in log.read_text():
            assert first.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        first.kill()
        first.wait()
    assert not (tmp_path / "out" / "voice.tflite").exists()
    first_seconds = float((tmp_path / "work" / "training_seconds").read_text())
    second = subprocess.run(args, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "voice_ann finished in an interrupted run" in second.stderr
    assert "Resuming voice_cnn" in second.stderr
    assert "Epoch 1/5" not in second.stdout and "Epoch 5/5" in second.stdout
    assert (tmp_path / "out" / "voice.tflite").is_file()
    assert not (tmp_path / "work").exists()
    metrics = json.loads((tmp_path / "out" / "voice.metrics.json").read_text())
    assert metrics["training_seconds"] > first_seconds > 0  # both runs counted


def test_the_training_clock_adds_up_resumed_runs(tmp_path: Path) -> None:
    first = TrainingClock(tmp_path)
    time.sleep(0.3)
    first.save()
    second = TrainingClock(tmp_path)
    assert 0.3 <= float((tmp_path / "training_seconds").read_text()) <= second.seconds()


def test_evaluate_scores_a_folder_with_the_served_model(
    trained: Path, fake_ravdess: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = str(trained / "voice.tflite")
    args = ["evaluate", "voice", "--data", str(fake_ravdess), "--model", model]
    assert main([*args, "--split", "test", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dataset"] == "ravdess"
    assert report["n"] == 14 and report["missed"] == 0
    assert 0.0 <= report["accuracy"] <= 1.0
    assert set(report["per_class_recall"]) == set(EMOTIONS)
    assert main(args) == 0
    assert "macro-F1" in capsys.readouterr().out


def test_long_clips_are_scored_in_windows_and_pauses_skipped(trained: Path) -> None:
    model = LiteRTModel(trained / "voice.tflite")
    pause = np.zeros(4 * 16000, np.float32)
    clip = np.concatenate([voice_like(5.0), pause, voice_like(5.0, f0=200)])
    result = analyze_audio(clip, 16000, model)
    assert len(result.windows) == 9
    judged = [w for w in result.windows if w.probabilities is not None]
    skipped = [w for w in result.windows if w.probabilities is None]
    assert skipped and all("silent" in w.problem or "Too little" in w.problem for w in skipped)
    assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-4)
    for name in EMOTIONS:
        mean = np.mean([w.probabilities[name] for w in judged])
        assert result.probabilities[name] == pytest.approx(mean, abs=1e-6)
    assert result.windows[0].start_s == 0.0
    assert result.windows[-1].end_s == pytest.approx(14.0, abs=0.05)


def test_a_short_clip_is_one_window(trained: Path, tmp_path: Path) -> None:
    path = tmp_path / "clip.flac"
    soundfile.write(path, voice_like(2.0, 44100), 44100)
    result = analyze_audio_file(path, LiteRTModel(trained / "voice.tflite"))
    assert len(result.windows) == 1
    assert result.label in EMOTIONS


def test_silence_gets_a_message_not_a_result(trained: Path) -> None:
    with pytest.raises(AudioError, match="silent"):
        analyze_audio(np.zeros(5 * 16000, np.float32), 16000, LiteRTModel(trained / "voice.tflite"))


def test_evaluate_without_a_model_says_how_to_make_one(
    fake_ravdess: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "voice.tflite"
    assert main(["evaluate", "voice", "--data", str(fake_ravdess), "--model", str(missing)]) == 2
    assert "python -m emotion train voice" in capsys.readouterr().err
