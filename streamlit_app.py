"""The app's home page (`streamlit run streamlit_app.py`): what the app does, how, and where
its limits are. The other pages are in `pages/`, each at its own address."""

import streamlit as st

from emotion import EMOTIONS
from emotion.model_files import MODEL_KINDS
from emotion_app.model_status import show_model_status
from emotion_app.page_setup import page_setup

page_setup("Home")

st.title("Multimodal emotion recognition")
st.markdown(
    f"""
Show a **face** (photo, video or live webcam) and/or a **voice** (audio clip, a video's sound
track or live microphone). Two separately trained deep-learning models, one for faces and one
for voices, each give a probability for seven emotions:
**{", ".join(EMOTIONS)}**. Their probabilities are combined with weights you choose.

Everything runs on this computer: no image or sound leaves it, and nothing is downloaded.
"""
)

st.subheader("Pages")
st.page_link(
    "pages/upload.py",
    label="Upload a photo, audio clip or video (or try an example)",
    icon=":material/upload_file:",
)
st.page_link("pages/live_webcam.py", label="Live webcam and microphone", icon=":material/videocam:")
st.page_link(
    "pages/model_report.py",
    label="Model report: data, accuracy, errors",
    icon=":material/monitoring:",
)

st.subheader("Models")
show_model_status(MODEL_KINDS)

st.subheader("Limits: read before you trust a result")
st.markdown(
    """
- **Seven basic emotions only.** Real feelings are mixed, subtle and often not shown at all;
  a face or voice can look "angry" while the person is concentrating, tired or joking.
- **Trained on posed and lab data.** The face model learns from six face datasets (28,000
  small grey web photos, lab and studio photos of posed expressions, news photos and colour
  studio portraits); the voice model mostly from actors reading sentences, in eight corpora of
  six languages. Everyday faces, lighting, accents, languages
  and microphones differ, and accuracy drops there. The Model report page gives the measured
  accuracy and its errors.
- **Expressions are not emotions.** The models read what is displayed, not what is felt, and
  how people display emotion differs between cultures and individuals.
- **Not for decisions about people.** Do not use it to judge, hire, grade, diagnose, police or
  monitor anyone. In the EU, emotion recognition at work and in education is prohibited by the
  AI Act.
"""
)
