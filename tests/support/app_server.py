"""Starting the real Streamlit app in a subprocess for tests, and stopping it again."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def free_port(address: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on at `address`."""
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


STREAMLIT = (sys.executable, "-m", "streamlit", "run", "streamlit_app.py")


@contextlib.contextmanager
def running_app(
    log: Path,
    env: dict[str, str] | None = None,
    address: str = "127.0.0.1",
    command: tuple[str, ...] = STREAMLIT,
    cwd: Path = PROJECT,
) -> Iterator[str]:
    """Serve the app headless at `address` until the block ends; yields its base URL.

    `command` starts it (default: `streamlit run streamlit_app.py` in the project; `emotion
    app` takes the same --server.address and --server.port as --address and --port).
    The server's output goes to `log`; a server that does not answer /_stcore/health within
    90 s fails with that output.
    """
    port = free_port(address)
    ours = command[-1] == "app"
    where = ["--address", address, "--port"] if ours else ["--server.address", address]
    where += [str(port)] if ours else ["--server.port", str(port), "--server.headless", "true"]
    with log.open("w") as sink:
        process = subprocess.Popen(
            [*command, *where],
            cwd=cwd,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://{address}:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with LOCAL.open(f"{base}/_stcore/health", timeout=2) as reply:
                    if reply.read() == b"ok":
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start:\n{log.read_text()}") from None
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
