"""Build the print edition: one PDF per edition in _build/pdf/ (run with `make pdf`).

For each edition: Jupyter Book's LaTeX builder (strict, reusing the execution cache, so no
notebook runs again), then latexmk with xelatex. The build fails, naming the problem, on
any of the quality gates:

- a character missing from its font ("Missing character" in the LaTeX log),
- an undefined reference or citation,
- a box that runs past the text block by more than OVERFULL_PT (tables, figures, lines),
- a font that is not embedded in the PDF (`pdffonts`).

A summary (pages, figures, timings) is written next to each PDF as <name>.json. The HTML
build that `make pdf` runs next finds them there, links them from every page's download
menu and from the introduction, and copies them into the site (parkecon/machinery/latex.py).
Where a TeX tool, package or font is missing, the build stops with one line naming the
Debian packages to install.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERFULL_PT = 6.0  # tolerance for boxes wider (or taller) than the text block


@dataclass(frozen=True)
class Edition:
    """One language edition of the book: its PDF is built from the same configuration,
    doctrees and execution cache as its site (parkecon/machinery/editions.py)."""

    lang: str   # "en" or "zh", as in parkecon/machinery/editions.py
    name: str   # file name of the PDF, without .pdf

    def build_dir(self, root: Path) -> Path:
        # the edition's build folder: _build (English) or _build/zh (Chinese, with its own
        # doctrees and execution cache); the LaTeX sources go into its latex/
        return root / "_build" if self.lang == "en" else root / "_build" / self.lang


EDITIONS = [Edition("en", "parks-clusters-transfer-en"), Edition("zh", "parks-clusters-transfer-zh")]

# What the PDF build needs from the system, and the Debian package to install for it (the
# package itself or one that depends on it: texlive-lang-chinese brings xeCJK's texlive-lang-cjk).
NEEDS_PROGRAMS = {"xelatex": "texlive-xetex", "latexmk": "latexmk", "xindy": "xindy",
                  "kpsewhich": "texlive-xetex", "pdffonts": "poppler-utils", "pdfinfo": "poppler-utils",
                  "fc-list": "fontconfig"}
NEEDS_TEX_FILES = {"xeCJK.sty": "texlive-lang-chinese", "ctexhook.sty": "texlive-lang-chinese",
                   "zhnumber.sty": "texlive-lang-chinese", "etoolbox.sty": "texlive-latex-extra",
                   "fncychap.sty": "texlive-latex-extra", "tabulary.sty": "texlive-latex-extra",
                   "pgfplots.sty": "texlive-latex-extra", "changepage.sty": "texlive-latex-extra",
                   "ucharclasses.sty": "texlive-xetex", "unicode-math.sty": "texlive-xetex",
                   "polyglossia.sty": "texlive-xetex", "cmap.sty": "texlive-latex-extra",
                   "pzdr.tfm": "texlive-fonts-recommended"}
NEEDS_FONTS = {"FreeSerif": "fonts-freefont-otf", "Noto Serif CJK SC": "fonts-noto-cjk",
               "Noto Sans CJK SC": "fonts-noto-cjk"}
DEBIAN_PACKAGES = sorted(set(NEEDS_PROGRAMS.values()) | set(NEEDS_TEX_FILES.values()) | set(NEEDS_FONTS.values()))


def missing_packages() -> list[str]:
    """The Debian packages that provide a missing program, TeX file or font (empty when all is there)."""
    need = {pkg for prog, pkg in NEEDS_PROGRAMS.items() if shutil.which(prog) is None}
    if shutil.which("kpsewhich"):
        found = subprocess.run(["kpsewhich", *NEEDS_TEX_FILES], capture_output=True, text=True).stdout
        need |= {pkg for f, pkg in NEEDS_TEX_FILES.items() if f"/{f}" not in found}
    else:
        need |= set(NEEDS_TEX_FILES.values())
    if shutil.which("fc-list"):
        families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
        need |= {pkg for font, pkg in NEEDS_FONTS.items() if font not in families}
    else:
        need |= set(NEEDS_FONTS.values())
    return sorted(need)


# --------------------------------------------------------------------------------------
# Quality gates


def log_problems(log: str) -> list[str]:
    """The problems in a LaTeX log that fail the build, one line each."""
    problems = []
    for m in re.finditer(r"Missing character: There is no (.+?) in font ([^!]+)!", log):
        font = " ".join(m.group(2).replace("\n", "").split())
        problems.append(f"missing character: {m.group(1)} in font {font}")
    for m in re.finditer(r"LaTeX Warning: (Reference|Citation|Hyper reference) [`'](.+?)' on page (\d+) undefined", log):
        problems.append(f"undefined {m.group(1).lower()}: {m.group(2)} (page {m.group(3)})")
    for m in re.finditer(r"Overfull \\([hv])box \(([\d.]+)pt too (?:wide|high)\) (in paragraph at lines \d+--\d+|"
                         r"in alignment at lines \d+--\d+|detected at line \d+|has occurred while \\output is active)",
                         log):
        if float(m.group(2)) > OVERFULL_PT:
            what = "too wide" if m.group(1) == "h" else "too high"
            problems.append(f"box {what} by {float(m.group(2)):.1f} pt ({m.group(3)}; tolerance {OVERFULL_PT} pt)")
    return problems


def unembedded_fonts(pdf: Path) -> list[str]:
    """Fonts of the PDF that are not embedded, from `pdffonts` (fields: name, type (may hold
    spaces), encoding, emb, sub, uni, object, generation)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = [line.split() for line in out[2:] if line.strip()]
    return [row[0] for row in rows if len(row) >= 7 and row[-5] != "yes"]


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


