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
    file: str
    line: int
    column: str
    rule: str
    detail: str

    def __str__(self) -> str:  # FILE:LINE: COLUMN: RULE: detail
        return f"{self.file}:{self.line}: {self.column or '-'}: {self.rule}: {self.detail}"


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
        return None, [Problem("datapackage.json", 0, "", "missing-file", f"no datapackage.json in {folder}")]
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", 0)
        return None, [Problem("datapackage.json", line, "", "json", str(exc))]


def _read_table(folder: Path, resource: dict, problems: list[Problem]) -> _Table:
    rel = resource["path"]
    path = folder / rel
    schema = resource["schema"]
    table = _Table(resource["name"], path, schema, [], [], [], False)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(rel, 0, "", "missing-file", "file listed in datapackage.json does not exist"))
        return table
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = len(raw[: exc.start].split(b"\n")[-1]) + 1
        problems.append(Problem(rel, line, "", "encoding",
                                f"byte 0x{raw[exc.start]:02x} at character {col} is not UTF-8; save the file as UTF-8"))
        return table
    if text.startswith("\ufeff"):
        problems.append(Problem(rel, 1, "", "encoding", "file starts with a byte-order mark; save as UTF-8 without BOM"))
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(rel, 1, "", "empty-file", "no header row"))
        return table
    table.header = header
    expected = [f["name"] for f in schema["fields"]]
    for name in expected:
        if name not in header:
            problems.append(Problem(rel, 1, name, "missing-column", f"column {name!r} required by the schema is absent"))
    for name in header:
        if name not in expected:
            problems.append(Problem(rel, 1, name, "extra-column", f"column {name!r} is not in the schema"))
    seen_dupe = {n for n in header if header.count(n) > 1}
    for name in sorted(seen_dupe):
        problems.append(Problem(rel, 1, name, "duplicate-column", f"column {name!r} appears more than once"))
    line_start = reader.line_num + 1
    try:
        for record in reader:
            if not record or all(not c.strip() for c in record):
                problems.append(Problem(rel, line_start, "", "blank-row", "empty row"))
            elif len(record) != len(header):
                problems.append(Problem(rel, line_start, "", "row-length",
                                        f"row has {len(record)} fields, the header has {len(header)}"))
            else:
                table.rows.append(dict(zip(header, record)))
                table.lines.append(line_start)
            line_start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(rel, reader.line_num, "", "csv-syntax", str(exc)))
    table.readable = not any(p.file == rel and p.rule in {"missing-column", "duplicate-column"} for p in problems)
    return table


# ---------------------------------------------------------------- schema checks

def _cast(value: str, ftype: str):
    if ftype == "string":
        return value
    if ftype == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError("not an integer")
        return int(value)
    if ftype == "number":
        v = float(value)
        if math.isnan(v) or math.isinf(v):
            raise ValueError("not a finite number")
        return v
    if ftype == "year":
        if not re.fullmatch(r"\d{4}", value):
            raise ValueError("not a four-digit year")
        return int(value)
    if ftype == "date":
        return dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else _bad_date()
    if ftype == "boolean":
        if value not in {"true", "false"}:
            raise ValueError("not true/false")
        return value == "true"
    raise ValueError(f"unsupported type {ftype}")


def _bad_date():
    raise ValueError("not a date YYYY-MM-DD")


