"""What every notebook calls: `setup()` in a remove-cell, `glue()` for numbers in prose."""
from __future__ import annotations

import random

_declared: set[str] | None = None


def setup(uses: list[str] | tuple[str, ...]) -> None:
    """Prepare a notebook: figure style, inline PNG output, pandas display, fixed seeds.

    `uses` names the data tables the notebook reads. It is enforced (loading any other
    table raises) and read by the build, which re-executes a notebook when one of its
    tables changes.
    """
    global _declared
    from . import style

    _declared = set(uses)
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
            ip.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
            ip.run_line_magic("config", "InlineBackend.print_figure_kwargs = {'bbox_inches': 'tight', 'metadata': {'Software': None}}")
    except Exception:  # pragma: no cover - outside IPython nothing to configure
        pass


def _note_table(name: str) -> None:
    if _declared is not None and name not in _declared:
        raise RuntimeError(
            f"this notebook reads table {name!r} but its setup(uses=...) does not list it; "
            "add it so that a change to that table re-executes the notebook"
        )


def glue(name: str, value, display: bool = False):
    """Paste a value for `{glue:text}` in prose and return it unchanged."""
    from myst_nb import glue as _glue

    _glue(name, value, display=display)
    return value
