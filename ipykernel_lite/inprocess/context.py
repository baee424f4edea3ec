"""The zmq context an in-process kernel and its clients share: ``inproc://`` endpoints exist within one context.

BlockingClient opens its sockets in ``zmq.Context.instance()``, AsyncClient in ``zmq.asyncio.Context.instance()``;
pyzmq keeps one singleton per class, two separate libzmq contexts. The kernel binds in the first, and the asyncio
singleton is made a shadow of it (same libzmq context, not owned), so both clients reach the kernel unchanged.
"""

from __future__ import annotations

import os

import zmq

_replaced: list[zmq.Context] = []


def shared_context() -> zmq.Context:
    ctx: zmq.Context = zmq.Context.instance()
    import zmq.asyncio as zmq_asyncio

    current = zmq_asyncio.Context._instance
    if current is None or current.closed or current.underlying != ctx.underlying:
        # pyzmq has no public setter for the singleton; sockets already open in a previous asyncio singleton
        # keep working (their context stays alive with them), only later instance() calls get the shared one
        with zmq_asyncio.Context._instance_lock:
            if current is not None and not current.closed:
                # a singleton lives as long as the process: keep the one replaced (its sockets may be in use)
                _replaced.append(current)
            zmq_asyncio.Context._instance = zmq_asyncio.Context.shadow(ctx.underlying)  # type: ignore[assignment]
            zmq_asyncio.Context._instance_pid = os.getpid()
    return ctx
