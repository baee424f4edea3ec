"""Content models of the Jupyter 5.4 messages and of our extensions, and the registry that validates them."""

from __future__ import annotations

import ast
import copy
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from ipykernel_lite.protocol import models as m
from ipykernel_lite.protocol.errors import ContentError

# fmt: off
ERROR = {"status": "error", "ename": "NameError", "evalue": "name 'x' is not defined", "traceback": ["tb"]}
CALLTIP = {"signature": "join(a, *p)", "name": "join", "params": ["a", "*p"], "active_param": 1, "doc": "J."}
LANGUAGE_INFO = {"name": "python", "version": "3.12.1", "mimetype": "text/x-python", "file_extension": ".py",
                 "pygments_lexer": "ipython3", "codemirror_mode": {"name": "ipython", "version": 3},
                 "nbconvert_exporter": "python"}

# Valid contents, written from the messaging spec; every registered msg_type must have some.
SAMPLES: dict[str, list[dict[str, Any]]] = {
    "kernel_info_request": [{}],
    "kernel_info_reply": [
        {"status": "ok", "protocol_version": "5.4", "implementation": "ipykernel_lite",
         "implementation_version": "0.1.0", "language_info": LANGUAGE_INFO, "banner": "Python 3.12",
         "debugger": False, "help_links": [{"text": "Python", "url": "https://docs.python.org"}]},
        ERROR,
    ],
    "execute_request": [
        {"code": "1 + 1"},
        {"code": "x = input()", "silent": False, "store_history": True,
         "user_expressions": {"cwd": "os.getcwd()"}, "allow_stdin": True, "stop_on_error": True},
    ],
    "execute_reply": [
        {"status": "ok", "execution_count": 3, "payload": [], "user_expressions": {}},
        {"status": "ok", "execution_count": 4,
         "payload": [{"source": "set_next_input", "text": "x", "replace": False}],
         "user_expressions": {"cwd": {"status": "ok", "data": {"text/plain": "'/tmp'"}, "metadata": {}}}},
        {**ERROR, "execution_count": 5},
        {"status": "aborted"},
    ],
    "inspect_request": [{"code": "os.path.join(a, ", "cursor_pos": 16, "detail_level": 0}],
    "inspect_reply": [
        {"status": "ok", "found": True, "data": {"text/plain": "join()"}, "metadata": {"calltip": CALLTIP}},
        {"status": "ok", "found": False, "data": {}, "metadata": {}},
        ERROR,
    ],
    "complete_request": [{"code": "import o", "cursor_pos": 8}],
    "complete_reply": [
        {"status": "ok", "matches": ["os", "operator"], "cursor_start": 7, "cursor_end": 8, "metadata": {}},
        ERROR,
    ],
    "is_complete_request": [{"code": "for i in x:"}],
    "is_complete_reply": [
        {"status": "incomplete", "indent": "    "}, {"status": "complete"}, {"status": "invalid"},
        {"status": "unknown"},
    ],
    "history_request": [
        {"output": False, "raw": True, "hist_access_type": "tail", "n": 10},
        {"output": True, "raw": False, "hist_access_type": "range", "session": -1, "start": 1, "stop": 5},
        {"output": False, "raw": True, "hist_access_type": "search", "pattern": "i*", "n": 3, "unique": True},
    ],
    "history_reply": [
        {"status": "ok", "history": [[1, 1, "import os"], [1, 2, "os.getcwd()"]]},
        {"status": "ok", "history": [[1, 2, ["os.getcwd()", "'/tmp'"]], [1, 3, ["x = 1", None]]]},
    ],
    "comm_info_request": [{}, {"target_name": "jupyter.widget"}],
    "comm_info_reply": [{"status": "ok", "comms": {"c1": {"target_name": "jupyter.widget"}}}],
    "gui_request": [{"gui": "qt"}, {"gui": "none"}, {"gui": None}],
    "gui_reply": [{"status": "ok", "gui": "qt"}, ERROR],
    "comm_open": [{"comm_id": "c1", "target_name": "t", "data": {"a": 1}, "target_module": "mod"}],
    "comm_msg": [{"comm_id": "c1", "data": {"method": "update"}}],
    "comm_close": [{"comm_id": "c1", "data": {}}],
    "shutdown_request": [{"restart": False}],
    "shutdown_reply": [{"status": "ok", "restart": True}],
    "interrupt_request": [{}],
    "interrupt_reply": [{"status": "ok"}],
    "pause_request": [{}],
    "pause_reply": [{"status": "ok", "paused": True}],
    "variables_request": [{}, {"path": ["data", 0, "x"], "limit": 50}],
    "variables_reply": [{"status": "ok", "variables": [{"name": "x", "type": "int", "value": "1", "size": None,
                                                          "expandable": False, "path": ["x"]}], "truncated": 0},
                        ERROR],
    "status": [{"execution_state": "busy"}, {"execution_state": "idle"}, {"execution_state": "starting"}],
    "stream": [{"name": "stdout", "text": "hello\n"}, {"name": "stderr", "text": ""}],
    "execute_input": [{"code": "1 + 1", "execution_count": 1}],
    "execute_result": [{"execution_count": 1, "data": {"text/plain": "2"}, "metadata": {}}],
    "display_data": [
        {"data": {"image/png": "iVBOR", "text/plain": "<Figure>"}, "metadata": {}, "transient": {}},
        {"data": {"application/json": {"a": [1]}}, "metadata": {}, "transient": {"display_id": "d1"}},
    ],
    "update_display_data": [{"data": {"text/plain": "3"}, "metadata": {}, "transient": {"display_id": "d1"}}],
    "clear_output": [{"wait": True}],
    "error": [{"ename": "ZeroDivisionError", "evalue": "division by zero", "traceback": ["a", "b"]}],
    "input_request": [{"prompt": "name? ", "password": False}],
    "input_reply": [{"value": "Ada"}],
}
# fmt: on
ALL_SAMPLES = [(msg_type, sample) for msg_type, samples in SAMPLES.items() for sample in samples]
SAMPLE_IDS = [f"{msg_type}-{i}" for msg_type, samples in SAMPLES.items() for i in range(len(samples))]


