"""`python -m emotion evaluate voice`: score a labelled folder with the served model, both modes.

Every clip goes through the same code as in the app (decode, resample, trim, windows, features,
LiteRT, calibration). Single clip: each clip judged alone (`accuracy`, `macro_f1`). Speaker
adaptive: the clips of each speaker (from the dataset's own naming) form that speaker's profile,
as after a "calibrate to my voice" recording, and each clip is judged relative to it
(`speaker_adaptive`). A clip that cannot be judged (silent, too short, noise) counts as a miss,
with its reason. Clips are read and their features computed in a process per core.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from emotion.audio.decoding import decode_audio
from emotion.audio.errors import AudioError
from emotion.datasets import detect_dataset, load_records
from emotion.metrics import classification_report, folder_report
from emotion.model_files import model_files
from emotion.splits import select_split
from emotion.voice.analysis import VoiceWindows, judge_windows, voice_windows
from emotion.voice.corpus import in_processes
from emotion.voice.served import voice_model
from emotion.voice.speaker import SpeakerProfile


def clip_windows(path: Path) -> VoiceWindows | str:
    """A clip's windows with their features, or why it cannot be judged."""
    try:
        return voice_windows(*decode_audio(path))
    except AudioError as error:
        return str(error)


def evaluate_voice(
    root: Path,
    dataset: str | None = None,
    split: str = "all",
    models_dir: Path | None = None,
    workers: int = 0,
) -> dict[str, Any]:
    """accuracy, macro_f1, n, per_class_recall, confusion... of the voice model on `root`, in
    single-clip mode, and the same under `speaker_adaptive`.

    `split` keeps only the speakers the project's split puts in train, val or test ("all":
    every clip, for corpora the model never saw). `workers`: processes (0: one per core).
    """
    name = dataset or detect_dataset(root, "audio")
    records = select_split(load_records(name, root), split)
    model = voice_model(models_dir)
    computed = in_processes(clip_windows, [r.path for r in records], workers, "features")
    windows = [clip if isinstance(clip, VoiceWindows) else None for clip in computed]
    problems = Counter(clip.split(":")[0].rstrip(".") for clip in computed if isinstance(clip, str))
    profiles: dict[str, SpeakerProfile] = {}
    for record, clip in zip(records, windows, strict=True):
        if clip is not None:
            profiles.setdefault(record.group, SpeakerProfile()).add(clip.judged)
    single = [judge_windows(w, model).label if w else None for w in windows]
    adaptive = [
        judge_windows(w, model, profiles[r.group]).label if w else None
        for r, w in zip(records, windows, strict=True)
    ]
    truth = [record.label for record in records]
    report = folder_report(
        model_files("voice", models_dir).litert, name, root, split, truth, single
    )
    return {
        **report,
        "mode": "single clip",
        "not_judged": dict(problems),
        "speaker_adaptive": {
            "speakers": len(profiles),
            "grouped_by": "the speaker in the dataset's own file or folder names",
            **classification_report(truth, adaptive),
        },
    }
