"""Build both editions of the book, English and Chinese (`make book`, `python -m parkecon build`).

One configuration (_config.yml), two editions:

1. English, strict, into `_build/html/` (doctrees `_build/.doctrees`, execution cache
   `_build/.jupyter_cache`), exactly what `jupyter-book build .` does.
2. Messages: Sphinx's gettext builder reads the English pages again from the English
   execution cache (captions in notebook metadata need executed notebooks) and writes one
   template per page into `_build/gettext/`.
3. The catalogues `book/locale/zh_CN/LC_MESSAGES/**.po` are updated from the templates
   (catalogues.update: translations kept, changed English marked fuzzy, new messages
   added empty), then the gate: any untranslated or fuzzy message stops the build here,
   naming page and message (catalogues.problems); so does any English text of the data that
   the Chinese pages show without a row in parkecon/zh-data.csv, named with file, line and
   column (`data_gate`: parkecon.i18n.DATA_TEXTS).
4. Chinese, strict, into `_build/html/zh/`, with its own doctrees, its own execution
   cache (`_build/zh/.jupyter_cache`: the cache does not key on the language, one shared
   cache would serve English figures) and its own notebook outputs (`_build/zh/`). Its
   configuration is _config.yml with the settings of `ZH_OVERRIDES` merged in, written to
   `_build/zh/_config.yml` (for `jupyter-book build --config`, e.g. a Chinese PDF); the
   kernels get PARKECON_LANG=zh (parkecon/machinery/prerun.py).

Jupyter Book 1.x has no `-D` and puts the HTML of `--path-output X` in `X/_build/html`,
so the three builds run in this process through jupyter_book.sphinx.build_sphinx (which
is what its command line calls), with the same settings as `jupyter-book build . -W -n
--keep-going`. One process also saves importing Sphinx, myst-nb and pandas three times.

PARKECON_LOCALE names another folder of catalogues (a scratch copy, e.g. with test
translations); the default is book/locale/.
"""
from __future__ import annotations

import contextlib
import copy
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

STRICT = dict(warningiserror=True, keep_going=True)
SEARCH_HINT_ZH = "搜索本书（多个词请用空格隔开）…"


@dataclass
class Edition:
    lang: str                    # "en" or "zh": PARKECON_LANG of its kernels
    outdir: Path
    doctrees: Path
    config: Path                 # the _config.yml it builds with
    overrides: dict = field(default_factory=dict)


def locale_dirs(root: Path) -> Path:
    return Path(os.environ["PARKECON_LOCALE"]).resolve() if os.environ.get("PARKECON_LOCALE") else root / "book" / "locale"


def zh_dir(root: Path) -> Path:
    """The Chinese edition's build folder (doctrees, notebook outputs, execution cache, state)."""
    return root / "_build" / "zh"


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    return out


CONFIG_MESSAGES = (("title",), ("author",), ("html", "extra_footer"))  # settings shown on every page: translated in sphinx.po


def config_messages(root: Path) -> list[str]:
    """The English of the settings in CONFIG_MESSAGES, from _config.yml."""
    import yaml

    base = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    out = []
    for keys in CONFIG_MESSAGES:
        value = base
        for k in keys:
            value = (value or {}).get(k)
        if isinstance(value, str) and value.strip():
            out.append(value)
    return out


# Interface strings of Sphinx and the theme (pydata-sphinx-theme; "sphinx" domain) that they
# do not translate into Chinese: added to sphinx.pot so that sphinx.po translates them (the
# permalinks' hover titles are Sphinx's own). Strings of sphinx-book-theme (its "booktheme"
# domain) are in booktheme.po (parkecon/machinery/langsite.py); the few it writes without
# marking them for translation come from the book's copies of its templates (book/_templates).
THEME_MESSAGES = ("Back to top", "Skip to main content", "previous page", "next page", "On this page",
                  "Section Navigation", "Site navigation", "Version warning",
                  "Link to this heading", "Link to this image", "Link to this table", "Link to this code",
                  "Link to this definition", "Link to this equation", "light/dark", "© Copyright %(copyright)s.",
                  "Please activate JavaScript to enable the search functionality.")


