"""The curated data in the formats readers use: one Excel workbook and one SQLite database.

Both are written from the validated, typed tables (`parkecon.data.load`), never into
`data/`, and are byte-identical for the same data: the workbook's zip entries carry a
fixed timestamp and its document properties a fixed date, and the database is written
by the same statements in the same order, then vacuumed.

How values are stored (also said in the workbook's README sheet):

===========  ========================================  ==============================
schema type  Excel                                     SQLite
===========  ========================================  ==============================
string       text (never read as a number or formula)  TEXT
number       number                                    REAL
integer      whole number                              INTEGER
year         whole number (2021)                       INTEGER
date         date, shown as YYYY-MM-DD                 TEXT, ISO 8601 (YYYY-MM-DD)
boolean      TRUE / FALSE                              INTEGER, 1 or 0
missing      empty cell                                NULL
===========  ========================================  ==============================

`write(folder, out)` writes both; the build calls it only when the data changed
(`parkecon.machinery.datafiles`), and `python -m parkecon export OUT` does it by hand.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import sqlite3
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd

from .data import load, resources

XLSX = "parkecon-data.xlsx"
SQLITE = "parkecon-data.sqlite"
FILES = (XLSX, SQLITE)

# The workbook's "created" property: the date its zip entries carry (Excel's own epoch for
# file times, 1 January 1980). A real build date would make every build's bytes differ.
FIXED_CREATED = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)

SQL_TYPES = {"string": "TEXT", "number": "REAL", "integer": "INTEGER", "year": "INTEGER",
             "date": "TEXT", "boolean": "INTEGER"}
EXCEL_TYPES = {"string": "text", "number": "number", "integer": "whole number", "year": "whole number",
               "date": "date (shown YYYY-MM-DD)", "boolean": "TRUE/FALSE"}
STORAGE_NOTE = (
    "Numbers are stored as numbers and years as whole numbers; dates (type date) are Excel dates shown as "
    "YYYY-MM-DD, and sort and filter as dates (the CSV files and the SQLite file write them as ISO 8601 text, "
    "YYYY-MM-DD); true/false fields are Excel TRUE/FALSE; text is stored as text exactly as in the CSV files "
    "(Chinese included), never converted to a number or a formula; an empty cell is a missing value. "
    "Fields of type string that look like dates (events.date, which may give only a year or a month) stay text.")


def package(folder: Path) -> dict:
    return json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))


def tables(folder: Path) -> list[dict]:
    """The CSV resources of datapackage.json, in its order (after validating the folder)."""
    valid = resources(folder)
    return [r for r in package(folder)["resources"] if r["name"] in valid]


def _fields(resource: dict) -> list[tuple[str, str]]:
    return [(f["name"], f.get("type", "string")) for f in resource["schema"]["fields"]]


def _foreign_keys(resource: dict) -> list[tuple[list[str], str, list[str]]]:
    out = []
    for fk in resource["schema"].get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        out.append((fields, ref["resource"] or resource["name"], ref_fields))
    return out


def _primary_key(resource: dict) -> list[str]:
    pk = resource["schema"].get("primaryKey", [])
    return pk if isinstance(pk, list) else [pk]


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def cell_value(v, ftype: str):
    """A typed value of `load` as a plain Python value for SQLite (None when missing)."""
    if _missing(v):
        return None
    if ftype == "date":
        return pd.Timestamp(v).strftime("%Y-%m-%d")
    if ftype in ("integer", "year"):
        return int(v)
    if ftype == "boolean":
        return 1 if bool(v) else 0
    if ftype == "number":
        return float(v)
    return str(v)


def rows(folder: Path, resource: dict) -> list[tuple]:
    """The table's rows in CSV order, each value typed as in `cell_value`."""
    df = load(resource["name"], folder)
    fields = _fields(resource)
    cols = [df[name].tolist() for name, _ in fields]
    return [tuple(cell_value(col[i], ftype) for col, (_, ftype) in zip(cols, fields)) for i in range(len(df))]


# ------------------------------------------------------------------ SQLite

