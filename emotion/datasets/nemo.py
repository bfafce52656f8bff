"""nEMO (Polish, acted): `samples/EB0_anger_13.wav`, speaker_emotion_sentence.

Emotions anger, fear, happiness, neutral, sadness, surprised (no disgust); nine speakers, the
groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.named import ParsedName, scan_named
from emotion.datasets.records import Record
from emotion.labels import canonical_label

NAME = "nemo"
_PATTERN = re.compile(r"^(?P<group>[A-Z]{2}\d)_(?P<emotion>[a-z]+)_\d+$")


def parse_name(path: Path) -> ParsedName | None:
    """Read the speaker and emotion out of an nEMO file name."""
    match = _PATTERN.match(path.stem)
    if match is None:
        return None
    source = match["emotion"]
    return ParsedName(source_label=source, label=canonical_label(source), group=match["group"])


def scan(root: Path) -> Iterator[Record]:
    """Yield nEMO clips (any audio extension)."""
    return scan_named(iter_files(root, "audio"), "audio", NAME, parse_name)
