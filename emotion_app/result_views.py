"""Showing results on a page: faces on a photo, the voice, and the fused verdict."""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from PIL import Image

from emotion.face.analysis import FaceResult
from emotion.face.drawing import draw_faces
from emotion.fusion import FusedResult
from emotion.labels import top_emotion
from emotion.verdict import details, headline, phrase, verdict, why_neither
from emotion.voice.analysis import SPEAKER_ADAPTIVE, VoiceResult
from emotion_app.charts import probability_bars

PHOTO_WIDTH = 400  # pixels on the page: the photo stays beside, not above, the results


def png_bytes(pixels: np.ndarray) -> bytes:
    """An RGB image encoded as PNG."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def stated(probabilities: Mapping[str, float]) -> str:
    """One model's top emotion with its probability, for a chart title."""
    label = top_emotion(probabilities)
    return phrase(label, probabilities[label], bold=False)


def show_faces(image: np.ndarray, faces: list[FaceResult], caption: str) -> None:
    """The photo with every face boxed and labelled (and a download of it), then one
    probability chart per face."""
    annotated = draw_faces(image, faces)
    st.image(annotated, caption=caption, width=PHOTO_WIDTH)
    st.download_button(
        "Download the annotated photo (PNG)",
        png_bytes(annotated),
        file_name="emotion-faces.png",
        mime="image/png",
        on_click="ignore",
        icon=":material/download:",
    )
    if not faces:
        st.warning(
            "No face found in this photo. Try a photo where the face is frontal, well lit and "
            "at least about 40 pixels wide, or choose the HOG detector in the sidebar.",
            icon=":material/face_retouching_off:",
        )
        return
    st.write(f"**{len(faces)} face{'s' * (len(faces) > 1)} found** (largest first).")
    for number, face in enumerate(faces, start=1):
        st.plotly_chart(
            probability_bars(face.probabilities, f"Face {number}: {stated(face.probabilities)}"),
            key=f"face_chart_{number}",
        )


def voice_mode_note(mode: str | None, speaker_windows: int, needed: int) -> str:
    """What the voice verdict was judged against, in words for the user."""
    if mode == SPEAKER_ADAPTIVE:
        return (
            f"Judged relative to your own voice ({speaker_windows} stretch"
            f"{'es' * (speaker_windows != 1)} of up to 3 s heard), and from this recording alone "
            "as well while little of your voice is known."
        )
    return (
        "Judged from this recording alone, which is less reliable for a voice the model never "
        f"heard. It adapts to your voice after {needed} stretches of up to 3 s "
        f"({speaker_windows} heard so far)."
    )


def show_voice(result: VoiceResult, needed: int) -> None:
    """The voice's probability chart, what it was judged against, warnings and, for long
    clips, what each window said."""
    st.plotly_chart(
        probability_bars(result.probabilities, f"Voice: {stated(result.probabilities)}")
    )
    st.caption(voice_mode_note(result.mode, result.speaker_windows, needed))
    for warning in result.warnings:
        st.warning(warning, icon=":material/warning:")
    if len(result.windows) > 1:
        rows = [
            {
                "from (s)": round(w.start_s, 1),
                "to (s)": round(w.end_s, 1),
                "emotion": top_emotion(w.probabilities) if w.probabilities else "not judged",
                "note": w.problem or "",
            }
            for w in result.windows
        ]
        with st.expander(f"{len(rows)} windows of 3 s"):
            st.dataframe(pd.DataFrame(rows), hide_index=True)


def show_problems(problems: list[str]) -> None:
    """Why nothing could be judged, as the headline: each rejected or unreadable input's
    reason, in place of a verdict."""
    st.markdown("### Nothing could be judged")
    for problem in problems:
        st.error(problem, icon=":material/error:")


def show_fused(
    fused: FusedResult | None,
    nothing_message: str,
    figure: go.Figure | None = None,
    face: Mapping[str, float] | None = None,
    voice: Mapping[str, float] | None = None,
    key: str = "fused",
) -> None:
    """The fused verdict as a headline ("unsure" when it is more likely wrong than right), both
    models' verdicts when they disagree, the margin, and `figure` (default: its probability
    chart). `face` and `voice` are the probabilities that were fused; `key` names the chart (one
    per verdict on a page)."""
    if fused is None:
        st.info(nothing_message, icon=":material/info:")
        return
    result = verdict(fused, face, voice)
    st.markdown(f"### Fused: {headline(result)}")
    if result.disagreement:
        face_label, voice_label = result.disagreement
        why = why_neither(result, face, voice) or "The fused verdict weighs them by the slider."  # type: ignore[arg-type]
        st.warning(
            f"**Face and voice disagree**: the face says **{face_label}** "
            f"({face[face_label]:.0%}), the voice **{voice_label}** ({voice[voice_label]:.0%}). "  # type: ignore[index]
            + why,
            icon=":material/call_split:",
        )
    st.caption(f"{details(result)} {fused.explanation}")
    st.plotly_chart(
        figure or probability_bars(fused.probabilities, "Fused probabilities"), key=f"{key}_chart"
    )
