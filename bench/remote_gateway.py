"""Round trip and pipelined executes over Jupyter Kernel Gateway (REST + websocket), for our kernel and for
ipykernel, with our websocket client. Starts a gateway on a random loopback port; prints a markdown table.

    python -m bench.remote_gateway [--n 200] [--server kernel_gateway|jupyter_server]

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

    km, kc = connect_server(url, token).start_kernel(spec)
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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.remote_gateway")
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--server", choices=("kernel_gateway", "jupyter_server"), default="kernel_gateway")
    args = p.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.remote.servers import isolated_env, running_server

    root = Path(tempfile.mkdtemp(prefix="ikl-bench-remote-"))
    names = _kernelspecs(root / "specs")
    env = isolated_env(root, {"JUPYTER_PATH": str(root / "specs"), "PYTHONPATH": str(ROOT)})
    os.environ["PYTHONPATH"] = str(ROOT)
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
