"""What the browser tests share: Debian's Chromium, its flags, their marks, a free port and
Streamlit's "idle" criterion (not a test module)."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("FOOTPRINT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FOOTPRINT_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1600,1100",
]
#: ``pytestmark`` of a browser test module: slow, and skipped without Chromium.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
        reason=f"needs {CHROMIUM} and {CHROMEDRIVER} (apt install chromium chromium-driver)",
    ),
]


def free_port() -> int:
    """A TCP port free on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_idle(driver, timeout: float = 60) -> None:
    """Streamlit's own criterion: connected, and the script is not running."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    time.sleep(0.4)
    WebDriverWait(driver, timeout).until(
        lambda d: d.find_elements(
            By.CSS_SELECTOR,
            "[data-testid='stApp'][data-test-script-state='notRunning']"
            "[data-test-connection-state='CONNECTED']",
        )
    )
