"""What a user takes away: an analysis as JSON and a video's timeline as CSV."""

from __future__ import annotations

import csv
import io
import json

from emotion.exports import analysis_record, timeline_csv
from emotion.face.analysis import FaceResult
from emotion.face.detection import Box
from emotion.fusion import fuse
from emotion.labels import EMOTIONS
from emotion.video import TimelinePoint
from emotion.voice.analysis import VoiceResult, WindowResult

HAPPY = dict.fromkeys(EMOTIONS, 0.05) | {"happy": 0.7}
SAD = dict.fromkeys(EMOTIONS, 0.1) | {"sad": 0.4}


def test_an_analysis_record_holds_faces_voice_and_the_fusion() -> None:
    faces = [FaceResult(Box(10, 20, 30, 40, 2.5), HAPPY)]
    voice = VoiceResult(SAD, [WindowResult(0.0, 3.0, SAD), WindowResult(1.5, 4.0, None, "pause")])
    fused = fuse(HAPPY, SAD, 0.7, "arithmetic")
    record = json.loads(json.dumps(analysis_record(faces, voice, fused, 0.7, "arithmetic")))
    assert record["faces"] == [{"box": [10, 20, 30, 40], "probabilities": HAPPY}]
    assert record["voice"] == SAD and record["voice_mode"] == "single clip"
    assert [w["problem"] for w in record["windows"]] == [None, "pause"]
    assert record["label"] == "happy" and record["face_weight"] == 0.7
    assert record["fused"]["happy"] == round(0.7 * 0.7 + 0.3 * 0.1, 4)


def test_nothing_found_is_a_record_of_nothing() -> None:
    record = analysis_record(None, None, None, 0.5, "geometric")
    assert record["faces"] == [] and record["voice"] is None and record["label"] is None


def test_a_timeline_is_one_csv_line_per_time_with_blanks_where_a_source_is_missing() -> None:
    points = [
        TimelinePoint(0.0, HAPPY, None, fuse(HAPPY, None)),
        TimelinePoint(0.5, None, None, None),
    ]
    rows = list(csv.DictReader(io.StringIO(timeline_csv(points))))
    assert [row["time_s"] for row in rows] == ["0.0", "0.5"]
    assert rows[0]["face_happy"] == "0.7" and rows[0]["voice_happy"] == ""
    assert rows[0]["fused_happy"] == rows[0]["face_happy"]
    assert all(value == "" for key, value in rows[1].items() if key != "time_s")
