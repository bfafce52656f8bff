"""The voice model: its inputs, training, evaluation and serving (`analyze_audio`)."""

from emotion.voice.analysis import VoiceResult, WindowResult, analyze_audio, analyze_audio_file

__all__ = ["VoiceResult", "WindowResult", "analyze_audio", "analyze_audio_file"]
