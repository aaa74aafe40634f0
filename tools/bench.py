"""Measure the book's speed and weight; write _build/bench.json and _build/bench.md.

Run with `make bench`. Everything is measured on a temporary copy of the book so that
the repository's data and build are never touched:

- clean strict build of both editions (no _build, no execution caches), `make book`'s
  `python -m parkecon build`, with each edition's part (parkecon/machinery/editions.py)
- no-change rebuild of both editions
- executing one edition's notebooks one after another with `jupyter nbconvert --execute`
  (the notebooks the build executes, converted with jupytext): the clean build of both
  editions must not take longer
- rebuild after changing one value in one CSV (the notebooks that read it re-execute)
- each notebook's execution time (from the execution cache's records)
- the PDF edition's build on top of the HTML build (tools/pdf.py: LaTeX sources from the
  execution cache, then xelatex), when TeX is installed
- the test suite's wall time (skip with --no-tests)
- the virtual environment's size, the built site's size, the heaviest page with its
  images, the largest figure file
- the heaviest chapter's time to interactive in headless Chromium, with and without its
  number cards (tools/pagetime.py)
- the workshop kit as an attendee meets it (`--kit-only` measures just this): the zip's
  size; from unzipping, through creating its environment and installing its pins as
  README.txt says, to the first notebook executed, each step timed; the installed
  environment's size against the book's (goal: at most a third)
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = {"clean_build_s": 60, "nochange_rebuild_s": 6, "notebook_max_s": 10, "pdf_build_s": 60,
           "heaviest_page_bytes": 1.5 * 2**20, "largest_figure_bytes": 250 * 2**10}


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


LAST_EDITIONS: dict = {}  # each edition's part of the last build (_build/editions.json)


def build(book: Path) -> float:
    """Both editions, strictly, as `make book` builds them; the wall time (s)."""
    t0 = time.perf_counter()
    usage0 = os.times()
    proc = subprocess.run([sys.executable, "-m", "parkecon", "build"],
                          cwd=book, capture_output=True, text=True, env={**os.environ, "PARKECON_ROOT": str(book)})
    dt = time.perf_counter() - t0
    usage1 = os.times()
    if proc.returncode != 0:
        sys.exit("build failed:\n" + proc.stdout[-3000:] + proc.stderr[-3000:])
    LAST_EDITIONS.clear()
    LAST_EDITIONS.update(json.loads((book / "_build" / "editions.json").read_text(encoding="utf-8")))
    LAST_EDITIONS["cpu_s"] = round((usage1.children_user + usage1.children_system)
                                   - (usage0.children_user + usage0.children_system), 1)
    return dt


def nbconvert_sequential(book: Path, cache_dir: Path) -> dict:
    """Execute the notebooks the build executes (those in its execution cache) one after
    another with `jupyter nbconvert --execute` (English edition), after converting each MyST
    source to .ipynb with jupytext; the time of the executions alone."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = sorted(book / p for p in notebook_times(cache_dir))
        total, each = 0.0, {}
        for md in paths:
            ipynb = Path(tmp) / (md.stem + ".ipynb")
            subprocess.run([str(BIN / "jupytext"), "--to", "ipynb", "-o", str(ipynb), str(md)], check=True,
                           capture_output=True)
            t = time.perf_counter()
            proc = subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                                   "--output-dir", tmp, "--output", md.stem + ".out", str(ipynb)], cwd=md.parent,
                                  capture_output=True, text=True,
                                  env={**os.environ, "PARKECON_ROOT": str(book), "PARKECON_LANG": "en"})
            dt = time.perf_counter() - t
            if proc.returncode != 0:
                sys.exit(f"nbconvert failed on {md}:\n" + proc.stderr[-3000:])
            total += dt
            each[str(md.relative_to(book))] = round(dt, 1)
    return {"nbconvert_sequential_s": round(total, 1), "nbconvert_each_s": each}


def page_weights(html_dir: Path) -> list[tuple[str, int, int]]:
    """(page, html bytes, html + its images bytes) for every page."""
    out = []
    for page in html_dir.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        imgs = set(re.findall(r'<img[^>]+src="([^"]+)"', text))
        size = page.stat().st_size
        total = size + sum((page.parent / src).stat().st_size for src in imgs
                           if not src.startswith(("http", "data:")) and (page.parent / src).is_file())
        out.append((str(page.relative_to(html_dir)), size, total))
    return sorted(out, key=lambda r: -r[2])


