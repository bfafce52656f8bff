"""Shared test set-up: no test may reach the network, and native imports load in a safe order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import netguard
import numpy as np
import pytest
from PIL import Image

from emotion.backend import load_srtp_first
from emotion.paths import data_root

# Tests that import TensorFlow must not break a later streamlit-webrtc import (see emotion.backend).
load_srtp_first()

SHARED_DATA = data_root()


@pytest.fixture(autouse=True)
def no_network() -> Iterator[None]:
    """Fail any connection that would leave this machine, in every test."""
    netguard.install()
    yield
    netguard.uninstall()


@pytest.fixture
def shared_data() -> Path:
    """The real datasets (../shared/data or $EMOTION_DATA); the test is skipped without them."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real datasets not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def face_photo(shared_data: Path) -> np.ndarray:
    """A real 256x256 grayscale photo of a happy face (JAFFE), for tests that need a face found."""
    return np.asarray(Image.open(shared_data / "jaffe" / "KA.HA1.29.tiff").convert("L"))
