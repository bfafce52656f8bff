"""`analyze --speaker-folders`: the audio clips in one folder are one speaker's, and each is
judged relative to that speaker's voice heard in all of them, as the app judges a user's clips
after a calibration recording. On voices from corpora it never heard, the voice model is right
far more often that way than on a clip alone (README, "Voice model").

The work of a run is cut into jobs: with speaker folders, a job is one folder (every file of it
is heard first, then the rows are written); otherwise one file. A resumed run hears a folder's
finished files again, so that its other rows come out as in an uninterrupted run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emotion.batch.kinds import media_kind
from emotion.batch.rows import USER_ERRORS, AnalysisSettings, HeardClip, analyze_file, hear_clip
from emotion.voice.speaker import SpeakerProfile

Job = tuple[list[str], list[str]]
"""Every file of a job (a speaker's folder, or one file), and those to write rows for."""


def analysis_jobs(
    paths: list[str], settings: AnalysisSettings, skip: frozenset[str] = frozenset()
) -> list[Job]:
    """The jobs for `paths`, leaving out the rows in `skip` (already written)."""
    if not settings.speaker_folders:
        return [([path], [path]) for path in paths if path not in skip]
    folders: dict[str, list[str]] = {}
    for path in paths:
        folders.setdefault(str(Path(path).parent), []).append(path)
    return [
        (files, wanted)
        for files in folders.values()
        if (wanted := [path for path in files if path not in skip])
    ]


def heard_clips(paths: list[str]) -> dict[str, HeardClip]:
    """Every audio clip among `paths` that holds a voice, decoded and measured."""
    heard = {}
    for path in paths:
        try:
            if media_kind(Path(path)) == "audio":
                heard[path] = hear_clip(Path(path))
        except (*USER_ERRORS, OSError, MemoryError):
            continue  # its row says why
    return heard


def run_job(job: Job, settings: AnalysisSettings) -> list[dict[str, Any]]:
    """The rows of one job."""
    files, wanted = job
    if not settings.speaker_folders:
        return [analyze_file(path, settings) for path in wanted]
    heard = heard_clips(files)
    speaker = SpeakerProfile()
    for clip in heard.values():
        speaker.add(clip.windows.judged)
    return [analyze_file(path, settings, speaker, heard.get(path)) for path in wanted]
