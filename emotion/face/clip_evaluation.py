"""`python -m emotion evaluate face --clips FOLDER`: the face verdict of labelled videos under
every rule of `emotion.face.motion`, clip by clip (a folder with a labels.csv of path,emotion,
as `../shared/data/av_samples`).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from emotion.face.analysis import analyze_image
from emotion.face.motion import CLIP_RULES, clip_probabilities
from emotion.labels import top_emotion
from emotion.video import read_video


def labelled_clips(folder: Path) -> list[tuple[Path, str]]:
    """(video, emotion) for each row of the folder's labels.csv (columns path and emotion)."""
    with (folder / "labels.csv").open(newline="") as rows:
        return [(folder / row["path"], row["emotion"]) for row in csv.DictReader(rows)]


def clip_frames(path: Path) -> list[dict[str, float]]:
    """The largest face's probabilities in each sampled frame of a video that shows one."""
    frames = []
    for _, pixels in read_video(path).frames():
        faces = analyze_image(pixels)
        if faces:
            frames.append(faces[0].probabilities)
    return frames


def score_clips(folder: Path) -> dict[str, Any]:
    """Each labelled clip's face verdict under every rule, and how many each rule gets right."""
    clips = []
    for path, emotion in labelled_clips(folder):
        frames = clip_frames(path)
        verdicts = {}
        for rule in CLIP_RULES:
            probabilities = clip_probabilities(frames, rule)
            verdicts[rule] = top_emotion(probabilities) if probabilities else None
        clips.append(
            {"clip": path.name, "emotion": emotion, "frames": len(frames), "verdicts": verdicts}
        )
    right = {rule: sum(c["verdicts"][rule] == c["emotion"] for c in clips) for rule in CLIP_RULES}
    return {"clips": clips, "right": right, "n": len(clips)}


def format_clips(scores: dict[str, Any]) -> str:
    """One line per clip: its emotion, frames with a face and each rule's verdict."""
    lines = [
        f"{'clip':<36}{'emotion':<10}{'frames':>7}  " + "".join(f"{r:<12}" for r in CLIP_RULES)
    ]
    for clip in scores["clips"]:
        verdicts = "".join(f"{clip['verdicts'][r] or '-':<12}" for r in CLIP_RULES)
        lines.append(f"{clip['clip']:<36}{clip['emotion']:<10}{clip['frames']:>7}  {verdicts}")
    right = "".join(f"{scores['right'][r]:<12}" for r in CLIP_RULES)
    lines.append(f"{'right, of ' + str(scores['n']):<53}  {right}")
    return "\n".join(lines)
