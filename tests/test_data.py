"""The curated data: valid as shipped, and every kind of bad input reported clearly."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import unicodedata
import re
from pathlib import Path

import pandas as pd
import pytest

import parkecon as pe
from parkecon.data import parse_number_text
from conftest import ROOT

DATA = ROOT / "data"


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_validate(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parkecon", "validate", str(folder)],
                          capture_output=True, text=True, cwd=ROOT)


def test_shipped_data_is_valid():
    problems = pe.validate(DATA)
    assert problems == [], "\n".join(map(str, problems[:50]))


def test_cli_summary_on_valid_data():
    proc = run_validate(DATA)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = proc.stdout.strip()
    assert "\n" not in line and line.startswith("valid:")
    n_facts = len(pe.load("facts"))
    assert f"{n_facts} facts" in line
    for sid in ["s000", "s001", "s002", "s003", "s004"]:
        assert re.search(rf"{sid}=\d+", line)


def test_frictionless_validates_the_package():
    frictionless = Path(sys.executable).parent / "frictionless"
    proc = subprocess.run([str(frictionless), "validate", str(DATA / "datapackage.json")],
                          capture_output=True, text=True, cwd=DATA)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_every_csv_is_described():
    import json
    pkg = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in pkg["resources"]}
    on_disk = {str(p.relative_to(DATA)) for p in DATA.rglob("*.csv")}
    assert on_disk == described


def test_load_is_typed_and_cached():
    f = pe.load("facts")
    assert str(f["value"].dtype) == "float64"
    assert str(f["period_end"].dtype).startswith("datetime64")
    assert f["fact_id"].is_unique
    f.loc[0, "value"] = -1  # a copy: the cached table is untouched
    assert pe.load("facts").loc[0, "value"] != -1


def test_facts_cover_every_source_and_status():
    f = pe.load("facts")
    assert set(f["source_id"]) == {"s000", "s001", "s002", "s003", "s004"}
    assert {"actual", "target"} <= set(f["status"])
    assert len(f) >= 250


@pytest.mark.parametrize("text, value", [("1358.75", 1358.75), ("１２", 12), ("千", 1000), ("三", 3),
                                         ("两", 2), ("十", 10), ("二十五", 25), ("五百", 500), ("1,000", 1000)])
def test_parse_number_text(text, value):
    assert parse_number_text(text) == value


# ------------------------------------------------------------------ corrupted copies

def rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        r = list(csv.reader(fh))
    return r[0], r[1:]


def write(path: Path, header, body):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)


def set_cell(folder: Path, table: str, row: int, column: str, value: str) -> int:
    """Change one cell (row counted from 0 after the header); return its CSV line number."""
    header, body = rows(folder / table)
    body[row][header.index(column)] = value
    write(folder / table, header, body)
    return row + 2


def first_row(folder: Path, table: str, **match) -> int:
    header, body = rows(folder / table)
    for i, r in enumerate(body):
        if all(r[header.index(k)] == v for k, v in match.items()):
            return i
    raise LookupError(match)


def growth_row(folder):
    header, body = rows(folder / "facts.csv")
    return next(i for i, r in enumerate(body) if r[header.index("base_period")])


def c_nonnumeric(d):
    return "facts.csv", set_cell(d, "facts.csv", 3, "value", "lots"), "value", "type"


def c_unknown_source(d):
    return "facts.csv", set_cell(d, "facts.csv", 5, "source_id", "s003x"), "source_id", "pattern"


def c_unknown_source_fk(d):
    """A source id of the right shape that sources.csv does not define."""
    header, body = rows(d / "sources.csv")
    write(d / "sources.csv", header, [r for r in body if r[0] != "s004"])
    return "facts.csv", _first_line_of(d, "facts.csv", "source_id", "s004"), "source_id", "foreign-key"


def _first_line_of(d, table, column, value):
    return first_row(d, table, **{column: value}) + 2


def c_unknown_unit(d):
    return "facts.csv", set_cell(d, "facts.csv", 7, "unit_reported", "亿美元"), "unit_reported", "foreign-key"


def c_duplicate_id(d):
    header, body = rows(d / "facts.csv")
    body[10][0] = body[9][0]
    write(d / "facts.csv", header, body)
    return "facts.csv", 12, "fact_id", "unique"


def c_missing_column(d):
    header, body = rows(d / "facts.csv")
    k = header.index("locator")
    write(d / "facts.csv", header[:k] + header[k + 1:], [r[:k] + r[k + 1:] for r in body])
    return "facts.csv", 1, "locator", "missing-column"


def c_empty_quote(d):
    return "facts.csv", set_cell(d, "facts.csv", 12, "quote", ""), "quote", "required"


def c_quote_without_number(d):
    return "facts.csv", set_cell(d, "facts.csv", 14, "quote", "这句话里没有那个数字。"), "quote", "quote-contains-number"


def c_period_order(d):
    i = 15
    header, body = rows(d / "facts.csv")
    start = body[i][header.index("period_start")]
    year = int(start[:4]) - 1
    return "facts.csv", set_cell(d, "facts.csv", i, "period_end", f"{year}-06-30"), "period_end", "period-order"


def c_growth_without_base(d):
    i = growth_row(d)
    return "facts.csv", set_cell(d, "facts.csv", i, "base_period", ""), "base_period", "growth-needs-base-period"


def c_wrong_encoding(d):
    text = (d / "entities.csv").read_text(encoding="utf-8")
    (d / "entities.csv").write_bytes(text.encode("gb18030"))
    first_cjk_line = next(n for n, l in enumerate(text.splitlines(), 1) if any(ord(c) > 127 for c in l))
    return "entities.csv", first_cjk_line, "-", "encoding"


def c_too_many_fields(d):
    lines = (d / "events.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + ",extra\n"
    (d / "events.csv").write_text("".join(lines), encoding="utf-8")
    return "events.csv", 4, "-", "row-length"


def c_dangling_parent(d):
    i = first_row(d, "entities.csv", entity_id="wujiang")
    return "entities.csv", set_cell(d, "entities.csv", i, "parent_id", "no_such_city"), "parent_id", "foreign-key"


def c_value_mismatch(d):
    header, body = rows(d / "facts.csv")
    i = next(k for k, r in enumerate(body) if r[header.index("unit_reported")] == "亿元")
    v = float(body[i][header.index("value")])
    return "facts.csv", set_cell(d, "facts.csv", i, "value", repr(v * 10)), "value", "value-equals-reported-times-multiplier"


def c_bad_enum(d):
    return "facts.csv", set_cell(d, "facts.csv", 20, "status", "hoped"), "status", "enum"


FULL_WIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def money_row(d) -> int:
    """A fact in 亿元 whose value has at least four digits before the point."""
    header, body = rows(d / "facts.csv")
    return next(k for k, r in enumerate(body) if r[header.index("unit_reported")] == "亿元"
                and float(r[header.index("value")]) >= 1000)


def c_full_width_digits(d):
    """１３５８.７５: Python's float() reads it, pandas does not."""
    i = money_row(d)
    header, body = rows(d / "facts.csv")
    reported = body[i][header.index("value_reported")]
    return "facts.csv", set_cell(d, "facts.csv", i, "value_reported", reported.translate(FULL_WIDTH)), \
        "value_reported", "full-width-digit"