def _check_fields(t: _Table, problems: list[Problem]) -> None:
    rel = t.path.name if t.path.parent.name != "geo" else f"geo/{t.path.name}"
    for field in t.schema["fields"]:
        name, ftype = field["name"], field.get("type", "string")
        if name not in t.header:
            continue
        cons = field.get("constraints", {})
        uniq: dict[str, int] = {}
        for row, line in zip(t.rows, t.lines):
            value = row[name]
            if value == "":
                if cons.get("required"):
                    problems.append(Problem(rel, line, name, "required", "value is missing"))
                continue
            try:
                cast = _cast(value, ftype)
            except ValueError as exc:
                problems.append(Problem(rel, line, name, "type", f"{value!r} is {exc} (type {ftype})"))
                continue
            if "enum" in cons and value not in cons["enum"]:
                problems.append(Problem(rel, line, name, "enum",
                                        f"{value!r} is not one of {', '.join(cons['enum'])}"))
            if "pattern" in cons and not re.fullmatch(cons["pattern"], value):
                problems.append(Problem(rel, line, name, "pattern", f"{value!r} does not match {cons['pattern']}"))
            if "minimum" in cons and cast < cons["minimum"]:
                problems.append(Problem(rel, line, name, "minimum", f"{value!r} is below {cons['minimum']}"))
            if "maximum" in cons and cast > cons["maximum"]:
                problems.append(Problem(rel, line, name, "maximum", f"{value!r} is above {cons['maximum']}"))
            if "maxLength" in cons and len(value) > cons["maxLength"]:
                problems.append(Problem(rel, line, name, "max-length",
                                        f"{len(value)} characters, at most {cons['maxLength']} allowed"))
            if cons.get("unique"):
                if value in uniq:
                    problems.append(Problem(rel, line, name, "unique",
                                            f"{value!r} already used on line {uniq[value]}"))
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
                                            f"{'/'.join(key)!r} already defined on line {seen[key]}"))
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
                                            f"{'/'.join(key)!r} is not a {'/'.join(rfields)} of {target.path.name}"))


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
            try:
                src_date[r["source_id"]] = dt.date.fromisoformat(r.get("date", ""))
            except ValueError:
                pass
    rel = "facts.csv"
    for row, line in zip(facts.rows, facts.lines):
        def num(col):
            try:
                return float(row.get(col, ""))
            except ValueError:
                return None
        reported, mult, value = num("value_reported"), num("multiplier"), num("value")
        unit_row = unit_map.get(row.get("unit_reported", ""))
        if unit_row is not None:
            try:
                umult = float(unit_row["multiplier"])
            except ValueError:
                umult = None
            if mult is not None and umult is not None and not math.isclose(mult, umult, rel_tol=REL_TOL):
                problems.append(Problem(rel, line, "multiplier", "unit-multiplier",
                                        f"{row['multiplier']} but units.csv gives {unit_row['multiplier']} for {row['unit_reported']!r}"))
            if row.get("unit") and row["unit"] != unit_row["unit"]:
                problems.append(Problem(rel, line, "unit", "base-unit",
                                        f"{row['unit']!r} but units.csv gives base unit {unit_row['unit']!r} for {row['unit_reported']!r}"))
        if None not in (reported, mult, value) and not math.isclose(value, reported * mult, rel_tol=1e-9, abs_tol=1e-9):
            problems.append(Problem(rel, line, "value", "value-equals-reported-times-multiplier",
                                    f"{row['value']} != {row['value_reported']} x {row['multiplier']}"))
        vtext, quote = row.get("value_text", ""), row.get("quote", "")
        if vtext:
            parsed = parse_number_text(vtext)
            if parsed is None:
                problems.append(Problem(rel, line, "value_text", "number-text", f"{vtext!r} is not a number as printed"))
            elif reported is not None and not math.isclose(parsed, reported, rel_tol=1e-9) and not (
                    reported < 0 and math.isclose(parsed, -reported, rel_tol=1e-9)
                    and any(w in quote for w in DECLINE_WORDS)):
                problems.append(Problem(rel, line, "value_reported", "reported-matches-text",
                                        f"{row['value_reported']} but the printed number {vtext!r} reads {parsed:g}"))
            if quote and normalise(vtext) not in normalise(quote):
                problems.append(Problem(rel, line, "quote", "quote-contains-number",
                                        f"the printed number {vtext!r} does not occur in the quote"))
        q = row.get("qualifier", "")
        if q in QUALIFIER_MARKERS and quote and not any(m in quote for m in QUALIFIER_MARKERS[q]):
            problems.append(Problem(rel, line, "qualifier", "qualifier-in-quote",
                                    f"qualifier {q!r} but the quote has none of {'/'.join(QUALIFIER_MARKERS[q])}"))
        start, end = row.get("period_start", ""), row.get("period_end", "")
        try:
            d0, d1 = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        except ValueError:
            d0 = d1 = None
        if d0 and d1 and d1 < d0:
            problems.append(Problem(rel, line, "period_end", "period-order", f"period ends {end}, before it starts {start}"))
        m = measure.get(row.get("indicator_id", ""))
        if m in GROWTH_MEASURES and not row.get("base_period"):
            problems.append(Problem(rel, line, "base_period", "growth-needs-base-period",
                                    f"{row['indicator_id']!r} is a {m}; say which period it is measured against"))
        if m is not None and m not in GROWTH_MEASURES and row.get("base_period"):
            problems.append(Problem(rel, line, "base_period", "base-period-only-for-growth",
                                    f"{row['indicator_id']!r} is a {m}, not a growth rate or change"))
        if row.get("base_period") and d1 and row["base_period"].isdigit() and int(row["base_period"]) >= d1.year:
            problems.append(Problem(rel, line, "base_period", "base-before-period",
                                    f"base period {row['base_period']} is not before the period ending {end}"))
        sd = src_date.get(row.get("source_id", ""))
        if row.get("status") == "actual" and sd and d0 and d0 > sd:
            problems.append(Problem(rel, line, "status", "actual-not-after-source",
                                    f"an actual figure for a period starting {start}, after the source's date {sd}"))
        if row.get("status") == "target" and sd and d1 and d1 < sd.replace(month=1, day=1):
            problems.append(Problem(rel, line, "status", "target-in-future",
                                    f"a target dated {end}, years before the source ({sd})"))


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
                                        f"{row['entity_id']!r} is its own ancestor"))
                break
            seen.add(cur)
            cur = parent[cur]


def _check_events(tables: dict[str, _Table], problems: list[Problem]) -> None:
    ev = tables.get("events")
    if ev is None or not ev.readable:
        return
    shapes = {"year": r"\d{4}", "month": r"\d{4}-\d{2}", "day": r"\d{4}-\d{2}-\d{2}"}
    for row, line in zip(ev.rows, ev.lines):
        prec, date = row.get("date_precision", ""), row.get("date", "")
        if prec in shapes and date and not re.fullmatch(shapes[prec], date):
            problems.append(Problem("events.csv", line, "date", "date-precision",
                                    f"{date!r} does not have the shape of a {prec} date"))
        if prec == "day" and re.fullmatch(shapes["day"], date):
            try:
                dt.date.fromisoformat(date)
            except ValueError:
                problems.append(Problem("events.csv", line, "date", "type", f"{date!r} is not a calendar date"))


def _check_quotes_present(tables: dict[str, _Table], problems: list[Problem]) -> None:
    """The quote, where a table has one, must look like a clause: at least 4 characters."""
    for t in tables.values():
        if not t.readable or "quote" not in t.header:
            continue
        for row, line in zip(t.rows, t.lines):
            q = normalise(row.get("quote", ""))
            if q and len(q) < 4:
                problems.append(Problem(t.path.name, line, "quote", "quote-too-short",
                                        f"{row['quote']!r} is too short to locate the figure"))


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
