"""A warm spare kernel: a process started ahead of need, with the interpreter up and the kernel's modules
imported, blocked reading its stdin. A restart stops the old kernel, then writes one line to the spare; the
spare reads the connection file at that moment and binds the same ports, so the connection file, ports and key
survive the restart and clients attached from the file just carry on.

Why not a spare that is already bound (on other ports)? Then every restart would move the kernel to new ports,
and only the manager's own clients could follow it. Binding is cheap; importing is what takes the time. See
docs/crash-survival.md for the measurements.
"""

from __future__ import annotations

import os
import subprocess
import weakref
from pathlib import Path
from uuid import uuid4

from . import process

#: runs in the spare: import what the kernel's start-up imports, wait for the word, then run the kernel as
#: ``python -m ipykernel_lite`` would (same sys.argv, sys.path[0] and a stdin that is not our pipe)
BOOTSTRAP = """\
import os, sys
sys.path[0] = os.getcwd()
from ipykernel_lite.kernel import app
for name in app.EXTENSIONS:
    try:
        __import__("ipykernel_lite.kernel." + name.partition(":")[0])
    except ImportError:
        pass
if not sys.stdin.buffer.readline().strip():
    os._exit(0)
null = os.open(os.devnull, os.O_RDONLY)
os.dup2(null, 0)
os.close(null)
sys.argv = [os.path.join(os.path.dirname(os.path.dirname(app.__file__)), "__main__.py"), *sys.argv[1:]]
app.main()
"""

_ACTIVATE = b"go\n"


def spare_argv(argv: list[str]) -> list[str] | None:
    """The spare's command line for a kernel launched as ``PYTHON -m ipykernel_lite ARGS``; None for any
    other kernel (a spare must know how to pre-import it)."""
    if len(argv) >= 3 and argv[1] == "-m" and argv[2] == "ipykernel_lite":
        return [argv[0], "-c", BOOTSTRAP, *argv[3:]]
    return None


class SpareKernel:
    """One pre-started kernel process waiting to be activated (``activate``) or thrown away (``discard``)."""

    def __init__(self, proc: subprocess.Popen[bytes], fault_file: Path | None) -> None:
        self.proc = proc
        self.fault_file = fault_file

    @classmethod
    def spawn(
        cls,
        argv: list[str],
        env: dict[str, str],
        cwd: str | None,
        log_file: Path | None,
        fault_file: Path | None,
        *,
        waiting: bool = True,
    ) -> SpareKernel:
        """Launch ``argv`` with its output appended to ``log_file``; ``waiting``: a spare (stdin is a pipe)
        rather than a kernel that starts serving at once."""
        log = None
        if log_file is not None:
            fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            log = os.fdopen(fd, "ab")
        try:
            proc = process.launch(argv, env, cwd, log, stdin_pipe=waiting)
        finally:
            if log is not None:
                log.close()
        return cls(proc, fault_file)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def activate(self) -> bool:
        """Tell the spare to start serving; False if it is gone (died while waiting, e.g. killed)."""
        stdin = self.proc.stdin
        if stdin is None or not self.alive:
            return False
        try:
            stdin.write(_ACTIVATE)
            stdin.close()
        except (BrokenPipeError, OSError):
            return False
        return True

    def discard(self) -> None:
        """Stop the spare now (it runs no user code: nothing to be polite about) and remove its fault file."""
        stdin = self.proc.stdin
        if stdin is not None and not stdin.closed:
            try:
                stdin.close()
            except OSError:
                pass
        process.kill_group(self.proc)
        process.wait_exit(self.proc, 2.0)
        process.remove(self.fault_file)


class Launcher:
    """Starts one manager's kernel processes: from the warm spare when there is one (then starts the next
    spare), else afresh. Each process gets its own faulthandler file (``fault_files``) and JPY_PARENT_PID."""

    def __init__(self, argv: list[str], *, warm_spare: bool, fault_files: bool) -> None:
        self.argv = argv
        self.spare_argv = spare_argv(argv) if warm_spare else None
        if warm_spare and self.spare_argv is None:
            raise ValueError("warm_spare needs a kernel launched as [python, '-m', 'ipykernel_lite', ...]")
        self.fault_files = fault_files
        self.spare: SpareKernel | None = None
        self._spare_reaper: weakref.finalize | None = None

    def launch(
        self, connection_file: Path, env: dict[str, str], cwd: str | None, log_file: Path | None
    ) -> tuple[subprocess.Popen[bytes], Path | None]:
        """A running kernel for ``connection_file`` (its process and fault file)."""
        spare, self.spare = self.spare, None
        self._forget_reaper()
        if spare is not None and spare.activate():
            kernel = spare
        else:
            if spare is not None:
                spare.discard()
            kernel = self._spawn(self.argv, connection_file, env, cwd, log_file, waiting=False)
        if self.spare_argv is not None:
            self.spare = self._spawn(self.spare_argv, connection_file, env, cwd, log_file, waiting=True)
            self._spare_reaper = weakref.finalize(self, process.reap_at_exit, self.spare.proc)
        return kernel.proc, kernel.fault_file

    def discard_spare(self) -> None:
        self._forget_reaper()
        if self.spare is not None:
            self.spare.discard()
            self.spare = None

    def _forget_reaper(self) -> None:
        if self._spare_reaper is not None:
            self._spare_reaper.detach()
            self._spare_reaper = None

    def _spawn(
        self,
        argv: list[str],
        connection_file: Path,
        env: dict[str, str],
        cwd: str | None,
        log_file: Path | None,
        *,
        waiting: bool,
    ) -> SpareKernel:
        full_env = dict(os.environ)
        full_env.update(env)
        # the kernel watches this pid and exits when its parent goes away
        full_env["JPY_PARENT_PID"] = str(os.getpid())
        fault_file = None
        if self.fault_files:
            fault_file = connection_file.with_name(f"{connection_file.stem}-{uuid4().hex[:8]}.fault")
            full_env["IPYKERNEL_LITE_FAULT_FILE"] = str(fault_file)
        argv = [a.replace("{connection_file}", str(connection_file)) for a in argv]
        return SpareKernel.spawn(argv, full_env, cwd, log_file, fault_file, waiting=waiting)
