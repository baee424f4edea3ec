"""Round trip and pipelined executes over Jupyter Kernel Gateway (REST + websocket), for our kernel and for
ipykernel. Starts the servers on random loopback ports; prints markdown tables.

    python -m bench.remote_gateway [--n 200]                       # the gateway paths side by side
    python -m bench.remote_gateway [--n 200] --server jupyter_server  # our client on Jupyter Server alone

The default run measures, in one go and on one Kernel Gateway, three ways to the same kernels:

- ``ours → KG``: our websocket client (``connect_server``) straight to the gateway;
- ``GatewayKernelClient → KG``: jupyter_server's gateway client library (bench/remote_gatewayclient.py);
- ``ours → JS --gateway-url → KG``: our client through a Jupyter Server started with ``--gateway-url``, which
  relays the kernel websocket to the gateway (the path of JupyterLab's own websockets).

Timings belong here, not in tests: nothing asserts them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _kernelspecs(folder: Path) -> dict[str, str]:
    """Our kernel and ipykernel as kernelspecs of this interpreter (nothing from the user's set-up)."""
    from ipykernel_lite.kernelspec import kernel_json

    specs = {
        "bench_lite": kernel_json("ipykernel_lite (bench)"),
        "bench_ipykernel": {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "ipykernel (bench)",
            "language": "python",
        },
    }
    for name, spec in specs.items():
        d = folder / "kernels" / name
        d.mkdir(parents=True)
        (d / "kernel.json").write_text(json.dumps(spec))
    return {"ipykernel_lite": "bench_lite", "ipykernel": "bench_ipykernel"}


def _measure(url: str, token: str, spec: str, n: int) -> dict[str, float]:
    from ipykernel_lite.client.remote import connect_server

    km, kc = connect_server(url, token or None).start_kernel(spec)
    try:
        for _ in range(20):  # warm-up: imports, jedi, the server's first-message paths
            kc.execute("pass")
        times = []
        for _ in range(n):
            t = time.perf_counter()
            kc.execute("pass")
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        ids = [kc.send("shell", "execute_request", _content("pass")) for _ in range(n)]
        for msg_id in ids:
            kc.collect(msg_id)
        pipelined = time.perf_counter() - t
        return {
            "roundtrip_ms": statistics.median(times) * 1000,
            "p90_ms": sorted(times)[int(0.9 * n)] * 1000,
            "pipelined_per_s": n / pipelined,
        }
    finally:
        km.shutdown()


def _content(code: str) -> dict[str, object]:
    return {"code": code, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False}


def _gateway_argv() -> list[str]:
    """Kernel Gateway without a token: jupyter_server's GatewayKernelClient sends none on its websocket."""
    return [
        sys.executable,
        "-m",
        "kernel_gateway",
        "--KernelGatewayApp.port={port}",
        "--KernelGatewayApp.port_retries=0",
        "--KernelGatewayApp.ip=127.0.0.1",
        "--KernelGatewayApp.auth_token=",
        "--JupyterWebsocketPersonality.list_kernels=True",
    ]


def _relay_argv(gateway_url: str, root: Path) -> list[str]:
    """Jupyter Server as a JupyterLab user runs it against a gateway: kernels and kernelspecs are the gateway's."""
    return [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        *(["--allow-root"] if os.geteuid() == 0 else []),
        "--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--GatewayClient.url={gateway_url}",
    ]


def _try(what: str, fn: Any, *args: Any) -> dict[str, float] | str:
    try:
        return fn(*args)  # type: ignore[no-any-return]
    except Exception as e:  # a path that fails is a row that says why, not a lost run
        print(f"{what}: {type(e).__name__}: {e}", file=sys.stderr)
        return f"failed ({type(e).__name__})"


def _compare(n: int, root: Path, env: dict[str, str], names: dict[str, str]) -> list[tuple[str, str, Any]]:
    from bench.remote_gatewayclient import measure as measure_gateway_client
    from tests.remote.servers import running_server

    rows: list[tuple[str, str, Any]] = []
    with running_server("kernel_gateway", root, argv=_gateway_argv(), env=env) as kg:
        relay_root = root / "relay"
        relay_root.mkdir()
        with running_server("jupyter_server", relay_root, argv=_relay_argv(kg.url, relay_root), env=env) as js:
            for label, spec in names.items():
                rows.append(("ours → KG", label, _try("ours", _measure, kg.url, "", spec, n)))
                gc = _try("GatewayKernelClient", measure_gateway_client, kg.url, spec, n)
                rows.append(("GatewayKernelClient → KG", label, gc))
                relay = _try("relay", _measure, js.url, js.token, spec, n)
                rows.append(("ours → JS --gateway-url → KG", label, relay))
    return rows


def _cell(m: Any, key: str, fmt: str) -> str:
    return format(m[key], fmt) if isinstance(m, dict) else str(m)


def _ratio(m: Any, base: Any) -> str:
    """How many times slower than our client straight to the gateway (round trip; pipelined throughput)."""
    if not (isinstance(m, dict) and isinstance(base, dict)):
        return "-"
    rt = m["roundtrip_ms"] / base["roundtrip_ms"]
    pipe = base["pipelined_per_s"] / m["pipelined_per_s"]
    return f"{rt:.2f}x / {pipe:.2f}x"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.remote_gateway")
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--server", choices=("kernel_gateway", "jupyter_server"), default=None)
    args = p.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.remote.servers import isolated_env, running_server

    root = Path(tempfile.mkdtemp(prefix="ikl-bench-remote-"))
    names = _kernelspecs(root / "specs")
    env = isolated_env(root, {"JUPYTER_PATH": str(root / "specs"), "PYTHONPATH": str(ROOT)})
    os.environ["PYTHONPATH"] = str(ROOT)
    if args.server is None:
        compared = _compare(args.n, root, env, names)
        load = os.getloadavg()
        print(f"\nthree paths to one Kernel Gateway, n={args.n} (loopback; load average {load[0]:.2f} {load[1]:.2f})\n")
        print(
            "| path | kernel | round trip median (ms) | p90 (ms) | pipelined executes/s "
            "| vs ours → KG (rt / pipelined) |"
        )
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        base = {label: m for path, label, m in compared if path == "ours → KG"}
        for path, label, m in compared:
            print(
                f"| {path} | {label} | {_cell(m, 'roundtrip_ms', '.2f')} | {_cell(m, 'p90_ms', '.2f')} "
                f"| {_cell(m, 'pipelined_per_s', '.0f')} | {_ratio(m, base.get(label))} |"
            )
        return 0
    rows = []
    with running_server(args.server, root, env=env) as server:
        for label, spec in names.items():
            rows.append((label, _measure(server.url, server.token, spec, args.n)))
    print(f"\nover {args.server}, our websocket client, n={args.n} (loopback)\n")
    print("| kernel | round trip median (ms) | p90 (ms) | pipelined executes/s |")
    print("| --- | ---: | ---: | ---: |")
    for label, m in rows:
        print(f"| {label} | {m['roundtrip_ms']:.2f} | {m['p90_ms']:.2f} | {m['pipelined_per_s']:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
