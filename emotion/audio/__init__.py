"""Audio in: decoding any clip a user has, cleaning it for the voice model, and its features."""
