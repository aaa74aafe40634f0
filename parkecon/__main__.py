"""Command line: `python -m parkecon validate [DATA_DIR]`, `build` (both editions), `i18n-status`,
`latex LANG` (the LaTeX sources of an edition's PDF), `export OUT_DIR [DATA_DIR]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .data import summary, validate
from .paths import data_dir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m parkecon")
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("validate", help="check the curated data; never writes to it")
    v.add_argument("folder", nargs="?", default=None, help="data folder (default: the book's data/)")
    e = sub.add_parser("export", help="write the Excel workbook and the SQLite database of the data into a folder")
    e.add_argument("out", help="folder to write parkecon-data.xlsx and parkecon-data.sqlite into")
    e.add_argument("folder", nargs="?", default=None, help="data folder (default: the book's data/)")
    b = sub.add_parser("build", help="build the English and the Chinese edition strictly (make book)")
    b.add_argument("--lang", choices=["en", "zh", "all"], default="all",
                   help="zh builds the English edition first (its messages and execution are the source)")
    lx = sub.add_parser("latex", help="the LaTeX sources of one edition's PDF, into _build/latex or _build/zh/latex "
                                      "(tools/pdf.py typesets them)")
    lx.add_argument("lang", choices=["en", "zh"])
    s = sub.add_parser("i18n-status", help="per page, the messages of the Chinese edition that are untranslated "
                                           "or outdated (reads the English pages again to extract them)")
    s.add_argument("--no-refresh", action="store_true", help="report the catalogues as they are, without extracting")
    args = ap.parse_args(argv)
    if args.cmd == "export":
        from .exports import write

        for path in write(Path(args.folder) if args.folder else data_dir(), Path(args.out)):
            print(f"{path} ({path.stat().st_size:,} bytes)")
        return 0
    if args.cmd in ("build", "i18n-status", "latex"):
        from .machinery import editions
        from .paths import repo_root

        root = repo_root()
        if args.cmd == "latex":
            return editions.latex(root, args.lang)
        if args.cmd == "build":
            return editions.build(root, ("en",) if args.lang == "en" else ("en", "zh"))
        return editions.status(root, refresh=not args.no_refresh)
    if args.cmd == "validate":
        folder = Path(args.folder) if args.folder else data_dir()
        problems = validate(folder)
        if problems:
            for p in problems:
                print(p)
            print(f"{len(problems)} problem(s) in {folder}", file=sys.stderr)
            return 1
        print(summary(folder))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
