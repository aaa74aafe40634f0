"""Load and validate the curated data.

`validate(folder)` reads every table described in `datapackage.json` and returns *all*
problems it finds, each naming the file, the CSV line, the column and the rule broken.
`load(name)` returns a typed DataFrame, but only from a folder that validates; results
are cached per process. Nothing here ever writes to the data folder.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import data_dir as _default_data_dir

REL_TOL = 1e-9


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the data: where it is (file, CSV line, column), which rule it breaks,
    what was found (`detail`) and what the rule expects (`expected`).

    Printed as one line, ``FILE:LINE: COLUMN: RULE: <what was found>; expected <form>.``,
    so that an editor can jump to the place and a reader sees what to write instead."""
    file: str
    line: int
    column: str
    rule: str
    detail: str
    expected: str = ""

    def __str__(self) -> str:
        text = self.detail.rstrip(".")
        if self.expected:
            text += f"; expected {self.expected.rstrip('.')}"
        return f"{self.file}:{self.line}: {self.column or '-'}: {self.rule}: {text}."


class DataValidationError(ValueError):
    """Raised by `load` when the data folder does not validate; lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the curated data:\n{lines}")


# ---------------------------------------------------------------- reading

@dataclass
class _Table:
    name: str
    path: Path
    schema: dict
    header: list[str]
    rows: list[dict]        # raw strings, only rows whose field count matched
    lines: list[int]        # first physical line of each row
    readable: bool


def normalise(text: str) -> str:
    """NFKC, no whitespace, no thousands separators between digits."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return re.sub(r"(?<=\d),(?=\d{3})", "", text)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def parse_number_text(text: str) -> float | None:
    """Parse a number as printed: Arabic digits (full or half width) or Chinese numerals."""
    t = normalise(text)
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", t):
        return float(t)
    if t and all(ch in _CN_DIGITS or ch in _CN_UNITS or ch == "半" for ch in t):
        if t == "半":
            return 0.5
        total, section, digit = 0, 0, None
        for ch in t:
            if ch in _CN_DIGITS:
                digit = _CN_DIGITS[ch]
            else:
                unit = _CN_UNITS[ch]
                if unit >= 10_000:
                    section = (section + (digit or 0)) * unit
                    total += section
                    section = 0
                else:
                    section += (1 if digit is None else digit) * unit
                digit = None
        return float(total + section + (digit or 0))
    return None


def _read_package(folder: Path) -> tuple[dict | None, list[Problem]]:
    path = folder / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")), []
    except FileNotFoundError:
        return None, [Problem("datapackage.json", 0, "", "missing-file", f"there is no datapackage.json in {folder}",
                              "the package description next to the CSV files")]
    except json.JSONDecodeError as exc:
        return None, [Problem("datapackage.json", exc.lineno, "", "json",
                              f"the file is not valid JSON ({exc.msg} at column {exc.colno})", "a JSON document")]
    except UnicodeDecodeError:
        return None, [Problem("datapackage.json", 0, "", "encoding", "the file is not UTF-8", "a file saved as UTF-8")]


