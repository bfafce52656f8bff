"""The app starts and answers with networking unavailable, and tries to reach nothing outside.

The server runs in a subprocess whose sockets refuse any non-loopback connection or name lookup
and log the attempt (tests/support/sitecustomize.py). A websocket client plays the browser: it
asks the server to run each page and reads back what the page rendered.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

PROJECT = Path(__file__).resolve().parents[1]
SUPPORT = PROJECT / "tests" / "support"
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def guarded_env(log: Path) -> dict[str, str]:
    return dict(os.environ, NETGUARD_LOG=str(log), PYTHONPATH=str(SUPPORT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("server")
    log, output = folder / "attempts.log", folder / "streamlit.log"
    port = free_port()
    with output.open("w") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "streamlit_app.py",
                "--server.port",
                str(port),
            ],
            cwd=PROJECT,
            env=guarded_env(log),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with LOCAL.open(f"{base}/_stcore/health", timeout=2) as reply:
                    if reply.read() == b"ok":
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start:\n{output.read_text()}")
                time.sleep(0.5)
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def render(base: str, page: str) -> list[ForwardMsg]:
    """Ask the server to run one page, as the browser does, and collect what it sends back."""
    request = BackMsg()
    request.rerun_script.page_name = page
    messages = []
    with connect(base.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"]) as ws:
        ws.send(request.SerializeToString())
        while not messages or messages[-1].WhichOneof("type") != "script_finished":
            message = ForwardMsg()
            message.ParseFromString(ws.recv(timeout=60))
            messages.append(message)
    return messages


def rendered_text(messages: list[ForwardMsg]) -> str:
    return "\n".join(str(m.delta) for m in messages if m.WhichOneof("type") == "delta")


def test_the_guard_really_blocks_and_logs(tmp_path: Path) -> None:
    log = tmp_path / "attempts.log"
    code = "import socket; socket.create_connection(('192.0.2.1', 80), timeout=2)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=guarded_env(log), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "NetworkBlocked" in result.stderr
    assert "192.0.2.1" in log.read_text()


def test_server_answers_offline(server: tuple[str, Path]) -> None:
    base, _ = server
    with LOCAL.open(base, timeout=10) as reply:
        assert reply.status == 200
        assert b"<noscript>" in reply.read()


@pytest.mark.parametrize(
    ("page", "heading"),
    [
        ("", "Multimodal emotion recognition"),
        ("upload", "Upload"),
        ("live_webcam", "Live webcam"),
        ("model_report", "Model report"),
    ],
)
def test_every_page_renders_offline(server: tuple[str, Path], page: str, heading: str) -> None:
    base, _ = server
    messages = render(base, page)
    text = rendered_text(messages)
    assert f'body: "{heading}"' in text
    assert "exception" not in text


def test_nothing_tried_to_leave_the_machine(server: tuple[str, Path]) -> None:
    base, log = server
    render(base, "model_report")
    assert not log.exists() or log.read_text() == ""