def problems_of(msg_type: str, content: Any) -> list[tuple[str, str]]:
    with pytest.raises(ContentError) as info:
        m.validate_content(msg_type, content)
    assert info.value.msg_type == msg_type
    return info.value.problems


def test_every_registered_type_has_samples() -> None:
    assert set(SAMPLES) == set(m.CONTENT_MODELS)
    assert set(m.CONTENT_VARIANTS) <= set(m.CONTENT_MODELS)


@pytest.mark.parametrize(("msg_type", "content"), ALL_SAMPLES, ids=SAMPLE_IDS)
def test_valid_samples_validate(msg_type: str, content: dict[str, Any]) -> None:
    original = copy.deepcopy(content)
    model = m.validate_content(msg_type, content)
    assert isinstance(model, m.content_shapes(msg_type))
    assert content == original, "validation must not touch the dict the hot path keeps"
    assert m.validate_content(msg_type, model.model_dump(mode="json")) == model
    jsonschema.validate(content, m.json_schema(msg_type))  # the published schema agrees with validation


def test_dumps_accepted_by_jupyter_kernel_test_schemas() -> None:
    # An independent reading of the spec, which wants every key present: checks both that the samples are
    # real 5.x contents and that our defaults fill in what a sender may leave out.
    msgspec = pytest.importorskip("jupyter_kernel_test.msgspec_v5")
    checked = 0
    for msg_type, content in ALL_SAMPLES:
        if msg_type not in msgspec.schema_fragments or content.get("status") in ("error", "aborted"):
            continue
        if msg_type == "input_request":
            continue  # that schema wants a number for password; the spec and ipykernel use a bool
        dumped = m.validate_content(msg_type, content).model_dump(mode="json", exclude_none=True)
        msgspec.get_msg_content_validator(msg_type, 4).validate(dumped)
        checked += 1
    assert checked > 30


def test_reply_status_selects_the_shape() -> None:
    assert type(m.validate_content("execute_reply", SAMPLES["execute_reply"][0])) is m.ExecuteReply
    err = m.validate_content("execute_reply", {**ERROR, "execution_count": 5})
    assert isinstance(err, m.ExecuteErrorReply) and err.execution_count == 5 and err.ename == "NameError"
    assert type(m.validate_content("execute_reply", {"status": "aborted"})) is m.ExecuteAbortedReply
    assert type(m.validate_content("complete_reply", ERROR)) is m.ErrorReply
    assert type(m.validate_content("shutdown_reply", {"status": "abort"})) is m.AbortedReply
    assert type(m.validate_content("is_complete_reply", ERROR)) is m.ErrorReply
    tail = m.validate_content("history_request", SAMPLES["history_request"][0])
    assert isinstance(tail, m.HistoryTailRequest) and isinstance(tail, m.HistoryRequest) and tail.n == 10


