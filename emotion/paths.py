"""Where the project keeps its models, app, examples and reports, and (by default) the datasets.

In a checkout of the repository they are its own folders. An installed package (`pip install
.`) carries the same files under `<prefix>/share/emotion-recognition/` (the app, its examples,
the models and the dataset summaries). `EMOTION_MODELS` points at another models folder.
"""

from __future__ import annotations

import os
import site
import sys
import sysconfig
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARE_NAME = "emotion-recognition"


def installed_resources() -> Path | None:
    """The folder an installed package's app, models and reports were put in, if any."""
    prefixes = [sysconfig.get_path("data"), sys.prefix, site.USER_BASE]
    for prefix in prefixes:
        folder = Path(prefix or "") / "share" / SHARE_NAME
        if prefix and (folder / "models").is_dir():
            return folder
    return None


def resources_dir() -> Path:
    """The checkout's root when running from one, else the installed resources folder."""
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT
    return installed_resources() or PROJECT_ROOT


RESOURCES_DIR = resources_dir()
MODELS_DIR = Path(os.environ.get("EMOTION_MODELS") or RESOURCES_DIR / "models")
EDA_DIR = RESOURCES_DIR / "reports" / "eda"
EXAMPLES_DIR = RESOURCES_DIR / "examples"
APP_SCRIPT = RESOURCES_DIR / "streamlit_app.py"


def data_root() -> Path:
    """Where the datasets live: $EMOTION_DATA, else `../shared/data` beside the project."""
    configured = os.environ.get("EMOTION_DATA")
    return Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "data"


def display_path(path: Path) -> str:
    """`path` relative to the project when it sits beside it (../shared/data/...), else absolute."""
    resolved = path.resolve()
    if resolved.is_relative_to(PROJECT_ROOT.parent):
        return os.path.relpath(resolved, PROJECT_ROOT)
    return str(resolved)
