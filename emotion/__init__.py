"""Multimodal emotion recognition: face and voice models, their fusion, datasets and evaluation.

The seven emotions, in the order every probability vector of this package uses, are EMOTIONS.
"""

from emotion.labels import EMOTIONS, canonical_label

__all__ = ["EMOTIONS", "canonical_label"]
__version__ = "0.1.0"
