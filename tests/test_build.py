"""The strict build: a good book builds every page; a broken copy fails, naming the problem."""
from __future__ import annotations

import os
import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, copy_book, jb_build

pytestmark = pytest.mark.build

HEADER = textwrap.dedent("""\
    ---
    jupytext:
      text_representation:
        extension: .md
        format_name: myst
    kernelspec:
      display_name: Python 3
      language: python
      name: python3
    ---
    """)


def toc_pages() -> list[str]:
    from parkecon.machinery.toc import docnames

    return docnames(ROOT)


def test_strict_build_produces_every_toc_page(built_book):
    pages = toc_pages()
    assert len(pages) >= 4
    for page in pages:
        html = built_book / f"{page}.html"
        assert html.is_file(), f"{page} listed in _toc.yml was not built"
        assert len(html.read_text(encoding="utf-8")) > 5000
    assert (built_book / "index.html").is_file()


def test_only_toc_pages_are_built(built_book):
    built = {p.relative_to(built_book).with_suffix("").as_posix().removeprefix("zh/") for p in built_book.rglob("*.html")
             if not p.name.startswith(("genindex", "search", "index")) and "_static" not in p.parts}
    assert built <= set(toc_pages()), f"pages outside the toc were built: {sorted(built - set(toc_pages()))}"


BROKEN = {
    "raising-cell": ("```{code-cell} ipython3\nraise ValueError('deliberately broken cell')\n```\n",
                     r"deliberately broken cell"),
    "missing-glue-key": ("```{code-cell} ipython3\nimport parkecon as pe\npe.glue('known', 1)\n```\n\n"
                         "A number: {glue:text}`no_such_key:.1f`.\n", r"no_such_key"),
    "broken-reference": ("A link to {ref}`no-such-label`.\n", r"no-such-label"),
}


def make_small_book(tmp: Path, page_body: str) -> Path:
    """A copy of the book's configuration and data with a two-page toc: an index and one test page."""
    copy_book(tmp)
    (tmp / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: page\n", encoding="utf-8")
    (tmp / "index.md").write_text("# Test book\n\nA small copy of the book's configuration.\n", encoding="utf-8")
    (tmp / "page.md").write_text(HEADER + "\n# A test page\n\n" + page_body, encoding="utf-8")
    return tmp


HEALTHY = ("```{code-cell} ipython3\nimport parkecon as pe\npe.glue('known', 1.5)\n```\n\n"
           "(a-label)=\n## Section\n\nValue {glue:text}`known:.1f`, see {ref}`a-label`.\n")


@pytest.fixture(scope="module")
def small_builds(tmp_path_factory, request) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """{name: (book, finished build)} of the healthy small copy and of each broken one that the
    selected tests check. Each is its own folder and its own build process: they run side by
    side, as many as the machine has cores."""
    from concurrent.futures import ThreadPoolExecutor

    bodies = {"healthy": HEALTHY, **{name: body for name, (body, _) in BROKEN.items()}}
    wanted = {getattr(getattr(item, "callspec", None), "params", {}).get("defect", "healthy")
              for item in request.session.items if item.module is request.module and "small_builds" in item.fixturenames}
    books = {name: make_small_book(tmp_path_factory.mktemp(name), body) for name, body in bodies.items()
             if name in wanted}
    with ThreadPoolExecutor(max_workers=min(len(books), os.cpu_count() or 1)) as pool:
        procs = dict(zip(books, pool.map(lambda book: jb_build(book, {"PARKECON_ROOT": str(book)}), books.values())))
    return {name: (books[name], procs[name]) for name in books}


def test_small_copy_builds_when_healthy(small_builds):
    """Control: the same small copy with a healthy page builds, so failures below are the defects'."""
    book, proc = small_builds["healthy"]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "1.5" in (book / "_build" / "html" / "page.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("defect", sorted(BROKEN))
def test_broken_copy_fails_naming_the_problem(small_builds, defect):
    _, pattern = BROKEN[defect]
    _, proc = small_builds[defect]
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"the build with a {defect} passed:\n{out[-3000:]}"
    assert re.search(pattern, out), f"the build failed but did not name {pattern!r}:\n{out[-3000:]}"


def test_no_page_shows_stray_stderr(built_book):
    """Warnings a cell writes to stderr (a font note, a pandas deprecation) would show on the page."""
    shown = [p.relative_to(built_book).as_posix() for p in built_book.rglob("*.html")
             if "_static" not in p.parts and 'class="output stderr' in p.read_text(encoding="utf-8")]
    assert shown == []
