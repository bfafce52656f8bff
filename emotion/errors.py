"""The base of every error the package raises for a user's input or a missing file: catch
`EmotionError` to handle them all; each message is written for the person who gave the input."""


class EmotionError(Exception):
    """An input that cannot be read or judged, or a file the package needs that is missing."""
