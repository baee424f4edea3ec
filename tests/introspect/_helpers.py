"""Shared helpers for the introspection tests."""

from __future__ import annotations

from typing import Any

TYPES_KEY = "_jupyter_types_experimental"
# Generous, so that the jedi path (not the fallback) answers even on a slow, cold machine.
JEDI_BUDGET = 10.0


def entries(reply: dict[str, Any]) -> list[dict[str, Any]]:
    return reply["metadata"][TYPES_KEY]


def types_by_text(reply: dict[str, Any]) -> dict[str, str]:
    return {e["text"]: e["type"] for e in entries(reply)}