@pytest.mark.parametrize("msg_type", sorted(m.CONTENT_MODELS))
def test_unknown_keys_survive(msg_type: str) -> None:
    content = {**SAMPLES[msg_type][0], "x_future": {"nested": [1, None]}}
    dumped = m.validate_content(msg_type, content).model_dump()
    assert dumped["x_future"] == {"nested": [1, None]}


def test_unknown_keys_survive_in_nested_models() -> None:
    info = copy.deepcopy(SAMPLES["kernel_info_reply"][0])
    info["language_info"]["x_lang"] = 1
    info["help_links"][0]["x_link"] = 2
    dumped = m.validate_content("kernel_info_reply", info).model_dump()
    assert dumped["language_info"]["x_lang"] == 1 and dumped["help_links"][0]["x_link"] == 2
    reply = {"status": "ok", "found": True, "data": {}, "metadata": {"calltip": {**CALLTIP, "x": 3}, "y": 4}}
    dumped = m.validate_content("inspect_reply", reply).model_dump()
    assert dumped["metadata"] == {"calltip": {**CALLTIP, "x": 3}, "y": 4}


# (msg_type, content, path of the bad field, text the reason contains)
# fmt: off
BAD_CONTENTS = [
    ("execute_request", {}, "content.code", "Field required"),
    ("execute_request", {"code": 5}, "content.code", "valid string"),
    ("execute_request", {"code": "", "silent": "false"}, "content.silent", "valid boolean"),
    ("execute_request", {"code": "", "store_history": 1}, "content.store_history", "valid boolean"),
    ("execute_request", {"code": "", "user_expressions": {"x": 1}}, "content.user_expressions.x", "string"),
    ("execute_request", {"code": "", "user_expressions": []}, "content.user_expressions", "dictionary"),
    ("complete_request", {"code": "", "cursor_pos": "3"}, "content.cursor_pos", "valid integer"),
    ("complete_request", {"code": "", "cursor_pos": True}, "content.cursor_pos", "valid integer"),
    ("inspect_request", {"code": "", "cursor_pos": 0, "detail_level": 2}, "content.detail_level", "1"),
    ("execute_reply", {"status": "ok"}, "content.execution_count", "Field required"),
    ("execute_reply", {"status": "ok", "execution_count": 1, "payload": [{}]}, "content.payload.0.source",
     "required"),
    ("execute_reply", {"status": "error", "ename": "E"}, "content.evalue", "Field required"),
    ("execute_reply", {"status": "done"}, "content.status", "'ok', 'error', 'aborted'"),
    ("execute_reply", {"execution_count": 1}, "content.status", "Field required"),
    ("complete_reply", {"status": ["ok"]}, "content.status", "expected tags"),
    ("is_complete_reply", {"status": "maybe"}, "content.status", "'incomplete'"),
    ("is_complete_reply", {"status": "incomplete", "indent": 4}, "content.indent", "valid string"),
    ("history_request", {"output": False, "raw": True, "hist_access_type": "tail"}, "content.n", "required"),
    ("history_request", {"output": 0, "raw": True, "hist_access_type": "range"}, "content.output", "boolean"),
    ("history_request", {"output": False, "raw": True, "hist_access_type": "all"}, "content.hist_access_type",
     "'range'"),
    ("history_reply", {"status": "ok", "history": [[1, "2", "x"]]}, "content.history.0.1", "integer"),
    ("history_reply", {"status": "ok", "history": [[1, 2, 3]]}, "content.history.0", "item 2"),
    ("kernel_info_reply", {**SAMPLES["kernel_info_reply"][0], "language_info": {}},
     "content.language_info.name", "Field required"),
    ("inspect_reply", {"status": "ok", "found": True, "metadata": {"calltip": {"name": "f"}}},
     "content.metadata.calltip.signature", "Field required"),
    ("comm_info_reply", {"status": "ok", "comms": {"c1": {}}}, "content.comms.c1.target_name", "required"),
    ("gui_request", {}, "content.gui", "Field required"),
    ("gui_request", {"gui": 1}, "content.gui", "valid string"),
    ("status", {"execution_state": "sleeping"}, "content.execution_state", "'busy'"),
    ("stream", {"name": "stdin", "text": ""}, "content.name", "'stdout'"),
    ("update_display_data", {"data": {}, "transient": {}}, "content.transient.display_id", "Field required"),
    ("display_data", {"data": "text"}, "content.data", "dictionary"),
    ("error", {"ename": "E", "evalue": "v", "traceback": "tb"}, "content.traceback", "valid list"),
    ("input_request", {"prompt": "", "password": "no"}, "content.password", "valid boolean"),
    ("input_reply", {"value": None}, "content.value", "valid string"),
    ("comm_open", {"comm_id": "c", "data": {}}, "content.target_name", "Field required"),
    ("shutdown_request", [], "content", "dictionary"),
    ("clear_output", None, "content", "dictionary"),
]
# fmt: on


