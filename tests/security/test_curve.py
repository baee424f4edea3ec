"""CurveZMQ transport encryption, compatible with jupyter_client 8.10's ``transport_encryption``.

The kernel's five sockets are CURVE servers when its connection file carries ``curve_publickey`` and
``curve_secretkey``; a peer that does not know the public key cannot even complete the handshake.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zmq
from zmq.utils import z85

from ipykernel_lite.kernel.curve import apply_client, is_curve, new_keypair
from ipykernel_lite.protocol import ConnectionInfo
from ipykernel_lite.protocol.curve import (
    CurveKeyError,
    CurveKeys,
    curve_keys,
    has_curve_keys,
    set_curve_keys,
    z85_decode,
)

from ..conftest import TEST_KERNEL
from .conftest import Running, launch
from .peers import RawPeer, client_speaks_curve, handshake_outcome

CHANNELS = ("shell", "control", "stdin", "iopub", "hb")
SOCKET_TYPES = {"shell": zmq.DEALER, "control": zmq.DEALER, "stdin": zmq.DEALER, "iopub": zmq.SUB, "hb": zmq.DEALER}


# --- the keys (pure) ---------------------------------------------------------------------------------------------
def test_z85_decoding_matches_libzmq() -> None:
    for _ in range(20):
        public, secret = zmq.curve_keypair()
        assert z85_decode(public) == z85.decode(public)
        assert z85_decode(secret.decode()) == z85.decode(secret)
        assert len(z85_decode(public)) == 32


@pytest.mark.parametrize(
    ("text", "problem"),
    [("abcd", "multiple of 5"), ("abc\x7fd", "not a Z85 character"), ("#####", "out of range")],
)
def test_z85_rejects_malformed_text(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        z85_decode(text)


def _info(**extra: Any) -> ConnectionInfo:
    return ConnectionInfo(extra=extra)


def test_keys_are_read_from_the_connection_file_fields() -> None:
    public, secret = zmq.curve_keypair()
    info = _info(curve_publickey=public.decode(), curve_secretkey=secret.decode())
    assert has_curve_keys(info)
    assert curve_keys(info) == CurveKeys(public, secret)
    assert secret.decode() not in repr(curve_keys(info))
    assert curve_keys(_info()) is None and not has_curve_keys(_info())


def test_set_curve_keys_writes_what_jupyter_client_reads(tmp_path: Path) -> None:
    from jupyter_client.connect import ConnectionFileMixin

    from ipykernel_lite.protocol.connection import write_connection_file

    keys = new_keypair()
    info = ConnectionInfo()
    set_curve_keys(info, keys)
    path = write_connection_file(tmp_path / "k.json", info)
    mixin = ConnectionFileMixin(connection_file=path)
    mixin.load_connection_file()
    assert (mixin.curve_publickey, mixin.curve_secretkey) == (keys.public, keys.secret)
    set_curve_keys(info, None)
    assert curve_keys(info) is None


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"curve_publickey": "x" * 40}, "no curve_secretkey"),
        ({"curve_secretkey": "x" * 40}, "no curve_publickey"),
        ({"curve_publickey": "short", "curve_secretkey": "x" * 40}, "must be 40 Z85 characters"),
        ({"curve_publickey": 5, "curve_secretkey": "x" * 40}, "must be a string"),
        ({"curve_publickey": "~" * 40, "curve_secretkey": "x" * 40}, "not valid Z85"),
    ],
    ids=["no-secret", "no-public", "short", "not-a-string", "bad-alphabet"],
)
def test_malformed_keys_are_refused_with_the_reason(extra: dict[str, Any], problem: str) -> None:
    with pytest.raises(CurveKeyError, match=problem):
        curve_keys(_info(**extra))


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda pub, sec, other: {"curve_publickey": pub}, "no curve_secretkey"),
        (lambda pub, sec, other: {"curve_publickey": other, "curve_secretkey": sec}, "not the public half"),
        (lambda pub, sec, other: {"curve_publickey": pub, "curve_secretkey": "1" * 39}, "40 Z85 characters"),
    ],
    ids=["half-a-pair", "mismatched-pair", "truncated-secret"],
)
def test_kernel_refuses_to_start_with_bad_keys(tmp_path: Path, make: Any, problem: str) -> None:
    """Never fall back to plain text when encryption was asked for: exit, saying why."""
    pub, sec = (k.decode() for k in zmq.curve_keypair())
    other = zmq.curve_keypair()[0].decode()
    info = ConnectionInfo(extra=make(pub, sec, other)).to_dict()
    path = tmp_path / "kernel.json"
    path.write_text(json.dumps(info))
    proc = subprocess.run(
        [sys.executable, "-m", "ipykernel_lite", "-f", str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1
    assert problem in proc.stderr
    assert "Traceback" not in proc.stderr


# --- the kernel as a CURVE server --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def curve_kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    run = launch(tmp_path_factory.mktemp("curve"), curve=True)
    yield run
    run.stop()


def test_keyed_peer_runs_code_on_every_channel(curve_kernel: Running) -> None:
    with curve_kernel.peer() as p:
        assert p.keys is not None
        assert all(is_curve(s) for s in p.sockets.values())
        p.wait_ready()
        rep, outputs = p.execute("print('over curve')")
        assert rep.content["status"] == "ok"
        assert [m.content["text"] for m in outputs if m.msg_type == "stream"] == ["over curve\n"]
        assert p.request("control", "kernel_info_request", {}).content["status"] == "ok"
        assert p.ping(b"curve-ping")


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("who", ["plain", "wrong-key", "right-key"])
def test_only_a_peer_with_the_public_key_completes_the_handshake(curve_kernel: Running, channel: str, who: str) -> None:
    assert curve_kernel.keys is not None
    sock = zmq.Context.instance().socket(SOCKET_TYPES[channel])
    sock.linger = 0
    if who == "wrong-key":
        apply_client(sock, new_keypair())
    elif who == "right-key":
        apply_client(sock, curve_kernel.keys, ephemeral=True)
    try:
        outcome = handshake_outcome(sock, curve_kernel.info.url(channel))
    finally:
        sock.close(linger=0)
    # plain: NULL mechanism against a CURVE server; wrong key: the server cannot open a HELLO meant for another
    # key. libzmq reports either as FAILED_PROTOCOL or FAILED_NO_DETAIL, depending on which side notices first.
    if who == "right-key":
        assert outcome == "HANDSHAKE_SUCCEEDED"
    else:
        assert outcome.startswith("HANDSHAKE_FAILED"), outcome


def test_plain_peer_never_gets_an_answer_nor_runs_code(curve_kernel: Running) -> None:
    with RawPeer(curve_kernel.info, keys=None, channels=("shell",)) as plain:
        msg = plain.send("shell", "execute_request", {"code": "plain_was_here = 1", "silent": False})
        assert plain.reply("shell", msg, 1.0) is None
    with curve_kernel.peer() as p:
        assert p.evaluate("'plain_was_here' in globals()") == "False"


# --- jupyter_client's transport_encryption -----------------------------------------------------------------------
@pytest.mark.timeout(120)  # a kernel start, an interrupt and a shutdown through jupyter_client, on a busy machine
def test_jupyter_client_with_transport_encryption_required() -> None:
    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=TEST_KERNEL, transport_encryption="required")
    km.start_kernel()
    kc = km.client()
    try:
        with open(km.connection_file) as f:
            written = json.load(f)
        assert {"curve_publickey", "curve_secretkey"} <= set(written)
        assert os.stat(km.connection_file).st_mode & 0o077 == 0
        kc.start_channels()
        kc.wait_for_ready(timeout=30)
        reply = kc.execute_interactive("import sys; print(sys.version_info[0])", timeout=30)
        assert reply["content"]["status"] == "ok"
        assert kc.hb_channel.is_beating()  # jupyter_client's heartbeat uses its own throwaway key pair
        # interrupt_mode "message": the interrupt_request travels encrypted on control
        msg_id = kc.execute("import time; print('sleeping', flush=True); time.sleep(30)")
        while True:  # an interrupt before the cell runs would find an idle kernel, which ignores it
            out = kc.get_iopub_msg(timeout=20)
            if out["parent_header"].get("msg_id") == msg_id and out["msg_type"] == "stream":
                break
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=20)
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"

        # the same kernel, from a client without the keys: nothing gets through. A plain DEALER whose handshake
        # fails has no peer, so a blocking send would wait forever: send with a timeout, then expect no reply.
        plain = BlockingKernelClient()
        plain.load_connection_info({k: v for k, v in written.items() if not k.startswith("curve_")})
        ctx = zmq.Context.instance()
        sock = ctx.socket(zmq.DEALER)
        sock.linger = 0
        sock.sndtimeo = 1000
        try:
            sock.connect(f"tcp://{written['ip']}:{written['shell_port']}")
            msg = plain.session.msg("kernel_info_request", {})
            try:
                plain.session.send(sock, msg)
            except zmq.Again:
                pass  # never connected: that is the refusal
            else:
                assert not sock.poll(1000), "a client without the keys got an answer"
        finally:
            sock.close(0)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


# --- our own client ----------------------------------------------------------------------------------------------
needs_client_curve = pytest.mark.skipif(
    not client_speaks_curve(),
    reason="ipykernel_lite.client does not apply CURVE keys yet (patch to client/channels.py pending)",
)


@needs_client_curve
def test_our_client_talks_to_a_curve_kernel(curve_kernel: Running) -> None:
    from ipykernel_lite.client import BlockingClient

    with BlockingClient(curve_kernel.info) as kc:
        assert kc.wait_for_ready(30)["implementation"] == "ipykernel_lite"
        result = kc.execute("print('ours, encrypted')", timeout=30)
        assert result.ok and result.stdout == "ours, encrypted\n"
        assert kc.ping(5)
        answers = iter(["typed"])
        result = kc.execute("got = input('? ')\nprint(got)", stdin_hook=lambda m: next(answers), timeout=30)
        assert result.stdout == "typed\n"
