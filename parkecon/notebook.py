"""What every notebook calls: `setup()` in a remove-cell, `glue()` for numbers in prose."""
from __future__ import annotations

import random


def setup() -> None:
    """Prepare a notebook: figure style, inline PNG (and PDF) output, pandas display, fixed seeds.

    Nothing to declare: the build records which files each notebook's kernel reads and
    executes it again when one of them changes.
    """
    from . import style

    style.apply()
    random.seed(0)
    try:
        import numpy as np

        np.random.seed(0)
    except ImportError:  # pragma: no cover
        pass
    import pandas as pd

    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.precision", 2)
    try:
        from IPython import get_ipython

        ip = get_ipython()
        if ip is not None:
            ip.run_line_magic("matplotlib", "inline")
            # PNG for the site, PDF (vector) for the print edition; no dates, so outputs are reproducible
            ip.run_line_magic("config", "InlineBackend.figure_formats = ['png', 'pdf']")
            ip.run_line_magic("config", "InlineBackend.print_figure_kwargs = {'bbox_inches': 'tight', "
                                        "'metadata': {'Software': None, 'CreationDate': None}}")
    except Exception:  # pragma: no cover - outside IPython nothing to configure
        pass


GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, value, display: bool = False):
    """Paste a value for `{glue:text}` in prose and return it unchanged.

    Same output as ``myst_nb.glue`` (a display bundle carrying the `scrapbook` metadata
    that myst-nb reads), without importing myst-nb into the kernel: that import pulls in
    nbformat and jsonschema and costs seconds per notebook. NumPy scalars are pasted as
    plain Python numbers so that format specs such as ``:.1f`` apply.
    """
    shown = value.item() if hasattr(value, "item") and getattr(value, "shape", None) == () else value
    _paste(name, shown, display)
    if not display and isinstance(shown, (int, float)) and not isinstance(shown, bool):
        for suffix, (twin, factor) in CHINESE_SCALES.items():
            if name.endswith(suffix):
                _paste(name + twin, shown * factor, False)
    return value


# Chinese prints large numbers in 亿 (10^8) and 万 (10^4), not billions and millions. A pasted
# number whose key ends in `_bn` (billions) is also pasted as `<key>__yi` (×10, in 亿), one in
# `_m` (millions) as `<key>__wan` (×100, in 万): the same value, for the Chinese text.
CHINESE_SCALES = {"_bn": ("__yi", 10), "_m": ("__wan", 100)}


def _paste(name: str, shown, display: bool) -> None:
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    bundle, metadata = format_display_data(shown)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=prefix)
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
