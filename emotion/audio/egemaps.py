"""eGeMAPS v02 functionals: the 88 acoustic parameters speech-emotion research compares against.

openSMILE computes them (pitch, jitter, shimmer, formants, loudness, spectral slopes, voiced and
unvoiced segment statistics). One extractor per thread: the app judges several users' clips at
once, and an extractor carries state between calls.
"""

from __future__ import annotations

import threading

import numpy as np
import opensmile

from emotion.audio.features import SAMPLE_RATE

_local = threading.local()


def _extractor() -> opensmile.Smile:
    if not hasattr(_local, "smile"):
        _local.smile = opensmile.Smile(
            feature_set=opensmile.FeatureSet.eGeMAPSv02,
            feature_level=opensmile.FeatureLevel.Functionals,
        )
    return _local.smile


def egemaps_names() -> tuple[str, ...]:
    """The 88 parameter names, in the order `egemaps` returns them."""
    return tuple(_extractor().feature_names)


def egemaps(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """The 88 eGeMAPS functionals of a clip, as float32 (NaN-free: undefined values are 0)."""
    frame = _extractor().process_signal(np.asarray(samples, dtype=np.float32), sample_rate)
    return np.nan_to_num(frame.to_numpy()[0].astype(np.float32))
