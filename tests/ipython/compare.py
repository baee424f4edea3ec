"""Run the same cells on ipykernel and on ipykernel_lite (both through jupyter_client) and compare outputs.

Outputs are normalised the way a reader compares notebooks: consecutive stream chunks joined, errors by
ename/evalue (the traceback's formatting is each kernel's own), images by mime type only, memory addresses
and timings masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jupyter_client.manager import KernelManager, start_new_kernel

IPYKERNEL = "python3"
LITE = "ipykernel_lite_test"
_ADDR = re.compile(r"0x[0-9a-fA-F]+")
_ANSI = re.compile(r"\x1b\[[0-9;]*[a-zA-Z]")
_BINARY = ("image/png", "image/jpeg", "application/pdf")


@contextmanager
def kernel(name: str, cwd: str | None = None) -> Iterator[tuple[KernelManager, Any]]:
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=60, **({"cwd": cwd} if cwd else {}))
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        km.cleanup_resources()


_AT = re.compile(r" at [0-9a-f]{6,}\b")
_TIME = re.compile(r"\b\d+(\.\d+)?(e[+-]\d+)? ?(ns|μs|us|ms|s)\b")


_COMPILER = re.compile(r"^Compiler( time)? ?:.*\n", re.MULTILINE)


def normalise(text: str) -> str:
    """Without colours, memory addresses and durations (nor the compile-time line a loaded machine adds)."""
    text = _COMPILER.sub("", _ANSI.sub("", text))
    return _TIME.sub("<time>", _AT.sub(" at …", _ADDR.sub("0x…", text)))


def run(kc: Any, code: str, timeout: float = 60, answers: list[str] | None = None) -> dict[str, Any]:
    """Execute ``code``; → {"status", "outputs": [...normalised...], "payload": [...]}.

    With ``answers``, stdin is allowed and each input_request gets the next answer (``q`` once they are used
    up, which ends a debugger instead of leaving the test waiting); the prompts asked are under "prompts".
    """
    outputs: list[Any] = []
    prompts: list[str] = []
    left = list(answers or [])

    def stdin_hook(msg: dict[str, Any]) -> None:
        prompts.append(msg["content"]["prompt"])
        kc.input(left.pop(0) if left else "q")

    def hook(msg: dict[str, Any]) -> None:
        t, c = msg["msg_type"], msg["content"]
        if t == "stream":
            if outputs and outputs[-1][0] == "stream" and outputs[-1][1] == c["name"]:
                outputs[-1] = ("stream", c["name"], outputs[-1][2] + normalise(c["text"]))
            else:
                outputs.append(("stream", c["name"], normalise(c["text"])))
        elif t in ("execute_result", "display_data", "update_display_data"):
            data = {k: ("<binary>" if k in _BINARY else normalise(v) if isinstance(v, str) else v)
                    for k, v in c["data"].items()}
            outputs.append((t, data))
        elif t == "error":
            outputs.append(("error", c["ename"], normalise(c["evalue"])))
        elif t == "clear_output":
            outputs.append(("clear_output", c.get("wait", False)))

    reply = kc.execute_interactive(
        code,
        output_hook=hook,
        timeout=timeout,
        allow_stdin=answers is not None,
        stdin_hook=stdin_hook if answers is not None else None,
    )
    content = reply["content"]
    payload = [{k: v for k, v in p.items()} for p in content.get("payload", [])]
    result = {"status": content["status"], "outputs": outputs, "payload": payload}
    if answers is not None:
        result["prompts"] = prompts
    return result


def run_both(cells: list[str], cwd: str | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with kernel(IPYKERNEL, cwd) as (_, ref), kernel(LITE, cwd) as (_, lite):
        return [run(ref, c) for c in cells], [run(lite, c) for c in cells]
