"""The bridge's methods: one coroutine per JSON-RPC method of ``schema.METHODS``, same name, taking the
validated params model and returning the result model. Kernels are looked up by the id the editor chose."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from ..client.runs import plan_runs
from .errors import BridgeError
from .positions import from_codepoints, to_codepoints
from .runs import cell_info
from .schema import (
    INVALID_PARAMS,
    KERNEL_ERROR,
    UNKNOWN_KERNEL,
    CompleteParams,
    CompleteResult,
    CompletionItem,
    DebugParams,
    DebugResult,
    ExecuteOutcome,
    ExecuteParams,
    InputReplyParams,
    InputReplyResult,
    InspectParams,
    InspectResult,
    InterruptResult,
    KernelParams,
    KernelState,
    PauseResult,
    RestartParams,
    RunCellParams,
    RunCellResult,
    ServerKernelsParams,
    ShutdownParams,
    ShutdownResult,
    StartParams,
    StartResult,
    VariablesParams,
    VariablesResult,
)
from .schema_server import ServerKernelsResult
from .session import Execution, KernelSession, Notify

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TYPES_KEY = "_jupyter_types_experimental"


class Bridge:
    def __init__(self, notify: Notify) -> None:
        self._notify = notify
        self.sessions: dict[str, KernelSession] = {}

    def _session(self, name: str) -> KernelSession:
        s = self.sessions.get(name)
        if s is None:
            raise BridgeError(UNKNOWN_KERNEL, f"no kernel {name!r}; call start first", {"kernels": list(self.sessions)})
        return s

    async def _ready_session(self, name: str) -> KernelSession:
        s = self._session(name)
        await s.wait_started()
        return s

    # -- lifecycle ---------------------------------------------------------------------------------------------
    async def start(self, p: StartParams) -> StartResult:
        s = self.sessions.get(p.kernel)
        if s is not None:
            await s.wait_started()
            if s.state not in (KernelState.DEAD, KernelState.STOPPED):
                return s.describe(False)
            await s.shutdown()
            if self.sessions.get(p.kernel) is s:
                del self.sessions[p.kernel]
        s = self.sessions.get(p.kernel)
        if s is not None:
            # another start call got here first while we shut the dead one down
            return await self.start(p)
        s = KernelSession(p.kernel, self._notify)
        self.sessions[p.kernel] = s
        try:
            return await s.start(p)
        except BaseException:
            if self.sessions.get(p.kernel) is s:
                del self.sessions[p.kernel]
            raise

    async def restart(self, p: RestartParams) -> StartResult:
        return await (await self._ready_session(p.kernel)).restart(p)

    async def shutdown(self, p: ShutdownParams) -> ShutdownResult:
        names = list(self.sessions) if p.kernel is None else [self._session(p.kernel).name]
        stopping = [self.sessions.pop(name) for name in names]
        await asyncio.gather(*(s.shutdown() for s in stopping), return_exceptions=True)
        return ShutdownResult(stopped=names)

    async def shutdown_all(self) -> None:
        await self.shutdown(ShutdownParams())

    async def interrupt(self, p: KernelParams) -> InterruptResult:
        return InterruptResult(interrupted=await (await self._ready_session(p.kernel)).interrupt())

    async def pause(self, p: KernelParams) -> PauseResult:
        return PauseResult(paused=await (await self._ready_session(p.kernel)).pause())

    async def server_kernels(self, p: ServerKernelsParams) -> ServerKernelsResult:
        """What a Jupyter server runs and can start, for ``start`` with ``server.kernel_id`` / ``kernel_name``."""
        from ..client import ClientError
        from .remote import server_kernels

        try:
            return await server_kernels(p)
        except ClientError as e:
            raise BridgeError(KERNEL_ERROR, f"cannot list the kernels of {p.url}: {e}", {"url": p.url})
        except (TimeoutError, asyncio.TimeoutError):  # distinct classes before Python 3.11
            raise BridgeError(KERNEL_ERROR, f"{p.url} did not answer within {p.timeout:g} s", {"url": p.url})

    # -- running code ------------------------------------------------------------------------------------------
    async def execute(self, p: ExecuteParams) -> ExecuteOutcome:
        s = await self._ready_session(p.kernel)
        metadata: dict[str, Any] = {}
        if p.origin is not None:
            metadata["origin"] = p.origin.model_dump(exclude_none=True)
        if p.post_mortem:
            metadata["post_mortem"] = True
        ex = Execution(
            p.code,
            metadata,
            p.tag,
            silent=p.silent,
            store_history=p.store_history,
            stop_on_error=p.stop_on_error,
            allow_stdin=p.allow_stdin,
            timeout=p.timeout,
        )
        return await s.execute(ex)

    async def run_cell(self, p: RunCellParams) -> RunCellResult:
        s = await self._ready_session(p.kernel)
        try:
            planned = plan_runs(
                p.text,
                p.line,
                path=p.path,
                scope=p.scope,
                end_line=p.end_line,
                cwd=p.cwd,
                as_main=p.as_main,
                argv=p.argv,
            )
        except ValueError as e:
            raise BridgeError(INVALID_PARAMS, str(e))
        runs: list[ExecuteOutcome] = []
        status = "ok"
        for run in planned:
            metadata: dict[str, Any] = {"origin": run.origin.as_metadata()}
            if p.post_mortem:
                metadata["post_mortem"] = True
            done = await s.execute(Execution(run.code, metadata, p.tag))
            runs.append(done.model_copy(update={"cell": cell_info(run.cell)}))
            if done.status != "ok":
                # "run below" stops at the first failure, as a notebook's "run all" does
                status = done.status
                break
        return RunCellResult(status=status, runs=runs)

    async def input_reply(self, p: InputReplyParams) -> InputReplyResult:
        s = await self._ready_session(p.kernel)
        return InputReplyResult(answered=await s.input_reply(p.value, p.request))

    # -- introspection -----------------------------------------------------------------------------------------
    async def complete(self, p: CompleteParams) -> CompleteResult:
        s = await self._ready_session(p.kernel)
        pos = to_codepoints(p.code, p.cursor, p.encoding)
        content = {"code": p.code, "cursor_pos": pos}
        reply = await s.request(s.introspection_channel(), "complete_request", content, p.timeout)
        start = _int(reply.get("cursor_start"), pos)
        end = _int(reply.get("cursor_end"), pos)
        matches = [str(m) for m in reply.get("matches") or []]
        items: list[CompletionItem] = []
        types = (reply.get("metadata") or {}).get(TYPES_KEY)
        if isinstance(types, list):
            for t in types:
                if isinstance(t, dict) and isinstance(t.get("text"), str):
                    kind, signature = _str_or_none(t.get("type")), _str_or_none(t.get("signature"))
                    items.append(CompletionItem(text=t["text"], type=kind, signature=signature))
        return CompleteResult(
            matches=matches,
            cursor_start=from_codepoints(p.code, start, p.encoding),
            cursor_end=from_codepoints(p.code, end, p.encoding),
            items=items,
        )

    async def inspect(self, p: InspectParams) -> InspectResult:
        from ..protocol.models.extensions import Calltip

        s = await self._ready_session(p.kernel)
        pos = to_codepoints(p.code, p.cursor, p.encoding)
        content = {"code": p.code, "cursor_pos": pos, "detail_level": p.detail_level}
        reply = await s.request(s.introspection_channel(), "inspect_request", content, p.timeout)
        if not reply.get("found"):
            return InspectResult(found=False)
        data = reply.get("data") or {}
        calltip = None
        raw = (reply.get("metadata") or {}).get("calltip")
        if isinstance(raw, dict):
            try:
                calltip = Calltip.model_validate(raw)
            except ValueError:
                calltip = None
        markdown = data.get("text/markdown")
        return InspectResult(
            found=True,
            text=_ANSI.sub("", str(data.get("text/plain", ""))),
            markdown=markdown if isinstance(markdown, str) else None,
            calltip=calltip,
        )

    async def variables(self, p: VariablesParams) -> VariablesResult:
        from ..protocol.models.extensions import VariableRow

        s = await self._ready_session(p.kernel)
        if "variables" not in (s.kernel_info.get("supported_features") or []):
            # another kernel (ipykernel…): an empty view, not an error on every refresh
            return VariablesResult(variables=[])
        content = {"path": p.path, "limit": p.limit}
        reply = await s.request("control", "variables_request", content, p.timeout)
        rows = [VariableRow.model_validate(r) for r in reply.get("variables") or []]
        return VariablesResult(variables=rows, truncated=_int(reply.get("truncated"), 0))

    # -- the visual debugger -----------------------------------------------------------------------------------
    async def debug(self, p: DebugParams) -> DebugResult:
        s = await self._ready_session(p.kernel)
        if p.request.get("type", "request") != "request" or not isinstance(p.request.get("command"), str):
            raise BridgeError(INVALID_PARAMS, "request must be a DAP request: {type: 'request', seq, command, …}")
        # on control: answered while a cell runs or is stopped at a breakpoint
        reply = await s.request("control", "debug_request", {"type": "request", **p.request}, p.timeout)
        return DebugResult(response=reply)


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) else default


def _str_or_none(value: object) -> str | None:
    # the kernel says "<unknown>" for a type it could not tell
    return value if isinstance(value, str) and value and value != "<unknown>" else None