def notebook_times(cache_dir: Path) -> dict[str, float]:
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    return {str(Path(r.uri).relative_to(cache_dir.parent.parent)): round(float(r.data.get("execution_seconds", 0)), 2)
            for r in cache.list_cache_records()}


def pdf_build(book: Path) -> dict:
    """Time tools/pdf.py on the copy, after its HTML build (so the execution cache is warm)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import pdf as pdftool

    missing = pdftool.missing_packages()
    if missing:
        return {"pdf_build_s": None, "pdf_note": "TeX not installed: apt-get install " + " ".join(missing)}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "pdf.py"), "--root", str(book)], cwd=book,
                          capture_output=True, text=True, env={**os.environ, "PARKECON_ROOT": str(book)})
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit("PDF build failed:\n" + proc.stdout[-3000:] + proc.stderr[-3000:])
    editions = {}
    for path in sorted((book / "_build" / "pdf").glob("*.json")):
        s = json.loads(path.read_text(encoding="utf-8"))
        editions[s["edition"]] = {k: s.get(k) for k in ("total_s", "pages", "bytes", "sphinx_latex_s", "xelatex_s")}
    # the goal is per edition: the slowest edition's time is held against it
    return {"pdf_build_s": max(e["total_s"] for e in editions.values()), "pdf_all_editions_s": round(dt, 1),
            "pdf_editions": editions,
            "pdf_note": "; ".join(f"{lang} {e['total_s']} s, {e['pages']} pages, {e['bytes'] / 2**20:.2f} MB "
                                  f"(LaTeX sources {e['sphinx_latex_s']} s, xelatex {e['xelatex_s']} s)"
                                  for lang, e in editions.items())}


def change_one_value(book: Path) -> str:
    """Change one reported value in facts.csv of the copy (kept consistent); return the fact id."""
    path = book / "data" / "facts.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    r = next(r for r in rows if r["fact_id"] == "f000-002")
    r["note"] = (r["note"] + " (benchmark edit)").strip()
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return r["fact_id"]


def du_no_cache(path: Path) -> int:
    """Bytes of a folder without the __pycache__ files Python writes as modules are imported."""
    return sum(p.stat().st_size for p in path.rglob("*")
               if p.is_file() and not p.is_symlink() and "__pycache__" not in p.parts)


def kit_measures(tmp: Path) -> dict:
    """Unzip the kit, set it up as README.txt says, execute the first chapter; time and weigh each step."""
    import zipfile

    zpath = ROOT / "_build" / "learner" / "parkecon-workshop.zip"
    if not zpath.is_file():
        sys.exit("no kit: run `make book` first (the build writes the kit)")
    res = {"kit_zip_bytes": zpath.stat().st_size}
    t0 = time.perf_counter()
    with zipfile.ZipFile(zpath) as z:
        z.extractall(tmp)
    kit = tmp / "parkecon-workshop"
    res["kit_unzip_s"] = round(time.perf_counter() - t0, 1)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", ".venv"], cwd=kit, check=True)
    py = kit / ".venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    res["kit_venv_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    proc = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "-r", "requirements.txt"],
                          cwd=kit, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("kit install failed:\n" + proc.stderr[-3000:])
    res["kit_install_s"] = round(time.perf_counter() - t, 1)
    res["kit_env_bytes_installed"] = du(kit / ".venv")
    res["kit_env_bytes_no_pycache"] = du_no_cache(kit / ".venv")
    t = time.perf_counter()
    check = subprocess.run([str(py), "check_setup.py"], cwd=kit, capture_output=True, text=True)
    res["kit_check_setup_s"] = round(time.perf_counter() - t, 1)
    res["kit_check_setup_ok"] = check.returncode == 0
    first = learner_first_notebook(kit)
    t = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKECON_")}
    proc = subprocess.run([str(py), "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--stdout",
                           str(first)], cwd=first.parent, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit("first notebook failed in the kit:\n" + proc.stderr[-3000:])
    res["kit_first_notebook"] = first.name
    res["kit_first_notebook_s"] = round(time.perf_counter() - t, 1)
    res["kit_unzip_to_first_notebook_s"] = round(time.perf_counter() - t0, 1)
    res["kit_env_bytes"] = du(kit / ".venv")
    return res


def learner_first_notebook(kit: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from parkecon.machinery.learner import chapters

    return kit / "notebooks" / (chapters(ROOT)[0].stem + ".ipynb")


def kit_rows(res: dict) -> list[tuple]:
    mb = lambda b: f"{b / 2**20:.0f} MB"
    book = res.get("venv_bytes") or 0
    book_nc = res.get("venv_bytes_no_pycache") or 0
    ratio = res["kit_env_bytes_no_pycache"] / book_nc if book_nc else None
    return [
        ("kit zip", f"{res['kit_zip_bytes'] / 1024:.0f} KB", "", None),
        ("kit: unzip", f"{res['kit_unzip_s']} s", "", None),
        ("kit: create .venv", f"{res['kit_venv_s']} s", "", None),
        ("kit: pip install of its pins", f"{res['kit_install_s']} s", "", None),
        ("kit: check_setup.py", f"{res['kit_check_setup_s']} s ({'passed' if res['kit_check_setup_ok'] else 'FAILED'})", "", None),
        ("kit: first notebook executed", f"{res['kit_first_notebook_s']} s ({res['kit_first_notebook']})", "", None),
        ("kit: unzip to first notebook executed", f"{res['kit_unzip_to_first_notebook_s']} s", "", None),
        ("kit environment (installed, files without __pycache__)",
         f"{mb(res['kit_env_bytes_no_pycache'])}" + (f" = {ratio:.0%} of the book's {mb(book_nc)}" if ratio else ""),
         "≤ 33%", None if ratio is None else ratio <= 1 / 3),
        ("kit environment after the first run (with __pycache__)",
         mb(res["kit_env_bytes"]) + (f" (book's: {mb(book)})" if book else ""), "", None),
    ]


def edition_rows(res: dict) -> list[tuple]:
    def parts(e: dict) -> str:
        zh = "Chinese (beside English)" if e.get("zh_beside_en") else "Chinese"
        return (f"English {e.get('en_s')} s, messages {e.get('messages_s')} s, {zh} {e.get('zh_s')} s; "
                f"CPU {e.get('cpu_s')} s")
    return [
        ("clean strict build, both editions", f"{res['clean_build_s']} s ({parts(res['clean_build_editions'])})",
         f"≤ {res['nbconvert_sequential_s']} s (nbconvert, one edition)", res["clean_build_s"] <= res["nbconvert_sequential_s"]),
        ("no-change rebuild, both editions", f"{res['nochange_rebuild_s']} s ({parts(res['nochange_rebuild_editions'])})",
         "≤ 6 s", res["nochange_rebuild_s"] <= 6),
        ("one edition's notebooks, one after another (jupyter nbconvert --execute)",
         f"{res['nbconvert_sequential_s']} s ({len(res['nbconvert_each_s'])} notebooks)", "", None),
    ]


def report_editions(res: dict, out: Path) -> int:
    res["load_average"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    md = ["| measure | value | target | met |", "|---|---|---|---|"]
    md += [f"| {a} | {b} | {c} | {'' if d is None else ('yes' if d else 'NO')} |" for a, b, c, d in edition_rows(res)]
    md += ["", f"Load average at the end: {res['load_average']}"]
    (out / "bench-editions.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
    (out / "bench-editions.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-tests", action="store_true", help="do not time the test suite")
    ap.add_argument("--kit-only", action="store_true", help="measure only the workshop kit")
    ap.add_argument("--editions-only", action="store_true",
                    help="measure only the builds of both editions and the sequential nbconvert baseline")
    args = ap.parse_args()
    out = ROOT / "_build"
    out.mkdir(exist_ok=True)
    res: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}}
    venv = ROOT / ".venv"
    res["venv_bytes"] = du(venv) if venv.is_dir() else None
    res["venv_bytes_no_pycache"] = du_no_cache(venv) if venv.is_dir() else None
    if not args.editions_only:
        with tempfile.TemporaryDirectory() as tmp:
            res.update(kit_measures(Path(tmp)))
    if args.kit_only:
        md = ["| measure | value | target | met |", "|---|---|---|---|"]
        md += [f"| {a} | {b} | {c} | {'' if d is None else ('yes' if d else 'NO')} |" for a, b, c, d in kit_rows(res)]
        (out / "bench-kit.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
        (out / "bench-kit.md").write_text("\n".join(md) + "\n", encoding="utf-8")
        print("\n".join(md))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book"
        book.mkdir()
        for name in ["_config.yml", "_toc.yml", "references.bib", "requirements.txt", "requirements-kit.txt",
                     "pyproject.toml", "check_setup.py"]:
            shutil.copy2(ROOT / name, book / name)
        for folder in ["book", "notebooks", "data", "parkecon", "latex", "tools"]:
            shutil.copytree(ROOT / folder, book / folder, ignore=shutil.ignore_patterns("__pycache__"))
        res["clean_build_s"] = round(build(book), 1)
        res["clean_build_editions"] = dict(LAST_EDITIONS)
        res["nochange_rebuild_s"] = round(build(book), 1)
        res["nochange_rebuild_editions"] = dict(LAST_EDITIONS)
        res["notebook_exec_s"] = notebook_times(book / "_build" / ".jupyter_cache")
        res["notebook_max_s"] = max(res["notebook_exec_s"].values(), default=0)
        res.update(nbconvert_sequential(book, book / "_build" / ".jupyter_cache"))
        TARGETS["clean_build_s"] = res["nbconvert_sequential_s"]
        if args.editions_only:
            return report_editions(res, out)
        res.update(pdf_build(book))
        changed = change_one_value(book)
        res["one_csv_change_rebuild_s"] = round(build(book), 1)
        res["one_csv_change"] = f"facts.csv, fact {changed} (note column)"
        html = book / "_build" / "html"
        res["site_bytes"] = du(html)
        weights = page_weights(html)
        res["heaviest_page"], _, res["heaviest_page_bytes"] = weights[0]
        figs = sorted(((p.stat().st_size, p.name) for p in (html / "_images").glob("*") if p.is_file()), reverse=True)
        res["largest_figure_bytes"], res["largest_figure"] = figs[0] if figs else (0, "")
        res["figures"] = len(figs)
        try:  # time to interactive of the heaviest chapter, with and without its number cards
            sys.path.insert(0, str(ROOT / "tools"))
            import pagetime

            res["page_timing"] = pagetime.measure(html, [pagetime.heaviest_chapter(html)], runs=5)
        except Exception as exc:  # no Chromium or Playwright: say so in the report
            res["page_timing_note"] = f"not measured: {exc}"
    if not args.no_tests:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT, capture_output=True, text=True)
        res["test_suite_s"] = round(time.perf_counter() - t0, 1)
        res["test_suite_result"] = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    res["targets"] = TARGETS
    res["met"] = {k: (res.get(k) is not None and res[k] <= v) for k, v in TARGETS.items()}
    (out / "bench.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
    mb = lambda b: f"{b / 2**20:.2f} MB"
    rows = edition_rows(res) + [
        ("rebuild after one CSV change", f"{res['one_csv_change_rebuild_s']} s", "", None),
        ("slowest notebook", f"{res['notebook_max_s']} s", "≤ 10 s", res["met"]["notebook_max_s"]),
        ("PDF on top of the HTML build, per edition",
         f"{res['pdf_note']}; both {res['pdf_all_editions_s']} s"
         if res.get("pdf_build_s") is not None else res.get("pdf_note", "n/a"), "≤ 60 s each", res["met"]["pdf_build_s"]),
        ("heaviest page with images", f"{mb(res['heaviest_page_bytes'])} ({res['heaviest_page']})", "≤ 1.5 MB", res["met"]["heaviest_page_bytes"]),
        ("largest figure", f"{res['largest_figure_bytes'] / 1024:.0f} KB ({res['largest_figure']})", "≤ 250 KB", res["met"]["largest_figure_bytes"]),
        ("built site", mb(res["site_bytes"]), "", None),
        ("virtual environment", mb(res["venv_bytes"]) if res["venv_bytes"] else "n/a", "", None),
    ] + kit_rows(res)
    for page, v in res.get("page_timing", {}).items():
        w, wo = v["with_cards"], v["without_cards"]
        rows.append((f"time to interactive, {page} (Chromium, median of 5)",
                     f"{w['tti']} ms with its {w['numbers']} number cards, {wo['tti']} ms without "
                     f"({w['bytes'] - wo['bytes']:+,} bytes of HTML)", "", None))
    if "page_timing_note" in res:
        rows.append(("time to interactive", res["page_timing_note"], "", None))
    if "test_suite_s" in res:
        rows.append(("test suite", f"{res['test_suite_s']} s ({res['test_suite_result']})", "", None))
    md = ["| measure | value | target | met |", "|---|---|---|---|"]
    md += [f"| {a} | {b} | {c} | {'' if d is None else ('yes' if d else 'NO')} |" for a, b, c, d in rows]
    md += ["", "Notebook execution times (s): " + ", ".join(f"{k} {v}" for k, v in sorted(res["notebook_exec_s"].items()))]
    (out / "bench.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