def _read_table(folder: Path, resource: dict, problems: list[Problem]) -> _Table:
    rel = resource["path"]
    path = folder / rel
    schema = resource["schema"]
    table = _Table(resource["name"], path, schema, [], [], [], False)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(rel, 0, "", "missing-file", "the file listed in datapackage.json does not exist",
                                f"a CSV file at {rel}"))
        return table
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = len(raw[: exc.start].split(b"\n")[-1]) + 1
        problems.append(Problem(rel, line, "", "encoding", f"byte 0x{raw[exc.start]:02x} at character {col} is not UTF-8",
                                "the file saved as UTF-8"))
        return table
    if text.startswith("\ufeff"):
        problems.append(Problem(rel, 1, "", "encoding", "the file starts with a byte-order mark",
                                "UTF-8 without a byte-order mark"))
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(rel, 1, "", "empty-file", "the file has no header row",
                                "a header row naming the schema's columns, then one row per record"))
        return table
    except csv.Error as exc:
        problems.append(Problem(rel, 1, "", "csv-syntax", f"the header cannot be read as CSV ({exc})",
                                "a header row of comma-separated column names"))
        return table
    table.header = header
    expected = [f["name"] for f in schema["fields"]]
    for name in expected:
        if name not in header:
            problems.append(Problem(rel, 1, name, "missing-column", f"column {name!r}, required by the schema, is absent",
                                    "a header that names every column of the schema"))
    for name in header:
        if name not in expected:
            problems.append(Problem(rel, 1, name, "extra-column", f"column {name!r} is not in the schema",
                                    "only the columns that datapackage.json describes"))
    seen_dupe = {n for n in header if header.count(n) > 1}
    for name in sorted(seen_dupe):
        problems.append(Problem(rel, 1, name, "duplicate-column", f"column {name!r} appears more than once in the header",
                                "each column named once"))
    line_start = reader.line_num + 1
    n_records = 0
    try:
        for record in reader:
            n_records += 1
            if not record or all(not c.strip() for c in record):
                problems.append(Problem(rel, line_start, "", "blank-row", "the row is empty", "no blank lines between rows"))
            elif len(record) != len(header):
                problems.append(Problem(rel, line_start, "", "row-length",
                                        f"the row has {len(record)} fields",
                                        f"{len(header)} fields, one per header column (quote a value that contains a comma)"))
            else:
                table.rows.append(dict(zip(header, record)))
                table.lines.append(line_start)
            line_start = reader.line_num + 1
    except csv.Error as exc:
        n_records += 1
        problems.append(Problem(rel, reader.line_num, "", "csv-syntax", f"the row cannot be read as CSV ({exc})",
                                'well-formed CSV: a quoted field is wrapped in double quotes, with "" for a quote inside it'))
    if n_records == 0:
        problems.append(Problem(rel, 2, "", "empty-table", "the table has a header but no data rows",
                                "at least one data row below the header"))
    # a table whose columns are unclear or whose reading stopped early is not used to check other tables
    table.readable = not any(p.file == rel and p.rule in {"missing-column", "duplicate-column", "csv-syntax"}
                             for p in problems)
    return table


# ---------------------------------------------------------------- schema checks

class _Bad(ValueError):
    """A value that breaks a rule: which rule, what was found, what is expected."""

    def __init__(self, rule: str, detail: str, expected: str):
        super().__init__(detail)
        self.rule, self.detail, self.expected = rule, detail, expected


#: Dates and years the loader accepts: wide enough for every document (2005-2035 today),
#: well inside what pandas can hold (1677-2262).
YEAR_RANGE = (1900, 2100)

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_FORMS = {
    "number": "a decimal number in ASCII digits, such as 1358.75, -0.3 or 2.5e9",
    "integer": "a whole number in ASCII digits, such as 42",
    "year": f"a four-digit year in ASCII digits between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}, such as 2021",
    "date": "a date written YYYY-MM-DD in ASCII digits, such as 2021-12-31",
    "boolean": "true or false, in lower case",
}


def _char(ch: str) -> str:
    """A character as a reader can identify it: 'Ｆ' (U+FF26 FULLWIDTH LATIN CAPITAL LETTER F)."""
    return f"{ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')})"


def _check_ascii(value: str, expected: str, numeric: bool) -> None:
    """Numbers, dates and identifiers are plain ASCII: each way of breaking that gets its own rule.

    Python's float() and int() read full-width digits ('１３５８'), other Unicode digits
    ('١٣') and underscores ('1_358'); pandas does not, so they are refused here."""
    for ch in value:
        if "\uff10" <= ch <= "\uff19":
            raise _Bad("full-width-digit", f"{value!r} contains the full-width digit {_char(ch)}", expected)
    for ch in value:
        if ch.isdigit() and not ch.isascii():
            raise _Bad("non-ascii-digit", f"{value!r} contains {_char(ch)}, a digit that is not one of the ASCII digits 0-9",
                       expected)
    if numeric and "_" in value:
        raise _Bad("underscore-in-number", f"{value!r} contains an underscore used as a digit separator",
                   expected + ", with no separators between digits")
    for ch in value:
        if not ch.isascii():
            raise _Bad("non-ascii-character", f"{value!r} contains the non-ASCII character {_char(ch)}", expected)


