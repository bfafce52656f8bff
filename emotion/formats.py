"""The file formats the app and the package read, in one place: file extensions for upload
widgets, and the words every message and page uses for them."""

from __future__ import annotations

IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "gif")
AUDIO_EXTENSIONS = ("wav", "flac", "ogg", "oga", "opus", "mp3", "m4a", "aac", "webm")
VIDEO_EXTENSIONS = (
    "mp4", "m4v", "webm", "mov", "mkv", "avi", "flv", "3gp", "3g2", "ts", "mts", "m2ts", "mpg",
    "mpeg", "wmv", "asf",
)  # fmt: skip

IMAGE_FORMATS = "JPEG, PNG, WebP, BMP, TIFF or GIF"
AUDIO_FORMATS = "WAV, FLAC, OGG/Opus, MP3, M4A/AAC or WebM"
VIDEO_FORMATS = "MP4, M4V, WebM, MOV, MKV, AVI, FLV, 3GP, MPEG-TS, MPEG or WMV"
