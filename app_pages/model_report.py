"""Model report: each model's data, split, scores and errors, read from its metrics file, and the
EDA of every dataset."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from emotion.eda import format_markdown, load_summaries
from emotion.eda.figures import eda_figures
from emotion.model_files import MODEL_KINDS
from emotion.model_report import comparison_rows, evaluations, load_metrics
from emotion.paths import EDA_DIR
from emotion_app.charts import comparison_figure, confusion_figure, emotion_groups

st.title("Model report")
st.write(
    "How each model was trained and how well it does on data it never trained on, read from the "
    "metrics file committed next to it (`models/<model>.metrics.json`)."
)

for kind, tab in zip(
    MODEL_KINDS, st.tabs([f"{k.capitalize()} model" for k in MODEL_KINDS]), strict=True
):
    with tab:
        metrics = load_metrics(kind)
        if metrics is None:
            st.warning(
                f"No {kind} model metrics yet: train it with `python -m emotion train {kind} "
                "--data ...`, which writes the model and its metrics file.",
                icon=":material/hourglass_empty:",
            )
            continue
        st.subheader(f"Served: {metrics['chosen']}")
        st.caption(f"Selection: {metrics['selection']}. Scores below: {metrics['evaluated_on']}.")
        columns = st.columns(4)
        columns[0].metric("Accuracy", f"{metrics['accuracy']:.1%}")
        columns[1].metric("Macro-F1", f"{metrics['macro_f1']:.1%}")
        columns[2].metric("Items scored", f"{metrics['n']:,}")
        start = metrics.get("settings", {}).get("init_from")
        columns[3].metric(
            "Training time",
            f"{metrics['training_seconds'] / 60:.0f} min",
            help=f"This run only: it continued training {start}." if start else None,
        )

        rows = comparison_rows(metrics)
        names = sorted({row["evaluation"] for row in rows}, key=lambda name: name != "val")
        evaluation = st.selectbox(
            "Evaluation", names, index=int(len(names) > 1), key=f"{kind}_evaluation"
        )
        chosen_rows = [row for row in rows if row["evaluation"] == evaluation]
        st.markdown("#### Models compared (ANN baseline vs CNN)")
        st.plotly_chart(
            comparison_figure(chosen_rows, f"{kind}: {evaluation}"), key=f"{kind}_comparison"
        )
        st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"{kind}_table")
        reports = {
            name: evaluations(model)[evaluation]
            for name, model in metrics["models"].items()
            if evaluation in evaluations(model)
        }
        st.plotly_chart(
            emotion_groups(
                {name: report["per_class_recall"] for name, report in reports.items()},
                f"Per-class recall, {evaluation}",
            ),
            key=f"{kind}_recall",
        )
        model_name = st.radio(
            "Confusion matrix of",
            list(reports),
            index=list(reports).index(metrics["chosen"]) if metrics["chosen"] in reports else 0,
            horizontal=True,
            key=f"{kind}_confusion_model",
        )
        st.plotly_chart(
            confusion_figure(reports[model_name]["confusion"], f"{model_name}, {evaluation}"),
            key=f"{kind}_confusion",
        )
        with st.expander("Data, split and settings"):
            for section in ("data", "split", "imbalance", "inputs", "settings"):
                if section in metrics:
                    st.markdown(f"**{section.capitalize()}**")
                    st.code(json.dumps(metrics[section], indent=2), language="json")
            st.caption(f"Trained {metrics['created']} from commit {metrics['commit']}.")

st.header("The datasets")
summaries = load_summaries(EDA_DIR)
if not summaries:
    st.warning(f"No dataset summaries in `{EDA_DIR}`: run `python -m emotion eda --dataset NAME`.")
else:
    name = st.selectbox("Dataset", list(summaries), key="dataset")
    summary = summaries[name]
    st.markdown(format_markdown(summary))
    for figure_name, figure in eda_figures(summary).items():
        st.plotly_chart(figure, key=f"eda_{figure_name}")