def _number(value: str) -> float:
    if value != value.strip():
        raise _Bad("type", f"{value!r} has spaces around the number", _FORMS["number"])
    _check_ascii(value, _FORMS["number"], numeric=True)
    if "," in value:
        raise _Bad("type", f"{value!r} contains a comma (a thousands separator or a decimal comma)", _FORMS["number"])
    if not _NUMBER.fullmatch(value):
        raise _Bad("type", f"{value!r} is not a number", _FORMS["number"])
    v = float(value)
    if math.isinf(v):
        raise _Bad("type", f"{value!r} is too large to be a finite number", _FORMS["number"])
    return v


def _year(value: str) -> int:
    _check_ascii(value, _FORMS["year"], numeric=True)
    if not re.fullmatch(r"[0-9]{4}", value):
        raise _Bad("type", f"{value!r} is not a four-digit year", _FORMS["year"])
    y = int(value)
    if not YEAR_RANGE[0] <= y <= YEAR_RANGE[1]:
        raise _Bad("date-range", f"the year {value} is outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}", _FORMS["year"])
    return y


def _date(value: str) -> dt.date:
    _check_ascii(value, _FORMS["date"], numeric=False)
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value)
    if not m:
        raise _Bad("type", f"{value!r} is not written YYYY-MM-DD", _FORMS["date"])
    y, mo, d = map(int, m.groups())
    if not 1 <= mo <= 12:
        raise _Bad("calendar-date", f"{value!r} is not a date in the calendar: there is no month {mo}", _FORMS["date"])
    try:
        date = dt.date(y, mo, d)
    except ValueError:
        raise _Bad("calendar-date", f"{value!r} is not a date in the calendar: month {mo} of {y} has no day {d}",
                   _FORMS["date"]) from None
    if not YEAR_RANGE[0] <= y <= YEAR_RANGE[1]:
        raise _Bad("date-range", f"the date {value} is outside the years {YEAR_RANGE[0]}-{YEAR_RANGE[1]}",
                   f"a date between {YEAR_RANGE[0]}-01-01 and {YEAR_RANGE[1]}-12-31")
    return date


def _cast(value: str, ftype: str):
    """The value of a cell read as its schema type; raises `_Bad` with a readable message."""
    if ftype == "string":
        return value
    if ftype == "number":
        return _number(value)
    if ftype == "integer":
        _check_ascii(value, _FORMS["integer"], numeric=True)
        if not re.fullmatch(r"-?[0-9]+", value):
            raise _Bad("type", f"{value!r} is not a whole number", _FORMS["integer"])
        v = int(value)
        if abs(v) >= 2 ** 63:
            raise _Bad("type", f"{value!r} is too large for a 64-bit integer", _FORMS["integer"])
        return v
    if ftype == "year":
        return _year(value)
    if ftype == "date":
        return _date(value)
    if ftype == "boolean":
        if value not in {"true", "false"}:
            raise _Bad("type", f"{value!r} is not a boolean", _FORMS["boolean"])
        return value == "true"
    raise _Bad("type", f"the schema gives the unsupported type {ftype!r}",
               "one of the types string, number, integer, year, date, boolean")


def _strict(parse, value: str):
    """`parse(value)`, or None where the value breaks a rule (already reported by the field checks)."""
    try:
        return parse(value)
    except _Bad:
        return None


