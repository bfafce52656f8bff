"""Multimodal emotion recognition: face and voice models, their fusion, datasets and evaluation.

The seven emotions, in the order every probability vector of this package uses, are EMOTIONS.
`analyze_file(path)` and `analyze_files(paths)` analyse photos, audio clips and videos into rows
of results (imported on first use: `import emotion` stays light).
"""

from typing import Any

from emotion.labels import EMOTIONS, canonical_label

__all__ = ["EMOTIONS", "analyze_file", "analyze_files", "canonical_label"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """`analyze_file` and `analyze_files`, from emotion.batch, on first use."""
    if name in ("analyze_file", "analyze_files"):
        from emotion import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'emotion' has no attribute {name!r}")
