"""Kernels forked from a warm process: the build's notebook kernels without their imports.

Every notebook the build executes starts a new IPython kernel, and each kernel spends
about a second importing the same libraries (NumPy, pandas, matplotlib, seaborn, Pillow)
before its notebook's work begins: with two editions that is two dozen kernels a clean
build. `prerun.warm_kernels` therefore starts a server (one for both editions of a clean
build, editions.py) that imports those libraries once (``WARM``) and then forks a kernel
for each notebook; each fork starts as a new kernel would, in the notebook's folder, with
the environment, arguments and standard streams of the process Jupyter started.

Two roles, one standard-library file (the client must start in milliseconds):

- ``python forkkernel.py --serve SOCKET`` (the server): imports the libraries listed in
  ``WARM`` (not Jupyter's own packages, and never the book's, whose reads the build
  records: see kernel_reads.py), listens on a Unix socket, forks a kernel per request,
  reports each kernel's exit status, and kills a kernel whose client went away.
- ``python forkkernel.py -f CONNECTION_FILE`` (the client, the argv of the kernel spec
  `prerun.py` writes): asks the server (PARKECON_FORKSERVER names its socket) for a
  kernel, passes on the signals Jupyter sends (interrupt, terminate), and exits with the
  kernel's status. Where the server cannot start this kernel as a new process would start
  (no server; another interpreter; another environment for those imports, such as
  PYTHONPATH or MPL* variables; a Python module or a matplotlibrc in the working folder:
  see `refusal`), the client replaces itself with the usual kernel
  (``python -m ipykernel_launcher``): never a different kernel, at worst a slower one.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys

#: What the server imports before it forks (in this order); a notebook importing them
#: again finds them imported. Not Jupyter's own packages (IPython, ipykernel, traitlets):
#: some of their settings take their defaults from the environment when imported, and
#: each kernel's environment is its own. Nothing of the book: its reads are recorded per
#: notebook (kernel_reads.py).
WARM = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "seaborn", "PIL.Image")
#: The environment that changes what those imports do: a kernel whose environment differs
#: from the server's in one of these variables (or in one whose name starts with one of
#: IMPORT_PREFIXES) is started the usual way.
IMPORT_ENV = ("PYTHONPATH", "PYTHONHOME", "HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")
IMPORT_PREFIXES = ("MPL", "NPY_", "NUMPY_", "PANDAS", "OPENBLAS", "OMP_", "MKL_", "PYTHON")
INLINE = "module://matplotlib_inline.backend_inline"   # what ipykernel sets MPLBACKEND to


def _send(conn: socket.socket, obj) -> None:
    data = json.dumps(obj).encode("utf-8")
    conn.sendall(struct.pack("!I", len(data)) + data)


def _recv(conn: socket.socket):
    head = _recv_exact(conn, 4)
    if head is None:
        return None
    body = _recv_exact(conn, struct.unpack("!I", head)[0])
    return None if body is None else json.loads(body.decode("utf-8"))


def _recv_exact(conn: socket.socket, n: int) -> bytes | None:
    buf = b""
    while len(buf) < n:
        try:
            chunk = conn.recv(n - len(buf))
        except InterruptedError:
            continue
        if not chunk:
            return None
        buf += chunk
    return buf


# ------------------------------------------------------------------ the server

def import_env(env: dict) -> dict:
    """The part of an environment that decides what the warm imports do (MPLBACKEND as a
    kernel has it once ipykernel has set it)."""
    out = {k: v for k, v in env.items() if k in IMPORT_ENV or k.startswith(IMPORT_PREFIXES)}
    out["MPLBACKEND"] = out.get("MPLBACKEND") or INLINE
    return out


def refusal(request: dict, executable: str, server_env: dict) -> str | None:
    """Why a kernel asked for cannot be forked from this server (None when it can)."""
    if request.get("executable") != executable:
        return "another Python"
    if import_env(request.get("env", {})) != import_env(server_env):
        return "another environment for the imports"
    cwd = request.get("cwd", "")
    if os.path.exists(os.path.join(cwd, "matplotlibrc")):
        return "a matplotlibrc in the working folder"
    try:
        names = os.listdir(cwd)
    except OSError:
        return "an unreadable working folder"
    # a module there would be imported instead of one the server imported (or tried to)
    if any(n.endswith((".py", ".pyc", ".so", ".pyd", ".pth")) or os.path.isfile(os.path.join(cwd, n, "__init__.py"))
           for n in names):
        return "a Python module in the working folder"
    return None


def record_working_folder() -> None:
    """A kernel started the usual way looks for modules its libraries try to import (and
    some never find) in its working folder too, and so lists it, and the build records
    that listing (kernel_reads.py): a file added there could be imported instead. Here
    those imports happened in the server: record the listing as that kernel would have."""
    log, root = os.environ.get("PARKECON_READS_LOG"), os.environ.get("PARKECON_READS_ROOT")
    if not (log and root):
        return
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_parkecon_kernel_reads", os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel_reads.py"))
    reads = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reads)   # standard library only; not the book's package
    rel = reads.relative(os.getcwd(), os.path.realpath(root))
    if rel is not None:
        reads.append(log, os.path.realpath(root), rel, "dir")


def _kernel(request: dict, fds: list[int], base_path: list[str]) -> None:
    """In the forked child: become the kernel `python -m ipykernel_launcher ARGS` would be."""
    import importlib
    import types

    code = 1
    try:
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        record_working_folder()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        # ipykernel_launcher runs with the working folder removed from sys.path (IPython
        # puts "" back); the server's script folder is removed the same way
        sys.path[:] = list(base_path)
        sys.argv[:] = [request["launcher"], *request["args"]]
        # as in a new process: folders are listed again when a module is looked for, and
        # __main__ is the launcher a kernel runs as, not this file
        sys.path_importer_cache.clear()
        importlib.invalidate_caches()
        main = types.ModuleType("__main__")
        main.__file__ = request["launcher"]
        sys.modules["__main__"] = main
        try:
            import numpy

            numpy.random.seed()  # a forked kernel must not share the server's random state
        except ImportError:
            pass
        from ipykernel import kernelapp

        try:
            kernelapp.launch_new_instance()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(path: str) -> None:
    import importlib
    import select

    sys.path.pop(0)   # this script's folder: a kernel does not search it
    sys.path_importer_cache.clear()
    base_path = list(sys.path)
    os.environ.setdefault("MPLBACKEND", INLINE)  # as in a kernel, before matplotlib is imported
    # pandas asks at import whether it runs in a Jupyter kernel (a `get_ipython()` with a
    # `kernel`) and sets its defaults by the answer (display.max_columns 20, not 0): answer
    # as a kernel does, for the imports only
    import builtins

    class KernelShell:
        kernel = True

    builtins.get_ipython = lambda: KernelShell
    try:
        for name in WARM:
            try:
                importlib.import_module(name)
            except ImportError:
                pass
    finally:
        del builtins.get_ipython
    server_env = dict(os.environ)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    tmp = path + ".tmp"
    listener.bind(tmp)
    listener.listen(16)
    os.replace(tmp, path)   # the socket appears only once the server is ready
    kernels: dict[int, socket.socket] = {}   # kernel pid -> its client's connection
    while True:
        conns = {c.fileno(): (pid, c) for pid, c in kernels.items()}
        ready, _, _ = select.select([listener, *[c for _, c in conns.values()]], [], [], 0.2)
        for r in ready:
            if r is listener:
                conn, _ = listener.accept()
                try:
                    msg, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
                    size = struct.unpack("!I", msg[:4])[0]
                    body = msg[4:]
                    while len(body) < size:
                        more = conn.recv(size - len(body))
                        if not more:
                            raise ConnectionError("client went away")
                        body += more
                    request = json.loads(body.decode("utf-8"))
                except (OSError, ValueError, ConnectionError, struct.error):
                    conn.close()
                    continue
                why = refusal(request, sys.executable, server_env) if len(fds) == 3 else "no standard streams"
                if why:
                    _send(conn, {"fallback": why})
                    conn.close()
                    for fd in fds:
                        os.close(fd)
                    continue
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    for c in kernels.values():
                        c.close()
                    conn.close()
                    _kernel(request, fds, base_path)
                for fd in fds:
                    os.close(fd)
                kernels[pid] = conn
                _send(conn, {"pid": pid})
            else:   # a client hung up (killed): its kernel goes with it
                pid, conn = conns[r.fileno()]
                try:
                    alive = conn.recv(1, socket.MSG_PEEK)
                except OSError:
                    alive = b""
                if not alive:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        while kernels:   # report the kernels that ended
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            conn = kernels.pop(pid, None)
            if conn is not None:
                try:
                    _send(conn, {"exit": os.waitstatus_to_exitcode(status)})
                except OSError:
                    pass
                conn.close()


# ------------------------------------------------------------------ the client

def _fallback(args: list[str]) -> None:
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *args])


def client(args: list[str]) -> None:
    path = os.environ.get("PARKECON_FORKSERVER", "")
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError:
        conn.close()
        _fallback(args)
    launcher = _launcher_path()
    request = {"args": args, "env": dict(os.environ), "cwd": os.getcwd(), "executable": sys.executable,
               "launcher": launcher}
    data = json.dumps(request).encode("utf-8")
    try:
        socket.send_fds(conn, [struct.pack("!I", len(data)) + data], [0, 1, 2])
        reply = _recv(conn)
    except OSError:
        reply = None
    if not reply or "pid" not in reply:
        conn.close()
        _fallback(args)
    pid = reply["pid"]

    def forward(signum, frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, forward)
    done = _recv(conn)
    if done is None:   # the server went away: so must the kernel
        forward(signal.SIGKILL, None)
        sys.exit(1)
    code = done["exit"]
    if code < 0:   # ended by a signal: end the same way
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    sys.exit(code)


def _launcher_path() -> str:
    """Where `python -m ipykernel_launcher` would find its file (its sys.argv[0]), found
    without importing anything."""
    import importlib.util

    spec = importlib.util.find_spec("ipykernel_launcher")
    return spec.origin if spec and spec.origin else "ipykernel_launcher.py"


def main(argv: list[str]) -> None:
    if argv[:1] == ["--serve"]:
        serve(argv[1])
    else:
        client(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
