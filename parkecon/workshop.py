"""The workshop schedule, computed from the minutes the pages themselves state.

Each chapter states its walk-through time in its text as "walk-through (N min)" and each
exercise states its time in its title as "(N min)" — or "(N min, extension)" for an
exercise offered to fast finishers and not scheduled; the set-up page states
"Workshop time: N min". Breaks are fixed here. Nothing else is typed, so the schedule
cannot drift from the pages.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .machinery.learner import chapters, exercises

WALK_RE = re.compile(r"walk-through \((\d+) min\)")
SETUP_RE = re.compile(r"Workshop time: (\d+) min")
TITLE_RE = re.compile(r"^# (.+)$", re.M)
BREAKS = {"after_chapter": {1: ("Morning break", 15), 2: ("Lunch", 60), 4: ("Afternoon break", 15)}}
START = dt.time(9, 30)


def chapter_minutes(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    walk = WALK_RE.search(text)
    ex = exercises(text)
    core = [e for e in ex if not e["extension"]]
    return {"page": path.stem, "title": TITLE_RE.search(text).group(1).strip(),
            "walkthrough": int(walk.group(1)) if walk else 0,
            "exercises": len(core), "exercise_minutes": sum(e["minutes"] for e in core),
            "extensions": len(ex) - len(core), "extension_minutes": sum(e["minutes"] for e in ex if e["extension"]),
            "exercise_list": ex}


def schedule(root: Path):
    """Rows (start, end, block, minutes, kind) of the day, and the totals."""
    import pandas as pd

    setup_text = (root / "book" / "workshop-setup.md").read_text(encoding="utf-8")
    setup_min = int(SETUP_RE.search(setup_text).group(1))
    rows = [("Welcome, set-up check, how the book is built", setup_min, "set-up")]
    for i, path in enumerate(chapters(root), start=1):
        c = chapter_minutes(path)
        rows.append((f"{c['title']}: walk-through", c["walkthrough"], "teaching"))
        rows.append((f"{c['title']}: exercises ({c['exercises']})", c["exercise_minutes"], "exercises"))
        if i in BREAKS["after_chapter"]:
            name, minutes = BREAKS["after_chapter"][i]
            rows.append((name, minutes, "break"))
    out, t = [], dt.datetime.combine(dt.date(2000, 1, 1), START)
    for block, minutes, kind in rows:
        end = t + dt.timedelta(minutes=minutes)
        out.append({"start": t.strftime("%H:%M"), "end": end.strftime("%H:%M"), "block": block,
                    "minutes": minutes, "kind": kind})
        t = end
    df = pd.DataFrame(out)
    totals = {"total": int(df["minutes"].sum()), "breaks": int(df.loc[df.kind == "break", "minutes"].sum()),
              "exercises": int(df.loc[df.kind == "exercises", "minutes"].sum()),
              "teaching": int(df.loc[df.kind.isin(["teaching", "set-up"]), "minutes"].sum())}
    return df, totals
