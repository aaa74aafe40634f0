"""The workshop schedule, computed from the minutes the pages themselves state.

Each episode (a page under notebooks/) states on which day it is taught, as
"**In the workshop** (day N)", its walk-through time as "walk-through (N min)" and the
debrief that closes its exercise block as "debrief (N min)"; each exercise states its time
in its title as "(N min)", or "(N min, extension)" for an exercise offered to fast finishers
and not scheduled. The set-up page states the opening ("Workshop time: N min") and the
recap that opens a second day ("a second day opens with a recap (N min)"); the workshop
page states the closing ("Closing, with feedback (N min)"). Breaks are fixed here. Nothing
else is typed, so the schedule cannot drift from the pages.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .i18n import N_, is_zh, tr
from .machinery.learner import chapters, exercises

DAY_RE = re.compile(r"\*\*In the workshop\*\*\s+\(day (\d)\)")
WALK_RE = re.compile(r"walk-through\s+\((\d+) min\)")
DEBRIEF_RE = re.compile(r"debrief\s+\((\d+) min\)")
SETUP_RE = re.compile(r"Workshop time: (\d+) min")
RECAP_RE = re.compile(r"a\s+second\s+day\s+opens\s+with\s+a\s+recap\s+\((\d+) min\)")
CLOSING_RE = re.compile(r"Closing,\s+with\s+feedback\s+\((\d+) min\)")
TITLE_RE = re.compile(r"^# (.+)$", re.M)
#: A break after the Nth episode of a day.
BREAKS = {"after_chapter": {1: (N_("Morning break"), 15), 2: (N_("Lunch"), 60), 3: (N_("Afternoon break"), 15)}}
START = dt.time(9, 0)


def chapter_minutes(path: Path) -> dict:
    """What one episode's page states: its day, walk-through, debrief and exercises."""
    text = path.read_text(encoding="utf-8")
    day, walk, debrief = DAY_RE.search(text), WALK_RE.search(text), DEBRIEF_RE.search(text)
    ex = exercises(text)
    core = [e for e in ex if not e["extension"]]
    return {"page": path.stem, "title": TITLE_RE.search(text).group(1).strip(),
            "day": int(day.group(1)) if day else None,
            "walkthrough": int(walk.group(1)) if walk else 0,
            "debrief": int(debrief.group(1)) if debrief else 0,
            "exercises": len(core), "exercise_minutes": sum(e["minutes"] for e in core),
            "extensions": len(ex) - len(core), "extension_minutes": sum(e["minutes"] for e in ex if e["extension"]),
            "exercise_list": ex}


def title(root: Path, c: dict) -> str:
    """An episode's title in the edition's language: its page's own heading, or in the Chinese
    edition that heading's translation in the page's catalogue (the title the chapter shows),
    so that the schedule cannot name a chapter differently from the chapter itself."""
    if not is_zh():
        return c["title"]
    from .machinery.editions import locale_dirs
    from .machinery.kitlang import lookup, messages

    doc = f"notebooks/{c['page']}"
    return lookup(messages(locale_dirs(root), doc), doc, c["title"])


def days(root: Path) -> list[int]:
    """The days the episodes are planned for, in order (1, or 1 and 2)."""
    return sorted({c["day"] for c in map(chapter_minutes, chapters(root)) if c["day"]})


def schedule(root: Path, day: int = 1):
    """Rows (start, end, block, minutes, kind) of one day, and the totals."""
    import pandas as pd

    setup_text = (root / "book" / "workshop-setup.md").read_text(encoding="utf-8")
    page_text = (root / "book" / "workshop.md").read_text(encoding="utf-8")
    if day == 1:
        rows = [(tr("Opening: welcome, set-up check, laptops fixed while others start"), int(SETUP_RE.search(setup_text).group(1)), "set-up")]
    else:
        rows = [(tr("Opening: recap of the day before, questions from the notes"), int(RECAP_RE.search(setup_text).group(1)), "set-up")]
    episodes = [c for c in map(chapter_minutes, chapters(root)) if c["day"] == day]
    for i, c in enumerate(episodes, start=1):
        name = title(root, c)
        rows.append((tr("{title}: walk-through", title=name), c["walkthrough"], "teaching"))
        rows.append((tr("{title}: exercises ({n}) and debrief", title=name, n=c["exercises"]),
                     c["exercise_minutes"] + c["debrief"], "exercises"))
        if i in BREAKS["after_chapter"]:
            name, minutes = BREAKS["after_chapter"][i]
            rows.append((tr(name), minutes, "break"))
    rows.append((tr("Closing: what we learned, feedback, post-workshop survey"), int(CLOSING_RE.search(page_text).group(1)), "closing"))
    out, t = [], dt.datetime.combine(dt.date(2000, 1, 1), START)
    for block, minutes, kind in rows:
        end = t + dt.timedelta(minutes=minutes)
        out.append({"start": t.strftime("%H:%M"), "end": end.strftime("%H:%M"), "block": block,
                    "minutes": minutes, "kind": kind})
        t = end
    df = pd.DataFrame(out)
    totals = {"total": int(df["minutes"].sum()), "breaks": int(df.loc[df.kind == "break", "minutes"].sum()),
              "exercises": int(df.loc[df.kind == "exercises", "minutes"].sum()),
              "debriefs": sum(c["debrief"] for c in episodes),
              "teaching": int(df.loc[df.kind.isin(["teaching", "set-up", "closing"]), "minutes"].sum())}
    return df, totals


def slack(root: Path, day: int = 1) -> dict[str, int]:
    """Minutes of each exercise block of a day not taken by its core exercises (pairing, debrief)."""
    return {c["page"]: c["debrief"] for c in map(chapter_minutes, chapters(root)) if c["day"] == day}