def c_other_unicode_digits(d):
    i = money_row(d)
    header, body = rows(d / "facts.csv")
    value = body[i][header.index("value")]
    return "facts.csv", set_cell(d, "facts.csv", i, "value", value.translate(ARABIC_INDIC)), "value", "non-ascii-digit"


def c_underscore_in_number(d):
    """1_358.75: a digit separator Python accepts and pandas does not."""
    i = money_row(d)
    header, body = rows(d / "facts.csv")
    value = body[i][header.index("value")]
    return "facts.csv", set_cell(d, "facts.csv", i, "value", value[:1] + "_" + value[1:]), "value", "underscore-in-number"


def c_full_width_identifier(d):
    header, body = rows(d / "facts.csv")
    return "facts.csv", set_cell(d, "facts.csv", 30, "fact_id", body[30][0].translate(FULL_WIDTH)), \
        "fact_id", "full-width-digit"


def c_full_width_letter_in_identifier(d):
    header, body = rows(d / "facts.csv")
    return "facts.csv", set_cell(d, "facts.csv", 31, "fact_id", "ｆ" + body[31][0][1:]), "fact_id", "non-ascii-character"


def c_full_width_date(d):
    header, body = rows(d / "facts.csv")
    end = body[40][header.index("period_end")]
    return "facts.csv", set_cell(d, "facts.csv", 40, "period_end", end[:4].translate(FULL_WIDTH) + end[4:]), \
        "period_end", "full-width-digit"


def c_full_width_year(d):
    i = growth_row(d)
    header, body = rows(d / "facts.csv")
    base = body[i][header.index("base_period")]
    return "facts.csv", set_cell(d, "facts.csv", i, "base_period", base.translate(FULL_WIDTH)), \
        "base_period", "full-width-digit"


def c_full_width_event_date(d):
    header, body = rows(d / "events.csv")
    date = body[5][header.index("date")]
    return "events.csv", set_cell(d, "events.csv", 5, "date", date.translate(FULL_WIDTH)), "date", "full-width-digit"


def c_impossible_date(d):
    return "facts.csv", set_cell(d, "facts.csv", 42, "period_end", "2021-02-30"), "period_end", "calendar-date"


