"""Which model describes which message, and fast validation of raw message dicts against them.

Validators are built on first use and then reused, so a validation costs one dict lookup plus the compiled
pydantic-core validator. Every failure is reported as a ``ContentError`` naming each bad field.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Union, cast

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from ..errors import ContentError
from .base import AbortedReply, ErrorReply
from .comm import CommClose, CommMsg, CommOpen
from .control import InterruptReply, InterruptRequest, ShutdownReply, ShutdownRequest
from .extensions import (
    ExecuteMetadata,
    GuiReply,
    GuiRequest,
    InputRequestMetadata,
    PauseReply,
    PauseRequest,
    VariablesReply,
    VariablesRequest,
)
from .header import Header
from .introspection import (
    CompleteReply,
    CompleteRequest,
    InspectReply,
    InspectRequest,
    IsCompleteReply,
    IsCompleteRequest,
)
from .iopub import (
    ClearOutput,
    DisplayData,
    ErrorOutput,
    ExecuteInput,
    ExecuteResult,
    KernelStatus,
    StreamOutput,
    UpdateDisplayData,
)
from .shell import (
    CommInfoReply,
    CommInfoRequest,
    ExecuteAbortedReply,
    ExecuteErrorReply,
    ExecuteReply,
    ExecuteRequest,
    HistoryRangeRequest,
    HistoryReply,
    HistoryRequest,
    HistorySearchRequest,
    HistoryTailRequest,
    KernelInfoReply,
    KernelInfoRequest,
)
from .stdin import InputReply, InputRequest

Model = type[BaseModel]

#: msg_type -> the model of its content. For a reply this is the status 'ok' shape; see CONTENT_VARIANTS.
CONTENT_MODELS: dict[str, Model] = {
    # shell
    "kernel_info_request": KernelInfoRequest,
    "kernel_info_reply": KernelInfoReply,
    "execute_request": ExecuteRequest,
    "execute_reply": ExecuteReply,
    "inspect_request": InspectRequest,
    "inspect_reply": InspectReply,
    "complete_request": CompleteRequest,
    "complete_reply": CompleteReply,
    "is_complete_request": IsCompleteRequest,
    "is_complete_reply": IsCompleteReply,
    "history_request": HistoryRequest,
    "history_reply": HistoryReply,
    "comm_info_request": CommInfoRequest,
    "comm_info_reply": CommInfoReply,
    "gui_request": GuiRequest,
    "gui_reply": GuiReply,
    # shell and iopub
    "comm_open": CommOpen,
    "comm_msg": CommMsg,
    "comm_close": CommClose,
    # control
    "shutdown_request": ShutdownRequest,
    "shutdown_reply": ShutdownReply,
    "interrupt_request": InterruptRequest,
    "interrupt_reply": InterruptReply,
    "pause_request": PauseRequest,
    "pause_reply": PauseReply,
    "variables_request": VariablesRequest,
    "variables_reply": VariablesReply,
    # iopub
    "status": KernelStatus,
    "stream": StreamOutput,
    "execute_input": ExecuteInput,
    "execute_result": ExecuteResult,
    "display_data": DisplayData,
    "update_display_data": UpdateDisplayData,
    "clear_output": ClearOutput,
    "error": ErrorOutput,
    # stdin
    "input_request": InputRequest,
    "input_reply": InputReply,
}


def _reply_shapes(
    ok: Model, error: Model = ErrorReply, aborted: Model = AbortedReply
) -> tuple[str, dict[str, Model]]:
    return "status", {"ok": ok, "error": error, "aborted": aborted, "abort": aborted}


#: msg_type -> (key, value of key -> model) for contents whose shape depends on one field.
CONTENT_VARIANTS: dict[str, tuple[str, dict[str, Model]]] = {
    name: _reply_shapes(model)
    for name, model in CONTENT_MODELS.items()
    if name.endswith("_reply") and name not in ("execute_reply", "is_complete_reply", "input_reply")
}
CONTENT_VARIANTS["execute_reply"] = _reply_shapes(ExecuteReply, ExecuteErrorReply, ExecuteAbortedReply)
CONTENT_VARIANTS["is_complete_reply"] = (
    "status",
    {
        **{verdict: IsCompleteReply for verdict in ("complete", "incomplete", "invalid", "unknown")},
        "error": ErrorReply,
        "aborted": AbortedReply,
        "abort": AbortedReply,
    },
)
CONTENT_VARIANTS["history_request"] = (
    "hist_access_type",
    {"range": HistoryRangeRequest, "tail": HistoryTailRequest, "search": HistorySearchRequest},
)

#: Message types a kernel accepts on its shell and control channels.
REQUEST_TYPES: frozenset[str] = frozenset(
    {name for name in CONTENT_MODELS if name.endswith("_request") and name != "input_request"}
    | {"comm_open", "comm_msg", "comm_close"}
)

#: msg_type -> model of the message's own ``metadata`` part, for the messages our extensions use it in.
METADATA_MODELS: dict[str, Model] = {
    "execute_request": ExecuteMetadata,
    "input_request": InputRequestMetadata,
}

_Validate = Callable[[Any], BaseModel]
_validators: dict[str, _Validate] = {}
_metadata_validators: dict[str, _Validate] = {}
_union_adapters: dict[str, TypeAdapter[Any]] = {}
_header_validator: _Validate | None = None
# Shell and control are served from different threads; building is the only step that needs exclusion.
_build_lock = threading.RLock()


def _compiled(model: Model) -> _Validate:
    model.model_rebuild()  # builds the deferred core schema, once per class
    validate: _Validate = model.__pydantic_validator__.validate_python
    return validate


def _union_adapter(msg_type: str) -> TypeAdapter[Any]:
    adapter = _union_adapters.get(msg_type)
    if adapter is None:
        with _build_lock:
            key, shapes = CONTENT_VARIANTS[msg_type]
            members = tuple(dict.fromkeys(shapes.values()))
            tagged: Any = Annotated[Union[members], Field(discriminator=key)]  # noqa: UP007
            adapter = _union_adapters.setdefault(msg_type, TypeAdapter(tagged))
    return adapter


def _build(msg_type: str) -> _Validate:
    with _build_lock:
        validate = _validators.get(msg_type)
        if validate is None:
            validate = _validators[msg_type] = _build_unlocked(msg_type)
        return validate


def _build_unlocked(msg_type: str) -> _Validate:
    variants = CONTENT_VARIANTS.get(msg_type)
    if variants is None:
        validate = _compiled(CONTENT_MODELS[msg_type])
    else:
        key, shapes = variants
        by_tag = {tag: _compiled(model) for tag, model in shapes.items()}

        def validate(content: Any) -> BaseModel:
            # Dispatch on the tag ourselves so that error paths read content.<field> with no tag in them;
            # the tagged union, built on first need, only runs to report a missing or unknown tag.
            if type(content) is dict:
                tag = content.get(key)
                if type(tag) is str:
                    chosen = by_tag.get(tag)
                    if chosen is not None:
                        return chosen(content)
            result: BaseModel = _union_adapter(msg_type).validator.validate_python(content)
            return result

    return validate


_TAG_ERRORS = {"union_tag_not_found": "Field required", "union_tag_invalid": ""}


def _problems(prefix: str, exc: ValidationError, key: str | None = None) -> list[tuple[str, str]]:
    problems = []
    for err in exc.errors(include_url=False, include_context=False, include_input=False):
        path = ".".join([prefix, *map(str, err["loc"])])
        reason = err["msg"]
        if key is not None and err["type"] in _TAG_ERRORS:
            path = f"{prefix}.{key}"
            reason = _TAG_ERRORS[err["type"]] or reason
        problems.append((path, reason))
    return problems


def validate_content(msg_type: str, content: Any) -> BaseModel:
    """Validate the content of a ``msg_type`` message; return the model of the shape it has.

    Unknown keys are kept. For a reply the result is the ok model, ErrorReply or AbortedReply according to
    its status (ExecuteErrorReply / ExecuteAbortedReply for execute_reply); for a history_request, the
    model of its hist_access_type. Raise ContentError with one (path, reason) per problem.
    """
    validate = _validators.get(msg_type)
    if validate is None:
        if msg_type not in CONTENT_MODELS:
            raise ContentError(msg_type, [("msg_type", "unknown message type")])
        validate = _build(msg_type)
    try:
        return validate(content)
    except ValidationError as exc:
        key = CONTENT_VARIANTS[msg_type][0] if msg_type in CONTENT_VARIANTS else None
        raise ContentError(msg_type, _problems("content", exc, key)) from None


def build_validators(msg_types: Iterable[str] | None = None) -> None:
    """Compile the validators of ``msg_types`` (default: all) now rather than on their first message.

    Each takes a few milliseconds; a kernel can call this from a background thread after startup.
    """
    for msg_type in CONTENT_MODELS if msg_types is None else msg_types:
        if msg_type not in _validators:
            if msg_type not in CONTENT_MODELS:
                raise ContentError(msg_type, [("msg_type", "unknown message type")])
            _build(msg_type)
    _header()


def _header() -> _Validate:
    global _header_validator
    if _header_validator is None:
        with _build_lock:
            if _header_validator is None:
                _header_validator = _compiled(Header)
    return _header_validator


def validate_header(header: Any) -> Header:
    """Validate a message header; raise ContentError('header', ...) naming each bad field."""
    try:
        return cast(Header, (_header_validator or _header())(header))
    except ValidationError as exc:
        raise ContentError("header", _problems("header", exc)) from None


def validate_metadata(msg_type: str, metadata: Any) -> BaseModel | None:
    """Validate the metadata of a message that carries one of our extensions (see METADATA_MODELS).

    Return None, without looking at ``metadata``, for message types whose metadata has no model.
    """
    validate = _metadata_validators.get(msg_type)
    if validate is None:
        model = METADATA_MODELS.get(msg_type)
        if model is None:
            return None
        with _build_lock:
            validate = _metadata_validators[msg_type] = _compiled(model)
    try:
        return validate(metadata)
    except ValidationError as exc:
        raise ContentError(msg_type, _problems("metadata", exc)) from None


def content_shapes(msg_type: str) -> tuple[Model, ...]:
    """Every model the content of ``msg_type`` may validate to, the main one first."""
    if msg_type not in CONTENT_MODELS:
        raise ContentError(msg_type, [("msg_type", "unknown message type")])
    variants = CONTENT_VARIANTS.get(msg_type)
    shapes = [CONTENT_MODELS[msg_type], *(variants[1].values() if variants else ())]
    return tuple(dict.fromkeys(shapes))


def json_schema(msg_type: str) -> dict[str, Any]:
    """JSON Schema of the content of ``msg_type``, all its shapes included (a oneOf for replies)."""
    if msg_type not in CONTENT_MODELS:
        raise ContentError(msg_type, [("msg_type", "unknown message type")])
    if msg_type in CONTENT_VARIANTS:
        schema = _union_adapter(msg_type).json_schema()
        schema["title"] = msg_type
        return schema
    return CONTENT_MODELS[msg_type].model_json_schema()


def all_json_schemas() -> dict[str, dict[str, Any]]:
    """msg_type -> JSON Schema of its content, for every message type in CONTENT_MODELS."""
    return {msg_type: json_schema(msg_type) for msg_type in CONTENT_MODELS}


def metadata_json_schema(msg_type: str) -> dict[str, Any]:
    """JSON Schema of the metadata of ``msg_type``: our extension model, or any JSON object."""
    model = METADATA_MODELS.get(msg_type)
    if model is None:
        return {"type": "object", "title": f"{msg_type} metadata"}
    return model.model_json_schema()


def header_json_schema() -> dict[str, Any]:
    """JSON Schema of a message header."""
    return Header.model_json_schema()
