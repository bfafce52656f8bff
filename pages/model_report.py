"""Model report: each model's data, split, scores and errors, read from its metrics file, and the
EDA of every dataset."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from emotion.eda import format_markdown, load_summaries
from emotion.eda.figures import eda_figures
from emotion.model_files import MODEL_KINDS
from emotion.model_report import (
    comparison_rows,
    evaluations,
    face_lodo_rows,
    headlines,
    load_fusion_metrics,
    load_metrics,
    loco_rows,
    session_rows,
)
from emotion.paths import EDA_DIR
from emotion_app.charts import (
    comparison_figure,
    confusion_figure,
    emotion_groups,
    fusion_figure,
    reliability_figure,
)
from emotion_app.page_setup import page_setup

page_setup("Model report")

st.title("Model report")
st.write(
    "How often the models are right on people, cameras and microphones they never met. Guessing "
    "would be right about 1 time in 7 (14%). How each model was trained, and the detailed "
    "tables, are further down."
)
glance = headlines(load_metrics("face"), load_metrics("voice"), load_fusion_metrics())
for column, headline in zip(st.columns(max(len(glance), 1)), glance, strict=False):
    column.metric(headline.label, f"{headline.right:.0%} right")
    column.caption(headline.data)


def face_report(metrics: dict) -> None:
    """The face model in plain words first: what it is, how often it is right on faces it never
    saw, per emotion, and its limits; the candidates compared and their errors folded away."""
    kind = "face"
    st.markdown(
        "The face model looks at each face found in a photo or frame, shrunk to 48x48 gray "
        "pixels, and a small convolutional network gives the seven probabilities. It learnt from "
        "six face datasets: FER2013 (about 28,000 small web photos of faces, posed and "
        "spontaneous), lab and studio photos of posed expressions (CK+, JAFFE, Yale), news and "
        "web photos (facial_expressions) and colour studio portraits (the London set)."
    )
    columns = st.columns(3)
    served = metrics.get("lodo", {}).get("served")
    if served:
        columns[0].metric(
            "Datasets it never trained on: right",
            f"{served['mean_accuracy']:.0%}",
            help="Each dataset judged by a model trained on the others; the mean over datasets.",
        )
        columns[1].metric("The hardest of them", f"{served['lowest_accuracy']:.0%}")
    columns[2].metric(
        "FER2013 faces it never saw: right",
        f"{metrics['accuracy']:.0%}",
        help=f"{metrics['n']:,} faces of FER2013's validation split.",
    )
    st.plotly_chart(
        emotion_groups(
            {"served model": metrics["per_class_recall"]},
            "How often each emotion is recognised (FER2013 faces it never saw)",
        ),
        key=f"{kind}_served_recall",
    )
    calibration = metrics.get("calibration")
    if calibration:
        measured_on = calibration.get("figures_on")
        st.markdown(
            "**Can its confidence be trusted?** Its probabilities are calibrated by a temperature "
            f"({calibration['temperature']:.2f}) fitted on {calibration.get('data', 'val')}. On "
            + (
                f"{measured_on} "
                if measured_on
                else "halves of those faces the temperature was not fitted on "
            )
            + "the calibration error (how far the stated probability is from how often it is "
            f"right) is {calibration['ece_before']:.3f} raw and {calibration['ece_after']:.3f} "
            "calibrated (on each dataset it never trained on: see the table below). Its top "
            f"probability averages {calibration['confidence_after']['right']:.0%} when right and "
            f"{calibration['confidence_after']['wrong']:.0%} when wrong."
        )
        st.plotly_chart(
            reliability_figure(calibration["reliability_after"], "Reliability, faces (val)"),
            key=f"{kind}_reliability",
        )
    lodo_rows = face_lodo_rows(metrics)
    if lodo_rows:
        served = metrics["lodo"]["served"]
        st.markdown("#### On kinds of faces it never trained on")
        st.write(
            "Each dataset below was scored by a model trained the same way on all the others, "
            f"never on it: right {served['mean_accuracy']:.0%} of the time on average, "
            f"{served['lowest_accuracy']:.0%} on the hardest. FER2013's row comes from a model "
            "that saw none of its 28,000 faces, only the few thousand of the other sets."
        )
        with st.expander("Per dataset: accuracy, every emotion counted equally, calibration"):
            percent_table(lodo_rows, "face_lodo")
    st.markdown(
        "**Limits.** Disgust and fear are the hardest (few and similar examples); faces that "
        "are turned, covered, small or badly lit are often not found or misread; the labels are "
        "what people saw in a photo, not what the person felt."
    )
    with st.expander("Development details: candidates compared, confusion matrices"):
        candidates(metrics, kind)
    development_details(metrics, ("data", "split", "imbalance", "inputs", "settings"))


def candidates(metrics: dict, kind: str) -> None:
    """The candidate models compared on an evaluation, their recall and confusion matrices."""
    st.markdown(f"**Served: {metrics['chosen']}.** Selection: {metrics['selection']}.")
    start = metrics.get("settings", {}).get("init_from")
    st.caption(
        f"Training time {metrics['training_seconds'] / 60:.0f} min"
        + (f" (this run only: it continued training {start})." if start else ".")
    )
    rows = comparison_rows(metrics)
    names = sorted({row["evaluation"] for row in rows}, key=lambda name: name != "val")
    evaluation = st.selectbox(
        "Evaluation", names, index=int(len(names) > 1), key=f"{kind}_evaluation"
    )
    chosen_rows = [row for row in rows if row["evaluation"] == evaluation]
    st.markdown("#### Models compared")
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


def voice_report(metrics: dict) -> None:
    """The voice model in plain words first: how good on voices it never heard, per corpus and
    mode, how honest its confidence is, its limits; development details folded away."""
    single, adaptive = metrics["headline"]["single"], metrics["headline"]["adaptive"]
    st.markdown(
        "The voice model listens to how something is said: 242 acoustic measures (pitch, "
        "loudness, voice quality, rhythm) and what the first layers of a speech recogniser "
        "trained on 680,000 hours of speech in many languages (OpenAI's Whisper) hear in the "
        "voice. Small neural networks turn them into the seven probabilities. Every figure "
        "here comes from recordings the model never heard: each corpus is scored by a model "
        "trained on the other corpora only (*leave one corpus out*), so other speakers, "
        "languages, microphones and rooms. Chance is 1 in 7 (14%) when a corpus has all seven "
        "emotions."
    )
    columns = st.columns(2)
    columns[0].metric("One clip alone: right", f"{single['accuracy']:.0%}")
    columns[1].metric("Adapted to the speaker: right", f"{adaptive['accuracy']:.0%}")
    needed = metrics["speaker_adaptation"]["min_clips"]
    st.caption(
        "Means over the corpora, each corpus counting once. *Adapted to the speaker*: the "
        "voice judged relative to the same speaker's other recordings, as the Live page does "
        f"after {needed} stretches of speech and the Upload page after a calibration recording."
    )
    with st.expander("Per corpus, and how much of the speaker it needs to have heard"):
        st.caption("Macro-F1 counts every emotion equally, rare ones too.")
        percent_table(loco_rows(metrics), "voice_loco")
        percent_table(session_rows(metrics), "voice_sessions")
    calibration = metrics["modes"]["single"]["loco"]["single clip"]
    gap = calibration["confidence"]
    st.markdown("#### Can its confidence be trusted?")
    st.write(
        f"On corpora it never heard, the voice model's top probability averages "
        f"{gap['right']:.0%} when it is right and {gap['wrong']:.0%} when it is wrong; its "
        f"expected calibration error is {calibration['pooled_ece']:.1%} (0 would mean a "
        "confidence of 60% is right 60% of the time). Calibrated by a temperature fitted on "
        "other corpora than the one scored, raised for recordings unlike those it trained on "
        "(another microphone or room): there it is more often wrong, so it says less."
    )
    st.plotly_chart(
        reliability_figure(calibration["reliability"], "Reliability, one clip alone"),
        key="voice_reliability",
    )
    st.markdown("#### Known limits")
    st.markdown(
        "- Acted emotions dominate the training data; natural speech (URDU talk shows, "
        "EmoSpeech phone recordings) scores lower.\n"
        "- A single clip of an unknown voice is hard: the same pitch is calm for one person and "
        "excited for another. Calibrating to your voice helps most.\n"
        "- It hears how you speak, not what you say, and an expression is not a feeling: never "
        "use it for decisions about people."
    )
    development_details(
        metrics, ("data", "inputs", "settings", "candidates", "augmentation", "ablation")
    )
    with st.expander("Within-corpus scores (secondary: speakers new, corpora seen)"):
        for mode in ("single", "adaptive"):
            scores = metrics["modes"][mode]["speaker_independent"]
            st.markdown(f"**{mode}**")
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "corpus": name,
                            "n": row["n"],
                            "accuracy": row["accuracy"],
                            "macro_f1": row["macro_f1"],
                        }
                        for name, row in scores.items()
                    ]
                ),
                hide_index=True,
                key=f"voice_within_{mode}",
            )


def percent_table(rows: list[dict], key: str) -> None:
    """A table whose fractional columns (accuracy, macro-F1, ECE) read as percentages."""
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        column_config={
            column: st.column_config.NumberColumn(format="percent")
            for column, value in rows[0].items()
            if isinstance(value, float)
        },
        key=key,
    )


def development_details(metrics: dict, sections: tuple[str, ...]) -> None:
    """The metrics file's data, split and settings, folded away."""
    with st.expander("Development details: data, split and settings"):
        for section in sections:
            if section in metrics:
                st.markdown(f"**{section.capitalize()}**")
                st.code(json.dumps(metrics[section], indent=2), language="json")
        st.caption(f"Trained {metrics['created']} from commit {metrics['commit']}.")


