"""Smoke training on generated clips: the real train/evaluate commands, end to end.

Two generated corpora (RAVDESS and EMOVO layouts) whose "voices" differ in pitch by emotion and
by speaker. What is asserted is the contract (files written, LOCO tables for both modes, every
fold resumable, the export agreeing with Keras, evaluation through the served model in both
modes), not accuracy.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile
from media import voice_like, write_voice
from PIL import Image

from emotion.audio.errors import AudioError
from emotion.cli import main
from emotion.fitting import TrainingClock
from emotion.labels import EMOTIONS
from emotion.paths import PROJECT_ROOT
from emotion.voice.analysis import SINGLE_CLIP, SPEAKER_ADAPTIVE, analyze_audio, analyze_audio_file
from emotion.voice.inputs import INPUTS_SIZE
from emotion.voice.loco import SESSION_SIZES
from emotion.voice.novelty import load_reference
from emotion.voice.served import load_voice_model
from emotion.voice.speaker import SpeakerProfile

FER_FOLDERS = ("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise")
RAVDESS_CODES = ("01", "03", "04", "05", "06", "07", "08")
EMOVO_CODES = ("rab", "dis", "pau", "gio", "neu", "tri", "sor")


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two corpora: 4 actors and 3 speakers x seven emotions x two sentences, 1 s each."""
    ravdess, emovo = tmp_path_factory.mktemp("ravdess"), tmp_path_factory.mktemp("emovo")
    for i in range(7):
        for take in (1, 2):
            for actor in range(1, 5):
                name = f"03-01-{RAVDESS_CODES[i]}-01-0{take}-01-{actor:02d}.wav"
                write_voice(ravdess / f"Actor_{actor:02d}" / name, 1.0, 110 + 40 * i + 9 * actor)
            for speaker in ("f1", "m1", "m2"):
                name = f"{EMOVO_CODES[i]}-{speaker}-b{take}.wav"
                write_voice(emovo / speaker / name, 1.0, 100 + 42 * i + 7 * len(speaker) + take)
    return [ravdess, emovo]


def train_args(corpora: list[Path], out: Path) -> list[str]:
    args = ["train", "voice", "--data", *map(str, corpora), "--out", str(out), "--quick"]
    args += ["--work-dir", str(out / "work"), "--epochs", "3", "--variants", "1"]
    return [*args, "--workers", "1", "--cache-dir", str(out / "cache")]


