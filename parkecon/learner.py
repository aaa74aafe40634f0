"""Learner notebooks for the workshop: the chapters as .ipynb with every solution removed.

`build(root)` writes `_build/learner/kit/` (notebooks, data, the helper package, set-up
files) and a zip of it that the workshop page links for download. The zip is
deterministic: same inputs, same bytes.
"""
from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

SOLUTION_RE = re.compile(r"^```\{solution-start\}.*?^```\{solution-end\}[^\n]*\n```[ \t]*\n?", re.S | re.M)
EXERCISE_RE = re.compile(r"^```\{exercise-start\}\s*(?P<title>.*?)\s*\((?P<minutes>\d+)\s*min(?P<ext>,\s*extension)?\)\s*\n:label:\s*(?P<label>\S+)", re.M)
ZIP_NAME = "parkecon-workshop.zip"
KIT_FILES = ["requirements.txt", "pyproject.toml", "check_setup.py"]


def strip_solutions(text: str) -> str:
    """The MyST text without any solution block (from solution-start to solution-end)."""
    return SOLUTION_RE.sub("", text)


def exercises(text: str) -> list[dict]:
    """Every exercise in a MyST text: label, title, stated minutes, and whether it is an extension
    (marked "(N min, extension)": offered to fast finishers, not scheduled in the workshop day)."""
    return [{"label": m["label"], "title": m["title"], "minutes": int(m["minutes"]), "extension": bool(m["ext"])}
            for m in EXERCISE_RE.finditer(text)]


def chapters(root: Path) -> list[Path]:
    """The analysis notebooks listed in the toc, in order."""
    from .toc import chapters as toc_chapters

    return toc_chapters(root)


def to_ipynb(text: str):
    import jupytext

    nb = jupytext.reads(text, fmt="md:myst")
    nb.metadata.pop("jupytext", None)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("tags", None) if "remove-cell" in cell.metadata.get("tags", []) else None
        cell["id"] = f"cell-{i:03d}"  # fixed ids: the kit is byte-identical from build to build
    return nb


README = """Workshop kit: Parks, clusters and transfer in northern Guangdong
================================================================

notebooks/   the book's chapters as notebooks, exercises without their solutions
data/        the curated data (CSV + datapackage.json)
parkecon/    the book's helper package

Set up (Python 3.11), in this folder:
    python3.11 -m venv .venv
    .venv/bin/pip install --no-deps -r requirements.txt     (Windows: .venv\\Scripts\\pip)
    .venv/bin/python check_setup.py
    .venv/bin/jupyter lab notebooks/

The solutions are in the book itself, under each exercise.
"""


def _inputs_digest(root: Path) -> str:
    """A digest of everything the kit is made from (chapters, data, package, set-up files)."""
    pkg = Path(__file__).resolve().parent
    paths = chapters(root) + sorted((root / "data").rglob("*")) + sorted(pkg.glob("*.py"))
    paths += [root / n for n in KIT_FILES]
    h = hashlib.sha256()
    for p in paths:
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def build(root: Path, out: Path | None = None) -> Path:
    """Write the learner kit and its zip; return the zip's path. Skipped when nothing it is
    made from has changed since the last build."""
    out = out or root / "_build" / "learner"
    kit = out / "kit"
    digest = _inputs_digest(root)
    stamp = out / "inputs.sha256"
    if (out / ZIP_NAME).is_file() and kit.is_dir() and stamp.is_file() and stamp.read_text() == digest:
        return out / ZIP_NAME
    if kit.exists():
        shutil.rmtree(kit)
    (kit / "notebooks").mkdir(parents=True)
    import nbformat

    for md in chapters(root):
        text = strip_solutions(md.read_text(encoding="utf-8"))
        nbformat.write(to_ipynb(text), kit / "notebooks" / (md.stem + ".ipynb"))
    shutil.copytree(root / "data", kit / "data", ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(Path(__file__).resolve().parent, kit / "parkecon", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in KIT_FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, kit / name)
    (kit / "README.txt").write_text(README, encoding="utf-8")
    files = sorted(p for p in kit.rglob("*") if p.is_file())
    manifest = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(kit).as_posix()}\n"
                       for p in files if p.parts[len(kit.parts)] == "data")
    (kit / "MANIFEST.sha256").write_text(manifest, encoding="utf-8")
    files = sorted(p for p in kit.rglob("*") if p.is_file())
    zpath = out / ZIP_NAME
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for p in files:
            info = zipfile.ZipInfo("parkecon-workshop/" + p.relative_to(kit).as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, p.read_bytes())
    # Rewrite only when the content changed: the workshop page links the zip, and a new
    # file time would make Sphinx rebuild that page on every build.
    if not zpath.is_file() or zpath.read_bytes() != buf.getvalue():
        zpath.write_bytes(buf.getvalue())
    stamp.write_text(digest)
    return zpath


