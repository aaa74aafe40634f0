"""The two editions (parkecon/machinery/editions.py): one source, numbers identical by
construction, a build that fails when the Chinese drifts from the English, a language switch
that leads to the same page, and Chinese running text on every Chinese page."""
from __future__ import annotations

import ast
import json
import math
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, copy_book

ZH = "zh"


def pages(html: Path) -> list[Path]:
    """The book's pages of one edition's site (not the Chinese site inside the English one)."""
    out = []
    for p in html.rglob("*.html"):
        rel = p.relative_to(html)
        if rel.parts[0] in ("_static", "_sources", "_images", ZH) or p.name in ("genindex.html", "search.html", "index.html"):
            continue
        out.append(p)
    return sorted(out)


# ------------------------------------------------------------------ the pages' links

class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.switch, self.alternates, self.html_lang = [], {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "a" and "parkecon-lang-switch" in (a.get("class") or ""):
            self.switch.append(a)
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a["href"]


def links(page: Path) -> Links:
    p = Links()
    p.feed(page.read_text(encoding="utf-8"))
    return p


def baseurl() -> str:
    import yaml

    return (yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")).get("html", {}).get("baseurl") or "")


def local(href: str, html: Path) -> Path:
    """An absolute address of the published site as a file of the local build."""
    base = baseurl().rstrip("/") + "/"
    assert href.startswith(base), f"{href} is not under {base}"
    return html / href[len(base):]


def test_language_switch_leads_to_the_same_page_both_ways(built_book):
    en_pages = pages(built_book)
    zh_pages = pages(built_book / ZH)
    assert len(en_pages) >= 15
    assert {p.relative_to(built_book) for p in en_pages} == {p.relative_to(built_book / ZH) for p in zh_pages}, \
        "the editions do not have the same pages"
    for page in en_pages:
        rel = page.relative_to(built_book)
        en = links(page)
        assert en.html_lang == "en", f"{rel}: <html lang={en.html_lang!r}>"
        assert len(en.switch) == 1, f"{rel}: {len(en.switch)} language switches"
        sw = en.switch[0]
        assert sw["hreflang"] == "zh-CN" and sw["lang"] == "zh-CN", f"{rel}: {sw}"
        twin = (page.parent / sw["href"]).resolve()
        assert twin == (built_book / ZH / rel).resolve(), f"{rel}: the switch leads to {twin}"
        zh = links(twin)
        assert zh.html_lang == "zh-CN", f"zh/{rel}: <html lang={zh.html_lang!r}>"
        assert len(zh.switch) == 1 and zh.switch[0]["hreflang"] == "en" and zh.switch[0]["lang"] == "en"
        back = (twin.parent / zh.switch[0]["href"]).resolve()
        assert back == page.resolve(), f"zh/{rel}: the switch leads back to {back}"
        for p, ln in ((page, en), (twin, zh)):  # both pages name both addresses in the head
            assert set(ln.alternates) == {"en", "zh-CN"}, f"{p}: alternates {ln.alternates}"
            assert local(ln.alternates["en"], built_book).resolve() == page.resolve()
            assert local(ln.alternates["zh-CN"], built_book).resolve() == twin.resolve()


def test_theme_strings_come_from_the_books_catalogue(built_book):
    """The theme's own zh_CN catalogue uses Taiwanese wording ("列印成 PDF"); the book's
    booktheme.po overrides it. Compiled catalogues (.mo) are not in the repository, so this
    also shows that a fresh checkout compiles the theme catalogue before the theme reads it."""
    from babel.messages.pofile import read_po

    with open(ROOT / "book" / "locale" / "zh_CN" / "LC_MESSAGES" / "booktheme.po", "rb") as fh:
        ours = {m.id: m.string for m in read_po(fh) if m.id and m.string}
    assert ours["Print to PDF"] == "打印为 PDF"
    html = (built_book / ZH / "notebooks" / "clusters.html").read_text(encoding="utf-8")
    shown = [en for en in ("Print to PDF", "Repository", "Download this page") if ours[en] in html]
    assert shown == ["Print to PDF", "Repository", "Download this page"], shown
    assert "列印成 PDF" not in html and "Print to PDF" not in html


# ------------------------------------------------------------------ numbers

def glue_values(folder: Path) -> dict[tuple[str, str], str]:
    out = {}
    for f in folder.rglob("*.glue.json"):
        doc = f.relative_to(folder).as_posix()[: -len(".glue.json")]
        for key, entry in json.loads(f.read_text(encoding="utf-8")).items():
            text = (entry.get("data") or {}).get("text/plain")
            if text is not None:
                out[(doc, key)] = text
    return out


def number(text: str):
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def test_every_pasted_value_is_the_same_in_both_editions(built_book):
    """The Chinese kernels computed every pasted value exactly as the English ones did, and the
    亿/万 twins are 10x/100x the billions/millions (the Chinese text may print either)."""
    en = glue_values(ROOT / "_build" / "jupyter_execute")
    zh = glue_values(ROOT / "_build" / ZH / "jupyter_execute")
    assert len(en) > 300, "too few pasted values: did the chapters execute?"
    assert set(en) == set(zh), f"keys only in one edition: {sorted(set(en) ^ set(zh))[:10]}"
    numeric = 0
    for (doc, key), text in en.items():
        a, b = number(text), number(zh[(doc, key)])
        if a is None:
            continue  # a pasted text: its language may differ (pe.tr), its value is not a number
        numeric += 1
        assert b is not None and a == b, f"{doc}: {key} is {a} in English, {zh[(doc, key)]} in Chinese"
        for twin, factor in (("__yi", 10), ("__wan", 100)):
            if (doc, key + twin) in zh:
                assert math.isclose(number(zh[(doc, key + twin)]), a * factor, rel_tol=1e-12), f"{doc}: {key}{twin}"
    assert numeric > 200


def test_every_glue_role_of_a_chinese_page_shows_a_value(built_book):
    """A translated paragraph keeps its pasted numbers: each Chinese page shows as many pasted
    values as its English twin: none lost in translation (a role in translated text that found
    no value would leave nothing, and warn)."""
    # A pasted value is a span "pasted-text", its number inside a link to its derivation (issue 17).
    # The translation may use a value once more or less than the English (a quantity given in
    # billions and in 亿元 is written once), so the test asks that every paste shows a value and
    # that a page with pastes in English has them in Chinese; a missing key fails the build itself.
    paste = re.compile(r'<span class="pasted-text">(.*?)</span>', re.S)
    for page in pages(built_book):
        rel = page.relative_to(built_book)
        en = [re.sub(r"<[^>]+>", "", v).strip() for v in paste.findall(page.read_text(encoding="utf-8"))]
        zh = [re.sub(r"<[^>]+>", "", v).strip()
              for v in paste.findall((built_book / ZH / rel).read_text(encoding="utf-8"))]
        assert bool(zh) == bool(en), f"{rel}: {len(en)} pasted values in English, {len(zh)} in Chinese"
        assert all(zh), f"{rel}: an empty pasted value in Chinese"



# ------------------------------------------------------------------ running text

class Prose(HTMLParser):
    """The running text of a page's article: without code, cell outputs (tables and figures the
    code writes; their text comes from parkecon/zh.csv), pasted values, quotes, maths and
    things marked as another language."""

    SKIP_TAGS = {"pre", "code", "script", "style", "blockquote", "q", "math", "svg", "kbd"}
    SKIP_CLASSES = {"cell_output", "pasted-text", "math", "highlight", "headerlink", "cell_input", "fn-backref",
                    "citation", "footnote", "bibliography", "docutils"}
    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "col", "source"}

