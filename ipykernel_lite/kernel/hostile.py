"""Reporting failures caused by hostile user objects without letting them escape the kernel's own code.

A handler (completion, inspection) may call ``__getattr__``, ``__repr__`` or ``__str__`` of user objects; any
of them can raise ``SystemExit`` or ``KeyboardInterrupt``, and formatting that exception can raise again. The
kernel turns all of it into an error reply and keeps serving.
"""

from __future__ import annotations

import logging

log = logging.getLogger("ipykernel_lite.kernel")


def safe_text(obj: object) -> str:
    """``str(obj)``, or a placeholder when ``__str__`` raises anything at all."""
    try:
        return str(obj)
    except BaseException:
        return f"<unprintable {type(obj).__name__} object>"


def handler_failure(exc: BaseException, msg_type: str) -> tuple[str, str, list[str]]:
    """(ename, evalue, traceback lines) for an exception out of a request handler, logged once."""
    ename, evalue = type(exc).__name__, safe_text(exc)
    try:
        import traceback

        tb = [line for part in traceback.format_exception(exc) for line in part.splitlines()]
    except BaseException:
        tb = [f"{ename}: {evalue}"]
    try:
        log.warning("handler for %s failed: %s: %s", msg_type, ename, evalue)
    except BaseException:
        pass
    return ename, evalue, tb
