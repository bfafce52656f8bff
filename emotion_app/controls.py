"""Sidebar controls shared by the upload and live pages: fusion weight and rule, face detector."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from emotion.face.detection import DETECTORS
from emotion.fusion import DEFAULT_FACE_WEIGHT, FUSION_RULES, FusionRule

RULE_NAMES: dict[FusionRule, str] = {
    "geometric": "Weighted geometric mean (default)",
    "arithmetic": "Weighted average (forgiving)",
}
DETECTOR_NAMES = {"haar": "Haar cascade (fast)", "hog": "HOG (fewer false faces, slower)"}


@dataclass(frozen=True)
class FusionSettings:
    """The user's face weight (the voice gets the rest) and fusion rule."""

    face_weight: float
    rule: FusionRule


def fusion_controls(in_sidebar: bool = True) -> FusionSettings:
    """The face-weight slider and rule choice, in the sidebar or (`in_sidebar=False`) in one
    row of the page, where a phone shows it too; changing them re-fuses without re-running
    the models."""
    where = st.sidebar if in_sidebar else st.container(border=True)
    with where:
        if in_sidebar:
            st.header("Fusion")
            weight_area = rule_area = st.container()
        else:
            weight_area, rule_area = st.columns([3, 2], gap="medium")
        with weight_area:
            face_weight = st.slider(
                "Face weight",
                min_value=0.0,
                max_value=1.0,
                value=DEFAULT_FACE_WEIGHT,
                step=0.05,
                key="face_weight",
                help="How much the face counts against the voice: 1 = face only, 0 = voice only.",
            )
            st.caption(f"Face {face_weight:.0%} · voice {1 - face_weight:.0%}")
        with rule_area:
            rule = st.radio(
                "Rule",
                FUSION_RULES,
                format_func=RULE_NAMES.__getitem__,
                key="fusion_rule",
                help="The average is forgiving when one model is unsure; the geometric mean keeps "
                "an emotion low when either model rules it out.",
            )
    return FusionSettings(face_weight, rule)


def detector_choice(key: str) -> str:
    """The sidebar choice of face detector, named by what it trades."""
    with st.sidebar:
        return st.radio("Face detector", DETECTORS, format_func=DETECTOR_NAMES.__getitem__, key=key)
