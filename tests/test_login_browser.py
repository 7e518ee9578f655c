"""Log in through a real OpenID Connect flow (``st.login``) and keep workspaces per user.

A minimal OIDC provider runs in this process on 127.0.0.1 (``oidc_test_provider.py``:
discovery, authorize, token with an RS256-signed ID token, JWKS, userinfo); the
app runs as ``streamlit run app.py`` in a directory whose
``.streamlit/secrets.toml`` points its ``[auth]`` section at that provider, and
Debian's Chromium drives it: Alice logs in and creates a workspace; she logs
out; Bob logs in and sees nothing of hers, and her workspace's address opens
nothing for him; Alice logs in again and finds it. Skips without Chromium.
"""

from __future__ import annotations

import shutil
import subprocess
import time
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
    wait_idle,
)
from oidc_test_provider import OIDCTestProvider

from footprint.store import Store, owner_id

ROOT = Path(__file__).resolve().parent.parent
pytestmark = BROWSER_MARKS
webdriver = pytest.importorskip(
    "selenium.webdriver", reason="needs selenium (requirements-dev.txt)"
)
pytest.importorskip(
    "authlib", reason="st.login needs Authlib (requirements.txt: streamlit[auth])"
)
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

USERS = {
    "alice": {"sub": "alice-0001", "email": "alice@example.test", "name": "Alice"},
    "bob": {"sub": "bob-0002", "email": "bob@example.test", "name": "Bob"},
}


def sidebar(driver) -> str:
    """Everything the sidebar holds, collapsed parts too ("" while a page is being replaced)."""
    try:
        return driver.find_element(
            By.CSS_SELECTOR, "[data-testid='stSidebar']"
        ).get_attribute("textContent")
    except WebDriverException:  # stale or not there yet: a redirect replaces the page
        return ""


def click(driver, label: str, timeout: float = 60) -> None:
    """Click the button whose text is ``label`` (after its icon's name, if it has one)."""

    def find(d):
        shown = [
            b for b in d.find_elements(By.CSS_SELECTOR, "button") if b.is_displayed()
        ]
        exact = [b for b in shown if b.text.strip() == label]
        return (
            exact or [b for b in shown if b.text.strip().endswith(label)] or [None]
        )[0]

    WebDriverWait(driver, timeout).until(find).click()


def log_in(driver, provider: OIDCTestProvider, user: str) -> None:
    provider.next_user = user
    # → /auth/login → the provider's /authorize → /oauth2callback → the app
    click(driver, "Log in")
    WebDriverWait(driver, 90).until(
        lambda d: f"Logged in as {USERS[user]['email']}" in sidebar(d)
    )
    wait_idle(driver, 90)


def log_out(driver) -> None:
    click(driver, "Log out")
    WebDriverWait(driver, 90).until(
        lambda d: "Logged in as" not in sidebar(d) and "Log in" in sidebar(d)
    )
    wait_idle(driver, 90)


def open_switcher(driver) -> None:
    summary = WebDriverWait(driver, 60).until(
        lambda d: next(
            (
                e
                for e in d.find_elements(
                    By.CSS_SELECTOR, "[data-testid='stSidebar'] summary"
                )
                if "Workspace:" in e.text
            ),
            None,
        )
    )
    summary.click()
    time.sleep(0.3)


def start_app(workdir: Path, port: int, db: str, log: Path) -> subprocess.Popen:
    return start_streamlit(ROOT / "app.py", port, log, cwd=workdir,
                           env={"FOOTPRINT_DB": db, "PYTHONPATH": str(ROOT)})


