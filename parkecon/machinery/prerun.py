"""Execute the notebooks whose cached execution is missing or stale, in parallel, before Sphinx reads them.

myst-nb executes notebooks one after another while Sphinx reads the pages; on a clean
build that is most of the build's time, and the machine has more than one core. This
step reads each page of the toc with myst-nb's own reader and configuration, matches it
to the execution cache as myst-nb does (by code), drops a cached execution whose recorded
reads no longer hold (`cache.stale_reason`), executes what is missing in parallel (one
process per notebook, at most one per CPU; on Linux each kernel is forked from a server
that has imported the common libraries once, see `warm_kernels` and forkkernel.py) with
myst-nb's execution settings
(`allow_errors`, `timeout`, `run_in_temp`, `exclude_patterns`) and the edition's language
(PARKECON_LANG, which `pe.tr` reads), and stores each result in
the same cache, with what its kernel read. myst-nb then finds every page cached. A
notebook that fails here is not cached: myst-nb executes it again and reports the error
as usual, which fails the strict build.

Interfaces of other packages this relies on (tests/test_cache.py::
test_library_interfaces_the_build_relies_on fails clearly if one changes): myst_nb.core.read.create_nb_reader,
myst_parser.config.main.merge_file_level, the Sphinx env attributes `myst_config` and
`mystnb_config` (NbParserConfig fields execution_mode, execution_allow_errors,
execution_timeout, execution_in_temp, execution_excludepatterns, execution_cache_path,
metadata_key), jupyter_cache.get_cache with match_cache_notebook / remove_cache /
cache_notebook_bundle, jupyter_cache.base.CacheBundleIn and
jupyter_cache.executors.utils.single_nb_execution.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import cache as records
from . import toc


@dataclass
class Job:
    docname: str
    path: Path
    notebook: object          # nbformat.NotebookNode as myst-nb reads it
    allow_errors: bool
    timeout: int
    in_temp: bool
    reason: str               # why it executes


_READ: dict = {}  # (path, mtime, size, configs) -> (notebook, config): both editions read the same pages


def read_notebook(path: Path, md_config, nb_config):
    """The page as myst-nb reads it (None when it is not a notebook), with its notebook-level config.

    Remembered for the life of the process (keyed by the file's state and the configuration
    except the cache's path), so that the second edition's build does not parse every page again."""
    import copy

    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size, repr(md_config),
           repr(nb_config.copy(execution_cache_path="", output_folder="")))
    if key not in _READ:
        _READ[key] = _read_notebook(path, md_config, nb_config)
    nb, cfg = _READ[key]
    return copy.deepcopy(nb), (cfg.copy(execution_cache_path=nb_config.execution_cache_path,
                                        output_folder=nb_config.output_folder) if cfg is not None else cfg)


def _read_notebook(path: Path, md_config, nb_config):
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import merge_file_level

    text = path.read_text(encoding="utf-8")
    reader = create_nb_reader(str(path), md_config, nb_config, text)
    if reader is None:
        return None, nb_config
    nb = reader.read(text)
    merge_file_level(reader.md_config, nb.metadata, lambda *a: None)
    overrides = dict(nb.metadata.get(nb_config.metadata_key, {}) or {})
    overrides.pop("output_folder", None)
    return nb, (nb_config.copy(**overrides) if overrides else nb_config)


def excluded(path: Path, nb_config) -> bool:
    posix = PurePosixPath(path.as_posix())
    return any(posix.match(p) for p in (nb_config.execution_excludepatterns or []))


def open_cache(cache_dir: Path, log):
    """The execution cache; an unreadable one is discarded and started anew (never fatal)."""
    from jupyter_cache import get_cache

    try:
        c = get_cache(str(cache_dir))
        c.list_cache_records()
        return c
    except Exception as exc:  # a truncated or corrupt database
        log(f"execution cache at {cache_dir.name} unreadable ({type(exc).__name__}); starting a new one")
        shutil.rmtree(cache_dir, ignore_errors=True)
        return get_cache(str(cache_dir))


def plan(src: Path, cache_dir: Path, md_config, nb_config, env_key: str, lang: str = "en", log=print) -> list[Job]:
    """Match every toc notebook to the cache; drop stale records; return the notebooks to execute."""
    c = open_cache(cache_dir, log)
    jobs = []
    for docname in toc.docnames(src):
        path = toc.source(src, docname)
        if path is None:
            continue
        nb, cfg = read_notebook(path, md_config, nb_config)
        if nb is None or cfg.execution_mode != "cache" or excluded(path, cfg):
            continue
        try:
            record = c.match_cache_notebook(nb)
        except KeyError:
            reason = "not in the execution cache"
        else:
            try:
                reason = records.stale_reason(record.data, src, env_key, lang)
            except Exception as exc:  # unreadable record: rebuild it
                reason = f"its record is unreadable ({type(exc).__name__})"
            if reason is None:
                continue
            c.remove_cache(record.pk)
        jobs.append(Job(docname, path, nb, cfg.execution_allow_errors, cfg.execution_timeout,
                        cfg.execution_in_temp, reason))
    return jobs


def _execute(args):
    job, src, lang = args
    from jupyter_cache.executors.utils import single_nb_execution

    with tempfile.TemporaryDirectory() as tmp:
        startup = Path(tmp, "ipython", "profile_default", "startup")
        startup.mkdir(parents=True)
        shutil.copyfile(Path(__file__).with_name("kernel_reads.py"), startup / "00-parkecon-reads.py")
        log = Path(tmp, "reads.jsonl")
        log.touch()
        os.environ.update(IPYTHONDIR=str(Path(tmp, "ipython")), PARKECON_READS_LOG=str(log),
                          PARKECON_READS_ROOT=str(src.resolve()), PARKECON_LANG=lang)
        cwd = Path(tmp, "cwd") if job.in_temp else job.path.parent
        cwd.mkdir(exist_ok=True)
        for attempt in (1, 2):
            log.write_text("", encoding="utf-8")
            try:
                result = single_nb_execution(job.notebook, cwd=str(cwd), allow_errors=job.allow_errors,
                                             timeout=job.timeout, meta_override=True)
                break
            except Exception as exc:  # the kernel itself failed (died at start, lost its ports): try once more
                if attempt == 2:
                    return job.notebook, f"kernel failed: {exc!r}", 0.0, []
        reads = records.parse_reads(log.read_text(encoding="utf-8"))
    return job.notebook, (None if result.err is None else repr(result.err)), result.time, reads


def execute(jobs: list[Job], src: Path, cache_dir: Path, env_key: str, workers: int | None = None,
            lang: str = "en", log=print) -> dict[str, float]:
    """Execute `jobs` in parallel into the cache; return {docname: seconds} of those that succeeded."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    if not jobs:
        return {}
    c = get_cache(str(cache_dir))
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    done = {}
    t0 = time.perf_counter()
    with warm_kernels(log) as warm, ProcessPoolExecutor(max_workers=workers) as pool:
        if warm:
            log("kernels forked from a server that has imported the common libraries (forkkernel.py)")
        for job, (nb, err, secs, reads) in zip(jobs, pool.map(_execute, [(j, src, lang) for j in jobs])):
            if err is None:
                data = {"execution_seconds": secs, records.READS_KEY: reads, records.ENV_KEY: env_key,
                        records.LANG_KEY: lang}
                c.cache_notebook_bundle(CacheBundleIn(nb, str(job.path.resolve()), data=data),
                                        check_validity=False, overwrite=True)
                done[job.docname] = round(secs, 2)
            else:
                log(f"{job.docname} failed here ({err[:200]}); myst-nb executes it again while reading")
    done["_wall"] = round(time.perf_counter() - t0, 2)
    return done


def _server_ready(sock: Path, alive, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while not sock.exists() and alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    return sock.exists()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def warm_kernels(log=print, wait: bool = True):
    """For the notebooks executed inside: kernels forked from a server that has imported
    the common libraries once (forkkernel.py). Yields whether the server runs; the kernels
    are then started through a kernel spec "python3" that differs from the installed one
    only in its command (found first through JUPYTER_PATH). Linux only (elsewhere forking a
    process that has loaded these libraries is not safe); off with PARKECON_WARM_KERNELS=0.

    Inside a `warm_kernels` that is running (the two editions of one build share one server,
    started by editions.py before the Chinese build forks off) the running server is used.
    With `wait` False the server is started without waiting for its imports (the caller
    has other work meanwhile); a kernel asked for before it is ready starts the usual way."""
    if os.environ.get("PARKECON_WARM_KERNELS", "1") == "0" or not sys.platform.startswith("linux") \
            or not hasattr(socket, "send_fds"):
        yield False
        return
    if os.environ.get("PARKECON_FORKSERVER") and os.environ.get("PARKECON_FORKSERVER_PID"):
        yield _server_ready(Path(os.environ["PARKECON_FORKSERVER"]),
                            lambda: _pid_alive(int(os.environ["PARKECON_FORKSERVER_PID"])))
        return
    from jupyter_client.kernelspec import KernelSpecManager

    tmp = Path(tempfile.mkdtemp(prefix="parkecon-kernels-"))
    # the server and its clients run from a copy outside the book: a forked kernel stands on
    # the server's frames, and nothing of them may count as a file the notebook read
    for name in ("forkkernel.py", "kernel_reads.py"):
        shutil.copyfile(Path(__file__).with_name(name), tmp / name)
    script = str(tmp / "forkkernel.py")
    proc = None
    names = ("JUPYTER_PATH", "PARKECON_FORKSERVER", "PARKECON_FORKSERVER_PID")
    saved = {k: os.environ.get(k) for k in names}
    try:
        spec = KernelSpecManager().get_kernel_spec("python3").to_dict()
        spec["argv"] = [sys.executable, script, *spec["argv"][spec["argv"].index("-f"):]] \
            if "-f" in spec["argv"] else [sys.executable, script, "-f", "{connection_file}"]
        (tmp / "kernels" / "python3").mkdir(parents=True)
        (tmp / "kernels" / "python3" / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
        sock = tmp / "server.sock"
        with open(tmp / "server.log", "wb") as err:
            proc = subprocess.Popen([sys.executable, script, "--serve", str(sock)], stdin=subprocess.DEVNULL,
                                    stdout=err, stderr=err, cwd=tmp)
        if wait and not _server_ready(sock, lambda: proc.poll() is None):
            log("kernels are started the usual way: the kernel server did not start "
                + (tmp / "server.log").read_text(encoding="utf-8", errors="replace")[-300:])
            yield False
            return
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(tmp), *([saved["JUPYTER_PATH"]] if saved["JUPYTER_PATH"] else [])])
        os.environ["PARKECON_FORKSERVER"] = str(sock)
        os.environ["PARKECON_FORKSERVER_PID"] = str(proc.pid)
        yield True
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
