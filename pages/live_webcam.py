"""Live webcam: real-time face and voice emotion from the camera and microphone (coming)."""

import streamlit as st

from emotion.model_files import MODEL_KINDS
from emotion_app.model_status import show_model_status

st.title("Live webcam")
st.info(
    "Coming soon: your webcam stream comes back with a box and label on every face in real time; "
    "with the microphone on, the last few seconds of your voice are scored too, and a live chart "
    "shows face, voice and fused probabilities. It works offline on this computer or your local "
    "network.",
    icon=":material/construction:",
)
show_model_status(MODEL_KINDS)
