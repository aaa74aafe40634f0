"""Time to interactive of a built page in headless Chromium, with and without its number cards.

    python tools/pagetime.py [PAGE ...] [--runs N] [--html _build/html]

For each page (default: the heaviest chapter by HTML size) it serves the built site, loads the
page N times in a fresh browser context and reports the medians of DOMContentLoaded, load and
time to interactive (TTI: the later of DOMContentLoaded and the end of the last long task, >50 ms,
on the main thread, observed for a second after load). "Without cards" is the same page with the
closing "Where the numbers come from" section, the number links and cards.js removed: what the
page was before issue 17. Used by tools/bench.py; prints a table.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("PARKECON_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

OBSERVE = """
window.__longtasks = [];
new PerformanceObserver(l => l.getEntries().forEach(e => window.__longtasks.push(e.startTime + e.duration)))
  .observe({type: 'longtask', buffered: true});
"""
MEASURE = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const last = Math.max(0, ...window.__longtasks);
  return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, tti: Math.max(n.domContentLoadedEventEnd, last),
          numbers: document.querySelectorAll('a.pe-num').length};
}"""


def without_cards(text: str) -> str:
    text = re.sub(r'<section class="pe-derivations".*?</section>', "", text, flags=re.S)
    text = re.sub(r'<a class="pe-num reference internal" href="#pe-drv-\w+">(.*?)</a>', r"\1", text)
    return re.sub(r'<script[^>]*cards\.js[^>]*></script>', "", text)


def heaviest_chapter(html: Path) -> str:
    pages = sorted((html / "notebooks").glob("*.html"), key=lambda p: -p.stat().st_size)
    return f"notebooks/{pages[0].name}"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def measure(html: Path, pages: list[str], runs: int = 5) -> dict:
    from playwright.sync_api import sync_playwright

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(html, site)
        for page in pages:
            src = site / page
            src.with_name(src.stem + ".nocards.html").write_text(without_cards(src.read_text(encoding="utf-8")),
                                                                 encoding="utf-8")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                for page in pages:
                    for variant, name in (("with_cards", page), ("without_cards", page[:-5] + ".nocards.html")):
                        samples = []
                        for _ in range(runs):
                            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                            ctx.add_init_script(OBSERVE)
                            tab = ctx.new_page()
                            tab.goto(f"{base}/{name}", wait_until="load")
                            tab.wait_for_timeout(1000)
                            samples.append(tab.evaluate(MEASURE))
                            ctx.close()
                        out.setdefault(page, {})[variant] = {
                            k: round(statistics.median(s[k] for s in samples)) for k in ("dcl", "load", "tti")}
                        out[page][variant]["numbers"] = samples[0]["numbers"]
                        out[page][variant]["bytes"] = (site / name).stat().st_size
                browser.close()
        finally:
            server.shutdown()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="*")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--html", default=str(ROOT / "_build" / "html"))
    args = ap.parse_args()
    html = Path(args.html)
    res = measure(html, args.pages or [heaviest_chapter(html)], args.runs)
    print("| page | variant | HTML bytes | numbers linked | DOMContentLoaded ms | load ms | TTI ms |")
    print("|---|---|---|---|---|---|---|")
    for page, variants in res.items():
        for v, m in variants.items():
            print(f"| {page} | {v} | {m['bytes']} | {m['numbers']} | {m['dcl']} | {m['load']} | {m['tti']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
