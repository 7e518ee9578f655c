"""In a real browser: upload, refresh, restart the server, open the workspace link, see your own numbers.

Uses Debian's Chromium and chromedriver (skips without them), like ``test_app_browser.py``,
and a throwaway workspace store (``FOOTPRINT_DB``) shared by both server processes.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import (
    BROWSER_MARKS,
    CHROMEDRIVER,
    CHROMIUM,
    FLAGS,
    free_port,
    start_streamlit,
    stop_streamlit,
    wait_idle,
)

from footprint.accounting import account, current_plan
from footprint.imports import build_organisation, read_sites, read_staff, template_bytes
from footprint.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
pytestmark = BROWSER_MARKS
webdriver = pytest.importorskip(
    "selenium.webdriver", reason="needs selenium (requirements-dev.txt)"
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def start_server(port: int, db: str, log: Path) -> subprocess.Popen:
    return start_streamlit("app.py", port, log, cwd=ROOT, env={"FOOTPRINT_DB": db})


def stop_server(proc: subprocess.Popen) -> None:
    stop_streamlit(proc)


def total(driver) -> str:
    def find(d):
        for m in d.find_elements(By.CSS_SELECTOR, "[data-testid='stMetric']"):
            if m.text.startswith("Total"):
                return m.find_element(
                    By.CSS_SELECTOR, "[data-testid='stMetricValue']"
                ).text
        return None

    return WebDriverWait(driver, 60).until(find)


def test_upload_refresh_restart_and_open_the_workspace_link(tmp_path):
    offices, staff = template_bytes("offices", "csv"), template_bytes("staff", "csv")
    (tmp_path / "offices.csv").write_bytes(offices)
    (tmp_path / "staff.csv").write_bytes(staff)
    sites = read_sites(offices, "offices.csv").table
    org = build_organisation(
        sites, read_staff(staff, "staff.csv", site_ids=sites.site_id).table, name="x"
    )
    own = account(
        org,
        load_scenario(ROOT / "scenarios" / "baseline.toml").policy,
        current_plan(org),
    )
    own_total = f"{own.total_tco2e:,.0f}"

    db, port, log = (
        f"sqlite:///{tmp_path / 'server.db'}",
        free_port(),
        tmp_path / "streamlit.log",
    )
    url = f"http://127.0.0.1:{port}"
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    server = start_server(port, db, log)
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        d.get(f"{url}/")
        wait_idle(d, 120)
        demo_total = total(d)
        d.get(f"{url}/data")
        wait_idle(d, 120)
        inputs = WebDriverWait(d, 120).until(
            lambda d: (
                (found := d.find_elements(By.CSS_SELECTOR, "input[type='file']"))
                and len(found) >= 2
                and found
            )
        )
        inputs[0].send_keys(str(tmp_path / "offices.csv"))
        inputs[1].send_keys(str(tmp_path / "staff.csv"))
        wait_idle(d)
        WebDriverWait(d, 60).until(
            lambda d: "offices.csv" in d.page_source and "staff.csv" in d.page_source
        )
        [button] = [
            b
            for b in d.find_elements(By.CSS_SELECTOR, "button")
            if "Validate and load" in b.text
        ]
        button.click()
        WebDriverWait(d, 120).until(lambda d: "ws=" in d.current_url)
        wait_idle(d)
        query = parse_qs(urlparse(d.current_url).query)
        assert query["org"][0].startswith("ws:")
        link = f"{url}/?{urlparse(d.current_url).query}"

        d.get(link)  # refresh: a new session
        wait_idle(d, 120)
        assert total(d) == own_total != demo_total

        stop_server(server)  # restart: nothing held in memory survives
        server = start_server(port, db, log)
        d.get(f"{url}/?ws={query['ws'][0]}")  # the workspace link alone
        wait_idle(d, 120)
        assert total(d) == own_total
        assert (
            "not available"
            not in d.find_element(By.CSS_SELECTOR, "[data-testid='stMain']").text
        )
        d.save_screenshot(str(tmp_path / "workspace.png"))
    finally:
        d.quit()
        stop_server(server)
