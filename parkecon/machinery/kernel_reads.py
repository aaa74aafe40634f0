"""Record every file and folder a notebook's kernel reads under the book's root.

The build copies this file into the IPython start-up folder of each kernel it starts
(see `prerun.py`), so it runs before the notebook's first cell, whatever the notebook
imports. It installs an audit hook (PEP 578) that sees every ``open`` and every folder
listing of the kernel process, and appends one JSON line per new path under the root:
``{"path": "data/facts.csv", "kind": "file", "sha256": "..."}``. A compiled module read
from ``__pycache__`` is recorded as its source file. The build stores these lines with
the notebook's cached execution and re-executes the notebook when one of them changes.

Standard library only: it must not import the book's package (that would record less).
Imported normally (without PARKECON_READS_LOG set) it does nothing.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys

SKIP_DIRS = {".venv", "_build", ".git", ".ipynb_checkpoints", ".pytest_cache", "__pycache__"}


def file_digest(path: str) -> str | None:
    """SHA-256 of a file's bytes (None if it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def dir_digest(path: str) -> str | None:
    """SHA-256 of a folder's sorted entry names (None if it cannot be listed)."""
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return None
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()


def relative(path: str, root: str) -> str | None:
    """`path` relative to `root` in POSIX form, or None when outside it or in a skipped folder.

    A compiled module (``pkg/__pycache__/mod.cpython-311.pyc``) maps to ``pkg/mod.py``.
    """
    full = os.path.realpath(path)
    if full != root and not full.startswith(root + os.sep):
        return None
    rel = os.path.relpath(full, root).replace(os.sep, "/")
    parts = rel.split("/")
    if len(parts) >= 2 and parts[-2] == "__pycache__" and parts[-1].endswith(".pyc"):
        parts = parts[:-2] + [parts[-1].split(".", 1)[0] + ".py"]
    if any(p in SKIP_DIRS for p in parts):
        return None
    return "/".join(parts)


def append(log: str, root: str, rel: str, kind: str) -> None:
    """Write the record of `rel` (a path relative to `root`, a "file" or a "dir") to `log`."""
    full = os.path.join(root, rel)
    digest = file_digest(full) if kind == "file" else dir_digest(full)
    if digest is not None:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"path": rel, "kind": kind, "sha256": digest}) + "\n")


def install(root: str, log: str) -> None:
    """Start recording reads under `root` into the JSON-lines file `log`."""
    root = os.path.realpath(root)
    seen: set[tuple[str, str]] = set()
    busy = [False]
    writes = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

    def record(path, kind: str) -> None:
        if not isinstance(path, (str, bytes, os.PathLike)):
            return  # a file descriptor
        path = os.fsdecode(path)
        rel = relative(os.path.abspath(path), root)
        if rel is None or (rel, kind) in seen:
            return
        seen.add((rel, kind))
        append(log, root, rel, kind)

    def hook(event: str, args) -> None:
        if busy[0] or event not in ("open", "os.listdir", "os.scandir"):
            return
        busy[0] = True
        try:
            if event == "open":
                path, mode, flags = (tuple(args) + (None, None, None))[:3]
                if isinstance(mode, str) and any(c in mode for c in "wax") and "+" not in mode:
                    return
                if mode is None and isinstance(flags, int) and flags & writes and not flags & os.O_RDWR:
                    return
                if isinstance(path, (str, bytes)) and os.path.isdir(os.fsdecode(path)):
                    return
                record(path, "file")
            else:
                record(args[0] if args and args[0] is not None else ".", "dir")
        except Exception:  # never disturb the notebook
            pass
        finally:
            busy[0] = False

    sys.addaudithook(hook)
    for name, module in list(sys.modules.items()):  # modules imported before the hook
        busy[0] = True
        try:
            record(getattr(module, "__file__", None), "file")
        except Exception:
            pass
        finally:
            busy[0] = False


if os.environ.get("PARKECON_READS_LOG") and os.environ.get("PARKECON_READS_ROOT"):
    install(os.environ["PARKECON_READS_ROOT"], os.environ["PARKECON_READS_LOG"])