def c_date_out_of_range(d):
    """A real date that pandas cannot hold (it reaches back to 1677 only)."""
    return "facts.csv", set_cell(d, "facts.csv", 43, "period_start", "1500-01-01"), "period_start", "date-range"


def c_number_with_spaces(d):
    header, body = rows(d / "facts.csv")
    return "facts.csv", set_cell(d, "facts.csv", 44, "value", " " + body[44][header.index("value")]), "value", "type"


def c_header_only(d):
    header, _ = rows(d / "facts.csv")
    write(d / "facts.csv", header, [])
    return "facts.csv", 2, "-", "empty-table"


def c_quote_inside_field(d):
    """A stray quote after a quoted field: readers disagree on what it means."""
    lines = (d / "units.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = '"' + lines[3].split(",", 1)[0] + '"x,' + lines[3].split(",", 1)[1]
    (d / "units.csv").write_text("".join(lines), encoding="utf-8")
    return "units.csv", 4, "-", "csv-syntax"


CORRUPTIONS = {f.__name__[2:]: f for f in [
    c_nonnumeric, c_unknown_source, c_unknown_source_fk, c_unknown_unit, c_duplicate_id, c_missing_column,
    c_empty_quote, c_quote_without_number, c_period_order, c_growth_without_base, c_wrong_encoding,
    c_too_many_fields, c_dangling_parent, c_value_mismatch, c_bad_enum,
    c_full_width_digits, c_other_unicode_digits, c_underscore_in_number, c_full_width_identifier,
    c_full_width_letter_in_identifier, c_full_width_date, c_full_width_year, c_full_width_event_date,
    c_impossible_date, c_date_out_of_range, c_number_with_spaces, c_header_only, c_quote_inside_field]}

#: Rules for one bad value: the cell gets that one problem and no other.
ONE_PROBLEM_PER_CELL = {"full_width_digits", "other_unicode_digits", "underscore_in_number", "full_width_identifier",
                        "full_width_letter_in_identifier", "full_width_date", "full_width_year",
                        "full_width_event_date", "impossible_date", "date_out_of_range", "number_with_spaces"}


# Edits that change how a valid value is written, not what it says: each must validate and load.

def v_exponent(d):
    i = money_row(d)
    header, body = rows(d / "facts.csv")
    set_cell(d, "facts.csv", i, "value", f"{float(body[i][header.index('value')]):e}")


def v_crlf_line_ends(d):
    text = (d / "facts.csv").read_text(encoding="utf-8")
    (d / "facts.csv").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))


