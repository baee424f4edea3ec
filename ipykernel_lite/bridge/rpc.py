"""JSON-RPC 2.0 dispatch: parse a body, validate params against ``schema.METHODS``, run each request in a task
of its own (a long execute does not hold up a completion), write the response. Batches and LSP's
``$/cancelRequest`` are supported; params are by name only."""

from __future__ import annotations

import asyncio
import json
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import BridgeError
from .framing import encode
from .schema import (
    CLIENT_NOTIFICATIONS,
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    METHODS,
    PARSE_ERROR,
    REQUEST_CANCELLED,
    BridgeModel,
    CancelParams,
)

log = logging.getLogger("ipykernel_lite.bridge")

Handler = Callable[[Any], Awaitable[BaseModel]]
RequestId = int | str | None


def _error(rid: RequestId, code: int, message: str, data: Any = None) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "error": BridgeError(code, message, data).to_json()}


def _validation_errors(e: ValidationError) -> list[dict[str, Any]]:
    # the offending input is left out: it may be a whole buffer
    return [
        {"loc": list(err["loc"]), "msg": err["msg"], "type": err["type"]}
        for err in e.errors(include_url=False, include_input=False)
    ]


class RpcServer:
    def __init__(self, write: Callable[[bytes], None], target: object, on_exit: Callable[[], None]) -> None:
        self._write = write
        self._target = target
        self._on_exit = on_exit
        self._tasks: dict[int | str, asyncio.Task[dict[str, Any] | None]] = {}
        self._cancelled: set[asyncio.Task[Any]] = set()
        self._running: set[asyncio.Task[None]] = set()

    # -- output ------------------------------------------------------------------------------------------------
    def send(self, message: Any) -> None:
        self._write(encode(message))

    def notify(self, method: str, params: BridgeModel) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params.model_dump(mode="json")})

    # -- input -------------------------------------------------------------------------------------------------
    def handle(self, body: bytes) -> None:
        """One framed body, on the event loop's thread; answers are written when ready."""
        try:
            msg = json.loads(body)
        except ValueError as e:
            self.send(_error(None, PARSE_ERROR, f"not JSON: {e}"))
            return
        if isinstance(msg, list):
            if not msg:
                self.send(_error(None, INVALID_REQUEST, "an empty batch"))
                return
            self._spawn(self._batch(msg))
        else:
            self._spawn(self._single(msg))

    def _spawn(self, coro: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _single(self, msg: Any) -> None:
        answer = await self._answer_task(msg)
        if answer is not None:
            self.send(answer)

    async def _batch(self, msgs: list[Any]) -> None:
        answers = await asyncio.gather(*(self._answer_task(m) for m in msgs))
        replies = [a for a in answers if a is not None]
        if replies:
            self.send(replies)

    def _answer_task(self, msg: Any) -> asyncio.Future[dict[str, Any] | None]:
        task = asyncio.ensure_future(self._answer(msg))
        rid = msg.get("id") if isinstance(msg, dict) else None
        if isinstance(rid, int | str) and "method" in msg:
            self._tasks[rid] = task
            task.add_done_callback(lambda t: self._tasks.pop(rid, None) if self._tasks.get(rid) is t else None)
        return task

    async def _answer(self, msg: Any) -> dict[str, Any] | None:
        if not isinstance(msg, dict) or msg.get("jsonrpc") != "2.0" or not isinstance(msg.get("method"), str):
            rid = msg.get("id") if isinstance(msg, dict) and isinstance(msg.get("id"), int | str) else None
            return _error(rid, INVALID_REQUEST, "expected a JSON-RPC 2.0 request object")
        method: str = msg["method"]
        params = msg.get("params")
        if "id" not in msg:
            self._notification(method, params)
            return None
        rid = msg["id"]
        if not (rid is None or isinstance(rid, int | str)) or isinstance(rid, bool):
            return _error(None, INVALID_REQUEST, "id must be a string, a number or null")
        spec = METHODS.get(method)
        if spec is None:
            return _error(rid, METHOD_NOT_FOUND, f"no method {method!r}", {"methods": sorted(METHODS)})
        if params is None:
            params = {}
        if not isinstance(params, dict):
            return _error(rid, INVALID_PARAMS, "params must be an object (by name)")
        try:
            validated = spec[0].model_validate(params)
        except ValidationError as e:
            return _error(rid, INVALID_PARAMS, f"invalid params for {method}", _validation_errors(e))
        handler: Handler = getattr(self._target, method)
        try:
            result = await handler(validated)
        except BridgeError as e:
            return {"jsonrpc": "2.0", "id": rid, "error": e.to_json()}
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task in self._cancelled:
                self._cancelled.discard(task)
                return _error(rid, REQUEST_CANCELLED, "cancelled")
            raise
        except Exception as e:
            log.exception("%s failed", method)
            return _error(rid, INTERNAL_ERROR, f"{type(e).__name__}: {e}", traceback.format_exc())
        return {"jsonrpc": "2.0", "id": rid, "result": result.model_dump(mode="json")}

    def _notification(self, method: str, params: Any) -> None:
        if method == "exit":
            self._on_exit()
            return
        model = CLIENT_NOTIFICATIONS.get(method)
        if model is CancelParams:
            try:
                p = CancelParams.model_validate(params if isinstance(params, dict) else {})
            except ValidationError:
                log.warning("ignoring a malformed $/cancelRequest: %r", params)
                return
            task = self._tasks.get(p.id)
            if task is not None and not task.done():
                self._cancelled.add(task)
                task.cancel()
            return
        if not method.startswith("$/"):
            # LSP: "$/" notifications a server does not know are to be ignored; others are worth a word
            log.warning("ignoring unknown notification %r", method)

    async def close(self) -> None:
        """Cancel what is still running (the bridge is exiting)."""
        tasks = [*self._running, *self._tasks.values()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
