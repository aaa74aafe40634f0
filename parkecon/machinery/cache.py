"""What a cached execution read, and whether it still holds.

Jupyter Book's execution cache (jupyter-cache) keys a notebook by a hash of its code
only: a corrected CSV, a fixed helper function or an edited chapter that a page reads
would not re-execute anything. So every execution the build makes records what its
kernel actually read (files and folder listings under the book's root, recorded by
`kernel_reads.py`, plus the Python environment) in the cache record itself, next to the
outputs. Before the next build each notebook is matched to its record the way the cache
matches it (by code, not by path, so a moved checkout finds its records), and a record
whose reads no longer hold is dropped, so the notebook executes again.

A record that carries no reads (made by an older build, or by myst-nb executing a page
itself) or unreadable reads counts as stale: it costs one execution, never a stale page.
"""
from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from pathlib import Path

from .kernel_reads import dir_digest, file_digest

READS_KEY = "parkecon_reads"      # in a cache record's `data`: [{"path", "kind", "sha256"}, ...]
ENV_KEY = "parkecon_environment"  # in a cache record's `data`: environment_key() at execution
LANG_KEY = "parkecon_lang"        # in a cache record's `data`: PARKECON_LANG of the kernel ("en", "zh")


@lru_cache(maxsize=1)  # one value per process: both editions' builds run in one (editions.py)
def environment_key() -> str:
    """SHA-256 over the Python version and every installed distribution with its version.

    Upgrading pandas or matplotlib can change outputs without changing any file of the
    book, so it invalidates every cached execution.
    """
    from importlib.metadata import distributions

    names = sorted({f"{d.metadata['Name']}=={d.version}" for d in distributions() if d.metadata["Name"]})
    return hashlib.sha256("\n".join([sys.version, *names]).encode("utf-8")).hexdigest()


def stale_reason(data: dict | None, root: Path, env_key: str, lang: str = "en") -> str | None:
    """Why a cached execution (its record's `data`) no longer holds for `root` and the edition
    `lang`, or None if it does. Each edition has its own cache; a record made for another
    language (a cache shared by mistake) is stale, never served."""
    reads = (data or {}).get(READS_KEY)
    if not isinstance(reads, list) or not all(isinstance(r, dict) for r in reads):
        return "no record of what it read"
    if (data or {}).get(LANG_KEY, "en") != lang:
        return f"it was executed for the {(data or {}).get(LANG_KEY, 'en')} edition"
    if (data or {}).get(ENV_KEY) != env_key:
        return "the Python environment changed"
    for entry in reads:
        path, kind, digest = entry.get("path"), entry.get("kind"), entry.get("sha256")
        if not isinstance(path, str) or kind not in ("file", "dir") or not isinstance(digest, str):
            return "its record of reads is corrupt"
        full = Path(root) / path
        now = file_digest(str(full)) if kind == "file" else dir_digest(str(full))
        if now != digest:
            return f"{path} changed" if now is not None else f"{path} is gone"
    return None


def parse_reads(log_text: str) -> list[dict]:
    """The JSON lines a kernel wrote (see kernel_reads.py), one entry per path and kind, sorted."""
    import json

    out = {}
    for line in log_text.splitlines():
        line = line.strip()
        if line:
            entry = json.loads(line)
            out[(entry["path"], entry["kind"])] = entry
    return [out[k] for k in sorted(out)]
