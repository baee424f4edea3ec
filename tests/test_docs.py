"""The examples in docs/architecture.md, protocol.md, editor-integration.md, client-core.md, comms.md,
reliability.md and ipython.md cannot rot.

- Every ```python block preceded by ``<!-- runnable -->`` runs, in document order, in one namespace per
  document; the examples start real kernels (``start_kernel``) and assert what the prose claims. A failure
  points at the document's own line numbers.
- A ```json block preceded by ``<!-- live: REQUEST_TYPE {request content} -->`` is the reply content a live
  kernel gives to that request (sent on shell, in document order, to one fresh kernel per document): it is
  compared by value, with only the Python version substituted.
- Every ```json block parses. One that is a whole message (it has a ``header``) must have a valid header and,
  for a message type the models know, valid content and extension metadata. A block preceded by
  ``<!-- content: MSG_TYPE -->`` or ``<!-- metadata: MSG_TYPE -->`` is validated as that part.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ipykernel_lite.protocol.errors import ContentError
from ipykernel_lite.protocol.models import (
    CONTENT_MODELS,
    METADATA_MODELS,
    validate_content,
    validate_header,
    validate_metadata,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"
FILES = (
    "architecture.md", "protocol.md", "editor-integration.md", "comms.md", "client-core.md", "reliability.md",
    "ipython.md", "interrupts.md", "output-capture.md", "console.md",
)
#: the documents whose point is to show real messages
MESSAGE_DOCS = ("protocol.md", "editor-integration.md")

_FENCE = re.compile(r"^```(\S*)\s*$")
_MARKER = re.compile(r"^<!--\s*(.*?)\s*-->$")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # line of the block's first code line, from 1
    lang: str
    marker: str  # text of the ``<!-- ... -->`` comment on the line before the fence, or ""
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


def blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").split("\n")
    found: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m is None or not m.group(1):
            i += 1
            continue
        prev = lines[i - 1].strip() if i > 0 else ""
        marker = _MARKER.match(prev)
        start = i + 1
        end = start
        while end < len(lines) and lines[end].rstrip() != "```":
            end += 1
        if end == len(lines):
            raise AssertionError(f"{path.name}:{i + 1}: unclosed code fence")
        text = "\n".join(lines[start:end]) + "\n"
        found.append(Block(path, start + 1, m.group(1), marker.group(1) if marker else "", text))
        i = end + 1
    return found


def _close_everything(ns: dict[str, Any]) -> None:
    """Shut down what an example left open (after a failure, or a deliberately shared kernel)."""
    from ipykernel_lite.client import AsyncClient, BlockingClient, KernelManager

    for value in list(ns.values()):
        if isinstance(value, BlockingClient | AsyncClient):
            value.close()
    for value in list(ns.values()):
        if isinstance(value, KernelManager) and value.is_alive():
            value.shutdown(timeout=2.0)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("name", FILES)
def test_runnable_examples(name: str) -> None:
    runnable = [b for b in blocks(DOCS / name) if b.lang == "python" and b.marker == "runnable"]
    assert runnable, f"{name} has no runnable examples"
    ns: dict[str, Any] = {"__name__": f"docs_{name.replace('-', '_').removesuffix('.md')}"}
    try:
        for block in runnable:
            # pad so that tracebacks name the document's own line numbers
            source = "\n" * (block.line - 1) + block.text
            exec(compile(source, str(block.path), "exec"), ns)
    finally:
        _close_everything(ns)


def _check_json(block: Block) -> None:
    try:
        value = json.loads(block.text)
    except ValueError as e:
        raise AssertionError(f"{block.where}: not valid JSON: {e}") from None
    try:
        _validate(block, value)
    except ContentError as e:
        raise AssertionError(f"{block.where}: {e}") from None


def _validate(block: Block, value: Any) -> None:
    kind, _, msg_type = block.marker.partition(":")
    kind, msg_type = kind.strip(), msg_type.strip()
    if kind == "live":
        request = msg_type.split(None, 1)[0]
        validate_content(request.removesuffix("_request") + "_reply", value)
    elif kind == "content":
        assert msg_type in CONTENT_MODELS, f"{block.where}: no model for {msg_type!r}"
        validate_content(msg_type, value)
    elif kind == "metadata":
        assert msg_type in METADATA_MODELS, f"{block.where}: no metadata model for {msg_type!r}"
        validate_metadata(msg_type, value)
    elif isinstance(value, dict) and "header" in value:
        header = validate_header(value["header"])
        assert set(value) >= {"header", "parent_header", "metadata", "content"}, block.where
        if value["parent_header"]:
            validate_header(value["parent_header"])
        if header.msg_type in CONTENT_MODELS:
            validate_content(header.msg_type, value["content"])
        validate_metadata(header.msg_type, value["metadata"])


@pytest.mark.parametrize("name", FILES)
def test_json_examples(name: str) -> None:
    examples = [b for b in blocks(DOCS / name) if b.lang == "json"]
    if name in MESSAGE_DOCS:
        assert examples, f"{name} has no JSON examples"
    for block in examples:
        _check_json(block)


def test_markers_are_known() -> None:
    """A misspelt marker would silently turn an example into prose that nothing checks."""
    for name in FILES:
        for block in blocks(DOCS / name):
            if not block.marker:
                continue
            kind = block.marker.partition(":")[0].strip()
            known = ("runnable", "content", "metadata", "live")
            assert kind in known, f"{block.where}: unknown marker {block.marker!r}"
            if kind == "runnable":
                assert block.lang == "python", f"{block.where}: only python blocks run"
            else:
                assert block.lang == "json", f"{block.where}: {kind} markers go on json blocks"


#: requests without side effects: asking again changes nothing in the kernel
_PURE = frozenset({"complete_request", "inspect_request", "is_complete_request", "kernel_info_request"})


def _live_blocks(name: str) -> list[tuple[Block, str, dict[str, Any]]]:
    found = []
    for block in blocks(DOCS / name):
        kind, _, rest = block.marker.partition(":")
        if kind.strip() == "live":
            msg_type, _, content = rest.strip().partition(" ")
            found.append((block, msg_type, json.loads(content or "{}")))
    return found


def _this_python(text: str) -> str:
    """The doc was captured on one Python: compare against the one running the test."""
    import platform
    import sys

    major_minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
    text = text.replace("3.11.7", platform.python_version())
    return text.replace("docs.python.org/3.11", f"docs.python.org/{major_minor}")


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", [n for n in FILES if _live_blocks(n)])
def test_live_examples_match_a_kernel_by_value(name: str) -> None:
    from ipykernel_lite.client import start_kernel

    km, kc = start_kernel()
    try:
        for block, msg_type, content in _live_blocks(name):
            expected = json.loads(_this_python(block.text))
            reply = kc.request("shell", msg_type, content, timeout=60)
            # completion answers from the namespace until jedi has warmed up in the background (its budget is
            # 0.25 s): the doc shows the warm answer, so a side-effect-free request is asked again until then
            deadline = time.monotonic() + 60
            while reply.content != expected and msg_type in _PURE and time.monotonic() < deadline:
                reply = kc.request("shell", msg_type, content, timeout=60)
            assert reply.content == expected, f"{block.where}: the kernel answers {reply.content!r}"
    finally:
        kc.close()
        km.shutdown()