def test_each_user_logs_in_and_sees_only_their_own_workspaces(tmp_path):
    port = free_port()
    app_url = f"http://localhost:{port}"
    db = f"sqlite:///{tmp_path / 'server.db'}"
    log = tmp_path / "streamlit.log"
    workdir = tmp_path / "app"
    (workdir / ".streamlit").mkdir(parents=True)
    shutil.copy(
        ROOT / ".streamlit" / "config.toml", workdir / ".streamlit" / "config.toml"
    )
    with OIDCTestProvider(
        users=USERS,
        client_id="footprint-test",
        client_secret="test-client-secret-0123456789",
        redirect_uri=f"{app_url}/oauth2callback",
    ) as provider:
        (workdir / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "{app_url}/oauth2callback"\n'
            'cookie_secret = "a-test-cookie-secret-0123456789abcdef"\n'
            f'client_id = "{provider.client_id}"\n'
            f'client_secret = "{provider.client_secret}"\n'
            f'server_metadata_url = "{provider.metadata_url}"\n'
        )
        server = start_app(workdir, port, db, log)
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for flag in FLAGS:
            opts.add_argument(flag)
        opts.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
        d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        try:
            d.get(f"{app_url}/")
            wait_idle(d, 120)
            assert "Log in" in sidebar(d) and "Logged in as" not in sidebar(d)

            # Alice logs in and creates a workspace: it is hers, opened by its id
            log_in(d, provider, "alice")
            open_switcher(d)
            name = d.find_element(
                By.CSS_SELECTOR, "[data-testid='stSidebar'] input[aria-label='Name']"
            )
            name.send_keys(Keys.CONTROL, "a")
            name.send_keys("Alice's study")
            click(d, "Create workspace")
            WebDriverWait(d, 60).until(lambda d: "wsid=" in d.current_url)
            wait_idle(d, 90)
            assert "Workspace: Alice's study" in sidebar(d)
            wsid = parse_qs(urlparse(d.current_url).query)["wsid"][0]
            alice, bob = (
                owner_id(provider.issuer, USERS[u]["sub"]) for u in ("alice", "bob")
            )
            store = Store(db)
            try:
                [mine] = store.user_workspaces(alice)
                assert (mine.id, mine.name, mine.created_by) == (
                    wsid,
                    "Alice's study",
                    "alice@example.test",
                )
                assert store.user_workspaces(bob) == []
            finally:
                store.close()

            log_out(d)
            assert "Alice's study" not in sidebar(d)

            # Bob logs in: nothing of Alice's, and her workspace's address opens nothing for him
            log_in(d, provider, "bob")
            assert "Alice's study" not in sidebar(d) and "Workspace: none" in sidebar(d)
            assert "Your workspaces" not in sidebar(d)
            d.get(f"{app_url}/?wsid={wsid}")
            wait_idle(d, 90)
            main = d.find_element(By.CSS_SELECTOR, "[data-testid='stMain']").text
            assert (
                "This workspace is not yours: ask its owner for a share link." in main
            )
            assert "Alice's study" not in sidebar(d) and "Workspace: none" in sidebar(d)
            log_out(d)

            # Alice again: her workspace is listed, and its address opens it
            log_in(d, provider, "alice")
            assert "Your workspaces" in sidebar(d) and "Workspace: none" in sidebar(d)
            open_switcher(d)
            box = d.find_element(
                By.CSS_SELECTOR,
                "[data-testid='stSidebar'] [data-testid='stSelectbox'] input",
            )
            assert box.get_attribute("aria-label") == "Your workspaces"
            box.click()
            options = WebDriverWait(d, 30).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, "[role='option']")
            )
            assert [o.text for o in options] == ["Alice's study"]
            options[0].click()
            wait_idle(d, 90)
            click(d, "Open")
            WebDriverWait(d, 60).until(
                lambda d: "Workspace: Alice's study" in sidebar(d)
            )
            wait_idle(d, 90)
            assert parse_qs(urlparse(d.current_url).query)["wsid"] == [wsid]
            d.get(f"{app_url}/?wsid={wsid}")  # a refresh (a new session) reopens it
            wait_idle(d, 90)
            assert "Workspace: Alice's study" in sidebar(d)
            # three real exchanges of a code for a signed ID token
            assert provider.issued == ["alice", "bob", "alice"]

            # she shares it with her team: the share link opens it, logged in or not
            open_switcher(d)
            assert "Not shared." in sidebar(d)
            click(d, "Share link")
            code = WebDriverWait(d, 60).until(
                lambda d: next(
                    (
                        c.text
                        for c in d.find_elements(
                            By.CSS_SELECTOR, "[data-testid='stSidebar'] code"
                        )
                        if "?ws=" in c.text
                    ),
                    None,
                )
            )
            wait_idle(d, 90)
            assert "1 active share link" in sidebar(d)
            d.save_screenshot(str(tmp_path / "shared.png"))
            log_out(d)
            d.get(code.strip())
            wait_idle(d, 90)
            assert "Workspace: Alice's study" in sidebar(d)
            assert "Logged in as" not in sidebar(d)
        finally:
            d.quit()
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
