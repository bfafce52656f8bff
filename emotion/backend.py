"""The one place that imports TensorFlow (and with it Keras), in an order that cannot crash.

Importing TensorFlow before streamlit-webrtc's SRTP binding (pylibsrtp) makes the later import
segfault on clashing crypto symbols; the other order is safe. Every TensorFlow import of this
package goes through `tensorflow()`, which loads pylibsrtp first when it is installed.
The app itself serves models with LiteRT and never imports TensorFlow.

Training also runs on Keras's other backends: with KERAS_BACKEND set to "jax" or "torch" (a GPU
machine without TensorFlow) `keras()` imports Keras alone; the saved models load on any backend.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from types import ModuleType

from emotion.threads import keep_to_budget


def load_srtp_first() -> None:
    """Load pylibsrtp (if installed) so that a later TensorFlow import cannot break it."""
    with contextlib.suppress(ImportError):
        importlib.import_module("pylibsrtp")


def tensorflow() -> ModuleType:
    """Import and return TensorFlow, quiet and safe to combine with streamlit-webrtc."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    load_srtp_first()
    module = importlib.import_module("tensorflow")
    keep_to_budget()
    return module


def keras() -> ModuleType:
    """Import and return Keras 3: on TensorFlow imported the safe way, unless KERAS_BACKEND
    names another backend."""
    if os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow":
        tensorflow()
    return importlib.import_module("keras")
