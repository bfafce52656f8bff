"""The speech encoder: Whisper's front end, the transformer blocks, reading a CTranslate2 model
file, the LiteRT export the app runs, the shipped encoder and `python -m emotion import-encoder`."""

from __future__ import annotations

import struct
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from media import voice_like

from emotion.cli import main
from emotion.model_files import MissingModelError
from emotion.voice.encoder_export import export_encoder
from emotion.voice.encoder_import import (
    EncoderImportError,
    import_encoder,
    read_ctranslate2,
    whisper_encoder,
)
from emotion.voice.speech_encoder import (
    HOP,
    N_MELS,
    Block,
    EncoderRuntime,
    speech_encoder,
    whisper_log_mel,
)

WIDTH, HEADS, BLOCKS = 8, 2, 2


def ctranslate2_file(variables: dict[str, np.ndarray], spec: str = "WhisperSpec") -> bytes:
    """A model file in CTranslate2's format (version 6) holding `variables`."""

    def text(value: str) -> bytes:
        encoded = value.encode() + b"\0"
        return struct.pack("<H", len(encoded)) + encoded

    codes = {np.dtype(np.float32): 0, np.dtype(np.int16): 2, np.dtype(np.float16): 4}
    out = struct.pack("<I", 6) + text(spec) + struct.pack("<I", 3)
    out += struct.pack("<I", len(variables))
    for name, array in variables.items():
        out += text(name) + struct.pack("<B", array.ndim)
        out += b"".join(struct.pack("<I", dim) for dim in array.shape)
        out += struct.pack("<BI", codes[array.dtype], array.nbytes) + array.tobytes()
    return out + struct.pack("<I", 0)