def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def create_table_sql(resource: dict, meta: dict) -> str:
    """CREATE TABLE with the schema's types, required fields, primary key and foreign keys;
    each column's description as an SQL comment (kept in the database's schema text)."""
    required = {f["name"] for f in resource["schema"]["fields"] if f.get("constraints", {}).get("required")}
    lines = [f"-- {_comment(resource.get('title', resource['name']))}: {_comment(resource.get('description', ''))}",
             f"-- From {_comment(meta.get('title', ''))}; licence {meta['licence']}."]
    cols = []
    for f in resource["schema"]["fields"]:
        name, ftype = f["name"], f.get("type", "string")
        col = f"  {_q(name)} {SQL_TYPES[ftype]}" + (" NOT NULL" if name in required else "")
        desc = _comment(f.get("description", ""))
        cols.append((col, f"{ftype}" + (f": {desc}" if desc else "")))
    keys = [f"  PRIMARY KEY ({', '.join(map(_q, _primary_key(resource)))})"]
    keys += [f"  FOREIGN KEY ({', '.join(map(_q, fields))}) REFERENCES {_q(ref)} ({', '.join(map(_q, ref_fields))})"
             for fields, ref, ref_fields in _foreign_keys(resource)]
    body = [f"{c}, -- {d}" for c, d in cols] + [k + ("," if i < len(keys) - 1 else "") for i, k in enumerate(keys)]
    return "\n".join(lines) + f"\nCREATE TABLE {_q(resource['name'])} (\n" + "\n".join(body) + "\n)"


