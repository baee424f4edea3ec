"""One kernel owned by the bridge: its process (KernelManager), its AsyncClient, the executions in flight, and
the tasks ("pumps") that hand what nobody waits for (late output, stdin) to the Forwarder. A pump also notices
the kernel dying while nothing runs.

Executions do not use the client's stdin hook: an ``input_request`` is handed to the editor as a notification
and answered by a later ``input_reply`` call, so nothing waits on the editor's user inside the client.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING, Any, cast

from .errors import BridgeError, died_data, kernel_died
from .forwarding import Forwarder, Notify
from .schema import (
    KERNEL_DIED,
    KERNEL_ERROR,
    TIMEOUT,
    UNKNOWN_KERNEL,
    ErrorDetail,
    ExecuteOutcome,
    KernelDiedParams,
    KernelState,
    RestartParams,
    StartParams,
    StartResult,
    StatusParams,
)

if TYPE_CHECKING:
    from ..client import AsyncClient, ExecuteResult, KernelDied, KernelManager

log = logging.getLogger("ipykernel_lite.bridge")

SHUTDOWN_TIMEOUT = 3.0
PAUSE_TIMEOUT = 5.0
#: how long a pause keeps asking while a request of ours is queued and not yet sent (the kernel itself keeps a
#: pause that arrives while a request is being prepared); a deadline for a cell that never starts, not a delay
PAUSE_RETRY = 30.0


@dataclass
class Execution:
    """What an execute call sends."""

    code: str
    metadata: dict[str, Any]
    tag: str | None
    silent: bool = False
    store_history: bool = True
    stop_on_error: bool = True
    allow_stdin: bool = True
    timeout: float | None = None


class KernelSession:
    def __init__(self, name: str, notify: Notify) -> None:
        self.name = name
        self._notify = notify
        self.state: KernelState = KernelState.STARTING
        self.km: KernelManager | None = None
        self.kc: AsyncClient | None = None
        self.kernel_info: dict[str, Any] = {}
        self._started = asyncio.Event()
        self._lifecycle = asyncio.Lock()
        self._fwd = Forwarder(name, notify, self._set_state)
        self._inflight: set[asyncio.Task[ExecuteResult]] = set()
        #: executions stopped by a restart or shutdown, with the error their callers get
        self._cut: dict[asyncio.Task[ExecuteResult], BridgeError] = {}
        self._pumps: list[asyncio.Task[None]] = []
        self._expect_exit = False

    # -- notifications -----------------------------------------------------------------------------------------
    def _set_state(self, state: KernelState) -> None:
        if state != self.state:
            self.state = state
            self._notify("status", StatusParams(kernel=self.name, state=state))

    @property
    def is_lite(self) -> bool:
        return self.kernel_info.get("implementation") == "ipykernel_lite"

    def describe(self, started: bool) -> StartResult:
        assert self.km is not None
        return StartResult(
            kernel=self.name,
            started=started,
            pid=self.km.pid,
            connection_file=str(self.km.connection_file),
            kernel_info=self.kernel_info,
        )

    # -- lifecycle ---------------------------------------------------------------------------------------------
    async def start(self, p: StartParams) -> StartResult:
        from ..client import KernelDied, KernelManager

        self._notify("status", StatusParams(kernel=self.name, state=KernelState.STARTING))
        if p.server is not None:
            return await self._start_remote(p)
        try:
            km = KernelManager(p.argv, cwd=p.cwd, env=p.env, interrupt_mode=p.interrupt_mode)
            # ours before it starts: a failed launch still leaves a connection file for _teardown to remove
            self.km = km
            try:
                km.start()
            except OSError as e:
                raise BridgeError(KERNEL_ERROR, f"cannot start the kernel: {e}", {"argv": km.argv})
            self.kc = km.async_client()
            try:
                self.kernel_info = await self.kc.wait_for_ready(p.ready_timeout)
            except KernelDied as e:
                raise BridgeError(KERNEL_ERROR, f"the kernel died while starting: {e}", died_data(e))
            except TimeoutError as e:
                raise BridgeError(TIMEOUT, str(e))
        except BaseException:
            await self._teardown()
            self._set_state(KernelState.STOPPED)
            self._started.set()
            raise
        self._start_pumps()
        self._set_state(KernelState.IDLE)
        self._started.set()
        return self.describe(True)

    async def _start_remote(self, p: StartParams) -> StartResult:
        from ..client import ClientError
        from .remote import start_remote

        assert p.server is not None
        try:
            km, kc = await start_remote(p.server, p.ready_timeout)
        except ClientError as e:
            self._set_state(KernelState.STOPPED)
            self._started.set()
            doing = f"attach to kernel {p.server.kernel_id}" if p.server.kernel_id else "start the kernel"
            data = {"url": p.server.url, "kernel_id": p.server.kernel_id}
            raise BridgeError(KERNEL_ERROR, f"cannot {doing} on {p.server.url}: {e}", data)
        self.km, self.kc = cast("KernelManager", km), kc
        self.kernel_info = await kc.kernel_info()
        self._start_pumps()
        self._set_state(KernelState.IDLE)
        self._started.set()
        return self.describe(True)

    async def wait_started(self) -> None:
        await self._started.wait()

    async def restart(self, p: RestartParams) -> StartResult:
        from ..client import KernelDied

        km, kc = self._require()
        async with self._lifecycle:
            self._expect_exit = True
            self._set_state(KernelState.RESTARTING)
            self._cut_inflight(BridgeError(KERNEL_DIED, "the kernel was restarted", {"reason": "restart"}))
            try:
                await asyncio.to_thread(km.restart, timeout=p.timeout)
                self.kernel_info = await kc.wait_for_ready(p.ready_timeout)
            except KernelDied as e:
                self._declare_dead(e)
                raise BridgeError(KERNEL_ERROR, f"the kernel died while restarting: {e}", died_data(e))
            except TimeoutError as e:
                raise BridgeError(TIMEOUT, str(e))
            finally:
                self._expect_exit = False
            self._start_pumps()
            self._set_state(KernelState.IDLE)
            return self.describe(True)

    async def shutdown(self) -> None:
        async with self._lifecycle:
            if self.state == KernelState.STOPPED:
                return
            self._expect_exit = True
            self._cut_inflight(BridgeError(KERNEL_DIED, "the kernel was shut down", {"reason": "shutdown"}))
            await self._teardown()
            self._set_state(KernelState.STOPPED)

    async def _teardown(self) -> None:
        for task in self._pumps:
            task.cancel()
        if self._pumps:
            await asyncio.wait(self._pumps)
        self._pumps = []
        if self.kc is not None:
            await self.kc.aclose()
        if self.km is not None:
            await asyncio.to_thread(self.km.shutdown, SHUTDOWN_TIMEOUT)

    def _cut_inflight(self, error: BridgeError) -> None:
        for task in self._inflight:
            if not task.done():
                self._cut[task] = error
                task.cancel()
        self._fwd.clear_inputs()

    def _require(self) -> tuple[KernelManager, AsyncClient]:
        if self.km is None or self.kc is None or self.state == KernelState.STOPPED:
            raise BridgeError(UNKNOWN_KERNEL, f"the kernel {self.name!r} is not running")
        return self.km, self.kc

    def _require_alive(self) -> tuple[KernelManager, AsyncClient]:
        km, kc = self._require()
        if self.state == KernelState.DEAD:
            reason = died_data(km.death_reason())
            raise BridgeError(KERNEL_DIED, f"the kernel {self.name!r} is dead; restart it", reason)
        if self.state == KernelState.RESTARTING:
            raise BridgeError(KERNEL_DIED, f"the kernel {self.name!r} is restarting", {"reason": "restart"})
        return km, kc

    def _declare_dead(self, e: KernelDied) -> None:
        if self.state in (KernelState.DEAD, KernelState.STOPPED):
            return
        self._fwd.clear_inputs()
        self._set_state(KernelState.DEAD)
        self._notify(
            "kernel_died",
            KernelDiedParams(
                kernel=self.name, reason=e.reason, exit_code=e.exit_code, signal=e.signal, traceback=e.traceback
            ),
        )

    # -- forwarding what no execution waits for -----------------------------------------------------------------
    def _start_pumps(self) -> None:
        assert self.kc is not None
        self._pumps = [t for t in self._pumps if not t.done()]
        if not self._pumps:
            kc = self.kc
            self._pumps = [asyncio.ensure_future(self._pump(kc, ch)) for ch in ("iopub", "stdin")]

    async def _pump(self, kc: AsyncClient, channel: str) -> None:
        from ..client import ClientClosed, KernelDied

        handle = self._fwd.stdin if channel == "stdin" else self._fwd.late_iopub
        while True:
            try:
                msg = await kc.recv(channel)
            except KernelDied as e:
                # a restart or shutdown makes the process go away on purpose
                if not self._expect_exit:
                    self._declare_dead(e)
                return
            except ClientClosed:
                return
            if msg is not None:
                try:
                    handle(msg)
                except Exception:
                    log.exception("cannot forward %s on %s", msg.msg_type, channel)

    # -- requests ----------------------------------------------------------------------------------------------
    async def execute(self, ex: Execution) -> ExecuteOutcome:
        from ..client import KernelDied, RequestTimeout

        self._require_alive()
        task = asyncio.ensure_future(self._execute(ex))
        self._inflight.add(task)
        try:
            result = await task
        except asyncio.CancelledError:
            cut = self._cut.pop(task, None)
            if cut is not None:
                raise cut
            raise
        except KernelDied as e:
            if self._expect_exit:
                raise BridgeError(KERNEL_DIED, "the kernel was restarted", {"reason": "restart"})
            self._declare_dead(e)
            raise kernel_died(e)
        except RequestTimeout as e:
            raise BridgeError(TIMEOUT, str(e), {"msg_id": e.msg_id})
        finally:
            self._inflight.discard(task)
            self._cut.pop(task, None)
        return outcome(result)

    async def _execute(self, ex: Execution) -> ExecuteResult:
        _, kc = self._require_alive()
        content = {
            "code": ex.code,
            "silent": ex.silent,
            "store_history": ex.store_history,
            "user_expressions": {},
            "allow_stdin": ex.allow_stdin,
            "stop_on_error": ex.stop_on_error,
        }
        # sent and claimed with no await in between: the pumps cannot take this request's first messages
        msg_id = kc.send_nowait("shell", "execute_request", content, ex.metadata or None)
        self._fwd.begin(msg_id, ex.tag)
        try:
            return await kc.collect(msg_id, timeout=ex.timeout, output_hook=self._fwd.hook(msg_id, ex.tag))
        finally:
            self._fwd.finish(msg_id)

    async def input_reply(self, value: str, request: str | None) -> bool:
        _, kc = self._require_alive()
        msg = self._fwd.take_input(request)
        if msg is None:
            return False
        await kc.input_reply(value, parent=msg)
        return True

    async def interrupt(self) -> bool:
        km, _ = self._require()
        if not km.is_alive():
            return False
        if km.interrupt_mode == "message":
            await asyncio.to_thread(km.interrupt)
        else:
            km.interrupt()
        return True

    async def pause(self) -> bool:
        """pause_request; retried for a moment while an execution of ours has not started running yet."""
        deadline = monotonic() + PAUSE_RETRY
        while True:
            reply = await self.request("control", "pause_request", {}, PAUSE_TIMEOUT)
            if reply.get("paused"):
                return True
            # the kernel says "nothing runs" between publishing execute_input and running the code; at a
            # prompt (input() or pdb) it is a real answer
            if not (self._fwd.running or self._inflight) or self._fwd.waiting_for_input or monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)

    async def request(self, channel: str, msg_type: str, content: dict[str, Any], timeout: float) -> dict[str, Any]:
        """A request/reply on shell or control; the reply's content (an error reply raises KERNEL_ERROR)."""
        from ..client import KernelDied, RequestTimeout

        _, kc = self._require_alive()
        try:
            reply = await kc.request(channel, msg_type, content, timeout)
        except RequestTimeout:
            raise BridgeError(TIMEOUT, f"the kernel did not answer {msg_type} within {timeout:g} s")
        except KernelDied as e:
            self._declare_dead(e)
            raise kernel_died(e)
        c = reply.content
        if c.get("status") == "error":
            raise BridgeError(KERNEL_ERROR, f"{c.get('ename', 'Error')}: {c.get('evalue', '')}", c)
        return c

    def introspection_channel(self) -> str:
        """Shell waits for the running cell; our kernel answers completion on control at any time, in the
        debugger's frame when pdb is stopped."""
        return "control" if self._fwd.running and self.is_lite else "shell"


def outcome(result: ExecuteResult) -> ExecuteOutcome:
    err = result.error if result.status == "error" else None
    return ExecuteOutcome(
        msg_id=result.msg_id,
        status=result.status,
        execution_count=result.execution_count,
        result=result.result,
        error=ErrorDetail(ename=err.ename, evalue=err.evalue, traceback=err.traceback) if err else None,
    )
