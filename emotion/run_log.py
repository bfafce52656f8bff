"""The record of face training runs: one JSON line per finished run, appended beside the model
it wrote.

A run's checkpoints (and its epoch-by-epoch log) are removed once it finishes; this line keeps
what it reached, so that runs of different sessions and machines can be compared later.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from emotion.provenance import git_commit, utc_now

RUN_LOG = "face.runs.jsonl"
"""The log's file name, in the folder the run wrote its model to."""


def log_run(folder: Path, record: dict[str, Any]) -> Path:
    """Append `record` (with the time and the code's commit) to `folder`'s run log."""
    log = folder / RUN_LOG
    log.parent.mkdir(parents=True, exist_ok=True)
    line = {"finished": utc_now(), "commit": git_commit(), **record}
    with log.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")
    return log


def read_runs(folder: Path) -> list[dict[str, Any]]:
    """Every run logged in `folder`, oldest first (none if there is no log)."""
    log = folder / RUN_LOG
    if not log.is_file():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]