def _check_fields(t: _Table, problems: list[Problem]) -> None:
    rel = t.path.name if t.path.parent.name != "geo" else f"geo/{t.path.name}"
    for field in t.schema["fields"]:
        name, ftype = field["name"], field.get("type", "string")
        if name not in t.header:
            continue
        cons = field.get("constraints", {})
        pattern = cons.get("pattern")
        uniq: dict[str, int] = {}
        for row, line in zip(t.rows, t.lines):
            value = row[name]
            if value == "":
                if cons.get("required"):
                    problems.append(Problem(rel, line, name, "required", "the value is missing",
                                            "a value, since this column is required"))
                continue
            try:
                if pattern:  # identifiers and dates written as text: ASCII only
                    _check_ascii(value, f"ASCII characters only, matching {pattern}", numeric=False)
                cast = _cast(value, ftype)
            except _Bad as bad:
                problems.append(Problem(rel, line, name, bad.rule, bad.detail, bad.expected))
                continue
            if "enum" in cons and value not in cons["enum"]:
                problems.append(Problem(rel, line, name, "enum", f"{value!r} is not an allowed value",
                                        f"one of {', '.join(cons['enum'])}"))
            if pattern and not re.fullmatch(pattern, value):
                problems.append(Problem(rel, line, name, "pattern", f"{value!r} does not have the form this column needs",
                                        f"a value matching {pattern}"))
            if "minimum" in cons and cast < cons["minimum"]:
                problems.append(Problem(rel, line, name, "minimum", f"{value!r} is below the minimum",
                                        f"a value of at least {cons['minimum']}"))
            if "maximum" in cons and cast > cons["maximum"]:
                problems.append(Problem(rel, line, name, "maximum", f"{value!r} is above the maximum",
                                        f"a value of at most {cons['maximum']}"))
            if "maxLength" in cons and len(value) > cons["maxLength"]:
                problems.append(Problem(rel, line, name, "max-length", f"the value has {len(value)} characters",
                                        f"at most {cons['maxLength']} characters"))
            if cons.get("unique"):
                if value in uniq:
                    problems.append(Problem(rel, line, name, "unique", f"{value!r} is already used on line {uniq[value]}",
                                            "a value that no other row of this column uses"))
                else:
                    uniq[value] = line


def _keys(t: _Table, fields: list[str]) -> list[tuple]:
    return [tuple(r.get(f, "") for f in fields) for r in t.rows]


def _check_keys(tables: dict[str, _Table], package: dict, problems: list[Problem]) -> None:
    for res in package["resources"]:
        t = tables.get(res["name"])
        if t is None or not t.readable:
            continue
        rel = res["path"]
        schema = res["schema"]
        pk = schema.get("primaryKey")
        if pk:
            pk = [pk] if isinstance(pk, str) else pk
            seen: dict[tuple, int] = {}
            for key, line in zip(_keys(t, pk), t.lines):
                if key in seen:
                    problems.append(Problem(rel, line, ",".join(pk), "duplicate-key",
                                            f"{'/'.join(key)!r} is already defined on line {seen[key]}",
                                            "a key that no other row of the table uses"))
                else:
                    seen[key] = line
        for fk in schema.get("foreignKeys", []):
            fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
            ref = fk["reference"]
            target_name = ref.get("resource") or res["name"]
            target = tables.get(target_name)
            if target is None or not target.readable:
                continue
            rfields = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
            allowed = set(_keys(target, rfields))
            for key, line in zip(_keys(t, fields), t.lines):
                if all(k == "" for k in key):
                    continue
                if key not in allowed:
                    problems.append(Problem(rel, line, ",".join(fields), "foreign-key",
                                            f"{'/'.join(key)!r} is not a {'/'.join(rfields)} of {target.path.name}",
                                            f"a {'/'.join(rfields)} that {target.path.name} defines"))


# ---------------------------------------------------------------- semantic checks

QUALIFIER_MARKERS = {
    "about": ("约", "左右", "多", "余", "大约"),
    "nearly": ("近", "接近", "将近"),
    "more_than": ("超", "逾", "突破", "以上", "多", "余"),
    "at_least": ("以上", "不低于", "不少于", "至少", "超"),
    "less_than": ("不到", "低于", "不足", "以下", "少于", "以内"),
    "at_most": ("不超过", "以内", "以下", "控制在", "最多", "内"),
}
GROWTH_MEASURES = {"growth_rate", "change"}
# A fall printed as a positive number ("下降0.3%") is stored as a negative value.
DECLINE_WORDS = ("下降", "减少", "降低", "下滑", "回落", "负增长")


