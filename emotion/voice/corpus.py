"""The training corpus: every clip's model inputs, clean and in augmented variants, cached.

Decoding, trimming and feature extraction cost ~10 ms a clip; the variants are drawn once with
a seed per clip (reproducible) and cached under `.cache/voice/`, so that a resumed or repeated
training run starts at once.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from emotion.audio.cleaning import prepare_voice
from emotion.audio.decoding import decode_audio
from emotion.audio.errors import AudioError
from emotion.datasets.records import Record
from emotion.labels import EMOTIONS
from emotion.paths import PROJECT_ROOT
from emotion.splits import assign_splits
from emotion.voice.augment import random_variant
from emotion.voice.inputs import WINDOW_SAMPLES, model_inputs

CACHE_DIR = PROJECT_ROOT / ".cache" / "voice"
INPUTS_VERSION = "2"


@dataclass(frozen=True)
class VoiceCorpus:
    """Model inputs of the judgeable clips; variant 0 is the clean clip, centre window.

    patches: (variants, n, n_mels, frames) float16; summaries: (variants, n, features);
    labels: (n,) indices into EMOTIONS; splits, datasets, groups, paths: (n,) strings.
    rejected: (path, reason) for clips that could not be judged.
    """

    patches: np.ndarray
    summaries: np.ndarray
    labels: np.ndarray
    splits: np.ndarray
    datasets: np.ndarray
    groups: np.ndarray
    paths: np.ndarray
    rejected: list[tuple[str, str]]


def clip_inputs(path: Path, variants: int) -> tuple[np.ndarray, np.ndarray] | str:
    """Patches and summaries of one clip and `variants` augmented copies, or why it was rejected."""
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
    return (
        np.stack([i.patch for i in inputs]).astype(np.float16),
        np.stack([i.summary for i in inputs]),
    )


def _one_thread_each() -> None:
    """Pool initializer: one BLAS/OpenMP thread per process (several would fight for cores)."""
    threadpool_limits(1)


def _clip_job(job: tuple[Path, int]) -> tuple[np.ndarray, np.ndarray] | str:
    return clip_inputs(*job)


def cache_key(records: list[Record], variants: int) -> str:
    """A digest of the clips (path, size) and of how their inputs are computed."""
    digest = hashlib.sha256(f"{INPUTS_VERSION}:{variants}".encode())
    for record in records:
        digest.update(f"{record.path}:{record.path.stat().st_size}:{record.label}\n".encode())
    return digest.hexdigest()[:16]


def build_corpus(
    records: list[Record], variants: int, workers: int = 0, cache_dir: Path = CACHE_DIR
) -> VoiceCorpus:
    """The corpus of `records`, from the cache when it holds the same clips, else computed."""
    cache = cache_dir / f"{cache_key(records, variants)}.npz"
    if cache.is_file():
        print(f"Voice inputs from cache {cache}", file=sys.stderr)
        with np.load(cache, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        rejected = [(str(p), str(r)) for p, r in arrays.pop("rejected").reshape(-1, 2)]
        return VoiceCorpus(**arrays, rejected=rejected)
    jobs = [(record.path, variants) for record in records]
    results: list[tuple[np.ndarray, np.ndarray] | str] = []
    with multiprocessing.get_context("spawn").Pool(workers or None, _one_thread_each) as pool:
        for done, result in enumerate(pool.imap(_clip_job, jobs, chunksize=8), start=1):
            results.append(result)
            if done % 250 == 0 or done == len(jobs):
                print(f"  voice inputs: {done}/{len(jobs)} clips", file=sys.stderr)
    kept = [i for i, result in enumerate(results) if not isinstance(result, str)]
    splits = assign_splits(records)
    corpus = VoiceCorpus(
        patches=np.stack([results[i][0] for i in kept], axis=1),
        summaries=np.stack([results[i][1] for i in kept], axis=1),
        labels=np.array([EMOTIONS.index(records[i].label) for i in kept]),
        splits=np.array([splits[i] for i in kept]),
        datasets=np.array([records[i].dataset for i in kept]),
        groups=np.array([records[i].group for i in kept]),
        paths=np.array([str(records[i].path) for i in kept]),
        rejected=[(str(records[i].path), r) for i, r in enumerate(results) if isinstance(r, str)],
    )
    cache.parent.mkdir(parents=True, exist_ok=True)
    arrays = {name: getattr(corpus, name) for name in VoiceCorpus.__dataclass_fields__}
    arrays["rejected"] = np.array(corpus.rejected, dtype=str).reshape(-1, 2)
    np.savez(cache, **arrays)
    return corpus
