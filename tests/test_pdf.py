"""The print edition: `tools/pdf.py` builds one PDF per edition (English, Chinese), which is
read back with poppler and compared with the HTML pages of the same edition and build."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, copy_book

pytestmark = pytest.mark.build

sys.path.insert(0, str(ROOT / "tools"))
import pdf as pdftool  # noqa: E402  (tools/pdf.py)

EDITION, ZH_EDITION = pdftool.EDITIONS  # English, Chinese
SITES = {"en": ROOT / "_build" / "html", "zh": ROOT / "_build" / "html" / "zh"}
MISSING = pdftool.missing_packages()
needs_tex = pytest.mark.skipif(bool(MISSING), reason="TeX is not installed (the PDF tests need it): "
                                                     "apt-get install " + " ".join(MISSING))
CHAPTERS = [p.stem for p in __import__("parkecon.machinery.toc", fromlist=["chapters"]).chapters(ROOT)]


def run_pdf_tool(root: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "pdf.py"), "--root", str(root)],
                          cwd=root, capture_output=True, text=True, timeout=1200, env=env or os.environ.copy())


@pytest.fixture(scope="session")
def book_pdfs() -> dict[str, Path]:
    """The book's PDFs, built as `make pdf` does: the PDFs, then both sites that link them."""
    proc = run_pdf_tool(ROOT)
    if proc.returncode != 0:
        pytest.fail("the PDF build failed:\n" + proc.stdout[-3000:] + proc.stderr[-5000:])
    print(proc.stdout)  # pages, sizes and times of each edition
    site = subprocess.run([sys.executable, "-m", "parkecon", "build"], cwd=ROOT, capture_output=True, text=True,
                          timeout=1800, env={**os.environ, "PARKECON_ROOT": str(ROOT)})
    if site.returncode != 0:
        pytest.fail("the HTML build after the PDF failed:\n" + site.stdout[-3000:] + site.stderr[-3000:])
    return {ed.lang: ROOT / "_build" / "pdf" / f"{ed.name}.pdf" for ed in pdftool.EDITIONS}


@pytest.fixture(scope="session")
def book_pdf(book_pdfs) -> Path:
    return book_pdfs["en"]


@pytest.fixture(scope="session")
def zh_pdf(book_pdfs) -> Path:
    return book_pdfs["zh"]


def pdf_text(pdf: Path, body_only: bool = False) -> str:
    """The PDF's text; with body_only, without the running head and foot of each page (A4: the
    head sits above 60 pt, the foot below 785 pt), so a sentence split by a page break reads on."""
    crop = ["-x", "0", "-y", "60", "-W", "596", "-H", "725"] if body_only else []
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *crop, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def reads_on(paged: str, before: str, value: str) -> bool:
    """`value` reads right after `before` in the squeezed text of the pages (pages joined by
    NUL): either directly, or, where a page ends within these words and a float (a figure TeX
    placed at the top of the next page) comes between, with the rest of the words on the next page."""
    if before + value in paged.replace("\0", ""):
        return True
    for k in range(min(3, len(before)), len(before) + 1):  # the page ends after before[:k]
        head, tail = before[:k] + "\0", before[k:] + value
        at = paged.find(head)
        while at != -1:
            if tail in paged[at + len(head):].split("\0", 1)[0]:
                return True
            at = paged.find(head, at + 1)
    return False


