"""Execute the notebooks that the cache lacks, two at a time, before Sphinx reads them.

myst-nb executes notebooks one after another while it reads the pages. On a clean build
that is most of the build's time, and the machine has more than one core. This step
reads each notebook of the toc exactly as myst-nb does, skips those the execution cache
already holds, executes the rest in parallel and stores the results in the same cache,
so that myst-nb then finds them cached. A notebook that fails here is simply not cached:
myst-nb executes it again and reports the error as usual, failing the strict build.
"""
from __future__ import annotations

import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def _toc_pages(src: Path) -> list[Path]:
    toc = (src / "_toc.yml").read_text(encoding="utf-8")
    names = re.findall(r"^root:\s*(\S+)", toc, re.M) + re.findall(r"file:\s*([^\s#]+)", toc)
    return [src / (n if n.endswith(".md") else n + ".md") for n in names if (src / (n + ".md")).is_file()]


def _read(path: Path):
    from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    text = path.read_text(encoding="utf-8")
    if not is_myst_markdown_notebook(text):
        return None
    return read_myst_markdown_notebook(text, config=MdParserConfig(), add_source_map=True, path=str(path))


def _execute(job):
    path, nb, timeout = job
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(nb, cwd=str(Path(path).parent), allow_errors=False, timeout=timeout, meta_override=True)
    return nb, (None if result.err is None else repr(result.err)), result.time


def _uncached(src: Path, cache_dir: Path) -> list[tuple[Path, object]]:
    """(page, notebook) of every toc notebook that the execution cache does not hold."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    out = []
    for path in _toc_pages(src):
        nb = _read(path)
        if nb is None:
            continue
        try:
            cache.match_cache_notebook(nb)
        except KeyError:
            out.append((path, nb))
    return out


def uncached(src: Path, cache_dir: Path) -> list[Path]:
    """The toc notebooks that the execution cache does not hold (they will be executed)."""
    return [path for path, _ in _uncached(src, cache_dir)]


def prerun(src: Path, cache_dir: Path, timeout: int = 120, workers: int | None = None) -> dict[str, float]:
    """Execute uncached notebooks in parallel into the cache; return {page: seconds} of those run."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_dir))
    todo = [(str(path.resolve()), nb, timeout) for path, nb in _uncached(src, cache_dir)]
    if not todo:
        return {}
    workers = workers or min(len(todo), max(1, (os.cpu_count() or 1)))
    t0 = time.perf_counter()
    done = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for (path, _, _), (nb, err, secs) in zip(todo, pool.map(_execute, todo)):
            if err is None:
                cache.cache_notebook_bundle(CacheBundleIn(nb, path, data={"execution_seconds": secs}),
                                            check_validity=False, overwrite=True)
                done[str(Path(path).relative_to(src.resolve()))] = round(secs, 2)
    done["_wall"] = round(time.perf_counter() - t0, 2)
    return done
