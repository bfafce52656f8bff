"""The error a user's audio raises when it cannot be judged (its message is shown as is), and the
checks that raise it before any work is done on the samples."""

from __future__ import annotations

import numpy as np

from emotion.errors import EmotionError

MIN_RATE, MAX_RATE = 4_000, 384_000


class AudioError(EmotionError, ValueError):
    """Audio that cannot be read or judged: the message says why, in words for the user."""


def require_finite(samples: np.ndarray) -> np.ndarray:
    """`samples`, or AudioError when any is not a number (NaN, infinity): nothing can be judged."""
    if not np.isfinite(samples).all():
        raise AudioError("The recording contains invalid samples (not numbers): it is damaged.")
    return samples


def require_rate(sample_rate: int) -> int:
    """`sample_rate`, or AudioError when no recording has it (a damaged or forged header)."""
    if not MIN_RATE <= sample_rate <= MAX_RATE:
        raise AudioError(
            f"The audio's sample rate ({sample_rate} Hz) is outside {MIN_RATE}-{MAX_RATE} Hz: "
            "the file is damaged or is not a recording."
        )
    return sample_rate
