"""The two editions on the site (a Sphinx extension listed in _config.yml).

- Glue roles in translated text. Sphinx parses a translated paragraph on its own, and
  myst-nb parses such text with the plain MyST parser, which has no notebook outputs: a
  `{glue:text}`key:fmt`` there found nothing ("No key ... found in glue data") and the number
  was blank. Here the glue roles, when they meet a key without notebook outputs around them,
  read it as a key of the page being translated (`<page>::key`, which myst-nb resolves from
  the glue data the page's own notebook stored). Translators write the roles exactly as the
  English does, or a key the page pastes for Chinese (`<key>__yi`, `<key>__wan`).
- A language switch on every page, leading to the same page in the other edition (header,
  a link with `lang` and `hreflang`, usable by keyboard and screen reader), and
  `<link rel="alternate" hreflang>` in each page's head. The Chinese site is `zh/` inside
  the English one.
- `<html lang="zh-CN">` on Chinese pages (Sphinx would write the locale name, zh_CN).
"""
from __future__ import annotations

from html import escape

from myst_nb.ext.glue.roles import PasteRoleAny, PasteTextRole
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..i18n import N_

ZH_PREFIX = "zh/"   # the Chinese site within the English one
LABELS = {"en": ("English", "en", "Read this page in English"),
          "zh": ("中文", "zh-CN", "阅读本页的中文版")}


def _in_translation(role) -> bool:
    """True when the role is parsed in a translated message (no notebook outputs at hand)."""
    return "nb_renderer" not in role.document and getattr(role.document.settings, "env", None) is not None


def _this_page(role) -> str:
    env = role.document.settings.env
    return "/" + env.doc2path(env.docname, False)


class TranslatedPasteText(PasteTextRole):
    """`{glue:text}`key:fmt`` that also works inside a translated paragraph."""

    def run(self):
        if _in_translation(self) and "::" not in self.text:
            # the role splits off the format at the last colon: keep the default ("s") explicit
            spec = self.text if ":" in self.text else self.text + ":s"
            self.text = f"{_this_page(self)}::{spec}"
        return super().run()


class TranslatedPasteAny(PasteRoleAny):
    """`{glue}`key`` / `{glue:any}`key`` that also work inside a translated paragraph."""

    def run(self):
        if _in_translation(self) and "::" not in self.text:
            self.text = f"{_this_page(self)}::{self.text}"
        return super().run()


def edition(config) -> str:
    return "zh" if str(config.language or "en").lower().startswith("zh") else "en"


def twin_href(pagename: str, lang: str) -> str:
    """Relative link from `pagename` of edition `lang` to the same page of the other edition."""
    up = "../" * pagename.count("/")
    return f"{up}{ZH_PREFIX}{pagename}.html" if lang == "en" else f"../{up}{pagename}.html"


def absolute(baseurl: str, lang: str, pagename: str) -> str:
    """The page's address in edition `lang`; `baseurl` is either edition's (the Chinese one ends in zh/)."""
    base = baseurl.rstrip("/") + "/"
    if base.endswith("/" + ZH_PREFIX):
        base = base[: -len(ZH_PREFIX)]
    return f"{base}{ZH_PREFIX if lang == 'zh' else ''}{pagename}.html"


def _page_context(app, pagename, templatename, context, doctree) -> None:
    lang = edition(app.config)
    other = "zh" if lang == "en" else "en"
    label, hreflang, title = LABELS[other]
    context["parkecon_switch"] = {"href": twin_href(pagename, lang), "label": label, "lang": hreflang,
                                  "title": title}
    if lang == "zh":
        context["language"] = "zh-CN"
    base = app.config.html_baseurl or ""
    if base:
        links = "".join(f'<link rel="alternate" hreflang="{LABELS[code][1]}" href="{escape(absolute(base, code, pagename))}" />\n'
                        for code in ("en", "zh"))
    else:
        links = (f'<link rel="alternate" hreflang="{LABELS[lang][1]}" href="{escape(pagename.rsplit("/", 1)[-1])}.html" />\n'
                 f'<link rel="alternate" hreflang="{hreflang}" href="{escape(twin_href(pagename, lang))}" />\n')
    context["metatags"] = context.get("metatags", "") + links


def _theme_options(app, config) -> None:
    """Put the switch first in the article header, before the theme's buttons."""
    opts = dict(config.html_theme_options or {})
    end = opts.get("article_header_end") or ["article-header-buttons.html"]
    if isinstance(end, str):
        end = [e.strip() for e in end.split(",") if e.strip()]
    if "language-switch.html" not in end:
        opts["article_header_end"] = ["language-switch.html", *end]
    config.html_theme_options = opts


