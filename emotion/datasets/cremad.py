"""CREMA-D: `1001_DFA_ANG_XX.wav`, actor_sentence_emotion_intensity.

Emotion codes ANG, DIS, FEA, HAP, NEU, SAD (CREMA-D has no surprise). The actor is the group.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.named import coded_name_parser, scan_named
from emotion.datasets.records import Record

NAME = "cremad"
EMOTION_CODES = {
    "ANG": "anger",
    "DIS": "disgust",
    "FEA": "fear",
    "HAP": "happy",
    "NEU": "neutral",
    "SAD": "sad",
}
parse_name = coded_name_parser(
    re.compile(r"^(?P<group>\d{4})_[A-Z]{3}_(?P<code>[A-Z]{3})_[A-Z]{1,2}$"), EMOTION_CODES
)


def scan(root: Path) -> Iterator[Record]:
    """Yield CREMA-D clips (any audio extension)."""
    return scan_named(iter_files(root, "audio"), "audio", NAME, parse_name)