# --------------------------------------------------------------------------------------
# Build


def run(cmd: list[str], cwd: Path, what: str, env: dict | None = None) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        tail = (proc.stdout[-4000:] + "\n" + proc.stderr[-3000:]).strip()
        sys.exit(f"{what} failed:\n{tail}")
    return time.perf_counter() - t0


def build(edition: Edition, root: Path = ROOT) -> dict:
    """Build one edition's PDF into root/_build/pdf/; exit naming the problems if a gate fails."""
    t0 = time.perf_counter()
    build_dir = edition.build_dir(root)
    latex = build_dir / "latex"
    # Sphinx's LaTeX builder, strict (-W -n --keep-going), as the site is built
    cmd = [sys.executable, "-m", "parkecon", "latex", edition.lang]
    sphinx_s = run(cmd, root, f"LaTeX sources of the {edition.lang} edition (python -m parkecon latex {edition.lang})",
                   env={"PARKECON_ROOT": str(root)})
    tex = latex / "book.tex"
    for stale in ("book.pdf", "book.xdv"):  # latexmk must typeset the new sources
        (latex / stale).unlink(missing_ok=True)
    tex_s = run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", tex.name],
                latex, f"xelatex on {tex}", env={"max_print_line": "10000"})  # one log line per message
    pdf = latex / "book.pdf"
    log = (latex / "book.log").read_text(encoding="utf-8", errors="replace")
    problems = log_problems(log) + [f"font not embedded: {f}" for f in unembedded_fonts(pdf)]
    if problems:
        shown = "\n  ".join(problems[:40]) + (f"\n  ... and {len(problems) - 40} more" if len(problems) > 40 else "")
        sys.exit(f"the {edition.lang} PDF fails {len(problems)} quality check(s) (see {latex / 'book.log'}):\n  {shown}")
    out_dir = root / "_build" / "pdf"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{edition.name}.pdf"
    shutil.copy2(pdf, target)
    summary = {"edition": edition.lang, "pdf": str(target.relative_to(root)), "pages": pdf_pages(target),
               "figures": len(re.findall(r"\\begin\{figure\}", tex.read_text(encoding="utf-8"))),
               "bytes": target.stat().st_size, "sphinx_latex_s": round(sphinx_s, 1), "xelatex_s": round(tex_s, 1),
               "total_s": round(time.perf_counter() - t0, 1)}
    (out_dir / f"{edition.name}.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check that the TeX tools are installed")
    ap.add_argument("--root", type=Path, default=ROOT, help="the book's folder (default: this repository)")
    ap.add_argument("--lang", choices=[e.lang for e in EDITIONS], action="append",
                    help="build only this edition (repeatable; default: every edition)")
    args = ap.parse_args()
    missing = missing_packages()
    if missing:
        print("make pdf needs TeX and fonts: apt-get install --no-install-recommends " + " ".join(missing),
              file=sys.stderr)
        return 2
    if args.check:
        return 0
    for edition in EDITIONS:
        if args.lang and edition.lang not in args.lang:
            continue
        s = build(edition, args.root.resolve())
        print(f"{s['pdf']}: {s['pages']} pages, {s['figures']} figures, {s['bytes'] / 2**20:.1f} MB; "
              f"LaTeX sources {s['sphinx_latex_s']} s, xelatex {s['xelatex_s']} s, total {s['total_s']} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