    def __init__(self):
        super().__init__()
        self.stack, self.inside, self.parts = [], False, []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        skip = (tag in self.SKIP_TAGS or classes & self.SKIP_CLASSES
                or (a.get("lang") and not a["lang"].startswith("zh")))
        entering = tag == "article"
        self.stack.append((tag, bool(skip), entering))
        if entering:
            self.inside = True

    def handle_endtag(self, tag):
        while self.stack:
            t, _, entering = self.stack.pop()
            if entering:
                self.inside = False
            if t == tag:
                break

    def handle_data(self, data):
        if self.inside and not any(s for _, s, _ in self.stack):
            self.parts.append(data)


CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
MIN_RATIO = 2.0  # Chinese characters per Latin letter in the running text


def prose_ratio(page: Path) -> tuple[int, int]:
    p = Prose()
    p.feed(page.read_text(encoding="utf-8"))
    text = " ".join(p.parts)
    text = re.sub(r"\bs\d{3}\b|\bf\d{3}-\d{3}\b|https?://\S+", " ", text)  # source and fact ids, addresses
    return len(CJK.findall(text)), len(LATIN.findall(text))


# Pages whose English is content, not untranslated text: the glossary's English column is the
# terms a reader looks up, and the reproducibility page names packages and versions.
RATIO_FOR = {"book/glossary.html": 0.9, "book/reproducibility.html": 1.5}


def test_running_text_of_every_chinese_page_is_chinese(built_book):
    ratios, low = {}, []
    for page in pages(built_book / ZH):
        rel = page.relative_to(built_book / ZH).as_posix()
        cjk, latin = prose_ratio(page)
        ratios[rel] = round(cjk / max(latin, 1), 1)
        if cjk < RATIO_FOR.get(str(rel), MIN_RATIO) * latin:
            low.append(f"{rel}: {cjk} Chinese characters, {latin} Latin letters")
    print("Chinese characters per Latin letter:", json.dumps(ratios, ensure_ascii=False))
    assert not low, "pages whose running text is not Chinese:\n" + "\n".join(low)


def test_the_ratio_test_sees_an_english_page(built_book):
    """The measure can fail: the English twin of a page is far below the threshold."""
    cjk, latin = prose_ratio(built_book / "notebooks" / "park-economy.html")
    assert cjk < MIN_RATIO * latin / 10


# ------------------------------------------------------------------ the drift gate

def fill(catalogues: Path) -> None:
    """Give every message of a copy's catalogues a translation (test text, kept in the copy)."""
    from parkecon.machinery import catalogues as cat

