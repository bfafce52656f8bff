"""Results files of the `analyze` command: JSON Lines (one object a line) or CSV, chosen by the
extension. Rows are appended and flushed one by one, so an interrupted run leaves a valid file;
`done_paths` reads back what a previous run finished, so running again resumes."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, TextIO

from emotion.labels import EMOTIONS

CSV_FIELDS = [
    "path",
    "kind",
    "size_bytes",
    "duration_s",
    "width",
    "height",
    "label",
    "confidence",
    "error",
    *(f"{source}_{emotion}" for source in ("face", "voice", "fused") for emotion in EMOTIONS),
    "detail",
]
PROBABILITIES = ("face", "voice", "fused")


def is_csv(path: Path) -> bool:
    """Whether results go to `path` as CSV (by its extension; anything else is JSON Lines)."""
    return path.suffix.lower() == ".csv"


def complete_lines(path: Path) -> list[str]:
    """The file's complete lines; a last line cut short by an interruption is removed from the
    file, so that appending continues on a clean line."""
    if not path.is_file():
        return []
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        with path.open("r+b") as handle:
            handle.truncate(end)
    return data[:end].decode("utf-8").splitlines()


def done_paths(path: Path) -> set[str]:
    """Paths of the files a previous run already wrote a row for."""
    lines = complete_lines(path)
    if is_csv(path):
        return {row["path"] for row in csv.DictReader(lines)}
    return {json.loads(line)["path"] for line in lines if line.strip()}


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    """A results row flattened to the CSV columns (details as one JSON text)."""
    flat = {key: row.get(key) for key in CSV_FIELDS[:9]}
    for source in PROBABILITIES:
        for emotion in EMOTIONS:
            flat[f"{source}_{emotion}"] = (row.get(source) or {}).get(emotion)
    extra = {
        key: value for key, value in row.items() if key not in flat and key not in PROBABILITIES
    }
    flat["detail"] = json.dumps(extra) if extra else None
    return flat


class ResultsWriter:
    """Appends rows to a results file, flushing each."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not path.is_file() or path.stat().st_size == 0
        self._handle: TextIO = path.open("a", encoding="utf-8", newline="")
        self._csv = csv.DictWriter(self._handle, CSV_FIELDS) if is_csv(path) else None
        if self._csv and fresh:
            self._csv.writeheader()

    def write(self, row: dict[str, Any]) -> None:
        """Append one row and flush it to disk."""
        if self._csv:
            self._csv.writerow(csv_row(row))
        else:
            self._handle.write(json.dumps(row) + "\n")
        self._handle.flush()

    def close(self) -> None:
        """Close the file."""
        self._handle.close()

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
