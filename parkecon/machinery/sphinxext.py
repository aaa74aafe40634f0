"""Sphinx hooks of the book (listed in _config.yml): an incremental build equals a clean one.

- config-inited (before Sphinx loads its saved environment): take a lock on the build
  folder, so two builds of one checkout cannot interleave. If the previous build did not
  finish cleanly (killed, cancelled, out of memory, an exception, or any warning), discard
  Sphinx's saved environment so that every page is read and written again; the marker
  that says so is written now and removed only when this build ends with no exception and
  no warning.
- builder-inited (after myst-nb has set up its configuration): match every notebook to the execution cache, drop executions whose
  recorded reads changed and execute what is missing in parallel (prerun.py); report the
  pages of the executed notebooks as outdated, since Sphinx re-reads only pages whose
  source changed.
- env-get-updated (after Sphinx has numbered figures and sections): if anything another
  page can show changed (figure or section numbers, page titles, labels), write every
  page again. Sphinx re-writes only pages that it re-read or whose own numbers changed,
  so a page citing "Fig. 3.2" of a chapter that moved in the toc would keep the old number.
- html-page-context: drop the live-code (thebe) assets: nothing is fetched from a CDN.

Interfaces of Sphinx relied on (tests/test_cache.py::test_library_interfaces_the_build_relies_on
checks them): the private `Sphinx._warncount` (warnings logged), read at build-finished;
the environment's `toc_fignumbers`, `toc_secnumbers`, `titles` and the std domain's
`labels` and `anonlabels`.
"""
from __future__ import annotations

import os
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)
STATE = ".parkecon"            # in the build folder (_build)
MARKER = "build-in-progress"   # present while a build runs or after one that did not finish cleanly
LOCK = "build.lock"


def build_dir(app) -> Path:
    """The edition's build folder: `_build` for English, `_build/zh` for Chinese (parent of its doctrees).

    The Chinese site lives inside the English one (`_build/html/zh/`), so nothing of a build's
    own (state, notebook outputs, kit) may be put next to its output folder."""
    return Path(app.doctreedir).parent


def edition_lang(config) -> str:
    """PARKECON_LANG of this edition's kernels: "zh" when Sphinx's language is Chinese."""
    return "zh" if str(config.language or "en").lower().startswith("zh") else "en"


def _state(app) -> Path:
    return build_dir(app) / STATE


def _lock(app) -> None:
    """Hold an exclusive lock on the build folder for the life of this process."""
    state = _state(app)
    state.mkdir(parents=True, exist_ok=True)
    fh = open(state / LOCK, "a+")
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise ExtensionError(f"another build of this book is running in {build_dir(app)}; "
                             "wait for it to finish (or stop it) and build again") from None
    app._parkecon_lock = fh


