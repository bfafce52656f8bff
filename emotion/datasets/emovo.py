"""EMOVO (Italian, acted): `f1/dis-f1-b1.wav`, emotion-speaker-sentence.

Codes: dis disgust, gio happy (gioia), neu neutral, pau fear (paura), rab anger (rabbia),
sor surprise (sorpresa), tri sad (tristezza). Six speakers (f1-f3, m1-m3), the groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.named import coded_name_parser, scan_named
from emotion.datasets.records import Record

NAME = "emovo"
EMOTION_CODES = {
    "dis": "disgust",
    "gio": "happy",
    "neu": "neutral",
    "pau": "fear",
    "rab": "anger",
    "sor": "surprise",
    "tri": "sad",
}
_PATTERN = re.compile(r"^(?P<code>[a-z]{3})-(?P<group>[fm]\d)-\w+$")


def scan(root: Path) -> Iterator[Record]:
    """Yield EMOVO clips (any audio extension)."""
    parse = coded_name_parser(_PATTERN, EMOTION_CODES)
    return scan_named(iter_files(root, "audio"), "audio", NAME, parse)
