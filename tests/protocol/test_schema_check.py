"""The kernel checks requests with protocol/schema_check.py and the generated request_schemas.json; the models
(pydantic) stay the source of truth. These tests hold the two together: the file is what the models generate,
and on generated contents, valid and broken, both give the same verdict naming the same fields, with the same
wording. A real kernel answers a bad request with that reason and never imports pydantic to do so."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipykernel_lite.protocol.errors import ContentError
from ipykernel_lite.protocol.models.registry import validate_content
from ipykernel_lite.protocol.models.request_schemas import RECEIVED, render
from ipykernel_lite.protocol.schema_check import SCHEMAS_FILE, problems, request_schemas

pytestmark = pytest.mark.timeout(120)

JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(-5, 5, allow_nan=False), st.text(max_size=3),
    st.sampled_from(["range", "tail", "search", "qt", "tk", ""]),
)
JSON = st.recursive(JSON_LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["a", "code", "x", "target_name"]), inner, max_size=3), max_leaves=6)


def _pydantic(msg_type: str, content: Any) -> list[tuple[str, str]]:
    try:
        validate_content(msg_type, content)
    except ContentError as e:
        return e.problems
    return []


def _fields(msg_type: str) -> list[str]:
    schema = request_schemas()[msg_type]
    names = set(schema.get("properties", {}))
    for sub in schema.get("$defs", {}).values():
        names |= set(sub.get("properties", {}))
    return sorted(names) or ["x"]


@st.composite
def contents(draw: st.DrawFn, msg_type: str) -> Any:
    """Mostly objects built from the type's own field names with arbitrary JSON values (so that required,
    literal, bound and type rules all fire, and all pass), sometimes no object at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(JSON)
    fields = _fields(msg_type)
    chosen = draw(st.lists(st.sampled_from(fields), unique=True, max_size=len(fields)))
    return {name: draw(JSON) for name in chosen}


def test_the_file_is_what_the_models_generate() -> None:
    assert SCHEMAS_FILE.read_text(encoding="utf-8") == render(), (
        "request_schemas.json is stale: run python -m ipykernel_lite.protocol.models.request_schemas"
    )


@pytest.mark.parametrize("msg_type", RECEIVED)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_same_verdict_fields_and_wording_as_the_models(msg_type: str, data: st.DataObject) -> None:
    content = data.draw(contents(msg_type))
    assert problems(request_schemas()[msg_type], content) == _pydantic(msg_type, content)


@pytest.mark.parametrize(("msg_type", "content"), [
    ("execute_request", {"code": "1", "silent": False, "store_history": True, "user_expressions": {"a": "1"},
                         "allow_stdin": True, "stop_on_error": True, "newer_field": [1]}),
    ("complete_request", {"code": "os.pa", "cursor_pos": 5}),
    ("inspect_request", {"code": "len", "cursor_pos": 3, "detail_level": 1}),
    ("history_request", {"hist_access_type": "tail", "n": 10, "output": False, "raw": True}),
    ("history_request", {"hist_access_type": "search", "pattern": "a*", "output": False, "raw": True}),
    ("history_request", {"hist_access_type": "range", "output": True, "raw": False, "session": 0, "start": 1,
                         "stop": None}),
])
def test_typical_requests_pass(msg_type: str, content: Any) -> None:
    assert problems(request_schemas()[msg_type], content) == [] == _pydantic(msg_type, content)


@pytest.mark.parametrize(("msg_type", "content"), [
    ("execute_request", {}),
    ("execute_request", {"code": 5}),
    ("execute_request", {"code": "1", "silent": "false"}),
    ("execute_request", {"code": "1", "user_expressions": {"a": 1}}),
    ("execute_request", ["code"]),
    ("complete_request", {"code": "x", "cursor_pos": True}),
    ("inspect_request", {"code": "x", "cursor_pos": 1, "detail_level": 7}),
    ("history_request", {"output": False, "raw": True}),
    ("history_request", {"hist_access_type": "all", "output": False, "raw": True}),
    ("history_request", {"hist_access_type": "range", "output": False, "raw": True, "stop": "end"}),
])
def test_broken_requests_fail_alike(msg_type: str, content: Any) -> None:
    found = problems(request_schemas()[msg_type], content)
    assert found, "the checker let it through"
    assert found == _pydantic(msg_type, content)


def test_an_unsupported_schema_keyword_is_an_error_not_a_pass() -> None:
    with pytest.raises(ValueError, match="pattern"):
        problems({"type": "string", "pattern": "^a"}, "b")


def test_a_kernel_answers_a_bad_request_with_the_reason_and_never_imports_pydantic() -> None:
    # a child process: this test process imported pydantic above
    code = """
from ipykernel_lite.client import start_kernel
km, kc = start_kernel()
try:
    reply = kc.request("shell", "complete_request", {"code": "x", "cursor_pos": "1"})
    print(reply.content["status"], reply.content.get("evalue"))
    print(kc.execute("import sys; 'pydantic' in sys.modules").result["text/plain"])
finally:
    km.shutdown()
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=100)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()[:2]
    assert first.startswith("error") and "content.cursor_pos: Input should be a valid integer" in first
    assert second == "False"
