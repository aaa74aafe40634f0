"""Figure text computed with the figure: alt text glued in the plotting cell, set on the page.

A figure's alt text describes what the figure shows, numbers included, so it must come from
the same numbers as the drawing. The plotting cell builds the sentence from its data and calls
``pe.alt_text("fig-name", text)``; that glues it under the key ``fig-name-alt``. Cell metadata
cannot hold computed text, so a Sphinx post-transform (this module is listed in _config.yml)
puts the glued text on the figure's image when the page is written. A chapter figure without
glued alt text is a build warning, hence a failure of the strict build.

Captions are cell metadata too; their numbers are pasted with ``{glue:text}`` roles, which
myst-nb resolves inside captions.
"""
from __future__ import annotations

import ast

ALT_SUFFIX = "-alt"
#: Pages whose figures must carry glued alt text.
CHAPTER_PREFIX = "notebooks/"
#: A chapter figure without computed alt text fails the strict build (a warning).
STRICT_ALT = True


def alt_text(figure_name: str, text: str) -> str:
    """Glue `text` as the alt text of the figure named `figure_name` (``fig-…``); returns it."""
    from .notebook import glue

    if not figure_name.startswith("fig-"):
        raise ValueError(f"alt_text: {figure_name!r} is not a figure name (fig-…)")
    text = " ".join(str(text).split())
    if len(text) < 40:
        raise ValueError(f"alt_text: alt text of {figure_name} is too short to describe a figure: {text!r}")
    glue(figure_name + ALT_SUFFIX, text)
    return text


def _plain(output: dict) -> str:
    raw = output.get("data", {}).get("text/plain", "")
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw
    return value if isinstance(value, str) else raw


def _setup_transform(app):
    from docutils import nodes
    from sphinx.transforms.post_transforms import SphinxPostTransform
    from sphinx.util import logging

    logger = logging.getLogger(__name__)

    class GluedAltText(SphinxPostTransform):
        """Set each chapter figure's image alt text from the glue key ``<figure name>-alt``."""

        default_priority = 6

        def apply(self, **kwargs) -> None:
            if not self.env.docname.startswith(CHAPTER_PREFIX):
                return
            from myst_nb.ext.glue.crossref import read_glue_cache

            data = read_glue_cache(self.env.mystnb_config.output_folder, self.env.docname)
            for fig in list(self.document.findall(nodes.figure)):
                names = [n for n in fig["names"] if n.startswith("fig-")]
                images = list(fig.findall(nodes.image))
                if not names or not images:
                    continue
                key = names[0] + ALT_SUFFIX
                if key not in data:
                    if STRICT_ALT:
                        logger.warning(f"figure {names[0]!r} has no computed alt text: call "
                                       f"pe.alt_text({names[0]!r}, ...) in its cell", location=fig)
                    continue
                for img in images:
                    img["alt"] = _plain(data[key])

    app.add_post_transform(GluedAltText)


def setup(app):
    _setup_transform(app)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
