"""Time warm page switches Overview ⇄ Consolidate with the map, in headless Chromium and in AppTest.

Starts ``streamlit run app.py`` on a free port, opens it in Debian's Chromium
(``/usr/bin/chromium`` via Selenium; nothing is downloaded) at each window size,
visits both pages once (cold), then clicks between them in the sidebar
``--switches`` times. For each switch it prints two times, measured in the page
(``performance.now()``, from the click made by script):

* **headline**: the target page's title (``h1``) and its headline metrics after it are in the DOM;
* **map drawn**: the first deck.gl frame whose canvas holds at least 95 % of the
  painted (non-transparent) pixels of the settled map. deck.gl's own render hook
  (``deck._registerLoggers``, event ``deckRenderer.renderLayers``) reads the
  canvas back (``gl.readPixels``) after each frame it draws; the read waits for
  the GPU (SwiftShader here) to finish that frame.
* **map submitted**: deck.gl's first frame handed to WebGL (the page's own work
  done: layers made, attributes filled, draw calls issued), before the GPU has
  compiled the shaders and drawn: about what a machine with a GPU would show.

It also prints the browser's long tasks (main thread busy > 50 ms) and the
WebGL contexts made per switch, the script runs alone (AppTest) and the size of
each page's map spec.

    python benchmarks/app_page_switch.py [--switches 4] [--sizes 1920x1080,1280x800]

Timings are noisy on a shared machine: read the medians and the load average printed with them.
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
TITLES = {"overview": "Footprint of today's estate", "consolidate": "Consolidate into hubs"}
CANVAS = "[data-testid='stDeckGlJsonChart'] canvas"
DRAWN_SHARE = 0.95

#: In-page probes: long tasks, WebGL contexts, and deck.gl's render hook reading the canvas back.
INSTALL = r"""
const F = window.__fp = window.__fp || {renders: [], lt: [], ctx: []};
if (!F.obs) {
  F.obs = true;
  new PerformanceObserver(l => { for (const e of l.getEntries()) F.lt.push([e.startTime, e.duration]); })
    .observe({type: 'longtask'});
  const get = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
    const c = get.call(this, type, ...rest);
    if (String(type).startsWith('webgl')) F.ctx.push([performance.now(), String(type)]);
    return c;
  };
}
if (globalThis.deck && !F.hook) {
  F.hook = true;
  globalThis.deck._registerLoggers({'deckRenderer.renderLayers': renderer => {
    const submitted = performance.now();
    const gl = renderer.device.gl, w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
    const px = new Uint8Array(w * h * 4);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
    let painted = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]) painted++;
    F.renders.push([performance.now(), painted, submitted]);
  }});
  globalThis.deck.log.level = 1;  // deck.gl calls its hooks only from level 1
}
return !!F.hook;
"""

#: Click a sidebar link and watch for the target page's headline.
CLICK = r"""
const F = window.__fp, title = arguments[0], link = arguments[1];
F.renders.length = 0; F.lt.length = 0; F.ctx.length = 0; F.head = null;
F.t0 = performance.now();
const iv = setInterval(() => {
  const h = [...document.querySelectorAll('h1')].find(e => e.textContent.includes(title));
  if (h && [...document.querySelectorAll("[data-testid='stMetricValue']")]
        .some(m => h.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING && m.offsetWidth > 0)) {
    F.head = performance.now(); clearInterval(iv);
  }
}, 10);
link.click();
return F.t0;
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _idle(d, timeout: float = 120.0) -> None:
    """Script finished and a map canvas on the page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(d, timeout, poll_frequency=0.1).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "[data-testid='stApp'][data-test-script-state='notRunning']"
                         "[data-test-connection-state='CONNECTED']") and d.find_elements(By.CSS_SELECTOR, CANVAS))


def _settled(d, quiet_ms: float = 2500.0, timeout: float = 90.0) -> dict:
    """Wait until the page has had no long task and no map frame for ``quiet_ms``; the probes' record."""
    end = time.monotonic() + timeout
    while True:
        f = d.execute_script("return window.__fp")
        last = max([s + du for s, du in f["lt"]] + [r[0] for r in f["renders"]] + [f["t0"]])
        if (f["head"] and f["renders"] and d.execute_script("return performance.now()") - last > quiet_ms) \
                or time.monotonic() > end:
            return f
        time.sleep(0.25)


