"""What the app has heard of one speaker in a session, for speaker-adaptive judgements.

A profile keeps the feature vectors of the speaker's judged windows (a Live session, or the
"calibrate to my voice" recording and later uploads). Each app session or stream owns its own
profile; the lock makes it safe to add from a media thread while the page reads it.
"""

from __future__ import annotations

import threading

import numpy as np

from emotion.voice.normalise import SpeakerStats, speaker_stats

MAX_WINDOWS = 200
"""The newest windows kept (10 minutes of continuous speech at one window every 3 s)."""


class SpeakerProfile:
    """Feature vectors of one speaker's windows, newest last, at most MAX_WINDOWS."""

    def __init__(self) -> None:
        self._vectors: list[np.ndarray] = []
        self._lock = threading.Lock()

    def add(self, vectors: list[np.ndarray]) -> None:
        """Remember these windows' feature vectors."""
        with self._lock:
            self._vectors.extend(np.asarray(v, dtype=np.float32) for v in vectors)
            del self._vectors[:-MAX_WINDOWS]

    def clear(self) -> None:
        """Forget the speaker (another person speaks now)."""
        with self._lock:
            self._vectors.clear()

    @property
    def windows(self) -> int:
        """How many windows of this speaker have been heard."""
        with self._lock:
            return len(self._vectors)

    def stats(self, columns: slice, prior_std: np.ndarray) -> SpeakerStats | None:
        """The speaker's statistics over `columns` of the vectors, or None before any window."""
        with self._lock:
            if not self._vectors:
                return None
            vectors = np.stack(self._vectors)[:, columns]
        return speaker_stats(vectors, prior_std)
