"""What every page says about the book: where it lives, its version and build date, how to
cite it, its reference list; and the site hooks of parkecon/machinery/site.py on small inputs."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import ROOT


def repository_url() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]


def content_pages(built_book: Path) -> list[Path]:
    """Every page of the site (not the redirect that index.html is)."""
    return [p for p in built_book.rglob("*.html") if "_static" not in p.parts and p.name not in ("genindex.html",)
            and "http-equiv=\"Refresh\"" not in p.read_text(encoding="utf-8")[:300]]


def test_every_page_footer_gives_version_build_date_and_repository(built_book):
    url = repository_url()
    for page in content_pages(built_book):
        footer = page.read_text(encoding="utf-8").split('class="extra_footer"', 1)[-1][:2000]
        if page.relative_to(built_book).parts[0] == "zh":  # the Chinese edition's sphinx.po
            assert re.search(r"版本[0-9][^，]*，构建于\d{4}年[1-9]\d?月[1-9]\d?日。", footer), page.name
            assert re.search(r"如何引用</a>。</p>", footer), page.name  # a Chinese full stop
        else:
            assert re.search(r"Version [0-9][^,]*, built \d{4}-\d{2}-\d{2}\.", footer), page.name
        assert f'href="{url}"' in footer, page.name
        assert "every number links to a verbatim quote" not in footer


def test_repository_is_configured_once_and_shown(built_book):
    url = repository_url()
    setup = (built_book / "book" / "workshop-setup.html").read_text(encoding="utf-8")
    assert f"git clone {url}" in setup and "REPOSITORY_URL" not in setup
    chapter = (built_book / "notebooks" / "clusters.html").read_text(encoding="utf-8")
    assert f"{url}/issues" in chapter, "no issue button"
    assert f"{url}/edit/main/notebooks/clusters.md" in chapter, "no edit button"
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f'repository-code: "{url}"' in cff
    typed = [p for p in ["book", "notebooks"] for f in (ROOT / p).rglob("*.md") if url in f.read_text(encoding="utf-8")]
    assert typed == [], f"the repository address is typed into {typed}; use {{{{ repository_url }}}}"


def test_how_to_cite_gives_bibtex_with_the_cff_version(built_book):
    intro = (built_book / "book" / "intro.html").read_text(encoding="utf-8")
    version = re.search(r'^version:\s*"([^"]+)"', (ROOT / "CITATION.cff").read_text(encoding="utf-8"), re.M).group(1)
    block = re.search(r'id="how-to-cite".*?<pre[^>]*>(.*?)</pre>', intro, re.S).group(1)
    assert "&#64;misc{" in block or "@misc{" in block
    assert f'version      = &quot;{version}&quot;' in block
    assert 'href="sources.html#download-the-data"' in intro, "the intro does not link the data downloads"


def test_reference_list_is_author_year_and_keeps_proper_names(built_book):
    text = (built_book / "book" / "sources.html").read_text(encoding="utf-8")
    labels = re.findall(r'<span class="label"><span class="fn-bracket">\[</span>(.*?)<span class="fn-bracket">\]', text)
    assert len(labels) >= 6
    assert not any(re.fullmatch(r"\d+", re.sub(r"<[^>]+>", "", lab)) for lab in labels), labels
    plain = re.sub(r"<[^>]+>", "", text)
    assert "13th Shaoguan CPPCC" in plain and "shaoguan cppcc" not in plain
    assert "（a）" not in plain


def test_chinese_runs_are_marked_and_tags_left_alone():
    from parkecon.machinery.site import accessible_body, mark_chinese

    html = '<p title="韶关">The 韶关市 reply (韶工信函〔2022〕125号) and Qingcheng</p><script>var s = "韶关";</script>'
    out = mark_chinese(html)
    assert '<span lang="zh-Hans">韶关市</span>' in out
    assert '<span lang="zh-Hans">韶工信函〔2022〕125号</span>' in out
    assert 'title="韶关"' in out and 'var s = "韶关";' in out
    body = accessible_body('<figure class="align-default" id="f"><img alt="a" src="../_images/x.png" />'
                           '<summary aria-label="Toggle hidden content"><table><tr><th class="blank level0" >&nbsp;</th></tr></table>')
    assert '<a class="figure-full" href="../_images/x.png"' in body
    assert "aria-label" not in body and "<th" not in body


def test_search_dictionary_holds_short_names(tmp_path):
    from parkecon.machinery.site import search_words, write_search_dict

    (tmp_path / "entities.csv").write_text("entity_id,name_zh\nshaogang,韶钢（宝武集团广东韶关钢铁有限公司）\nx,A\n", encoding="utf-8")
    (tmp_path / "indicators.csv").write_text("indicator_id,name_zh\nva,工业增加值\n", encoding="utf-8")
    assert set(search_words(tmp_path)) == {"韶钢（宝武集团广东韶关钢铁有限公司）", "韶钢", "宝武集团广东韶关钢铁有限公司", "工业增加值"}
    out = tmp_path / "build" / "dict.txt"
    assert write_search_dict(tmp_path, out) is True
    assert write_search_dict(tmp_path, out) is False  # unchanged: pages are not re-indexed


def test_myst_documents_made_once_are_the_same_documents():
    """fast_myst_documents: a document myst-parser makes has the settings docutils would make
    from scratch, its own copy of them (changing one document's settings changes no other)."""
    from myst_parser.mdit_to_docutils import base

    from parkecon.machinery.site import fast_myst_documents

    fast_myst_documents()
    assert base.make_document._parkecon
    plain = lambda doc: {k: (v.list if k == "record_dependencies" else v) for k, v in vars(doc.settings).items()}
    a, b = base.make_document("a.md"), base.make_document("b.md")
    assert plain(a) == plain(base.make_document.__wrapped__("a.md"))
    assert a["source"] == "a.md" and a.settings is not b.settings
    a.settings.report_level = 5
    a.settings.record_dependencies.add("x")
    assert b.settings.report_level != 5 and not b.settings.record_dependencies.list


def test_myst_parsers_are_kept_per_configuration_and_never_shared_while_rendering():
    """fast_myst_parsers: the same configuration gets the same parser, another one its own,
    and a parse that starts while the kept parser renders (nested) gets a new one."""
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer
    from myst_parser.parsers import sphinx_ as myst_sphinx

    from parkecon.machinery.site import fast_myst_documents, fast_myst_parsers

    fast_myst_documents()
    fast_myst_parsers()
    make = myst_sphinx.create_md_parser
    a, b = MdParserConfig(), MdParserConfig(heading_anchors=2)
    p = make(a, DocutilsRenderer)
    assert make(a, DocutilsRenderer) is p and make(b, DocutilsRenderer) is not p
    seen = []
    original = p.renderer.render

    def nested(tokens, options, env):
        seen.append(make(a, DocutilsRenderer))  # asked for while p renders
        return original(tokens, options, env)

    p.renderer.render = nested
    try:
        doc = p.render("# Title\n\nSome *text*.")
    finally:
        del p.renderer.render
    assert seen and seen[0] is not p
    assert make(a, DocutilsRenderer) is p  # free again once the render ended
    assert "Some" in doc.astext()
    for i in range(20):  # only the last few configurations are kept
        make(MdParserConfig(words_per_minute=100 + i), DocutilsRenderer)
    assert len(make.kept) <= 8
