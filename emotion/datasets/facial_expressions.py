"""The "facial_expressions" set (muxspace, Kaggle / DATA 622): `images/*.jpg` + `data/legend.csv`.

legend.csv has columns user.id (the annotator), image, emotion. Labels come in mixed case and
are normalised: anger, disgust, fear, happiness, neutral, sadness, surprise map onto the seven;
contempt is dropped. The subject is the image name without its number (`George_W_Bush_0024` ->
`George_W_Bush`). Rows whose image is not on disk (a partial copy) are skipped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.records import Record
from emotion.labels import canonical_label

NAME = "facial_expressions"
LEGEND = Path("data") / "legend.csv"
IMAGES = Path("images")


def subject_of(image_name: str) -> str:
    """The person an image shows, from its file name."""
    return re.sub(r"_?\d+$", "", Path(image_name).stem)


def scan(root: Path) -> Iterator[Record]:
    """Yield the images listed in the legend that exist under `images/`."""
    with (root / LEGEND).open(newline="") as handle:
        for row in csv.DictReader(handle):
            path = root / IMAGES / row["image"].strip()
            if not path.is_file():
                continue
            source = row["emotion"].strip().lower()
            yield Record(
                dataset=NAME,
                modality="image",
                path=path,
                source_label=source,
                label=canonical_label(source),
                group=subject_of(path.name),
            )