def squeeze(text: str) -> str:
    """Text without spaces, line breaks or hyphens, in compatibility form (ligatures undone):
    what is left does not depend on where TeX broke the lines."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", unicodedata.normalize("NFKC", text))


class Pasted(HTMLParser):
    """The computed numbers of an HTML page (myst-nb's pasted glue values), each with the
    three words before it in the same paragraph, list item or table cell; and the h1."""

    BLOCK = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "caption", "figcaption", "dt", "dd"}

    def __init__(self):
        super().__init__()
        self.block, self.values, self.h1 = "", [], None
        self._paste = self._skip = 0
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.BLOCK:
            self.block = ""
        self._in_h1 = self._in_h1 or (tag == "h1" and self.h1 is None)
        if tag == "span" and attrs.get("class") == "pasted-text":
            self._paste = 1
        if tag in ("script", "style") or (tag == "a" and "headerlink" in (attrs.get("class") or "")):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.block = ""
        if tag == "h1" and self._in_h1:
            self._in_h1 = False
        if tag in ("script", "style", "a") and self._skip:
            self._skip -= 1
        if tag == "span":
            self._paste = 0

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_h1:
            self.h1 = (self.h1 or "") + data
        if self._paste:
            self.values.append((" ".join(self.block.split()[-3:]), data))
        self.block += data


def read_page(html: Path) -> Pasted:
    p = Pasted()
    p.feed(html.read_text(encoding="utf-8"))
    return p


def toc_pages() -> list[str]:
    text = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    return [re.search(r"^root:\s*(\S+)", text, re.M).group(1)] + re.findall(r"file:\s*(\S+)", text)


def running_text(pdf: Path) -> str:
    """The PDF's running text: its paragraphs' lines, as poppler's pdftohtml reads them with their
    font, size and place. A line of running text is set in the body's type size (the book's
    pointsize) and runs across the text block; table cells (narrower, or smaller), figures' own
    labels, the running head and foot are left out, and so is code (mono fonts) within a line."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", "-zoom", "1", str(pdf)], capture_output=True,
                         text=True, check=True).stdout
    body = int(re.search(r"pointsize:\s*(\d+)pt", (ROOT / "_config.yml").read_text(encoding="utf-8")).group(1))
    fonts = {m.group(1): (int(m.group(2)), m.group(3))
             for m in re.finditer(r'<fontspec id="(\d+)" size="(-?\d+)" family="([^"]+)"', xml)}
    rows: dict[tuple[int, int], list] = {}
    for page, content in re.findall(r'<page number="(\d+)"[^>]*>(.*?)</page>', xml, re.S):
        for top, left, width, font, text in re.findall(
                r'<text top="(\d+)" left="(\d+)" width="(\d+)"[^>]*font="(\d+)">(.*?)</text>', content):
            size, family = fonts[font]
            if size == body and 60 <= int(top) <= 785:  # A4: the running head above, the foot below
                rows.setdefault((int(page), int(top)), []).append(
                    (int(left), int(width), "Mono" in family, unescape(re.sub(r"<[^>]+>", "", text))))
    lines = []  # pieces that follow each other on a line; a gap wider than 8 pt separates table cells
    for key in sorted(rows):
        pieces = sorted(rows[key])
        line = [pieces[0]]
        for piece in pieces[1:]:
            if piece[0] - (line[-1][0] + line[-1][1]) > 8:
                lines.append(line)
                line = []
            line.append(piece)
        lines.append(line)
    extent = [line[-1][0] + line[-1][1] - line[0][0] for line in lines]
    block = sorted(extent)[int(0.99 * len(extent))]  # the text block's width
    return "\n".join(" ".join(text for _, _, mono, text in line if not mono)
                     for line, width in zip(lines, extent) if width >= 0.8 * block)


HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
# an English sentence, or most of one: six or more English words in a row
ENGLISH_RUN = re.compile(r"[A-Za-z][a-z]+(?:[ ,;:’'\-]+[A-Za-z][a-z]+){5,}")


# --------------------------------------------------------------------------------------
# Without TeX


def test_missing_tex_stops_with_one_line_naming_the_debian_packages(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}  # no xelatex, latexmk, poppler or fontconfig here
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "pdf.py")], capture_output=True, text=True, env=env)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("make pdf needs TeX and fonts: apt-get install")
    for pkg in ("texlive-xetex", "texlive-lang-chinese", "latexmk", "poppler-utils"):
        assert pkg in lines[0]


def test_ci_installs_every_package_the_pdf_build_names():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    for pkg in pdftool.DEBIAN_PACKAGES:
        assert pkg in ci, f".ci/run does not install {pkg}"


def test_gates_read_the_latex_log():
    log = ("Missing character: There is no 𠀀 (U+20000) in font [NotoSerifCJK-Regular.ttc]:mode=h\narf;!\n"
           "LaTeX Warning: Reference `notebooks/green:fig-x' on page 12 undefined on input line 40.\n"
           "LaTeX Warning: Citation `wujiang2022plan' on page 3 undefined on input line 9.\n"
           "Overfull \\hbox (42.1pt too wide) in paragraph at lines 10--12\n"
           "Overfull \\hbox (2.0pt too wide) in paragraph at lines 20--22\n"
           "Overfull \\vbox (300.5pt too high) has occurred while \\output is active []\n")
    problems = pdftool.log_problems(log)
    assert len(problems) == 5, problems  # the 2 pt box is within the tolerance
    assert problems[0] == "missing character: 𠀀 (U+20000) in font [NotoSerifCJK-Regular.ttc]:mode=harf;"
    assert "undefined reference: notebooks/green:fig-x" in problems[1]
    assert "undefined citation: wujiang2022plan" in problems[2]
    assert "42.1 pt" in problems[3] and "300.5 pt" in problems[4]