def build_code_digest(package: Path | None = None) -> str:
    """SHA-256 of the package's code that runs inside Sphinx (this folder and the modules the
    extensions import while pages are read and written): Sphinx does not notice when it changes."""
    import hashlib

    package = package or Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for p in sorted(package.rglob("*.py")) + sorted(package.rglob("*.csv")):
        h.update(str(p.relative_to(package)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _config_inited(app, config) -> None:
    _lock(app)
    marker = _state(app) / MARKER
    app._parkecon_full = marker.exists()
    digest_file = Path(app.doctreedir) / "parkecon-build-code.sha256"   # beside the environment it vouches for
    digest = build_code_digest()
    # a saved environment not vouched for by a digest (an older build) counts as changed code
    code_changed = (not digest_file.exists() or digest_file.read_text(encoding="utf-8") != digest) \
        and (Path(app.doctreedir) / "environment.pickle").exists()
    if app._parkecon_full or code_changed:
        pickle = Path(app.doctreedir) / "environment.pickle"
        if pickle.exists():
            pickle.unlink()
        if app._parkecon_full:
            logger.info("[parkecon] the previous build did not finish cleanly: reading and writing every page again")
        else:
            logger.info("[parkecon] the book's build code changed: reading and writing every page again")
    app._parkecon_digest = (digest_file, digest)
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(str(os.getpid()), encoding="utf-8")
    os.replace(tmp, marker)


def _builder_inited(app) -> None:
    from . import cache, prerun

    src = Path(app.srcdir)
    app._parkecon_stale = set()
    lang = edition_lang(app.config)
    os.environ["PARKECON_LANG"] = lang  # also for a notebook that myst-nb executes itself
    # notebook outputs (images, glue data) in the edition's own build folder: myst-nb puts
    # them next to the output folder, which for the Chinese edition is inside the English site
    app.env.mystnb_config = app.env.mystnb_config.copy(output_folder=str((build_dir(app) / "jupyter_execute").resolve()))
    nb_config = app.env.mystnb_config
    if nb_config.execution_mode != "cache" or not app.config.parkecon_prerun:
        return
    env_key = cache.environment_key()
    cache_dir = Path(nb_config.execution_cache_path)
    jobs = prerun.plan(src, cache_dir, app.env.myst_config, nb_config, env_key, lang=lang,
                       log=lambda m: logger.info(f"[parkecon] {m}"))
    for job in jobs:
        logger.info(f"[parkecon] executing {job.docname}: {job.reason} (PARKECON_LANG={lang})")
    ran = prerun.execute(jobs, src, cache_dir, env_key, lang=lang, log=lambda m: logger.info(f"[parkecon] {m}"))
    if jobs:
        logger.info(f"[parkecon] executed {len(ran) - 1} notebook(s) in parallel in {ran['_wall']} s")
    # every page whose notebook executes in this build must be read again, whether or not
    # its source changed (one that failed here is executed by myst-nb while it is read)
    app._parkecon_stale = {job.docname for job in jobs}


def static_digest(app) -> str:
    """SHA-256 of the site's static files (html_static_path: stylesheets, scripts, images)."""
    import hashlib

    h = hashlib.sha256()
    for folder in getattr(app.config, "html_static_path", []) or []:
        base = Path(app.confdir) / folder
        for p in sorted(base.rglob("*")) if base.is_dir() else []:
            if p.is_file():
                h.update(str(p.relative_to(base)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def _outdated(app, env, added, changed, removed) -> list[str]:
    """Pages whose notebook executed in this build: Sphinx must read them again. And the root
    page when only a static file changed: Sphinx copies static files only when it writes a page,
    so a changed stylesheet alone would never reach the site."""
    stale = {d for d in getattr(app, "_parkecon_stale", set()) if d in env.found_docs and d not in added}
    digest_file = Path(app.doctreedir) / "parkecon-static.sha256"
    digest = static_digest(app)
    app._parkecon_static = (digest_file, digest)
    old = digest_file.read_text(encoding="utf-8") if digest_file.exists() else None
    if old != digest and not (added or changed or removed or stale) and app.config.root_doc in env.found_docs:
        logger.info("[parkecon] static files changed: writing the root page so that they are copied")
        stale.add(app.config.root_doc)
    return sorted(stale)


def cross_page_state(env) -> str:
    """SHA-256 of what one page can show of others: order (previous/next links), numbers, titles, labels."""
    import hashlib
    import json

    std = env.get_domain("std")
    state = {"order": env.toctree_includes, "figures": env.toc_fignumbers, "sections": env.toc_secnumbers,
             "titles": {d: t.astext() for d, t in env.titles.items()},
             "labels": std.labels, "anonlabels": std.anonlabels}
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _updated(app, env) -> list[str]:
    """Every page, when what pages show of each other changed since the last build."""
    state, old = cross_page_state(env), getattr(env, "parkecon_cross_page_state", None)
    env.parkecon_cross_page_state = state
    if old is not None and old != state:
        logger.info("[parkecon] numbers, titles or labels changed: writing every page again")
        return sorted(env.found_docs)
    return []


def _build_finished(app, exception) -> None:
    """Remove the in-progress marker only after a build with no exception and no warning."""
    if exception is None and not getattr(app, "_warncount", 0):
        (_state(app) / MARKER).unlink(missing_ok=True)
        for digest_file, digest in (app._parkecon_digest, getattr(app, "_parkecon_static", (None, None))):
            if digest_file is not None:
                digest_file.parent.mkdir(parents=True, exist_ok=True)
                digest_file.write_text(digest, encoding="utf-8")
    fh = getattr(app, "_parkecon_lock", None)
    if fh is not None:
        fh.close()
        app._parkecon_lock = None


def setup(app):
    # False for a build that reuses a cache another build of this run has just brought up to
    # date (the gettext build after the English one, parkecon/machinery/editions.py)
    app.add_config_value("parkecon_prerun", True, "")
    app.connect("config-inited", _config_inited, priority=900)
    app.connect("builder-inited", _builder_inited, priority=900)  # after myst-nb's own (500)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-get-updated", _updated, priority=900)  # after Sphinx numbers figures (500)
    app.connect("build-finished", _build_finished, priority=900)
    app.connect("html-page-context", _drop_thebe, priority=900)
    # The theme expects a stored colour mode and logs an error on a reader's first visit
    # without one; the book's figures are drawn for a light page, so default to light.
    app.add_js_file(None, body='if(!document.documentElement.dataset.mode){document.documentElement.dataset.mode="light";'
                               'document.documentElement.dataset.theme="light";}', priority=100)
    return {"version": "0.2", "parallel_read_safe": True, "parallel_write_safe": True}


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """The book has no live-code backend: drop the thebe scripts (one points at a CDN)."""
    def keep(asset) -> bool:
        name = str(getattr(asset, "filename", "") or asset)
        body = str(getattr(asset, "attributes", {}).get("body", ""))
        return "thebe" not in name.lower() and "THEBE" not in body
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if keep(a)]
