"""The training corpus: every clip's feature vector, clean and in augmented variants, cached.

Decoding, trimming and feature extraction cost ~60 ms a clip; the variants are drawn once with
a seed per clip (reproducible) and cached under `.cache/voice/`, so that a resumed or repeated
training run or evaluation starts at once.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from emotion.audio.cleaning import prepare_voice
from emotion.audio.decoding import decode_audio
from emotion.audio.errors import AudioError
from emotion.datasets.records import Record
from emotion.labels import EMOTIONS
from emotion.paths import PROJECT_ROOT
from emotion.splits import assign_splits
from emotion.threads import use_threads
from emotion.voice.augment import random_variant
from emotion.voice.inputs import WINDOW_SAMPLES, model_inputs
from emotion.voice.spectrogram import spectrogram
from emotion.whole_files import save_array, save_arrays

CACHE_DIR = PROJECT_ROOT / ".cache" / "voice"
VOICE_CORPORA = (
    "ravdess",
    "tess",
    "emodb",
    "emovo",
    "urdu",
    "turev",
    "spanish_rcebrian",
    "nemo",
    "emospeech_indian",
)
"""The speech corpora the voice model is trained and compared on, leaving each out in turn."""
EVALUATION_ONLY = frozenset({"turev"})
"""Corpora whose licence allows evaluation only: left out of every model's training."""
INPUTS_VERSION = "4"
SPECTROGRAMS_VERSION = "1"


@dataclass(frozen=True)
class VoiceCorpus:
    """Feature vectors of the judgeable clips; variant 0 is the clean clip, centre window.

    features: (variants, n, features) float32; labels: (n,) indices into EMOTIONS; splits,
    datasets, groups, paths: (n,) strings. rejected: (path, reason) for clips that could not
    be judged. spectrograms: (n, frames, bands) log-mel spectrograms of the clean clips, for
    the convolutional candidate only (see `with_spectrograms`).
    """

    features: np.ndarray
    labels: np.ndarray
    splits: np.ndarray
    datasets: np.ndarray
    groups: np.ndarray
    paths: np.ndarray
    rejected: list[tuple[str, str]]
    spectrograms: np.ndarray | None = None


def clip_inputs(path: Path, variants: int) -> np.ndarray | str:
    """Feature vectors of one clip and `variants` augmented copies, or why it was rejected."""
    try:
        voice = prepare_voice(*decode_audio(path))
    except AudioError as error:
        return str(error)
    rng = np.random.default_rng(int(hashlib.sha256(path.name.encode()).hexdigest()[:12], 16))
    inputs = [model_inputs(voice)]
    for _ in range(variants):
        changed = random_variant(voice, rng)
        offset = int(rng.integers(0, max(len(changed) - WINDOW_SAMPLES, 0) + 1))
        inputs.append(model_inputs(changed, offset))
    return np.stack(inputs)


def _clip_job(job: tuple[Path, int]) -> np.ndarray | str:
    return clip_inputs(*job)


def in_processes(
    function: Callable[[Any], Any], jobs: list[Any], workers: int, what: str
) -> list[Any]:
    """`function` of every job, in order, in `workers` processes (0: one per core) of one
    library thread each, with a progress line every 500 jobs."""
    results = []
    with multiprocessing.get_context("spawn").Pool(workers or None, use_threads, (1,)) as pool:
        for done, result in enumerate(pool.imap(function, jobs, chunksize=8), start=1):
            results.append(result)
            if done % 500 == 0 or done == len(jobs):
                print(f"  {what}: {done}/{len(jobs)} clips", file=sys.stderr)
    return results


def cache_key(records: list[Record], variants: int) -> str:
    """A digest of the clips (absolute path, size, label) and of how their inputs are computed:
    the same clips give the same key whichever way their folder was named."""
    digest = hashlib.sha256(f"{INPUTS_VERSION}:{variants}".encode())
    for record in records:
        path = record.path.resolve()
        digest.update(f"{path}:{path.stat().st_size}:{record.label}\n".encode())
    return digest.hexdigest()[:16]


