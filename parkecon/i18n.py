"""The edition's language, and the one catalogue of text that the code writes.

Prose is translated by the page catalogues (book/locale/); text that code writes (figure
labels, legends, table headers, generated sentences) goes through `tr`, which looks the
English up in `parkecon/zh.csv` when the build runs the Chinese edition. The build tells a
notebook's kernel its edition through the environment variable PARKECON_LANG ("en" or "zh");
the numbers are computed the same way in both.

    pe.tr("Value added")                       # 'Value added' / '增加值'
    pe.tr("{n} parks", n=5)                    # placeholders are filled after translation
    LABELS = {"va": pe.N_("Value added")}      # marked where defined, translated with pe.tr(LABELS[k])
    pe.name("shaoguan")                        # 'Shaoguan' / '韶关市': names come from the data, not the catalogue
    pe.money(21.789e9, 2)                      # '21.79 billion yuan' / '217.9亿元' (same value, same precision)
    pe.money_scale(v), pe.money_unit()         # axes: billions / 亿
    pe.join(["a", "b", "c"])                   # 'a, b and c' / 'a、b、c'

English that lives in the data (event titles, notes, the descriptions of data/datapackage.json)
has its own catalogue, `parkecon/zh-data.csv`, keyed by the exact English of the data:

    pe.tr_data(row.title_en)                   # 'Shaoguan starts ...' / '韶关开始建设第一个产业转移园'

`DATA_TEXTS` names the files and columns whose text the Chinese pages show; the Chinese build
fails before it starts when one of their texts has no row (`missing_data_texts`), naming the
text, file, line and column, so English data changed without its Chinese cannot reach a page.

Qualifiers (`calc.words`: 'more than 12' / '超过12') and dates (`date_label`: '21 July 2022' /
'2022年7月21日') follow the edition too. tests/test_i18n.py checks that every literal passed to
`tr` or `N_` has a row in the catalogue and that no row is unused.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LANGS = ("en", "zh")
CATALOGUE = Path(__file__).with_name("zh.csv")
DATA_CATALOGUE = Path(__file__).with_name("zh-data.csv")


#: In an unpacked workshop kit, next to this package: the kit's language ("zh" in the Chinese kit).
KIT_LANGUAGE = Path(__file__).resolve().parent.parent / "kit-language.txt"


def lang() -> str:
    """'en' or 'zh': the edition this kernel computes for (PARKECON_LANG; else, in a workshop
    kit, its kit-language.txt; default 'en')."""
    value = (os.environ.get("PARKECON_LANG") or "").strip()
    if not value and KIT_LANGUAGE.is_file():
        value = KIT_LANGUAGE.read_text(encoding="utf-8").strip()
    value = value or "en"
    if value not in LANGS:
        raise ValueError(f"PARKECON_LANG={value!r}: the editions are {', '.join(LANGS)}")
    return value


def is_zh() -> bool:
    return lang() == "zh"


def catalogue(path: Path = CATALOGUE) -> dict[str, str]:
    """{English: Chinese} from parkecon/zh.csv (columns en, zh), read once per state of the file;
    `path=DATA_CATALOGUE` reads the catalogue of the data's text, parkecon/zh-data.csv."""
    stat = path.stat() if path.exists() else None
    return _read(str(path), (stat.st_mtime_ns, stat.st_size) if stat else None)


@lru_cache(maxsize=2)
def _read(path: str, stamp) -> dict[str, str]:
    if stamp is None:
        return {}
    out: dict[str, str] = {}
    problems = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames[:2] != ["en", "zh"]:
            raise ValueError(f"{path}: the header must start with en,zh (found {reader.fieldnames})")
        for line, row in enumerate(reader, start=2):
            en, zh = row["en"], (row["zh"] or "").strip()
            if not zh:
                problems.append(f"{path}, line {line}: {en!r} has no Chinese")
            elif en in out and out[en] != zh:
                problems.append(f"{path}, line {line}: {en!r} is translated twice, differently")
            out[en] = zh
    if problems:
        raise ValueError(f"the text catalogue {Path(path).name} has problems:\n" + "\n".join(problems))
    return out


