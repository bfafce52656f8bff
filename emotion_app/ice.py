"""ICE servers for the live page's WebRTC connection, from the EMOTION_ICE_SERVERS setting.

None by default: on this computer or a local network the browser and the app reach each other
directly, and a public STUN server would be unreachable offline anyway. For use across networks
set EMOTION_ICE_SERVERS to a JSON list in the browser's RTCIceServer format, e.g.
`[{"urls": "stun:stun.example.org:3478"}, {"urls": "turn:turn.example.org:3478",
"username": "u", "credential": "p"}]`.
"""

from __future__ import annotations

import json
import os
from typing import Any

ICE_SERVERS_VARIABLE = "EMOTION_ICE_SERVERS"


def parse_ice_servers(text: str | None) -> list[dict[str, Any]]:
    """The ICE server list in `text` (empty or unset: none). Raises ValueError, saying what is
    wrong, for anything but a JSON list of objects that each have "urls"."""
    if not text or not text.strip():
        return []
    try:
        servers = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{ICE_SERVERS_VARIABLE} is not valid JSON: {error}") from error
    if not isinstance(servers, list) or not all(
        isinstance(server, dict) and "urls" in server for server in servers
    ):
        raise ValueError(f'{ICE_SERVERS_VARIABLE} must be a JSON list of {{"urls": ...}} objects.')
    return servers


def rtc_configuration() -> dict[str, Any]:
    """The RTCConfiguration for streamlit-webrtc. Always names `iceServers` (an empty dict
    would make streamlit-webrtc fall back to a public STUN server)."""
    return {"iceServers": parse_ice_servers(os.environ.get(ICE_SERVERS_VARIABLE))}