@pytest.mark.parametrize(("msg_type", "content", "path", "reason"), BAD_CONTENTS)
def test_wrong_contents_are_rejected_naming_the_field(
    msg_type: str, content: Any, path: str, reason: str
) -> None:
    problems = problems_of(msg_type, content)
    assert any(p == path and reason in r for p, r in problems), problems


def test_error_message_lists_every_problem() -> None:
    with pytest.raises(ContentError) as info:
        m.validate_content("execute_request", {"code": 1, "silent": "x"})
    assert str(info.value) == (
        "execute_request: content.code: Input should be a valid string; "
        "content.silent: Input should be a valid boolean"
    )


def test_defaults_follow_the_spec() -> None:
    def dump(msg_type: str, content: dict[str, Any]) -> dict[str, Any]:
        return m.validate_content(msg_type, content).model_dump()

    assert dump("execute_request", {"code": "x"}) == dict(
        code="x", silent=False, store_history=True, user_expressions={}, allow_stdin=True, stop_on_error=True
    )
    assert dump("inspect_request", {"code": "", "cursor_pos": 0})["detail_level"] == 0
    assert dump("input_request", {"prompt": ""})["password"] is False
    assert dump("clear_output", {}) == {"wait": False}
    assert dump("shutdown_request", {}) == {"restart": False}
    assert dump("is_complete_reply", {"status": "incomplete"})["indent"] == ""
    search = {"output": False, "raw": True, "hist_access_type": "search", "pattern": "a*"}
    assert dump("history_request", search) == {**search, "n": None, "unique": False}
    rng = dump("history_request", {"output": False, "raw": True, "hist_access_type": "range"})
    assert (rng["session"], rng["start"], rng["stop"]) == (0, 0, None)
    one, two = m.ExecuteRequest(code="a"), m.ExecuteRequest(code="b")
    one.user_expressions["k"] = "v"
    assert two.user_expressions == {}, "mutable defaults must not be shared"


def test_unknown_msg_type_is_rejected() -> None:
    assert problems_of("frobnicate_request", {}) == [("msg_type", "unknown message type")]
    with pytest.raises(ContentError):
        m.json_schema("frobnicate_request")
    with pytest.raises(ContentError):
        m.build_validators(["frobnicate_request"])


def test_request_types() -> None:
    accepted = (
        "execute_request kernel_info_request history_request shutdown_request interrupt_request comm_open "
        "comm_msg comm_close comm_info_request pause_request gui_request is_complete_request inspect_request "
        "complete_request"
    )
    assert set(accepted.split()) <= m.REQUEST_TYPES
    assert not m.REQUEST_TYPES & {"input_request", "input_reply", "execute_reply", "status", "stream"}
    assert m.REQUEST_TYPES <= set(m.CONTENT_MODELS)


def test_header() -> None:
    raw: dict[str, Any] = dict(msg_id="a", msg_type="execute_request", session="s", username="u")
    raw.update(version="5.4", date="2024-05-01T12:00:00.000000Z", subshell_id=None)
    header = m.validate_header(raw)
    assert header.msg_type == "execute_request" and header.date == raw["date"]
    assert header.model_dump()["subshell_id"] is None
    assert m.validate_header({**raw, "date": None}).date is None
    with pytest.raises(ContentError) as info:
        m.validate_header({"msg_id": 1, "msg_type": "x", "session": "s", "username": "u"})
    assert info.value.msg_type == "header"
    assert info.value.problems == [
        ("header.msg_id", "Input should be a valid string"),
        ("header.version", "Field required"),
    ]
    with pytest.raises(ContentError):
        m.validate_header("not a dict")