REPORTS = {"face": face_report, "voice": voice_report}
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
        REPORTS[kind](metrics)

st.header("Face and voice together")
fusion = load_fusion_metrics()
if fusion is None:
    st.info(
        "No fusion measurements yet: `python -m emotion evaluate fusion` pairs the voice clips "
        "of the leave-one-corpus-out comparison with faces of the same emotion and writes them.",
        icon=":material/hourglass_empty:",
    )
else:
    rule, weight = fusion["defaults"]["rule"], str(fusion["defaults"]["face_weight"])
    single = fusion["modes"]["single"]["rules"][rule]
    adapted = fusion["modes"]["adaptive"]["rules"][rule]
    st.markdown(
        "No dataset here holds one person's face and voice at the same moment, so the figures "
        f"come from {fusion['evaluated_on']}. With the app's defaults ({rule} mean, face "
        f"weight {weight}) the fused result is right {single[weight]['accuracy']:.0%} of the "
        f"time with a single voice clip and {adapted[weight]['accuracy']:.0%} once the voice is "
        f"judged relative to the speaker, against {single['1.0']['accuracy']:.0%} for the face "
        f"alone and {single['0.0']['accuracy']:.0%} / {adapted['0.0']['accuracy']:.0%} for the "
        "voice alone. On such pairs the fused probabilities are less sure than they could be "
        f"(calibration error {single[weight]['ece']:.2f}): two independent judgements that "
        "agree deserve more confidence than their mean, so the app says *unsure* more often "
        "than needed, never less. Real pairs differ: a person's face and voice are not "
        "independent."
    )
    st.plotly_chart(
        fusion_figure(fusion["modes"], "Fused accuracy by face weight (simulated pairs)"),
        key="fusion_weights",
    )
    st.caption(f"Measured {fusion['created']} from commit {fusion['commit']}.")

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
