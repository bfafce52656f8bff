"""Yale faces: `subject01.happy`, GIF images without an extension (`.gif` is accepted too).

Conditions happy, sad, surprised and normal (mapped to neutral) are expressions; sleepy, wink,
glasses, noglasses and the lighting variants are not emotion labels and are dropped. The subject
is the group. Whole heads with background: a detector must find the face.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.named import ParsedName, scan_named
from emotion.datasets.records import Record

NAME = "yalefaces"
CONDITIONS = {"happy": "happy", "sad": "sad", "surprised": "surprise", "normal": "neutral"}
_PATTERN = re.compile(r"^(?P<subject>subject\d+)\.(?P<condition>[a-z]+)(?:\.gif)?$", re.IGNORECASE)


def parse_name(path: Path) -> ParsedName | None:
    """Read the subject and condition out of a Yale file name."""
    match = _PATTERN.match(path.name)
    if match is None:
        return None
    condition = match["condition"].lower()
    return ParsedName(
        source_label=condition, label=CONDITIONS.get(condition), group=match["subject"].lower()
    )


def scan(root: Path) -> Iterator[Record]:
    """Yield Yale images, expressions labelled and the other conditions with `label=None`."""
    paths = sorted(path for path in root.rglob("subject*") if path.is_file())
    return scan_named(paths, "image", NAME, parse_name)
