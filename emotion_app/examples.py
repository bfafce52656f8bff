"""Example inputs the Upload page offers with one click: the files in examples/ (its README says
where each comes from and under which licence)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from emotion.paths import EXAMPLES_DIR
from emotion_app.kept_uploads import KeptFile, kept_files


@dataclass(frozen=True)
class Example:
    """One example file: its button, the upload slot it fills, and its source in a few words."""

    label: str
    slot: str
    file: str
    source: str

    def kept_file(self) -> KeptFile:
        """The example as if the user had uploaded it."""
        return KeptFile(self.file, (EXAMPLES_DIR / self.file).read_bytes(), self.source)


EXAMPLES = (
    Example("Smiling astronaut (photo)", "face", "astronaut.jpg", "NASA portrait, public domain"),
    Example(
        "Shouted threat (voice)", "voice", "gonna_get_you.ogg", "Hedgewars game voice, GFDL-1.3"
    ),
    Example("Calm announcement (voice)", "voice", "front_center.wav", "ALSA speaker test, GPL-2"),
)


def example_picker(empty_slots: set[str]) -> None:
    """A row of buttons, one per example for a slot in `empty_slots`; a click puts that example
    in its slot. Nothing when no slot is empty."""
    offered = [example for example in EXAMPLES if example.slot in empty_slots]
    if not offered:
        return
    st.caption("No file at hand? Try an example:")
    for column, example in zip(st.columns(len(offered)), offered, strict=True):
        column.button(
            example.label,
            key=f"example_{example.file}",
            on_click=lambda example=example: kept_files().update(
                {example.slot: example.kept_file()}
            ),
            width="stretch",
        )