@pytest.fixture(scope="module")
def trained(corpora: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The models folder written by `python -m emotion train voice` on the generated clips."""
    out = tmp_path_factory.mktemp("models")
    assert main(train_args(corpora, out)) == 0
    return out


def test_training_writes_both_modes_and_their_loco_tables(trained: Path) -> None:
    for name in ("voice.keras", "voice.tflite", "voice.adaptive.keras", "voice.adaptive.tflite"):
        assert (trained / name).is_file()
    assert load_reference(trained / "voice.novelty.npz").axes.shape[1] == INPUTS_SIZE
    metrics = json.loads((trained / "voice.metrics.json").read_text())
    assert set(metrics["modes"]) == {"single", "adaptive"}
    assert metrics["data"]["ravdess"]["speakers"] == 4 and metrics["data"]["emovo"]["clips"] == 42
    single, adaptive = metrics["modes"]["single"], metrics["modes"]["adaptive"]
    assert set(single["loco"]) == {"single clip"}
    sessions = {"all clips", "lopsided session", "neutral reference"}
    assert set(adaptive["loco"]) == sessions | {f"session of {n}" for n in SESSION_SIZES}
    for mode in (single, adaptive):
        for table in mode["loco"].values():
            assert set(table["corpora"]) == {"ravdess", "emovo"}
            assert table["corpora"]["emovo"]["n"] == 42
            row = table["corpora"]["ravdess"]
            assert 0 <= row["accuracy"] <= 1 and 0 <= row["ece"] <= 1 and row["temperature"] > 0
        assert mode["litert_agreement"] >= 0.99 and mode["temperature"] > 0
    assert len(adaptive["prior_std"]) == INPUTS_SIZE
    assert 0 <= single["novelty_power"] <= 5 and "novelty_power" not in adaptive
    assert single["loco"]["single clip"]["corpora"]["emovo"]["novelty_power"] >= 0
    assert metrics["speaker_adaptation"]["min_clips"] in SESSION_SIZES
    assert [row["mode"] for row in metrics["candidates"]] == ["single", "adaptive"]
    for row, mode in zip(metrics["augmentation"], (single, adaptive), strict=True):
        assert mode["augment"] == row["augmentation_kept"]
        assert row["without_augmentation"] >= 0 and row["loco_mean_macro_f1"] >= 0
    assert (
        metrics["headline"]["single"]["macro_f1"]
        == single["loco"]["single clip"]["mean"]["macro_f1"]
    )


def test_evaluate_loco_reproduces_the_training_tables(
    trained: Path, corpora: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    metrics = json.loads((trained / "voice.metrics.json").read_text())
    args = ["evaluate", "voice", "--loco", "--data", *map(str, corpora), "--model", str(trained)]
    assert main([*args, "--cache-dir", str(trained / "cache"), "--json"]) == 0
    tables = json.loads(capsys.readouterr().out)
    assert tables["single"] == metrics["modes"]["single"]["loco"]
    rewritten = json.loads((trained / "voice.metrics.json").read_text())["modes"]["single"]
    for key in ("temperature", "novelty_power"):
        assert rewritten[key] == metrics["modes"]["single"][key]
    assert main([*args, "--cache-dir", str(trained / "cache")]) == 0
    printed = capsys.readouterr().out
    assert "LOCO, single mode, single clip" in printed and "\nmean " in printed


def test_ablation_scores_a_spectrogram_cnn_and_the_model_without_each_corpus(
    trained: Path, corpora: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = shutil.copytree(trained, tmp_path / "models")
    emodb = tmp_path / "emodb"
    for i, letter in enumerate("WEAFTN"):
        for speaker in ("03", "08", "09"):
            pitch = 105 + 40 * i + 3 * int(speaker)
            write_voice(emodb / f"{speaker}a01{letter}a.wav", 1.0, pitch)
    args = ["evaluate", "voice", "--loco", "--ablation", "--model", str(models)]
    args += ["--data", *map(str, [*corpora, emodb]), "--cache-dir", str(tmp_path / "cache")]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "LOCO mean macro-F1: the served candidate and a CNN on log-mel spectrograms" in printed
    bought = json.loads((models / "voice.metrics.json").read_text())["ablation"]
    assert set(bought["spectrogram_cnn"]) == {"single", "adaptive"}
    for row in bought["spectrogram_cnn"].values():
        assert set(row["spectrogram_cnn_corpora"]) == {"ravdess", "emovo", "emodb"}
        assert 0 <= row["spectrogram_cnn"] <= 1 and 0 <= row["served"] <= 1
    assert set(bought["adaptive_without_corpus"]) == {"served", "ravdess", "emovo", "emodb"}
    assert "without emodb" in printed


def test_an_interrupted_run_resumes_with_the_next_fold(corpora: list[Path], tmp_path: Path) -> None:
    args = [sys.executable, "-m", "emotion", *train_args(corpora, tmp_path / "out")]
    log = tmp_path / "first.log"
    with log.open("w") as output:
        first = subprocess.Popen(args, stdout=output, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT)
        deadline = time.monotonic() + 300
        folds = tmp_path / "out" / "cache" / "loco"
        while len(list(folds.glob("*.npz"))) < 3:
            assert first.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        first.kill()
        first.wait()
    assert not (tmp_path / "out" / "voice.tflite").exists()
    kept = len(list(folds.glob("*.npz")))
    second = subprocess.run(args, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "from cache" in second.stderr  # features are not computed again
    # 2 modes x 2 corpora, with and without augmentation
    assert second.stderr.count("leaving out") == 8 - kept
    assert (tmp_path / "out" / "voice.adaptive.tflite").is_file()
    assert not (tmp_path / "out" / "work").exists()


def test_one_corpus_is_not_enough(corpora: list[Path], tmp_path: Path) -> None:
    args = ["train", "voice", "--data", str(corpora[0]), "--out", str(tmp_path)]
    assert main(args) == 2


def test_the_training_clock_adds_up_resumed_runs(tmp_path: Path) -> None:
    first = TrainingClock(tmp_path)
    time.sleep(0.3)
    first.save()
    second = TrainingClock(tmp_path)
    assert 0.3 <= float((tmp_path / "training_seconds").read_text()) <= second.seconds()


def test_evaluate_reports_both_modes(
    trained: Path, corpora: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["evaluate", "voice", "--data", str(corpora[0]), "--model", str(trained)]
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dataset"] == "ravdess" and report["mode"] == "single clip"
    assert report["n"] == 56 and report["missed"] == 0
    assert 0.0 <= report["accuracy"] <= 1.0 and 0.0 <= report["macro_f1"] <= 1.0
    adaptive = report["speaker_adaptive"]
    assert adaptive["speakers"] == 4 and adaptive["n"] == 56
    assert set(adaptive["per_class_recall"]) == set(EMOTIONS)
    assert main(args) == 0
    assert "speaker adaptive (4 speakers)" in capsys.readouterr().out


def test_adaptive_mode_starts_once_enough_is_heard(trained: Path) -> None:
    model = load_voice_model(trained)
    speaker = SpeakerProfile()
    modes = []
    for take in range(model.min_clips + 1):
        result = analyze_audio(voice_like(1.5, f0=140 + 10 * take), 16000, model, speaker)
        modes.append(result.mode)
        assert result.speaker_windows == take + 1
    assert modes[: model.min_clips - 1] == [SINGLE_CLIP] * (model.min_clips - 1)
    assert modes[-1] == SPEAKER_ADAPTIVE
    before = speaker.windows
    analyze_audio(voice_like(1.5), 16000, model, speaker, learn=False)
    assert speaker.windows == before


def test_fusion_pairs_each_loco_voice_with_a_face_of_its_emotion(
    corpora: list[Path], trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(3)
    for split, prefix in (("train", "Training"), ("val", "PublicTest")):
        for i, folder in enumerate(FER_FOLDERS):
            for n in range(2):
                path = tmp_path / "fer" / split / folder / f"{prefix}_{i}{n}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                Image.fromarray(rng.integers(0, 256, (48, 48), dtype=np.uint8)).save(path)
    args = ["evaluate", "fusion", "--faces", str(tmp_path / "fer"), "--data", *map(str, corpora)]
    args += ["--model", str(trained), "--cache-dir", str(trained / "cache"), "--json"]
    assert main(args) == 0
    fusion = json.loads(capsys.readouterr().out)
    metrics = json.loads((trained / "voice.metrics.json").read_text())
    assert set(fusion) == {"single", "adaptive"}
    for mode, session in (("single", "single clip"), ("adaptive", "all clips")):
        table = fusion[mode]
        assert table["pairs"] == 56 + 42
        voice_alone = table["rules"]["geometric"]["0.0"]["accuracy"]
        assert voice_alone == pytest.approx(
            metrics["modes"][mode]["loco"][session]["mean"]["accuracy"]
        )
        assert table["best"]["accuracy"] == max(
            row["accuracy"] for rows in table["rules"].values() for row in rows.values()
        )
    face_alone = [fusion[mode]["rules"]["arithmetic"]["1.0"] for mode in fusion]
    assert face_alone[0] == face_alone[1]
    written = json.loads((trained / "fusion.metrics.json").read_text())
    assert written["modes"] == fusion and written["defaults"]["face_weight"] == 0.5


def test_long_clips_are_scored_in_windows_and_pauses_skipped(trained: Path) -> None:
    model = load_voice_model(trained)
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
    result = analyze_audio_file(path, load_voice_model(trained))
    assert len(result.windows) == 1 and result.mode == SINGLE_CLIP
    assert result.label in EMOTIONS and result.warnings == []


def test_silence_gets_a_message_not_a_result(trained: Path) -> None:
    with pytest.raises(AudioError, match="silent"):
        analyze_audio(np.zeros(5 * 16000, np.float32), 16000, load_voice_model(trained))


def test_evaluate_without_a_model_says_how_to_make_one(
    corpora: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", "voice", "--data", str(corpora[0]), "--model", str(tmp_path)]) == 2
    assert "python -m emotion train voice" in capsys.readouterr().err