# ---------------------------------------------------------------- offline pages for the kit
# Kept apart from build(): build() writes each of these files into the kit when it calls
# `extras(root)`, e.g. `for rel, text in extras(root).items(): write kit / rel`, and
# `_inputs_digest` then also reads the pages named in EXTRA_PAGES.

#: Plain-Markdown pages of the book that the kit carries for use offline.
EXTRA_PAGES = {"docs/glossary.md": "book/glossary.md", "docs/cheat-sheet.md": "book/cheat-sheet.md",
               "docs/for-the-organiser.md": "book/workshop-organiser.md"}
_FENCE = re.compile(r"^```\{code-cell\}[^\n]*\n((?::[^\n]*\n)*)", re.M)
_SOLUTION = re.compile(r"^```\{solution-start\}\s*(?P<label>\S+)\n(?::[^\n]*\n)*```\n(?P<body>.*?)^```\{solution-end\}[^\n]*\n```",
                       re.S | re.M)


def solutions_markdown(text: str, title: str) -> str:
    """Every solution of a chapter as plain Markdown (prose and ```python code), headed by its exercise."""
    by_label = {e["label"]: e for e in exercises(text)}
    parts = [f"# Solutions: {title}\n"]
    for m in _SOLUTION.finditer(text):
        e = by_label.get(m["label"], {"title": m["label"], "minutes": 0, "extension": False})
        body = _FENCE.sub("```python\n", m["body"])
        body = re.sub(r"^```python\n---\n.*?\n---\n", "```python\n", body, flags=re.S | re.M)
        body = re.sub(r"\{numref\}`[^`]+`", "the figure of this solution in the book", body)
        body = re.sub(r"\{glue:text\}`[^`]+`", "(the number is on the book's page)", body)
        kind = "extension" if e["extension"] else "core"
        parts.append(f"## {e['title']} ({m['label']}, {kind})\n\n{body.strip()}\n")
    return "\n".join(parts)


def data_model_markdown(root: Path) -> str:
    """The data model (every table and field of data/datapackage.json) as one Markdown page."""
    import json

    pkg = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    out = ["# The data model\n", "Every table of `data/` and its fields, from `data/datapackage.json`.\n"]
    for res in pkg["resources"]:
        out.append(f"## {res.get('path', res['name'])}\n")
        if res.get("description"):
            out.append(res["description"].strip() + "\n")
        out.append("| field | type | required | description |\n|---|---|---|---|")
        for f in res["schema"]["fields"]:
            desc = " ".join(str(f.get("description", "")).split()).replace("|", "\\|")
            req = "yes" if f.get("constraints", {}).get("required") else ""
            out.append(f"| `{f['name']}` | {f.get('type', 'string')} | {req} | {desc} |")
        out.append("")
    return "\n".join(out)


def extras(root: Path) -> dict[str, str]:
    """Files for the kit beyond the notebooks: solutions (a separate folder, to hand out after
    the day), the glossary, the cheat sheet, the organiser's page and the data model."""
    out = {}
    for md in chapters(root):
        text = md.read_text(encoding="utf-8")
        title = re.search(r"^# (.+)$", text, re.M).group(1).strip()
        out[f"solutions/{md.stem}.md"] = solutions_markdown(text, title)
    for rel, page in EXTRA_PAGES.items():
        if (root / page).is_file():
            out[rel] = (root / page).read_text(encoding="utf-8")
    out["docs/data-model.md"] = data_model_markdown(root)
    return out