def tiny_whisper(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """A Whisper encoder's variables, as CTranslate2 names them, at a tiny width."""

    def weights(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.3).astype(np.float16)

    variables = {
        "encoder/conv1/weight": weights(WIDTH, N_MELS, 3),
        "encoder/conv1/bias": weights(WIDTH),
        "encoder/conv2/weight": weights(WIDTH, WIDTH, 3),
        "encoder/conv2/bias": weights(WIDTH),
        "encoder/position_encodings/encodings": weights(50, WIDTH),
        "encoder/num_heads": np.array(HEADS, dtype=np.int16),
    }
    for i in range(BLOCKS):
        layer = f"encoder/layer_{i}"
        for norm in ("self_attention/layer_norm", "ffn/layer_norm"):
            variables[f"{layer}/{norm}/gamma"] = (1 + weights(WIDTH)).astype(np.float16)
            variables[f"{layer}/{norm}/beta"] = weights(WIDTH)
        for name, (out, inp) in {
            "self_attention/linear_0": (3 * WIDTH, WIDTH),
            "self_attention/linear_1": (WIDTH, WIDTH),
            "ffn/linear_0": (4 * WIDTH, WIDTH),
            "ffn/linear_1": (WIDTH, 4 * WIDTH),
        }.items():
            variables[f"{layer}/{name}/weight"] = weights(out, inp)
            variables[f"{layer}/{name}/bias"] = weights(out)
    return variables


@pytest.fixture()
def model_bin(tmp_path: Path) -> Path:
    path = tmp_path / "model.bin"
    path.write_bytes(ctranslate2_file(tiny_whisper(np.random.default_rng(0))))
    return path


def test_log_mel_has_whispers_frames_bands_and_range() -> None:
    samples = voice_like(1.0)
    mel = whisper_log_mel(samples)
    assert mel.shape == (len(samples) // HOP, N_MELS)
    assert mel.dtype == np.float32
    # log10 power, clamped 8 decades below the peak, then (x + 4) / 4: a span of at most 2
    assert mel.max() - mel.min() <= 2.0 + 1e-6
    low, high = whisper_log_mel(voice_like(1.0, f0=110)), whisper_log_mel(voice_like(1.0, f0=440))
    assert np.argmax(low.mean(axis=0)) < np.argmax(high.mean(axis=0))


def test_a_block_treats_frames_alike_wherever_they_are() -> None:
    # Without position encodings self-attention has no notion of order: permuting the frames
    # permutes the output. A block that mixed up heads or frames would break this.
    encoder = whisper_encoder(
        read_ctranslate2(ctranslate2_file(tiny_whisper(np.random.default_rng(1)))), 1
    )
    block: Block = encoder.blocks[0]
    x = np.random.default_rng(2).standard_normal((12, WIDTH)).astype(np.float32)
    order = np.random.default_rng(3).permutation(12)
    np.testing.assert_allclose(block(x, HEADS)[order], block(x[order], HEADS), atol=1e-5)
    assert not np.allclose(block(x, HEADS), x)


def test_reads_a_ctranslate2_file_and_keeps_the_first_blocks(model_bin: Path) -> None:
    variables = read_ctranslate2(model_bin.read_bytes())
    expected = tiny_whisper(np.random.default_rng(0))
    assert variables.keys() == expected.keys()
    for name, array in expected.items():
        np.testing.assert_array_equal(variables[name], array)
    encoder = import_encoder([model_bin], blocks=1)
    assert len(encoder.blocks) == 1 and encoder.heads == HEADS
    # CTranslate2 stores (outputs, inputs); the blocks use (inputs, outputs)
    np.testing.assert_array_equal(
        encoder.blocks[0].mlp_in[0], expected["encoder/layer_0/ffn/linear_0/weight"].T
    )
    halves = [model_bin.with_name("part1"), model_bin.with_name("part2")]
    data = model_bin.read_bytes()
    halves[0].write_bytes(data[:1000])
    halves[1].write_bytes(data[1000:])
    joined = import_encoder(halves, blocks=2)
    samples = voice_like(0.5)
    np.testing.assert_array_equal(
        joined.embedding(samples), import_encoder([model_bin], blocks=2).embedding(samples)
    )


def test_refuses_files_it_cannot_read(model_bin: Path) -> None:
    with pytest.raises(EncoderImportError, match="2 blocks; 3 were asked for"):
        import_encoder([model_bin], blocks=3)
    data = model_bin.read_bytes()
    with pytest.raises(EncoderImportError, match="not a readable"):
        read_ctranslate2(data[: len(data) // 2])
    with pytest.raises(EncoderImportError, match="not Whisper"):
        read_ctranslate2(ctranslate2_file({}, spec="TransformerSpec"))
    with pytest.raises(EncoderImportError, match="format 5"):
        read_ctranslate2(struct.pack("<I", 5) + data[4:])


def test_the_export_computes_what_the_numpy_blocks_compute(model_bin: Path, tmp_path: Path) -> None:
    encoder = import_encoder([model_bin], blocks=2)
    difference = export_encoder(encoder, tmp_path / "encoder.tflite")
    assert difference < 1e-4
    served = EncoderRuntime(tmp_path / "encoder.tflite", encoder.max_samples)
    # any length, each clip alone or several users at once: the same embedding
    clips = [voice_like(seconds, f0=100 + 40 * i) for i, seconds in enumerate((0.4, 1.0, 0.7))]
    alone = [served.embedding(clip) for clip in clips]
    for clip, embedding in zip(clips, alone, strict=True):
        assert embedding.shape == (WIDTH,) and embedding.dtype == np.float32
        np.testing.assert_allclose(embedding, encoder.embedding(clip), atol=1e-4)
    with ThreadPoolExecutor(4) as users:
        together = list(users.map(served.embedding, clips * 4))
    for embedding, expected in zip(together, alone * 4, strict=True):
        np.testing.assert_array_equal(embedding, expected)
    with pytest.raises(ValueError, match="samples fit the speech encoder"):
        served.embedding(np.zeros(encoder.max_samples + 1, np.float32))


def test_import_encoder_command(model_bin: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "voice.encoder.tflite"
    assert main(["import-encoder", str(model_bin), "--blocks", "1", "--out", str(out)]) == 0
    assert "differs from the NumPy blocks' by at most" in capsys.readouterr().err
    one_block = EncoderRuntime(out).embedding(voice_like(0.5))
    np.testing.assert_allclose(
        one_block, import_encoder([model_bin], blocks=1).embedding(voice_like(0.5)), atol=1e-4
    )
    damaged = tmp_path / "damaged.bin"
    damaged.write_bytes(model_bin.read_bytes()[:500])
    assert main(["import-encoder", str(damaged), "--out", str(out)]) == 2
    assert "not a readable CTranslate2 model file" in capsys.readouterr().err


def test_the_shipped_encoder_tells_voices_apart() -> None:
    encoder = speech_encoder()
    assert encoder.max_samples == 30 * 16000
    low, high = (
        encoder.embedding(voice_like(2.0, f0=110)),
        encoder.embedding(voice_like(2.0, f0=220)),
    )
    assert low.shape == (512,) and np.isfinite(low).all()
    assert np.linalg.norm(low - high) > 0.1 * np.linalg.norm(low)
    np.testing.assert_array_equal(low, encoder.embedding(voice_like(2.0, f0=110)))


def test_a_missing_encoder_says_how_to_restore_it(tmp_path: Path) -> None:
    with pytest.raises(MissingModelError, match="import-encoder"):
        speech_encoder(tmp_path)
