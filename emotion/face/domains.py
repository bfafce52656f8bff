"""Every face dataset as the app sees it: one array of 48x48 faces with its domain, label,
split and whether a face was found.

Photos (JAFFE, facial_expressions, Yale, London) go through the app's own detector and crop on
the full photo, so that training and scoring see the crops a user's photo gives, not a dataset's
own tight crop; FER2013 and CK+48 are already crops and are taken whole. A photo where the
detector finds no face is kept with `found` False: it counts as a miss when a domain is scored
and is left out of training. Each domain is cached in `.cache/face/` once computed.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from emotion.datasets import DatasetError, load_records, spec_for
from emotion.datasets.records import Record
from emotion.face.dataset import CACHE_DIR, face_arrays
from emotion.face.detection import detect_faces
from emotion.face.errors import ImageError
from emotion.face.evaluation import record_gray
from emotion.face.preprocess import FACE_SIZE, crop, face_input
from emotion.labels import EMOTIONS
from emotion.splits import assign_splits
from emotion.whole_files import save_arrays

DOMAINS_VERSION = "1"


@dataclass(frozen=True)
class FaceDomain:
    """One source of faces: the dataset layouts it is read from (under the data root), and
    whether its images are already face crops."""

    name: str
    datasets: tuple[str, ...]
    cropped: bool


FACE_DOMAINS: tuple[FaceDomain, ...] = (
    FaceDomain("fer2013", ("fer2013",), cropped=True),
    FaceDomain("ckplus48", ("ckplus48",), cropped=True),
    FaceDomain("jaffe", ("jaffe",), cropped=False),
    FaceDomain(
        "facial_expressions", ("facial_expressions", "facial_expressions_more"), cropped=False
    ),
    FaceDomain("yalefaces", ("yalefaces",), cropped=False),
    FaceDomain("london_faces", ("london_faces",), cropped=False),
)
DOMAIN_NAMES = tuple(domain.name for domain in FACE_DOMAINS)
FIELDS = ("pixels", "labels", "domains", "splits", "found")


@dataclass(frozen=True)
class DomainFaces:
    """Faces of several domains as uint8 (n, 48, 48) with one row per image: label index,
    domain index (into DOMAIN_NAMES), split ("train", "val" or "test": FER2013's own, else
    the project's subject split) and whether a face was found."""

    pixels: np.ndarray
    labels: np.ndarray
    domains: np.ndarray
    splits: np.ndarray
    found: np.ndarray

    def select(self, rows: np.ndarray) -> DomainFaces:
        """The rows chosen by a boolean mask or an index array."""
        return DomainFaces(*(getattr(self, field)[rows] for field in FIELDS))

    @property
    def present(self) -> list[str]:
        """The names of the domains with at least one row, in DOMAIN_NAMES order."""
        return [name for i, name in enumerate(DOMAIN_NAMES) if np.any(self.domains == i)]

    def of(self, domain: str, split: str | None = None) -> np.ndarray:
        """Mask of one domain's rows (of one split if given)."""
        mask = self.domains == DOMAIN_NAMES.index(domain)
        return mask & (self.splits == split) if split else mask


def photo_face(record: Record) -> np.ndarray | None:
    """The largest face the app's detector finds in the record's photo, as uint8 (48, 48);
    None when no face is found or the file cannot be read."""
    try:
        gray = record_gray(record)
    except ImageError:
        return None
    faces = detect_faces(gray, "haar")
    if not faces:
        return None
    return np.round(face_input(crop(gray, faces[0].as_tuple())) * 255).astype(np.uint8)


def photo_faces(records: list[Record], cache_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """(faces, found) for photos, through the detector; cached by the records' identity."""
    digest = hashlib.sha256(f"photos {DOMAINS_VERSION}".encode())
    for record in records:
        digest.update(f"{record.path}:{record.label}\n".encode())
    cache = cache_dir / f"photos-{digest.hexdigest()[:16]}.npz"
    if cache.is_file():
        with np.load(cache) as stored:
            return stored["pixels"], stored["found"]
    pixels = np.zeros((len(records), FACE_SIZE, FACE_SIZE), np.uint8)
    found = np.zeros(len(records), bool)
    for i, record in enumerate(records):
        face = photo_face(record)
        if face is not None:
            pixels[i], found[i] = face, True
    print(f"  {found.sum()} of {len(records)} photos with a face found", file=sys.stderr)
    save_arrays(cache, pixels=pixels, found=found)
    return pixels, found


def load_domain(domain: FaceDomain, data_root: Path, cache_dir: Path = CACHE_DIR) -> DomainFaces:
    """One domain's faces (FER2013: training copies deduplicated, its own train/val split)."""
    folders = {dataset: dataset_folder(data_root, dataset) for dataset in domain.datasets}
    records = [
        record
        for dataset, folder in folders.items()
        if folder.is_dir()
        for record in load_records(dataset, folder)
    ]
    print(f"{domain.name}: {len(records)} images", file=sys.stderr)
    if not any(record.split for record in records):
        splits = assign_splits(records)
        records = [replace(r, split=s) for r, s in zip(records, splits, strict=True)]
    if domain.cropped:
        arrays = face_arrays(records, cache_dir)
        pixels, labels, splits = arrays.pixels, arrays.labels, arrays.splits
        found = np.ones(len(labels), bool)
    else:
        pixels, found = photo_faces(records, cache_dir)
        labels = np.array([EMOTIONS.index(r.label) for r in records])
        splits = np.array([r.split for r in records])
    domains = np.full(len(labels), DOMAIN_NAMES.index(domain.name))
    return DomainFaces(pixels, labels, domains, splits, found)


def dataset_folder(data_root: Path, dataset: str) -> Path:
    """Where a dataset lives under the data root."""
    return data_root / str(spec_for(dataset).folder)


def present_domains(data_root: Path) -> tuple[FaceDomain, ...]:
    """The domains whose first dataset's folder is under `data_root`."""
    return tuple(
        domain for domain in FACE_DOMAINS if dataset_folder(data_root, domain.datasets[0]).is_dir()
    )


def load_domains(data_root: Path, cache_dir: Path = CACHE_DIR) -> DomainFaces:
    """The faces of every domain found under `data_root`, concatenated (a domain's second
    dataset, facial_expressions_more, is read when it is there too)."""
    domains = present_domains(data_root)
    if not domains:
        raise DatasetError(f"no face dataset found under {data_root}")
    parts = [load_domain(domain, data_root, cache_dir) for domain in domains]
    return DomainFaces(*(np.concatenate([getattr(p, field) for p in parts]) for field in FIELDS))
