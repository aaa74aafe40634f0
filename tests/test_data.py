"""The curated data: valid as shipped, and every kind of bad input reported clearly."""
from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
import unicodedata
import re
from pathlib import Path

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


CORRUPTIONS = {f.__name__[2:]: f for f in [
    c_nonnumeric, c_unknown_source, c_unknown_source_fk, c_unknown_unit, c_duplicate_id, c_missing_column,
    c_empty_quote, c_quote_without_number, c_period_order, c_growth_without_base, c_wrong_encoding,
    c_too_many_fields, c_dangling_parent, c_value_mismatch, c_bad_enum]}


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
        assert re.match(r"^[\w/.-]+:\d+: [\w,-]+: [\w-]+: .+", out_line), out_line
    with pytest.raises(pe.DataValidationError) as err:
        pe.load("facts", copy)
    assert expected in str(err.value)
    assert digest(copy) == copy_before, "validation wrote to the data folder"
    assert digest(DATA) == before


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
