"""The app on a projector, in a real browser (Debian's Chromium via Selenium).

At 1280×800 (a common projector) and 1920×1080 every page is opened; the
headline numbers must be whole (``scrollWidth <= clientWidth`` on each metric
value), and with map tiles off no request may leave 127.0.0.1 (Chrome's
performance log; other hosts are also made unresolvable, so nothing could leak).
Screenshots of every page at both sizes are kept under pytest's ``tmp_path``
(and copied to ``$FOOTPRINT_SCREENSHOT_DIR`` when set).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from test_app_browser import CHROMEDRIVER, CHROMIUM, server, wait_idle  # noqa: F401  (module fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
                       reason=f"needs {CHROMIUM} and {CHROMEDRIVER} (apt install chromium chromium-driver)"),
]
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (requirements-dev.txt)")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PAGES = ["", "data", "consolidate", "workshop", "tradeoff", "compare", "report"]
NETWORK = ("http:", "https:", "ws:", "wss:")  # chrome://, data: and blob: never leave the browser
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1")
CLIPPED_JS = """
return [...document.querySelectorAll('[data-testid=stMetricValue]')]
  .flatMap(e => [e, ...e.querySelectorAll('*')])
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText);
"""


def _driver(tmp_path: Path, width: int, height: int):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--force-device-scale-factor=1", f"--window-size={width},{height}",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path / f'profile-{width}'}")
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    return d


def _settled(d) -> None:
    wait_idle(d, 120)
    WebDriverWait(d, 60).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid='stSkeleton']"))
    time.sleep(1.0)


def _requests(d) -> set[str]:
    urls = set()
    for entry in d.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.add(msg["params"]["request"]["url"])
        elif msg["method"] == "Network.webSocketCreated":
            urls.add(msg["params"]["url"])
    return urls


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1920, 1080)])
def test_headlines_whole_and_nothing_leaves_the_machine(server, tmp_path, width, height):  # noqa: F811
    d = _driver(tmp_path, width, height)
    shots = tmp_path / "screenshots"
    shots.mkdir()
    seen: dict[str, int] = {}
    try:
        for page in PAGES:
            d.get(f"{server}/{page}")
            _settled(d)
            if page == "compare":  # one saved scenario, so the page shows its numbers
                d.find_element(By.XPATH, "//button[.//p[text()='Add current scenario']]").click()
                _settled(d)
            assert "Traceback" not in d.page_source
            name = page or "overview"
            seen[name] = len(d.find_elements(By.CSS_SELECTOR, "[data-testid='stMetricValue']"))
            clipped = d.execute_script(CLIPPED_JS)
            d.save_screenshot(str(shots / f"{name}-{width}x{height}.png"))
            assert not clipped, f"{name} at {width}×{height}: headline values cut off: {clipped}"
        urls = _requests(d)
    finally:
        d.quit()
    keep = os.environ.get("FOOTPRINT_SCREENSHOT_DIR")
    if keep:
        for png in shots.glob("*.png"):
            shutil.copy(png, Path(keep) / png.name)
    assert {k: v for k, v in seen.items() if k in ("overview", "consolidate", "workshop", "compare")} == {
        "overview": 5, "consolidate": 5, "workshop": 9, "compare": 2}, "the pages drew their headline numbers"
    outside = sorted(u for u in urls if u.startswith(NETWORK) and not u.startswith(LOCAL))
    assert not outside, f"requests left the machine with tiles off: {outside}"
    assert any(u.startswith("http://127.0.0.1") for u in urls), "the log did record the app's own requests"
