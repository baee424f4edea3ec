"""Reporting failures caused by hostile user objects without letting them escape the kernel's own code.

A handler (completion, inspection) may call ``__getattr__``, ``__repr__`` or ``__str__`` of user objects; any
of them can raise ``SystemExit`` or ``KeyboardInterrupt``, and formatting that exception can raise again. The
kernel turns all of it into an error reply and keeps serving.
"""

from __future__ import annotations


def safe_text(obj: object) -> str:
    """``str(obj)``, or a placeholder when ``__str__`` raises anything at all."""
    try:
        return str(obj)
    except BaseException:
        return f"<unprintable {type(obj).__name__} object>"
