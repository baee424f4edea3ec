"""The bridge's pure parts: framing, offsets, what run_cell sends, and the generated files being up to date."""

from __future__ import annotations

import json

import pytest

from ipykernel_lite.bridge import generated, schema
from ipykernel_lite.bridge.framing import FrameDecoder, FramingError, encode
from ipykernel_lite.bridge.handlers import Bridge
from ipykernel_lite.bridge.positions import from_codepoints, to_codepoints
from ipykernel_lite.bridge.schema import RunCellParams
from ipykernel_lite.client.runs import plan_runs

from .cells_fixture import EXPECTED, expected_text

# -- framing -------------------------------------------------------------------------------------------------------


def test_encode_counts_bytes_not_characters() -> None:
    frame = encode({"text": "h\u00e9llo \U0001f600"})
    header, body = frame.split(b"\r\n\r\n", 1)
    assert header == b"Content-Length: %d" % len(body)
    assert json.loads(body) == {"text": "h\u00e9llo \U0001f600"}
    assert len(body) > len(body.decode("utf-8"))


def test_decoder_reassembles_bytes_fed_one_at_a_time() -> None:
    stream = encode({"a": 1}) + encode({"b": "\u00e9" * 10}) + encode([1, 2])
    d = FrameDecoder()
    bodies: list[bytes] = []
    for i in range(len(stream)):
        bodies += d.feed(stream[i : i + 1])
    assert [json.loads(b) for b in bodies] == [{"a": 1}, {"b": "\u00e9" * 10}, [1, 2]]


def test_decoder_takes_several_messages_in_one_chunk_and_other_headers() -> None:
    body = b'{"x":1}'
    stream = (
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 7\r\n\r\n" + body + encode(2)
    )
    assert FrameDecoder().feed(stream) == [body, b"2"]


@pytest.mark.parametrize(
    "data",
    [b"Content-Type: x\r\n\r\n{}", b"Content-Length: ten\r\n\r\n", b"garbage without colon\r\n\r\n", b"x" * 70000],
)
def test_decoder_rejects_what_is_not_framed(data: bytes) -> None:
    with pytest.raises(FramingError):
        FrameDecoder().feed(data)


# -- offsets -------------------------------------------------------------------------------------------------------


def test_utf16_offsets_convert_around_astral_characters() -> None:
    text = "a\U0001f600b\u00e9c"  # the emoji is two UTF-16 units, one code point
    assert [to_codepoints(text, u, "utf-16") for u in range(7)] == [0, 1, 1, 2, 3, 4, 5]
    assert [from_codepoints(text, c, "utf-16") for c in range(6)] == [0, 1, 3, 4, 5, 6]
    assert to_codepoints(text, 3, "utf-32") == 3
    assert to_codepoints("abc", 99, "utf-16") == 3


# -- run_cell planning -----------------------------------------------------------------------------------------------

BUFFER = (
    "import os\n\n## One\nx = 1\n\n## Two\nif x:\n    y = x + 1\n    print(y)\n# %% [markdown]\n# text\n## Empty\n\n"
)


def _plan(**kw: object) -> list[tuple[str, dict[str, object], str | None]]:
    p = RunCellParams.model_validate({"path": "/p/a.py", "text": BUFFER, **kw})
    runs = plan_runs(
        p.text, p.line, path=p.path, scope=p.scope, end_line=p.end_line, cwd=p.cwd, as_main=p.as_main, argv=p.argv
    )
    # the origin as sent, without the keys that only repeat a default
    return [
        (r.code, {k: v for k, v in r.origin.as_metadata().items() if v is not None}, r.cell.title if r.cell else None)
        for r in runs
    ]


def test_plan_cell_sends_the_cell_with_its_first_code_line() -> None:
    assert _plan(line=8) == [
        ("if x:\n    y = x + 1\n    print(y)", {"path": "/p/a.py", "line": 7, "cell": "## Two"}, "## Two")
    ]
    assert _plan(line=1) == [("import os\n", {"path": "/p/a.py", "line": 1}, "")]


def test_plan_skips_markdown_and_blank_cells() -> None:
    assert _plan(line=11) == []
    assert _plan(line=13) == []
    assert [title for _, _, title in _plan(line=4, scope="below")] == ["## One", "## Two"]


def test_plan_selection_and_line_are_dedented_and_keep_their_line() -> None:
    selection = _plan(line=8, end_line=9, scope="selection")
    assert selection == [("y = x + 1\nprint(y)", {"path": "/p/a.py", "line": 8}, None)]
    assert _plan(line=9, scope="line") == [("print(y)", {"path": "/p/a.py", "line": 9}, None)]
    assert _plan(line=2, scope="line") == []
    with pytest.raises(ValueError):
        _plan(line=9, end_line=8, scope="selection")


def test_plan_file_runs_as_a_script_unless_told_otherwise() -> None:
    [(code, origin, _)] = _plan(line=5, scope="file", argv=["-v"])
    assert code == BUFFER
    assert origin == {"path": "/p/a.py", "line": 1, "cwd": True, "as_main": True, "argv": ["-v"]}
    [(_, origin, _)] = _plan(line=5, scope="file", as_main=False, cwd=False)
    assert origin == {"path": "/p/a.py", "line": 1}


# -- the API and the generated files ---------------------------------------------------------------------------------


def test_every_method_has_a_handler() -> None:
    for name in schema.METHODS:
        assert callable(getattr(Bridge, name, None)), name


def test_bridge_schema_json_is_up_to_date() -> None:
    """docs/bridge-schema.json is generated: ``python -m ipykernel_lite.bridge.generated --write``."""
    assert generated.SCHEMA_FILE.read_text(encoding="utf-8") == generated.schema_text()


def test_typescript_mirror_is_up_to_date() -> None:
    """adapters/vscode/src/schemaTypes.ts is generated: ``python -m ipykernel_lite.bridge.generated --write``."""
    from ipykernel_lite.client import KernelState

    assert generated.TS_FILE.read_text(encoding="utf-8") == generated.ts_text()
    assert " | ".join(f'"{s.value}"' for s in KernelState) in generated.ts_text()


def test_schema_describes_every_method_and_notification() -> None:
    doc = json.loads(generated.schema_text())
    assert set(doc["methods"]) == {
        "start", "execute", "run_cell", "complete", "inspect", "variables", "debug", "input_reply", "interrupt",
        "pause", "restart", "shutdown", "server_kernels",
    }  # fmt: skip
    assert set(doc["notifications"]) == {
        "output", "status", "input_request", "debug_frame", "debug_event", "kernel_died",
    }  # fmt: skip
    for entry in [*doc["methods"].values(), *doc["notifications"].values()]:
        for ref in entry.values():
            assert ref["$ref"].removeprefix("#/$defs/") in doc["$defs"]


def test_cells_fixture_expectations_are_up_to_date() -> None:
    """adapters/vscode/test/fixtures/cells-expected.json is what cells.py says about the shared buffer; the
    TypeScript parser is tested against it. Regenerate: ``python -m tests.bridge.cells_fixture --write``."""
    assert EXPECTED.read_text(encoding="utf-8") == expected_text()
