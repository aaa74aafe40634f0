"""The Excel workbook and the SQLite database: read back and compared with the CSV files.

The workbook is read with the standard library (zip + XML), not with the library that
wrote it, so a writer's mistake cannot hide behind its own reader."""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from parkecon import exports
from parkecon.machinery import datafiles

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
META = {"version": "0.1.0", "site": "https://example.org/book/", "author": "Test authors"}


def package() -> dict:
    return json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def csv_tables() -> list[dict]:
    return [r for r in package()["resources"] if r["path"].endswith(".csv")]


def csv_rows(res: dict, folder: Path = DATA) -> tuple[list[str], list[list[str]]]:
    with (folder / res["path"]).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("exports")
    xlsx, db = exports.write(DATA, out, **META)
    return {"xlsx": xlsx, "sqlite": db}


# ------------------------------------------------------------------ a small XLSX reader

DATE_FORMATS = re.compile(r"[dmy]", re.I)


def read_xlsx(path: Path) -> dict:
    """{sheet name: {"cells": {(row, col): (kind, value)}, "xml": root}}, rows and columns from 0.

    kind is "s" (text), "n" (number), "d" (a number with a date format, value a date) or "b"."""
    with zipfile.ZipFile(path) as z:
        shared = [("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
                  for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]
        styles = ET.fromstring(z.read("xl/styles.xml"))
        fmts = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{{{NS['m']}}}numFmt")}
        xfs = [int(x.get("numFmtId", 0)) for x in styles.find("m:cellXfs", NS).findall("m:xf", NS)]
        date_styles = {i for i, n in enumerate(xfs) if 14 <= n <= 22 or (n in fmts and DATE_FORMATS.search(fmts[n])
                                                                          and not re.fullmatch(r"[0#.,]+", fmts[n]))}
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
        out = {}
        for sheet in wb.find("m:sheets", NS):
            root = ET.fromstring(z.read("xl/" + rels[sheet.get(f"{{{NS['r']}}}id")]))
            cells = {}
            for c in root.iter(f"{{{NS['m']}}}c"):
                m = re.fullmatch(r"([A-Z]+)([0-9]+)", c.get("r"))
                col = 0
                for ch in m.group(1):
                    col = col * 26 + ord(ch) - 64
                key = (int(m.group(2)) - 1, col - 1)
                t, v = c.get("t", "n"), c.find("m:v", NS)
                if t == "s":
                    cells[key] = ("s", shared[int(v.text)])
                elif t == "inlineStr":
                    cells[key] = ("s", "".join(x.text or "" for x in c.iter(f"{{{NS['m']}}}t")))
                elif t == "b":
                    cells[key] = ("b", v.text == "1")
                elif t == "n" and v is not None:
                    num = float(v.text)
                    if int(c.get("s", 0)) in date_styles:
                        cells[key] = ("d", (dt.datetime(1899, 12, 30) + dt.timedelta(days=num)).date())
                    else:
                        cells[key] = ("n", num)
                else:
                    cells[key] = (t, v.text if v is not None else None)
            out[sheet.get("name")] = {"cells": cells, "xml": root}
    return out


def expected_cell(text: str, ftype: str):
    """What a CSV cell must become in the workbook: (kind, value), or None for an empty cell."""
    if text == "":
        return None
    if ftype == "string":
        return ("s", text)
    if ftype == "date":
        return ("d", dt.date.fromisoformat(text))
    if ftype == "boolean":
        return ("b", text == "true")
    return ("n", float(text))


# ------------------------------------------------------------------ the workbook

def test_workbook_has_a_readme_sheet_then_a_sheet_per_table(written):
    book = read_xlsx(written["xlsx"])
    assert list(book) == ["README"] + [r["name"] for r in csv_tables()]


def test_every_sheet_equals_its_csv_with_types_and_chinese_text(written):
    book = read_xlsx(written["xlsx"])
    n_zh = 0
    for res in csv_tables():
        header, rows = csv_rows(res)
        types = {f["name"]: f.get("type", "string") for f in res["schema"]["fields"]}
        cells = book[res["name"]]["cells"]
        assert [cells[(0, c)] for c in range(len(header))] == [("s", h) for h in header]
        assert max(r for r, _ in cells) == len(rows), f"{res['name']}: row count differs from the CSV"
        for i, row in enumerate(rows, start=1):
            for c, (name, text) in enumerate(zip(header, row)):
                want, got = expected_cell(text, types[name]), cells.get((i, c))
                assert got == want, f"{res['name']} row {i + 1} {name}: CSV {text!r}, workbook {got!r}"
                n_zh += bool(want and want[0] == "s" and re.search(r"[\u4e00-\u9fff]", want[1]))
    assert n_zh > 1000, "the comparison saw too little Chinese text to mean anything"


def test_numbers_are_numbers_and_dates_are_dates(written):
    book = read_xlsx(written["xlsx"])
    facts = book["facts"]["cells"]
    header = [facts[(0, c)][1] for c in range(20)]
    kinds = lambda name: {facts[(r, header.index(name))][0] for r in range(1, 271) if (r, header.index(name)) in facts}
    assert kinds("value") == {"n"} and kinds("base_period") == {"n"}
    assert kinds("period_end") == {"d"} and kinds("value_text") == {"s"} and kinds("locator") == {"s"}
    sources = book["sources"]["cells"]
    col = [sources[(0, c)][1] for c in range(14)].index("official")
    assert {sources[(r, col)][0] for r in range(1, 7)} == {"b"}


def test_sheets_have_frozen_headers_filters_and_readable_widths(written):
    book = read_xlsx(written["xlsx"])
    for res in csv_tables():
        root = book[res["name"]]["xml"]
        pane = root.find(".//m:pane", NS)
        assert pane is not None and pane.get("ySplit") == "1" and pane.get("state") == "frozen", res["name"]
        assert root.find("m:autoFilter", NS) is not None, res["name"]
        widths = [float(c.get("width")) for c in root.find("m:cols", NS)]
        assert widths and all(8 <= w <= 61 for w in widths), (res["name"], widths)
    # a column of long Chinese quotes is wider than one of short identifiers
    facts = book["facts"]["xml"]
    by_col = {int(c.get("min")): float(c.get("width")) for c in facts.find("m:cols", NS)}
    assert max(w for m, w in by_col.items() if m <= 18) > by_col[1]


def test_readme_sheet_gives_licence_sources_and_every_field(written):
    cells = read_xlsx(written["xlsx"])["README"]["cells"]
    text = "\n".join(str(v) for _, v in cells.values())
    lic = package()["licenses"][0]
    assert lic["name"] in text and lic["path"] in text
    with (DATA / "sources.csv").open(encoding="utf-8", newline="") as fh:
        for s in csv.DictReader(fh):
            assert s["source_id"] in text and s["title_zh"] in text and s["issuer_zh"] in text
    rows = {}
    for (r, c), (_, v) in cells.items():
        rows.setdefault(r, {})[c] = v
    described = {(row.get(0), row.get(1)): row.get(6, "") for row in rows.values()}
    for res in csv_tables():
        for f in res["schema"]["fields"]:
            assert (res["name"], f["name"]) in described, f"README lacks {res['name']}.{f['name']}"
            assert (described[(res["name"], f["name"])] or "") == f.get("description", "")
    assert "YYYY-MM-DD" in text, "the README does not say how dates are stored"
    # a source's date is given with its precision (s003 is dated to the year only)
    assert any(v == "date_precision" for _, v in cells.values())


# ------------------------------------------------------------------ the database

def test_database_has_the_tables_keys_and_foreign_keys_of_the_package(written):
    con = sqlite3.connect(written["sqlite"])
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {r["name"] for r in csv_tables()}
    for res in csv_tables():
        info = {r[1]: r for r in con.execute(f'PRAGMA table_info("{res["name"]}")')}
        assert list(info) == [f["name"] for f in res["schema"]["fields"]]
        pk = res["schema"]["primaryKey"]
        pk = pk if isinstance(pk, list) else [pk]
        assert [n for n, r in sorted(info.items(), key=lambda kv: kv[1][5]) if r[5]] == pk
        for f in res["schema"]["fields"]:
            assert info[f["name"]][2] == exports.SQL_TYPES[f.get("type", "string")]
            assert bool(info[f["name"]][3]) == bool(f.get("constraints", {}).get("required")), f["name"]
        declared = set()
        for fk in res["schema"].get("foreignKeys", []):
            declared.add((fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"]))
        found = {(r[3], r[2], r[4]) for r in con.execute(f'PRAGMA foreign_key_list("{res["name"]}")')}
        assert found == declared, res["name"]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_every_table_equals_its_csv_with_types_and_chinese_text(written):
    con = sqlite3.connect(written["sqlite"])
    want_type = {"string": "text", "number": "real", "integer": "integer", "year": "integer",
                 "date": "text", "boolean": "integer"}
    for res in csv_tables():
        header, rows = csv_rows(res)
        types = {f["name"]: f.get("type", "string") for f in res["schema"]["fields"]}
        cols = ", ".join(f'"{h}", typeof("{h}")' for h in header)
        got = con.execute(f'SELECT {cols} FROM "{res["name"]}" ORDER BY rowid').fetchall()
        assert len(got) == len(rows), res["name"]
        for i, (row, db) in enumerate(zip(rows, got), start=2):
            for c, (name, text) in enumerate(zip(header, row)):
                value, kind = db[2 * c], db[2 * c + 1]
                where = f"{res['name']} line {i} {name}: CSV {text!r}, SQLite {value!r} ({kind})"
                if text == "":
                    assert value is None, where
                    continue
                assert kind == want_type[types[name]], where
                t = types[name]
                if t == "number":
                    assert value == float(text), where
                elif t in ("integer", "year"):
                    assert value == int(text), where
                elif t == "boolean":
                    assert value == (1 if text == "true" else 0), where
                else:
                    assert value == text, where
    # a join across a foreign key gives the Chinese names
    name = con.execute("SELECT e.name_zh FROM facts f JOIN entities e USING (entity_id) "
                       "WHERE f.fact_id = 'f000-001'").fetchone()[0]
    assert re.search(r"[\u4e00-\u9fff]", name)


# ------------------------------------------------------------------ reproducible, and only when needed

WRITE = ("import sys; from pathlib import Path; from parkecon import exports; "
         "exports.write(Path(sys.argv[1]), Path(sys.argv[2]), version='0.1.0', site='s', author='a')")


def test_two_writes_in_two_processes_are_byte_identical(tmp_path):
    outs = []
    for i, tz in enumerate(["UTC", "Asia/Shanghai"]):
        out = tmp_path / f"run{i}"
        subprocess.run([sys.executable, "-c", WRITE, str(DATA), str(out)], check=True, env={**os.environ, "TZ": tz})
        outs.append(out)
    for name in exports.FILES:
        a, b = (outs[0] / name).read_bytes(), (outs[1] / name).read_bytes()
        assert a == b, f"{name} differs between two writes"
    with zipfile.ZipFile(outs[0] / exports.XLSX) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
        assert "1980-01-01T00:00:00Z" in core and dt.date.today().isoformat() not in core


def test_files_are_written_only_when_the_data_change(tmp_path):
    src = tmp_path / "book"
    shutil.copytree(DATA, src / "data")
    site, state = tmp_path / "html", tmp_path / "state.json"
    assert datafiles.update(src, site, state, "0.1.0", "s", "a") is True
    files = [site / datafiles.SITE_DIR / n for n in exports.FILES]
    stamps = [p.stat().st_mtime_ns for p in files]
    assert datafiles.update(src, site, state, "0.1.0", "s", "a") is False
    assert [p.stat().st_mtime_ns for p in files] == stamps, "a no-change update rewrote the files"
    # a changed note in facts.csv (still valid data) reaches both files
    path = src / "data" / "facts.csv"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[1]
    assert first.endswith(",")
    path.write_text(text.replace(first, first + "edited note 更正", 1), encoding="utf-8")
    assert datafiles.update(src, site, state, "0.1.0", "s", "a") is True
    con = sqlite3.connect(files[1])
    assert con.execute("SELECT note FROM facts WHERE fact_id = 'f000-001'").fetchone() == ("edited note 更正",)
    con.close()
    # a file removed from the site is written again
    files[0].unlink()
    assert datafiles.update(src, site, state, "0.1.0", "s", "a") is True and files[0].is_file()


# ------------------------------------------------------------------ in the site

@pytest.mark.build
def test_site_offers_both_files_and_the_data_pages_link_them(built_book, tmp_path):
    for name in exports.FILES:
        assert (built_book / "data" / name).is_file()
    fresh = exports.write(DATA, tmp_path, version=datafiles_version(), site=site_url(), author=book_author())
    for p in fresh:
        assert (built_book / "data" / p.name).read_bytes() == p.read_bytes(), f"the site's {p.name} is stale"
    for page in ["book/sources.html", "book/data-dictionary.html", "book/intro.html"]:
        html = (built_book / page).read_text(encoding="utf-8")
        for name in exports.FILES:
            href = re.search(rf'href="([^"]*{re.escape(name)})"', html)
            assert href, f"{page} does not link {name}"
            assert (built_book / Path(page).parent / href.group(1)).resolve() == (built_book / "data" / name).resolve()


def datafiles_version() -> str:
    from parkecon.machinery.site import book_version

    return book_version(ROOT)


def site_url() -> str:
    from parkecon.machinery.learner import site_url as url

    return url(ROOT)


def book_author() -> str:
    import yaml

    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["author"]
