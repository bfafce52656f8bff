"""Boxes and captions drawn on photos and frames."""

from __future__ import annotations

import numpy as np

from emotion.face.analysis import FaceResult
from emotion.face.detection import Box
from emotion.face.drawing import BOX_COLOR, draw_faces, face_caption
from emotion.labels import EMOTIONS

HAPPY = FaceResult(
    Box(100, 120, 80, 80), dict(zip(EMOTIONS, [0, 0, 0, 0.87, 0.13, 0, 0], strict=True))
)
SAD = FaceResult(Box(300, 5, 40, 40), dict(zip(EMOTIONS, [0, 0, 0, 0, 0.3, 0.7, 0], strict=True)))


def is_box_color(pixels: np.ndarray) -> np.ndarray:
    return np.all(pixels == BOX_COLOR, axis=-1)


def test_caption_names_the_face_its_emotion_and_confidence() -> None:
    assert face_caption(HAPPY, 1) == "1: happy 87%"
    assert face_caption(SAD) == "sad 70%"


def test_every_face_gets_a_box_and_the_input_is_untouched() -> None:
    image = np.zeros((480, 640, 3), np.uint8)
    drawn = draw_faces(image, [HAPPY, SAD])
    assert not image.any()
    assert is_box_color(drawn[120:201, 100]).all()  # left edge of the first box
    assert is_box_color(drawn[30:46, 339]).all()  # right edge of the second box
    assert is_box_color(drawn[100:119, 100:150]).any()  # caption band above the first box
    assert not is_box_color(drawn[300:, :]).any()  # nothing drawn far from the faces


def test_gray_and_rgba_images_come_back_rgb() -> None:
    assert draw_faces(np.zeros((240, 320), np.uint8), [HAPPY]).shape == (240, 320, 3)
    assert draw_faces(np.zeros((240, 320, 4), np.uint8), [HAPPY]).shape == (240, 320, 3)


def test_no_faces_leaves_the_picture_as_it_was() -> None:
    image = np.random.default_rng(0).integers(0, 255, (100, 100, 3), dtype=np.uint8)
    assert np.array_equal(draw_faces(image, []), image)
