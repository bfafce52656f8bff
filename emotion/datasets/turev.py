"""TurEV-DB (Turkish single words): `Angry/1234_kz_word.wav`, folder = emotion, first field speaker.

Angry, Happy, Sad kept; Calm dropped (calm is not neutral). Its licence (CC BY-NC-ND 4.0) forbids
distributing derivatives: the project evaluates on it and never trains the shipped model on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.labelled_folders import folder_label_parser
from emotion.datasets.named import scan_named
from emotion.datasets.records import Record

NAME = "turev"


def scan(root: Path) -> Iterator[Record]:
    """Yield TurEV-DB clips (any audio extension) under emotion folders."""
    parse = folder_label_parser(lambda path: path.stem.split("_")[0])
    return scan_named(iter_files(root, "audio"), "audio", NAME, parse)
