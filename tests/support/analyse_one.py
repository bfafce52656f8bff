"""Analyse one file as the app would, in a process of its own, and print what happened as JSON:
the outcome ("ok" or the error's class), the user's message, and the process's peak memory.

Usage: python analyse_one.py image|audio|video PATH. The process's address space is capped at
8 GB, so an input that makes a library ask for petabytes fails at once instead of swapping.
"""

from __future__ import annotations

import json
import re
import resource
import sys
from pathlib import Path

ADDRESS_SPACE = 8 << 30


def analyse(kind: str, path: Path) -> str:
    """Run the package's analysis of `kind` on `path`; a short description of the result."""
    if kind == "image":
        from emotion.face.analysis import analyze_image_file

        return f"{len(analyze_image_file(path))} faces"
    if kind == "audio":
        from emotion.voice.analysis import analyze_audio_file

        return analyze_audio_file(path).label
    from emotion.video import analyze_video

    result = analyze_video(path)
    return f"{len(result.frames)} frames; {result.note or ''}"


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    kind, path = sys.argv[1], Path(sys.argv[2])
    try:
        outcome, message = "ok", analyse(kind, path)
    except Exception as error:  # reported, not raised: the parent judges the message
        outcome, message = type(error).__name__, str(error)
    print(json.dumps({"outcome": outcome, "message": message, "peak_mb": peak_mb()}))


def peak_mb() -> int:
    """This process's peak resident memory in MB (VmHWM: unlike ru_maxrss, not inherited from
    the process that started it)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) // 1024  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
