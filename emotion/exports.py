"""Results a user can take away from the app: one analysis as JSON (the same fields as a row of
`python -m emotion analyze --detail`), and a video's timeline as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from emotion.batch.rows import face_detail, rounded, voice_detail
from emotion.face.analysis import FaceResult
from emotion.fusion import FusedResult
from emotion.labels import EMOTIONS
from emotion.video import TimelinePoint
from emotion.voice.analysis import VoiceResult


def analysis_record(
    faces: list[FaceResult] | None,
    voice: VoiceResult | None,
    fused: FusedResult | None,
    face_weight: float,
    rule: str,
) -> dict[str, Any]:
    """One photo-and-voice analysis as plain data: every face with its box, the voice with its
    windows, the fused probabilities and how they were fused."""
    return {
        "faces": face_detail(faces or []),
        "voice": rounded(voice.probabilities) if voice else None,
        "windows": voice_detail(voice) if voice else [],
        "voice_mode": voice.mode if voice else None,
        "fused": rounded(fused.probabilities) if fused else None,
        "label": fused.label if fused else None,
        "face_weight": face_weight,
        "rule": rule,
    }


def timeline_csv(points: list[TimelinePoint]) -> str:
    """A video's timeline: one line per sampled time, a column per source and emotion (empty
    where a source has nothing at that time)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["time_s", *(f"{source}_{e}" for source in ("face", "voice", "fused") for e in EMOTIONS)]
    )
    for point in points:
        sources = (point.face, point.voice, point.fused.probabilities if point.fused else None)
        writer.writerow(
            [
                point.time_s,
                *(
                    "" if probabilities is None else round(probabilities[e], 4)
                    for probabilities in sources
                    for e in EMOTIONS
                ),
            ]
        )
    return out.getvalue()
