"""Example inputs the Upload page offers with one click: the files in examples/ (its README says
where each comes from and under which licence)."""

from __future__ import annotations

from collections.abc import Mapping
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


def example_picker(slots: Mapping[str, object | None]) -> None:
    """A row of buttons, one per example whose slot (in `slots`: what each holds) is empty or
    holds another example; a click puts that example in its slot, so every example can be tried
    in turn. None for a slot that holds the user's own file."""

    def free(example: Example) -> bool:
        held = slots.get(example.slot)
        return held is None or (
            isinstance(held, KeptFile) and held.example is not None and held.name != example.file
        )

    offered = [example for example in EXAMPLES if free(example)]
    if not offered:
        return
    empty = any(slots.get(example.slot) is None for example in offered)
    st.caption("No file at hand? Try an example:" if empty else "Try another example:")
    for column, example in zip(st.columns(len(offered)), offered, strict=True):
        column.button(
            example.label,
            key=f"example_{example.file}",
            on_click=lambda example=example: kept_files().update(
                {example.slot: example.kept_file()}
            ),
            width="stretch",
        )
