"""Sphinx hooks of the book (listed in _config.yml): run before any page is read.

1. Drop the cached execution of every notebook whose declared data tables (or the helper
   package) changed: the execution cache keys on code only. Sphinx, too, re-reads only
   pages whose source changed, so those pages are also reported outdated to it, and
   re-read with their new outputs.
2. Write the workshop's learner notebooks and zip, which the workshop page links.
3. Execute uncached notebooks in parallel into the execution cache (see prerun.py).
4. Drop the live-code (thebe) assets from every page: nothing is fetched from a CDN.
"""
from __future__ import annotations

from pathlib import Path


def _builder_inited(app) -> None:
    from . import cache, learner

    src = Path(app.srcdir)
    build_dir = Path(app.outdir).parent
    changed = cache.invalidate(src, cache_dir=build_dir / ".jupyter_cache", data=src / "data")
    if changed:
        print(f"[parkecon] data or helper code changed, re-executing: {', '.join(str(p.relative_to(src)) for p in changed)}")
    learner.build(src, build_dir / "learner")
    stale = list(changed)
    if app.config.nb_execution_mode == "cache":
        from .prerun import prerun, uncached

        # every notebook about to be executed (data changed, or a failed earlier build left
        # it out of the cache) must be read again, whether or not its source changed
        stale += uncached(src, build_dir / ".jupyter_cache")
    app._parkecon_stale = {p.resolve().relative_to(src.resolve()).with_suffix("").as_posix() for p in stale}
    if app.config.nb_execution_mode == "cache":
        ran = prerun(src, build_dir / ".jupyter_cache", timeout=app.config.nb_execution_timeout)
        if ran:
            print(f"[parkecon] executed {len(ran) - 1} notebook(s) in parallel in {ran['_wall']} s")


def _outdated(app, env, added, changed, removed) -> list[str]:
    """Pages whose notebook is executed in this build (changed data or helper code, or left
    uncached by an earlier failed build): Sphinx must read them again."""
    return sorted(d for d in getattr(app, "_parkecon_stale", set()) if d in env.found_docs and d not in added)


def setup(app):
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-outdated", _outdated)
    app.connect("html-page-context", _drop_thebe, priority=900)
    # The theme expects a stored colour mode and logs an error on a reader's first visit
    # without one; the book's figures are drawn for a light page, so default to light.
    app.add_js_file(None, body='if(!document.documentElement.dataset.mode){document.documentElement.dataset.mode="light";'
                               'document.documentElement.dataset.theme="light";}', priority=100)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """The book has no live-code backend: drop the thebe scripts (one points at a CDN)."""
    def keep(asset) -> bool:
        name = str(getattr(asset, "filename", "") or asset)
        body = str(getattr(asset, "attributes", {}).get("body", ""))
        return "thebe" not in name.lower() and "THEBE" not in body
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if keep(a)]
