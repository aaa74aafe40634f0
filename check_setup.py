#!/usr/bin/env python3
"""Check that this computer is ready for the workshop. Run: python check_setup.py

Runs every check, prints one PASS/FAIL line each and a short summary to show a helper,
and exits non-zero if anything failed. It prints no environment variables.
Works in the repository and in the unpacked workshop kit.
"""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  ({detail})" if detail else ""))


def applies(marker: str) -> bool:
    """Whether an environment marker (`sys_platform == "win32"`) holds on this computer."""
    if not marker:
        return True
    try:
        from packaging.markers import Marker
    except ImportError:  # packaging is itself a pin: its absence is reported as a failure
        return True
    return Marker(marker).evaluate()


def pins() -> list[tuple[str, str]]:
    """(name, version) of every pin in requirements.txt that applies to this computer."""
    out = []
    for line in (HERE / "requirements.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)\s*(?:;([^#]*))?", line.strip())
        if m and applies((m.group(3) or "").strip()):
            out.append((m.group(1), m.group(2)))
    return out


def main() -> int:
    v = sys.version_info
    check("Python 3.11", (v.major, v.minor) == (3, 11), f"found {v.major}.{v.minor}.{v.micro}")

    from importlib import metadata

    try:
        wanted = pins()
    except FileNotFoundError:
        wanted = []
        check("requirements.txt present", False, "not found next to this script")
    bad = []
    for name, version in wanted:
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            bad.append(f"{name} missing (want {version})")
            continue
        if have != version:
            bad.append(f"{name} {have} (want {version})")
    for name, version in wanted:
        if name.lower() in {"jupyter-book", "jupyterlab", "pandas", "matplotlib", "seaborn", "jupytext"}:
            line_bad = [b for b in bad if b.split()[0] == name]
            check(f"{name}=={version}", not line_bad, line_bad[0] if line_bad else "")
    check(f"all {len(wanted)} pinned packages at their versions", not bad and bool(wanted),
          "; ".join(bad[:5]) + (f"; and {len(bad) - 5} more" if len(bad) > 5 else ""))

    try:
        import parkecon  # noqa: F401
        check("helper package parkecon importable", True)
    except Exception as exc:  # report, don't crash
        check("helper package parkecon importable", False, type(exc).__name__ + ": " + str(exc)[:120])
        parkecon = None

    data = HERE / "data"
    import json

    try:
        pkg = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
        missing = [r["path"] for r in pkg["resources"] if not (data / r["path"]).is_file()]
        check("data files present", not missing, f"missing: {', '.join(missing)}" if missing else f"{len(pkg['resources'])} tables")
    except FileNotFoundError:
        check("data files present", False, "data/datapackage.json not found")
    manifest = HERE / "MANIFEST.sha256"
    if manifest.is_file():
        wrong = []
        for line in manifest.read_text(encoding="utf-8").splitlines():
            digest, rel = line.split("  ", 1)
            p = HERE / rel
            if not p.is_file() or hashlib.sha256(p.read_bytes()).hexdigest() != digest:
                wrong.append(rel)
        check("data files match their checksums", not wrong, f"changed or missing: {', '.join(wrong)}" if wrong else "")
    if parkecon is not None:
        try:
            problems = parkecon.validate(data)
            check("data validate", not problems, f"{len(problems)} problems, first: {problems[0]}" if problems else "")
        except Exception as exc:
            check("data validate", False, type(exc).__name__ + ": " + str(exc)[:120])

    try:
        import io

        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(2, 1.5))
        ax.plot([0, 1], [0, 1])
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        check("a figure renders", buf.getbuffer().nbytes > 1000, f"{buf.getbuffer().nbytes} bytes PNG")
    except Exception as exc:
        check("a figure renders", False, type(exc).__name__ + ": " + str(exc)[:120])
    check("CJK font", True, "not needed: the book's figures carry no Chinese characters")

    failed = [n for n, ok, _ in results if not ok]
    print()
    print(f"Summary: {len(results) - len(failed)} passed, {len(failed)} failed"
          + (f" -- show this to a helper. Failed: {', '.join(failed)}" if failed else " -- ready for the workshop."))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
