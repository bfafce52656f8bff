"""Streamlit entry point: `streamlit run streamlit_app.py` serves every page of the app."""

from pathlib import Path

import streamlit as st

# A file served by the app itself: a material-icon favicon makes the browser fetch a font from
# the internet, and the app must work offline.
FAVICON = Path(__file__).parent / "emotion_app" / "assets" / "favicon.png"

st.set_page_config(page_title="Emotion recognition", page_icon=str(FAVICON), layout="wide")

PAGES = [
    st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("app_pages/upload.py", title="Upload", icon=":material/upload_file:"),
    st.Page("app_pages/live_webcam.py", title="Live webcam", icon=":material/videocam:"),
    st.Page("app_pages/model_report.py", title="Model report", icon=":material/monitoring:"),
]

st.navigation(PAGES).run()
