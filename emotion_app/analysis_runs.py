"""Running the models on a user's upload from a page: each input analysed once per session, and
every error turned into a message instead of a stack trace."""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from emotion.audio.errors import AudioError
from emotion.face.errors import ImageError
from emotion.model_files import MissingModelError
from emotion.video import VideoError

T = TypeVar("T")
LOG = logging.getLogger(__name__)
REMEMBERED = 12
USER_ERRORS = (ImageError, AudioError, VideoError, MissingModelError)


def content_key(kind: str, data: bytes, *options: object) -> str:
    """A key naming this input and the options it was analysed with."""
    return ":".join([kind, hashlib.sha1(data).hexdigest(), *map(str, options)])


def analysed_once(key: str, compute: Callable[[], T]) -> T | None:
    """`compute()`'s result, computed once per session and input (moving a slider reuses it).

    A problem with the input is shown as an error message and gives None (`analysis_problem`
    then says why); so does an unexpected failure, which is also logged for the developers.
    """
    memo: OrderedDict[str, object] = st.session_state.setdefault("analyses", OrderedDict())
    if key in memo:
        memo.move_to_end(key)
        return memo[key]  # type: ignore[return-value]
    problems: dict[str, str] = st.session_state.setdefault("analysis_problems", {})
    problems.pop(key, None)
    try:
        result = compute()
    except USER_ERRORS as error:
        problems[key] = str(error)
    except MemoryError:
        LOG.exception("out of memory analysing %s", key)
        problems[key] = (
            "This file needs more memory than the server has free: try a smaller or shorter one."
        )
    except Exception:
        LOG.exception("analysis failed for %s", key)
        problems[key] = (
            "Something went wrong while analysing this file (the details are in the server's "
            "log). Try another file; the app keeps working."
        )
    if key in problems:
        st.error(problems[key], icon=":material/error:")
        return None
    memo[key] = result
    while len(memo) > REMEMBERED:
        memo.popitem(last=False)
    return result


def analysis_problem(key: str) -> str | None:
    """Why the last analysis under `key` gave no result (the message shown), or None."""
    return st.session_state.get("analysis_problems", {}).get(key)
