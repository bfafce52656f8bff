"""EmoSpeech Command (Hindi/English command words on the speakers' own phones):
`webservice/<keyword>-<environment>-<emotion>-<timestamp>-<speaker hash>.wav`.

Emotions angry, fearful, happy kept; calm dropped (calm is not neutral). The speaker hash is the
group (107 speakers, many with a handful of clips). A few release names have `??` for the
timestamp; they are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.named import ParsedName, scan_named
from emotion.datasets.records import Record
from emotion.labels import canonical_label

NAME = "emospeech_indian"


def parse_name(path: Path) -> ParsedName | None:
    """Read the emotion and speaker hash out of an EmoSpeech Command file name."""
    fields = path.stem.rsplit("-", 3)
    if len(fields) != 4 or "-" not in fields[0]:
        return None
    source, speaker = fields[1].lower(), fields[3]
    return ParsedName(source_label=source, label=canonical_label(source), group=speaker)


def scan(root: Path) -> Iterator[Record]:
    """Yield EmoSpeech Command clips (any audio extension)."""
    return scan_named(iter_files(root, "audio"), "audio", NAME, parse_name)
