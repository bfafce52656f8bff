"""Upload: analyse a photo, an audio clip or a video (coming with the face and voice models)."""

import streamlit as st

from emotion.model_files import MODEL_KINDS
from emotion_app.model_status import show_model_status

st.title("Upload")
st.info(
    "Coming soon: upload a photo (JPEG, PNG, WebP, BMP, TIFF), an audio clip (WAV, FLAC, OGG, "
    "MP3) or a video (MP4, WebM, MOV), or take a photo or record your voice here. You will see "
    "every face boxed and labelled, a probability chart per face and for the voice, a timeline "
    "for videos, and the fused result with a face/voice weight slider.",
    icon=":material/construction:",
)
show_model_status(MODEL_KINDS)
