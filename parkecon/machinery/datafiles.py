"""The site's Excel and SQLite downloads (a Sphinx extension listed in _config.yml).

- build-finished (HTML only, after a build without exception): write `data/parkecon-data.xlsx`
  and `data/parkecon-data.sqlite` into the site (`parkecon.exports`), only when what they are
  made from changed: the data's fingerprint, the exporter's code, XlsxWriter's and SQLite's
  versions, the book's version and address. A no-change rebuild hashes a few files and
  writes nothing.
- The role ``{datafile}`parkecon-data.xlsx``` (or ``{datafile}`text <parkecon-data.xlsx>```)
  links one of those files from any page: relative to the page on the site, to the published
  site in other builders (the PDF edition).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title

logger = logging.getLogger(__name__)
SITE_DIR = "data"                  # in the site: _build/html/data/
STATE = "datafiles.json"           # in _build/.parkecon/: what the files in the site were made from


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def inputs_key(src: Path, version: str, site: str, author: str) -> str:
    """SHA-256 of everything the two files are made from (XlsxWriter's version read from its
    metadata: importing it would cost a no-change rebuild a third of a second)."""
    from importlib.metadata import version as dist_version

    from .. import exports
    from ..data import fingerprint

    h = hashlib.sha256()
    h.update(Path(exports.__file__).read_bytes())
    for part in (fingerprint(src / "data"), dist_version("XlsxWriter"), sqlite3.sqlite_version, version, site, author):
        h.update(b"\0" + str(part).encode("utf-8"))
    return h.hexdigest()


def update(src: Path, outdir: Path, state_file: Path, version: str, site: str, author: str) -> bool:
    """Write the files into outdir/data/ unless they are already there, made from the same inputs.
    Returns whether they were written."""
    from .. import exports

    key = inputs_key(src, version, site, author)
    out = outdir / SITE_DIR
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    if state.get("key") == key and all(state.get("files", {}).get(n) == _sha(out / n) != "" for n in exports.FILES):
        return False
    written = exports.write(src / "data", out, version=version, site=site, author=author)
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps({"key": key, "files": {p.name: _sha(p) for p in written}}, indent=1),
                          encoding="utf-8")
    return True


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from .site import book_version

    src = Path(app.srcdir)
    if update(src, Path(app.outdir), Path(app.outdir).parent / ".parkecon" / STATE, book_version(src),
              app.config.html_baseurl or "", app.config.author or ""):
        logger.info("[parkecon] wrote the Excel and SQLite downloads (data/)")


class DataFileRole(SphinxRole):
    """A link to one of the generated data files."""

    def run(self):
        from .. import exports

        has_title, title, target = split_explicit_title(self.text)
        if target not in exports.FILES:
            msg = self.inliner.reporter.error(f"datafile: no generated file {target!r}; "
                                              f"one of {', '.join(exports.FILES)}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        depth = self.env.docname.count("/")
        node = nodes.reference(self.rawtext, "", refuri="../" * depth + f"{SITE_DIR}/{target}",
                               classes=["datafile"], datafile=target)
        node += nodes.literal(title, title) if not has_title else nodes.Text(title)
        return [node], []


def _absolute_outside_html(app, doctree, docname) -> None:
    """In the PDF (and any builder but HTML) the files are where the published site has them."""
    if app.builder.format == "html":
        return
    base = (app.config.html_baseurl or "").rstrip("/") + "/"
    for ref in doctree.findall(nodes.reference):
        if ref.get("datafile"):
            ref["refuri"] = base + f"{SITE_DIR}/{ref['datafile']}"


def setup(app):
    app.add_role("datafile", DataFileRole())
    app.connect("doctree-resolved", _absolute_outside_html)
    app.connect("build-finished", _build_finished)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
