"""The book's pages in reading order, read with the toc parser Jupyter Book itself uses.

One reader of `_toc.yml` for the whole project (build hooks, learner kit, workshop
schedule, tests): `sphinx_external_toc`, which Jupyter Book installs, so a commented-out
entry, an entry written with its suffix or a nested section is read exactly as the build
reads it.
"""
from __future__ import annotations

from pathlib import Path


def pages(root: Path) -> list[tuple[str, int | None]]:
    """Every page of the toc in reading order, as (docname without suffix, chapter number or None).

    Numbered parts are numbered on from one to the next, as the book does
    (`use_multitoc_numbering`).
    """
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(Path(root) / "_toc.yml")
    out: list[tuple[str, int | None]] = []
    seen: set[str] = set()
    counter = 0

    def walk(entry: str, number: int | None) -> None:
        nonlocal counter
        name = _without_suffix(entry)
        if name in seen:
            return
        seen.add(name)
        out.append((name, number))
        for tree in site_map[entry].subtrees:
            for item in tree.items:
                if isinstance(item, str):
                    if tree.numbered and number is None:
                        counter += 1
                        walk(item, counter)
                    else:
                        walk(item, None)

    walk(site_map.root.docname, None)
    return out


def docnames(root: Path) -> list[str]:
    """Every page of the toc (root first), as docnames without suffix, in reading order."""
    return [name for name, _ in pages(root)]


SUFFIXES = (".md", ".ipynb")


def _without_suffix(entry: str) -> str:
    """A toc entry may name its file with or without the suffix; Sphinx drops it, so do we."""
    for suffix in SUFFIXES:
        if entry.endswith(suffix):
            return entry[: -len(suffix)]
    return entry


def source(root: Path, docname: str) -> Path | None:
    """The source file of a page (.md or .ipynb), or None if it does not exist."""
    for suffix in SUFFIXES:
        path = Path(root) / (docname + suffix)
        if path.is_file():
            return path
    return None


def is_notebook(path: Path) -> bool:
    """A MyST Markdown notebook (a jupytext header with a kernelspec)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]


def chapters(root: Path) -> list[Path]:
    """The analysis chapters: the notebooks of the toc's numbered parts, in reading order."""
    return [p for d, n in pages(root) if n is not None and (p := source(root, d)) is not None and is_notebook(p)]
