"""What the app may honestly say about a fused result: a verdict, or "unsure", and whether face and
voice disagree.

Both models' probabilities are calibrated (a temperature each), so a top probability reads as
the chance of being right: below one half the top emotion is more likely wrong than right, and
the app says "unsure" rather than a confident headline. Face and voice disagree when both are used
and their top emotions differ; the app then shows both, so that a user sees the conflict the
fused number hides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from emotion.fusion import FusedResult
from emotion.labels import top_emotion

UNSURE_BELOW = 0.5


@dataclass(frozen=True)
class Verdict:
    """The fused top emotion, its probability, its margin over the runner-up, whether that is
    too low to state as a verdict, and the face's and voice's own top emotions when they
    disagree (else None)."""

    label: str
    confidence: float
    runner_up: str
    margin: float
    unsure: bool
    disagreement: tuple[str, str] | None


def verdict(
    fused: FusedResult,
    face: Mapping[str, float] | None = None,
    voice: Mapping[str, float] | None = None,
) -> Verdict:
    """The verdict on `fused`, given the face's and voice's probabilities it came from."""
    ranked = sorted(fused.probabilities.items(), key=lambda item: item[1], reverse=True)
    (label, confidence), (runner_up, second) = ranked[0], ranked[1]
    both = face is not None and voice is not None and set(fused.sources) == {"face", "voice"}
    labels = (top_emotion(face), top_emotion(voice)) if both else None  # type: ignore[arg-type]
    return Verdict(
        label=label,
        confidence=confidence,
        runner_up=runner_up,
        margin=confidence - second,
        unsure=confidence < UNSURE_BELOW,
        disagreement=labels if labels and labels[0] != labels[1] else None,
    )


def phrase(label: str, confidence: float, bold: bool = True) -> str:
    """An emotion and its probability in a few words: "**happy** (72%)", or "unsure: perhaps
    **happy** (41%)" below one half (`bold=False`: without the Markdown)."""
    stated = f"**{label}** ({confidence:.0%})" if bold else f"{label} ({confidence:.0%})"
    return f"unsure: perhaps {stated}" if confidence < UNSURE_BELOW else stated


def headline(result: Verdict) -> str:
    """The fused verdict in a few words (see `phrase`)."""
    return phrase(result.label, result.confidence)


def details(result: Verdict) -> str:
    """The margin, and why the verdict is unsure, in a sentence or two."""
    margin = (
        f"{result.margin:.0%} ahead of {result.runner_up}"
        if result.margin >= 0.005
        else f"tied with {result.runner_up}"
    )
    if not result.unsure:
        return f"{result.label.capitalize()} is {margin}."
    return (
        f"{result.label.capitalize()} is {margin}, but at {result.confidence:.0%} it is more "
        "likely wrong than right: read the probabilities, not a verdict."
    )


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh")


def rank_of(label: str, probabilities: Mapping[str, float]) -> int:
    """Where `label` stands among `probabilities` (0: the most probable)."""
    return sorted(probabilities, key=probabilities.__getitem__, reverse=True).index(label)


def why_neither(
    result: Verdict, face: Mapping[str, float], voice: Mapping[str, float]
) -> str | None:
    """When face and voice disagree and the fused emotion is neither one's first choice, one
    plain sentence on why it wins (both rank it high); None otherwise."""
    if result.disagreement is None or result.label in result.disagreement:
        return None
    label = result.label
    return (
        f"**{label.capitalize()}** is neither model's first choice, but both rank it high: the "
        f"face gives it {face[label]:.0%} (its {ORDINALS[rank_of(label, face)]} choice), the "
        f"voice {voice[label]:.0%} (its {ORDINALS[rank_of(label, voice)]}), so it wins when "
        "the two are combined."
    )