    for po in cat.catalogue_dir(catalogues).rglob("*.po"):
        c = cat._read(po)
        for m in c:
            if m.id and (not m.string or m.fuzzy):
                m.string = "译文：" + m.id
                m.flags.discard("fuzzy")
        po.write_bytes(cat._render(c))


@pytest.mark.build
def test_drift_gate_fails_on_an_edited_english_paragraph_and_names_it(tmp_path):
    """On a copy whose catalogues are complete, edit one English paragraph: the build stops
    before the Chinese edition, naming the page and the paragraph; the catalogue marks the
    message outdated (fuzzy) and keeps its translation; no Chinese site is left behind."""
    from parkecon.machinery import catalogues as cat

    book = copy_book(tmp_path)
    # the package too, so that the cached executions' records of what they read still hold
    shutil.copytree(ROOT / "parkecon", book / "parkecon", ignore=shutil.ignore_patterns("__pycache__"))
    src = Path(os.environ["PARKECON_LOCALE"]) if os.environ.get("PARKECON_LOCALE") else ROOT / "book" / "locale"
    shutil.rmtree(book / "book" / "locale")
    shutil.copytree(src, book / "book" / "locale")
    fill(book / "book" / "locale")
    for cache in (Path("_build") / ".jupyter_cache", Path("_build") / ZH / ".jupyter_cache"):  # no execution
        if (ROOT / cache).is_dir():
            shutil.copytree(ROOT / cache, book / cache)
    page = book / "notebooks" / "park-economy.md"
    text = page.read_text(encoding="utf-8")
    old = "Dividing each 2021 level by one plus its growth rate gives the 2020 level the growth rate"
    new = "Dividing each 2021 level by one plus its rate of growth gives the 2020 level that rate"
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")
    po = book / "book" / "locale" / "zh_CN" / "LC_MESSAGES" / "notebooks" / "park-economy.po"
    translated = next(m.string for m in cat._read(po) if m.id.startswith(old))
    env = {k: v for k, v in os.environ.items() if k not in ("PARKECON_LOCALE", "PARKECON_LANG")}
    env["PARKECON_ROOT"] = str(book)
    proc = subprocess.run([sys.executable, "-m", "parkecon", "build"], cwd=book, env=env,
                          capture_output=True, text=True, timeout=1800)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, "the build passed with an outdated translation"
    assert "the Chinese edition is not built" in out
    assert "notebooks/park-economy: 0 untranslated, 1 outdated" in out, out[-3000:]
    assert "notebooks/park-economy: outdated: " + new[:40] in out
    entry = next(m for m in cat._read(po) if m.id.startswith(new))
    assert entry.fuzzy and entry.string == translated, "the translation was not kept as a suggestion"
    assert entry.previous_id and entry.previous_id[0].startswith(old)
    assert not (book / "_build" / "html" / ZH / "notebooks" / "park-economy.html").exists()
    # i18n-status lists the same message, and fails
    status = subprocess.run([sys.executable, "-m", "parkecon", "i18n-status", "--no-refresh"], cwd=book, env=env,
                            capture_output=True, text=True, timeout=300)
    assert status.returncode == 1 and "notebooks/park-economy: outdated: " + new[:40] in status.stdout


# ------------------------------------------------------------------ catalogues (fast)

def test_catalogue_update_keeps_translations_marks_changes_and_never_rewrites(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from parkecon.machinery import catalogues as cat

    pot_dir, loc = tmp_path / "pot", tmp_path / "locale"
    (pot_dir / "notebooks").mkdir(parents=True)
    po_dir = cat.catalogue_dir(loc) / "notebooks"
    po_dir.mkdir(parents=True)

    def template(*ids):
        c = Catalog()
        for i in ids:
            c.add(i)
        with (pot_dir / "notebooks" / "p.pot").open("wb") as fh:
            write_po(fh, c)

    long_old = "The parks grew fast in 2021, " + "and \"quoted\" words went on " * 6 + "to the end."
    template("Kept paragraph.", "The parks grew fast in 2021.", long_old)
    assert cat.update(pot_dir, loc) == ["notebooks/p"]
    c = cat._read(po_dir / "p.po")
    for m in c:
        if m.id:
            m.string = {"Kept paragraph.": "保留的段落。", "The parks grew fast in 2021.": "园区2021年增长很快。",
                        long_old: "很长的段落。"}[m.id]
    (po_dir / "p.po").write_bytes(cat._render(c))
    before = (po_dir / "p.po").read_bytes()
    assert cat.update(pot_dir, loc) == [] and (po_dir / "p.po").read_bytes() == before  # nothing to do
    assert cat.problems(loc) == []
    template("Kept paragraph.", "The parks grew very fast in 2021.", "A new sentence.", long_old.replace("fast", "quickly"))
    assert cat.update(pot_dir, loc) == ["notebooks/p"]
    found = {(p.kind, p.msgid) for p in cat.problems(loc)}
    assert found == {("outdated", "The parks grew very fast in 2021."), ("untranslated", "A new sentence."),
                     ("outdated", long_old.replace("fast", "quickly"))}
    c = cat._read(po_dir / "p.po")
    assert c.get("Kept paragraph.").string == "保留的段落。"
    assert c.get("The parks grew very fast in 2021.").string == "园区2021年增长很快。"
    assert c.get("The parks grew very fast in 2021.").previous_id == ["The parks grew fast in 2021."]
    assert c.get(long_old.replace("fast", "quickly")).previous_id == [long_old]
    written = (po_dir / "p.po").read_bytes()
    assert cat._render(cat._read(po_dir / "p.po")) == written, "reading and writing changes the catalogue"
    report = cat.report(cat.problems(loc))
    assert "notebooks/p: 1 untranslated, 2 outdated" in report and "outdated: The parks grew very fast" in report


# ------------------------------------------------------------------ execution caches

def test_a_cached_execution_for_the_other_edition_is_stale(tmp_path):
    from parkecon.machinery import cache

    data = {cache.READS_KEY: [], cache.ENV_KEY: "k", cache.LANG_KEY: "en"}
    assert cache.stale_reason(data, tmp_path, "k", "en") is None
    assert cache.stale_reason(data, tmp_path, "k", "zh") == "it was executed for the en edition"
    assert cache.stale_reason({**data, cache.LANG_KEY: "zh"}, tmp_path, "k", "zh") is None


def test_each_edition_has_its_own_cache_executed_in_its_language(built_book):
    """The Chinese kernels ran with PARKECON_LANG=zh into their own cache; the English ones with en."""
    from jupyter_cache import get_cache

    from parkecon.machinery import cache

    for folder, lang in ((ROOT / "_build" / ".jupyter_cache", "en"), (ROOT / "_build" / ZH / ".jupyter_cache", "zh")):
        records = get_cache(str(folder)).list_cache_records()
        assert len(records) >= 6, f"{folder}: {len(records)} executions"
        assert {r.data.get(cache.LANG_KEY, "en") for r in records} == {lang}, folder  # older records: en
    # the Chinese run wrote its own notebook outputs (figures) in its own folder
    en_imgs = {p.name for p in (ROOT / "_build" / "jupyter_execute").rglob("*.png")}
    zh_imgs = {p.name for p in (ROOT / "_build" / ZH / "jupyter_execute").rglob("*.png")}
    # every Chinese figure differs from every English one (the English folder may also hold
    # figures of earlier builds)
    assert zh_imgs and zh_imgs.isdisjoint(en_imgs)


def test_catalogues_compile_by_content_not_by_time_stamp(tmp_path):
    """A .mo newer than its .po but compiled from an older .po (checked out, restored, copied)
    is replaced; an up-to-date .mo is left untouched, time stamp and all."""
    from babel.messages.mofile import read_mo

    from parkecon.machinery import catalogues

    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "book" / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    first = catalogues.compile_catalogues(locale)
    pos = sorted(catalogues.catalogue_dir(locale).rglob("*.po"))
    assert len(first) == len(pos) >= 20
    intro = catalogues.catalogue_dir(locale) / "book" / "intro.mo"
    good = intro.read_bytes()
    stale = bytearray(good)
    stale[-40:] = b"x" * 40  # another translation, same size
    intro.write_bytes(bytes(stale))
    later = intro.stat().st_mtime + 3600
    os.utime(intro, (later, later))  # newer than its .po: Sphinx alone would keep it
    assert catalogues.compile_catalogues(locale) == [intro]
    assert intro.read_bytes() == good
    with intro.open("rb") as fh:
        assert any(m.string for m in read_mo(fh) if m.id)
    stamps = {p: p.stat().st_mtime_ns for p in catalogues.catalogue_dir(locale).rglob("*.mo")}
    assert catalogues.compile_catalogues(locale) == []
    assert stamps == {p: p.stat().st_mtime_ns for p in catalogues.catalogue_dir(locale).rglob("*.mo")}


def test_the_execution_table_speaks_the_editions_language(built_book):
    """myst-nb writes its table of executed notebooks with English headers in code; the
    Chinese edition's comes from the catalogue, the English one is left as myst-nb writes it."""
    heads = lambda page: re.findall(r'<th class="head"><p>([^<]*)</p></th>', page.read_text(encoding="utf-8"))
    en = heads(built_book / "book" / "reproducibility.html")
    zh = heads(built_book / ZH / "book" / "reproducibility.html")
    assert en[:5] == ["Document", "Modified", "Method", "Run Time (s)", "Status"], en
    assert zh[:5] == ["文档", "修改时间", "方式", "运行时间（秒）", "状态"], zh


def test_a_rebuild_with_nothing_changed_reads_no_page(built_book):
    """Right after the build (in a fresh checkout, a clean one), building again with nothing
    changed reads no page in either edition and does not extract the messages again. A file
    that a page depends on, rewritten while the pages were written (a figure made smaller
    for the site, once), made Sphinx read that page again on the next build, and with it
    the gettext build ran again."""
    stamp = ROOT / "_build" / "gettext" / "inputs.sha256"
    before = stamp.stat().st_mtime_ns
    proc = subprocess.run([sys.executable, "-m", "parkecon", "build"], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env={**os.environ, "PARKECON_ROOT": str(ROOT)})
    out = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout)
    assert proc.returncode == 0, out[-3000:] + proc.stderr[-2000:]
    updates = re.findall(r"updating environment: (.*)", out)
    assert updates == ["0 added, 0 changed, 0 removed"] * 2, updates
    assert "building [gettext]" not in out
    assert stamp.stat().st_mtime_ns == before
