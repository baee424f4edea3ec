"""``ipykernel-lite bridge``: JSON-RPC 2.0 over stdio (LSP's Content-Length framing) for editors that cannot
speak ZeroMQ, such as VS Code. The bridge owns kernels (started with the ``start`` method, any number, each under
an id) and turns their messages into the requests, responses and notifications described in ``schema`` and in
docs/adapters-vscode.md.

Heavy modules (pydantic, zmq, the client) are imported once ``main`` runs, not when this package is imported.
"""

from __future__ import annotations

import argparse
import logging
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ipykernel-lite bridge",
        description="JSON-RPC 2.0 over stdin/stdout (Content-Length framing) between an editor and kernels.",
    )
    p.add_argument(
        "--log-level",
        default="WARNING",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="what the bridge logs on stderr (default: WARNING)",
    )
    p.add_argument("--log-file", default=None, help="log here instead of stderr")
    p.add_argument("--schema", action="store_true", help="print the JSON schema of the methods and exit")
    return p


def main(argv: list[str] | None = None) -> int:
    raw = sys.argv[1:] if argv is None else list(argv)
    if raw[:1] == ["--"]:
        # "ipykernel-lite bridge -- --log-level DEBUG": the separator some CLIs need before options
        raw = raw[1:]
    args = _parser().parse_args(raw)
    if args.schema:
        from .generated import schema_text

        sys.stdout.write(schema_text())
        return 0
    handler = logging.FileHandler(args.log_file) if args.log_file else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s bridge %(levelname)s %(message)s"))
    logging.basicConfig(level=args.log_level, handlers=[handler])
    import asyncio

    from .stdio import serve, take_stdio

    stdin, stdout = take_stdio()
    try:
        return asyncio.run(serve(stdin, stdout))
    except KeyboardInterrupt:
        return 130
