"""The speaker-adaptive mode's probabilities blended with the single-clip model's.

Judged relative to the few clips of a speaker heard so far, a clip keeps only how it differs
from them; judged alone, it keeps what it says on its own but not who says it. The two views
make different mistakes: their weighted geometric mean beat both on every simulated session on
corpora never trained on (`evaluate voice --loco`), most where little of the speaker is known.
The adaptive model weighs n / (n + half) after n clips of the speaker, so it takes over as the
speaker's statistics firm up; `half` (the number of clips at which both weigh the same) is
chosen on the LOCO mean (`blend_loco`).
"""

from __future__ import annotations

import numpy as np

from emotion.fusion import combine


def adaptive_weight(clips: float | np.ndarray, half: float) -> float | np.ndarray:
    """The adaptive model's weight after `clips` clips of the speaker."""
    return clips / (clips + half)


def blend(
    single: np.ndarray, adaptive: np.ndarray, clips: float | np.ndarray, half: float
) -> np.ndarray:
    """Probabilities (7,) or rows (n, 7) of both modes, blended by the clips heard (one number,
    or one per row)."""
    weight = np.asarray(adaptive_weight(np.asarray(clips, np.float64), half))
    if weight.ndim:
        weight = weight[:, None]
    return combine(adaptive, single, weight, "geometric")
