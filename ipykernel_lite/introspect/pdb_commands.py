"""Completion of a pdb command line's argument: ``p to`` completes ``to`` as an expression.

At pdb's prompt the editor sends the whole command line (``p total``, ``b my_func``, ``display x.y``) as the
code to complete. As Python it is a syntax error, so nothing completed. A line that starts with a command
taking an expression, then a name, is completed as the expression after the command; offsets in the reply
are shifted back onto the line. A line that is valid Python (``p(x)``, ``b = 1``) never matches.
"""

from __future__ import annotations

import re
from typing import Any

#: pdb commands whose argument is an expression, a function name or a file:line
_COMMAND = re.compile(r"^\s*(?:p|pp|display|undisplay|whatis|source|b|break|tbreak|interact)\s+(?=[A-Za-z_])|^\s*!")


def command_argument(code: str, pos: int) -> int | None:
    """Where the argument starts when ``code`` is a one-line pdb command with the cursor in its argument."""
    if "\n" in code:
        return None
    m = _COMMAND.match(code)
    if m is None or pos < m.end():
        return None
    return m.end()


def shifted(reply: dict[str, Any], offset: int) -> dict[str, Any]:
    """A complete_reply for the argument, moved to the positions of the whole line."""
    if reply.get("status") != "ok":
        return reply
    reply["cursor_start"] += offset
    reply["cursor_end"] += offset
    for entry in reply.get("metadata", {}).get("_jupyter_types_experimental", []):
        entry["start"] += offset
        entry["end"] += offset
    return reply
