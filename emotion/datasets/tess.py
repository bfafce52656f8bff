"""TESS: `OAF_angry/OAF_back_angry.wav`, speaker_word_emotion.

Folder names are not consistently cased, so the label comes from the file name's last field:
angry, disgust, fear, happy, neutral, ps (pleasant surprise, mapped to surprise), sad.
Two speakers only (OAF, YAF), which are the groups. The speaker is read from the folder
(`OAF_neutral`) when there is one, as the release has file names with typos (`OA_bite_neutral`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.named import ParsedName, scan_named
from emotion.datasets.records import Record
from emotion.labels import canonical_label

NAME = "tess"
_CODES = {"ps": "surprise"}


def parse_name(path: Path) -> ParsedName | None:
    """Read the speaker and emotion out of a TESS file name."""
    fields = path.stem.split("_")
    if len(fields) < 3:
        return None
    source = fields[-1].lower()
    folder_fields = path.parent.name.split("_")
    speaker = folder_fields[0] if len(folder_fields) >= 2 else fields[0]
    return ParsedName(
        source_label=source,
        label=_CODES.get(source) or canonical_label(source),
        group=speaker.upper(),
    )


def scan(root: Path) -> Iterator[Record]:
    """Yield TESS clips (any audio extension)."""
    return scan_named(iter_files(root, "audio"), "audio", NAME, parse_name)
