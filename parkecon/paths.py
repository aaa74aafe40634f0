"""Where things are: the repository root, found from any working directory."""
from __future__ import annotations

import os
from pathlib import Path

_MARKER = Path("data") / "datapackage.json"


def repo_root(start: str | os.PathLike | None = None) -> Path:
    """Return the book's root: the first folder upwards holding `data/datapackage.json`.

    Notebooks are executed with their own folder as working directory, learners may open
    them from elsewhere, so nothing relies on the current directory alone. The environment
    variable PARKECON_ROOT overrides the search (used by the tests on temporary copies).
    """
    env = os.environ.get("PARKECON_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / _MARKER).is_file():
            return folder
    # Installed in editable mode: the package lives in the repository.
    pkg_parent = Path(__file__).resolve().parent.parent
    if (pkg_parent / _MARKER).is_file():
        return pkg_parent
    raise FileNotFoundError(
        f"could not find the book's root (a folder with {_MARKER}) above {here}; "
        "set PARKECON_ROOT to the repository folder"
    )


def data_dir(root: str | os.PathLike | None = None) -> Path:
    """The folder of curated CSVs (PARKECON_DATA overrides it)."""
    env = os.environ.get("PARKECON_DATA")
    if env:
        return Path(env).resolve()
    return (Path(root) if root else repo_root()) / "data"
