"""Loaded by every Python process started with tests/support on PYTHONPATH: no network."""

import os
from pathlib import Path

if os.environ.get("NETGUARD_LOG"):
    import netguard

    netguard.install(Path(os.environ["NETGUARD_LOG"]))
