"""What every notebook calls: `setup()` in a remove-cell, `glue()` for numbers in prose."""
from __future__ import annotations

import random

from . import trace


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


def glue(name: str, value, display: bool = False, *, how: str | None = None, facts=None,
         counts: str | None = None):
    """Paste a value for `{glue:text}` in prose, with where it comes from, and return it.

    Same output as ``myst_nb.glue`` (a display bundle carrying the `scrapbook` metadata
    that myst-nb reads), without importing myst-nb into the kernel: that import pulls in
    nbformat and jsonschema and costs seconds per notebook. NumPy scalars are pasted as
    plain Python numbers so that format specs such as ``:.1f`` apply.

    The derivation travels in the output's metadata (key "parkecon"), where the build reads
    it to put a card on the number: the facts the value is computed from and the computation
    in words, found automatically when the value was computed from `pe.value`/`pe.fact`
    (see parkecon/trace.py). `how` describes the computation in words where that is clearer
    (or where the value did not pass through them), `facts` names fact ids it read, and
    `counts` says what a count of rows counts ("partnerships in data/partnerships.csv").
    """
    shown = value.item() if hasattr(value, "item") and getattr(value, "shape", None) == () else value
    derivation = _derivation(value, how, facts, counts)
    _paste(name, shown, display, derivation)
    if not display and isinstance(shown, (int, float)) and not isinstance(shown, bool):
        for suffix, (twin, factor) in CHINESE_SCALES.items():
            if name.endswith(suffix):
                _paste(name + twin, float(shown) * factor, False, derivation)
    if isinstance(shown, float) and not isinstance(shown, bool):
        t = trace.traced(value)
        return (t if isinstance(t, trace.Num) else trace.Num(float(shown))).named(name)
    return value


def _derivation(value, how, facts, counts) -> dict | None:
    """{"facts", "keys", "expr", "how", "counts"} for a pasted value, or None if nothing is known.

    What the author states (how, facts, counts) about a plain number is not mixed with a guess:
    a plain number is matched to remembered values only where nothing is stated."""
    stated = bool(how or facts or counts)
    t = trace.traced(value) if not stated or isinstance(value, (trace.Num, trace.Text)) else None
    num = t.of if isinstance(t, trace.Text) else t
    if isinstance(t, trace.Text) and t.how and not how:
        how = t.how
    out: dict = {}
    ids = list(facts or [])
    if isinstance(num, trace.Num):
        expr = num.expr
        if expr[0] == "glue" and getattr(num, "source", None) is not None:
            expr = ("glue", expr[1])
        f_ids, keys = trace.inputs(expr)
        ids = list(dict.fromkeys(ids + f_ids + list(num.facts)))
        if keys:
            out["keys"] = keys
        if expr[0] != "const":
            out["expr"] = trace.describe(expr, _labeller(trace.inputs(expr)[0]))
    if ids:
        out["facts"] = ids
    if how:
        out["how"] = how
    if counts:
        out["counts"] = counts
    return out or None


def _fact_label(fact_id: str, with_entity: bool = False) -> str:
    """A fact named in a computation: its indicator and year ("Industrial value added 2021"),
    and its entity too where two facts of the computation would otherwise read alike."""
    from .i18n import is_zh
    from .provenance import fact

    r = fact(fact_id)
    year = "" if r.get("period_basis") == "unknown" else r["period_end"].year
    if is_zh():
        label = f"{year}年{r['indicator_zh']}" if year else str(r["indicator_zh"])
        return f"{r['entity_zh']}{label}" if with_entity else label
    label = f"{r['indicator_en']} {year}".strip()
    return f"{label}, {r['entity_en']}" if with_entity else label


def _labeller(fact_ids):
    plain = {fid: _fact_label(fid) for fid in fact_ids}
    alike = {fid for fid in fact_ids if list(plain.values()).count(plain[fid]) > 1}
    return lambda fid: _fact_label(fid, with_entity=fid in alike)


# Chinese prints large numbers in 亿 (10^8) and 万 (10^4), not billions and millions. A pasted
# number whose key ends in `_bn` (billions) is also pasted as `<key>__yi` (×10, in 亿), one in
# `_m` (millions) as `<key>__wan` (×100, in 万): the same value, for the Chinese text.
CHINESE_SCALES = {"_bn": ("__yi", 10), "_m": ("__wan", 100)}


def _paste(name: str, shown, display: bool, derivation: dict | None = None) -> None:
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    if isinstance(shown, trace.Num):
        shown = float(shown)
    elif isinstance(shown, trace.Text):
        shown = str(shown)
    bundle, metadata = format_display_data(shown)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=prefix)
    if derivation:
        metadata["parkecon"] = derivation
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