def write_sqlite(folder: Path, path: Path, meta: dict) -> None:
    """One SQLite database: a table per CSV, with the package's keys; foreign keys checked."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.execute("PRAGMA page_size = 4096")
        con.execute("PRAGMA journal_mode = DELETE")
        for res in tables(folder):
            con.execute(create_table_sql(res, meta))
            names = [name for name, _ in _fields(res)]
            con.executemany(f"INSERT INTO {_q(res['name'])} ({', '.join(map(_q, names))}) "
                            f"VALUES ({', '.join('?' for _ in names)})", rows(folder, res))
        con.commit()
        broken = con.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise ValueError(f"{path.name}: foreign keys that point nowhere: {broken[:10]}")
        con.execute("VACUUM")
    finally:
        con.close()
    os.replace(tmp, path)


# ------------------------------------------------------------------ Excel

def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK, full-width) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown(v, ftype: str) -> str:
    if v is None:
        return ""
    if ftype == "boolean":
        return "FALSE" if not v else "TRUE"
    if ftype == "number" and float(v).is_integer():
        return str(int(v))
    return str(v)


def column_width(header: str, values: list[str], cap: int = 60) -> float:
    """A readable width: the widest of the header and the values, capped for long texts."""
    widest = max([display_width(header) + 2] + [display_width(v) for v in values])
    return float(min(max(widest + 2, 8), cap))


def write_xlsx(folder: Path, path: Path, meta: dict) -> None:
    """One workbook: a README sheet (licence, sources, tables, fields), then a sheet per table."""
    import xlsxwriter

    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    # in_memory: the zip entries get a fixed timestamp (1980-01-01) instead of temporary files' times
    wb = xlsxwriter.Workbook(str(tmp), {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": meta.get("title", ""), "subject": meta.get("description", ""),
                       "author": meta.get("author", ""), "comments": f"Licence {meta['licence']}. {meta.get('site', '')}",
                       "created": FIXED_CREATED.replace(tzinfo=None)})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bottom": 1, "bg_color": "#E8EEF4"})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    int_fmt = wb.add_format({"num_format": "0"})
    res_list = tables(folder)
    data = {res["name"]: rows(folder, res) for res in res_list}

    # README
    ws = wb.add_worksheet("README")
    r = 0
    ws.write_string(r, 0, meta.get("title", ""), title_fmt); r += 1
    ws.write_string(r, 0, meta.get("description", "")); r += 2
    for label, text in [("Licence", f"{meta['licence']} ({meta.get('licence_url', '')})"),
                        ("Attribution", meta.get("author", "")),
                        ("Book", meta.get("site", "")),
                        ("Version", meta.get("version", "")),
                        ("Files", "The same tables as the CSV files described by datapackage.json, one sheet each, "
                                  "in the same row order; the SQLite file holds them too, with primary and foreign keys."),
                        ("How values are stored", STORAGE_NOTE)]:
        ws.write_string(r, 0, label, bold)
        ws.write_string(r, 1, text)
        r += 1
    r += 1
    ws.write_string(r, 0, "Sources", title_fmt); r += 1
    src_cols = ["source_id", "issuer_en", "issuer_zh", "title_en", "title_zh", "date", "date_precision", "kind"]
    src_res = next(x for x in res_list if x["name"] == "sources")
    src_idx = [name for name, _ in _fields(src_res)]
    for c, name in enumerate(src_cols):
        ws.write_string(r, c, name, head)
    r += 1
    for row in data["sources"]:
        for c, name in enumerate(src_cols):
            v = row[src_idx.index(name)]
            ws.write_string(r, c, "" if v is None else str(v))
        r += 1
    r += 1
    ws.write_string(r, 0, "Tables", title_fmt); r += 1
    for c, name in enumerate(["sheet", "rows", "title", "description", "primary key"]):
        ws.write_string(r, c, name, head)
    r += 1
    for res in res_list:
        ws.write_string(r, 0, res["name"])
        ws.write_number(r, 1, len(data[res["name"]]))
        ws.write_string(r, 2, res.get("title", ""))
        ws.write_string(r, 3, res.get("description", ""))
        ws.write_string(r, 4, ", ".join(_primary_key(res)))
        r += 1
    r += 1
    ws.write_string(r, 0, "Fields", title_fmt); r += 1
    for c, name in enumerate(["sheet", "field", "type", "stored in Excel as", "required", "refers to", "description"]):
        ws.write_string(r, c, name, head)
    r += 1
    for res in res_list:
        refs = {f: f"{ref}.{rf}" for fields, ref, ref_fields in _foreign_keys(res) for f, rf in zip(fields, ref_fields)}
        for f in res["schema"]["fields"]:
            ftype = f.get("type", "string")
            ws.write_string(r, 0, res["name"])
            ws.write_string(r, 1, f["name"])
            ws.write_string(r, 2, ftype)
            ws.write_string(r, 3, EXCEL_TYPES[ftype])
            ws.write_string(r, 4, "yes" if f.get("constraints", {}).get("required") else "")
            ws.write_string(r, 5, refs.get(f["name"], ""))
            ws.write_string(r, 6, f.get("description", ""), wrap)
            r += 1
    for c, w in enumerate([22, 16, 14, 24, 30, 28, 80]):
        ws.set_column(c, c, w)

    # one sheet per table
    for res in res_list:
        ws = wb.add_worksheet(res["name"])
        fields = _fields(res)
        for c, (name, _) in enumerate(fields):
            ws.write_string(0, c, name, head)
        for i, row in enumerate(data[res["name"]], start=1):
            for c, ((_, ftype), v) in enumerate(zip(fields, row)):
                if v is None:
                    continue
                if ftype == "string":
                    ws.write_string(i, c, v)
                elif ftype == "date":
                    ws.write_datetime(i, c, dt.datetime.strptime(v, "%Y-%m-%d"), date_fmt)
                elif ftype == "boolean":
                    ws.write_boolean(i, c, bool(v))
                elif ftype in ("integer", "year") or float(v).is_integer():
                    # "0": 135875000000 shown in full, not as 1.35875E+11 (General's way past 11 digits)
                    ws.write_number(i, c, v, int_fmt)
                else:
                    ws.write_number(i, c, v)
        for c, (name, ftype) in enumerate(fields):
            ws.set_column(c, c, column_width(name, [_shown(row[c], ftype) for row in data[res["name"]]]))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(data[res["name"]]), len(fields) - 1)
    wb.close()
    os.replace(tmp, path)


# ------------------------------------------------------------------ both

def metadata(folder: Path, version: str = "", site: str = "", author: str = "") -> dict:
    pkg = package(folder)
    lic = (pkg.get("licenses") or [{}])[0]
    return {"title": pkg.get("title", ""), "description": pkg.get("description", ""),
            "licence": lic.get("name", ""), "licence_url": lic.get("path", ""),
            "author": author,
            "version": version, "site": site}


def write(folder: Path, out: Path, version: str = "", site: str = "", author: str = "") -> list[Path]:
    """Write the workbook and the database into `out`; return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    meta = metadata(folder, version, site, author)
    write_xlsx(Path(folder), out / XLSX, meta)
    write_sqlite(Path(folder), out / SQLITE, meta)
    return [out / XLSX, out / SQLITE]


def write_to_temp(folder: Path, **kw) -> list[Path]:
    """Write both into a new temporary folder (for tests and comparisons)."""
    return write(folder, Path(tempfile.mkdtemp(prefix="parkecon-export-")), **kw)
