"""Helpers for the Northern Guangdong park-economy book.

Notebooks start with::

    import parkecon as pe
    pe.setup()

and then read data only through `pe.load`, `pe.facts`, `pe.value`, paste numbers with
`pe.glue`, and show `pe.provenance([...])` under each figure.
"""
from .data import DataValidationError, Problem, fingerprint, load, validate
from .notebook import glue, setup
from .figtext import alt_text
from .i18n import N_, is_zh, join, lang, money, money_scale, money_unit, name, name_column, name_columns, tr, tr_data
from .paths import data_dir, repo_root
from .provenance import date_label, fact, facts, provenance, rows_provenance, sources_table, value
from . import calc, geo, sectors, style
from .calc import bn, cagr, compound, implied_previous

__all__ = [
    "DataValidationError", "Problem", "fingerprint", "load", "validate", "glue", "setup", "alt_text", "lang", "is_zh", "tr", "tr_data", "N_", "name", "name_column", "name_columns", "money", "money_scale", "money_unit", "join",
    "data_dir", "repo_root", "date_label", "fact", "facts", "provenance", "rows_provenance", "sources_table", "value", "style", "calc", "geo", "sectors", "bn", "cagr", "compound", "implied_previous",
]
