"""What a pretrained speech encoder hears in a voice: the first blocks of Whisper base's encoder.

Whisper (OpenAI, MIT licence) learned from 680,000 hours of speech from the web: many voices,
languages, microphones and rooms. Its first blocks describe how something is said (pitch,
voice quality, rhythm, effort) before later blocks turn to the words, and the average of a
block's output over a clip separates emotions in corpora the classifier never heard far better
than hand-made measures do (LOCO, in the model report). Only the blocks used are shipped, as a
LiteRT model (`models/voice.encoder.tflite`, written by `python -m emotion import-encoder`, see
`encoder_export`), so judging a clip is a pure function of the weights and the samples. The
NumPy blocks here are the reference the export is checked against.
"""

from __future__ import annotations

import functools
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

import librosa
import numpy as np
from ai_edge_litert.interpreter import Interpreter
from scipy.special import erf

from emotion.audio.cleaning import MODEL_RATE
from emotion.model_files import MissingModelError, model_files
from emotion.threads import budget, cores

N_FFT = 400
HOP = 160
N_MELS = 80
MEL_FILTERS = librosa.filters.mel(sr=MODEL_RATE, n_fft=N_FFT, n_mels=N_MELS).astype(np.float32)
HANN = np.hanning(N_FFT + 1)[:-1].astype(np.float32)
"""Whisper's front end: 25 ms periodic-Hann frames every 10 ms, 80 Slaney mel bands."""
LAYER_NORM_EPSILON = 1e-5


