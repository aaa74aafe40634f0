"""Sphinx hooks for the workshop kit (listed in _config.yml after parkecon.machinery.sphinxext).

The kit's notebooks carry the numbers the build computed, so the kit is written once the
chapters are executed: at the end of builder-inited (after the parallel pre-run has filled
the execution cache, and before the workshop page, which links the zip, is read), or, if a
chapter was executed only while the pages were read, on env-updated (before the zip is
copied to the site). Each chapter page's download button also offers the full chapter as
a notebook (`.ipynb`), the same file as in the kit's `full/` folder.
"""
from __future__ import annotations

import shutil
from pathlib import Path


def _paths(app) -> tuple[Path, Path, Path, str, Path | None]:
    """Sources, the kit's folder, the execution cache, the language and the catalogues.

    English: `_build/learner/`. Chinese: `_build/learner/zh/`, from the Chinese edition's
    execution cache and its catalogues (its workshop page links that zip)."""
    from .sphinxext import edition_lang

    src = Path(app.srcdir)
    build_dir = Path(app.doctreedir).parent  # _build, or _build/zh for the Chinese edition
    cache = getattr(app.config, "nb_execution_cache_path", "") or str(build_dir / ".jupyter_cache")
    lang = edition_lang(app.config)
    if lang == "en":
        return src, build_dir / "learner", Path(cache), lang, None
    locale = src / (list(app.config.locale_dirs) or ["book/locale/"])[0]
    return src, src / "_build" / "learner" / lang, Path(cache), lang, locale


def write_kit(app, *args) -> None:
    """Write the kit, and copy its full chapter notebooks to where the download menu points."""
    from . import learner

    if app.builder.name == "gettext":  # reads the English pages only for their messages
        return
    src, out, cache, lang, locale = _paths(app)
    app._parkecon_kit = learner.build(src, out, cache, lang, locale)
    if app._parkecon_kit is None:
        return
    for md in learner.chapters(src):
        full = out / "kit" / "full" / (md.stem + ".ipynb")
        dest = Path(app.outdir) / "_sources" / md.relative_to(src).with_suffix(".ipynb")
        if not dest.is_file() or dest.read_bytes() != full.read_bytes():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(full, dest)


def write_kit_if_missing(app, env) -> None:
    if getattr(app, "_parkecon_kit", None) is None:
        write_kit(app)


def offer_notebook(app, pagename, templatename, context, doctree) -> None:
    """Show the chapter's full notebook (copied by `write_kit`) in the page's download menu."""
    if doctree is not None and (Path(app.outdir) / "_sources" / (pagename + ".ipynb")).is_file():
        context["ipynb_source"] = pagename + ".ipynb"


def setup(app):
    app.connect("builder-inited", write_kit, priority=900)
    app.connect("env-updated", write_kit_if_missing)
    app.connect("html-page-context", offer_notebook, priority=450)  # before the theme builds its buttons (501)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
