"""The calltip while typing inside a call: the callee's signature and the first line of its docstring, shown
under the prompt, from the kernel's ``inspect_reply`` (detail_level 0).

A key press never waits for the kernel. It only finds the callee before the cursor (``np.linalg.norm`` in
``np.linalg.norm(x, ord=``) and looks it up in a cache; when the callee is new, an inspect_request goes out
without waiting, and ``pump`` (called from a task on the prompt's event loop, and at each key) picks the reply
up once it is there. So a busy kernel means no tip yet, never a frozen prompt. One request is waited for at a
time, for ``REPLY_WAIT`` seconds at most; a reply that comes later still fills the cache and shows. Tips are cached per
callee text, whatever the arguments typed since, for the prompt's session (a new cell may redefine the
callee: the cache is cleared after each cell).

The replies of any kernel work: ours carry ``metadata["calltip"]``; otherwise the ``Signature:`` and
``Docstring:`` fields of the text (IPython's ``obj?`` layout, as ipykernel sends it) are read.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic
from typing import Any

#: seconds a request is waited for before another callee may be asked about (the tip then just lacks)
REPLY_WAIT = 2.0
#: seconds a late reply is still looked for (then only at the next key)
LATE_WAIT = 60.0
#: how often replies are looked for: while the request is fresh, and once it is late
FRESH_POLL = 0.02
LATE_POLL = 0.25
#: requests whose late reply is still welcome in the cache
_REMEMBERED = 16
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_SIGNATURE_LABELS = ("Signature:", "Init signature:", "Call signature:")
_NO_DOC = "<no docstring>"

#: send(code, cursor_pos) → the inspect_request's msg_id; never waits
SendInspect = Callable[[str, int], str]
#: the replies that arrived since the last call, as (parent msg_id, content); never waits
TakeReplies = Callable[[], list[tuple[str, dict[str, Any]]]]


@dataclass(frozen=True)
class Tip:
    signature: str
    #: the first line of the docstring ("" when there is none)
    doc: str = ""


def callee_at(text: str, cursor: int) -> str | None:
    """The callee of the innermost unclosed call before the cursor, as a dotted name; None outside a call, in
    a comment, or when the callee is not a plain name (``f(x)(``, ``a[0](``: asking would mean evaluating)."""
    from ..introspect.positions import dotted_name, enclosing_call, lex

    state = lex(text, cursor)
    if state.in_comment:
        return None
    found = enclosing_call(text, state)
    if found is None:
        return None
    start, paren = found
    return dotted_name(text[start:paren])


def tip_from_reply(reply: dict[str, Any]) -> Tip | None:
    """The tip an inspect_reply gives, or None (not found, an error, no signature)."""
    if reply.get("status") != "ok" or not reply.get("found"):
        return None
    metadata = reply.get("metadata")
    calltip = metadata.get("calltip") if isinstance(metadata, dict) else None
    if isinstance(calltip, dict) and isinstance(calltip.get("signature"), str):
        doc = calltip.get("doc")
        return Tip(calltip["signature"], _first_line(doc if isinstance(doc, str) else ""))
    data = reply.get("data")
    text = data.get("text/plain") if isinstance(data, dict) else None
    return _tip_from_text(_ANSI.sub("", text)) if isinstance(text, str) else None


def _first_line(doc: str) -> str:
    line = next((s.strip() for s in doc.splitlines() if s.strip()), "")
    return "" if line == _NO_DOC else line


def _tip_from_text(text: str) -> Tip | None:
    """IPython's layout: ``Signature: f(a, b)`` … ``Docstring: one line`` or ``Docstring:`` then the text."""
    lines = text.splitlines()
    signature: str | None = None
    doc = ""
    for i, line in enumerate(lines):
        label = next((lb for lb in _SIGNATURE_LABELS if line.startswith(lb)), None)
        if label is not None and signature is None:
            signature = line[len(label) :].strip()
        elif line.startswith("Docstring:"):
            doc = _first_line("\n".join([line[len("Docstring:") :], *lines[i + 1 :]]))
            break
    return Tip(signature, doc) if signature else None


class Calltips:
    """The tip for the call at the cursor, for one prompt (see the module's docstring)."""

    def __init__(self, send: SendInspect, take_replies: TakeReplies) -> None:
        self._send = send
        self._take = take_replies
        #: callee → its tip; None: the kernel has none (not found, no signature)
        self.cache: dict[str, Tip | None] = {}
        #: the callee at the cursor
        self.current: str | None = None
        #: requests not answered yet, msg_id → (callee, when sent); the latest ones only
        self._asked: OrderedDict[str, tuple[str, float]] = OrderedDict()
        #: the request that holds back the next one: (msg_id, when sent), until answered or REPLY_WAIT passed
        self._gate: tuple[str, float] | None = None
        self._where: tuple[str, int] = ("", 0)
        #: called when a request goes out (wakes the task that pumps replies)
        self.on_asked: Callable[[], None] | None = None
        self.broken = False

    @property
    def tip(self) -> Tip | None:
        return self.cache.get(self.current) if self.current is not None else None

    @property
    def unanswered(self) -> list[str]:
        """The callees asked about whose replies have not come."""
        return [callee for callee, _ in self._asked.values()]

    @property
    def waiting(self) -> bool:
        """Whether a reply is still expected (the pumping task looks for replies until none is)."""
        now = monotonic()
        return any(now - sent < LATE_WAIT for _, sent in self._asked.values())

    @property
    def poll_interval(self) -> float:
        """Often while the reply is fresh, rarely for a late one (a kernel busy elsewhere)."""
        return FRESH_POLL if self._gate is not None else LATE_POLL

    def update(self, text: str, cursor: int) -> None:
        """At each change of the text or of the cursor: cheap, never waits."""
        self.current = callee_at(text, cursor)
        self._where = (text, cursor)
        self.pump()
        self._ask_if_new()

    def pump(self) -> bool:
        """Take the replies that came (never waits); True if the tip at the cursor may have changed."""
        if self.broken or not self._asked:
            return False
        try:
            replies = self._take()
        except Exception:
            replies = []
        changed = False
        for parent, content in replies:
            asked = self._asked.pop(parent, None)
            if asked is None:
                continue  # not a calltip's (or forgotten)
            self.cache[asked[0]] = tip_from_reply(content)
            changed = changed or asked[0] == self.current
            if self._gate is not None and self._gate[0] == parent:
                self._gate = None
        if self._gate is not None and monotonic() - self._gate[1] > REPLY_WAIT:
            self._gate = None  # a kernel busy elsewhere: no tip for now, and the next callee may be asked
        if self._gate is None:
            self._ask_if_new()
        return changed

    def forget(self) -> None:
        """After a cell ran: it may have (re)defined what the tips describe (late replies are dropped too)."""
        self.cache.clear()
        self._asked.clear()
        self._gate = None
        self.current = None
        self.broken = False

    def _ask_if_new(self) -> None:
        callee = self.current
        if callee is None or callee in self.cache or self._gate is not None or self.broken:
            return
        if callee in self.unanswered:
            return  # asked already: its reply is late but may still come
        text, cursor = self._where
        try:
            msg_id = self._send(text, cursor)
        except Exception:
            # a client that cannot send (closed, its queue full): no tips until the next cell, rather than an
            # error at each key
            self.broken = True
            return
        now = monotonic()
        self._asked[msg_id] = (callee, now)
        while len(self._asked) > _REMEMBERED:
            self._asked.popitem(last=False)
        self._gate = (msg_id, now)
        if self.on_asked is not None:
            self.on_asked()