def _check_facts(tables: dict[str, _Table], problems: list[Problem]) -> None:
    facts = tables.get("facts")
    units = tables.get("units")
    indicators = tables.get("indicators")
    sources = tables.get("sources")
    if facts is None or not facts.readable:
        return
    unit_map = {r["unit_reported"]: r for r in units.rows} if units and units.readable else {}
    measure = {r["indicator_id"]: r.get("measure", "") for r in indicators.rows} if indicators and indicators.readable else {}
    src_date = {}
    if sources and sources.readable:
        for r in sources.rows:
            d = _strict(_date, r.get("date", ""))
            if d is not None:
                src_date[r["source_id"]] = d
    rel = "facts.csv"
    for row, line in zip(facts.rows, facts.lines):
        reported, mult, value = (_strict(_number, row.get(c, "")) for c in ("value_reported", "multiplier", "value"))
        unit_row = unit_map.get(row.get("unit_reported", ""))
        if unit_row is not None:
            umult = _strict(_number, unit_row["multiplier"])
            if mult is not None and umult is not None and not math.isclose(mult, umult, rel_tol=REL_TOL):
                problems.append(Problem(rel, line, "multiplier", "unit-multiplier",
                                        f"the multiplier is {row['multiplier']}, but units.csv gives {unit_row['multiplier']} "
                                        f"for {row['unit_reported']!r}", f"{unit_row['multiplier']}, as in units.csv"))
            if row.get("unit") and row["unit"] != unit_row["unit"]:
                problems.append(Problem(rel, line, "unit", "base-unit",
                                        f"the base unit is {row['unit']!r}, but units.csv gives {unit_row['unit']!r} "
                                        f"for {row['unit_reported']!r}", f"{unit_row['unit']!r}, as in units.csv"))
        if None not in (reported, mult, value) and not math.isclose(value, reported * mult, rel_tol=1e-9, abs_tol=1e-9):
            problems.append(Problem(rel, line, "value", "value-equals-reported-times-multiplier",
                                    f"the value {row['value']} is not {row['value_reported']} x {row['multiplier']}",
                                    f"value = value_reported x multiplier = {reported * mult:.12g}"))
        vtext, quote = row.get("value_text", ""), row.get("quote", "")
        if vtext:
            parsed = parse_number_text(vtext)
            if parsed is None:
                problems.append(Problem(rel, line, "value_text", "number-text", f"{vtext!r} is not a number as printed",
                                        "the number exactly as the source prints it, in Arabic digits or Chinese "
                                        "numerals (such as 217.89 or 三)"))
            elif reported is not None and not math.isclose(parsed, reported, rel_tol=1e-9) and not (
                    reported < 0 and math.isclose(parsed, -reported, rel_tol=1e-9)
                    and any(w in quote for w in DECLINE_WORDS)):
                problems.append(Problem(rel, line, "value_reported", "reported-matches-text",
                                        f"value_reported is {row['value_reported']}, but the printed number {vtext!r} "
                                        f"reads {parsed:g}",
                                        f"{parsed:g} (negative only where the quote says the figure fell)"))
            if quote and normalise(vtext) not in normalise(quote):
                problems.append(Problem(rel, line, "quote", "quote-contains-number",
                                        f"the printed number {vtext!r} does not occur in the quote",
                                        "a quote that contains the number as printed"))
        q = row.get("qualifier", "")
        if q in QUALIFIER_MARKERS and quote and not any(m in quote for m in QUALIFIER_MARKERS[q]):
            markers = "/".join(QUALIFIER_MARKERS[q])
            problems.append(Problem(rel, line, "qualifier", "qualifier-in-quote",
                                    f"the qualifier is {q!r}, but the quote has none of {markers}",
                                    f"a quote with one of {markers}, or the qualifier the quote supports"))
        start, end = row.get("period_start", ""), row.get("period_end", "")
        d0, d1 = _strict(_date, start), _strict(_date, end)
        if d0 and d1 and d1 < d0:
            problems.append(Problem(rel, line, "period_end", "period-order",
                                    f"the period ends on {end}, before it starts on {start}",
                                    "a period_end on or after period_start"))
        m = measure.get(row.get("indicator_id", ""))
        if m in GROWTH_MEASURES and not row.get("base_period"):
            problems.append(Problem(rel, line, "base_period", "growth-needs-base-period",
                                    f"{row['indicator_id']!r} is a {m}, but no base period is given",
                                    "the year the growth or change is measured against"))
        if m is not None and m not in GROWTH_MEASURES and row.get("base_period"):
            problems.append(Problem(rel, line, "base_period", "base-period-only-for-growth",
                                    f"{row['indicator_id']!r} is a {m}, not a growth rate or change, yet has a base period",
                                    "an empty base_period for this measure"))
        base = _strict(_year, row.get("base_period", ""))
        if base is not None and d1 and base >= d1.year:
            problems.append(Problem(rel, line, "base_period", "base-before-period",
                                    f"the base period {base} is not before the period ending {end}",
                                    f"a year before {d1.year}"))
        sd = src_date.get(row.get("source_id", ""))
        if row.get("status") == "actual" and sd and d0 and d0 > sd:
            problems.append(Problem(rel, line, "status", "actual-not-after-source",
                                    f"an actual figure for a period starting {start}, after the source's date {sd}",
                                    "status target, plan or estimate, or a period that starts by the source's date"))
        if row.get("status") == "target" and sd and d1 and d1 < sd.replace(month=1, day=1):
            problems.append(Problem(rel, line, "status", "target-in-future",
                                    f"a target dated {end}, in a year before the source's ({sd})",
                                    "status actual, or a target dated in or after the source's year"))


