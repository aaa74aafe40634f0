"""Command line: `python -m parkecon validate [DATA_DIR]`."""
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
    inv = sub.add_parser("invalidate-cache", help="drop cached executions of notebooks whose data or helper code changed")
    inv.add_argument("--root", default=None)
    args = ap.parse_args(argv)
    if args.cmd == "invalidate-cache":
        from .cache import invalidate
        from .paths import repo_root

        root = Path(args.root).resolve() if args.root else repo_root()
        changed = invalidate(root)
        print(f"data or helper code changed for {len(changed)} notebook(s)" + (": " + ", ".join(str(p.relative_to(root)) for p in changed) if changed else ""))
        return 0
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
