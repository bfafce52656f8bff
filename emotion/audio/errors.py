"""The error a user's audio raises when it cannot be judged; its message is shown as is."""


class AudioError(ValueError):
    """Audio that cannot be read or judged: the message says why, in words for the user."""
