"""Generic "one folder per emotion" layout, for images or audio.

`ROOT/[split/]emotion/file`: the emotion is the nearest folder whose name is an emotion or a usual
synonym (angry, happiness, sadness, surprised, fearful, disgusted...); a folder named train,
training, val, validation, test... sets the split. Files under folders with other names (contempt,
calm) are yielded with `label=None` so they can be counted as dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from emotion.datasets.files import iter_files
from emotion.datasets.records import SPLITS, Modality, Record
from emotion.labels import canonical_label, normalise_name


def scan_folders(root: Path, modality: Modality, dataset: str) -> Iterator[Record]:
    """Yield one record per media file in a folder-per-emotion tree."""
    for path in iter_files(root, modality):
        folders = [normalise_name(part) for part in path.relative_to(root).parts[:-1]]
        split = next((SPLITS[name] for name in folders if name in SPLITS), None)
        label_folders = [name for name in folders if name not in SPLITS]
        if not label_folders:
            continue
        labelled = [name for name in label_folders if canonical_label(name)]
        source = labelled[-1] if labelled else label_folders[-1]
        yield Record(
            dataset=dataset,
            modality=modality,
            path=path,
            source_label=source,
            label=canonical_label(source),
            group=path.stem,
            split=split,
        )