def tr(text: str, **fields) -> str:
    """`text` in the edition's language; `fields` fill its {placeholders} after translation.

    In the Chinese edition a text missing from the catalogue is an error that names it, so
    an English label changed without its Chinese fails the build instead of showing English."""
    if is_zh():
        cat = catalogue()
        if text not in cat:
            raise KeyError(f"no Chinese for {text!r}: add a row to parkecon/zh.csv")
        text = cat[text]
    return text.format(**fields) if fields else text


def tr_data(text: str) -> str:
    """English text that comes from the data (an event's title, a source's note, a field's
    description) in the edition's language: unchanged in English, its row of
    parkecon/zh-data.csv in Chinese. A text without a row is an error that names it."""
    if not is_zh() or not text:
        return text
    cat = catalogue(DATA_CATALOGUE)
    if text not in cat:
        raise KeyError(f"no Chinese for the data text {text!r}: add a row to parkecon/zh-data.csv")
    return cat[text]


def N_(text: str) -> str:
    """Mark a text for the catalogue where it is defined and translate it later with `tr(variable)`
    (labels kept in a dict or list); returns it unchanged. The catalogue test counts these too."""
    return text


# ------------------------------------------------------------------ names, money, lists

def name(item_id: str) -> str:
    """The name of an entity or indicator in the edition's language, from the data
    (`name_zh` / `name_en` of entities.csv or indicators.csv), never from the catalogue."""
    names = _names()
    if item_id not in names:
        raise KeyError(f"name: {item_id!r} is neither an entity nor an indicator")
    en, zh = names[item_id]
    return zh if is_zh() else en


def name_column(prefix: str = "name") -> str:
    """The column holding names in the edition's language: 'name_zh' / 'name_en', or with
    prefix 'entity': 'entity_zh' / 'entity_en' (as in `pe.facts()`)."""
    return f"{prefix}_{'zh' if is_zh() else 'en'}"


def name_columns(prefix: str = "name") -> list[str]:
    """The name columns a reader of the edition reads, for tables that show names: the
    documents' own Chinese names always, and beside them the English ones in the English
    edition: ['name_zh', 'name_en'] / ['name_zh'] (prefix 'entity': 'entity_zh', ...)."""
    return [f"{prefix}_zh"] if is_zh() else [f"{prefix}_zh", f"{prefix}_en"]


def _names() -> dict[str, tuple[str, str]]:
    from .data import fingerprint, load
    from .paths import data_dir

    folder = data_dir()
    return _read_names(str(folder), fingerprint(folder, ["entities", "indicators"]))


@lru_cache(maxsize=2)
def _read_names(folder: str, stamp) -> dict[str, tuple[str, str]]:
    from .data import load

    out = {}
    for table, key in (("indicators", "indicator_id"), ("entities", "entity_id")):
        t = load(table, folder)
        out.update({k: (en, zh) for k, en, zh in zip(t[key], t["name_en"], t["name_zh"])})
    return out


def money_scale(yuan: float) -> float:
    """Yuan in the edition's unit for money: billions (English) or 亿 (Chinese, ×10 the billions,
    as the documents print them). For axes and labels; pasted numbers keep their own keys."""
    return yuan / (1e8 if is_zh() else 1e9)


def money_unit() -> str:
    """'billion yuan' / '亿元': the unit of `money_scale`."""
    return "亿元" if is_zh() else "billion yuan"


def money(yuan: float, decimals: int = 1, qualifier: str = "exactly", unit: bool = True) -> str:
    """An amount of money in words: '12.3 billion yuan' / '123亿元' (the same precision: one
    decimal fewer in 亿), with the qualifier in words ('more than 12.3 billion yuan' / '超过123亿元');
    `unit=False` gives the number alone ('12.3' / '123')."""
    from .calc import words

    # Chinese prints 1170亿元 without a thousands separator, as the documents do
    fmt = f"{{:.{max(decimals - 1, 0)}f}}" if is_zh() else f"{{:,.{decimals}f}}"
    number = words(money_scale(yuan), qualifier, fmt)
    if not unit:
        return number
    return f"{number}亿元" if is_zh() else f"{number} billion yuan"


