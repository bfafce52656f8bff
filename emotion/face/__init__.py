"""The face model: detection, preprocessing, training, evaluation and serving."""
