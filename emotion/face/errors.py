"""The error a user's image can cause, with a message meant for them."""


class ImageError(ValueError):
    """An image that cannot be read or judged; the message says why, for the user."""