class TranslateTocCaptions(SphinxTransform):
    """The part captions of the contents (from _toc.yml) in the page's catalogue.

    sphinx-external-toc inserts the toctrees after Sphinx has translated the page, so their
    captions stayed English; the gettext builder extracts them into the root page's catalogue."""

    default_priority = 101  # after sphinx_external_toc's InsertToctrees (100)

    def apply(self, **kwargs) -> None:
        from os import path

        from sphinx import addnodes
        from sphinx.locale import init as init_locale
        from sphinx.util.i18n import docname_to_domain

        if edition(self.config) == "en":
            return
        dirs = [path.join(self.env.srcdir, d) for d in self.config.locale_dirs]
        catalog, has = init_locale(dirs, self.config.language, docname_to_domain(self.env.docname, self.config.gettext_compact))
        if not has:
            return
        for node in self.document.findall(addnodes.toctree):
            caption = node.get("caption")
            if caption and catalog.gettext(caption) != caption:
                node["caption"] = node["rawcaption"] = catalog.gettext(caption)


def _extension_strings(app) -> None:
    """Strings of the theme and of sphinx-exercise from the book's own catalogues first
    (booktheme.po, exercise.po), then from the packages' own: sphinx-book-theme's zh_CN
    catalogue lacks some and uses Taiwanese wording (e.g. 列印成 PDF); sphinx-exercise's lacks
    "Solution", the heading of every solution in this book's exercise style."""
    import gettext
    from os import path

    from sphinx import locale

    if edition(app.config) == "en":
        return
    from sphinx.util.i18n import CatalogRepository

    # Sphinx compiles the pages' catalogues only after this point, and these not at all
    repo = CatalogRepository(app.srcdir, app.config.locale_dirs, app.config.language, app.config.source_encoding)
    for catalog in repo.catalogs:
        if catalog.domain in ("booktheme", "exercise") and catalog.is_outdated():
            catalog.write_mo(app.config.language, app.config.gettext_allow_fuzzy_translations)
    for domain in ("booktheme", "exercise"):
        key = ("general", domain)
        for d in app.config.locale_dirs:
            full = path.join(app.srcdir, d)
            if path.isfile(path.join(full, str(app.config.language), "LC_MESSAGES", f"{domain}.mo")):
                mine = gettext.translation(domain, localedir=full, languages=[str(app.config.language)])
                theirs = locale.translators.get(key)
                if theirs is not None:
                    mine.add_fallback(theirs)
                locale.translators[key] = mine
                break


def _drop_message_documents(app, doctree) -> None:
    """Nodes of a translated message keep a reference to the small document Sphinx parsed the
    message in; pickled with the page, these made each Chinese doctree about 2.5 MB instead of
    0.3 MB (and a no-change build slow: Sphinx loads every doctree to number figures). Point
    them back to the page (through their parents)."""
    if edition(app.config) == "en":
        return
    for node in doctree.findall():
        if node is not doctree and getattr(node, "_document", None) is not None and node._document is not doctree:
            node._document = None


class TranslateExecutionTable(SphinxPostTransform):
    """myst-nb's table of executed notebooks ({nb-exec-table}) has English headers and method
    names written in code; in the Chinese edition they come from parkecon/zh.csv."""

    default_priority = 9  # after myst-nb writes the table (8), before references are resolved (10)
    HEADERS = (N_("Document"), N_("Modified"), N_("Method"), N_("Run Time (s)"), N_("Status"))
    METHODS = (N_("cache"), N_("inline"))

    def run(self, **kwargs) -> None:
        from docutils import nodes

        from ..i18n import tr

        if edition(self.config) == "en":
            return
        for table in self.document.findall(nodes.table):
            head = [e.astext() for e in table.findall(nodes.entry) if isinstance(e.parent.parent, nodes.thead)]
            if tuple(head) != self.HEADERS:
                continue
            for entry in table.findall(nodes.entry):
                for text in list(entry.findall(nodes.Text)):
                    if text.astext() in self.HEADERS + self.METHODS:
                        text.parent.replace(text, nodes.Text(tr(text.astext())))


def setup(app):
    app.add_transform(TranslateTocCaptions)
    app.add_post_transform(TranslateExecutionTable)
    app.connect("doctree-read", _drop_message_documents)
    app.connect("builder-inited", _extension_strings)
    app.add_role_to_domain("glue", "", TranslatedPasteAny(), override=True)
    app.add_role_to_domain("glue", "any", TranslatedPasteAny(), override=True)
    app.add_role_to_domain("glue", "text", TranslatedPasteText(), override=True)
    app.add_role("glue", TranslatedPasteAny(), override=True)
    app.connect("config-inited", _theme_options)
    app.connect("html-page-context", _page_context)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
