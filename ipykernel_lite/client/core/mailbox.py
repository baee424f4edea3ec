"""Sans-IO routing of incoming messages: to the request that waits for them (by parent msg_id) or to a queue.

Memory policy (issue 19): a reply to a request this client sent is never dropped. Replies and input requests
of our own requests are kept until ``recv`` or ``collect`` takes them (one per request sent: the caller
bounds them by what it sends). Only IOPub messages nobody waits for, and messages that answer nothing of
ours, live in queues bounded by ``max_queued``; when an IOPub message of one of our requests is pushed out,
that request records it (``lost``), and its ``idle`` is remembered even though the message is gone, so
``collect`` neither waits for it nor hangs.
"""

from __future__ import annotations

from collections import deque
from time import monotonic

from ...protocol import Message

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
        "lost",
        "msg_id",
        "outputs",
        "reply",
        "reply_at",
        "seq",
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
        seq: int = 0,
    ) -> None:
        self.msg_id = msg_id
        #: when the reply arrived (monotonic), to tell a lost IOPub subscription from a slow one
        self.reply_at = 0.0
        #: where the reply comes back: the channel the request went out on
        self.channel = channel
        self.want_idle = want_idle
        self.takes_stdin = takes_stdin
        self.hook_iopub = hook_iopub
        #: order of the request among our shell requests (0: not numbered), see ``settled``
        self.seq = seq
        self.reply: Message | None = None
        self.idle = False
        self.iopub_seen = False
        self.iopub_at = 0.0
        #: IOPub messages of this request pushed out of a full queue before anyone claimed them
        self.lost = 0
        self.outputs: list[Message] = []
        #: messages the waiter still has to hand to user hooks (input requests, live outputs)
        self.inbox: deque[tuple[str, Message]] = deque()

    def accepts(self, channel: str) -> bool:
        return channel == "iopub" or channel == self.channel or (channel == "stdin" and self.takes_stdin)

    def feed(self, channel: str, msg: Message, at: float | None = None) -> None:
        """Take one message; ``at`` is when it arrived (monotonic), if earlier than now (it was queued)."""
        if at is None:
            at = monotonic()
        if channel == "iopub":
            self.iopub_seen = True
            self.iopub_at = at
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
            self.reply_at = at

    def answered(self) -> bool:
        return self.reply is not None

    @property
    def done(self) -> bool:
        return self.reply is not None and (self.idle or not self.want_idle)

    def settled(self, grace: float, later_iopub: int = 0) -> bool:
        """Done, or answered and its ``idle`` will not come.

        The kernel runs shell requests one at a time and IOPub is one ordered stream: once an IOPub message of a
        later shell request of ours (``later_iopub``, the highest ``seq`` seen on IOPub) has arrived, every
        output of this one has arrived or was dropped, and at most its ``idle`` is missing. Without such a sign,
        ``grace`` seconds without any IOPub message for it after the reply mean its idle was missed (a kernel
        restarted under us, or dropped messages for a slow subscriber at the high-water mark). The reply is
        authoritative."""
        if self.done:
            return True
        if self.reply is None:
            return False
        if self.seq and later_iopub > self.seq:
            return True
        return monotonic() - max(self.reply_at, self.iopub_at) > grace


class Slot:
    """One queued message; ``taken`` when recv or collect took it, or when it was pushed out (``dropped``)."""

    __slots__ = ("at", "channel", "kept", "msg", "owner", "taken")

    def __init__(self, channel: str, msg: Message, owner: Sent | None, kept: bool) -> None:
        #: when it arrived: a reply that waited in the queue started its IOPub grace period then
        self.at = monotonic()
        self.channel = channel
        self.msg = msg
        self.owner = owner
        self.kept = kept
        self.taken = False


class Sent:
    """A request sent with ``send`` that nobody waits for yet: what arrived for it, for a later ``collect``."""

    __slots__ = ("channel", "idle", "lost", "msg_id", "seq", "slots")

    def __init__(self, msg_id: str, channel: str, seq: int) -> None:
        self.msg_id = msg_id
        self.channel = channel
        self.seq = seq
        self.slots: list[Slot] = []
        self.idle = False
        self.lost = 0


