"""ClientCore: the sans-IO heart of every client. Calls become messages, arriving messages become routed
state and events; no sockets, no waiting, no threads (see transport.py for how a shell drives it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from time import monotonic
from typing import Any

from ...protocol import Message, MessageFactory, ProtocolError, Signer, WireCodec
from ..errors import AlreadyTaken, NotReady, RequestTimeout
from ..result import ExecuteResult
from .mailbox import MESSAGE_CHANNELS, Mailbox, Pending
from .ready import Readiness
from .requests import spec

log = logging.getLogger("ipykernel_lite.client")

SEND_CHANNELS = ("shell", "control", "stdin")
#: an execute answered with no IOPub message at all after this long lost its IOPub (see Pending.settled)
IOPUB_GRACE = 3.0
#: while waiting for readiness, ask kernel_info again this often (a restarted kernel may miss the first)
READY_RETRY = 0.5
#: comm_open / comm_msg / comm_close from the kernel go to the comm listener (see ClientCore.on_comm)
COMM_TYPES = frozenset({"comm_open", "comm_msg", "comm_close"})

CommListener = Callable[[Message], None]


@dataclass(frozen=True)
class Outgoing:
    """A message the shell must write to ``channel``."""

    channel: str
    msg: Message

    @property
    def msg_id(self) -> str:
        return self.msg.msg_id


@dataclass(frozen=True)
class Output:
    """An IOPub message of an execute (for its output hook)."""

    msg: Message


@dataclass(frozen=True)
class InputRequest:
    """The kernel asks for input for an execute (for its stdin hook; answer with ``core.input_reply``)."""

    msg: Message


Event = Output | InputRequest


class ClientCore:
    """One client's protocol state: message stamping and signing, the request table, routing by parent
    msg_id, readiness, execute collection, comm routing. Shared by every shell.
    """

    def __init__(
        self,
        key: bytes | str,
        signature_scheme: str = "hmac-sha256",
        *,
        session: str | None = None,
        username: str = "",
        max_queued: int = 1000,
    ) -> None:
        self.factory = MessageFactory(session, username=username)
        self.codec = WireCodec(Signer(key, signature_scheme))
        self.mailbox = Mailbox(max_queued)
        self.ready = Readiness()
        #: called with every comm_open/comm_msg/comm_close on IOPub (they then skip the ``recv`` queue)
        self.on_comm: CommListener | None = None
        self.last_input_request: Message | None = None

    @property
    def session(self) -> str:
        return self.factory.session

    # -- outgoing -------------------------------------------------------------------------------------------
    def message(
        self,
        channel: str,
        msg_type: str,
        content: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        *,
        parent: Message | None = None,
        buffers: list[bytes] | None = None,
    ) -> Outgoing:
        """Any message, content given as is (the low-level ``send``)."""
        if channel not in SEND_CHANNELS:
            raise ValueError(f"channel must be one of {', '.join(SEND_CHANNELS)}; got {channel!r}")
        # the factory keeps a parent's header bytes as they arrived: no re-serialisation
        msg = self.factory.message(msg_type, content, parent=parent, metadata=metadata, identities=[])
        if buffers:
            msg.buffers = buffers
        return Outgoing(channel, msg)

    def build(
        self,
        msg_type: str,
        *,
        channel: str | None = None,
        metadata: dict[str, Any] | None = None,
        parent: Message | None = None,
        **params: Any,
    ) -> Outgoing:
        """A request from the table (requests.py): ``build("complete_request", code="pri")``."""
        s = spec(msg_type)
        return self.message(s.channel_for(channel), msg_type, s.build(**params), metadata, parent=parent)

    def encode(self, msg: Message) -> list[bytes]:
        """Signed wire frames, for zmq shells."""
        return self.codec.serialize(msg)

    def input_reply(self, value: str, parent: Message | None = None) -> Outgoing:
        """Answer ``parent`` (by default the last input_request seen)."""
        parent = parent if parent is not None else self.last_input_request
        return self.build("input_reply", value=value, parent=parent)

    def ready_probe(self) -> Outgoing:
        """A kernel_info_request whose reply feeds readiness (call ``ready.begin()`` first)."""
        out = self.build("kernel_info_request")
        self.ready.asked(out.msg_id)
        # readiness sees its messages before routing; whatever comes for it later is nobody's
        self.mailbox.forget(out.msg_id)
        return out

    def ready_info(self, stdin_linked: bool) -> dict[str, Any] | None:
        return self.ready.info(stdin_linked)

    # -- requests in flight ---------------------------------------------------------------------------------
    def sent(self, out: Outgoing) -> None:
        """``out`` went out with nobody waiting: keep its replies for ``recv`` or a later ``collect``."""
        # only requests are answered: a comm_msg or input_reply has no reply to keep
        if out.channel != "stdin" and out.msg.msg_type.endswith("_request"):
            self.mailbox.track(out.msg_id, out.channel)

    def expect(self, out: Outgoing) -> Pending:
        """Wait for the reply of request ``out``; register before sending (its answer may beat the send)."""
        return self.mailbox.register(Pending(out.msg_id, out.channel))

    def expect_execute(self, msg_id: str, *, hook_iopub: bool, takes_stdin: bool, earlier: bool = False) -> Pending:
        """Collect an execute: reply, IOPub up to idle, input requests. ``earlier``: it was sent before
        (with ``send``), and what already arrived for it is taken out of the queues."""
        box = self.mailbox
        if earlier and box.was_taken(msg_id):
            # waiting would never end: say so instead (collect with timeout=None must not hang)
            raise AlreadyTaken(f"the reply to {msg_id} was already taken (by recv or an earlier collect)")
        p = Pending(msg_id, "shell", want_idle=True, takes_stdin=takes_stdin, hook_iopub=hook_iopub)
        if earlier:
            box.claim(p)
        else:
            p.seq = box.next_seq()
        return box.register(p)

    def reply(self, p: Pending, timeout: float | None) -> Message:
        """The reply ``p`` waited for; RequestTimeout if the wait ended without it."""
        if p.reply is None:
            raise RequestTimeout(f"no reply to {p.msg_id} on {p.channel} within {timeout} s", p.msg_id)
        return p.reply

    def forget(self, msg_id: str) -> None:
        """Done with a request/reply: its late messages are dropped."""
        self.mailbox.forget(msg_id)

    def release(self, msg_id: str) -> None:
        """Stop collecting; later messages of the request go to ``recv``."""
        self.mailbox.release(msg_id)

    def events(self, p: Pending) -> Iterator[Event]:
        """What an execute's hooks must see next, in arrival order (stdin only if it takes stdin)."""
        inbox = p.inbox
        while inbox:
            channel, m = inbox.popleft()
            if channel == "iopub":
                yield Output(m)
            elif m.msg_type == "input_request":
                self.last_input_request = m
                yield InputRequest(m)

    def early_outputs(self, p: Pending) -> Iterator[Output]:
        """The IOPub messages at the head of an execute's inbox: shown before answering an input_request
        (the kernel flushed that output before it asked)."""
        inbox = p.inbox
        while inbox and inbox[0][0] == "iopub":
            yield Output(inbox.popleft()[1])

    def settled(self, p: Pending, grace: float = IOPUB_GRACE) -> bool:
        return p.settled(grace, self.mailbox.iopub_seq)

    @staticmethod
    def result(p: Pending) -> ExecuteResult:
        assert p.reply is not None
        return ExecuteResult(p.msg_id, p.reply, p.outputs, lost=p.lost)

    def clear(self) -> None:
        """The shell closed: nothing waits any more."""
        self.mailbox.clear()
        self.ready.stop()

    # -- incoming -------------------------------------------------------------------------------------------
    def decode(self, channel: str, frames: Sequence[bytes]) -> Message | None:
        try:
            return self.codec.deserialize(frames)
        except ProtocolError as e:
            # a forged or garbled message must not stop the client; it is simply not for us
            log.warning("dropping a bad message on %s: %s", channel, e)
            return None

    def feed(self, channel: str, data: Sequence[bytes] | Message) -> Message | None:
        """One arriving message (wire frames or decoded); returns it decoded, or None if it was bad."""
        msg = data if isinstance(data, Message) else self.decode(channel, data)
        if msg is None:
            return None
        if channel not in MESSAGE_CHANNELS:
            raise ValueError(f"no messages arrive on {channel!r}")
        ready = self.ready
        if channel == "iopub":
            if ready.active:
                ready.on_iopub(msg)
            if msg.msg_type in COMM_TYPES and self.on_comm is not None:
                self.on_comm(msg)
                p = self.mailbox.pending.get(str(msg.parent_header.get("msg_id", "")))
                if p is not None:
                    p.feed(channel, msg)
                return msg
        elif channel != "stdin" and ready.owns(msg):
            ready.on_reply(msg)
            return msg
        self.mailbox.deliver(channel, msg)
        return msg

    def take(self, channel: str) -> Message | None:
        """The next queued message of ``channel`` (``recv``)."""
        msg = self.mailbox.take(channel)
        if msg is not None and channel == "stdin" and msg.msg_type == "input_request":
            self.last_input_request = msg
        return msg


