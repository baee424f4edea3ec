"""The client half of the remote test, run inside the client's network namespace:

    python remote_client.py CONNECTION_FILE {jupyter|lite}

Drives a kernel in another namespace through execute, interrupt (interrupt_request on control) and stdin, then
prints one JSON object with what it saw. With ``jupyter`` the client is jupyter_client's BlockingKernelClient,
with ``lite`` ours; both take the CURVE keys from the connection file.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def net_namespace() -> str:
    return os.readlink("/proc/self/ns/net")


def with_jupyter_client(path: str) -> dict[str, Any]:
    from jupyter_client.blocking import BlockingKernelClient

    kc = BlockingKernelClient(connection_file=path)
    kc.load_connection_file()
    kc.start_channels()
    out: dict[str, Any] = {"curve": kc.curve_publickey is not None}
    try:
        kc.wait_for_ready(timeout=60)
        streams: list[str] = []

        def keep(msg: dict[str, Any]) -> None:
            if msg["msg_type"] == "stream":
                streams.append(msg["content"]["text"])

        code = "import os; print(6 * 7); print(os.readlink('/proc/self/ns/net'))"
        reply = kc.execute_interactive(code, timeout=60, output_hook=keep)
        out["execute"] = {"status": reply["content"]["status"], "stdout": "".join(streams)}

        streams.clear()
        reply = kc.execute_interactive(
            "name = input('name? ')\nprint('hello', name)",
            timeout=60,
            allow_stdin=True,
            stdin_hook=lambda msg: kc.input("remote user"),
            output_hook=keep,
        )
        out["stdin"] = {"status": reply["content"]["status"], "stdout": "".join(streams)}

        msg_id = kc.execute("import time; print('sleeping', flush=True); time.sleep(120)")
        while True:  # interrupt only once the cell runs: an idle kernel ignores interrupts
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                break
        interrupt = kc.session.msg("interrupt_request", {})
        kc.control_channel.send(interrupt)
        out["interrupt_reply"] = kc.get_control_msg(timeout=60)["content"]["status"]
        reply = kc.get_shell_msg(timeout=60)
        out["interrupted"] = {"status": reply["content"]["status"], "ename": reply["content"].get("ename")}
    finally:
        kc.stop_channels()
    return out


def with_our_client(path: str) -> dict[str, Any]:
    from ipykernel_lite.client import BlockingClient

    out: dict[str, Any] = {}
    with BlockingClient(path) as kc:
        out["curve"] = "curve_publickey" in kc.info.extra
        kc.wait_for_ready(60)
        r = kc.execute("import os; print(6 * 7); print(os.readlink('/proc/self/ns/net'))", timeout=60)
        out["execute"] = {"status": r.status, "stdout": r.stdout}
        r = kc.execute("name = input('name? ')\nprint('hello', name)", stdin_hook=lambda m: "remote user", timeout=60)
        out["stdin"] = {"status": r.status, "stdout": r.stdout}
        sent: list[str] = []

        def hook(msg: Any) -> None:
            # interrupt only once the cell runs (an idle kernel ignores interrupts); no waiting inside a hook
            if msg.msg_type == "stream" and not sent:
                sent.append(kc.send("control", "interrupt_request"))

        r = kc.execute("import time; print('sleeping', flush=True); time.sleep(120)", output_hook=hook, timeout=90)
        out["interrupted"] = {"status": r.status, "ename": r.error.ename if r.error else None}
        reply = kc.recv("control", timeout=60)
        out["interrupt_reply"] = reply.content["status"] if reply is not None and reply.parent_id in sent else None
    return out


def main() -> None:
    path, which = sys.argv[1], sys.argv[2]
    result = with_jupyter_client(path) if which == "jupyter" else with_our_client(path)
    result["client_netns"] = net_namespace()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