def compute_corpus(records: list[Record], variants: int, workers: int) -> VoiceCorpus:
    """Every clip's feature vectors, in `workers` processes (0: one per core)."""
    jobs = [(record.path, variants) for record in records]
    results: list[np.ndarray | str] = in_processes(_clip_job, jobs, workers, "voice inputs")
    kept = [i for i, result in enumerate(results) if not isinstance(result, str)]
    splits = assign_splits(records)
    features = [results[i] for i in kept]
    return VoiceCorpus(
        features=np.stack(features, axis=1) if features else np.zeros((variants + 1, 0, 0)),
        labels=np.array([EMOTIONS.index(records[i].label) for i in kept], dtype=int),
        splits=np.array([splits[i] for i in kept], dtype=str),
        datasets=np.array([records[i].dataset for i in kept], dtype=str),
        groups=np.array([records[i].group for i in kept], dtype=str),
        paths=np.array([str(records[i].path) for i in kept], dtype=str),
        rejected=[(str(records[i].path), r) for i, r in enumerate(results) if isinstance(r, str)],
    )


def save_corpus(corpus: VoiceCorpus, path: Path) -> None:
    """Write a corpus to an .npz file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {
        name: value
        for name in VoiceCorpus.__dataclass_fields__
        if (value := getattr(corpus, name)) is not None
    }
    arrays["rejected"] = np.array(corpus.rejected, dtype=str).reshape(-1, 2)
    save_arrays(path, **arrays)


def load_corpus(path: Path) -> VoiceCorpus:
    """Read a corpus written by `save_corpus`."""
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    rejected = [(str(p), str(r)) for p, r in arrays.pop("rejected").reshape(-1, 2)]
    return VoiceCorpus(**arrays, rejected=rejected)


def concatenate(parts: list[VoiceCorpus]) -> VoiceCorpus:
    """One corpus holding the clips of all `parts`, in order."""
    kept = [part for part in parts if part.features.shape[1]] or parts[:1]
    return VoiceCorpus(
        features=np.concatenate([part.features for part in kept], axis=1),
        **{
            name: np.concatenate([getattr(part, name) for part in kept])
            for name in ("labels", "splits", "datasets", "groups", "paths")
        },
        rejected=[item for part in parts for item in part.rejected],
    )


def build_corpus(
    records: list[Record], variants: int, workers: int = 0, cache_dir: Path = CACHE_DIR
) -> VoiceCorpus:
    """The corpus of `records`, one cache file per dataset: a dataset whose clips are already
    cached is read back, the others are computed (so an interrupted build resumes with the
    next dataset, and adding a corpus leaves the others' features alone)."""
    parts = []
    for dataset in dict.fromkeys(record.dataset for record in records):
        mine = [record for record in records if record.dataset == dataset]
        cache = cache_dir / f"{dataset}-{cache_key(mine, variants)}.npz"
        if cache.is_file():
            print(f"Voice inputs of {dataset} from cache {cache}", file=sys.stderr)
            parts.append(load_corpus(cache))
            continue
        print(f"Voice inputs of {dataset}: {len(mine)} clips", file=sys.stderr)
        parts.append(compute_corpus(mine, variants, workers))
        save_corpus(parts[-1], cache)
    return concatenate(parts)


def clip_spectrogram(path: Path) -> np.ndarray:
    """The log-mel spectrogram of a judgeable clip (see `spectrogram`)."""
    return spectrogram(prepare_voice(*decode_audio(path)))


def with_spectrograms(
    corpus: VoiceCorpus, workers: int = 0, cache_dir: Path = CACHE_DIR
) -> VoiceCorpus:
    """`corpus` with every clip's spectrogram, computed in `workers` processes (0: one per core)
    and cached per dataset (as float16) like the feature vectors."""
    spectrograms = None
    for dataset in dict.fromkeys(corpus.datasets.tolist()):
        mine = corpus.datasets == dataset
        digest = hashlib.sha256(SPECTROGRAMS_VERSION.encode())
        digest.update("\n".join(corpus.paths[mine]).encode())
        cache = cache_dir / f"{dataset}-logmel-{digest.hexdigest()[:16]}.npy"
        if cache.is_file():
            part = np.load(cache)
        else:
            print(f"Spectrograms of {dataset}: {mine.sum()} clips", file=sys.stderr)
            paths = [Path(path) for path in corpus.paths[mine]]
            computed = in_processes(clip_spectrogram, paths, workers, "spectrograms")
            part = np.stack(computed).astype(np.float16)
            save_array(cache, part)
        if spectrograms is None:
            spectrograms = np.empty((len(corpus.labels), *part.shape[1:]), dtype=np.float32)
        spectrograms[mine] = part
    return replace(corpus, spectrograms=spectrograms)
