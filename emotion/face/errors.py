"""The error a user's image can cause, with a message meant for them."""

from emotion.errors import EmotionError


class ImageError(EmotionError, ValueError):
    """An image that cannot be read or judged; the message says why, for the user."""
