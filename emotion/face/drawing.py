"""Drawing each face's box and label onto a photo or frame, for the user to see."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from emotion.face.analysis import FaceResult

BOX_COLOR = (0, 255, 0)
TEXT_COLOR = (0, 0, 0)


def face_caption(face: FaceResult, number: int | None = None) -> str:
    """`"1: happy 87%"`: the face's number (when given), its emotion and how sure the model is."""
    prefix = f"{number}: " if number is not None else ""
    return f"{prefix}{face.label} {face.probabilities[face.label]:.0%}"


def draw_faces(image: np.ndarray, faces: Sequence[FaceResult], numbered: bool = True) -> np.ndarray:
    """A copy of the RGB `image` with a green box and a caption on every face.

    Line width and text size follow the image size, so captions stay readable on a 4000 px photo
    and small on a 640x480 frame. Faces are numbered from 1 (largest first) when `numbered`.
    """
    out = np.ascontiguousarray(image[..., :3] if image.ndim == 3 else np.dstack([image] * 3))
    out = out.copy()
    scale = max(out.shape[:2]) / 640
    thickness = max(1, round(2 * scale))
    font_scale = 0.6 * scale
    for number, face in enumerate(faces, start=1):
        x, y, width, height = face.box.as_tuple()
        cv2.rectangle(out, (x, y), (x + width, y + height), BOX_COLOR, thickness)
        caption = face_caption(face, number if numbered else None)
        (text_w, text_h), base = cv2.getTextSize(
            caption, cv2.FONT_HERSHEY_SIMPLEX, font_scale, thickness
        )
        top = y - text_h - base - 2 * thickness if y >= text_h + base + 2 * thickness else y
        cv2.rectangle(
            out,
            (x, top),
            (x + text_w + 2 * thickness, top + text_h + base + 2 * thickness),
            BOX_COLOR,
            cv2.FILLED,
        )
        cv2.putText(
            out,
            caption,
            (x + thickness, top + text_h + thickness),
            cv2.FONT_HERSHEY_SIMPLEX,
            font_scale,
            TEXT_COLOR,
            thickness,
            cv2.LINE_AA,
        )
    return out
