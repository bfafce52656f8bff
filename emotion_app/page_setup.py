"""What every page of the app does first: its title and icon, the navigation in the sidebar, and
keeping the user's settings when they move between pages.

The pages are Streamlit's `pages/` folder, so every page has its own address (a deep link works
whichever page is opened first); the sidebar lists them with icons instead of Streamlit's
file-name navigation (`client.showSidebarNavigation = false`).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import streamlit as st

from emotion.threads import use_threads

PROJECT = Path(__file__).resolve().parents[1]
# A file served by the app itself: a material-icon favicon makes the browser fetch a font from
# the internet, and the app must work offline.
FAVICON = PROJECT / "emotion_app" / "assets" / "favicon.png"
PAGES = (
    ("streamlit_app.py", "Home", ":material/home:"),
    ("pages/upload.py", "Upload", ":material/upload_file:"),
    ("pages/live_webcam.py", "Live webcam", ":material/videocam:"),
    ("pages/model_report.py", "Model report", ":material/monitoring:"),
)
# Settings chosen on one page and kept on every other (widget keys).
KEPT_SETTINGS = ("face_weight", "fusion_rule", "detector", "live_detector")


LOG = logging.getLogger(__name__)
_warming = threading.Lock()


def warm_models() -> None:
    """Import the analysis code and load both models (each loaded once per server). A model
    that fails to load is only logged here: the first analysis that needs it says why."""
    try:
        from emotion.batch.engines import load_models

        load_models()
    except Exception:
        LOG.exception("warming the models failed")


def warm_in_background() -> None:
    """Start loading the models in a thread of their own, once per server, so that the first
    analysis does not wait for them and no page waits to be drawn; first give every request the
    serving thread budget (several users at once, see `emotion.threads`)."""
    if _warming.acquire(blocking=False):
        use_threads()
        threading.Thread(target=warm_models, name="warm-models", daemon=True).start()


def page_setup(title: str) -> None:
    """Set up a page: browser title and icon, wide layout, sidebar navigation, kept settings,
    and the models warming in the background."""
    st.set_page_config(
        page_title=f"{title} · Emotion recognition", page_icon=str(FAVICON), layout="wide"
    )
    for key in KEPT_SETTINGS:
        if key in st.session_state:
            # Streamlit forgets a widget's value on a page that does not show the widget;
            # writing it back keeps it for the next page that does.
            st.session_state[key] = st.session_state[key]
    with st.sidebar:
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
    warm_in_background()
