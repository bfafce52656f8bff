"""The app starts and answers with networking unavailable, and tries to reach nothing outside.

The server runs in a subprocess whose sockets refuse any non-loopback connection or name lookup
and log the attempt (tests/support/sitecustomize.py). A websocket client plays the browser: it
asks the server to run each page and reads back what the page rendered.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_server import LOCAL, PROJECT, running_app
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

SUPPORT = PROJECT / "tests" / "support"


def guarded_env(log: Path) -> dict[str, str]:
    return dict(os.environ, NETGUARD_LOG=str(log), PYTHONPATH=str(SUPPORT))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("server")
    log = folder / "attempts.log"
    with running_app(folder / "streamlit.log", guarded_env(log), address="localhost") as base:
        yield base, log


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
