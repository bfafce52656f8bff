"""Spanish acted speech: `3/Alegria_12.wav`, folder = speaker (0-13), file = Spanish emotion name.

Alegria happy, Asco disgust, Ira anger, Miedo fear, Neutro neutral, Sorpresa surprise, Tristeza
sad. Some names carry stray characters (`Ira_.wav`, `Neutro.wav`): the leading word is the label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.named import ParsedName, scan_named
from emotion.datasets.records import Record

NAME = "spanish_rcebrian"
EMOTION_NAMES = {
    "alegria": "happy",
    "asco": "disgust",
    "ira": "anger",
    "miedo": "fear",
    "neutro": "neutral",
    "sorpresa": "surprise",
    "tristeza": "sad",
}
_WORD = re.compile(r"^[A-Za-z]+")


def parse_name(path: Path) -> ParsedName | None:
    """Read the emotion from the file name and the speaker from its folder."""
    word = _WORD.match(path.stem)
    if word is None or not path.parent.name.isdigit():
        return None
    source = word.group(0).lower()
    if source not in EMOTION_NAMES:
        return None
    return ParsedName(source_label=source, label=EMOTION_NAMES[source], group=path.parent.name)


def scan(root: Path) -> Iterator[Record]:
    """Yield the Spanish corpus's clips (any audio extension)."""
    return scan_named(iter_files(root, "audio"), "audio", NAME, parse_name)