# --------------------------------------------------------------------------------------
# The book's PDF


@needs_tex
def test_every_page_of_the_toc_is_in_the_pdf_in_book_order(book_pdf):
    text = squeeze(pdf_text(book_pdf))
    html = ROOT / "_build" / "html"
    pos = -1
    for page in toc_pages():
        title = read_page(html / f"{page}.html").h1
        assert title, f"{page}.html has no h1"
        # the first occurrence after the previous chapter: the contents list them all first
        found = text.find(squeeze(title), pos + 1)
        assert found > pos, f"chapter '{title}' ({page}) is missing from the PDF or out of order"
        pos = found


@needs_tex
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_computed_number_reads_as_on_the_site(book_pdf, chapter):
    paged = "\0".join(squeeze(page) for page in pdf_text(book_pdf, body_only=True).split("\f"))
    values = read_page(ROOT / "_build" / "html" / "notebooks" / f"{chapter}.html").values
    assert len(values) >= 5, f"only {len(values)} pasted numbers on {chapter}.html"  # the data episode pastes few
    missing = [f"{before} [{value}]" for before, value in values if not reads_on(paged, squeeze(before), squeeze(value))]
    assert missing == [], f"{len(missing)} of {len(values)} numbers of {chapter} differ in the PDF: {missing[:10]}"


@needs_tex
def test_figures_are_those_of_the_site_numbered_alike_and_vector(book_pdf):
    html = ROOT / "_build" / "html"
    site = []
    for chapter in CHAPTERS:
        site += re.findall(r'<span class="caption-number">Fig\. ([\d.]+) </span>',
                           (html / "notebooks" / f"{chapter}.html").read_text(encoding="utf-8"))
    printed = re.findall(r"^Fig\. (\d+\.\d+):", pdf_text(book_pdf), re.M)
    figures_numbered_alike_and_vector(book_pdf, site, printed)


def figures_numbered_alike_and_vector(pdf: Path, site: list[str], printed: list[str]) -> None:
    """The PDF numbers its figures as the site does, and draws every one as vector graphics:
    it holds no raster image below 300 dpi."""
    assert len(site) >= 15
    assert printed == site
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    for row in images.stdout.splitlines()[2:]:
        x_ppi, y_ppi = (int(v) for v in row.split()[12:14])
        assert min(x_ppi, y_ppi) >= 300, row


@needs_tex
def test_page_count_and_page_numbers(book_pdf):
    summary = (book_pdf.parent / f"{EDITION.name}.json").read_text(encoding="utf-8")
    pages = pdftool.pdf_pages(book_pdf)
    assert f'"pages": {pages}' in summary
    assert pages >= 100
    # the body is numbered 1..N without a gap or a repeat: the footer of every page after
    # the front matter carries the number of its place in the file (blank pages carry none)
    layout = subprocess.run(["pdftotext", "-layout", str(book_pdf), "-"], capture_output=True, text=True,
                            check=True).stdout.split("\f")[:pages]
    footers = []
    for page in layout:
        lines = [line for line in page.splitlines() if line.strip()]
        m = re.match(r"^\s*(\d+)\s", lines[-1] + " ") or re.search(r"\s(\d+)\s*$", " " + lines[-1]) if lines else None
        footers.append(int(m.group(1)) if m else None)
    first = footers.index(1)
    assert 2 <= first <= 12, f"{first} pages before page 1"  # the title page and the contents
    numbered = [(i, n) for i, n in enumerate(footers) if n is not None and i >= first]
    assert len(numbered) >= 0.8 * (pages - first)  # chapters open on a right-hand page: some blank pages
    assert all(n == i - first + 1 for i, n in numbered), [(i, n) for i, n in numbered if n != i - first + 1][:5]


@needs_tex
def test_title_page_carries_version_date_licence_and_citation(book_pdf):
    first = subprocess.run(["pdftotext", "-l", "1", str(book_pdf), "-"], capture_output=True, text=True).stdout
    flat = " ".join(first.split())
    assert "Parks, clusters and transfer" in flat
    assert re.search(r"Version \d+\.\d+\.\d+", flat)
    assert re.search(r"Built \w{3} \d{2}, \d{4}", flat)
    assert "CC BY 4.0" in flat and "How to cite." in flat