def add_config_messages(root: Path, pot_dir: Path) -> None:
    """Add the settings' English to the template of the interface strings (sphinx.pot)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    pot = Path(pot_dir) / "sphinx.pot"
    if pot.exists():
        with pot.open("rb") as fh:
            cat = read_po(fh)
    else:
        cat = Catalog(fuzzy=True)
    for text in config_messages(root):
        cat.add(text, auto_comments=["_config.yml"])
    for text in THEME_MESSAGES:
        cat.add(text, auto_comments=["pydata-sphinx-theme"])
    with pot.open("wb") as fh:
        write_po(fh, cat, width=0)


def translation(root: Path, text: str) -> str | None:
    """The current Chinese of an interface string (book/locale/zh_CN/LC_MESSAGES/sphinx.po), if any."""
    from . import catalogues

    po = catalogues.catalogue_dir(locale_dirs(root)) / "sphinx.po"
    if not po.exists():
        return None
    m = catalogues._read(po).get(text)
    return m.string if m is not None and m.string and not m.fuzzy else None


def zh_config(root: Path) -> dict:
    """_config.yml with the Chinese edition's settings (the one source of configuration)."""
    import yaml

    base = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    theme = dict((base.get("sphinx", {}).get("config", {}) or {}).get("html_theme_options", {}) or {})
    theme["search_bar_text"] = SEARCH_HINT_ZH
    loc = locale_dirs(root)
    extra = {
        "execute": {"cache": str(zh_dir(root) / ".jupyter_cache")},
        "html": {"baseurl": (base.get("html", {}).get("baseurl") or "").rstrip("/") + "/zh/"
                 if base.get("html", {}).get("baseurl") else ""},
        "sphinx": {"config": {
            "language": "zh_CN",
            "locale_dirs": [str(loc) if os.environ.get("PARKECON_LOCALE") else "book/locale/"],
            "html_search_language": "zh",
            "html_theme_options": theme,
            # references without their English, cited as [张文文等，2021] (parkecon/machinery/site.py)
            "bibtex_reference_style": "author_year_zh",
            "bibtex_default_style": "plain_author_year_zh",
            # myst-nb's toggles of hidden code ("Show code cell source" in English)
            "nb_code_prompt_show": "显示代码",
            "nb_code_prompt_hide": "隐藏代码",
        }},
    }
    title = translation(root, base.get("title", ""))
    if title:
        extra["title"] = title
    author = translation(root, base.get("author", ""))
    if author:
        extra["author"] = author
    footer = translation(root, (base.get("html") or {}).get("extra_footer", ""))
    if footer:
        extra["html"]["extra_footer"] = footer
    return _merge(base, extra)


def write_zh_config(root: Path) -> Path:
    """Write the Chinese configuration to _build/zh/_config.yml (only when it changed)."""
    import yaml

    path = zh_dir(root) / "_config.yml"
    text = ("# Generated from _config.yml by parkecon/machinery/editions.py: do not edit.\n"
            + yaml.safe_dump(zh_config(root), allow_unicode=True, sort_keys=False, width=1000))
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def editions(root: Path) -> dict[str, Edition]:
    b = root / "_build"
    return {
        "en": Edition("en", b / "html", b / ".doctrees", root / "_config.yml"),
        "gettext": Edition("en", b / "gettext", b / "gettext" / ".doctrees", root / "_config.yml",
                           {"parkecon_prerun": False}),
        "zh": Edition("zh", b / "html" / "zh", zh_dir(root) / ".doctrees", zh_dir(root) / "_config.yml"),
    }


def sphinx_build(root: Path, ed: Edition, builder: str = "html") -> int:
    """One strict build, as `jupyter-book build . -W -n --keep-going` runs it; returns its status."""
    from jupyter_book.sphinx import build_sphinx
    from sphinx import locale

    locale.translators.clear()  # Sphinx keeps the last build's translator in the process
    os.environ["PARKECON_LANG"] = ed.lang  # kernels myst-nb starts itself (prerun passes it explicitly)
    os.environ.setdefault("PARKECON_ROOT", str(root))
    overrides = {"external_toc_path": (root / "_toc.yml").as_posix(), "latex_individualpages": False,
                 "nitpicky": True, **ed.overrides}
    result = build_sphinx(root, ed.outdir, noconfig=True, path_config=str(ed.config), confoverrides=overrides,
                          doctreedir=ed.doctrees, builder=builder, **STRICT)
    return result if isinstance(result, int) else 1


