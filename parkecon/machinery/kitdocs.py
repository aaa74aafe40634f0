"""Offline pages for the workshop kit: the glossary, the cheat sheet, the organiser's page and
the data model (every table and field of data/datapackage.json), as plain Markdown.

The kit's builder (learner.build) writes each into the kit, e.g.
``for rel, text in kitdocs.docs(root).items(): (kit / rel).parent.mkdir(...); (kit / rel).write_text(text)``,
and adds EXTRA_PAGES and data/datapackage.json to the inputs it digests.
"""
from __future__ import annotations

from pathlib import Path

#: Plain-Markdown pages of the book that the kit carries for use offline.
EXTRA_PAGES = {"docs/glossary.md": "book/glossary.md", "docs/cheat-sheet.md": "book/cheat-sheet.md",
               "docs/for-the-organiser.md": "book/workshop-organiser.md"}


HEAD = {"en": ["# The data model\n", "Every table of `data/` and its fields, from `data/datapackage.json`.\n"],
        "zh": ["# 数据模型\n", "`data/` 中的每张表及其字段，取自 `data/datapackage.json`；表和字段的说明只有英文，"
               "各列的中文解释见本书中文版的数据字典一页。\n"]}


def data_model_markdown(root: Path, lang: str = "en") -> str:
    """The data model (every table and field of data/datapackage.json) as one Markdown page
    (the descriptions are the schema's, in English; the Chinese kit's page says so in Chinese)."""
    import json

    pkg = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    out = list(HEAD[lang])
    for res in pkg["resources"]:
        out.append(f"## {res.get('path', res['name'])}\n")
        if res.get("description"):
            out.append(res["description"].strip() + "\n")
        out.append("| field | type | required | description |\n|---|---|---|---|")
        for f in res["schema"]["fields"]:
            desc = " ".join(str(f.get("description", "")).split()).replace("|", "\\|")
            req = "yes" if f.get("constraints", {}).get("required") else ""
            out.append(f"| `{f['name']}` | {f.get('type', 'string')} | {req} | {desc} |")
        out.append("")
    return "\n".join(out)


def docs(root: Path, lang: str = "en", locale: Path | None = None) -> dict[str, str]:
    """Pages for the kit, to read offline: the glossary, the cheat sheet, the organiser's page
    and the data model. (The solutions are in the kit's full/ notebooks.) For Chinese, each
    page's text comes from its catalogue in `locale` (kitlang.translate_markdown)."""
    out = {}
    for rel, page in EXTRA_PAGES.items():
        if (root / page).is_file():
            text = (root / page).read_text(encoding="utf-8")
            if lang != "en":
                from .kitlang import messages, translate_markdown

                docname = page[:-3]
                text = translate_markdown(text, messages(locale, docname), docname)
            out[rel] = text
    out["docs/data-model.md"] = data_model_markdown(root, lang)
    return out