class ReadyWait:
    """One ``wait_for_ready``: the shell sends ``probe()``, waits up to ``slice()`` for ``done()``, and calls
    ``check()`` (NotReady once the time is up) until done; ``info()`` is then the kernel_info content."""

    def __init__(self, core: ClientCore, timeout: float, linked: Callable[[], bool]) -> None:
        self._core = core
        self._timeout = timeout
        self._linked = linked
        self._deadline = monotonic() + timeout
        core.ready.begin()

    def __enter__(self) -> ReadyWait:
        return self

    def __exit__(self, *exc: object) -> None:
        self._core.ready.stop()

    def probe(self) -> Outgoing:
        return self._core.ready_probe()

    def slice(self) -> float:
        return max(0.0, min(READY_RETRY, self._deadline - monotonic()))

    def done(self) -> bool:
        return self._core.ready_info(self._linked()) is not None

    def info(self) -> dict[str, Any]:
        info = self._core.ready_info(True)
        assert info is not None
        return info

    def check(self) -> None:
        if monotonic() < self._deadline:
            return
        t, linked = self._timeout, self._linked()
        if not self._core.ready.answered:
            raise NotReady(f"the kernel did not answer kernel_info within {t} s")
        if not linked:
            raise NotReady(f"the kernel's stdin channel did not connect within {t} s")
        raise NotReady(f"the kernel answered but no IOPub message arrived within {t} s")
