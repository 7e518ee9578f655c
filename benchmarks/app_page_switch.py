"""Time warm page switches Overview ⇄ Consolidate with the map, in headless Chromium and in AppTest.

Starts ``streamlit run app.py`` on a free port, opens it in Debian's Chromium
(``/usr/bin/chromium`` via Selenium; nothing is downloaded), visits both pages
once (cold), then clicks between them in the sidebar ``--switches`` times and
times each switch from the click until the script is idle and the map's canvas
is drawn. For comparison it times the same switches' script runs alone
(AppTest, no browser) and prints the size of each page's map spec.

    python benchmarks/app_page_switch.py [--switches 6]

Timings are noisy on a shared machine: read the medians, and the load average printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
PAGES = {"overview": "Overview", "consolidate": "Consolidate"}
CANVAS = "[data-testid='stDeckGlJsonChart'] canvas"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _idle(d, timeout: float = 120.0) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    time.sleep(0.05)
    WebDriverWait(d, timeout, poll_frequency=0.05).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "[data-testid='stApp'][data-test-script-state='notRunning']"
                         "[data-test-connection-state='CONNECTED']") and d.find_elements(By.CSS_SELECTOR, CANVAS)
        and not d.find_elements(By.CSS_SELECTOR, "[data-testid='stSkeleton']"))


def _link(d, page: str):
    """The sidebar's link to ``page`` (by its title: the default page's address is ``/``)."""
    from selenium.webdriver.common.by import By

    links = d.find_elements(By.CSS_SELECTOR, "[data-testid='stSidebarNav'] a")
    return next(a for a in links if a.text.strip().endswith(PAGES[page]))


def browser_switches(n: int) -> dict[str, list[float]]:
    """Seconds from a sidebar click to the page idle with its map drawn, per target page."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    port = _free_port()
    log = open(Path(tempfile.gettempdir()) / f"page-switch-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    out: dict[str, list[float]] = {p: [] for p in PAGES}
    d = None
    try:
        for _ in range(200):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--no-first-run", "--window-size=1600,1000",
                     f"--user-data-dir={tempfile.mkdtemp(prefix='page-switch-')}"):
            opts.add_argument(flag)
        d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        d.get(url)
        _idle(d, 300)
        for page in ["consolidate", "overview"]:  # cold visits: fill the caches
            _link(d, page).click()
            _idle(d, 300)
        for i in range(2 * n):
            page = ["consolidate", "overview"][i % 2]
            link = _link(d, page)
            t0 = time.perf_counter()
            link.click()
            time.sleep(0.05)
            _idle(d)
            out[page].append(time.perf_counter() - t0)
    finally:
        if d is not None:
            d.quit()
        proc.terminate()
        proc.wait(timeout=20)
    return out


def script_switches(n: int) -> dict[str, list[float]]:
    """Seconds of the same warm switches' script runs alone (AppTest)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    out: dict[str, list[float]] = {p: [] for p in PAGES}
    for i in range(2 * n + 2):
        page = ["consolidate", "overview"][i % 2]
        t0 = time.perf_counter()
        at.switch_page(f"app_pages/{page}.py").run()
        if i >= 2:
            out[page].append(time.perf_counter() - t0)
    return out


def spec_sizes() -> dict[str, int]:
    """Bytes of each page's map spec as sent to the browser."""
    from app_pages import cached, state
    from app_pages.map import DEFAULT_LINES, _deck

    base, s = state.default_baseline(), state.default_scenario()
    sizes = {}
    for page, sc in (("overview", base), ("consolidate", s)):
        deck, _ = _deck(state.DEMO, cached.hubs_key(sc.hubs), cached.plan_policy_key(sc.policy, sc.hubs),
                        cached.policy_key(sc.policy), cached.policy_key(base.policy), DEFAULT_LINES, False)
        sizes[page] = len(deck.to_json().encode())
    return sizes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--switches", type=int, default=6)
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for page, size in spec_sizes().items():
        print(f"map spec {page:<12} {size / 1000:7.0f} kB")
    script = script_switches(args.switches)
    print("script runs [s]:", json.dumps(script), flush=True)
    browser = browser_switches(args.switches) if Path(CHROMIUM).exists() else {}
    for page in PAGES:
        line = f"warm switch to {page:<12} script run (AppTest) median {statistics.median(script[page]):5.2f} s"
        if browser:
            line += f" · browser, click to map drawn median {statistics.median(browser[page]):5.2f} s " \
                    f"(min {min(browser[page]):.2f}, max {max(browser[page]):.2f})"
        print(line)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(json.dumps({"script_s": script, "browser_s": browser}))


if __name__ == "__main__":
    main()
