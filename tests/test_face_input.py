"""Face input: reading every accepted image kind, preprocessing, and finding faces."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from media import write_image
from PIL import Image, ImageOps

from emotion.face.detection import (
    DETECTORS,
    Box,
    Detector,
    confirmed_faces,
    detect_at_scale,
    detect_faces,
    detection_scale,
    one_box_per_face,
    overlap,
)
from emotion.face.errors import ImageError
from emotion.face.images import load_image
from emotion.face.preprocess import FACE_SIZE, crop, face_input, to_gray


@pytest.mark.parametrize(
    ("name", "mode"),
    [
        ("a.jpg", "RGB"),
        ("b.png", "L"),
        ("c.png", "RGBA"),
        ("d.webp", "RGB"),
        ("e.bmp", "RGB"),
        ("f.tiff", "L"),
        ("g.gif", "P"),
    ],
)
def test_loads_every_accepted_image_as_rgb(tmp_path: Path, name: str, mode: str) -> None:
    path = write_image(tmp_path / name, (64, 40), mode)
    image = load_image(path)
    assert image.shape == (40, 64, 3) and image.dtype == np.uint8
    assert np.array_equal(load_image(path.read_bytes()), image)


def test_sixteen_bit_and_transparent_images_are_converted() -> None:
    deep = Image.fromarray((np.arange(64 * 32).reshape(32, 64) * 30).astype(np.uint16))
    buffer = io.BytesIO()
    deep.save(buffer, format="PNG")
    image = load_image(buffer.getvalue())
    assert image.shape == (32, 64, 3) and image.max() == 255
    clear = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    buffer = io.BytesIO()
    clear.save(buffer, format="PNG")
    assert (load_image(buffer.getvalue()) == 255).all()  # transparent -> white, not black


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_jpeg_pixels_and_orientation_match_pillow(
    tmp_path: Path, orientation: int, mode: str
) -> None:
    rng = np.random.default_rng(orientation)
    pixels = cv2.GaussianBlur(rng.integers(0, 256, (30, 50, 3), dtype=np.uint8), (5, 5), 0)
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "photo.jpg"
    Image.fromarray(pixels).convert(mode).save(path, exif=exif, quality=90)
    with Image.open(path) as image:
        expected = np.asarray(ImageOps.exif_transpose(image).convert("RGB"))
    np.testing.assert_array_equal(load_image(path), expected)
    truncated = path.read_bytes()[:-200]
    with pytest.raises(ImageError, match="could not be read"):
        load_image(truncated)


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    pixels = np.zeros((20, 60, 3), np.uint8)
    pixels[:, :10] = 255  # a white band on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90 degrees clockwise to view
    path = tmp_path / "phone.jpg"
    Image.fromarray(pixels).save(path, exif=exif, quality=95)
    upright = load_image(path)
    assert upright.shape == (60, 20, 3)
    assert upright[:10].mean() > 200 and upright[-10:].mean() < 50  # the band is now on top


def test_unreadable_and_oversized_images_get_clear_messages(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="could not be read as an image"):
        load_image(b"not an image")
    with pytest.raises(ImageError, match="no image file"):
        load_image(tmp_path / "missing.png")
    huge = tmp_path / "huge.png"
    Image.new("L", (10_000, 6_000)).save(huge)
    with pytest.raises(ImageError, match="too large"):
        load_image(huge)


def test_preprocessing_crops_grays_resizes_and_scales() -> None:
    rgba = np.zeros((100, 80, 4), np.uint8)
    rgba[..., 0] = 255
    gray = to_gray(rgba)
    assert gray.shape == (100, 80) and gray[0, 0] == 76  # BT.601 luma of pure red
    assert to_gray(gray) is gray
    assert crop(gray, (-10, 90, 30, 30)).shape == (10, 20)
    face = face_input(np.full((120, 120), 255, np.uint8))
    assert face.shape == (FACE_SIZE, FACE_SIZE) and face.dtype == np.float32
    assert face.min() == face.max() == 1.0
    assert face_input(np.zeros((20, 30), np.uint8)).shape == (FACE_SIZE, FACE_SIZE)


def test_detection_scale_halves_a_vga_frame_and_enlarges_small_images() -> None:
    assert detection_scale(480, 640) == 0.5
    assert detection_scale(48, 48) == pytest.approx(200 / 48)
    assert detection_scale(250, 250) == 1.0


@pytest.mark.parametrize("detector", DETECTORS)
def test_no_face_in_a_blank_image(detector: Detector) -> None:
    assert detect_faces(np.full((480, 640, 3), 127, np.uint8), detector) == []


@pytest.fixture
def jaffe_face(shared_data: Path) -> np.ndarray:
    """A real JAFFE photo (256x256, one face, not cropped tightly)."""
    return load_image(shared_data / "jaffe" / "KA.AN1.39.tiff")


@pytest.mark.parametrize("detector", DETECTORS)
def test_finds_the_face_in_a_frame_in_every_colour_format(
    jaffe_face: np.ndarray, detector: Detector
) -> None:
    frame = np.full((480, 640, 3), 128, np.uint8)
    frame[100:356, 200:456] = jaffe_face
    rgba = np.dstack([frame, np.full(frame.shape[:2], 255, np.uint8)])
    for image in (frame, rgba, to_gray(frame)):
        faces = detect_faces(image, detector)
        assert len(faces) == 1
        box = faces[0]
        assert 200 < box.x + box.width / 2 < 456 and 100 < box.y + box.height / 2 < 356


@pytest.mark.parametrize("detector", DETECTORS)
def test_finds_several_faces_largest_first(jaffe_face: np.ndarray, detector: Detector) -> None:
    smaller = cv2.resize(jaffe_face, (192, 192))
    frame = np.full((480, 640, 3), 128, np.uint8)
    frame[20:276, 20:276] = jaffe_face
    frame[260:452, 420:612] = smaller
    faces = detect_faces(frame, detector)
    assert len(faces) == 2
    assert faces[0].area > faces[1].area
    assert faces[1].x > 400


@pytest.mark.parametrize(
    ("name", "face"),
    [
        ("Terry_Stotts_0001.jpg", (35, 18, 306, 306)),  # a second box on the cheek
        ("Jackie_Chan_0006.jpg", (28, 26, 282, 282)),  # a second box on the forehead and eyes
        ("Celine_Dion_0006.jpg", (36, 23, 304, 304)),  # a second box on the chin
    ],
)
def test_a_box_inside_a_face_is_not_a_second_face(
    shared_data: Path, name: str, face: tuple[int, int, int, int]
) -> None:
    (box,) = detect_faces(load_image(shared_data / "facial_expressions" / "images" / name))
    assert box.as_tuple() == face and box.score > 0


@pytest.mark.parametrize("name", ["KA.AN1.39.tiff", "KR.DI2.87.tiff", "MK.DI3.130.tiff"])
def test_a_false_box_beside_the_face_is_dropped(shared_data: Path, name: str) -> None:
    photo = load_image(shared_data / "jaffe" / name)
    gray = to_gray(photo)
    cascade = one_box_per_face(detect_at_scale(gray, detection_scale(*gray.shape), "haar"))
    assert len(cascade) == 2  # the face and a smaller box on a shoulder or the hair
    (face,) = detect_faces(photo)
    assert face == cascade[0] and face.width > 140


def test_a_larger_false_box_in_a_studio_portrait_does_not_become_the_face() -> None:
    photo = load_image(Path(__file__).resolve().parents[1] / "examples" / "astronaut.jpg")
    gray = to_gray(photo)
    cascade = one_box_per_face(detect_at_scale(gray, detection_scale(*gray.shape), "haar"))
    assert len(cascade) == 2 and cascade[0].x > 280  # beside the face, larger than it
    (face,) = detect_faces(photo)
    assert face == cascade[1] and 170 < face.x < 180 and 60 < face.y < 70


def test_a_larger_false_box_from_mouth_to_chest_does_not_become_the_face(
    jaffe_face: np.ndarray,
) -> None:
    gray = to_gray(jaffe_face)
    (face,) = detect_faces(jaffe_face)
    chest = Box(face.x - 20, face.y + face.height * 2 // 3, face.width + 40, face.width + 40)
    assert chest.area > face.area
    assert confirmed_faces(gray, [chest, face]) == [face]


def test_boxes_are_kept_when_none_is_confirmed() -> None:
    blank = np.full((300, 300), 128, np.uint8)
    boxes = [Box(10, 10, 100, 100), Box(150, 150, 80, 80)]
    assert confirmed_faces(blank, boxes) == boxes
    assert confirmed_faces(blank, boxes[:1]) == boxes[:1]


def test_overlapping_boxes_keep_the_larger_and_separate_ones_stay() -> None:
    face, part, other = Box(0, 0, 100, 100, 1.0), Box(50, 50, 40, 40, 9.0), Box(300, 0, 90, 90)
    assert one_box_per_face([part, other, face]) == [face, other]
    assert overlap(face, part) == 1.0 and overlap(face, other) == 0.0


def test_finds_a_tiny_face_when_thorough(jaffe_face: np.ndarray) -> None:
    frame = np.full((480, 640, 3), 128, np.uint8)
    frame[200:264, 300:364] = cv2.resize(jaffe_face, (64, 64), interpolation=cv2.INTER_AREA)
    assert detect_faces(frame, thorough=False) == []
    (face,) = detect_faces(frame)
    assert isinstance(face, Box) and 290 < face.x < 340 and face.width < 64


def test_finds_a_face_that_fills_the_photo(jaffe_face: np.ndarray) -> None:
    tight = jaffe_face[90:196, 80:176]  # eyes to mouth, no margin: the cascade alone misses it
    gray = to_gray(tight)
    assert detect_at_scale(gray, detection_scale(*gray.shape), "haar") == []
    (face,) = detect_faces(tight)
    assert face.x >= 0 and face.y >= 0
    assert face.x + face.width <= 96 and face.y + face.height <= 106
    assert face.width > 80
