"""Make the execution cache follow the data.

Jupyter Book's execution cache keys on a notebook's code only, so a corrected CSV would
not re-execute the notebooks that read it. Each notebook declares the tables it reads in
its setup call, ``pe.setup(uses=[...])`` (and loading any other table fails). Before a
build, `invalidate()` fingerprints each notebook's tables, compares with the fingerprints
recorded at the previous build, and drops the cached execution of exactly the notebooks
whose tables changed.

The helper package is part of what a notebook runs, yet not part of its code: a fix in
`parkecon/parks.py` changes no notebook cell. So the fingerprint also covers the source
of the package's modules that notebooks use (not the build-time ones), and a change there
re-executes every notebook.
"""
from __future__ import annotations

import ast
import hashlib
import json
import re
from pathlib import Path

from .data import fingerprint
from .paths import data_dir as _data_dir

SETUP_RE = re.compile(r"pe\.setup\(\s*uses\s*=\s*(\[[^\]]*\])", re.S)
RECORD = "data-fingerprints.json"
PACKAGE = Path(__file__).resolve().parent
BUILD_TIME = {"__main__.py", "cache.py", "learner.py", "prerun.py", "site.py", "sphinxext.py"}  # not run by notebooks


def package_fingerprint(package: Path = PACKAGE) -> str:
    """SHA-256 over the source of the helper package's modules that notebooks run."""
    h = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        if path.name not in BUILD_TIME:
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def declared_tables(notebook: Path) -> list[str] | None:
    """The tables a notebook declares in `pe.setup(uses=[...])`, or None if it is no notebook or has no setup call."""
    text = notebook.read_text(encoding="utf-8")
    if not text.startswith("---") or "kernelspec:" not in text.split("\n---", 1)[0]:
        return None
    m = SETUP_RE.search(text)
    return sorted(ast.literal_eval(m.group(1))) if m else None


def toc_notebooks(root: Path) -> list[Path]:
    """Every page in _toc.yml that is a notebook (has a setup call)."""
    files = re.findall(r"file:\s*([^\s#]+)", (root / "_toc.yml").read_text(encoding="utf-8"))
    root_doc = re.search(r"^root:\s*(\S+)", (root / "_toc.yml").read_text(encoding="utf-8"), re.M)
    if root_doc:
        files.insert(0, root_doc.group(1))
    out = []
    for f in files:
        p = root / (f if f.endswith(".md") else f + ".md")
        if p.is_file() and declared_tables(p) is not None:
            out.append(p)
    return out


def invalidate(root: Path, cache_dir: Path | None = None, data: Path | None = None,
               package: Path = PACKAGE) -> list[Path]:
    """Drop cached executions of notebooks whose declared tables or helper code changed; return them."""
    cache_dir = cache_dir or root / "_build" / ".jupyter_cache"
    data = data or _data_dir(root)
    record_path = cache_dir / RECORD
    old = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    new, changed = {}, []
    code = package_fingerprint(package)
    for nb in toc_notebooks(root):
        key = str(nb.relative_to(root))
        new[key] = fingerprint(data, declared_tables(nb)) + ":" + code
        if old.get(key) != new[key]:
            changed.append(nb)
    if changed and (cache_dir / "global.db").is_file():
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_dir))
        targets = {str(p.resolve()) for p in changed}
        for rec in cache.list_cache_records():
            if str(Path(rec.uri).resolve()) in targets:
                cache.remove_cache(rec.pk)
    cache_dir.mkdir(parents=True, exist_ok=True)
    record_path.write_text(json.dumps(new, indent=1, sort_keys=True), encoding="utf-8")
    return changed
