"""Smoke training of the face models on generated images: the real commands, end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from emotion.backend import keras
from emotion.cli import main
from emotion.face.analysis import analyze_image, analyze_image_file
from emotion.face.architectures import build_face_cnn, with_flip_average
from emotion.face.augment import augmented, random_erasing, random_lighting
from emotion.face.dataset import deduplicate
from emotion.face.distillation import distilled, ensemble_probabilities
from emotion.face.portable import main as portable_main
from emotion.face.training import FaceTrainSettings, class_weights, starting_cnn
from emotion.fitting import TrainingClock, budget_schedule, epoch_log, epochs_csv
from emotion.labels import EMOTIONS
from emotion.litert import LiteRTModel, export_litert, round_weights_to_int8
from emotion.run_log import read_runs

FOLDERS = ("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise")


@pytest.fixture(scope="module")
def fake_fer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """FER2013's folder layout: 48x48 gray faces whose stripe angle depends on the emotion."""
    root = tmp_path_factory.mktemp("fer2013")
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:48, 0:48]
    for i, folder in enumerate(FOLDERS):
        angle = np.pi * i / len(FOLDERS)
        for n in range(14):
            split, prefix = ("val", "PublicTest") if n < 4 else ("train", "Training")
            stripes = np.sin((x * np.cos(angle) + y * np.sin(angle)) / 3 + rng.uniform(0, 6))
            pixels = (127 + 100 * stripes + rng.normal(0, 10, (48, 48))).clip(0, 255)
            path = root / split / folder / f"{prefix}_{i}{n}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(pixels.astype(np.uint8)).save(path)
    return root


