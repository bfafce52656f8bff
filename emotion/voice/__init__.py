"""The voice model: its inputs, training, evaluation and serving (`analyze_audio`), in single-clip
and speaker-adaptive mode (`SpeakerProfile`)."""

from emotion.voice.analysis import VoiceResult, WindowResult, analyze_audio, analyze_audio_file
from emotion.voice.speaker import SpeakerProfile

__all__ = ["SpeakerProfile", "VoiceResult", "WindowResult", "analyze_audio", "analyze_audio_file"]
