"""File uploaders whose file stays when the user visits another page and comes back.

Streamlit forgets an uploader's file when its page is left; each upload is therefore also kept
in the session (until the user removes it with the uploader's x, or presses Clear), so results
are still there on return and are not computed again.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class KeptFile:
    """An uploaded file's name and bytes (what the pages read of an upload); `example` says
    where an example file comes from (None for the user's own)."""

    name: str
    data: bytes
    example: str | None = None

    def getvalue(self) -> bytes:
        """The file's bytes, as Streamlit's UploadedFile gives them."""
        return self.data


def kept_files() -> dict[str, KeptFile]:
    """This session's kept files by slot."""
    return st.session_state.setdefault("kept_uploads", {})


def kept_uploader(label: str, types: list[str], slot: str) -> KeptFile | None:
    """A file uploader for `slot` ("photo", "clip", "video"): the file just uploaded, else the
    one kept from an earlier visit, else None."""
    key = f"upload_{slot}"
    kept = kept_files()

    def remember() -> None:
        current = st.session_state.get(key)
        if current is None:
            kept.pop(slot, None)
        else:
            kept[slot] = KeptFile(current.name, current.getvalue())

    uploaded = st.file_uploader(label, type=types, key=key, on_change=remember)
    if uploaded is not None:
        return KeptFile(uploaded.name, uploaded.getvalue())
    if slot not in kept:
        return None
    earlier = kept[slot]
    note, clear = st.columns([5, 1], vertical_alignment="center")
    note.caption(
        f"Your upload **{earlier.name}**, kept while you visited other pages."
        if earlier.example is None
        else f"Example **{earlier.name}** ({earlier.example})."
    )
    if clear.button("Clear", key=f"clear_{slot}"):
        del kept[slot]
        st.rerun()
    return earlier
