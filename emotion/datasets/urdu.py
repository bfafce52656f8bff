"""URDU (TV talk shows, natural speech): `Angry/SM1_F10_A010.wav`, folder = emotion.

Angry, Happy, Neutral, Sad. The file names' speaker ids are unreliable (29 ids for 38 speakers,
most under one emotion only), so the whole corpus is one group: it is never split by speaker,
and speaker-adaptive scoring normalises over the corpus as a whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.labelled_folders import folder_label_parser
from emotion.datasets.named import scan_named
from emotion.datasets.records import Record

NAME = "urdu"


def scan(root: Path) -> Iterator[Record]:
    """Yield URDU clips (any audio extension) under emotion folders."""
    parse = folder_label_parser(lambda path: NAME)
    return scan_named(iter_files(root, "audio"), "audio", NAME, parse)
