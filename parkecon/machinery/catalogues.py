"""The Chinese edition's message catalogues (book/locale/zh_CN/LC_MESSAGES/**.po): update and gate.

The gettext builder writes one template (.pot) per page from the English edition (and
`sphinx.pot` for the strings of the book's own templates, book/_templates). `update`
merges each template into its catalogue with Babel, the way `pybabel update` does: a
translation is kept as long as its English is unchanged; an English message that changed
keeps the old translation as a suggestion, marked fuzzy (with the old English as
`#| msgid`); a new message gets an empty translation; a message that is gone is kept as
obsolete (`#~`). A catalogue is written only when its messages changed, so an unchanged
book leaves every file as it is, and no translation is ever rewritten.

`problems` is the gate: every message of every catalogue must have a translation that is
not fuzzy, or the Chinese page would show the English silently (Sphinx uses neither an
empty nor a fuzzy translation, and says nothing). `report` names page and message.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

LOCALE = "zh_CN"
WIDTH = 0  # no line wrapping: one message a line, stable diffs


@dataclass(frozen=True)
class Problem:
    page: str      # the catalogue's page ("notebooks/park-economy"), "sphinx" for template strings
    kind: str      # "untranslated" or "outdated" (fuzzy: the English changed since it was translated)
    msgid: str

    def line(self, width: int = 70) -> str:
        text = " ".join(self.msgid.split())
        return f"{self.page}: {self.kind}: {text[:width]}{'…' if len(text) > width else ''}"


def catalogue_dir(locale_dirs: Path) -> Path:
    return Path(locale_dirs) / LOCALE / "LC_MESSAGES"


def _read(path: Path):
    """A catalogue, with the previous English of its outdated messages (`#| msgid`), which
    Babel writes but does not read back."""
    from itertools import takewhile

    from babel.messages.pofile import denormalize, read_po, unescape

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=LOCALE)
    for m in catalog:  # Babel reads `#| msgid` as a translator's comment "| msgid ..."
        m.user_comments = [c for c in m.user_comments if not c.startswith("|")]
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.splitlines()
        # Babel writes the previous English as a comment wrapped at spaces, quotes unescaped
        prev = " ".join(ln[3:] for ln in lines if ln.startswith("#| "))
        found = re.match(r'msgid "(.*)"$', prev, re.S)
        body = [ln for ln in lines if not ln.startswith("#")]
        start = next((i for i, ln in enumerate(body) if ln.startswith("msgid ")), None)
        if not found or start is None:
            continue
        cur = [body[start][6:]] + list(takewhile(lambda ln: ln.startswith('"'), body[start + 1:]))
        m = catalog.get(denormalize("\n".join(cur)))
        if m is not None:
            m.previous_id = [unescape('"' + found.group(1) + '"')]
    return catalog


def _render(catalog) -> bytes:
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=WIDTH, include_previous=True, sort_output=False)
    return buf.getvalue()


def _state(catalog) -> list:
    """What a catalogue says, without its header dates: compared to decide whether to write."""
    live = [(m.id, m.string, m.context, sorted(m.flags), m.previous_id) for m in catalog if m.id]
    gone = [(m.id, m.string) for m in catalog.obsolete.values()]
    return [live, gone]


def update(pot_dir: Path, locale_dirs: Path) -> list[str]:
    """Merge every template of `pot_dir` into its catalogue; return the pages whose catalogue changed."""
    from babel.messages.catalog import Catalog

    out_dir = catalogue_dir(locale_dirs)
    changed = []
    for pot in sorted(Path(pot_dir).rglob("*.pot")):
        rel = pot.relative_to(pot_dir).with_suffix("")
        po = out_dir / rel.with_suffix(".po")
        template = _read(pot)
        if po.exists():
            catalog = _read(po)
            before = _state(catalog)
        else:
            catalog = Catalog(locale=LOCALE, project=template.project, version=template.version,
                              copyright_holder=template.copyright_holder, fuzzy=True)
            before = None
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False,
                       keep_user_comments=True, update_creation_date=False)
        if before is not None and _state(catalog) == before:
            continue
        po.parent.mkdir(parents=True, exist_ok=True)
        po.write_bytes(_render(catalog))
        changed.append(rel.as_posix())
    return changed


def fingerprint(locale_dirs: Path) -> str:
    """A digest of every catalogue's bytes (did an update change any?)."""
    import hashlib

    h = hashlib.sha256()
    for po in sorted(catalogue_dir(locale_dirs).rglob("*.po")):
        h.update(str(po.relative_to(locale_dirs)).encode() + b"\0" + po.read_bytes())
    return h.hexdigest()


def problems(locale_dirs: Path, pages: set[str] | None = None) -> list[Problem]:
    """Every message without a usable translation, page by page (only `pages` if given)."""
    out_dir = catalogue_dir(locale_dirs)
    found = []
    for po in sorted(out_dir.rglob("*.po")):
        page = po.relative_to(out_dir).with_suffix("").as_posix()
        if pages is not None and page not in pages:
            continue
        for m in _read(po):
            if not m.id:
                continue  # the header
            if not (m.string if isinstance(m.string, str) else all(m.string)):
                found.append(Problem(page, "untranslated", m.id if isinstance(m.id, str) else m.id[0]))
            elif m.fuzzy:
                found.append(Problem(page, "outdated", m.id if isinstance(m.id, str) else m.id[0]))
    return found


def counts(locale_dirs: Path) -> dict[str, tuple[int, int, int]]:
    """{page: (messages, untranslated, outdated)} for every catalogue."""
    out_dir = catalogue_dir(locale_dirs)
    res = {}
    for po in sorted(out_dir.rglob("*.po")):
        page = po.relative_to(out_dir).with_suffix("").as_posix()
        msgs = [m for m in _read(po) if m.id]
        untranslated = sum(1 for m in msgs if not m.string)
        outdated = sum(1 for m in msgs if m.string and m.fuzzy)
        res[page] = (len(msgs), untranslated, outdated)
    return res


def report(found: list[Problem], limit: int = 12) -> str:
    """Page by page: how many messages lack Chinese, and the start of the first `limit` of each page."""
    lines = []
    pages: dict[str, list[Problem]] = {}
    for p in found:
        pages.setdefault(p.page, []).append(p)
    for page, items in pages.items():
        u = sum(1 for p in items if p.kind == "untranslated")
        o = len(items) - u
        lines.append(f"{page}: {u} untranslated, {o} outdated (English changed since translated)")
        lines += ["  " + p.line() for p in items[:limit]]
        if len(items) > limit:
            lines.append(f"  ... and {len(items) - limit} more")
    return "\n".join(lines)


def compile_catalogues(locale_dirs: Path) -> list[Path]:
    """Compile every catalogue (.po) to the .mo that Sphinx and gettext read, by content.

    Sphinx compiles a catalogue only when its .mo is older than its .po, so a .mo restored or
    checked out after its .po was changed (or copied with new timestamps) would be used stale,
    and the Chinese page would show the old translation, or the English, silently. Here a .mo
    is written whenever its bytes differ from what the .po compiles to, and only then (an
    unchanged .mo keeps its time stamp, so Sphinx does not read the pages again). Returns
    the .mo files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(catalogue_dir(locale_dirs).rglob("*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=LOCALE)
        buf = io.BytesIO()
        write_mo(buf, catalog, use_fuzzy=False)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != buf.getvalue():
            mo.write_bytes(buf.getvalue())
            written.append(mo)
    return written
