"""Property tests of the content models: any JSON either validates or raises ContentError naming the field."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ipykernel_lite.protocol import models as m
from ipykernel_lite.protocol.errors import ContentError

JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
JSON = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def _field_names(msg_type: str) -> list[str]:
    names = {"status", "x"}
    for model in m.content_shapes(msg_type):
        names.update(model.model_fields)
    return sorted(names)


@st.composite
def contents(draw: st.DrawFn) -> tuple[str, Any]:
    """A msg_type (sometimes unknown) and a JSON value, often a dict keyed by that type's field names."""
    msg_type = draw(st.sampled_from(sorted(m.CONTENT_MODELS)) | st.text(max_size=12))
    if msg_type in m.CONTENT_MODELS and draw(st.booleans()):
        keys = st.sampled_from(_field_names(msg_type))
        tags = st.sampled_from(["ok", "error", "aborted", "abort", "tail", "range", "search", "incomplete"])
        content = draw(st.dictionaries(keys, tags | JSON, max_size=8))
        return msg_type, content
    return msg_type, draw(JSON)


@settings(max_examples=400, deadline=None)
@given(contents())
def test_arbitrary_json_raises_only_content_error(case: tuple[str, Any]) -> None:
    msg_type, content = case
    try:
        model = m.validate_content(msg_type, content)
    except ContentError as exc:
        assert exc.problems and all(path.startswith(("content", "msg_type")) for path, _ in exc.problems)
    else:
        assert isinstance(model, m.content_shapes(msg_type))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(m.Header.model_fields)) | st.text(max_size=6), JSON) | JSON)
def test_arbitrary_headers_raise_only_content_error(header: Any) -> None:
    try:
        m.validate_header(header)
    except ContentError as exc:
        assert exc.msg_type == "header" and all(path.startswith("header") for path, _ in exc.problems)
