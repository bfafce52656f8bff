"""Telling the user which trained models the app can use right now."""

from __future__ import annotations

import streamlit as st

from emotion.model_files import ModelKind, model_files


def show_model_status(kinds: tuple[ModelKind, ...]) -> None:
    """One line per model: ready, or missing and why."""
    for kind in kinds:
        files = model_files(kind)
        if files.servable:
            st.success(f"The {kind} model is ready ({files.litert.name}).", icon=":material/check:")
        else:
            st.warning(
                f"No {kind} model yet: `models/{files.litert.name}` and "
                f"`models/{files.metrics.name}` have not been trained and committed.",
                icon=":material/hourglass_empty:",
            )
