"""Faces from every dataset: loading through the detector, sampling by domain, the camera
changes, leave-one-dataset-out and the served model's training, on generated data."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from emotion.cli import main
from emotion.datasets import DatasetError, load_records
from emotion.face.architectures import build_face_cnn
from emotion.face.augment import domain_shift, random_blur, random_jpeg, random_resolution
from emotion.face.build import train_face_domains
from emotion.face.domain_training import (
    DomainTrainSettings,
    drawn_class_weights,
    recipe_name,
    sampling_probabilities,
)
from emotion.face.domains import DOMAIN_NAMES, DomainFaces, load_domains
from emotion.face.lodo import domain_scores, equal_domain_temperature, format_lodo, lodo, summary
from emotion.labels import EMOTIONS
from emotion.litert import LiteRTModel

TINY = DomainTrainSettings(epochs=1, steps=2, batch_size=8)
FER_FOLDERS = ("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise")


def faces_of(sizes: dict[str, int]) -> DomainFaces:
    """Random faces: `sizes[name]` rows of each named domain, labels cycling over the seven."""
    rng = np.random.default_rng(0)
    domains = np.concatenate([[DOMAIN_NAMES.index(n)] * k for n, k in sizes.items()])
    n = len(domains)
    return DomainFaces(
        rng.integers(0, 256, (n, 48, 48), dtype=np.uint8),
        np.arange(n) % 7,
        domains,
        np.array(["train", "train", "val"] * n)[:n],
        np.ones(n, bool),
    )


def test_fer2013_gets_its_share_and_the_others_split_the_rest_by_square_root_of_size() -> None:
    faces = faces_of({"fer2013": 900, "jaffe": 100, "london_faces": 400})
    chances = sampling_probabilities(faces, np.ones(1400, bool), fer_share=0.5)
    assert chances.sum() == pytest.approx(1.0)
    share = {name: chances[faces.of(name)].sum() for name in ("fer2013", "jaffe", "london_faces")}
    assert share["fer2013"] == pytest.approx(0.5)
    assert share["london_faces"] / share["jaffe"] == pytest.approx(2.0)  # sqrt(400 / 100)
    assert np.ptp(chances[faces.of("jaffe")]) == 0  # every face of a domain equally likely
    alone = sampling_probabilities(faces, ~faces.of("fer2013"), fer_share=0.5)
    assert alone.sum() == pytest.approx(1.0) and not alone[faces.of("fer2013")].any()


def test_class_weights_follow_what_is_drawn_not_what_is_stored() -> None:
    labels = np.array([0, 0, 0, 1])
    weights = drawn_class_weights(labels, np.array([0.1, 0.1, 0.1, 0.7]), power=1.0)
    assert weights[1] < weights[0]  # class 1 is drawn 70% of the time
    drawn = np.bincount(labels, weights=[0.1, 0.1, 0.1, 0.7], minlength=7)
    assert np.sum(drawn * weights) == pytest.approx(1.0)


def test_recipes_are_named_by_how_they_differ_from_the_served_one() -> None:
    assert recipe_name(DomainTrainSettings()) == "served"
    assert recipe_name(DomainTrainSettings(domain_augment=False)) == "domain_augment=False"


def test_camera_changes_keep_the_face_shape_and_change_its_detail() -> None:
    rng = np.random.default_rng(1)
    face = rng.integers(0, 256, (48, 48), dtype=np.uint8)  # all fine detail
    for change in (random_resolution, random_jpeg, random_blur, domain_shift):
        changed = change(face, rng)
        assert changed.shape == (48, 48) and changed.dtype == np.uint8

    def detail(image: np.ndarray) -> float:
        return float(np.abs(cv2.Laplacian(image.astype(np.float32), cv2.CV_32F)).mean())

    assert detail(random_resolution(face, rng)) < 0.8 * detail(face)
    assert detail(random_blur(face, rng)) < 0.8 * detail(face)
    assert not np.array_equal(random_jpeg(face, rng), face)


def test_domain_scores_count_photos_without_a_face_as_misses() -> None:
    labels = np.array([3, 3, 4, 4])
    found = np.array([True, True, True, False])
    probabilities = np.eye(7)[[3, 4, 4]] * 0.9 + 0.1 / 7
    scores = domain_scores(probabilities, labels, found)
    assert scores["n"] == 4 and scores["missed"] == 1
    assert scores["accuracy"] == pytest.approx(0.5)
    assert scores["per_class_recall"]["happy"] == pytest.approx(0.5)
    assert scores["per_class_recall"]["neutral"] == pytest.approx(0.5)
    assert scores["ece"] == pytest.approx(abs(2 / 3 - probabilities.max(axis=1).mean()))


def test_the_lodo_summary_is_the_mean_over_datasets_and_names_the_worst() -> None:
    table = {
        "jaffe": {"accuracy": 0.5, "macro_f1": 0.4, "ece": 0.1},
        "yalefaces": {"accuracy": 0.9, "macro_f1": 0.8, "ece": 0.05},
    }
    assert summary(table) == pytest.approx(
        {"mean_accuracy": 0.7, "mean_macro_f1": 0.6, "lowest_accuracy": 0.5, "highest_ece": 0.1}
    )


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data root with a small FER2013 (stripes), JAFFE and London set (a real JAFFE face,
    pasted on a larger photo so that the detector must find it)."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "data"
    source = shared / "jaffe" / "KA.HA1.29.tiff"
    if not source.is_file():
        pytest.skip("the JAFFE photo the generated photos show is not here")
    face = np.asarray(Image.open(source).convert("L"))
    root = tmp_path_factory.mktemp("data")
    rng = np.random.default_rng(0)
    for i, folder in enumerate(FER_FOLDERS):
        for n in range(6):
            split, prefix = ("val", "PublicTest") if n < 2 else ("train", "Training")
            path = root / "fer2013" / split / folder / f"{prefix}_{i}{n}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(rng.integers(0, 256, (48, 48), dtype=np.uint8)).save(path)

    def photo(path: Path, brightness: int) -> None:
        canvas = np.full((320, 320, 3), 200, np.uint8)
        canvas[32:288, 32:288] = np.clip(face.astype(int) + brightness, 0, 255)[..., None]
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(canvas).save(path)

    for subject, code in enumerate(("KA", "KL", "KM", "KR")):
        for emotion in ("AN", "HA", "NE"):
            photo(root / "jaffe" / f"{code}.{emotion}1.{subject}.tiff", 10 * subject)
    for subject in range(1, 7):
        photo(root / "london_faces" / "neutral_front" / f"{subject:03d}_03.jpg", -subject)
        photo(root / "london_faces" / "smiling_front" / f"{subject:03d}_08.jpg", subject)
    blank = root / "london_faces" / "neutral_front" / "099_03.jpg"
    Image.fromarray(np.full((64, 64, 3), 128, np.uint8)).save(blank)  # no face in it
    return root


def test_the_london_set_is_read_with_subjects_as_groups(data_root: Path) -> None:
    records = load_records("london_faces", data_root / "london_faces")
    assert len(records) == 13
    assert {r.label for r in records} == {"neutral", "happy"}
    assert {r.group for r in records if r.path.stem.startswith("003")} == {"003"}


def test_domains_are_read_through_the_detector(data_root: Path, tmp_path: Path) -> None:
    faces = load_domains(data_root, tmp_path)
    assert int(np.sum(faces.of("fer2013"))) == 42
    assert set(faces.splits[faces.of("fer2013")]) == {"train", "val"}
    jaffe = faces.of("jaffe")
    assert int(np.sum(jaffe)) == 12 and faces.found[jaffe].all()
    london = faces.select(faces.of("london_faces"))
    assert len(london.labels) == 13 and int(np.sum(~london.found)) == 1
    assert not london.pixels[~london.found].any()
    assert 40 < london.pixels[london.found].mean() < 220  # a face crop, not the blank canvas
    cached = load_domains(data_root, tmp_path)
    assert np.array_equal(cached.pixels, faces.pixels)


def test_lodo_scores_each_dataset_with_a_model_that_never_saw_it(
    data_root: Path, tmp_path: Path
) -> None:
    faces = load_domains(data_root, tmp_path / "cache")
    base = tmp_path / "face.base.keras"
    build_face_cnn().save(base)
    result = lodo(faces, TINY, base, tmp_path / "work")
    assert list(result["domains"]) == ["fer2013", "jaffe", "london_faces"]
    assert result["domains"]["fer2013"]["started_from"] == "scratch"
    assert result["domains"]["jaffe"]["started_from"].startswith("base model")
    london = result["domains"]["london_faces"]
    assert london["n"] == 13 and london["missed"] == 1
    assert 0 <= london["ece"] <= 1 and london["per_class_recall"]["anger"] is None
    assert result["mean_accuracy"] == pytest.approx(
        np.mean([row["accuracy"] for row in result["domains"].values()])
    )
    reference = result["base_model"]["domains"]
    assert reference["fer2013"]["n"] == 14 and reference["london_faces"]["n"] == 13  # FER2013: val
    assert "london_faces" in format_lodo(result, "recipe: served")
    # calibrated for sources never trained on: by the other datasets' left-out faces
    calibration = result["calibration"]
    assert 0.05 <= calibration["temperature"] <= 20
    # fitted on the folds that start from the base network, as the served model does
    for name, others in (("fer2013", ["jaffe", "london_faces"]), ("jaffe", ["london_faces"])):
        row = result["domains"][name]
        kept = {d: np.load(tmp_path / "work" / f"{d}.{recipe_name(TINY)}.npy") for d in others}
        labels = {d: faces.labels[faces.of(d) & faces.found] for d in others}
        assert row["temperature"] == pytest.approx(equal_domain_temperature(kept, labels))
        assert row == {**row, **calibration["domains"][name]} and "ece_val_subjects" in row
    finished = tmp_path / "work" / f"jaffe.{recipe_name(TINY)}.json"
    finished.write_text(json.dumps({**london, "accuracy": 0.1}))
    again = lodo(faces, TINY, base, tmp_path / "work")  # finished folds are not redone
    assert again["domains"]["jaffe"]["accuracy"] == 0.1
    (tmp_path / "work" / f"jaffe.{recipe_name(TINY)}.npy").unlink()
    rescored = lodo(faces, TINY, base, tmp_path / "work")  # a fold without its probabilities is
    assert rescored["domains"]["jaffe"]["accuracy"] != 0.1  # scored again (its network kept)


def test_a_recipe_served_with_the_base_network_reuses_the_trained_folds(
    data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    faces = load_domains(data_root, tmp_path / "cache")
    base = tmp_path / "face.base.keras"
    build_face_cnn().save(base)
    alone = lodo(faces, TINY, base, tmp_path / "work")
    assert (tmp_path / "work" / "jaffe.keras").is_file()

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("a kept fold network was trained again")

    monkeypatch.setattr("emotion.face.lodo.train_on_domains", no_training)
    mixed = lodo(faces, replace(TINY, base_weight=0.5), base, tmp_path / "work")
    assert mixed["settings"]["base_weight"] == 0.5
    assert mixed["domains"]["fer2013"]["accuracy"] == alone["domains"]["fer2013"]["accuracy"]
    kept = np.load(tmp_path / "work" / f"jaffe.{recipe_name(replace(TINY, base_weight=0.5))}.npy")
    assert kept.shape == (12, 7) and np.allclose(kept.sum(axis=1), 1, atol=1e-4)


def test_the_served_model_trains_on_every_dataset(data_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "models"
    out.mkdir()
    build_face_cnn().save(out / "face.base.keras")
    unseen = {"data": "faces from datasets never trained on", "temperature": 1.3}
    lodo_table = {recipe_name(TINY): {"mean": 1, "calibration": unseen}}
    (out / "face.metrics.json").write_text(json.dumps({"lodo": lodo_table}))
    metrics = train_face_domains(data_root, out, tmp_path / "work", TINY, tmp_path / "cache")
    assert (out / "face.tflite").is_file() and (out / "face.keras").is_file()
    written = json.loads((out / "face.metrics.json").read_text())
    assert written == json.loads(json.dumps(metrics))
    assert written["lodo"] == lodo_table  # the recipe's table is kept, and its temperature served
    assert written["calibration"]["temperature"] == 1.3
    assert set(written["data"]) == {"fer2013", "jaffe", "london_faces"}
    assert written["data"]["london_faces"]["faces_found"] == 12
    assert written["n"] == 14 and set(written["per_class_recall"]) == set(EMOTIONS)
    served = LiteRTModel(out / "face.tflite")({"face": np.full((48, 48), 0.5, np.float32)})
    assert served.shape == (7,) and served.sum() == pytest.approx(1.0, abs=1e-4)


def test_lodo_needs_two_datasets(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="at least two"):
        lodo(faces_of({"jaffe": 4}), TINY, tmp_path / "base.keras", tmp_path)
    assert main(["evaluate", "face", "--lodo", "--data", str(tmp_path)]) == 2
