"""A file written by emotion.whole_files is there whole or not at all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from emotion.whole_files import replacing, save_array, save_arrays, save_text


def test_arrays_and_text_are_read_back(tmp_path: Path) -> None:
    save_arrays(tmp_path / "a" / "kept.npz", compressed=True, x=np.arange(3), y=np.ones(2))
    save_array(tmp_path / "one.npy", np.eye(2))
    save_text(tmp_path / "done.json", "{}")
    with np.load(tmp_path / "a" / "kept.npz") as stored:
        assert stored["x"].tolist() == [0, 1, 2] and stored["y"].tolist() == [1, 1]
    assert np.load(tmp_path / "one.npy").tolist() == [[1, 0], [0, 1]]
    assert (tmp_path / "done.json").read_text() == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "done.json", "one.npy"]


def test_a_write_that_fails_leaves_neither_a_file_nor_a_partial_one(tmp_path: Path) -> None:
    target = tmp_path / "fold.npz"
    with pytest.raises(RuntimeError), replacing(target) as partial:
        np.savez(partial, x=np.arange(3))
        assert partial.is_file() and not target.exists()
        assert list(tmp_path.glob("*.npz")) == []  # what a resumed run lists
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rewrite_keeps_the_finished_file(tmp_path: Path) -> None:
    target = tmp_path / "done.json"
    save_text(target, "finished")
    with pytest.raises(RuntimeError), replacing(target) as partial:
        partial.write_text("half")
        raise RuntimeError("killed")
    assert target.read_text() == "finished"