def join(items, final: str = "and") -> str:
    """A list in running text: 'a, b and c' / 'a、b、c' ('or' gives 'a, b or c' / 'a、b或c';
    ',' gives 'a, b, c' / 'a、b、c'; ';' gives 'a; b; c' / 'a；b；c'; '.' joins sentences)."""
    items = [str(i) for i in items]
    if final in (";", ",", "."):
        return {";": "；", ",": "、", ".": "。"}[final].join(items) if is_zh() else f"{final} ".join(items)
    if is_zh():
        if final == "or" and len(items) > 1:
            return "、".join(items[:-1]) + "或" + items[-1]
        return "、".join(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {final} " + items[-1]


# ------------------------------------------------------------------ the data's English

#: The data's English that the Chinese pages show, per file of data/: the columns of a CSV, or
#: for datapackage.json the paths of its texts ("resources/schema/fields/description": the
#: description of every field of every table). `missing_data_texts` checks every text of these
#: against parkecon/zh-data.csv before the Chinese edition is built.
DATA_TEXTS: dict[str, tuple[str, ...]] = {
    "facts.csv": ("note",),  # the facts explorer's notes
    "events.csv": ("title_en", "note", "kind", "status", "date_precision"),
    "sources.csv": ("short_en", "covers", "note"),
    "datapackage.json": ("resources/title", "resources/description", "resources/schema/fields/description"),
}


@dataclass(frozen=True)
class DataText:
    """One English text of the data: where it is (file of data/, line, column or JSON path)."""
    text: str
    file: str
    line: int
    column: str

    def __str__(self) -> str:
        return f"data/{self.file}, line {self.line}, column {self.column}: {self.text!r}"


def _json_texts(value, keys: list[str]):
    if not keys:
        if isinstance(value, str):
            yield value
        return
    if isinstance(value, list):
        for item in value:
            yield from _json_texts(item, keys)
    elif isinstance(value, dict) and keys[0] in value:
        yield from _json_texts(value[keys[0]], keys[1:])


def data_texts(folder=None, files: dict[str, tuple[str, ...]] | None = None) -> list[DataText]:
    """Every non-empty text of the files and columns of `files` (default DATA_TEXTS) in the data
    folder (default data/), in file order, with its line (a CSV row's last line; in
    datapackage.json the line where the text stands)."""
    import json

    from .paths import data_dir

    folder = Path(folder) if folder else data_dir()
    out = []
    for name, columns in (DATA_TEXTS if files is None else files).items():
        path = folder / name
        if name.endswith(".json"):
            raw = path.read_text(encoding="utf-8")
            doc = json.loads(raw)
            for column in columns:
                for text in _json_texts(doc, column.split("/")):
                    if not text.strip():
                        continue
                    at = max(raw.find(json.dumps(text, ensure_ascii=False)), raw.find(json.dumps(text)))
                    out.append(DataText(text, name, raw.count("\n", 0, max(at, 0)) + 1, column))
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            absent = [c for c in columns if c not in (reader.fieldnames or [])]
            if absent:
                raise KeyError(f"data/{name} has no column {', '.join(absent)} (named in parkecon.i18n.DATA_TEXTS)")
            for row in reader:
                for column in columns:
                    text = row[column] or ""
                    if text.strip():
                        out.append(DataText(text, name, reader.line_num, column))
    return out


def missing_data_texts(folder=None, files: dict[str, tuple[str, ...]] | None = None) -> list[DataText]:
    """The data texts (see `data_texts`) that parkecon/zh-data.csv does not translate: all of
    them, each with file, line and column. The Chinese build stops when there is any."""
    cat = catalogue(DATA_CATALOGUE)
    return [t for t in data_texts(folder, files) if t.text not in cat]
