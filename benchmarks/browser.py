"""The browser the benchmarks and the browser tests drive: Debian's chromium, headless, the flags
and the screen size they share (tests/conftest.py loads this file by its path)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # many pages in one headless browser (bench_classroom, the class tests): none may be
    # throttled as a background tab
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
VIEWPORT = {"width": 1366, "height": 768}


def chromium_missing() -> bool:
    """True (and says so on stderr) when there is no chromium to drive."""
    if Path(CHROMIUM).exists():
        return False
    print(f"error: chromium not found at {CHROMIUM} (apt-get install -y chromium)", file=sys.stderr)
    return True
