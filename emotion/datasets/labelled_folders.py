"""Corpora whose emotion is the clip's folder name and whose speaker is a field of the file name.

URDU (`Angry/SM1_F10_A010.opus`) and TurEV-DB (`Angry/1234_kz_word.opus`) share this layout; they
differ in what the file name says about the speaker.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from emotion.datasets.named import NameParser, ParsedName
from emotion.labels import canonical_label


def folder_label_parser(group_of: Callable[[Path], str]) -> NameParser:
    """A parser taking the emotion from the parent folder (unknown names give label None)."""

    def parse(path: Path) -> ParsedName | None:
        source = path.parent.name
        return ParsedName(source_label=source, label=canonical_label(source), group=group_of(path))

    return parse
