"""The edition's language, and the one catalogue of text that the code writes.

Prose is translated by the page catalogues (book/locale/); text that code writes (figure
labels, legends, table headers, generated sentences) goes through `tr`, which looks the
English up in `parkecon/zh.csv` when the build runs the Chinese edition. The build tells a
notebook's kernel its edition through the environment variable PARKECON_LANG ("en" or "zh");
the numbers are computed the same way in both.

    pe.tr("Value added")                       # 'Value added' / '增加值'
    pe.tr("{n} parks", n=5)                    # placeholders are filled after translation
"""
from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

LANGS = ("en", "zh")
CATALOGUE = Path(__file__).with_name("zh.csv")


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


def catalogue() -> dict[str, str]:
    """{English: Chinese} from parkecon/zh.csv (columns en, zh), read once per state of the file."""
    stat = CATALOGUE.stat() if CATALOGUE.exists() else None
    return _read(str(CATALOGUE), (stat.st_mtime_ns, stat.st_size) if stat else None)


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
        raise ValueError("the text catalogue has problems:\n" + "\n".join(problems))
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
