"""The facts explorer's script and styles, on its page only (a Sphinx extension listed in _config.yml).

The page (book/facts.md) is a table written by a cell (`parkecon.explorer`); the script in
book/_static adds its search box and filters, the styles lay it out as cards on a phone."""
from __future__ import annotations


def _assets(app, pagename, templatename, context, doctree) -> None:
    from ..explorer import PAGE

    if pagename == PAGE:
        # added during html-page-context: Sphinx adds them to this page only
        app.add_css_file("facts-explorer.css", priority=900)  # after site.css (800)
        app.add_js_file("facts-explorer.js", loading_method="defer")


def setup(app):
    app.connect("html-page-context", _assets)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
