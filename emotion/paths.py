"""Where the project keeps its models, reports and (by default) the datasets."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = PROJECT_ROOT / "models"
EDA_DIR = PROJECT_ROOT / "reports" / "eda"


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
