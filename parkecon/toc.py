"""The book's pages in reading order, read with the toc parser Jupyter Book itself uses.

One reader of `_toc.yml` for the whole project (build hooks, learner kit, workshop
schedule, tests): `sphinx_external_toc`, which Jupyter Book installs, so a commented-out
entry, an entry written with its suffix or a nested section is read exactly as the build
reads it.
"""
from __future__ import annotations

from pathlib import Path


def docnames(root: Path) -> list[str]:
    """Every page of the toc (root first), as docnames without suffix, in reading order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(Path(root) / "_toc.yml")
    out: list[str] = []

    def walk(entry: str) -> None:
        name = _without_suffix(entry)
        if name in out:
            return
        out.append(name)
        for tree in site_map[entry].subtrees:
            for item in tree.items:
                if isinstance(item, str):
                    walk(item)

    walk(site_map.root.docname)
    return out


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


def chapters(root: Path) -> list[Path]:
    """The analysis chapters (pages under notebooks/), in reading order."""
    return [p for d in docnames(root) if d.startswith("notebooks/") and (p := source(root, d)) is not None]