def _link(d, page: str):
    """The sidebar's link to ``page`` (by its title: the default page's address is ``/``)."""
    from selenium.webdriver.common.by import By

    links = d.find_elements(By.CSS_SELECTOR, "[data-testid='stSidebarNav'] a")
    return next(a for a in links if a.text.strip().endswith(PAGES[page]))


def _switch_times(f: dict) -> dict[str, float]:
    """Seconds from the click to the headline and to the map drawn, with the long tasks' total."""
    renders = f["renders"]
    final = renders[-1][1] if renders else 0
    drawn = next((t for t, px, _ in renders if final and px >= DRAWN_SHARE * final), float("nan"))
    return {"headline": (f["head"] - f["t0"]) / 1e3 if f["head"] else float("nan"),
            "map": (drawn - f["t0"]) / 1e3,
            "submitted": (renders[0][2] - f["t0"]) / 1e3 if renders else float("nan"),
            "long_tasks": sum(du for _, du in f["lt"]) / 1e3,
            "contexts": len(f["ctx"]), "frames": len(renders)}


def browser_switches(n: int, sizes: list[tuple[int, int]]) -> dict[str, dict[str, list[dict[str, float]]]]:
    """Per window size and target page: the times of ``n`` warm switches (see :func:`_switch_times`)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    port = _free_port()
    log = open(Path(tempfile.gettempdir()) / f"page-switch-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    out: dict[str, dict[str, list[dict[str, float]]]] = {}
    try:
        for _ in range(200):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        for w, h in sizes:
            opts = webdriver.ChromeOptions()
            opts.binary_location = CHROMIUM
            for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--no-first-run", f"--window-size={w},{h}",
                         f"--user-data-dir={tempfile.mkdtemp(prefix='page-switch-')}"):
                opts.add_argument(flag)
            d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
            size = out[f"{w}x{h}"] = {p: [] for p in PAGES}
            try:
                d.get(url)
                _idle(d, 300)
                d.execute_script(INSTALL)
                for page in ["consolidate", "overview"]:  # cold visits: fill the caches, load deck.gl
                    _link(d, page).click()
                    time.sleep(0.5)
                    _idle(d, 300)
                if not d.execute_script(INSTALL):
                    raise RuntimeError("deck.gl did not load: no map on the page?")
                for i in range(2 * n):
                    page = ["consolidate", "overview"][i % 2]
                    d.execute_script(CLICK, TITLES[page], _link(d, page))
                    time.sleep(0.3)
                    _idle(d)
                    size[page].append(_switch_times(_settled(d)))
                    print(f"  {w}x{h} {page:<12} " + json.dumps({k: round(v, 2) for k, v in size[page][-1].items()}),
                          flush=True)
            finally:
                d.quit()
    finally:
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


def _p95(xs: list[float]) -> float:
    return float(sorted(xs)[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--switches", type=int, default=4, help="warm switches to each page per window size")
    ap.add_argument("--sizes", default="1920x1080,1280x800", help="window sizes, comma separated")
    ap.add_argument("--no-apptest", action="store_true", help="skip the script runs alone")
    args = ap.parse_args()
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for page, size in spec_sizes().items():
        print(f"map spec {page:<12} {size / 1000:7.0f} kB")
    script = {} if args.no_apptest else script_switches(args.switches)
    for page, runs in script.items():
        print(f"script run (AppTest) to {page:<12} median {statistics.median(runs):5.2f} s")
    browser = browser_switches(args.switches, sizes) if Path(CHROMIUM).exists() else {}
    for size, pages in browser.items():
        for page, runs in pages.items():
            head = [r["headline"] for r in runs]
            drawn = [r["map"] for r in runs]
            busy = [r["long_tasks"] for r in runs]
            sub = [r["submitted"] for r in runs]
            print(f"{size:>9} to {page:<12} headline median {statistics.median(head):5.2f} s p95 {_p95(head):5.2f} s · "
                  f"map submitted median {statistics.median(sub):5.2f} s · "
                  f"map drawn median {statistics.median(drawn):5.2f} s p95 {_p95(drawn):5.2f} s · "
                  f"main thread in long tasks median {statistics.median(busy):5.2f} s")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(json.dumps({"script_s": script, "browser": browser}))


if __name__ == "__main__":
    main()
