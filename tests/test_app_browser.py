"""End to end in a real browser: Debian's Chromium driven by Selenium.

Starts ``streamlit run app.py`` on a free port, opens the Workshop, moves a
slider (numbers and URL update, a refresh keeps the value), runs an optimisation,
downloads a report and saves a screenshot. No browser is downloaded at run time:
it uses ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (apt packages
``chromium`` and ``chromium-driver``) and skips if they are absent.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("FOOTPRINT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FOOTPRINT_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1600,1100"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
                       reason=f"needs {CHROMIUM} and {CHROMEDRIVER} (apt install chromium chromium-driver)"),
]
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (requirements-dev.txt)")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SLIDER = "[data-testid='stSlider'] input[type='range']"


def optimiser_available() -> bool:
    try:
        import footprint.hubs.model  # noqa: F401
    except ImportError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless",
             "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail(f"streamlit did not start:\n{log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def browser(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def wait_idle(driver, timeout: float = 60) -> None:
    """Streamlit's own criterion: connected, and the script is not running."""
    time.sleep(0.4)
    WebDriverWait(driver, timeout).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "[data-testid='stApp'][data-test-script-state='notRunning']"
                         "[data-test-connection-state='CONNECTED']"))


def metric_values(driver) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "[data-testid='stMetricValue']")]


def office_days_slider(driver):
    """The Workshop's office-days slider (found by its label, not its position)."""
    box = next(e for e in driver.find_elements(By.CSS_SELECTOR, "[data-testid='stSlider']")
               if e.text.startswith("Office days"))
    return box.find_element(By.CSS_SELECTOR, "input[type='range']")


def go(driver, page: str) -> None:
    """Switch page through the sidebar (keeps the session)."""
    driver.find_element(By.CSS_SELECTOR, f"[data-testid='stSidebarNav'] a[href$='/{page}']").click()
    WebDriverWait(driver, 30).until(lambda d: f"/{page}" in d.current_url)
    wait_idle(driver)


def test_slider_optimise_download(server, browser, tmp_path):
    d = browser
    d.get(f"{server}/workshop")
    wait_idle(d, 120)
    WebDriverWait(d, 60).until(lambda d: metric_values(d))
    before = metric_values(d)[0]

    # move the office-days slider one step left (3.0 → 2.5 days/week)
    slider = office_days_slider(d)
    d.execute_script("arguments[0].focus()", slider)  # the range input is visually hidden
    ActionChains(d).send_keys(Keys.ARROW_LEFT).perform()
    WebDriverWait(d, 30).until(lambda d: metric_values(d) and metric_values(d)[0] != before)
    wait_idle(d)
    assert "office_days_per_week=2.5" in d.current_url

    # a refresh keeps the scenario (it is in the URL)
    after = metric_values(d)[0]
    d.refresh()
    wait_idle(d, 60)
    WebDriverWait(d, 30).until(lambda d: metric_values(d))
    assert office_days_slider(d).get_attribute("value") == "2.5"
    assert metric_values(d)[0] == after

    # run an optimisation (or see the friendly "not available yet")
    go(d, "consolidate")
    box = WebDriverWait(d, 90).until(lambda d: d.find_element(By.CSS_SELECTOR, "input[aria-label='Time limit [s]']"))
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("10", Keys.TAB)
    d.find_element(By.XPATH, "//label[.//p[text()='Each office moves as a whole']]").click()
    d.find_element(By.XPATH, "//button[.//p[text()='Run optimiser']]").click()
    WebDriverWait(d, 240).until(lambda d: any(s in d.page_source for s in (
        "How good is it?", "not available yet", 'data-testid="stAlertContentError"')))
    wait_idle(d, 120)
    assert "Traceback" not in d.page_source
    if optimiser_available():
        assert "How good is it?" in d.page_source, "the optimiser ran and said how good its plan is"
        assert "hubs=x%3A" in d.current_url, "the URL now holds the chosen hubs"
    d.save_screenshot(str(tmp_path / "consolidate.png"))

    # download a report (PDF when the report module is there, else the scenario file)
    go(d, "report")
    labels = [b.text for b in d.find_elements(By.CSS_SELECTOR, "[data-testid='stDownloadButton'] button")]
    label, suffix = ("PDF report", ".pdf") if "PDF report" in labels else ("Scenario file (TOML)", ".toml")
    d.find_element(By.XPATH, f"//div[@data-testid='stDownloadButton']//button[.//p[text()='{label}']]").click()
    deadline = time.monotonic() + 60
    while not [p for p in d.downloads.iterdir() if p.suffix == suffix]:
        assert time.monotonic() < deadline, f"no {suffix} download in {list(d.downloads.iterdir())}"
        time.sleep(0.3)
    got = next(p for p in d.downloads.iterdir() if p.suffix == suffix)
    time.sleep(0.5)
    data = got.read_bytes()
    assert data.startswith(b"%PDF") if suffix == ".pdf" else b"schema_version = 1" in data
    d.save_screenshot(str(tmp_path / "report.png"))
    keep = os.environ.get("FOOTPRINT_SCREENSHOT_DIR")
    if keep:
        for png in tmp_path.glob("*.png"):
            shutil.copy(png, Path(keep) / png.name)
