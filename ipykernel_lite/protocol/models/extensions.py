"""ipykernel_lite's additions to the protocol, for editors.

Standard frontends ignore them: they live in metadata keys or in message types of their own, and every model
accepts unknown keys, so a message carrying them stays a valid Jupyter 5.4 message.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, get_type_hints

from pydantic import Field, create_model

from ..origin import Origin as _OriginFields
from .base import OkReply, ProtocolModel

# --- execute_request metadata ----------------------------------------------------------------------------


def _model_of(cls: type[Any], base: type[ProtocolModel]) -> type[ProtocolModel]:
    """A validating model with the fields, docs and constraints of the dataclass ``cls`` (one definition)."""
    hints = get_type_hints(cls)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        extra = {k: v for k, v in f.metadata.items() if k != "doc"}
        default = f.default if f.default is not dataclasses.MISSING else ...
        fields[f.name] = (hints[f.name], Field(default, description=f.metadata["doc"], **extra))
    model: type[ProtocolModel] = create_model(cls.__name__, __base__=base, __doc__=cls.__doc__, **fields)
    model.__module__ = __name__
    return model


if TYPE_CHECKING:
    # a generated class is opaque to mypy: it checks uses of the model as the base model it is
    Origin = ProtocolModel
else:
    #: generated from ``ipykernel_lite.protocol.origin.Origin`` (the kernel's and the clients' definition)
    Origin = _model_of(_OriginFields, ProtocolModel)


class ExecuteMetadata(ProtocolModel):
    """Message metadata of an ``execute_request``; other keys are kept as they are."""

    origin: Origin | None = Field(default=None, description="Where the code comes from; None for a console.")
    post_mortem: bool = Field(default=False, description="On error, enter post-mortem debugging.")


# --- inspect_reply content.metadata ------------------------------------------------------------------------


class Calltip(ProtocolModel):
    """The call the cursor is in, for an editor's signature popup.

    Sent under the key ``calltip`` of the ``metadata`` object of inspect_reply content.
    """

    signature: str = Field(description="Signature as displayed, e.g. 'join(a, *p)'.")
    name: str = Field(description="Name of the callable, e.g. 'join'.")
    params: list[str] = Field(default=[], description="Parameters as displayed, in order, e.g. ['a', '*p'].")
    active_param: int | None = Field(
        default=None, description="Index in params of the parameter at the cursor; None when there is none."
    )
    doc: str = Field(default="", description="Docstring of the callable; may be empty.")


class InspectReplyMetadata(ProtocolModel):
    """The ``metadata`` object of inspect_reply content; other keys are kept as they are."""

    calltip: Calltip | None = Field(default=None, description="Set when the cursor is inside a call.")


# --- pause (control) ---------------------------------------------------------------------------------------


class PauseRequest(ProtocolModel):
    """``pause_request`` (control channel): stop the running cell in the debugger, where it is."""


class PauseReply(OkReply):
    """``pause_reply`` (status ok)."""

    paused: bool = Field(
        default=False, description="True when a running cell was stopped; False when the kernel was idle."
    )


# --- gui event loop (shell) --------------------------------------------------------------------------------


class GuiRequest(ProtocolModel):
    """``gui_request`` (shell channel): integrate a GUI toolkit's event loop with the kernel."""

    gui: str | None = Field(
        description="Toolkit whose events the kernel processes while idle: 'qt', 'tk', 'gtk', 'wx', 'osx'…; "
        "'none' or null stops the integration."
    )


class GuiReply(OkReply):
    """``gui_reply`` (status ok); an unknown or unavailable toolkit gives an error reply instead."""

    gui: str | None = Field(default=None, description="Toolkit now integrated; None when there is none.")


# --- input_request metadata while the debugger waits ------------------------------------------------------


class DebugFrame(ProtocolModel):
    """A frame of the debugged program."""

    file: str = Field(description="File name of the frame's code, as in its code object.")
    line: int = Field(description="Current line number in that file.")
    function: str = Field(description="Name of the function ('<module>' at top level).")


class DebugState(ProtocolModel):
    """Where the debugger stands (key ``debug`` of input_request metadata while pdb waits for a command)."""

    frame: DebugFrame = Field(description="The frame commands act on.")
    stack: list[DebugFrame] = Field(default=[], description="The whole stack, outermost first.")


class InputRequestMetadata(ProtocolModel):
    """Message metadata of an ``input_request``; other keys are kept as they are."""

    debug: DebugState | None = Field(default=None, description="Set while the debugger waits for a command.")


# --- control: variables_request ----------------------------------------------------------------------------


class VariablesRequest(ProtocolModel):
    """``variables_request`` (control channel): the user namespace as rows for an editor's variables view.

    Answered on the control thread, also while a cell runs, without running user code (no ``repr`` of user
    objects, no property getters): see ``ipykernel_lite.introspect.variables``.
    """

    path: list[str | int] | None = Field(
        default=None,
        description="None: the namespace's variables. Else a row's path: what that value contains (dict "
        "entries and sequence items by position, attributes by name).",
    )
    limit: int = Field(default=500, ge=1, le=10_000, description="At most this many rows.")


class VariableRow(ProtocolModel):
    name: str = Field(description="The variable's name, a dict key's repr, '[n]' for an item, an attribute name.")
    type: str = Field(description="Qualified type name ('int', 'pandas.core.frame.DataFrame').")
    value: str = Field(description="Short value: repr of builtin values, '<type object at 0x…>' for others.")
    size: int | None = Field(default=None, description="len() of builtin containers and strings; else None.")
    expandable: bool = Field(description="Whether a variables_request with this path lists children.")
    path: list[str | int] = Field(description="Pass it back as path to expand this row.")


class VariablesReply(OkReply):
    """``variables_reply`` (status ok). A path that no longer leads anywhere is an error reply
    (``ename`` ``VariablesError``)."""

    variables: list[VariableRow] = Field(default=[])
    truncated: int = Field(default=0, description="Rows left out by limit.")
