"""Kernels forked from a warm server (parkecon/machinery/forkkernel.py, used by prerun.py):
the same outputs and the same recorded reads as a kernel started the usual way, signals
that reach the kernel, and the usual kernel wherever the server cannot stand in for it."""
from __future__ import annotations

import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from parkecon.machinery import forkkernel, prerun

pytestmark = pytest.mark.kernel


def job(path: Path) -> prerun.Job:
    from myst_nb.core.config import NbParserConfig
    from myst_parser.config.main import MdParserConfig

    nb, _ = prerun.read_notebook(path, MdParserConfig(enable_extensions={"colon_fence", "dollarmath", "deflist"}),
                                 NbParserConfig())
    return prerun.Job(path.relative_to(ROOT).with_suffix("").as_posix(), path, nb, False, 300, False, "test")


def probe() -> prerun.Job:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, sys\nprint('pandas' in sys.modules, os.getcwd(), os.environ.get('PARKECON_LANG'), repr(sys.path))")])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return prerun.Job("probe", ROOT / "notebooks" / "probe.md", nb, False, 120, False, "test")


def outputs(nb) -> list:
    """Every code cell's outputs as the page shows them: consecutive stream outputs merged
    (myst-nb's merge_streams; how a kernel's output is cut into messages is a matter of
    timing), and what differs from run to run by design made equal (pandas' random table
    ids, the memory addresses in an object's repr)."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            merged = []
            for o in cell.outputs:
                o = dict(o)
                if merged and o.get("output_type") == "stream" and merged[-1].get("output_type") == "stream" \
                        and merged[-1].get("name") == o.get("name"):
                    merged[-1] = {**merged[-1], "text": merged[-1]["text"] + o["text"]}
                else:
                    merged.append(o)
            out.append(re.sub(r"0x[0-9a-f]{6,16}", "0x", re.sub(r"T_[0-9a-f]{5}", "T_id", repr(merged))))
    return out


def run(j: prerun.Job, warm: bool):
    old = os.environ.get("PARKECON_WARM_KERNELS")
    os.environ["PARKECON_WARM_KERNELS"] = "1" if warm else "0"
    try:
        with prerun.warm_kernels(log=lambda m: None) as started, ProcessPoolExecutor(1) as pool:
            assert started is warm
            nb, err, _, reads = pool.submit(prerun._execute, (j, ROOT, "en")).result()  # as the build runs it
    finally:
        if old is None:
            os.environ.pop("PARKECON_WARM_KERNELS", None)
        else:
            os.environ["PARKECON_WARM_KERNELS"] = old
    assert err is None, err
    return nb, reads


def test_a_warm_kernel_starts_as_a_new_kernel_would():
    usual, _ = run(probe(), warm=False)
    forked, _ = run(probe(), warm=True)
    text = lambda nb: nb.cells[0].outputs[0]["text"].split(" ", 3)
    assert text(usual)[:3] == ["False", str(ROOT / "notebooks"), "en"]
    assert text(forked)[:3] == ["True", str(ROOT / "notebooks"), "en"]  # pandas imported already
    assert text(forked)[3] == text(usual)[3]  # the same module search path


def test_a_page_executed_in_a_warm_kernel_has_the_same_outputs_and_reads():
    """A chapter with figures and tables: outputs byte for byte (figures included) and the
    files its kernel read, with their digests, as from a kernel started the usual way."""
    j = job(ROOT / "notebooks" / "data-with-pandas.md")
    usual, usual_reads = run(j, warm=False)
    forked, forked_reads = run(job(ROOT / "notebooks" / "data-with-pandas.md"), warm=True)
    assert any("image/png" in o.get("data", {}) for c in usual.cells if c.cell_type == "code" for o in c.outputs)
    assert outputs(forked) == outputs(usual)
    key = lambda reads: sorted((r["path"], r.get("kind"), r.get("sha256")) for r in reads)
    assert key(forked_reads) == key(usual_reads)
    assert any(r["path"].startswith("parkecon/") for r in forked_reads), "the book's package must be read by the kernel"


def test_interrupt_and_shutdown_reach_a_warm_kernel():
    """Jupyter interrupts a kernel with SIGINT and stops a stuck one with SIGKILL, both sent
    to the process it started (the client): the forked kernel is interrupted, and killed
    with its client."""
    from jupyter_client.manager import KernelManager

    with prerun.warm_kernels(log=lambda m: None) as started:
        assert started
        km = KernelManager(kernel_name="python3")
        km.start_kernel(cwd=str(ROOT / "notebooks"))
        kc = km.client()
        kc.start_channels()
        said = []
        try:
            kc.wait_for_ready(timeout=60)
            kc.execute_interactive("import os, sys; print(os.getpid(), 'pandas' in sys.modules)", timeout=30,
                                   output_hook=lambda m: said.append(m["content"].get("text", "")))
            pid, warm = "".join(said).split()
            assert warm == "True" and int(pid) != km.provisioner.pid  # a fork, not the process Jupyter started
            msg_id = kc.execute("import time; time.sleep(60)")
            time.sleep(1.0)
            t0 = time.monotonic()
            km.interrupt_kernel()
            while True:
                msg = kc.get_shell_msg(timeout=20)
                if msg["parent_header"].get("msg_id") == msg_id:
                    break
            assert msg["content"]["status"] == "error" and msg["content"]["ename"] == "KeyboardInterrupt"
            assert time.monotonic() - t0 < 15
        finally:
            kc.stop_channels()
        km.shutdown_kernel(now=True)  # killed, as a stuck kernel is
        assert not km.is_alive()
        for _ in range(100):
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"the forked kernel {pid} outlived its client")


def test_a_kernel_the_server_cannot_stand_in_for_is_started_the_usual_way(tmp_path):
    env = dict(os.environ)
    same = {"executable": "/py", "env": env, "cwd": str(tmp_path)}
    assert forkkernel.refusal(same, "/py", env) is None
    assert forkkernel.refusal({**same, "executable": "/other"}, "/py", env) == "another Python"
    assert forkkernel.refusal({**same, "env": {**env, "PYTHONPATH": "/elsewhere"}}, "/py", env)
    assert forkkernel.refusal({**same, "env": {**env, "MPLCONFIGDIR": "/elsewhere"}}, "/py", env)
    assert forkkernel.refusal({**same, "env": {**env, "PARKECON_LANG": "zh"}}, "/py", env) is None
    (tmp_path / "notes.md").write_text("# notes\n", encoding="utf-8")
    assert forkkernel.refusal(same, "/py", env) is None
    (tmp_path / "pyarrow.py").write_text("", encoding="utf-8")  # would be imported instead of the library
    assert forkkernel.refusal(same, "/py", env) == "a Python module in the working folder"
    (tmp_path / "pyarrow.py").unlink()
    (tmp_path / "matplotlibrc").write_text("figure.dpi: 10\n", encoding="utf-8")
    assert forkkernel.refusal(same, "/py", env) == "a matplotlibrc in the working folder"


def test_without_a_server_the_kernel_is_the_usual_one(tmp_path):
    """The kernel spec points at the forking client, but no server answers: the client
    becomes the usual kernel."""
    with prerun.warm_kernels(log=lambda m: None) as started:
        assert started
        running = os.environ["PARKECON_FORKSERVER"]
        os.environ["PARKECON_FORKSERVER"] = str(tmp_path / "no-server.sock")
        try:
            with ProcessPoolExecutor(1) as pool:
                nb, err, _, _ = pool.submit(prerun._execute, (probe(), ROOT, "en")).result()
        finally:
            os.environ["PARKECON_FORKSERVER"] = running
    assert err is None, err
    assert nb.cells[0].outputs[0]["text"].split()[0] == "False"


def test_an_inner_warm_kernels_uses_the_running_server():
    """editions.py starts one server for both editions (without waiting for its imports);
    each edition's prerun then uses it, and it stops with the outer block."""
    before = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "PARKECON_FORKSERVER", "PARKECON_FORKSERVER_PID")}
    with prerun.warm_kernels(log=lambda m: None, wait=False) as outer:
        assert outer
        pid = os.environ["PARKECON_FORKSERVER_PID"]
        with prerun.warm_kernels(log=lambda m: None) as inner, ProcessPoolExecutor(1) as pool:
            assert inner and os.environ["PARKECON_FORKSERVER_PID"] == pid
            nb, err, _, _ = pool.submit(prerun._execute, (probe(), ROOT, "en")).result()
        assert err is None and nb.cells[0].outputs[0]["text"].split()[0] == "True"
        assert os.environ["PARKECON_FORKSERVER_PID"] == pid  # the inner block leaves it running
    assert {k: os.environ.get(k) for k in before} == before  # the environment as it was
    assert not prerun._pid_alive(int(pid)) or open(f"/proc/{pid}/stat").read().split()[2] == "Z"