def v_every_field_quoted(d):
    header, body = rows(d / "events.csv")
    with (d / "events.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)


VARIANTS = {f.__name__[2:]: f for f in [v_exponent, v_crlf_line_ends, v_every_field_quoted]}

#: A printed problem: FILE:LINE: COLUMN: RULE: <what was found>; expected <form>.
PROBLEM_LINE = re.compile(r"^(?P<file>[\w/.-]+):(?P<line>\d+): (?P<column>[\w,-]+): (?P<rule>[\w-]+): "
                          r"(?P<found>[^;]+(;[^;]+)*); expected (?P<expected>[^;]+)\.$")
#: Python exception texts that must never reach a reader.
RAW_EXCEPTION = re.compile(r"could not convert|invalid literal|isoformat|out of range for|is is |is could|is day",
                           re.I)


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_corrupted_copy_is_reported_exactly(tmp_path, name):
    before = digest(DATA)
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    file, line, column, rule = CORRUPTIONS[name](copy)
    copy_before = digest(copy)
    proc = run_validate(copy)
    assert proc.returncode == 1, proc.stdout
    expected = f"{file}:{line}: {column}: {rule}:"
    assert expected in proc.stdout, f"expected a line starting {expected!r}, got:\n{proc.stdout[:3000]}"
    for out_line in proc.stdout.strip().splitlines():
        assert_readable(out_line)
    if name in ONE_PROBLEM_PER_CELL:
        same_cell = [x for x in proc.stdout.splitlines() if x.startswith(f"{file}:{line}: {column}:")]
        assert len(same_cell) == 1, same_cell
    with pytest.raises(pe.DataValidationError) as err:
        pe.load("facts", copy)
    assert expected in str(err.value)
    assert digest(copy) == copy_before, "validation wrote to the data folder"
    assert digest(DATA) == before


def assert_readable(out_line: str) -> None:
    """One sentence: where (file, line, column), which rule, what was found and what is expected."""
    m = PROBLEM_LINE.match(out_line)
    assert m, f"not of the form FILE:LINE: COLUMN: RULE: found; expected form.: {out_line}"
    assert not RAW_EXCEPTION.search(out_line), f"a raw exception text reaches the reader: {out_line}"
    assert ".." not in out_line and len(m["expected"].split()) >= 2, out_line


@pytest.mark.parametrize("name", sorted(CORRUPTIONS) + sorted(VARIANTS))
def test_a_folder_that_validates_always_loads(tmp_path, name):
    """Validation and loading agree: a folder either validates and loads every table, or fails
    validation and `load` raises DataValidationError (never a pandas error)."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    (CORRUPTIONS.get(name) or VARIANTS[name])(copy)
    problems = pe.validate(copy)
    if name in VARIANTS:
        assert problems == [], "\n".join(map(str, problems))
    tables = [r["name"] for r in json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))["resources"]]
    for table in tables:
        if problems:
            with pytest.raises(pe.DataValidationError):
                pe.load(table, copy)
        else:
            assert len(pe.load(table, copy)) > 0, table


def test_variants_load_the_same_values(tmp_path):
    """A number written with an exponent, CRLF line ends or quoted fields load as the same data."""
    for name, edit in VARIANTS.items():
        copy = tmp_path / name
        shutil.copytree(DATA, copy)
        edit(copy)
        for table in ["facts", "events"]:
            pd.testing.assert_frame_equal(pe.load(table, copy), pe.load(table, DATA), obj=f"{name}: {table}")


def test_datapackage_patterns_match_ascii_only():
    """\\d and \\w in a pattern also match full-width and other Unicode digits and letters."""
    pkg = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    patterns = [f["constraints"]["pattern"] for r in pkg["resources"] for f in r["schema"]["fields"]
                if "pattern" in f.get("constraints", {})]
    assert patterns
    for p in patterns:
        assert not re.search(r"\\[dwDWsS]", p), p
        assert not re.fullmatch(p, "１" * 12)


def test_all_problems_listed_not_only_the_first(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    expected = [c_nonnumeric(copy), c_bad_enum(copy), c_too_many_fields(copy), c_dangling_parent(copy)]
    proc = run_validate(copy)
    for file, line, column, rule in expected:
        assert f"{file}:{line}: {column}: {rule}:" in proc.stdout
    assert len(proc.stdout.strip().splitlines()) >= 4


# ------------------------------------------------------------------ quotes against the source texts

def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_every_quote_is_verbatim_in_a_source():
    seeds = os.environ.get("PARKECON_SEEDS")
    if not seeds or not Path(seeds).is_dir():
        pytest.skip("PARKECON_SEEDS does not name the folder of source texts (kept by the maintainers; .ci/run sets it)")
    texts = {p.name: _norm(p.read_text(encoding="utf-8")) for p in Path(seeds).glob("*.txt")}
    src = pe.load("sources").set_index("source_id")["file"].to_dict()
    missing = []
    n = 0
    for path in sorted(DATA.rglob("*.csv")):
        header, body = rows(path)
        if "quote" not in header:
            continue
        qi, si = header.index("quote"), header.index("source_id") if "source_id" in header else None
        for line, r in enumerate(body, 2):
            n += 1
            q = _norm(r[qi])
            own = texts.get(src.get(r[si], ""), "") if si is not None else ""
            if q not in own:
                missing.append(f"{path.name}:{line}: {r[qi]}")
    assert n > 300
    assert missing == [], f"{len(missing)} quotes not found in their own source:\n" + "\n".join(missing[:40])


@pytest.mark.parametrize("precision, label", [("day", "21 July 2022"), ("month", "July 2022"),
                                              ("year", "2022"), ("not_before", "July 2022 or later")])
def test_date_label_says_no_more_than_is_known(precision, label):
    assert pe.date_label("2022-07-21", precision) == label


def test_date_label_rejects_an_unknown_precision():
    with pytest.raises(ValueError, match="unknown date precision"):
        pe.date_label("2022-07-21", "decade")


def test_source_dates_are_shown_as_precisely_as_known(built_book):
    """No day or month is invented for a document that does not print one."""
    html = (built_book / "book" / "sources.html").read_text(encoding="utf-8")
    src = pe.load("sources")
    for _, s in src[src.source_id.str.startswith("s")].iterrows():
        assert f"<b>Date:</b> {pe.date_label(s.date, s.date_precision)}" in html, s.source_id
        if s.date_precision != "day":
            assert f"{s.date.day} {s.date:%B %Y}" not in html, s.source_id


def test_one_way_to_read_a_fact_from_data_or_an_edited_frame():
    import parkecon as pe

    expected = pe.fact("f000-030")
    assert expected["fact_id"] == "f000-030" and pe.value("f000-030") == float(expected["value"])
    frame = pe.facts().sort_values("value")
    assert pe.value("f000-030", frame) == pe.value("f000-030", frame.set_index("fact_id")) == expected["value"]
    with pytest.raises(ValueError, match="expected indicator"):
        pe.fact("f000-030", indicator="industrial_output")
    with pytest.raises(KeyError, match="f999-999"):
        pe.value("f999-999")
