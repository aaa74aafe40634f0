"""Build one page of the book strictly, alone, in a temporary copy — quick feedback while writing.

Usage: python tools/preview.py notebooks/park-economy.md [--out DIR]

Copies the configuration, data and the page into DIR (default: _build/preview/<page>),
writes a two-entry toc (a stub index and the page), runs the strict build there and prints
where the HTML is. Exit status is the build's.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    page = Path(args.page)
    out = Path(args.out) if args.out else ROOT / "_build" / "preview" / page.stem
    if out.exists():
        shutil.rmtree(out / "_build" / "html", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    for name in ["_config.yml", "references.bib"]:
        shutil.copy2(ROOT / name, out / name)
    shutil.rmtree(out / "data", ignore_errors=True)
    shutil.copytree(ROOT / "data", out / "data")
    for folder in ["book/images", "book/extra"]:
        shutil.rmtree(out / folder, ignore_errors=True)
        shutil.copytree(ROOT / folder, out / folder)
    (out / page.parent).mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / page, out / page)
    (out / "index.md").write_text("# Preview\n", encoding="utf-8")
    (out / "_toc.yml").write_text(f"format: jb-book\nroot: index\nchapters:\n  - file: {page.with_suffix('')}\n", encoding="utf-8")
    env = {**os.environ, "PARKECON_ROOT": str(out)}
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run([str(jb), "build", str(out), "-W", "-n", "--keep-going"], env=env)
    print(f"HTML: {out / '_build' / 'html' / page.with_suffix('.html')}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