@needs_tex
def test_fonts_are_embedded_and_chinese_quotes_are_set_in_noto_cjk(book_pdf):
    assert pdftool.unembedded_fonts(book_pdf) == []
    fonts = subprocess.run(["pdffonts", str(book_pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts
    # the quotes of a provenance table, as the site shows them, are in the PDF
    html = (ROOT / "_build" / "html" / "notebooks" / "park-economy.html").read_text(encoding="utf-8")
    quotes = [re.sub(r"<[^>]+>", "", q) for q in re.findall(r'<td lang="zh(?:-Hans)?">(.*?)</td>', html)]
    assert len(quotes) >= 10
    text = squeeze(pdf_text(book_pdf))
    assert [q for q in quotes if squeeze(q) not in text] == []


@needs_tex
def test_exercises_are_followed_by_their_solutions_and_the_bibliography_closes_the_book(book_pdf):
    text = pdf_text(book_pdf)
    exercises = re.findall(r"^Exercise (\d+\.\d+) \(", text, re.M)
    assert len(exercises) >= 15
    for a, b in zip(exercises, exercises[1:]):  # a solution between each exercise and the next
        block = text[text.index(f"Exercise {a} ("):text.index(f"Exercise {b} (")]
        assert re.search(r"^Solution$", block, re.M), f"no solution after exercise {a}"
    last_pages = "\n".join(text.split("\f")[-4:])
    assert "Bibliography" in last_pages and "韶关市工业和信息化局" in last_pages


@needs_tex
def test_the_site_links_and_carries_the_pdf(book_pdf):
    html = ROOT / "_build" / "html"
    copy = html / "pdf" / book_pdf.name
    assert copy.is_file() and copy.read_bytes() == book_pdf.read_bytes()
    intro = (html / "book" / "intro.html").read_text(encoding="utf-8")
    assert f'href="../pdf/{book_pdf.name}"' in intro
    chapter = (html / "notebooks" / "clusters.html").read_text(encoding="utf-8")
    assert re.search(rf'href="\.\./pdf/{re.escape(book_pdf.name)}"[^>]*download-book-pdf-button', chapter) or \
        re.search(rf'download-book-pdf-button[^>]*href="\.\./pdf/{re.escape(book_pdf.name)}"', chapter)


@needs_tex
def test_a_missing_glyph_fails_the_build(tmp_path):
    """A character that no font of the book has would print as nothing: the build must fail."""
    book = copy_book(tmp_path)
    shutil.copytree(ROOT / "latex", book / "latex")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: page\n", encoding="utf-8")
    (book / "index.md").write_text("# Test book\n\nA small copy of the book's configuration.\n", encoding="utf-8")
    # U+1F6F8 (flying saucer) is in none of FreeSerif, Noto CJK or the mono font
    (book / "page.md").write_text("# A page\n\nA quote 韶关 and a saucer \U0001F6F8 here.\n", encoding="utf-8")
    proc = run_pdf_tool(book, env={**os.environ, "PARKECON_ROOT": str(book)})
    assert proc.returncode != 0
    assert "missing character" in proc.stderr and "1F6F8" in proc.stderr.upper(), proc.stderr[-2000:]
    assert not (book / "_build" / "pdf" / f"{EDITION.name}.pdf").exists()


# --------------------------------------------------------------------------------------
# The Chinese edition's PDF, read back like the English one, against the Chinese site

ZH_SITE = SITES["zh"]


def quoteless(text: str) -> str:
    """Text without quotation marks: LaTeX prints the site's straight quotes as curly ones."""
    return re.sub("[\"'“”‘’]", "", text)


@needs_tex
def test_zh_every_page_of_the_toc_is_in_the_pdf_in_book_order(zh_pdf):
    text = squeeze(pdf_text(zh_pdf))
    pos = -1
    for page in toc_pages():
        title = read_page(ZH_SITE / f"{page}.html").h1
        assert title and HAN.search(title), f"zh/{page}.html has no Chinese h1: {title!r}"
        found = text.find(squeeze(title), pos + 1)
        assert found > pos, f"chapter '{title}' ({page}) is missing from the Chinese PDF or out of order"
        pos = found


@needs_tex
def test_zh_chapters_open_with_their_number_in_chinese(zh_pdf):
    """第1章 above each analysis chapter's title and in the contents, 第一部分 ... for the parts,
    目录 for the contents."""
    text = squeeze(pdf_text(zh_pdf))
    body = text[text.index("目录"):]
    for number, chapter in enumerate(CHAPTERS, start=1):
        title = squeeze(read_page(ZH_SITE / "notebooks" / f"{chapter}.html").h1)
        assert title.startswith(f"{number}.") or HAN.search(title)
        assert f"第{number}章{title.split('.', 1)[-1] if title.startswith(f'{number}.') else title}" in body, \
            f"chapter {number} ({chapter}) does not open with 第{number}章"
    assert "第一部分" in body and "第二部分" in body
    assert not re.search(r"Chapter\d|Part[IV]+|Contents", text)
    # the contents (the first pages with dot leaders) list them the same way: 第1章, not 1
    contents = squeeze("".join(p for p in pdf_text(zh_pdf).split("\f")[:15] if re.search(r"(\. ){8}", p)))
    for number, chapter in enumerate(CHAPTERS, start=1):
        title = squeeze(read_page(ZH_SITE / "notebooks" / f"{chapter}.html").h1).split(".", 1)[-1]
        assert f"第{number}章{title}" in contents, f"the contents do not list chapter {number} as 第{number}章"


@needs_tex
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_zh_every_computed_number_reads_as_on_the_chinese_site(zh_pdf, chapter):
    paged = "\0".join(quoteless(squeeze(page)) for page in pdf_text(zh_pdf, body_only=True).split("\f"))
    values = read_page(ZH_SITE / "notebooks" / f"{chapter}.html").values
    assert len(values) >= 5, f"only {len(values)} pasted numbers on zh/{chapter}.html"
    # Chinese puts no spaces between words: each value with the eight characters before it on the site
    missing = [f"{before[-8:]} [{value}]" for before, value in values
               if not reads_on(paged, quoteless(squeeze(before)[-8:]), quoteless(squeeze(value)))]
    assert missing == [], f"{len(missing)} of {len(values)} numbers of {chapter} differ in the Chinese PDF: {missing[:10]}"


@needs_tex
def test_zh_figures_are_those_of_the_chinese_site_numbered_alike_and_vector(zh_pdf):
    site = []
    for chapter in CHAPTERS:
        site += re.findall(r'<span class="caption-number">图 ([\d.]+) </span>',
                           (ZH_SITE / "notebooks" / f"{chapter}.html").read_text(encoding="utf-8"))
    # a caption is 图 3.1, an em space, its text (a reference in the text runs on without a space)
    printed = re.findall(r"^图 (\d+\.\d+)\s", pdf_text(zh_pdf), re.M)
    figures_numbered_alike_and_vector(zh_pdf, site, printed)


@needs_tex
def test_zh_page_count_and_page_numbers(zh_pdf, book_pdf):
    summary = json.loads((zh_pdf.parent / f"{ZH_EDITION.name}.json").read_text(encoding="utf-8"))
    pages = pdftool.pdf_pages(zh_pdf)
    assert summary["pages"] == pages and summary["edition"] == "zh"
    # the same book: as many pages as the English one, give or take what Chinese sets shorter or longer
    assert 0.7 * pdftool.pdf_pages(book_pdf) <= pages <= 1.5 * pdftool.pdf_pages(book_pdf)
    layout = subprocess.run(["pdftotext", "-layout", str(zh_pdf), "-"], capture_output=True, text=True,
                            check=True).stdout.split("\f")[:pages]
    footers = []
    for page in layout:
        lines = [line for line in page.splitlines() if line.strip()]
        m = re.match(r"^\s*(\d+)\s", lines[-1] + " ") or re.search(r"\s(\d+)\s*$", " " + lines[-1]) if lines else None
        footers.append(int(m.group(1)) if m else None)
    first = footers.index(1)
    assert 2 <= first <= 12, f"{first} pages before page 1"
    numbered = [(i, n) for i, n in enumerate(footers) if n is not None and i >= first]
    assert len(numbered) >= 0.8 * (pages - first)
    assert all(n == i - first + 1 for i, n in numbered), [(i, n) for i, n in numbered if n != i - first + 1][:5]


@needs_tex
def test_zh_title_page_is_chinese_with_version_date_licence_and_citation(zh_pdf):
    first = subprocess.run(["pdftotext", "-l", "1", str(zh_pdf), "-"], capture_output=True, text=True).stdout
    flat = "".join(first.split())
    assert "园区、集群与产业转移：粤北工业经济" in flat
    assert re.search(r"版本\d+\.\d+\.\d+", flat)
    assert re.search(r"构建于\d{4}年[1-9]\d?月[1-9]\d?日", flat)  # a Chinese date, no leading zeros
    assert "CCBY4.0" in flat and "引用方式" in flat and "许可" in flat
    assert not re.search(r"Version|Built|Licence|How to cite", first)


@needs_tex
def test_zh_fonts_are_embedded_chinese_in_noto_cjk_figures_in_the_pinned_font(zh_pdf):
    assert pdftool.unembedded_fonts(zh_pdf) == []
    fonts = subprocess.run(["pdffonts", str(zh_pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts  # the text (serif) and headings (sans)
    assert "NotoSansCJKsc" in fonts  # the figures' labels, from the pinned noto-cjk-sans-otc
    log = (ROOT / "_build" / "zh" / "latex" / "book.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    assert pdftool.log_problems(log) == []


@needs_tex
def test_zh_exercises_are_followed_by_their_solutions_and_the_bibliography_closes_the_book(zh_pdf):
    text = pdf_text(zh_pdf)
    # 练习 1.1, an em space, the title (pdftotext breaks the line at the em space)
    exercises = re.findall(r"^练习 (\d+\.\d+)\s", text, re.M)
    assert len(exercises) >= 15
    assert not re.search(r"^(Exercise|Solution)\b", text, re.M)
    starts = [m.start() for m in re.finditer(r"^练习 \d+\.\d+\s", text, re.M)]
    for a, start, end in zip(exercises, starts, starts[1:]):  # a solution between each exercise and the next
        block = text[start:end]
        assert re.search(r"^解答$", block, re.M), f"no solution after exercise {a}"
    last_pages = "\n".join(text.split("\f")[-4:])
    assert "参考文献" in last_pages and "韶关市工业和信息化局" in last_pages


# English allowed in the Chinese edition's running text: names, terms and code the text quotes,
# and what the data holds only in English (the sources' issuers and notes, the workshop's
# session names). Counted in sentence-like runs of six or more English words; the English PDF
# has more than 1,000 of them, an untranslated chapter brings dozens.
ENGLISH_RUNS_ALLOWED = 25
MIN_HAN_PER_LATIN = 5.0


@needs_tex
def test_zh_running_text_is_chinese(zh_pdf, book_pdf):
    text = running_text(zh_pdf)
    han, latin = len(HAN.findall(text)), len(LATIN.findall(text))
    runs = ENGLISH_RUN.findall(text)
    print(f"Chinese PDF running text: {han} Chinese characters, {latin} Latin letters; "
          f"{len(runs)} English runs:\n" + "\n".join(runs))
    assert han >= MIN_HAN_PER_LATIN * latin
    assert len(runs) <= ENGLISH_RUNS_ALLOWED, f"{len(runs)} English sentences in the Chinese PDF's running text"
    # the measures can fail: the English PDF's running text is far from both
    english = running_text(book_pdf)
    assert len(HAN.findall(english)) < 0.1 * len(LATIN.findall(english))
    assert len(ENGLISH_RUN.findall(english)) > 20 * ENGLISH_RUNS_ALLOWED


@needs_tex
def test_each_site_links_and_carries_its_own_editions_pdf(book_pdfs):
    for lang, pdf in book_pdfs.items():
        site = SITES[lang]
        other = book_pdfs["zh" if lang == "en" else "en"].name
        copy = site / "pdf" / pdf.name
        assert copy.is_file() and copy.read_bytes() == pdf.read_bytes()
        intro = (site / "book" / "intro.html").read_text(encoding="utf-8")
        assert f'href="../pdf/{pdf.name}"' in intro and other not in intro
        chapter = (site / "notebooks" / "clusters.html").read_text(encoding="utf-8")
        assert f"pdf/{pdf.name}" in chapter and other not in chapter
    zh_intro = (SITES["zh"] / "book" / "intro.html").read_text(encoding="utf-8")
    assert "下载：" in zh_intro and "built without" not in zh_intro and "Download:" not in zh_intro
    assert "全书 .pdf" in (SITES["zh"] / "notebooks" / "clusters.html").read_text(encoding="utf-8")