def whisper_log_mel(samples: np.ndarray) -> np.ndarray:
    """(frames, 80) log-mel spectrogram of 16 kHz samples, scaled as Whisper was trained on:
    log10 power, at most 8 decades below the loudest bin, shifted and divided by 4."""
    padded = np.pad(np.asarray(samples, dtype=np.float32), N_FFT // 2, mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP]
    power = np.abs(np.fft.rfft(frames * HANN, axis=1)) ** 2
    mel = power[:-1] @ MEL_FILTERS.T
    log_mel = np.log10(np.maximum(mel, 1e-10))
    log_mel = np.maximum(log_mel, log_mel.max() - 8.0)
    return ((log_mel + 4.0) / 4.0).astype(np.float32)


def gelu(x: np.ndarray) -> np.ndarray:
    """The Gaussian error linear unit (exact form, as Whisper uses)."""
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Each row scaled to zero mean and unit variance, then by `gamma` and `beta`."""
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + LAYER_NORM_EPSILON) * gamma + beta


def conv1d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, stride: int) -> np.ndarray:
    """A width-3 convolution over time with one frame of zero padding: x (frames, in),
    weight (out, in, 3) -> (frames / stride, out)."""
    padded = np.pad(x, ((1, 1), (0, 0)))
    steps = (len(padded) - 3) // stride + 1
    taps = [padded[k : k + stride * (steps - 1) + 1 : stride] for k in range(3)]
    return np.stack(taps, axis=2).reshape(steps, -1) @ weight.reshape(len(weight), -1).T + bias


@dataclass(frozen=True)
class Block:
    """One pre-norm transformer block: self-attention (queries, keys and values from one
    projection) then a two-layer GELU network, each added to its input. Matrices are
    (inputs, outputs)."""

    attention_norm: tuple[np.ndarray, np.ndarray]
    qkv: tuple[np.ndarray, np.ndarray]
    attention_out: tuple[np.ndarray, np.ndarray]
    mlp_norm: tuple[np.ndarray, np.ndarray]
    mlp_in: tuple[np.ndarray, np.ndarray]
    mlp_out: tuple[np.ndarray, np.ndarray]

    def __call__(self, x: np.ndarray, heads: int) -> np.ndarray:
        frames, width = x.shape
        size = width // heads
        projected = layer_norm(x, *self.attention_norm) @ self.qkv[0] + self.qkv[1]
        q, k, v = (
            part.reshape(frames, heads, size).transpose(1, 0, 2)
            for part in np.split(projected, 3, axis=1)
        )
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights /= weights.sum(axis=-1, keepdims=True)
        attended = (weights @ v).transpose(1, 0, 2).reshape(frames, width)
        x = x + attended @ self.attention_out[0] + self.attention_out[1]
        hidden = gelu(layer_norm(x, *self.mlp_norm) @ self.mlp_in[0] + self.mlp_in[1])
        return x + hidden @ self.mlp_out[0] + self.mlp_out[1]


@dataclass(frozen=True)
class SpeechEncoder:
    """The convolutional stem, position encodings and first blocks of Whisper's encoder."""

    conv1: tuple[np.ndarray, np.ndarray]
    conv2: tuple[np.ndarray, np.ndarray]
    positions: np.ndarray
    blocks: tuple[Block, ...]
    heads: int

    @property
    def max_samples(self) -> int:
        """The longest input the position encodings cover (30 s for Whisper)."""
        return len(self.positions) * 2 * HOP

    def states(self, samples: np.ndarray) -> np.ndarray:
        """(frames, width) the last block's output, one frame per 20 ms of `samples`."""
        if len(samples) > self.max_samples:
            raise ValueError(f"at most {self.max_samples} samples fit the speech encoder")
        x = gelu(conv1d(whisper_log_mel(samples), *self.conv1, stride=1))
        x = gelu(conv1d(x, *self.conv2, stride=2))
        x = x + self.positions[: len(x)]
        for block in self.blocks:
            x = block(x, self.heads)
        return x

    def embedding(self, samples: np.ndarray) -> np.ndarray:
        """(width,) float32: the last block's output averaged over the clip."""
        return self.states(samples).mean(axis=0).astype(np.float32)


MAX_SAMPLES = 30 * MODEL_RATE
"""The longest input Whisper's position encodings cover."""


class EncoderRuntime:
    """The exported encoder (`encoder_export`), served by LiteRT: a pool of interpreters, one
    per request running at once and at most one per core, each on the process's thread budget
    (`emotion.threads`). Thread-safe; results do not depend on which interpreter runs them."""

    def __init__(self, path: Path, max_samples: int = MAX_SAMPLES) -> None:
        self.path = path
        self.max_samples = max_samples
        self._idle: queue.SimpleQueue[Interpreter] = queue.SimpleQueue()
        self._slots = threading.BoundedSemaphore(cores())
        self._idle.put(self._interpreter())  # a file LiteRT cannot read fails here, not later

    def _interpreter(self) -> Interpreter:
        return Interpreter(model_path=str(self.path), num_threads=budget())

    def embedding(self, samples: np.ndarray) -> np.ndarray:
        """(width,) float32: the last block's output averaged over the clip."""
        if len(samples) > self.max_samples:
            raise ValueError(f"at most {self.max_samples} samples fit the speech encoder")
        log_mel = whisper_log_mel(samples)[np.newaxis]
        with self._slots:
            try:
                interpreter = self._idle.get_nowait()
            except queue.Empty:
                interpreter = self._interpreter()
            try:
                (source,) = interpreter.get_input_details()
                interpreter.resize_tensor_input(source["index"], log_mel.shape)
                interpreter.allocate_tensors()
                interpreter.set_tensor(source["index"], log_mel)
                interpreter.invoke()
                (output,) = interpreter.get_output_details()
                return interpreter.get_tensor(output["index"])[0].copy()
            finally:
                self._idle.put(interpreter)


@functools.cache
def speech_encoder(models_dir: Path | None = None) -> EncoderRuntime:
    """The shipped encoder (`models/voice.encoder.tflite`), loaded once per process."""
    path = model_files("voice", models_dir).speech_encoder
    if not path.is_file():
        raise MissingModelError(
            f"The voice model's speech encoder is missing ({path}): restore models/ from the "
            "repository, or rebuild it with `python -m emotion import-encoder`."
        )
    return EncoderRuntime(path)
