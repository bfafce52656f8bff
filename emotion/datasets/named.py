"""Layouts whose file names carry the label and the speaker or subject (RAVDESS, TESS, JAFFE...)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from emotion.datasets.records import Modality, Record


@dataclass(frozen=True)
class ParsedName:
    """What a dataset's file name says: its own label, that label mapped (or None), the group."""

    source_label: str
    label: str | None
    group: str


NameParser = Callable[[Path], ParsedName | None]


def coded_name_parser(pattern: re.Pattern[str], codes: Mapping[str, str | None]) -> NameParser:
    """A parser for file names whose stem `pattern` captures an emotion `code` and a `group`;
    a code mapped to None is a label the policy drops (boredom, calm)."""

    def parse(path: Path) -> ParsedName | None:
        match = pattern.match(path.stem)
        if match is None or match["code"] not in codes:
            return None
        return ParsedName(
            source_label=match["code"], label=codes[match["code"]], group=match["group"]
        )

    return parse


def scan_named(
    paths: Iterable[Path], modality: Modality, dataset: str, parse: NameParser
) -> Iterator[Record]:
    """Yield a record for every file whose name `parse` understands; skip the others."""
    for path in paths:
        parsed = parse(path)
        if parsed is not None:
            yield Record(
                dataset=dataset,
                modality=modality,
                path=path,
                source_label=parsed.source_label,
                label=parsed.label,
                group=parsed.group,
            )
