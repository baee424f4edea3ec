"""The Enterprise Gateway launcher on its own: it reports to a real response socket, in the gateway's v1
format (decrypted here with the gateway's algorithm: RSA PKCS#1 v1.5 for the AES key, AES-ECB for the info),
serves its communication port, and its kernel answers on the reported ports."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from ipykernel_lite.client import BlockingClient
from ipykernel_lite.gateway.launcher import port_range
from ipykernel_lite.protocol import ConnectionInfo

crypto = pytest.importorskip("Cryptodome", reason="pip install 'ipykernel_lite[gateway]' (pycryptodomex)")
REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(90)


def _gateway_keys() -> tuple[Any, str]:
    from Cryptodome.PublicKey import RSA

    key = RSA.generate(1024)
    pem = key.publickey().export_key("PEM").decode()
    # what the gateway puts in {public_key}: the PEM without header, footer and newlines
    flat = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").replace("\n", "")
    return key, flat


def _decrypt(private: Any, data: bytes) -> dict[str, Any]:
    from Cryptodome.Cipher import AES, PKCS1_v1_5
    from Cryptodome.Util.Padding import unpad

    envelope = json.loads(base64.b64decode(data))
    assert envelope["version"] == 1
    aes_key = PKCS1_v1_5.new(private).decrypt(base64.b64decode(envelope["key"]), None)
    plain = unpad(AES.new(aes_key, AES.MODE_ECB).decrypt(base64.b64decode(envelope["conn_info"])), 16)
    return dict(json.loads(plain))


def test_the_launcher_reports_back_and_obeys_its_communication_port() -> None:
    private, public = _gateway_keys()
    kernel_id = str(uuid4())
    with socket.socket() as response:
        response.bind(("127.0.0.1", 0))
        response.listen(1)
        response.settimeout(60)
        address = f"127.0.0.1:{response.getsockname()[1]}"
        argv = [sys.executable, "-m", "ipykernel_lite.gateway_launcher", "--RemoteProcessProxy.kernel-id", kernel_id]
        argv += ["--RemoteProcessProxy.response-address", address, "--RemoteProcessProxy.public-key", public]
        argv += ["--RemoteProcessProxy.port-range", "40000..40999", "--ip", "127.0.0.1"]
        proc = subprocess.Popen(argv, env={**os.environ, "PYTHONPATH": str(REPO)})
        try:
            conn, _ = response.accept()
            with conn:
                data = b""
                while chunk := conn.recv(4096):
                    data += chunk
            info = _decrypt(private, data)
            assert info["kernel_id"] == kernel_id and info["pid"] == proc.pid
            ports = [info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
            assert all(40000 <= p <= 40999 for p in [*ports, info["comm_port"]])
            kc = BlockingClient(ConnectionInfo.from_dict({k: v for k, v in info.items() if k in _FIELDS}))
            try:
                kc.wait_for_ready(30)
                assert kc.execute("6 * 7").result == {"text/plain": "42"}
            finally:
                kc.close()
            with socket.create_connection(("127.0.0.1", info["comm_port"]), timeout=10) as s:
                s.sendall(json.dumps({"shutdown": 1}).encode())
            assert proc.wait(30) == 0  # the kernel stopped, and the launcher with it
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


_FIELDS = {
    "ip",
    "transport",
    "shell_port",
    "iopub_port",
    "stdin_port",
    "control_port",
    "hb_port",
    "key",
    "signature_scheme",
    "kernel_name",
}


def test_port_range_is_checked() -> None:
    assert port_range("0..0") == (0, 0) and port_range("100..200") == (100, 200)
    for bad in ("1-2", "200..100", "0..70000"):
        with pytest.raises(ValueError):
            port_range(bad)


def test_missing_arguments_are_a_usage_error() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "ipykernel_lite.gateway_launcher", "--kernel-id", "x"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert r.returncode == 2 and "--response-address is required" in r.stderr
