"""Dataset loaders: every supported layout, read in its native form, labels mapped onto the seven.

`load_records("ravdess", path)` returns the labelled records of one dataset; `DATASETS` lists the
layouts with their label policy. The data root defaults to `../shared/data` next to the project
and can be moved with the EMOTION_DATA environment variable.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from emotion.datasets import (
    ckplus48,
    cremad,
    emodb,
    emospeech,
    emovo,
    facial_expressions,
    fer2013,
    jaffe,
    london_faces,
    nemo,
    ravdess,
    savee,
    spanish_rcebrian,
    tess,
    turev,
    urdu,
    yalefaces,
)
from emotion.datasets.folders import scan_folders
from emotion.datasets.records import Modality, Record
from emotion.errors import EmotionError
from emotion.paths import data_root

__all__ = [
    "DATASETS",
    "DatasetError",
    "DatasetSpec",
    "Record",
    "data_root",
    "detect_dataset",
    "load_records",
]


class DatasetError(EmotionError, ValueError):
    """A path that does not hold the layout asked for; the message says what was expected."""


@dataclass(frozen=True)
class DatasetSpec:
    """One supported layout: how to read it and where it usually lives under the data root."""

    name: str
    modality: Modality
    scan: Callable[[Path], Iterator[Record]]
    layout: str
    policy: str
    folder: str | None = None


DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec(
            "fer2013",
            "image",
            fer2013.scan,
            "train/angry/Training_N.jpg ... (Kaggle folders) or fer2013.csv (emotion,pixels,Usage)",
            "7 labels as is (angry -> anger); Training/PublicTest/PrivateTest -> train/val/test",
            "fer2013",
        ),
        DatasetSpec(
            "ckplus48",
            "image",
            ckplus48.scan,
            "anger/S005_001_00000011.png ... (folder per emotion, subject_sequence_frame)",
            "sadness -> sad; contempt dropped; no neutral; grouped by subject",
            "ckplus48",
        ),
        DatasetSpec(
            "jaffe",
            "image",
            jaffe.scan,
            "KA.AN1.39.tiff ... (subject.EMOTIONn.id)",
            "AN DI FE HA NE SA SU -> the seven; grouped by subject",
            "jaffe",
        ),
        DatasetSpec(
            "facial_expressions",
            "image",
            facial_expressions.scan,
            "images/*.jpg with data/legend.csv (user.id,image,emotion)",
            "case normalised; happiness -> happy, sadness -> sad; contempt dropped",
            "facial_expressions",
        ),
        DatasetSpec(
            "yalefaces",
            "image",
            yalefaces.scan,
            "subject01.happy ... (GIF files named subject.condition)",
            "happy, sad, surprised, normal -> neutral; sleepy, wink, glasses, lighting dropped",
            "yalefaces",
        ),
        DatasetSpec(
            "facial_expressions_more",
            "image",
            facial_expressions.scan,
            "images/*.jpg with data/legend.csv (user.id,image,emotion)",
            "more of facial_expressions (disjoint from its sample), read the same way",
            "facial_expressions_more",
        ),
        DatasetSpec(
            "london_faces",
            "image",
            london_faces.scan,
            "neutral_front/NNN_03.jpg, smiling_front/NNN_08.jpg (NNN: subject)",
            "neutral; smiling -> happy; grouped by subject",
            "london_faces",
        ),
        DatasetSpec(
            "ravdess",
            "audio",
            ravdess.scan,
            "Actor_01/03-01-05-01-01-01-01.wav ... (any audio extension)",
            "calm dropped (calm is not neutral); grouped by actor",
            "ravdess",
        ),
        DatasetSpec(
            "tess",
            "audio",
            tess.scan,
            "OAF_angry/OAF_back_angry.wav ... (label from the file name's last field)",
            "ps (pleasant surprise) -> surprise; grouped by speaker (OAF, YAF)",
            "tess",
        ),
        DatasetSpec(
            "emodb",
            "audio",
            emodb.scan,
            "03a01Fa.wav ... (speaker, text, emotion letter W L E A F T N, version)",
            "boredom dropped; no surprise; grouped by speaker",
            "emodb",
        ),
        DatasetSpec(
            "emovo",
            "audio",
            emovo.scan,
            "f1/dis-f1-b1.wav ... (emotion-speaker-sentence; dis gio neu pau rab sor tri)",
            "Italian codes -> the seven; grouped by speaker",
            "emovo",
        ),
        DatasetSpec(
            "urdu",
            "audio",
            urdu.scan,
            "Angry/SM1_F10_A010.wav ... (folder per emotion: Angry, Happy, Neutral, Sad)",
            "four of the seven; speaker ids unreliable, so the corpus is one group",
            "urdu",
        ),
        DatasetSpec(
            "turev",
            "audio",
            turev.scan,
            "Angry/1234_kz_word.wav ... (folder per emotion, first field speaker)",
            "anger, happy, sad; calm dropped; grouped by speaker; evaluation only (CC BY-NC-ND)",
            "turev",
        ),
        DatasetSpec(
            "spanish_rcebrian",
            "audio",
            spanish_rcebrian.scan,
            "3/Alegria_12.wav ... (folder per speaker, Spanish emotion name)",
            "Alegria Asco Ira Miedo Neutro Sorpresa Tristeza -> the seven; grouped by speaker",
            "spanish_rcebrian",
        ),
        DatasetSpec(
            "nemo",
            "audio",
            nemo.scan,
            "samples/EB0_anger_13.wav ... (speaker_emotion_sentence)",
            "six of the seven (no disgust); grouped by speaker",
            "nemo",
        ),
        DatasetSpec(
            "emospeech_indian",
            "audio",
            emospeech.scan,
            "webservice/word-env-angry-1563213173113-<speaker hash>.wav ...",
            "anger, fear, happy; calm dropped; grouped by speaker hash",
            "emospeech_indian",
        ),
        DatasetSpec(
            "savee",
            "audio",
            savee.scan,
            "DC_a01.wav or DC/a01.wav ... (speakers DC JE JK KL; a d f h n sa su)",
            "7 codes -> the seven; grouped by speaker",
        ),
        DatasetSpec(
            "cremad",
            "audio",
            cremad.scan,
            "1001_DFA_ANG_XX.wav ... (actor_sentence_emotion_level)",
            "ANG DIS FEA HAP NEU SAD -> six of the seven (no surprise); grouped by actor",
        ),
        DatasetSpec(
            "image-folders",
            "image",
            functools.partial(scan_folders, modality="image", dataset="image-folders"),
            "[split/]emotion/*.jpg ... (folder names: angry/anger, happiness, sadness, ...)",
            "folder names and usual synonyms -> the seven; other folders dropped",
        ),
        DatasetSpec(
            "audio-folders",
            "audio",
            functools.partial(scan_folders, modality="audio", dataset="audio-folders"),
            "[split/]emotion/*.wav ... (folder names: angry/anger, happiness, sadness, ...)",
            "folder names and usual synonyms -> the seven; other folders dropped",
        ),
    )
}


def default_path(name: str) -> Path | None:
    """The usual location of a dataset under the data root, or None for generic layouts."""
    folder = spec_for(name).folder
    return data_root() / folder if folder else None


def spec_for(name: str) -> DatasetSpec:
    """The spec of a dataset name, or a DatasetError that lists the supported names."""
    try:
        return DATASETS[name]
    except KeyError:
        raise DatasetError(f"unknown dataset {name!r}; supported: {', '.join(DATASETS)}") from None


def load_records(name: str, root: Path, include_dropped: bool = False) -> list[Record]:
    """All records of dataset `name` under `root`, in a stable order.

    Records whose label is not one of the seven are left out unless `include_dropped` is set.
    Raises DatasetError when `root` is missing or holds nothing in this dataset's layout.
    """
    spec = spec_for(name)
    if not root.exists():
        raise DatasetError(f"{root} does not exist (expected the {name} layout: {spec.layout})")
    try:
        records = list(spec.scan(root))
    except (OSError, KeyError, ValueError, csv.Error) as error:
        raise DatasetError(
            f"{root} is not a readable {name} layout ({spec.layout}): {error}"
        ) from error
    if not records:
        raise DatasetError(f"no {name} files found under {root} (expected: {spec.layout})")
    return records if include_dropped else [r for r in records if r.label is not None]


def detect_dataset(root: Path, modality: Modality) -> str:
    """The `modality` layout that reads the most labelled records under `root`; on a tie, the
    one whose usual folder name is `root`'s (CK+48 also reads as plain emotion folders).

    Raises DatasetError, naming the layouts tried, when none of them finds anything.
    """
    if not root.exists():
        raise DatasetError(f"{root} does not exist")
    counts: dict[str, int] = {}
    for spec in DATASETS.values():
        if spec.modality == modality:
            try:
                counts[spec.name] = len(load_records(spec.name, root))
            except DatasetError:
                counts[spec.name] = 0
    best = max(counts, key=lambda name: (counts[name], spec_for(name).folder == root.name))
    if counts[best] == 0:
        raise DatasetError(
            f"no labelled {modality} files under {root}; layouts tried: {', '.join(counts)} "
            "(see `python -m emotion datasets`)"
        )
    return best