def english_digest(root: Path, eds: dict[str, Edition]) -> str:
    """What the message templates are made from: the English doctrees (rewritten whenever
    Sphinx reads a page again), the configuration, the toc and the book's templates."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted(eds["en"].doctrees.rglob("*.doctree")):
        st = p.stat()
        h.update(f"{p.relative_to(eds['en'].doctrees)} {st.st_mtime_ns} {st.st_size}\n".encode())
    for p in [root / "_config.yml", root / "_toc.yml", *sorted((root / "book" / "_templates").glob("*"))]:
        if p.is_file():
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def extract_and_gate(root: Path, eds: dict[str, Edition], log=print, force: bool = False) -> list:
    """Messages of the English pages into the catalogues, then the problems that stop the Chinese build.

    The gettext build is skipped when the English edition is as it was at the last extraction
    (no page read again, same configuration and templates): its templates are still current."""
    from . import catalogues

    out = eds["gettext"].outdir
    stamp = out / "inputs.sha256"
    digest = english_digest(root, eds)
    if force or not stamp.exists() or stamp.read_text() != digest or not any(out.rglob("*.pot")):
        stamp.unlink(missing_ok=True)
        status = sphinx_build(root, eds["gettext"], builder="gettext")
        if status:
            raise SystemExit(f"extracting the messages (gettext builder) failed with status {status}")
        stamp.write_text(digest)
    add_config_messages(root, out)  # cheap, and current even when the templates were not rebuilt
    changed = catalogues.update(out, locale_dirs(root))
    if changed:
        log(f"[editions] catalogues updated from the English pages: {', '.join(changed)}")
    return catalogues.problems(locale_dirs(root))


def data_gate(root: Path) -> list:
    """The data's English that the Chinese pages show (parkecon.i18n.DATA_TEXTS) without a row in
    parkecon/zh-data.csv: all of them, each with file, line and column."""
    from ..i18n import missing_data_texts
    from ..paths import data_dir

    return missing_data_texts(data_dir(root))


def data_report(missing: list) -> str:
    return ("\n".join(f"  {t}" for t in missing)
            + f"\n{len(missing)} text(s) of the data without Chinese: add a row (columns en,zh) for each to "
              "parkecon/zh-data.csv, keyed by the exact English.")


PRELOAD = ("jupyter_book.sphinx", "sphinx.application", "sphinx.builders.html", "myst_nb.sphinx_ext",
           "myst_nb.core.read", "jupyter_cache", "sphinx_book_theme", "pydata_sphinx_theme", "sphinx_exercise",
           "sphinxcontrib.bibtex", "parkecon", "parkecon.machinery.sphinxext", "parkecon.machinery.site",
           "parkecon.machinery.kithook", "parkecon.machinery.latex", "parkecon.machinery.langsite")


def _preload() -> None:
    """Import what every build imports before the Chinese build forks off, so that the two
    processes share it instead of importing it twice (seconds of a no-change rebuild)."""
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    from .cache import environment_key

    environment_key()  # remembered per process: computed once for both


def _start(root: Path, ed: Edition, log_path: Path) -> int | None:
    """Start the build of `ed` in a forked process (its output to `log_path`); its pid, or None
    where processes cannot fork (the caller then builds it afterwards)."""
    if not hasattr(os, "fork"):
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        status = sphinx_build(root, ed)
    except BaseException:  # report, never return into the parent's code
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1 if status else 0)


def _join(pid: int, log_path: Path) -> int:
    _, code = os.waitpid(pid, 0)
    sys.stdout.write(log_path.read_text(encoding="utf-8", errors="replace"))
    sys.stdout.flush()
    return os.waitstatus_to_exitcode(code)


def build(root: Path, langs=("en", "zh"), log=print) -> int:
    """Build the editions; return 0 when all are built (strictly), 1 otherwise.

    Where an edition has no execution cache yet (a clean build), one server of warm kernels
    (prerun.warm_kernels) is started first, importing while the build gets ready, and both
    editions' notebooks are executed in kernels forked from it."""
    from . import prerun

    root = Path(root).resolve()
    clean = any(not (d / "global.db").is_file()
                for d in (root / "_build" / ".jupyter_cache", zh_dir(root) / ".jupyter_cache"))
    with prerun.warm_kernels(log=lambda m: log(f"[editions] {m}"), wait=False) if clean else contextlib.nullcontext():
        return _build(root, langs, log)


