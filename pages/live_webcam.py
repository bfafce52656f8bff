"""Live webcam: every face boxed and labelled in real time, the microphone's last 3 s judged, and
face, voice and fused probabilities charted as they change."""

from __future__ import annotations

import streamlit as st

from emotion_app.page_setup import page_setup

# Title first: on a server that has just started, the models' code takes seconds to import.
page_setup("Live webcam")
st.title("Live webcam")
st.write(
    "Press **START** and allow the camera (and microphone): every face gets a box and a label, "
    "and the last 3 seconds of your voice are judged too (after a few seconds of speech, "
    "relative to your own voice, which is more accurate). Nothing leaves this computer."
)

from streamlit_webrtc import WebRtcMode, webrtc_streamer

from emotion.fusion import fuse
from emotion.labels import top_emotion
from emotion.live import LiveAnalyzer
from emotion.model_files import MODEL_KINDS, model_files
from emotion.voice.served import voice_model
from emotion_app.charts import emotion_groups
from emotion_app.controls import FusionSettings, detector_choice, fusion_controls
from emotion_app.ice import rtc_configuration
from emotion_app.model_status import show_model_status
from emotion_app.result_views import show_fused, voice_mode_note
from emotion_app.visibility import tab_visible

VIDEO_CONSTRAINTS = {"width": {"ideal": 640}, "height": {"ideal": 480}, "frameRate": {"ideal": 30}}
# The voice model needs the voice as it is: browsers' call-audio processing alters it.
AUDIO_CONSTRAINTS = {"echoCancellation": False, "noiseSuppression": False, "autoGainControl": False}
NO_CAMERA_HELP = """
- **NotFoundError** or *Requested device not found*: this computer has no camera (or no
  microphone: turn **Use the microphone** off in the sidebar to go on with the camera alone).
  Connect one, or use the **Upload** page with a photo, clip or video instead.
- **NotAllowedError** or *Permission denied*: the browser was not allowed to use the camera.
  Allow it in the site settings (the icon left of the address), then press START again.
- **NotReadableError**: another program is using the camera; close it and press START again.
- The page is opened from another computer over plain http: browsers only give the camera to
  `https://` pages and to `http://localhost` (see the README).
"""

if not all(model_files(kind).servable for kind in MODEL_KINDS):
    show_model_status(MODEL_KINDS)
    st.stop()

with st.sidebar:
    use_microphone = st.toggle("Use the microphone", value=True, key="live_microphone")

detector = detector_choice("live_detector")

analyzer: LiveAnalyzer = st.session_state.setdefault("live_analyzer", LiveAnalyzer())
analyzer.detector = detector
# A hidden tab analyses nothing: frames pass through untouched until it is shown again.
visible = tab_visible()
analyzer.paused = not visible
try:
    rtc = rtc_configuration()
except ValueError as error:
    st.error(f"{error} Using no ICE servers (this computer and local network only).")
    rtc = {"iceServers": []}

# Video and results side by side (one above the other on a phone): the verdicts are in the
# first screen next to the picture.
video_column, results_column = st.columns([1, 1], gap="medium")
with video_column:
    context = webrtc_streamer(
        key="live",
        mode=WebRtcMode.SENDRECV,
        rtc_configuration=rtc,
        media_stream_constraints={
            "video": VIDEO_CONSTRAINTS,
            "audio": AUDIO_CONSTRAINTS if use_microphone else False,
        },
        queued_video_frames_callback=analyzer.video_frames,
        queued_audio_frames_callback=analyzer.audio_frames if use_microphone else None,
        async_processing=True,
    )
    if not context.state.playing:
        with st.expander("START shows an error, or no picture?", icon=":material/videocam_off:"):
            st.markdown(NO_CAMERA_HELP)


def live_results(settings: FusionSettings, playing: bool) -> None:
    """The stream's latest results while it plays (the models run in the stream's threads);
    nothing from an earlier stream once it is stopped."""
    if not playing:
        st.info("Press **START** to begin: the results appear here.", icon=":material/videocam:")
        return
    state = analyzer.snapshot()
    st.markdown(
        f"Frames processed: **{state.frames_processed}** · "
        f"**{state.frames_per_second:.1f}** frames/s · "
        f"{state.milliseconds_per_frame:.1f} ms per frame · faces in view: **{len(state.faces)}**"
        + (f" ({', '.join(face.label for face in state.faces)})" if state.faces else "")
    )
    voice_line = (
        f"Voice: **{top_emotion(state.voice)}**"
        if state.voice
        else f"Voice: {state.voice_problem if use_microphone else 'microphone off'}"
    )
    st.markdown(voice_line)
    if state.voice:
        st.caption(
            voice_mode_note(state.voice_mode, state.speaker_windows, voice_model().min_clips)
        )
    fused = fuse(state.face, state.voice, settings.face_weight, settings.rule)
    show_fused(
        fused,
        "No face in view and no voice judged yet.",
        emotion_groups({"face": state.face, "voice": state.voice, "fused": fused.probabilities})
        if fused
        else None,
        face=state.face,
        voice=state.voice,
    )


# Refreshed every second only while the stream plays in a visible tab: an idle or hidden tab
# costs the server nothing. The face weight is on the page, where a phone shows it too.
playing = context.state.playing
with results_column:
    if not visible:
        st.caption("Paused while this tab is hidden: no frame or sound is analysed.")
    results = st.container()
    settings = fusion_controls(in_sidebar=False)
    st.caption(
        "The face's label is steadied over about the last second, so that it does not flip "
        "from frame to frame; the voice is judged on the last 3 seconds, twice a second."
    )
with results:
    st.fragment(live_results, run_every=1.0 if playing and visible else None)(settings, playing)
st.caption(
    "Across networks the browser may need a STUN/TURN server: set EMOTION_ICE_SERVERS (see the "
    "README). Frames are dropped, never queued, when the model falls behind."
)
