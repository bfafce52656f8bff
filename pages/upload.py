"""Upload: the emotion in a photo and/or a voice clip, or in a video, fused by the user's weight."""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from emotion_app.page_setup import page_setup

# Title first: on a server that has just started, the models' code takes seconds to import.
page_setup("Upload")
st.title("Upload")
st.write(
    "Give a photo and/or a voice recording, or a video: each face and the voice get their own "
    "probabilities, and the face weight below decides how much each counts in the fused result."
)

from emotion.exports import analysis_record, timeline_csv
from emotion.face.analysis import analyze_image
from emotion.face.images import load_image
from emotion.formats import (
    AUDIO_EXTENSIONS,
    AUDIO_FORMATS,
    IMAGE_EXTENSIONS,
    IMAGE_FORMATS,
    VIDEO_EXTENSIONS,
    VIDEO_FORMATS,
)
from emotion.fusion import fuse
from emotion.video import analyze_video, timeline
from emotion.voice.analysis import analyze_audio_file
from emotion.voice.served import voice_model
from emotion.voice.speaker import SpeakerProfile
from emotion_app.analysis_runs import analysed_once, analysis_problem, content_key
from emotion_app.charts import probability_bars, timeline_figure, winner_strip
from emotion_app.controls import detector_choice, fusion_controls
from emotion_app.examples import example_picker
from emotion_app.kept_uploads import KeptFile, kept_uploader
from emotion_app.result_views import show_faces, show_fused, show_problems, show_voice


def media_input(
    title: str,
    switch: str,
    key: str,
    capture: Callable[[], UploadedFile | None],
    upload_label: str,
    types: list[str],
) -> UploadedFile | KeptFile | None:
    """A file uploader (its file kept across pages), or the device capture widget when the
    user flips the switch."""
    st.subheader(title)
    if st.toggle(switch, key=key):
        return capture()
    return kept_uploader(upload_label, types, title.lower())


def voice_calibration() -> SpeakerProfile:
    """This session's speaker profile, with a recording that calibrates it to the user's voice
    and a button that forgets it."""
    speaker: SpeakerProfile = st.session_state.setdefault("speaker", SpeakerProfile())
    heard = f" ({speaker.windows} stretches heard)" if speaker.windows else ""
    with st.expander(f"Calibrate to my voice{heard}", icon=":material/record_voice_over:"):
        st.write(
            "Read something aloud in your normal voice for 20-30 seconds (any language). Your "
            "clips are then judged relative to your own voice, which is far more accurate than "
            "judging a clip alone. Kept for this browser session only; use it for your own "
            "voice, not for clips of other people."
        )
        sample = st.audio_input("Calibration recording", key="calibration")
        if sample is not None:
            data = sample.getvalue()
            analysed_once(
                content_key("calibration", data),
                lambda: analyze_audio_file(data, speaker=speaker),
            )
        if speaker.windows and st.button("Forget my voice", icon=":material/delete:"):
            speaker.clear()
            memo = st.session_state.get("analyses", {})
            for key in [key for key in memo if key.startswith("calibration:")]:
                del memo[key]
            st.rerun()
    return speaker


settings = fusion_controls(in_sidebar=False)
detector = detector_choice("detector")

photo_tab, video_tab = st.tabs(["Photo and voice", "Video"])