class Mailbox:
    """Per-channel queues for messages nobody waits for, the table of pending requests, and the record of
    requests sent without a waiter (see the module docstring for what is bounded).

    ``forget``-ten request ids (high-level requests already answered, abandoned retries) have their late
    messages dropped, so ``recv("iopub")`` is not flooded with the busy/idle of our own completions.
    """

    def __init__(self, max_queued: int = 1000, max_forgotten: int = 1024) -> None:
        self.max_queued = max_queued
        self._queues: dict[str, deque[Slot]] = {ch: deque() for ch in MESSAGE_CHANNELS}
        # the bounded (not kept) slots of each channel, oldest first: what a full queue pushes out
        self._bounded: dict[str, deque[Slot]] = {ch: deque() for ch in MESSAGE_CHANNELS}
        self._live: dict[str, int] = dict.fromkeys(MESSAGE_CHANNELS, 0)
        self._live_bounded: dict[str, int] = dict.fromkeys(MESSAGE_CHANNELS, 0)
        self.pending: dict[str, Pending] = {}
        self.sent: dict[str, Sent] = {}
        self._forgotten: dict[str, None] = {}
        self._max_forgotten = max_forgotten
        #: requests of ours whose reply was already taken (recv, collect), newest last: collecting one again
        #: would wait for a reply that cannot come
        self._taken: dict[str, None] = {}
        self._seq = 0
        #: the highest ``seq`` of our shell requests seen on IOPub (see Pending.settled)
        self.iopub_seq = 0
        #: messages pushed out of a full queue
        self.dropped = 0
        #: an IOPub message (or iopub_welcome) arrived: our subscription is live
        self.iopub_alive = False
        #: iopub_welcome messages seen (one per (re)subscription, from kernels that send them)
        self.welcomes = 0

    # -- requests -------------------------------------------------------------------------------------------
    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def register(self, pending: Pending) -> Pending:
        self.pending[pending.msg_id] = pending
        return pending

    def track(self, msg_id: str, channel: str) -> Sent:
        """A request went out with no waiter: keep its replies for ``recv`` or a later ``collect``."""
        s = self.sent[msg_id] = Sent(msg_id, channel, self.next_seq() if channel == "shell" else 0)
        return s

    def forget(self, msg_id: str) -> None:
        self.pending.pop(msg_id, None)
        self.sent.pop(msg_id, None)
        f = self._forgotten
        f[msg_id] = None
        if len(f) > self._max_forgotten:
            del f[next(iter(f))]

    def release(self, msg_id: str) -> None:
        """Stop waiting. Answered: done (collecting it again is an error, ``was_taken``). Not answered (the
        caller timed out): its reply will still be kept, with what arrives after now, for ``recv`` or a later
        ``collect``."""
        p = self.pending.pop(msg_id, None)
        if p is None:
            return
        if p.reply is not None:
            self._note_taken(msg_id)
        elif p.channel != "stdin":
            s = self.sent[msg_id] = Sent(msg_id, p.channel, p.seq)
            s.idle = p.idle

    def clear(self) -> None:
        self.pending.clear()
        self.sent.clear()

    # -- incoming -------------------------------------------------------------------------------------------
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
                if channel == "iopub" and p.seq > self.iopub_seq:
                    self.iopub_seq = p.seq
                p.feed(channel, msg)
                return p
            if pid in self._forgotten:
                return None
            s = self.sent.get(pid)
            if s is not None:
                self._keep_for(s, channel, msg)
                return None
        elif channel == "iopub" and msg.msg_type == "iopub_welcome":
            self.welcomes += 1
            return None
        self._enqueue(Slot(channel, msg, None, kept=False))
        return None

    def _keep_for(self, s: Sent, channel: str, msg: Message) -> None:
        if channel == "iopub":
            if s.seq > self.iopub_seq:
                self.iopub_seq = s.seq
            if msg.msg_type == "status" and msg.content.get("execution_state") == "idle":
                s.idle = True
        slot = Slot(channel, msg, s, kept=channel != "iopub")
        s.slots.append(slot)
        self._enqueue(slot)

    def _enqueue(self, slot: Slot) -> None:
        ch = slot.channel
        self._queues[ch].append(slot)
        self._live[ch] += 1
        if slot.kept:
            return
        bounded = self._bounded[ch]
        bounded.append(slot)
        self._live_bounded[ch] += 1
        while self._live_bounded[ch] > self.max_queued:
            old = bounded.popleft()
            if old.taken:
                continue
            old.taken = True
            self._live[ch] -= 1
            self._live_bounded[ch] -= 1
            self.dropped += 1
            if old.owner is not None:
                old.owner.lost += 1
        self._compact(ch)

    def _compact(self, ch: str) -> None:
        # taken slots stay in the queues until popped; rebuild when they are most of a long queue
        q = self._queues[ch]
        if len(q) > 2 * self._live[ch] + self.max_queued:
            self._queues[ch] = deque(s for s in q if not s.taken)
        b = self._bounded[ch]
        if len(b) > 2 * self._live_bounded[ch] + self.max_queued:
            self._bounded[ch] = deque(s for s in b if not s.taken)

    def _untake(self, slot: Slot) -> None:
        """Count ``slot`` as taken out of its queue."""
        slot.taken = True
        self._live[slot.channel] -= 1
        if not slot.kept:
            self._live_bounded[slot.channel] -= 1

    # -- taking ---------------------------------------------------------------------------------------------
    def queued(self, channel: str) -> int:
        return self._live[channel]

    def _note_taken(self, msg_id: str) -> None:
        t = self._taken
        t[msg_id] = None
        if len(t) > self._max_forgotten:
            del t[next(iter(t))]

    def was_taken(self, msg_id: str) -> bool:
        """Whether the reply of our request ``msg_id`` was already taken by recv or an earlier collect."""
        return msg_id in self._taken and msg_id not in self.sent and msg_id not in self.pending

    def take(self, channel: str) -> Message | None:
        """The oldest queued message of ``channel`` (for ``recv``)."""
        q = self._queues[channel]
        while q:
            slot = q.popleft()
            if slot.taken:
                continue
            self._untake(slot)
            owner = slot.owner
            if owner is not None and channel == owner.channel:
                # the reply went to recv: this request is the caller's to follow now
                self.sent.pop(owner.msg_id, None)
                self._note_taken(owner.msg_id)
            return slot.msg
        return None

    def claim(self, pending: Pending) -> None:
        """Move already-arrived messages of ``pending`` into it (for collecting a request sent earlier)."""
        s = self.sent.pop(pending.msg_id, None)
        if s is not None:
            pending.seq = s.seq
            pending.lost += s.lost
            for slot in s.slots:
                if not slot.taken and pending.accepts(slot.channel):
                    self._untake(slot)
                    pending.feed(slot.channel, slot.msg, slot.at)
            if s.idle:
                pending.idle = True
            return
        # not sent through this mailbox (or already given up): look through the queues
        for channel, q in self._queues.items():
            if not pending.accepts(channel):
                continue
            for slot in q:
                if not slot.taken and slot.msg.parent_header.get("msg_id") == pending.msg_id:
                    self._untake(slot)
                    pending.feed(channel, slot.msg, slot.at)
