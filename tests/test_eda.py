"""EDA: the pure summary, the media probe on real files, the report files and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from media import write_image, write_tone

from emotion.cli import main
from emotion.datasets.records import Record
from emotion.eda import analyse, format_markdown, load_summaries, write_report
from emotion.eda.figures import eda_figures
from emotion.eda.probe import AudioInfo, ImageInfo, Probe, probe
from emotion.eda.summary import summarise


def record(
    label: str | None, split: str | None = None, group: str = "g", source: str = ""
) -> Record:
    return Record("toy", "image", Path(f"{label}.png"), source or str(label), label, group, split)


def image_probe(digest: str, size: tuple[int, int] = (48, 48)) -> Probe:
    return Probe(digest, ImageInfo(*size, "L"))


def test_summary_counts_imbalance_weights_and_groups() -> None:
    records = [
        *[record("happy", "train", f"s{i % 3}") for i in range(6)],
        *[record("sad", "train", "s0") for _ in range(2)],
        record("happy", "val", "s9"),
        record(None, "train", source="contempt"),
    ]
    probes = [image_probe(str(i)) for i in range(len(records))]
    summary = summarise("toy", "data/toy", records, probes)
    assert summary["n_files"] == 10
    assert summary["n_labelled"] == 9
    assert summary["splits"] == ["train", "val"]
    assert summary["counts"]["train"]["happy"] == 6
    assert summary["counts"]["train"]["sad"] == 2
    assert summary["counts"]["all"]["happy"] == 7
    assert summary["counts"]["val"]["anger"] == 0
    assert summary["groups"] == {"all": 4, "train": 3, "val": 1}
    assert summary["imbalance"]["train"]["ratio"] == 3.0
    assert summary["imbalance"]["train"]["largest"] == "happy"
    assert "anger" in summary["imbalance"]["train"]["missing"]
    assert summary["class_weights"] == {
        "split": "train",
        "weights": {"happy": round(8 / (2 * 6), 3), "sad": 2.0},
    }
    assert {"source": "contempt", "label": None, "count": 1} in summary["label_mapping"]
    assert summary["media"]["sizes"] == {"48x48": 9}


def test_summary_finds_duplicates_across_splits_and_labels() -> None:
    records = [record("happy", "train"), record("sad", "val"), record("anger", "train")]
    probes = [image_probe("same"), image_probe("same"), image_probe("other")]
    duplicates = summarise("toy", "d", records, probes)["duplicates"]
    assert duplicates["sets"] == 1
    assert duplicates["extra_copies"] == 1
    assert duplicates["across_splits"] == 1
    assert duplicates["conflicting_labels"] == 1
    assert duplicates["examples"] == [["happy.png (train, happy)", "sad.png (val, sad)"]]


def test_summary_of_audio_durations() -> None:
    records = [Record("toy", "audio", Path(f"{i}.wav"), "sad", "sad", "a") for i in range(4)]
    probes = [Probe(str(i), AudioInfo(d, 16000, 1)) for i, d in enumerate([1.0, 2.0, 3.0, 4.0])]
    media = summarise("toy", "d", records, probes)["media"]
    assert media["duration_s"]["min"] == 1.0
    assert media["duration_s"]["median"] == 2.5
    assert media["duration_s"]["max"] == 4.0
    assert media["duration_s"]["total_min"] == round(10 / 60, 1)
    assert sum(media["duration_histogram"]["counts"]) == 4
    assert media["sample_rates"] == {"16000": 4}


def test_probe_reads_real_files_and_reports_unreadable_ones(tmp_path: Path) -> None:
    image = write_image(tmp_path / "a.png", (64, 32), "RGB")
    clip = write_tone(tmp_path / "b.flac", seconds=1.5, sample_rate=22050, channels=2)
    broken = tmp_path / "c.wav"
    broken.write_bytes(b"RIFF not really a wav")
    image_result = probe(Record("t", "image", image, "x", "happy", "g"))
    assert image_result.media == ImageInfo(64, 32, "RGB")
    assert image_result.digest
    clip_result = probe(Record("t", "audio", clip, "x", "sad", "g"))
    assert clip_result.media == AudioInfo(1.5, 22050, 2)
    broken_result = probe(Record("t", "audio", broken, "x", "sad", "g"))
    assert broken_result.media is None
    assert broken_result.error


def test_identical_pixels_in_other_formats_share_a_digest(tmp_path: Path) -> None:
    png = write_image(tmp_path / "a.png")
    bmp = write_image(tmp_path / "b.bmp")
    other = write_image(tmp_path / "c.png", (40, 40))
    digests = [probe(Record("t", "image", p, "x", "sad", "g")).digest for p in (png, bmp, other)]
    assert digests[0] == digests[1] != digests[2]


@pytest.fixture
def audio_set(tmp_path: Path) -> Path:
    root = tmp_path / "clips"
    for i in range(3):
        write_tone(root / "angry" / f"a{i}.wav", seconds=0.5 + i)
    write_tone(root / "happy" / "h.ogg", seconds=1.0, sample_rate=22050)
    write_tone(root / "calm" / "c.wav")
    return root


def test_report_files_work_offline(audio_set: Path, tmp_path: Path) -> None:
    summary = analyse("audio-folders", audio_set)
    written = write_report(summary, tmp_path / "out")
    names = {path.name for path in written}
    assert {"summary.json", "summary.md", "counts.html", "durations.html"} <= names
    assert (tmp_path / "out" / "plotly.min.js").is_file()
    html = (tmp_path / "out" / "counts.html").read_text()
    assert "plotly.min.js" in html
    assert "cdn" not in html.lower()
    assert json.loads((tmp_path / "out" / "summary.json").read_text()) == summary
    assert load_summaries(tmp_path) == {"audio-folders": summary}


def test_figures_and_markdown_show_the_counts(audio_set: Path) -> None:
    summary = analyse("audio-folders", audio_set)
    figures = eda_figures(summary)
    assert set(figures) == {"counts", "durations", "sample_rates"}  # 16 and 22.05 kHz
    one_rate = {**summary, "media": {**summary["media"], "sample_rates": {"16000": 4}}}
    assert set(eda_figures(one_rate)) == {"counts", "durations"}  # one bar would say nothing
    assert list(figures["counts"].data[0].y) == [3, 0, 0, 1, 0, 0, 0]
    markdown = format_markdown(summary)
    assert "| all | 3 | 0 | 0 | 1 | 0 | 0 | 0 | 4 |" in markdown
    assert "calm -> dropped (1)" in markdown
    assert "16000 Hz (3), 22050 Hz (1)" in markdown


def test_eda_command_prints_report_and_writes_files(
    audio_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    status = main(
        ["eda", "--dataset", "audio-folders", "--data", str(audio_set), "--out", str(out)]
    )
    assert status == 0
    assert "## audio-folders (audio)" in capsys.readouterr().out
    assert (out / "summary.json").is_file()
    assert (
        main(
            [
                "eda",
                "--dataset",
                "audio-folders",
                "--data",
                str(audio_set),
                "--out",
                str(out),
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["n_labelled"] == 4


def test_eda_command_explains_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eda", "--dataset", "tess", "--data", str(tmp_path)]) == 2
    assert "error: no tess files found" in capsys.readouterr().err
    assert main(["eda", "--dataset", "savee"]) == 2
    assert "--data is required" in capsys.readouterr().err


def test_datasets_command_lists_every_layout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "cremad (audio)" in out
    assert "calm dropped (calm is not neutral)" in out
    assert "turev (audio)" in out and "evaluation only" in out