def _check_entities(tables: dict[str, _Table], problems: list[Problem]) -> None:
    ent = tables.get("entities")
    if ent is None or not ent.readable:
        return
    parent = {r["entity_id"]: r.get("parent_id", "") for r in ent.rows}
    for row, line in zip(ent.rows, ent.lines):
        seen, cur = {row["entity_id"]}, row.get("parent_id", "")
        while cur and cur in parent:
            if cur in seen:
                problems.append(Problem("entities.csv", line, "parent_id", "parent-cycle",
                                        f"{row['entity_id']!r} is its own ancestor",
                                        "a chain of parents that ends at an entity without a parent"))
                break
            seen.add(cur)
            cur = parent[cur]


#: The shape of an event date for each precision, and an example.
EVENT_DATE_SHAPES = {"year": (r"[0-9]{4}", "YYYY, such as 2021"), "month": (r"[0-9]{4}-[0-9]{2}", "YYYY-MM, such as 2021-06"),
                     "day": (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "YYYY-MM-DD, such as 2021-06-25")}


def _check_events(tables: dict[str, _Table], problems: list[Problem]) -> None:
    ev = tables.get("events")
    if ev is None or not ev.readable:
        return
    for row, line in zip(ev.rows, ev.lines):
        prec, date = row.get("date_precision", ""), row.get("date", "")
        if prec not in EVENT_DATE_SHAPES or not date or not date.isascii():
            continue  # an unknown precision or a non-ASCII date is reported by the field checks
        shape, example = EVENT_DATE_SHAPES[prec]
        if not re.fullmatch(shape, date):
            problems.append(Problem("events.csv", line, "date", "date-precision",
                                    f"{date!r} does not have the shape of a {prec} date", f"a date written {example}"))
            continue
        y, mo = int(date[:4]), int(date[5:7]) if prec == "month" else 1
        try:
            if prec == "day":
                _date(date)
            elif not 1 <= mo <= 12:
                raise _Bad("calendar-date", f"{date!r} is not a month in the calendar: there is no month {mo}", "")
            elif not YEAR_RANGE[0] <= y <= YEAR_RANGE[1]:
                raise _Bad("date-range", f"the date {date} is outside the years {YEAR_RANGE[0]}-{YEAR_RANGE[1]}", "")
        except _Bad as bad:
            problems.append(Problem("events.csv", line, "date", bad.rule, bad.detail,
                                    f"a date written {example}, between the years {YEAR_RANGE[0]} and {YEAR_RANGE[1]}"))