def _build(root: Path, langs=("en", "zh"), log=print) -> int:
    """Build the editions; return 0 when all are built (strictly), 1 otherwise.

    The Chinese build runs beside the English one (a second process: the machine's second
    core) when the catalogues are complete as they stand; the messages are extracted after the
    English build, and if that changes a catalogue, the Chinese edition is built again (or the
    gate stops it). A Chinese build started on catalogues that turn out incomplete never counts."""
    from . import catalogues

    root = Path(root).resolve()
    eds = editions(root)
    times = {}
    t0 = time.perf_counter()
    early = None
    zh_log = root / "_build" / "zh" / "build.log"
    data_missing = data_gate(root) if "zh" in langs else []
    if "zh" in langs:
        catalogues.compile_catalogues(locale_dirs(root))  # by content, not by time stamp
    if "zh" in langs and "en" in langs and not data_missing and not catalogues.problems(locale_dirs(root)):
        _preload()  # once, shared by both processes
        eds["zh"].config = write_zh_config(root)
        zh_log.parent.mkdir(parents=True, exist_ok=True)
        early = _start(root, eds["zh"], zh_log)
    if "en" in langs:
        t = time.perf_counter()
        if sphinx_build(root, eds["en"]):
            if early:
                _join(early, zh_log)
            log("[editions] the English edition failed (see above); the Chinese edition does not count")
            return 1
        times["en_s"] = round(time.perf_counter() - t, 2)
    if "zh" in langs:
        t = time.perf_counter()
        before = catalogues.fingerprint(locale_dirs(root))
        found = extract_and_gate(root, eds, log)
        times["messages_s"] = round(time.perf_counter() - t, 2)
        early_status = _join(early, zh_log) if early else None
        if found or data_missing:
            # no Chinese site that shows English where the translation is missing or outdated
            import shutil

            shutil.rmtree(eds["zh"].outdir, ignore_errors=True)
            if found:
                log("[editions] the Chinese edition is not built: messages without a current translation\n"
                    + catalogues.report(found)
                    + f"\n{len(found)} message(s) in all; `make i18n-status` lists them all. Translate them in "
                      f"{catalogues.catalogue_dir(locale_dirs(root))}"
                      " (an outdated message is marked `#, fuzzy`: check its translation, then remove the mark).")
            if data_missing:
                log("[editions] the Chinese edition is not built: English of the data without Chinese\n"
                    + data_report(data_missing))
            return 1
        reused = early_status is not None and catalogues.fingerprint(locale_dirs(root)) == before
        if reused:
            status = early_status  # built beside English on the catalogues as they still are
        else:
            t = time.perf_counter()
            catalogues.compile_catalogues(locale_dirs(root))
            eds["zh"].config = write_zh_config(root)
            status = sphinx_build(root, eds["zh"])
        if status:
            log("[editions] the Chinese edition failed (see above)")
            return 1
        times["zh_s"] = round(time.perf_counter() - (t0 if reused else t), 2)
        times["zh_beside_en"] = reused
    times["total_s"] = round(time.perf_counter() - t0, 2)
    (root / "_build").mkdir(exist_ok=True)
    (root / "_build" / "editions.json").write_text(json.dumps(times, indent=1), encoding="utf-8")
    log("[editions] " + ", ".join(f"{k} {v}" for k, v in times.items()))
    return 0


def latex(root: Path, lang: str, log=print) -> int:
    """The LaTeX sources of one edition's PDF (tools/pdf.py runs `python -m parkecon latex LANG`),
    into its build folder's `latex/` (`_build/latex`, `_build/zh/latex`): the strict build of
    its site with Sphinx's LaTeX builder, on the same configuration, doctrees and execution
    cache, so no page its site has read is read again and no notebook runs again. The Chinese
    edition passes the same catalogue gate as its site first. Returns the build's status."""
    import dataclasses

    root = Path(root).resolve()
    eds = editions(root)
    if lang == "zh":
        from . import catalogues

        found = extract_and_gate(root, eds, log)
        if found:
            log("[editions] the Chinese PDF is not built: messages without a current translation\n"
                + catalogues.report(found) + f"\n{len(found)} message(s) in all; `make i18n-status` lists them all.")
            return 1
        catalogues.compile_catalogues(locale_dirs(root))
        eds["zh"].config = write_zh_config(root)
    ed = eds[lang]
    return sphinx_build(root, dataclasses.replace(ed, outdir=ed.doctrees.parent / "latex"), builder="latex")


def status(root: Path, refresh: bool = True, log=print) -> int:
    """Per page: messages, untranslated, outdated; then each message that lacks Chinese. 1 if any."""
    from . import catalogues

    root = Path(root).resolve()
    if refresh:  # the catalogues as the current English makes them
        extract_and_gate(root, editions(root), log=log, force=True)
    counts = catalogues.counts(locale_dirs(root))
    width = max((len(p) for p in counts), default=4)
    log(f"{'page':<{width}}  messages  untranslated  outdated")
    for page, (n, u, o) in counts.items():
        log(f"{page:<{width}}  {n:>8}  {u:>12}  {o:>8}")
    found = catalogues.problems(locale_dirs(root))
    if found:
        log("")
        log(catalogues.report(found, limit=10**6))
    from ..i18n import data_texts
    from ..paths import data_dir

    texts, missing = data_texts(data_dir(root)), data_gate(root)
    columns = list(dict.fromkeys((t.file, t.column) for t in texts))
    w = max([len(f"{f}, {c}") for f, c in columns] + [len("data file, column")])
    log("")
    log(f"{'data file, column':<{w}}  texts  untranslated")
    for file, column in columns:
        n = sum(1 for t in texts if (t.file, t.column) == (file, column))
        u = sum(1 for t in missing if (t.file, t.column) == (file, column))
        log(f"{file + ', ' + column:<{w}}  {n:>5}  {u:>12}")
    if missing:
        log("")
        log(data_report(missing))
    return 1 if found or missing else 0


if __name__ == "__main__":
    sys.exit(build(Path.cwd()))
