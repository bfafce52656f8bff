"""Make any network connection that would leave this machine fail, and log the attempt."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

_REAL_CONNECT = socket.socket.connect
_REAL_CONNECT_EX = socket.socket.connect_ex
_REAL_GETADDRINFO = socket.getaddrinfo
LOCAL_NAMES = {"localhost", "localhost.localdomain", ""}


class NetworkBlocked(ConnectionRefusedError):
    """Raised for a connection or name lookup that would leave the machine."""


def is_local(host: object) -> bool:
    """Whether a host (name or address) stays on this machine."""
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str) or host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def install(log: Path | None = None) -> None:
    """Patch the socket module so that non-loopback connects and lookups raise NetworkBlocked."""

    def refuse(what: str) -> None:
        if log is not None:
            with log.open("a") as handle:
                handle.write(what + "\n")
        raise NetworkBlocked(f"network access blocked in tests: {what}")

    def connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
            refuse(f"connect {address}")
        return _REAL_CONNECT(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
            refuse(f"connect_ex {address}")
        return _REAL_CONNECT_EX(self, address)

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list:
        if not is_local(host):
            refuse(f"getaddrinfo {host}")
        return _REAL_GETADDRINFO(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo


def uninstall() -> None:
    """Restore the real socket functions."""
    socket.socket.connect = _REAL_CONNECT
    socket.socket.connect_ex = _REAL_CONNECT_EX
    socket.getaddrinfo = _REAL_GETADDRINFO