def _check_quotes_present(tables: dict[str, _Table], problems: list[Problem]) -> None:
    """The quote, where a table has one, must look like a clause: at least 4 characters."""
    for t in tables.values():
        if not t.readable or "quote" not in t.header:
            continue
        for row, line in zip(t.rows, t.lines):
            q = normalise(row.get("quote", ""))
            if q and len(q) < 4:
                problems.append(Problem(t.path.name, line, "quote", "quote-too-short",
                                        f"the quote {row['quote']!r} is too short to locate the figure",
                                        "a clause of at least 4 characters, verbatim from the source"))


# ---------------------------------------------------------------- public API

def _read_all(folder: Path) -> tuple[dict | None, dict[str, _Table], list[Problem]]:
    package, problems = _read_package(folder)
    tables: dict[str, _Table] = {}
    if package is None:
        return None, tables, problems
    for res in package["resources"]:
        if not res["path"].endswith(".csv"):
            continue
        tables[res["name"]] = _read_table(folder, res, problems)
    return package, tables, problems


def validate(folder: str | Path | None = None) -> list[Problem]:
    """Every problem in the data folder, sorted by file and line; empty when valid."""
    folder = Path(folder) if folder else _default_data_dir()
    package, tables, problems = _read_all(folder)
    if package is None:
        return problems
    for t in tables.values():
        _check_fields(t, problems)
    _check_keys(tables, package, problems)
    _check_facts(tables, problems)
    _check_entities(tables, problems)
    _check_events(tables, problems)
    _check_quotes_present(tables, problems)
    return sorted(set(problems))


def summary(folder: str | Path | None = None) -> str:
    folder = Path(folder) if folder else _default_data_dir()
    package, tables, _ = _read_all(folder)
    n_rows = sum(len(t.rows) for t in tables.values())
    per_source: dict[str, int] = {}
    for r in tables["facts"].rows:
        per_source[r["source_id"]] = per_source.get(r["source_id"], 0) + 1
    src = ", ".join(f"{k}={v}" for k, v in sorted(per_source.items()))
    return f"valid: {len(tables)} tables, {n_rows} rows, {len(tables['facts'].rows)} facts ({src})"


def fingerprint(folder: str | Path | None = None, names: list[str] | None = None) -> str:
    """SHA-256 over the bytes of datapackage.json and the named CSVs (all when None)."""
    folder = Path(folder) if folder else _default_data_dir()
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    h = hashlib.sha256((folder / "datapackage.json").read_bytes())
    for res in sorted(package["resources"], key=lambda r: r["name"]):
        if names is None or res["name"] in names:
            h.update(res["name"].encode())
            h.update((folder / res["path"]).read_bytes())
    return h.hexdigest()


_PD_TYPES = {"string": "string", "integer": "Int64", "year": "Int64", "number": "float64", "boolean": "boolean"}


@lru_cache(maxsize=4)
def _validated(folder: str, stamp: str) -> dict:
    problems = validate(folder)
    if problems:
        raise DataValidationError(problems)
    package = json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: r for r in package["resources"] if r["path"].endswith(".csv")}


def resources(folder: str | Path | None = None) -> dict:
    folder = Path(folder) if folder else _default_data_dir()
    return _validated(str(folder), fingerprint(folder))


@lru_cache(maxsize=64)
def _load(folder: str, stamp: str, name: str) -> pd.DataFrame:
    res = _validated(folder, stamp)
    if name not in res:
        raise KeyError(f"no table {name!r}; tables: {', '.join(sorted(res))}")
    fields = res[name]["schema"]["fields"]
    dtypes = {f["name"]: _PD_TYPES.get(f.get("type", "string"), "string") for f in fields}
    dates = [f["name"] for f in fields if f.get("type") == "date"]
    df = pd.read_csv(Path(folder) / res[name]["path"], dtype={k: v for k, v in dtypes.items() if k not in dates},
                     keep_default_na=False, na_values=[""], encoding="utf-8")
    for col in dates:
        df[col] = pd.to_datetime(df[col], format="%Y-%m-%d")
    return df


def load(name: str, folder: str | Path | None = None) -> pd.DataFrame:
    """A validated, typed copy of one table (e.g. ``load("facts")``)."""
    folder = Path(folder) if folder else _default_data_dir()
    return _load(str(folder), fingerprint(folder), name).copy()