@pytest.fixture(scope="module")
def trained(fake_fer: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The models folder written by `python -m emotion train face` on the generated faces."""
    out = tmp_path_factory.mktemp("models")
    args = ["train", "face", "--data", str(fake_fer), "--out", str(out), "--cnn-epochs", "2"]
    args += ["--ann-epochs", "2", "--work-dir", str(out / "work"), "--cache-dir", str(out / "c")]
    assert main(args) == 0
    return out


def test_training_writes_model_export_and_metrics(trained: Path) -> None:
    assert (trained / "face.keras").is_file() and (trained / "face.tflite").is_file()
    metrics = json.loads((trained / "face.metrics.json").read_text())
    assert metrics["chosen"] in {"ann", "cnn", "cnn_flip"}
    assert set(metrics["models"]) == {"ann", "cnn", "cnn_flip"}
    assert metrics["n"] == 28 and metrics["data"]["train_after_deduplication"] == 70
    assert set(metrics["per_class_recall"]) == set(EMOTIONS)
    assert len(metrics["confusion"]) == 7
    assert metrics["litert_val_agreement"] >= 0.995
    assert metrics["training_seconds"] >= 0 and "commit" in metrics
    assert not (trained / "work").exists()
    calibration = metrics["calibration"]
    assert calibration["n"] == 28 and 0.05 <= calibration["temperature"] <= 20
    assert 0 <= calibration["ece_after"] <= 1 and len(calibration["reliability_before"]) == 10


def test_each_training_run_is_logged_with_its_epochs(trained: Path) -> None:
    (run,) = read_runs(trained)
    metrics = json.loads((trained / "face.metrics.json").read_text())
    assert run["command"] == "train face" and run["chosen"] == metrics["chosen"]
    assert run["val"] == {"accuracy": metrics["accuracy"], "macro_f1": metrics["macro_f1"]}
    assert run["settings"]["cnn_epochs"] == 2 and run["commit"] == metrics["commit"]
    for candidate in ("ann", "cnn"):
        assert [epoch["epoch"] for epoch in run["epochs"][candidate]] == [1, 2]
        assert all(0 <= epoch["val_macro_f1"] <= 1 for epoch in run["epochs"][candidate])


def test_an_epoch_logged_twice_around_an_interruption_counts_once(tmp_path: Path) -> None:
    header = "epoch,accuracy,loss,val_accuracy,val_macro_f1\n"
    rows = ["0,0.2,2.0,0.25,0.1", "1,0.3,1.9,0.3,0.2", "1,0.35,1.8,0.32,0.22", "2,0.4,1.7,0.4,0.3"]
    epochs_csv(tmp_path, "face_cnn").write_text(header + "\n".join(rows) + "\n")
    log = epoch_log(tmp_path, "face_cnn")
    assert [epoch["epoch"] for epoch in log] == [1, 2, 3]
    assert log[1] == {"epoch": 2, "accuracy": 0.35, "val_accuracy": 0.32, "val_macro_f1": 0.22}
    assert epoch_log(tmp_path, "face_ann") == []


def test_calibrate_command_fits_the_served_models_temperature(
    trained: Path, fake_fer: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calibrate", "face", "--data", str(fake_fer), "--models", str(trained)]) == 0
    printed = capsys.readouterr().out
    metrics = json.loads((trained / "face.metrics.json").read_text())
    assert f"temperature {metrics['calibration']['temperature']:.3f} on 28 val faces" in printed


def test_evaluate_scores_cropped_faces_or_detects_first(
    trained: Path, fake_fer: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["evaluate", "face", "--data", str(fake_fer), "--model", str(trained / "face.tflite")]
    assert main([*args, "--split", "val", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == 28 and report["missed"] == 0 and report["detector"] is None
    assert main([*args, "--split", "val", "--detect", "--json"]) == 0
    detected = json.loads(capsys.readouterr().out)
    assert detected["missed"] == 28 and detected["accuracy"] == 0.0  # stripes are not faces


def test_images_without_faces_give_no_results(trained: Path) -> None:
    model = LiteRTModel(trained / "face.tflite")
    assert analyze_image(np.full((480, 640, 3), 90, np.uint8), model) == []


def test_every_face_in_a_photo_gets_a_box_and_probabilities(
    trained: Path, shared_data: Path
) -> None:
    model = LiteRTModel(trained / "face.tflite")
    (face,) = analyze_image_file(shared_data / "yalefaces" / "subject01.happy", model)
    assert face.box.width > 60
    assert list(face.probabilities) == list(EMOTIONS) and face.label in EMOTIONS
    assert sum(face.probabilities.values()) == pytest.approx(1.0, abs=1e-4)


def test_deduplication_drops_leaks_conflicts_and_copies() -> None:
    a, b, c, d = (np.full((48, 48), value, np.uint8) for value in (1, 2, 3, 4))
    pixels = np.stack([a, a, b, b, c, c, d])
    labels = np.array([0, 0, 1, 2, 3, 3, 4])
    splits = np.array(["train", "train", "train", "train", "train", "val", "train"])
    assert deduplicate(pixels, labels, splits).tolist() == [0, 5, 6]


def test_random_erasing_hides_one_patch_and_lighting_stays_in_range() -> None:
    face = np.full((48, 48), 128, np.uint8)
    rng = np.random.default_rng(3)
    erased = [random_erasing(face, rng, chance=1.0) for _ in range(50)]
    for changed in erased:
        rows, columns = np.nonzero(changed != 128)
        hidden = (rows.max() - rows.min() + 1) * (columns.max() - columns.min() + 1)
        assert 0.02 * 48 * 48 * 0.5 <= hidden <= 0.2 * 48 * 48 * 1.5  # one rectangle
    assert random_erasing(face, rng, chance=0.0) is face
    bright = np.full((48, 48), 250, np.uint8)
    lit = [random_lighting(bright, rng) for _ in range(50)]
    assert all(image.dtype == np.uint8 for image in lit)
    assert len({int(image.mean()) for image in lit}) > 10  # brightness varies, clipped at 255
    assert augmented(face, rng).shape == (48, 48)


def test_class_weights_lift_rare_classes_by_the_chosen_power() -> None:
    labels = np.array([0] * 90 + [1] * 10)
    balanced, softer = class_weights(labels, 1.0), class_weights(labels, 0.5)
    assert balanced[1] / balanced[0] == pytest.approx(9)
    assert softer[1] / softer[0] == pytest.approx(3)
    assert np.mean(softer[labels]) == pytest.approx(1)


def test_mirror_averaged_model_is_mirror_invariant_and_reloads_safely(tmp_path: Path) -> None:
    model = with_flip_average(build_face_cnn(widths=(4, 8), convs=(1, 1)))
    faces = np.random.default_rng(1).random((3, 48, 48)).astype(np.float32)
    original = model.predict(faces, verbose=0)
    np.testing.assert_allclose(model.predict(faces[:, :, ::-1], verbose=0), original, atol=1e-6)
    model.save(tmp_path / "face.keras")
    reloaded = keras().models.load_model(tmp_path / "face.keras")  # safe mode: no Lambda
    np.testing.assert_allclose(reloaded.predict(faces, verbose=0), original, atol=1e-6)


def test_a_warm_restart_starts_the_cnn_from_a_saved_model(tmp_path: Path) -> None:
    keras().utils.set_random_seed(1)
    saved = with_flip_average(build_face_cnn())
    saved.save(tmp_path / "face.keras")
    started = starting_cnn(FaceTrainSettings(init_from=str(tmp_path / "face.keras")))
    fresh = starting_cnn(FaceTrainSettings()).get_weights()
    trained = saved.get_layer("face_cnn").get_weights()
    for mine, theirs in zip(started.get_weights(), trained, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    assert not all(np.array_equal(a, b) for a, b in zip(fresh, trained, strict=True))


def test_int8_rounded_weights_export_to_the_same_model(tmp_path: Path) -> None:
    keras().utils.set_random_seed(2)
    model = with_flip_average(build_face_cnn(widths=(8, 16, 32), convs=(1, 1, 1)))
    before = {w.path: w.numpy() for w in model.weights}
    round_weights_to_int8(model)
    small = model.get_layer("face_cnn").layers[-1].kernel  # the softmax Dense, 32 x 7
    assert small.shape == (32, 7) and np.array_equal(small.numpy(), before[small.path])
    for weight in model.get_layer("face_cnn").weights:
        value = weight.numpy()
        if weight.path.endswith("kernel") and value.size >= 1024:
            steps = np.abs(value).max(axis=(0, 1, 2)) / 127
            levels = value / steps
            np.testing.assert_allclose(levels, np.round(levels), atol=1e-3)
            assert not np.array_equal(value, before[weight.path])
    faces = np.random.default_rng(3).random((20, 48, 48)).astype(np.float32)
    served = LiteRTModel(export_litert(model, tmp_path / "face.tflite", quantize=True))
    exported = np.stack([served({"face": face}) for face in faces])
    np.testing.assert_allclose(exported, model.predict(faces, verbose=0), atol=2e-3)


class MirrorSensitiveTeacher:
    """A stand-in teacher whose answer depends on which side of the face is brighter."""

    def predict_on_batch(self, faces: np.ndarray) -> np.ndarray:
        left = faces[:, :, :24].mean(axis=(1, 2)) > faces[:, :, 24:].mean(axis=(1, 2))
        return np.eye(len(EMOTIONS), dtype=np.float32)[np.where(left, 3, 5)]


def test_distilled_targets_mix_the_teachers_mirror_average_with_the_label() -> None:
    faces = np.zeros((2, 48, 48), np.float32)
    faces[:, :, :24] = 1.0
    labels = np.eye(len(EMOTIONS), dtype=np.float32)[[0, 0]]
    teachers = [MirrorSensitiveTeacher()]
    probabilities = ensemble_probabilities(teachers, faces)
    np.testing.assert_allclose(probabilities[:, [3, 5]], 0.5)  # the face and its mirror
    weights = np.ones(2, np.float32)
    ((same, targets, kept),) = list(distilled(iter([(faces, labels, weights)]), teachers, 0.8))
    assert same is faces and kept is weights
    np.testing.assert_allclose(targets[:, [0, 3, 5]], [[0.2, 0.4, 0.4]] * 2, atol=1e-6)
    np.testing.assert_allclose(targets.sum(axis=1), 1.0, atol=1e-6)


def test_a_time_budget_sets_a_cosine_learning_rate_and_stops_when_spent(tmp_path: Path) -> None:
    model = build_face_cnn(widths=(4,), convs=(1,))
    model.compile(optimizer=keras().optimizers.AdamW(1e-3), loss="categorical_crossentropy")
    (tmp_path / "training_seconds").write_text("50")
    budget = TrainingClock(tmp_path)  # half of 100 s already spent, by an earlier run
    callback = budget_schedule(model, 1e-3, 100, budget)
    callback.on_epoch_begin(0, {})
    assert float(model.optimizer.learning_rate) == pytest.approx(5e-4, rel=0.02)
    callback.on_epoch_end(0, {})
    assert not model.stop_training
    (tmp_path / "training_seconds").write_text("100")
    spent = TrainingClock(tmp_path)
    finished = budget_schedule(model, 1e-3, 100, spent)
    finished.on_epoch_begin(1, {})
    assert float(model.optimizer.learning_rate) == pytest.approx(0.0, abs=1e-9)
    finished.on_epoch_end(1, {})
    assert model.stop_training


def test_teachers_and_a_student_trained_anywhere_export_to_the_served_files(
    fake_fer: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--data", str(fake_fer), "--minutes", "0.001", "--cache-dir", str(tmp_path / "c")]
    common += ["--work-dir", str(tmp_path / "work")]
    teacher = tmp_path / "teacher.keras"
    assert portable_main(["teacher", *common, "--architecture", "deep", "--out", str(teacher)]) == 0
    student = tmp_path / "student.keras"
    assert (
        portable_main(["student", *common, "--teachers", str(teacher), "--out", str(student)]) == 0
    )
    assert not (tmp_path / "work").exists()
    runs = read_runs(tmp_path)
    assert [run["command"] for run in runs] == ["portable teacher (deep)", "portable student"]
    assert all(run["epochs"]["cnn"][0]["epoch"] == 1 for run in runs)
    described = json.loads(student.with_suffix(".json").read_text())
    assert described["role"] == "student" and described["settings"]["teachers"] == [str(teacher)]
    assert set(described["teachers_val"]) == {"accuracy", "macro_f1"}
    assert described["keras_backend"] == "tensorflow" and described["precision"] == "float32"
    capsys.readouterr()
    out = tmp_path / "models"
    export = ["export", "face", "--data", str(fake_fer), "--cache-dir", str(tmp_path / "c")]
    assert main([*export, "--model", str(student), "--out", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 28
    metrics = json.loads((out / "face.metrics.json").read_text())
    assert set(metrics["models"]) == {"cnn", "cnn_flip"} and (out / "face.tflite").is_file()
    assert metrics["trained_elsewhere"]["role"] == "student" and "calibration" in metrics
    assert metrics["settings"]["minutes"] == 0.001
    assert main([*export, "--model", str(tmp_path / "none.keras")]) == 2


def test_a_bfloat16_teacher_trained_on_jax_loads_and_scores_on_tensorflow(
    fake_fer: Path, tmp_path: Path
) -> None:
    out = tmp_path / "teacher.keras"
    command = [sys.executable, "-m", "emotion.face.portable", "teacher", "--data", str(fake_fer)]
    command += ["--minutes", "0.001", "--out", str(out), "--cache-dir", str(tmp_path / "c")]
    command += ["--work-dir", str(tmp_path / "work"), "--precision", "mixed_bfloat16"]
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    described = json.loads(out.with_suffix(".json").read_text())
    assert described["keras_backend"] == "jax" and described["precision"] == "mixed_bfloat16"
    teacher = keras().models.load_model(out)
    faces = np.random.default_rng(4).random((3, 48, 48)).astype(np.float32)
    probabilities = teacher.predict(faces, verbose=0)
    assert probabilities.shape == (3, 7)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