with photo_tab:
    # The verdict comes first, above the uploads and details, so it is seen without scrolling.
    photo_verdict = st.container()
    examples = st.container()
    face_column, voice_column = st.columns(2, gap="large")
    with face_column:
        photo = media_input(
            "Face",
            "Take a photo with the camera instead",
            "use_camera",
            lambda: st.camera_input("Take a photo"),
            f"Photo ({IMAGE_FORMATS})",
            list(IMAGE_EXTENSIONS),
        )
    with voice_column:
        clip = media_input(
            "Voice",
            "Record with the microphone instead",
            "use_microphone",
            lambda: st.audio_input("Record your voice (a few seconds of speech)"),
            f"Audio clip ({AUDIO_FORMATS})",
            list(AUDIO_EXTENSIONS),
        )

    with examples:
        example_picker({"face": photo, "voice": clip})

    faces = voice = None
    keys = []
    with face_column:
        if photo is not None:
            data = photo.getvalue()
            keys += [content_key("image", data), content_key("faces", data, detector)]
            image = analysed_once(keys[0], lambda: load_image(data))
            if image is not None:
                with st.spinner("Finding faces..."):
                    faces = analysed_once(keys[1], lambda: analyze_image(image, detector=detector))
                if faces is not None:
                    show_faces(image, faces, caption=photo.name)
    with voice_column:
        speaker = voice_calibration()
        if clip is not None:
            data = clip.getvalue()
            st.audio(data)
            keys.append(content_key("voice", data, speaker.windows))
            with st.spinner("Listening..."):
                voice = analysed_once(
                    keys[-1], lambda: analyze_audio_file(data, speaker=speaker, learn=False)
                )
            if voice is not None:
                show_voice(voice, voice_model().min_clips)

    if photo is not None or clip is not None:
        with photo_verdict:
            chosen = None
            if faces:
                number = 1
                if len(faces) > 1:
                    number = st.selectbox(
                        "Face to fuse with the voice",
                        range(1, len(faces) + 1),
                        format_func=lambda n: f"Face {n}" + (" (largest)" if n == 1 else ""),
                    )
                chosen = faces[number - 1].probabilities
            voice_probabilities = voice.probabilities if voice else None
            fused = fuse(chosen, voice_probabilities, **vars(settings))
            problems = [problem for key in keys if (problem := analysis_problem(key))]
            if fused is None and problems:
                show_problems(problems)
            else:
                show_fused(
                    fused,
                    "Nothing to fuse yet: no face was found and no voice could be judged.",
                    face=chosen,
                    voice=voice_probabilities,
                    key="photo",
                )
            if fused is not None:
                record = analysis_record(faces, voice, fused, settings.face_weight, settings.rule)
                st.download_button(
                    "Download the results (JSON)",
                    json.dumps(record, indent=1),
                    file_name="emotion-results.json",
                    mime="application/json",
                    on_click="ignore",
                    icon=":material/download:",
                )
            st.divider()

with video_tab:
    video_verdict = st.container()
    video = kept_uploader(f"Video ({VIDEO_FORMATS})", list(VIDEO_EXTENSIONS), "video")
    if video is not None:
        data = video.getvalue()
        preview, _ = st.columns(2)
        preview.video(data)
        key = content_key("video", data, detector)
        progress = None
        if key not in st.session_state.get("analyses", {}):
            progress = st.progress(0.0, text="Reading frames and sound...")
        result = analysed_once(
            key,
            lambda: analyze_video(
                data,
                detector,
                (lambda f: progress.progress(f, text=f"Analysing the video: {f:.0%}"))
                if progress
                else None,
            ),
        )
        if progress is not None:
            progress.empty()
        if result is None and (problem := analysis_problem(key)):
            with video_verdict:
                show_problems([problem])
        if result is not None:
            with_face = sum(bool(frame.faces) for frame in result.frames)
            st.write(
                f"**{result.duration_s:.1f} s** of video: a face in **{with_face} of "
                f"{len(result.frames)}** sampled frames; voice: "
                + (f"**{result.voice.label}**." if result.voice else result.voice_problem)
            )
            if result.note:
                st.warning(result.note, icon=":material/broken_image:")
            points = timeline(result, **vars(settings))
            times = [point.time_s for point in points]
            streams = {
                "face": [point.face for point in points],
                "voice": [point.voice for point in points],
                "fused": [None if p.fused is None else p.fused.probabilities for p in points],
            }
            st.plotly_chart(winner_strip(times, streams))
            st.download_button(
                "Download the timeline (CSV)",
                timeline_csv(points),
                file_name="emotion-timeline.csv",
                mime="text/csv",
                on_click="ignore",
                icon=":material/download:",
            )
            st.plotly_chart(timeline_figure(times, streams))
            overall_face = result.face_probabilities
            overall_voice = result.voice.probabilities if result.voice else None
            face_column, voice_column = st.columns(2)
            if overall_face:
                face_column.plotly_chart(
                    probability_bars(overall_face, "Face, whole video"), key="video_face"
                )
            if overall_voice:
                voice_column.plotly_chart(
                    probability_bars(overall_voice, "Voice, whole video"), key="video_voice"
                )
            with video_verdict:
                show_fused(
                    fuse(overall_face, overall_voice, **vars(settings)),
                    "No face was found in any sampled frame and the sound track could not be "
                    "judged.",
                    face=overall_face,
                    voice=overall_voice,
                    key="video",
                )
                st.divider()
