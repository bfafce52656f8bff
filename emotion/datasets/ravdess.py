"""RAVDESS: `Actor_NN/MM-VV-EE-II-SS-RR-AA.ext`, seven dash-separated two-digit fields.

Fields: modality, vocal channel, emotion, intensity, statement, repetition, actor. Emotion codes
01 neutral, 02 calm, 03 happy, 04 sad, 05 angry, 06 fearful, 07 disgust, 08 surprised.
Policy: calm is dropped (calm is not neutral: merging it taught the model that quiet, relaxed
speech is neutral, which other corpora do not share). The group is the actor, so splits are
speaker independent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.named import ParsedName, scan_named
from emotion.datasets.records import Record

NAME = "ravdess"
EMOTION_CODES: dict[str, tuple[str, str | None]] = {
    "01": ("neutral", "neutral"),
    "02": ("calm", None),
    "03": ("happy", "happy"),
    "04": ("sad", "sad"),
    "05": ("angry", "anger"),
    "06": ("fearful", "fear"),
    "07": ("disgust", "disgust"),
    "08": ("surprised", "surprise"),
}
_PATTERN = re.compile(r"^\d\d-\d\d-(?P<emotion>\d\d)-\d\d-\d\d-\d\d-(?P<actor>\d\d)$")


def parse_name(path: Path) -> ParsedName | None:
    """Read the emotion and actor out of a RAVDESS file name."""
    match = _PATTERN.match(path.stem)
    if match is None or match["emotion"] not in EMOTION_CODES:
        return None
    source, label = EMOTION_CODES[match["emotion"]]
    return ParsedName(source_label=source, label=label, group=f"Actor_{match['actor']}")


def scan(root: Path) -> Iterator[Record]:
    """Yield RAVDESS clips (any audio extension)."""
    return scan_named(iter_files(root, "audio"), "audio", NAME, parse_name)
