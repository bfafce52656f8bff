"""Model report: the data the models learn from and, once trained, how well they do."""

import streamlit as st

from emotion.eda import format_markdown, load_summaries
from emotion.eda.figures import eda_figures
from emotion.model_files import MODEL_KINDS
from emotion.paths import EDA_DIR
from emotion_app.model_status import show_model_status

st.title("Model report")
st.info(
    "Coming with the trained models: for each model its training data and split, accuracy, "
    "macro-F1, per-class recall, confusion matrix and the ANN vs CNN comparison.",
    icon=":material/construction:",
)
show_model_status(MODEL_KINDS)

st.header("The datasets")
summaries = load_summaries(EDA_DIR)
if not summaries:
    st.warning(f"No dataset summaries in `{EDA_DIR}`: run `python -m emotion eda --dataset NAME`.")
else:
    name = st.selectbox("Dataset", list(summaries))
    summary = summaries[name]
    st.markdown(format_markdown(summary))
    for figure in eda_figures(summary).values():
        st.plotly_chart(figure)
