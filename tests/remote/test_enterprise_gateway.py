"""Our kernel under Jupyter Enterprise Gateway's distributed (SSH) process proxy, on two "remote hosts": network
namespaces running Debian's sshd. The gateway logs in over SSH (paramiko, key-based), starts
``python -m ipykernel_lite.gateway_launcher`` there, gets the encrypted connection info back on its response
address, and relays our BlockingClient's websocket to the kernel on that host.

Enterprise Gateway pins old jupyter_server/jupyter_client, so it runs from a venv of its own:
``$IPYKERNEL_LITE_EG_PYTHON`` or ``.venv-eg/bin/python`` (see docs/remote.md); skipped without one.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipykernel_lite.client.remote import connect_server
from ipykernel_lite.protocol import Message

from .servers import EG_PYTHON, REPO, RunningServer, isolated_env, running_server, until_no_connection
from .sshhost import SshHost, ssh_host, why_not

EG_SPEC = "ipykernel_lite_eg_ssh"


def _why_not() -> str | None:
    if not Path(EG_PYTHON).exists():
        return f"no Enterprise Gateway venv at {EG_PYTHON} (set IPYKERNEL_LITE_EG_PYTHON)"
    return why_not()


WHY_NOT = _why_not()
pytestmark = [pytest.mark.skipif(WHY_NOT is not None, reason=WHY_NOT or ""), pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[SshHost]]:
    folder = tmp_path_factory.mktemp("eg-hosts")
    key = folder / "gateway_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=30)
    with ssh_host(folder / "h0", 0, key) as h0, ssh_host(folder / "h1", 1, key) as h1:
        assert h0.ip != h1.ip, "two hosts, two addresses"
        yield [h0, h1]


@pytest.fixture(scope="module")
def gateway(hosts: list[SshHost], tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    root = tmp_path_factory.mktemp("eg")
    # the gateway's user: paramiko finds the key and the hosts' keys under $HOME/.ssh
    home = root / "home"
    (home / ".ssh").mkdir(parents=True, mode=0o700)
    key = hosts[0].key
    (home / ".ssh" / "id_ed25519").write_bytes(key.read_bytes())
    (home / ".ssh" / "id_ed25519").chmod(0o600)
    (home / ".ssh" / "known_hosts").write_text("".join(h.host_key_line + "\n" for h in hosts))
    spec = root / "specs" / "kernels" / EG_SPEC
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "display_name": "ipykernel_lite over SSH (test)",
                "language": "python",
                "metadata": {
                    "process_proxy": {
                        "class_name": "enterprise_gateway.services.processproxies.distributed.DistributedProcessProxy"
                    }
                },
                "env": {"PYTHONPATH": str(REPO)},
                "argv": [
                    sys.executable,
                    "-m",
                    "ipykernel_lite.gateway_launcher",
                    "--kernel-id",
                    "{kernel_id}",
                    "--response-address",
                    "{response_address}",
                    "--public-key",
                    "{public_key}",
                    "--port-range",
                    "{port_range}",
                ],
            }
        )
    )
    env = isolated_env(
        root,
        {
            "HOME": str(home),
            "JUPYTER_PATH": str(root / "specs"),
            "EG_REMOTE_USER": "root",
            # the hosts route everything to us: any of our addresses reaches the response socket
            "EG_RESPONSE_IP": hosts[0].our_ip,
            "PYTHONPATH": "",
        },
    )
    argv = [
        EG_PYTHON,
        "-m",
        "enterprise_gateway",
        "--EnterpriseGatewayApp.ip=127.0.0.1",
        "--EnterpriseGatewayApp.port={port}",
        "--EnterpriseGatewayApp.port_retries=0",
        "--EnterpriseGatewayApp.auth_token={token}",
        "--EnterpriseGatewayApp.list_kernels=True",
        f"--EnterpriseGatewayApp.remote_hosts={[h.ip for h in hosts]!r}",
        "--EnterpriseGatewayApp.load_balancing_algorithm=round-robin",
    ]
    with running_server("enterprise_gateway", root, argv=argv, env=env) as server:
        yield server


def _netns_of(kc: object) -> str:
    r = kc.execute("import os\nos.readlink('/proc/self/ns/net')")  # type: ignore[attr-defined]
    return str(r.result["text/plain"])


def test_kernels_on_two_ssh_hosts(gateway: RunningServer, hosts: list[SshHost]) -> None:
    server = connect_server(gateway.url, gateway.token)
    assert EG_SPEC in server.kernelspecs()["kernelspecs"]
    # the gateway refuses kernels for root (its unauthorized_users): say who the kernel is for
    started = [server.start_kernel(EG_SPEC, env={"KERNEL_USERNAME": "tester"}, timeout=120) for _ in range(2)]
    try:
        here = os.readlink("/proc/self/ns/net")
        spaces = {_netns_of(kc) for _, kc in started}
        assert len(spaces) == 2 and repr(here) not in spaces, "one kernel on each remote host"
        km, kc = started[0]
        # streams and a rich result
        r = kc.execute("print('on a remote host')\nclass R:\n    def _repr_html_(self): return '<i>r</i>'\nR()")
        assert r.stdout == "on a remote host\n" and r.result is not None and r.result["text/html"] == "<i>r</i>"
        # input()
        assert kc.execute("input('? ')", stdin_hook=lambda m: "eg").result == {"text/plain": "'eg'"}
        # complete
        assert "import" in kc.complete("impo")["matches"]

        # interrupt: the gateway sends {"signum": 2} to the launcher's communication port
        def hook(msg: Message) -> None:
            if msg.msg_type == "stream" and "looping" in msg.content["text"]:
                km.interrupt()

        r = kc.execute("import time\nprint('looping', flush=True)\nwhile True: time.sleep(0.05)", output_hook=hook)
        assert r.error is not None and r.error.ename == "KeyboardInterrupt"
        # a dropped websocket mid-cell: the gateway buffers for our session, we reconnect, nothing is lost
        go = Path(gateway.root) / f"go-{km.kernel_id}"
        dropped: list[bool] = []

        def drop(msg: Message) -> None:
            if msg.msg_type == "stream" and msg.content["text"] == "before\n" and not dropped:
                kc.link.ws.socket.shutdown(socket.SHUT_RDWR)
                dropped.append(True)
                until_no_connection(km)
                go.write_text("")

        code = (
            f"import os, time\nprint('before', flush=True)\nwhile not os.path.exists({str(go)!r}): time.sleep(0.01)\n"
        )
        r = kc.execute(code + "print('after')\n'done'", output_hook=drop)
        assert dropped and kc.link.reconnects == 1
        assert (r.stdout, r.result) == ("before\nafter\n", {"text/plain": "'done'"})
        # restart: a new launcher and kernel, the client keeps working
        kc.execute("before = 1")
        km.restart(180)
        assert kc.execute("'before' in globals()").result == {"text/plain": "False"}
    finally:
        for km, _ in started:
            km.shutdown()
    assert server.list_kernels() == []
