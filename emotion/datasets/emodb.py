"""EmoDB (Berlin, German, acted): `03a01Fa.wav`, speaker (2 digits), text, emotion letter, version.

Emotion letters: W anger (Wut), L boredom (Langeweile, dropped), E disgust (Ekel), A fear
(Angst), F happy (Freude), T sad (Trauer), N neutral. No surprise. Ten speakers, the groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.named import coded_name_parser, scan_named
from emotion.datasets.records import Record

NAME = "emodb"
EMOTION_CODES = {
    "W": "anger",
    "L": None,
    "E": "disgust",
    "A": "fear",
    "F": "happy",
    "T": "sad",
    "N": "neutral",
}
_PATTERN = re.compile(r"^(?P<group>\d\d)[a-z]\d\d(?P<code>[A-Z])[a-z]?$")


def scan(root: Path) -> Iterator[Record]:
    """Yield EmoDB clips (any audio extension)."""
    parse = coded_name_parser(_PATTERN, EMOTION_CODES)
    return scan_named(iter_files(root, "audio"), "audio", NAME, parse)
