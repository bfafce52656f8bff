"""LOCO of the two modes blended (`blending`), and when the app starts to adapt to a speaker.

Per simulated session (`loco.reference_masks`), each corpus's single-clip and adaptive
probabilities, each calibrated as the app calibrates them (a temperature fitted on the other
corpora's folds), are blended by how many of the speaker's clips the session heard. The blend's
`half` is chosen on the mean macro-F1 over the sessions of 2 to 20 clips, and the blend is
calibrated by a temperature of its own (two views that disagree make it unsure: the geometric
mean of two calibrated models is not calibrated). The app adapts from the smallest session whose
blend beats a single clip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from emotion.calibration import apply_temperature, fit_temperature
from emotion.voice.blending import blend
from emotion.voice.corpus import VoiceCorpus
from emotion.voice.loco import (
    SESSION_SIZES,
    Config,
    calibrated_predictions,
    heard_clips,
    loco_predictions,
    scored_table,
    session_masks,
    session_name,
    speaker_keys,
)
from emotion.voice.normalise import PRIOR_CLIPS

BLEND_HALVES = (0.5, 1.0, 2.0, 3.0, 5.0, 8.0)
"""The `half` values compared (clips of a speaker at which both modes weigh the same)."""


def session_clips(corpus: VoiceCorpus, adaptive: Config, datasets: list[str]) -> dict:
    """Per session kind and left-out corpus, the speaker's clips heard for each clip."""
    keys = speaker_keys(corpus)
    clips: dict[str, dict[str, np.ndarray]] = {}
    for dataset in datasets:
        test = corpus.datasets == dataset
        masks = session_masks(corpus.labels[test], keys[test], adaptive.settings.seed)
        for session, mask in masks.items():
            clips.setdefault(session, {})[dataset] = heard_clips(keys[test], mask)
    return clips


def session_mean(tables: dict[str, Any]) -> float:
    """The mean over the simulated sessions of their LOCO mean macro-F1."""
    return float(np.mean([tables[session_name(n)]["mean"]["macro_f1"] for n in SESSION_SIZES]))


def blend_loco(
    corpus: VoiceCorpus,
    single: Config,
    adaptive: Config,
    work_dir: Path | None,
    halves: tuple[float, ...] = BLEND_HALVES,
) -> dict[str, Any]:
    """The blend's LOCO tables (per session kind) at the best `half`, each corpus calibrated by
    a temperature fitted on the other corpora's blends; every half's mean; and the temperature
    the app applies, fitted on every corpus."""
    single_p, labels, novelties = loco_predictions(corpus, single, work_dir)
    adaptive_p, _, _ = loco_predictions(corpus, adaptive, work_dir)
    alone = calibrated_predictions(single_p["single clip"], labels, novelties)[0]
    relative = {s: calibrated_predictions(p, labels)[0] for s, p in adaptive_p.items()}
    clips = session_clips(corpus, adaptive, list(labels))

    def blended(half: float) -> dict[str, dict[str, np.ndarray]]:
        return {
            session: {
                d: blend(alone[d], relative[session][d], clips[session][d], half) for d in labels
            }
            for session in relative
        }

    candidates = {half: blended(half) for half in halves}
    means = {half: session_mean(tables(p, labels)) for half, p in candidates.items()}
    best = max(means, key=means.__getitem__)
    probabilities = candidates[best]
    temperature = {
        d: session_temperature(probabilities, labels, [o for o in labels if o != d]) for d in labels
    }
    calibrated = {
        session: {d: apply_temperature(p[d], temperature[d]) for d in labels}
        for session, p in probabilities.items()
    }
    return {
        "half": best,
        "half_candidates": {str(h): m for h, m in means.items()},
        "temperature": session_temperature(probabilities, labels, list(labels)),
        "loco": tables(calibrated, labels),
    }


def tables(
    probabilities: dict[str, dict[str, np.ndarray]], labels: dict[str, np.ndarray]
) -> dict[str, Any]:
    """`scored_table` of every session kind."""
    return {session: scored_table(p, labels) for session, p in probabilities.items()}


def session_temperature(
    probabilities: dict[str, dict[str, np.ndarray]],
    labels: dict[str, np.ndarray],
    datasets: list[str],
) -> float:
    """The temperature fitted on `datasets`' blends in every simulated session of N clips."""
    sessions = [session_name(n) for n in SESSION_SIZES]
    return fit_temperature(
        np.concatenate([probabilities[s][d] for s in sessions for d in datasets]),
        np.concatenate([labels[d] for _ in sessions for d in datasets]),
    )


def switch_point(single_mean: float, sessions: dict[str, Any]) -> int:
    """The fewest clips of a speaker after which the blend beats a single clip on the LOCO mean
    macro-F1 (the largest session simulated if none does)."""
    for size in SESSION_SIZES:
        if sessions[session_name(size)]["mean"]["macro_f1"] > single_mean:
            return size
    return SESSION_SIZES[-1]


def speaker_adaptation(
    corpus: VoiceCorpus, chosen: dict[str, Config], single_mean: float, work_dir: Path | None
) -> dict[str, Any]:
    """What the metrics file says of adapting to a speaker: from how many clips on, the blend's
    `half`, and the blend's LOCO tables."""
    blended = blend_loco(corpus, chosen["single"], chosen["adaptive"], work_dir)
    return {
        "min_clips": switch_point(single_mean, blended["loco"]),
        "prior_clips": PRIOR_CLIPS,
        "blend_half": blended["half"],
        "blend_temperature": blended["temperature"],
        "blend_half_candidates": blended["half_candidates"],
        "rule": "from the smallest simulated session (clips of one speaker) whose LOCO mean "
        "macro-F1 beats single-clip mode, the adaptive model blended with the single-clip model, "
        "the adaptive one weighing n / (n + blend_half) after n clips, the blend calibrated by "
        "blend_temperature",
        "loco": blended["loco"],
    }
