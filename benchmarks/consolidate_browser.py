"""The Consolidate journey in Chromium: "Run optimiser" with the defaults while a
second session moves a Workshop slider.

Starts ``streamlit run app.py`` on a free port and opens two headless Chromium
windows (Debian's ``/usr/bin/chromium`` via Selenium; nothing is downloaded):
session A on Consolidate at 1280×800, session B on Workshop at 1920×1080. It
times B's "office days" slider (arrow key → the first headline number changes)
with nothing else running, then clicks A's "Run optimiser" (the demo by staff
group, 30 hubs, desk capacities, Auto, 30 s) and keeps moving B's slider every
0.5 s until A shows its answer. Prints the time from the click to the answer,
A's "How good is it?" sentence, and B's slider latency (median, p95, max)
alone and during the solve.

    python benchmarks/consolidate_browser.py [--runs 1]

Both browsers run on the server's own cores here (a real user's browser does
not), so the solve gets less CPU than it would in use. Timings are noisy on a
shared machine: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (  # noqa: E402
    CHROMEDRIVER,
    CHROMIUM,
    FLAGS,
    free_port,
    start_streamlit,
    stop_streamlit,
    wait_idle,
)

METRIC = "[data-testid='stMetricValue']"
SLIDER = "[data-testid='stSlider'] input[type='range']"


def browser(width: int, height: int, profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def move_slider(driver, step: int) -> float | None:
    """Press an arrow key on the office-days slider; seconds until the headline changes."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    before = driver.find_elements(By.CSS_SELECTOR, METRIC)[0].text
    slider = driver.find_elements(By.CSS_SELECTOR, SLIDER)[1]
    driver.execute_script("arguments[0].focus()", slider)
    ActionChains(driver).send_keys(Keys.ARROW_LEFT if step % 2 == 0 else Keys.ARROW_RIGHT).perform()
    t = time.monotonic()
    try:
        WebDriverWait(driver, 30, poll_frequency=0.05).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, METRIC)[0].text != before)
    except Exception:  # noqa: BLE001 - counted as not shown
        return None
    return time.monotonic() - t


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def summary(label: str, xs: list[float | None]) -> str:
    ok = [1000 * x for x in xs if x is not None]
    if not ok:
        return f"  {label}: no change shown"
    return (f"  {label:<32} {len(ok)}/{len(xs)} shown; median {statistics.median(ok):5.0f} ms, "
            f"p95 {p95(ok):5.0f} ms, max {max(ok):5.0f} ms")


def one_run(url: str, tmp: Path, run: int) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    a = browser(1280, 800, str(tmp / f"a{run}"))
    b = browser(1920, 1080, str(tmp / f"b{run}"))
    try:
        a.get(f"{url}/consolidate")
        b.get(f"{url}/workshop")
        wait_idle(a, 120)
        wait_idle(b, 120)
        WebDriverWait(b, 120).until(lambda d: d.find_elements(By.CSS_SELECTOR, METRIC))
        time.sleep(3)
        alone = []
        for i in range(8):
            alone.append(move_slider(b, i))
            time.sleep(0.5)
        load = os.getloadavg()[0]
        t0 = time.monotonic()
        a.find_element(By.XPATH, "//button[.//p[text()='Run optimiser']]").click()
        during: list[float | None] = []
        answer = None
        for i in range(120):
            during.append(move_slider(b, i))
            if "How good is it?" in a.page_source:
                answer = time.monotonic() - t0
                break
            time.sleep(0.5)
        if answer is None:
            WebDriverWait(a, 180).until(lambda d: "How good is it?" in d.page_source)
            answer = time.monotonic() - t0
        verdict = a.find_elements(By.XPATH, "//*[contains(text(),'How good is it?')]/..")
        sentence = verdict[0].text.split(". The optimiser")[0] if verdict else "?"
        print(f"run {run + 1} (load average {load:.2f} before the click)")
        print(f"  answer shown {answer:.1f} s after the click; {sentence}")
        print(summary("B's slider, nothing else running", alone))
        print(summary("B's slider during A's solve", during))
    finally:
        a.quit()
        b.quit()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        proc = start_streamlit(ROOT / "app.py", port, Path(tmp) / "streamlit.log", cwd=ROOT, env={})
        try:
            time.sleep(10)  # the server's warm-up: kernels, and the standby worker's demo
            for run in range(args.runs):
                one_run(f"http://127.0.0.1:{port}", Path(tmp), run)
        finally:
            stop_streamlit(proc)


if __name__ == "__main__":
    main()
