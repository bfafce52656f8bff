"""Each loader reads a tiny copy of its dataset's native layout that the test writes itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from media import write_image, write_tone

from emotion.datasets import DATASETS, DatasetError, detect_dataset, load_records
from emotion.labels import EMOTIONS


def table(records: list) -> list[tuple[str, str | None, str, str | None]]:
    """(file name, label, group, split) of each record, sorted: what a test compares."""
    return sorted((r.path.name, r.label, r.group, r.split) for r in records)


def test_fer2013_folders_take_split_from_file_name(tmp_path: Path) -> None:
    write_image(tmp_path / "train" / "angry" / "Training_1.jpg")
    write_image(tmp_path / "train" / "disgust" / "Training_2.jpg")
    write_image(tmp_path / "val" / "happy" / "PublicTest_3.jpg")
    write_image(tmp_path / "test" / "surprise" / "PrivateTest_4.jpg")
    write_image(tmp_path / "train" / "neutral" / "PrivateTest_5.jpg")
    assert table(load_records("fer2013", tmp_path)) == [
        ("PrivateTest_4.jpg", "surprise", "PrivateTest_4", "test"),
        ("PrivateTest_5.jpg", "neutral", "PrivateTest_5", "test"),
        ("PublicTest_3.jpg", "happy", "PublicTest_3", "val"),
        ("Training_1.jpg", "anger", "Training_1", "train"),
        ("Training_2.jpg", "disgust", "Training_2", "train"),
    ]


@pytest.mark.parametrize("as_folder", [True, False])
def test_fer2013_csv_rows_become_48x48_images(tmp_path: Path, as_folder: bool) -> None:
    pixels = np.arange(48 * 48) % 256
    csv_path = tmp_path / "fer2013.csv"
    csv_path.write_text(
        "emotion,pixels,Usage\n"
        f"0,{' '.join(map(str, pixels))},Training\n"
        f"6,{' '.join(['7'] * 48 * 48)},PublicTest\n"
        f"4,{' '.join(['0'] * 48 * 48)},PrivateTest\n"
    )
    records = load_records("fer2013", tmp_path if as_folder else csv_path)
    assert [(r.label, r.split, r.source_label) for r in records] == [
        ("anger", "train", "0"),
        ("neutral", "val", "6"),
        ("sad", "test", "4"),
    ]
    assert records[0].pixels.shape == (48, 48)
    assert records[0].pixels.dtype == np.uint8
    np.testing.assert_array_equal(records[0].pixels.ravel(), pixels)
    assert int(records[1].pixels.max()) == 7


def test_ravdess_drops_calm_and_groups_by_actor(tmp_path: Path) -> None:
    write_tone(tmp_path / "Actor_01" / "03-01-02-01-01-01-01.flac")
    write_tone(tmp_path / "Actor_01" / "03-01-08-02-01-02-01.wav")
    write_tone(tmp_path / "Actor_12" / "03-01-05-01-02-01-12.mp3")
    write_tone(tmp_path / "Actor_12" / "03-01-07-01-02-01-12.opus")
    write_tone(tmp_path / "Actor_12" / "readme-not-a-clip.wav")
    write_tone(tmp_path / "Actor_12" / "03-01-09-01-02-01-12.wav")  # no emotion 09
    records = load_records("ravdess", tmp_path)
    assert table(records) == [
        ("03-01-05-01-02-01-12.mp3", "anger", "Actor_12", None),
        ("03-01-07-01-02-01-12.opus", "disgust", "Actor_12", None),
        ("03-01-08-02-01-02-01.wav", "surprise", "Actor_01", None),
    ]
    assert {r.source_label for r in records} == {"angry", "disgust", "surprised"}
    dropped = load_records("ravdess", tmp_path, include_dropped=True)
    assert [(r.source_label, r.label) for r in dropped if r.label is None] == [("calm", None)]


def test_tess_label_from_file_name_speaker_from_folder(tmp_path: Path) -> None:
    write_tone(tmp_path / "OAF_Pleasant_surprise" / "OAF_back_ps.opus")
    write_tone(tmp_path / "YAF_fear" / "YAF_bar_fear.wav")
    write_tone(tmp_path / "OAF_neutral" / "OA_bite_neutral.wav")  # typo in the real release
    write_tone(tmp_path / "YAF_angry" / "YAF_chalk_Angry.ogg")
    assert table(load_records("tess", tmp_path)) == [
        ("OAF_back_ps.opus", "surprise", "OAF", None),
        ("OA_bite_neutral.wav", "neutral", "OAF", None),
        ("YAF_bar_fear.wav", "fear", "YAF", None),
        ("YAF_chalk_Angry.ogg", "anger", "YAF", None),
    ]


def test_savee_flat_and_nested_layouts(tmp_path: Path) -> None:
    write_tone(tmp_path / "ALL" / "DC_a01.wav")
    write_tone(tmp_path / "ALL" / "DC_sa02.wav")
    write_tone(tmp_path / "ALL" / "KL_su15.flac")
    write_tone(tmp_path / "AudioData" / "JE" / "n01.wav")
    write_tone(tmp_path / "AudioData" / "JK" / "d03.wav")
    write_tone(tmp_path / "AudioData" / "JK" / "x03.wav")
    assert table(load_records("savee", tmp_path)) == [
        ("DC_a01.wav", "anger", "DC", None),
        ("DC_sa02.wav", "sad", "DC", None),
        ("KL_su15.flac", "surprise", "KL", None),
        ("d03.wav", "disgust", "JK", None),
        ("n01.wav", "neutral", "JE", None),
    ]


def test_cremad_codes_and_actors(tmp_path: Path) -> None:
    write_tone(tmp_path / "1001_DFA_ANG_XX.wav")
    write_tone(tmp_path / "1002_IEO_FEA_HI.mp3")
    write_tone(tmp_path / "1091_TSI_NEU_XX.flac")
    write_tone(tmp_path / "1091_TSI_XYZ_XX.flac")
    assert table(load_records("cremad", tmp_path)) == [
        ("1001_DFA_ANG_XX.wav", "anger", "1001", None),
        ("1002_IEO_FEA_HI.mp3", "fear", "1002", None),
        ("1091_TSI_NEU_XX.flac", "neutral", "1091", None),
    ]


def test_emodb_letters_and_speakers(tmp_path: Path) -> None:
    for name in ("03a01Fa", "16b10Wb", "08a05Lc", "10a07Ta", "11b03Ed", "09a01Nc", "README"):
        write_tone(tmp_path / f"{name}.opus")
    assert table(load_records("emodb", tmp_path)) == [
        ("03a01Fa.opus", "happy", "03", None),
        ("09a01Nc.opus", "neutral", "09", None),
        ("10a07Ta.opus", "sad", "10", None),
        ("11b03Ed.opus", "disgust", "11", None),
        ("16b10Wb.opus", "anger", "16", None),
    ]
    everything = load_records("emodb", tmp_path, include_dropped=True)
    assert [(r.source_label, r.label) for r in everything if r.label is None] == [("L", None)]


def test_emovo_codes_and_speakers(tmp_path: Path) -> None:
    for speaker, name in (("f1", "dis-f1-b1"), ("m3", "gio-m3-n2"), ("m3", "sor-m3-l1")):
        write_tone(tmp_path / speaker / f"{name}.wav")
    write_tone(tmp_path / "f2" / "xyz-f2-b1.wav")
    assert table(load_records("emovo", tmp_path)) == [
        ("dis-f1-b1.wav", "disgust", "f1", None),
        ("gio-m3-n2.wav", "happy", "m3", None),
        ("sor-m3-l1.wav", "surprise", "m3", None),
    ]


def test_urdu_is_one_group_labelled_by_folder(tmp_path: Path) -> None:
    write_tone(tmp_path / "Angry" / "SM1_F10_A010.opus")
    write_tone(tmp_path / "Neutral" / "SM2_F1_N023.opus")
    assert table(load_records("urdu", tmp_path)) == [
        ("SM1_F10_A010.opus", "anger", "urdu", None),
        ("SM2_F1_N023.opus", "neutral", "urdu", None),
    ]


def test_turev_drops_calm_and_groups_by_speaker(tmp_path: Path) -> None:
    write_tone(tmp_path / "Angry" / "1234_kz_acik.opus")
    write_tone(tmp_path / "Sad" / "6783_hl_beste.opus")
    write_tone(tmp_path / "Calm" / "1984_sk_kagit.opus")
    assert table(load_records("turev", tmp_path)) == [
        ("1234_kz_acik.opus", "anger", "1234", None),
        ("6783_hl_beste.opus", "sad", "6783", None),
    ]
    assert len(load_records("turev", tmp_path, include_dropped=True)) == 3


def test_spanish_names_with_stray_characters(tmp_path: Path) -> None:
    for name in ("Alegria_7", "Ira_", "Neutro", "Sorpresa_12", "Otro_1"):
        write_tone(tmp_path / "3" / f"{name}.opus")
    write_tone(tmp_path / "notes" / "Miedo_1.opus")
    assert table(load_records("spanish_rcebrian", tmp_path)) == [
        ("Alegria_7.opus", "happy", "3", None),
        ("Ira_.opus", "anger", "3", None),
        ("Neutro.opus", "neutral", "3", None),
        ("Sorpresa_12.opus", "surprise", "3", None),
    ]


def test_nemo_speaker_and_emotion(tmp_path: Path) -> None:
    for name in ("EB0_anger_13", "SM0_happiness_2", "IC0_surprised_40", "KD0_sadness_1"):
        write_tone(tmp_path / "samples" / f"{name}.opus")
    assert table(load_records("nemo", tmp_path)) == [
        ("EB0_anger_13.opus", "anger", "EB0", None),
        ("IC0_surprised_40.opus", "surprise", "IC0", None),
        ("KD0_sadness_1.opus", "sad", "KD0", None),
        ("SM0_happiness_2.opus", "happy", "SM0", None),
    ]


def test_emospeech_hash_is_the_speaker_and_calm_is_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "webservice"
    write_tone(folder / "bacho-safe-angry-1563213173113-fda31b.opus")
    write_tone(folder / "help-safe-fearful-??-3d9d3e.opus")
    write_tone(folder / "no-safe-calm-1563077742236-1cfb36.opus")
    write_tone(folder / "stray.opus")
    assert table(load_records("emospeech_indian", tmp_path)) == [
        ("bacho-safe-angry-1563213173113-fda31b.opus", "anger", "fda31b", None),
        ("help-safe-fearful-??-3d9d3e.opus", "fear", "3d9d3e", None),
    ]


def test_jaffe_codes_and_subjects(tmp_path: Path) -> None:
    write_image(tmp_path / "KA.AN1.39.tiff", (256, 256), "P")
    write_image(tmp_path / "NM.SU2.60.tiff", (256, 256))
    write_image(tmp_path / "KL.HA3.31.tiff", (256, 256))
    write_image(tmp_path / "README.tiff")
    assert table(load_records("jaffe", tmp_path)) == [
        ("KA.AN1.39.tiff", "anger", "KA", None),
        ("KL.HA3.31.tiff", "happy", "KL", None),
        ("NM.SU2.60.tiff", "surprise", "NM", None),
    ]


def test_ckplus48_drops_contempt_and_groups_by_subject(tmp_path: Path) -> None:
    write_image(tmp_path / "anger" / "S005_001_00000011.png")
    write_image(tmp_path / "sadness" / "S005_002_00000005.png")
    write_image(tmp_path / "contempt" / "S010_004_00000017.png")
    assert table(load_records("ckplus48", tmp_path)) == [
        ("S005_001_00000011.png", "anger", "S005", None),
        ("S005_002_00000005.png", "sad", "S005", None),
    ]
    dropped = [r for r in load_records("ckplus48", tmp_path, True) if r.label is None]
    assert [(r.source_label, r.group) for r in dropped] == [("contempt", "S010")]


def test_facial_expressions_normalises_case_and_skips_missing(tmp_path: Path) -> None:
    for name in ["George_W_Bush_0024.jpg", "Dwarakish_105.jpg", "Ann_0001.jpg", "x.jpg"]:
        write_image(tmp_path / "images" / name, (350, 350), "RGB")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "legend.csv").write_text(
        "user.id,image,emotion\n"
        "302,George_W_Bush_0024.jpg,HAPPINESS\n"
        "dwdii,Dwarakish_105.jpg,sadness\n"
        "628,Ann_0001.jpg,contempt\n"
        "628,Not_On_Disk_0001.jpg,anger\n"
        "jhamski,x.jpg,Surprise\n"
    )
    assert table(load_records("facial_expressions", tmp_path)) == [
        ("Dwarakish_105.jpg", "sad", "Dwarakish", None),
        ("George_W_Bush_0024.jpg", "happy", "George_W_Bush", None),
        ("x.jpg", "surprise", "x", None),
    ]
    everything = load_records("facial_expressions", tmp_path, include_dropped=True)
    assert [r.source_label for r in everything if r.label is None] == ["contempt"]


def test_yalefaces_keeps_expressions_drops_conditions(tmp_path: Path) -> None:
    for name in [
        "subject01.happy",
        "subject01.normal",
        "subject02.sleepy",
        "subject03.surprised.gif",
    ]:
        write_image(tmp_path / name, (320, 243))
    records = load_records("yalefaces", tmp_path, include_dropped=True)
    assert table(records) == [
        ("subject01.happy", "happy", "subject01", None),
        ("subject01.normal", "neutral", "subject01", None),
        ("subject02.sleepy", None, "subject02", None),
        ("subject03.surprised.gif", "surprise", "subject03", None),
    ]


def test_image_folders_accept_synonyms_and_splits(tmp_path: Path) -> None:
    write_image(tmp_path / "train" / "Angry" / "a.png")
    write_image(tmp_path / "Validation" / "happiness" / "b.jpg")
    write_image(tmp_path / "surprised" / "c.webp")
    write_image(tmp_path / "test" / "Fearful" / "d.bmp")
    write_image(tmp_path / "contempt" / "e.png")
    write_image(tmp_path / "train" / "f.png")  # no emotion folder: not labelled
    assert table(load_records("image-folders", tmp_path, include_dropped=True)) == [
        ("a.png", "anger", "a", "train"),
        ("b.jpg", "happy", "b", "val"),
        ("c.webp", "surprise", "c", None),
        ("d.bmp", "fear", "d", "test"),
        ("e.png", None, "e", None),
    ]


def test_audio_folders_take_any_audio_extension(tmp_path: Path) -> None:
    write_tone(tmp_path / "fearful" / "a.ogg")
    write_tone(tmp_path / "sadness" / "b.flac")
    write_tone(tmp_path / "Disgusted" / "c.mp3")
    write_tone(tmp_path / "neutral" / "d.opus")
    write_tone(tmp_path / "calm" / "e.wav")
    (tmp_path / "neutral" / "notes.txt").write_text("not audio")
    assert table(load_records("audio-folders", tmp_path)) == [
        ("a.ogg", "fear", "a", None),
        ("b.flac", "sad", "b", None),
        ("c.mp3", "disgust", "c", None),
        ("d.opus", "neutral", "d", None),
    ]


def test_every_label_a_loader_yields_is_one_of_the_seven(tmp_path: Path) -> None:
    for emotion in ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]:
        write_image(tmp_path / "train" / emotion / f"Training_{emotion}.png")
    assert {r.label for r in load_records("fer2013", tmp_path)} == set(EMOTIONS)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"does not exist .*Actor_01"):
        load_records("ravdess", tmp_path / "nowhere")


def test_empty_folder_names_the_expected_layout(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"no tess files found .*OAF_angry"):
        load_records("tess", tmp_path)


def test_unreadable_layout_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"not a readable facial_expressions layout"):
        load_records("facial_expressions", tmp_path)
    (tmp_path / "fer2013.csv").write_text("emotion,pixels,Usage\n0,1 2 3,Training\n")
    with pytest.raises(DatasetError, match=r"not a readable fer2013 layout"):
        load_records("fer2013", tmp_path)


def test_unknown_dataset_lists_the_supported_ones() -> None:
    with pytest.raises(DatasetError, match=r"supported: .*ravdess"):
        load_records("imagenet", Path("."))
    assert {"fer2013", "ravdess", "tess", "savee", "cremad", "audio-folders"} <= set(DATASETS)


def test_layout_detection_prefers_the_dataset_named_by_the_folder(tmp_path: Path) -> None:
    for root in (tmp_path / "ckplus48", tmp_path / "mine"):
        write_image(root / "anger" / "S005_001_00000011.png")
        write_image(root / "happy" / "S010_006_00000015.png")
    assert detect_dataset(tmp_path / "ckplus48", "image") == "ckplus48"
    assert detect_dataset(tmp_path / "mine", "image") == "fer2013"
    write_tone(tmp_path / "ravdess" / "Actor_01" / "03-01-05-01-01-01-01.wav")
    assert detect_dataset(tmp_path / "ravdess", "audio") == "ravdess"
    with pytest.raises(DatasetError, match="layouts tried"):
        detect_dataset(tmp_path / "mine", "audio")
