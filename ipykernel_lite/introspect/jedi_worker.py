"""A single background thread that runs every jedi call.

jedi cannot be interrupted and is not meant to be used from several threads at once, yet the
kernel asks from both the shell and the control thread and needs answers within a budget.
So all jedi work is queued to one daemon thread; a caller waits up to its deadline and then
gives up (its job is skipped if still queued, or finishes unobserved, warming jedi's caches).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_config_lock = threading.Lock()
_jedi: Any = None


def load_jedi() -> Any:
    """Import and configure jedi once (heavy: ~70 ms), returning the module."""
    global _jedi
    if _jedi is not None:
        return _jedi
    with _config_lock:
        if _jedi is None:
            import jedi

            # Never evaluate properties, custom __getitem__ or other descriptors of live objects.
            jedi.settings.allow_unsafe_interpreter_executions = False
            # Completing must not import modules (jedi would import these for real).
            jedi.settings.auto_import_modules = []
            # jedi runs beside user code here: it must not swap the process's sys.path (jedi_syspath.py)
            from . import jedi_syspath, parso_cache

            jedi_syspath.install()
            # the disk cache is shared with every jedi on the machine and must survive a kernel killed mid-write
            parso_cache.install()
            _jedi = jedi
    return _jedi


def interpreter(code: str, namespaces: Sequence[dict[str, Any]]) -> Any:
    """A ``jedi.Interpreter`` tuned for interactive use."""
    jedi = load_jedi()
    script = jedi.Interpreter(code, list(namespaces) or [{}])
    state = getattr(script, "_inference_state", None)
    if state is not None:
        state.allow_unsafe_executions = False
        # Each Interpreter has a fresh inference state, so reachability checks over the
        # builtins stub are redone on every request (~9 ms of a ~12 ms name completion).
        # Branch-insensitive name lookup is fine for completion.
        if hasattr(state, "flow_analysis_enabled"):
            state.flow_analysis_enabled = False
    return script


class _Job(Generic[T]):
    __slots__ = ("abandoned", "done", "error", "fn", "result")

    def __init__(self, fn: Callable[[], T]) -> None:
        self.fn = fn
        self.done = threading.Event()
        self.result: T | None = None
        self.error: BaseException | None = None
        self.abandoned = False


class _Worker:
    def __init__(self) -> None:
        lock = threading.Lock()
        self._cond = threading.Condition(lock)  # the worker waits here for jobs
        self._idle = threading.Condition(lock)  # others wait here for an empty worker
        self._queue: deque[_Job[Any]] = deque()
        self._thread: threading.Thread | None = None
        self._current: _Job[Any] | None = None

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._current = None  # whatever a dead worker was doing is over
            self._thread = threading.Thread(target=self._loop, name="ipykernel_lite-introspect", daemon=True)
            # a kernel thread, started lazily (maybe after the visual debugger): debugpy must neither trace nor
            # suspend it, or completion would stop with the user's code and show in the editor's call stack
            self._thread.pydev_do_not_trace = True  # type: ignore[attr-defined]
            self._thread.is_pydev_daemon_thread = True  # type: ignore[attr-defined]
            self._thread.start()

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._current = None
                while not self._queue:
                    self._idle.notify_all()
                    self._cond.wait()
                job = self._queue.popleft()
                if job.abandoned:
                    continue
                self._current = job
            try:
                job.result = job.fn()
            except BaseException as exc:  # keep the worker alive whatever jedi raises
                job.error = exc
            job.done.set()

    def submit(self, fn: Callable[[], T]) -> _Job[T]:
        job: _Job[T] = _Job(fn)
        with self._cond:
            self._ensure_thread()
            current = self._current
            if current is not None and current.abandoned:
                # Still grinding on a job whose caller gave up: a new job would only wait
                # out its own budget too, so let the caller fall back at once.
                raise JediBusy("jedi is still busy with an earlier, overrunning request")
            self._queue.append(job)
            self._cond.notify()
        return job

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._current is not None or bool(self._queue)

    def wait_idle(self, timeout: float | None) -> bool:
        with self._cond:
            return self._idle.wait_for(lambda: self._current is None and not self._queue, timeout)


_worker = _Worker()


class JediTimeout(Exception):
    """The jedi job did not finish before the caller's deadline."""


class JediBusy(Exception):
    """jedi is still working on a request whose caller already gave up."""


def run(fn: Callable[[], T], timeout: float | None) -> T:
    """Run ``fn`` on the jedi thread and return its result.

    Raises :class:`JediTimeout` after ``timeout`` seconds (None waits forever),
    :class:`JediBusy` if jedi is stuck on an abandoned job, or whatever ``fn`` raised.
    """
    if threading.current_thread() is _worker._thread:
        return fn()  # already on the worker (nested use): queueing would deadlock
    if timeout is not None:
        timeout = min(timeout, threading.TIMEOUT_MAX)
    job = _worker.submit(fn)
    if not job.done.wait(timeout):
        job.abandoned = True
        raise JediTimeout(f"jedi did not answer within {timeout:.3f} s")
    if job.error is not None:
        raise job.error
    return job.result  # type: ignore[return-value]


def busy() -> bool:
    """Whether the jedi thread is working or has queued work (e.g. warm-up in progress)."""
    return _worker.busy


def wait_idle(timeout: float | None = None) -> bool:
    """Block until the jedi thread has nothing to do; False if ``timeout`` expired first."""
    return _worker.wait_idle(timeout)
