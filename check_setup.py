#!/usr/bin/env python3
"""Check that this computer is ready for the workshop. Run: python check_setup.py

Runs every check, prints one PASS/FAIL line each and a short summary to show a helper,
and exits non-zero if anything failed. A FAIL line says what is wrong and, after "->",
the command that fixes it, written for this computer (Windows, macOS or Linux). It prints
no environment variables. Works in the repository and in the unpacked workshop kit.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WINDOWS = os.name == "nt"
IN_KIT = (HERE / "README.txt").is_file() and not (HERE / "_toc.yml").is_file()
VENV_PY = r".venv\Scripts\python" if WINDOWS else ".venv/bin/python"
results: list[tuple[str, bool, str]] = []


def in_venv() -> bool:
    return sys.prefix != getattr(sys, "base_prefix", sys.prefix)


def pip_install(args: str) -> str:
    """The pip command that installs into the environment running this check."""
    return f"{VENV_PY if not in_venv() else _this_python()} -m pip install {args}"


def _this_python() -> str:
    exe = Path(sys.executable)
    try:
        rel = exe.relative_to(Path.cwd())
        return str(rel) if " " not in str(rel) else f'"{rel}"'
    except ValueError:
        return f'"{exe}"' if " " in str(exe) else str(exe)


def install_pins() -> str:
    return pip_install("--no-deps -r requirements.txt") if IN_KIT else "make venv   (or: " + pip_install("--no-deps -r requirements.txt") + ")"


def check(name: str, ok: bool, detail: str = "", fix: str = "") -> None:
    """One line: PASS or FAIL, what was checked, what was found, and for a failure the fixing command."""
    results.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  ({detail})" if detail else "")
          + (f"  -> fix: {fix}" if fix and not ok else ""))


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
    make_venv = "py -3.11 -m venv .venv" if WINDOWS else "python3.11 -m venv .venv"
    check("Python 3.11", (v.major, v.minor) == (3, 11), f"found {v.major}.{v.minor}.{v.micro}",
          f"install Python 3.11 (python.org), then {make_venv}")
    check("running in the folder's .venv", in_venv(), "this is " + sys.executable,
          f"{make_venv}, then {VENV_PY} -m pip install --no-deps -r requirements.txt, then {VENV_PY} check_setup.py")

    from importlib import metadata

    try:
        wanted = pins()
    except FileNotFoundError:
        wanted = []
        check("requirements.txt present", False, "not found next to this script",
              "unzip the workshop kit again and run the check inside its folder")
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
            check(f"{name}=={version}", not line_bad, line_bad[0] if line_bad else "", install_pins())
    check(f"all {len(wanted)} pinned packages at their versions", not bad and bool(wanted),
          "; ".join(bad[:5]) + (f"; and {len(bad) - 5} more" if len(bad) > 5 else ""), install_pins())

    try:
        import parkecon  # noqa: F401
        check("helper package parkecon importable", True)
    except Exception as exc:  # report, don't crash
        check("helper package parkecon importable", False, type(exc).__name__ + ": " + str(exc)[:120],
              pip_install("--no-deps -e ."))
        parkecon = None

    data = HERE / "data"
    import json

    try:
        pkg = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
        missing = [r["path"] for r in pkg["resources"] if not (data / r["path"]).is_file()]
        check("data files present", not missing, f"missing: {', '.join(missing)}" if missing else f"{len(pkg['resources'])} tables",
              "unzip the workshop kit again (its data folder is complete)")
    except FileNotFoundError:
        check("data files present", False, "data/datapackage.json not found", "unzip the workshop kit again")
    manifest = HERE / "MANIFEST.sha256"
    if manifest.is_file():
        wrong = []
        for line in manifest.read_text(encoding="utf-8").splitlines():
            digest, rel = line.split("  ", 1)
            p = HERE / rel
            if not p.is_file() or hashlib.sha256(p.read_bytes()).hexdigest() != digest:
                wrong.append(rel)
        check("data files match their checksums", not wrong, f"changed or missing: {', '.join(wrong)}" if wrong else "",
              "copy these files from a fresh unzip of the kit (keep your edited copies elsewhere)")
    if parkecon is not None:
        try:
            problems = parkecon.validate(data)
            check("data validate", not problems, f"{len(problems)} problems, first: {problems[0]}" if problems else "",
                  "undo the edit it names, or copy the file from a fresh unzip of the kit")
        except Exception as exc:
            check("data validate", False, type(exc).__name__ + ": " + str(exc)[:120],
                  "copy the data folder from a fresh unzip of the kit")

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
        check("a figure renders", buf.getbuffer().nbytes > 1000, f"{buf.getbuffer().nbytes} bytes PNG",
              pip_install("--no-deps --force-reinstall -r requirements.txt"))
    except Exception as exc:
        check("a figure renders", False, (type(exc).__name__ + ": " + str(exc)[:120]).replace("\n", " "),
              pip_install("--no-deps --force-reinstall -r requirements.txt"))
    if parkecon is not None:
        try:
            import io

            import matplotlib.pyplot as plt

            parkecon.style.apply()  # registers the pinned CJK font; a missing glyph is an error
            fig, ax = plt.subplots(figsize=(2, 1.5))
            ax.set_title("韶关产业园区")
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
            plt.close(fig)
            check("Chinese text in figures", True, "a figure titled 韶关产业园区 renders")
        except Exception as exc:
            check("Chinese text in figures", False, (type(exc).__name__ + ": " + str(exc)[:120]).replace("\n", " "),
                  pip_install("--no-deps -r requirements.txt"))

    failed = [n for n, ok, _ in results if not ok]
    print()
    print(f"Summary: {len(results) - len(failed)} passed, {len(failed)} failed"
          + (f" -- show this to a helper. Failed: {', '.join(failed)}" if failed else " -- ready for the workshop."))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
