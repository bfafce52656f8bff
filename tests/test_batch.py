"""`python -m emotion analyze`: a row per file of a mixed folder, in JSON Lines or CSV, resumable,
and the same rows on one worker, several, and Ray."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from media import blank_frames, face_frame, voice_like, write_video
from PIL import Image

from emotion.batch import AnalysisSettings, analyze_file, analyze_files
from emotion.batch.output import complete_lines
from emotion.cli import main
from emotion.labels import EMOTIONS
from emotion.paths import data_root
from emotion.voice.analysis import analyze_audio_file
from emotion.voice.speaker import SpeakerProfile

ANGRY_CLIP = "ravdess/Actor_01/03-01-05-02-01-01-01.flac"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like a user's: a face photo, a photo without a face, a voice clip (in a
    subfolder), a video, a damaged photo, a text file and a hidden file."""
    if not (data_root() / "jaffe").is_dir():
        pytest.skip(f"real datasets not found at {data_root()}")
    root = tmp_path_factory.mktemp("archive")
    face = np.asarray(Image.open(data_root() / "jaffe" / "KA.HA1.29.tiff").convert("L"))
    Image.fromarray(face_frame(face)).save(root / "face.jpg")
    Image.new("RGB", (320, 240), (90, 120, 150)).save(root / "wall.png")
    (root / "clips").mkdir()
    (root / "clips" / "angry.flac").write_bytes((data_root() / ANGRY_CLIP).read_bytes())
    write_video(
        root / "talk.mp4",
        [face_frame(face)] * 10 + blank_frames(10, (640, 480)),
        fps=10,
        sound=voice_like(2.0),
    )
    (root / "broken.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(2000))
    (root / "notes.txt").write_text("Interview notes, day 1.\n" * 200)  # FFmpeg reads text too
    (root / ".DS_Store").write_bytes(b"\0" * 10)
    return root


def rows_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def by_path(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {Path(row["path"]).name: row for row in rows}


def test_every_file_gets_a_row_with_a_result_or_a_plain_error(
    archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "results.jsonl"
    assert main(["analyze", str(archive), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    rows = by_path(rows_of(out))
    assert set(rows) == {
        "face.jpg",
        "wall.png",
        "angry.flac",
        "talk.mp4",
        "broken.jpg",
        "notes.txt",
    }
    face = rows["face.jpg"]
    assert (face["kind"], face["label"], face["error"], face["faces_found"]) == (
        "image",
        "happy",
        None,
        1,
    )
    assert face["fused"] == face["face"] and face["voice"] is None
    assert face["confidence"] == max(face["fused"].values())
    clip = rows["angry.flac"]
    assert (
        clip["kind"] == "audio" and clip["duration_s"] > 1 and set(clip["voice"]) == set(EMOTIONS)
    )
    video = rows["talk.mp4"]
    assert video["kind"] == "video" and video["frames"] == 4 and video["frames_with_face"] == 2
    assert video["face"] is not None and video["error"] is None
    assert rows["wall.png"]["error"] == "No face found in the photo."
    assert rows["broken.jpg"]["kind"] is None  # random bytes after a JPEG marker
    assert rows["broken.jpg"]["error"] == "Not a photo, audio clip or video this app reads."
    assert rows["notes.txt"] == {
        "path": str(archive / "notes.txt"),
        "kind": None,
        "size_bytes": 4800,
        **dict.fromkeys(["face", "voice", "fused", "label", "confidence"]),
        "error": "Not a photo, audio clip or video this app reads.",
    }


def test_detail_gives_every_face_box_and_voice_window(archive: Path) -> None:
    settings = AnalysisSettings(detail=True)
    photo = analyze_file(archive / "face.jpg", settings)
    (face,) = photo["faces"]
    x, y, width, height = face["box"]
    assert 150 < x + width / 2 < 490 and 100 < y + height / 2 < 380
    video = analyze_file(archive / "talk.mp4", settings)
    assert [len(point["faces"]) for point in video["timeline"]] == [1, 1, 0, 0]
    assert video["windows"] and all("start_s" in window for window in video["windows"])


def test_a_run_resumes_after_an_interruption(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    arguments = ["analyze", str(archive), "--out", str(out), "--workers", "1", "--quiet"]
    assert main(arguments) == 0
    complete = out.read_text()
    lines = complete.splitlines(keepends=True)
    out.write_text("".join(lines[:3]) + lines[3][:25])  # killed while writing the fourth row
    assert len(complete_lines(out)) == 3 and out.read_text().endswith("\n")
    assert main(arguments) == 0
    again = rows_of(out)
    assert len(again) == len(lines)
    assert sorted(again, key=lambda r: r["path"]) == sorted(
        rows_of_text(complete), key=lambda r: r["path"]
    )
    assert main(arguments) == 0
    assert len(rows_of(out)) == len(lines)  # nothing left to do


def rows_of_text(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_csv_holds_the_same_results_flat(archive: Path, tmp_path: Path) -> None:
    jsonl, table = tmp_path / "r.jsonl", tmp_path / "r.csv"
    for out in (jsonl, table):
        assert main(["analyze", str(archive), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    rows = by_path(rows_of(jsonl))
    with table.open(newline="") as handle:
        flat = {Path(row["path"]).name: row for row in csv.DictReader(handle)}
    assert set(flat) == set(rows)
    for name, row in rows.items():
        assert flat[name]["error"] == (row["error"] or "")
        assert flat[name]["label"] == (row["label"] or "")
        for emotion in EMOTIONS:
            expected = (row.get("fused") or {}).get(emotion)
            assert flat[name][f"fused_{emotion}"] == ("" if expected is None else str(expected))


def test_rows_are_the_same_on_one_worker_several_and_ray(archive: Path) -> None:
    one = sorted(analyze_files([archive], workers=1), key=lambda row: row["path"])
    two = sorted(analyze_files([archive], workers=2), key=lambda row: row["path"])
    assert one == two
    ray = pytest.importorskip("ray")
    try:
        on_ray = sorted(analyze_files([archive], workers=2, engine="ray"), key=lambda r: r["path"])
    finally:
        ray.shutdown()
    assert on_ray == one


def test_the_package_exposes_the_per_file_function() -> None:
    import emotion

    assert emotion.analyze_file is analyze_file and emotion.analyze_files is analyze_files


SPEAKERS = {"Actor_01": 6, "Actor_02": 1}  # RAVDESS clips of one window each


@pytest.fixture(scope="module")
def speakers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive with a folder per speaker: six clips of one, one of another, and a damaged
    clip in the first."""
    if not (data_root() / "ravdess").is_dir():
        pytest.skip(f"real datasets not found at {data_root()}")
    root = tmp_path_factory.mktemp("speakers")
    for actor, count in SPEAKERS.items():
        (root / actor).mkdir()
        clips = sorted((data_root() / "ravdess" / actor).glob("*.flac"))[::10][:count]
        for clip in clips:
            (root / actor / clip.name).write_bytes(clip.read_bytes())
    (root / "Actor_01" / "cut.flac").write_bytes(b"fLaC" + os.urandom(500))
    return root


def test_speaker_folders_judge_each_clip_relative_to_its_speaker(
    speakers: Path, tmp_path: Path
) -> None:
    out, alone = tmp_path / "speakers.jsonl", tmp_path / "alone.jsonl"
    arguments = ["analyze", str(speakers), "--workers", "1", "--quiet"]
    assert main([*arguments, "--out", str(out), "--speaker-folders"]) == 0
    assert main([*arguments, "--out", str(alone)]) == 0
    rows, single = by_path(rows_of(out)), by_path(rows_of(alone))
    first = [row for row in rows_of(out) if "Actor_01" in row["path"] and row["error"] is None]
    assert len(first) == SPEAKERS["Actor_01"]
    assert {row["voice_mode"] for row in first} == {"speaker adaptive"}
    second = [row for row in rows_of(out) if "Actor_02" in row["path"]]
    assert {row["voice_mode"] for row in second} == {"single clip"}  # its own only reference
    assert {row["voice_mode"] for row in single.values() if row["error"] is None} == {"single clip"}
    assert rows["cut.flac"]["error"] == single["cut.flac"]["error"] is not None
    # the same judgement the app gives once it has heard the speaker's clips
    speaker = SpeakerProfile()
    paths = [Path(row["path"]) for row in first]
    for path in paths:
        analyze_audio_file(path, speaker=speaker)
    judged = analyze_audio_file(paths[0], speaker=speaker, learn=False).probabilities
    assert rows[paths[0].name]["voice"] == pytest.approx(judged, abs=1e-4)
    assert rows[paths[0].name]["voice"] != pytest.approx(single[paths[0].name]["voice"], abs=1e-3)
    # resumed after an interruption, or on two workers: the same rows
    lines = out.read_text().splitlines(keepends=True)
    out.write_text("".join(lines[:2]))
    assert main([*arguments, "--out", str(out), "--speaker-folders"]) == 0
    assert by_path(rows_of(out)) == rows
    settings = AnalysisSettings(speaker_folders=True)
    two = by_path(list(analyze_files([speakers], settings, workers=2)))
    assert two == rows
