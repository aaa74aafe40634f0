"""Screenshots of every page of the built book at phone, projector and laptop widths, in light
and dark mode, for a person to look at: `python tools/screenshots.py [page-substring ...]`.

Writes _build/screenshots/site/<page>_<width>_<mode>.png (the whole page; --top: first screen only).
Needs a built book (`make book`) and Chromium (Debian's, or PARKECON_CHROMIUM).
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "screenshots" / "site"
WIDTHS = {390: 844, 1024: 768, 1280: 900}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(argv: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    top = "--top" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    pages = sorted(str(p.relative_to(HTML)) for p in HTML.rglob("*.html")
                   if "_static" not in p.parts and p.name != "genindex.html"
                   and (not wanted or any(w in str(p) for w in wanted)))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("PARKECON_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for mode in ("light", "dark"):
            for width, height in WIDTHS.items():
                ctx = browser.new_context(viewport={"width": width, "height": height})
                ctx.add_init_script(f"localStorage.setItem('mode','{mode}');localStorage.setItem('theme','{mode}');")
                page = ctx.new_page()
                for path in pages:
                    page.goto(f"{base}/{path}", wait_until="networkidle")
                    name = path.removesuffix(".html").replace("/", "_")
                    page.screenshot(path=str(OUT / f"{name}_{width}_{mode}.png"), full_page=not top)
                ctx.close()
        browser.close()
    server.shutdown()
    print(f"{len(pages) * len(WIDTHS) * 2} screenshots in {OUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
