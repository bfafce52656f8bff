"""The speech encoder as a LiteRT model: the form the app and training run it in.

The same blocks as `SpeechEncoder`, written as a TensorFlow graph over log-mel frames of any
length, exported in float32: it computes what the NumPy blocks compute (to ~1e-6; a float16
export, half the size, moved embeddings by ~1e-3). LiteRT's XNNPACK kernels run it about twice
as fast as NumPy on one thread, and an interpreter keeps to the threads it is given, where
OpenBLAS starts one per core. The export is checked against the NumPy blocks before it is
written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from emotion.audio.cleaning import MODEL_RATE
from emotion.backend import tensorflow
from emotion.voice.speech_encoder import (
    LAYER_NORM_EPSILON,
    N_MELS,
    EncoderRuntime,
    SpeechEncoder,
)
from emotion.whole_files import replacing

AGREEMENT = 1e-4
"""The largest difference allowed between the export's embedding and the NumPy blocks'."""


def encoder_graph(encoder: SpeechEncoder) -> Any:
    """A tf.function: (1, frames, 80) log-mel -> (1, width) mean of the last block's output."""
    tf = tensorflow()

    def layer_norm(x: Any, gamma: np.ndarray, beta: np.ndarray) -> Any:
        mean = tf.reduce_mean(x, -1, keepdims=True)
        variance = tf.reduce_mean(tf.square(x - mean), -1, keepdims=True)
        return (x - mean) * tf.math.rsqrt(variance + LAYER_NORM_EPSILON) * gamma + beta

    def conv1d(x: Any, weight: np.ndarray, bias: np.ndarray, stride: int) -> Any:
        padded = tf.pad(x, [[0, 0], [1, 1], [0, 0]])
        return tf.nn.conv1d(padded, np.transpose(weight, (2, 1, 0)), stride, "VALID") + bias

    width = encoder.positions.shape[1]
    size = width // encoder.heads

    @tf.function(input_signature=[tf.TensorSpec([1, None, N_MELS], tf.float32, name="log_mel")])
    def embedding(log_mel: Any) -> Any:
        x = tf.nn.gelu(conv1d(log_mel, *encoder.conv1, stride=1))
        x = tf.nn.gelu(conv1d(x, *encoder.conv2, stride=2))
        frames = tf.shape(x)[1]
        x = x + tf.constant(encoder.positions)[tf.newaxis, :frames]

        def heads(part: Any) -> Any:
            return tf.transpose(tf.reshape(part, [1, frames, encoder.heads, size]), [0, 2, 1, 3])

        for block in encoder.blocks:
            projected = tf.matmul(layer_norm(x, *block.attention_norm), block.qkv[0])
            q, k, v = (heads(part) for part in tf.split(projected + block.qkv[1], 3, axis=-1))
            scores = tf.matmul(q, k, transpose_b=True) * np.float32(1 / np.sqrt(size))
            attended = tf.matmul(tf.nn.softmax(scores, axis=-1), v)
            attended = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [1, frames, width])
            x = x + tf.matmul(attended, block.attention_out[0]) + block.attention_out[1]
            hidden = tf.nn.gelu(
                tf.matmul(layer_norm(x, *block.mlp_norm), block.mlp_in[0]) + block.mlp_in[1]
            )
            x = x + tf.matmul(hidden, block.mlp_out[0]) + block.mlp_out[1]
        return tf.reduce_mean(x, axis=1)

    return embedding


def voice_check(seconds: float = 2.5) -> np.ndarray:
    """A fixed voice-like signal at the model's rate (a gliding harmonic tone over a little
    noise), on which an export is compared with the NumPy blocks."""
    t = np.arange(int(seconds * MODEL_RATE)) / MODEL_RATE
    pitch = 140 + 30 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / MODEL_RATE
    voice = sum(np.sin(k * phase) / k for k in range(1, 8)) * (
        0.6 + 0.4 * np.sin(2 * np.pi * 3 * t)
    )
    noise = np.random.default_rng(0).standard_normal(len(t)) * 0.01
    return (0.1 * voice + noise).astype(np.float32)


def export_encoder(encoder: SpeechEncoder, path: Path) -> float:
    """Write `encoder` as a LiteRT model at `path`, after checking that it gives the NumPy
    blocks' embedding of `voice_check()`; returns the largest difference."""
    tf = tensorflow()
    graph = encoder_graph(encoder)
    converter = tf.lite.TFLiteConverter.from_concrete_functions(
        [graph.get_concrete_function()], graph
    )
    flatbuffer = converter.convert()
    check = voice_check()[: encoder.max_samples]
    with replacing(path) as partial:
        partial.write_bytes(flatbuffer)
        served = EncoderRuntime(partial, encoder.max_samples)
        difference = float(np.abs(served.embedding(check) - encoder.embedding(check)).max())
        if difference > AGREEMENT:
            raise ValueError(
                f"the exported encoder's embedding differs from the NumPy blocks' by {difference}"
            )
    return difference
