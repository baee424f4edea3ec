"""Sans-IO routing of incoming messages: to the request that waits for them (by parent msg_id) or to a queue.

Both clients feed every decoded message through one Mailbox; only how they wait differs.
"""

from __future__ import annotations

from collections import deque
from time import monotonic

from ..protocol import Message

#: channels that carry messages to the client (hb is handled apart: its frames are not messages)
MESSAGE_CHANNELS = ("shell", "control", "stdin", "iopub")


class Pending:
    """A request whose reply (and, for execute, its IOPub messages up to ``idle``) we are waiting for."""

    __slots__ = (
        "channel",
        "hook_iopub",
        "idle",
        "inbox",
        "iopub_at",
        "iopub_seen",
        "msg_id",
        "outputs",
        "reply",
        "reply_at",
        "takes_stdin",
        "want_idle",
    )

    def __init__(
        self,
        msg_id: str,
        channel: str,
        *,
        want_idle: bool = False,
        takes_stdin: bool = False,
        hook_iopub: bool = False,
    ) -> None:
        self.msg_id = msg_id
        #: when the reply arrived (monotonic), to tell a lost IOPub subscription from a slow one
        self.reply_at = 0.0
        #: where the reply comes back: the channel the request went out on
        self.channel = channel
        self.want_idle = want_idle
        self.takes_stdin = takes_stdin
        self.hook_iopub = hook_iopub
        self.reply: Message | None = None
        self.idle = False
        self.iopub_seen = False
        self.iopub_at = 0.0
        self.outputs: list[Message] = []
        #: messages the waiter still has to hand to user hooks (input requests, live outputs)
        self.inbox: deque[tuple[str, Message]] = deque()

    def accepts(self, channel: str) -> bool:
        return channel == "iopub" or channel == self.channel or (channel == "stdin" and self.takes_stdin)

    def feed(self, channel: str, msg: Message) -> None:
        if channel == "iopub":
            self.iopub_seen = True
            self.iopub_at = monotonic()
            if msg.msg_type == "status":
                if msg.content.get("execution_state") == "idle":
                    self.idle = True
            else:
                self.outputs.append(msg)
            if self.hook_iopub:
                self.inbox.append((channel, msg))
        elif channel == "stdin":
            self.inbox.append((channel, msg))
        else:
            self.reply = msg
            self.reply_at = monotonic()

    @property
    def done(self) -> bool:
        return self.reply is not None and (self.idle or not self.want_idle)

    def settled(self, grace: float) -> bool:
        """Done, or answered and then ``grace`` seconds without any IOPub message for it: its ``idle`` was
        missed (a kernel restarted under us, or the kernel dropped messages for this slow subscriber at the
        high-water mark), and waiting for it would hang. The reply is authoritative."""
        if self.done:
            return True
        return self.reply is not None and monotonic() - max(self.reply_at, self.iopub_at) > grace


class Mailbox:
    """Per-channel bounded queues for messages nobody waits for, plus the table of pending requests.

    ``forget``-ten request ids (high-level requests already answered, abandoned retries) have their late
    messages dropped, so ``recv("iopub")`` is not flooded with the busy/idle of our own completions.
    """

    def __init__(self, max_queued: int = 1000, max_forgotten: int = 1024) -> None:
        self.queues: dict[str, deque[Message]] = {ch: deque(maxlen=max_queued) for ch in MESSAGE_CHANNELS}
        self.pending: dict[str, Pending] = {}
        self._forgotten: dict[str, None] = {}
        self._max_forgotten = max_forgotten
        #: messages pushed out of a full queue
        self.dropped = 0
        #: an IOPub message (or iopub_welcome) arrived: our subscription is live
        self.iopub_alive = False
        #: iopub_welcome messages seen (one per (re)subscription, from kernels that send them)
        self.welcomes = 0

    def register(self, pending: Pending) -> Pending:
        self.pending[pending.msg_id] = pending
        return pending

    def forget(self, msg_id: str) -> None:
        self.pending.pop(msg_id, None)
        f = self._forgotten
        f[msg_id] = None
        if len(f) > self._max_forgotten:
            del f[next(iter(f))]

    def release(self, msg_id: str) -> None:
        """Stop waiting, but keep later messages of this request for ``recv``."""
        self.pending.pop(msg_id, None)

    def deliver(self, channel: str, msg: Message) -> Pending | None:
        """Route one message; returns the pending request it fed, if any."""
        if channel == "iopub":
            self.iopub_alive = True
        pid = msg.parent_header.get("msg_id")
        if not isinstance(pid, str):
            pid = None  # a hostile or broken kernel's parent id (list, object…) routes nowhere
        if pid:
            p = self.pending.get(pid)
            if p is not None and p.accepts(channel):
                p.feed(channel, msg)
                return p
            if pid in self._forgotten:
                return None
        elif channel == "iopub" and msg.msg_type == "iopub_welcome":
            self.welcomes += 1
            return None
        q = self.queues[channel]
        if len(q) == q.maxlen:
            self.dropped += 1
        q.append(msg)
        return None

    def claim(self, pending: Pending) -> None:
        """Move already-queued messages of ``pending`` into it (for collecting a request sent earlier)."""
        for channel, q in self.queues.items():
            if not pending.accepts(channel):
                continue
            mine = [m for m in q if m.parent_header.get("msg_id") == pending.msg_id]
            if not mine:
                continue
            rest = [m for m in q if m.parent_header.get("msg_id") != pending.msg_id]
            q.clear()
            q.extend(rest)
            for m in mine:
                pending.feed(channel, m)

    def take(self, channel: str) -> Message | None:
        q = self.queues[channel]
        return q.popleft() if q else None