def test_execute_metadata_extension() -> None:
    origin = {"path": "/src/a.py", "line": 12, "cell": "Load data", "argv": ["-v"], "x": 1}
    meta = {"origin": origin, "post_mortem": True, "cellId": "abc"}
    parsed = m.validate_metadata("execute_request", meta)
    assert isinstance(parsed, m.ExecuteMetadata) and isinstance(parsed.origin, m.Origin)
    assert (parsed.origin.line, parsed.origin.cwd, parsed.origin.as_main) == (12, False, False)
    assert parsed.model_dump()["cellId"] == "abc" and parsed.model_dump()["origin"]["x"] == 1
    plain = m.validate_metadata("execute_request", {})
    assert isinstance(plain, m.ExecuteMetadata) and plain.origin is None and plain.post_mortem is False
    with pytest.raises(ContentError) as info:
        m.validate_metadata("execute_request", {"origin": {"path": "a.py", "line": 0}, "post_mortem": "yes"})
    assert [p for p, _ in info.value.problems] == ["metadata.origin.line", "metadata.post_mortem"]
    assert m.validate_metadata("complete_request", {"anything": 1}) is None


def test_input_request_debug_metadata() -> None:
    frame = {"file": "/src/a.py", "line": 3, "function": "main"}
    parsed = m.validate_metadata("input_request", {"debug": {"frame": frame, "stack": [frame, frame]}})
    assert isinstance(parsed, m.InputRequestMetadata) and parsed.debug is not None
    assert parsed.debug.frame.function == "main" and len(parsed.debug.stack) == 2
    with pytest.raises(ContentError) as info:
        m.validate_metadata("input_request", {"debug": {"frame": {"file": "a", "line": "3", "function": ""}}})
    assert info.value.problems[0][0] == "metadata.debug.frame.line"


# fmt: off
EXTENSION_MODELS = [m.Origin, m.ExecuteMetadata, m.Calltip, m.InspectReplyMetadata, m.PauseRequest,
                    m.PauseReply, m.GuiRequest, m.GuiReply, m.DebugFrame, m.DebugState,
                    m.InputRequestMetadata]
# fmt: on


@pytest.mark.parametrize("model", EXTENSION_MODELS, ids=lambda model: model.__name__)
def test_extension_fields_are_documented(model: type[BaseModel]) -> None:
    assert model.__doc__
    for name, field in model.model_fields.items():
        assert field.description, f"{model.__name__}.{name} has no description"
    schema = model.model_json_schema()
    assert all("description" in prop for prop in schema.get("properties", {}).values())


def test_every_registry_entry_has_a_json_schema() -> None:
    schemas = m.all_json_schemas()
    assert set(schemas) == set(m.CONTENT_MODELS)
    for msg_type, schema in schemas.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema.get("type") == "object" or "oneOf" in schema, msg_type
    reply = schemas["execute_reply"]
    assert reply["discriminator"]["propertyName"] == "status" and len(reply["oneOf"]) == 3
    assert schemas["execute_request"]["properties"]["silent"]["default"] is False
    for msg_type in m.METADATA_MODELS:
        jsonschema.Draft202012Validator.check_schema(m.metadata_json_schema(msg_type))
    assert "origin" in m.metadata_json_schema("execute_request")["properties"]
    assert m.header_json_schema()["required"] == ["msg_id", "msg_type", "session", "username", "version"]


def test_json_schema_rejects_what_validation_rejects() -> None:
    schema = m.json_schema("execute_request")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"code": 1}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"status": "ok"}, m.json_schema("complete_reply"))


def test_models_depend_only_on_pydantic_stdlib_and_errors() -> None:
    package = Path(m.__file__).parent
    allowed_roots = {"pydantic", "pydantic_core", "__future__"} | set(sys.stdlib_module_names)
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
                assert roots <= allowed_roots, (path.name, roots)
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0:
                    assert node.module and node.module.split(".")[0] in allowed_roots, path.name
                elif node.level == 2:
                    # origin: the dataclass the Origin model is generated from (pure, stdlib only)
                    assert node.module in ("errors", "origin"), (path.name, node.module)
                else:
                    assert node.level == 1, (path.name, node.module)
