"""Check request contents against JSON Schemas generated from the pydantic models, without importing pydantic.

The kernel validates every request it receives. Doing that with the models themselves costs 13 MiB of resident
memory in every kernel (pydantic, pydantic-core and the compiled validators: a fifth of a kernel after its
first completion) for checks that are simple: types, required fields, literals, bounds. So the kernel reads
``models/request_schemas.json`` (written by ``python -m ipykernel_lite.protocol.models.request_schemas`` from
the models, and compared with them by the tests) and checks contents here, with the models' strict semantics
(no ``"1"`` for 1, no ``True`` for 1) and pydantic's wording, so an error reply reads the same either way.

Only the JSON Schema keywords the generated schemas use are understood; ``check`` raises ``ValueError`` on any
other, so a model that grows a new kind of constraint fails the tests instead of being silently ignored.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from .errors import ContentError

SCHEMAS_FILE = Path(__file__).resolve().parent / "models" / "request_schemas.json"

Problem = tuple[str, str]
Schema = dict[str, Any]

#: keywords that describe, not constrain
_IGNORED = frozenset({"title", "description", "default", "examples"})
_KNOWN = _IGNORED | {
    "type", "properties", "required", "additionalProperties", "items", "anyOf", "oneOf", "discriminator",
    "$ref", "$defs", "const", "enum", "minimum", "maximum",
}
_TYPE_WORDS = {
    "string": "a valid string",
    "integer": "a valid integer",
    "number": "a valid number",
    "boolean": "a valid boolean",
    "array": "a valid list",
    "object": "a valid dictionary",
    "null": "None",
}
_PY_NAMES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "array": "list"}


def _is(kind: str, value: Any) -> bool:
    t = type(value)
    if kind == "string":
        return t is str
    if kind == "integer":
        return t is int
    if kind == "number":
        return t is int or t is float
    if kind == "boolean":
        return t is bool
    if kind == "object":
        return t is dict
    if kind == "array":
        return t is list
    if kind == "null":
        return value is None
    raise ValueError(f"schema type {kind!r} is not supported")


class _Checker:
    def __init__(self, root: Schema) -> None:
        self._defs: dict[str, Schema] = root.get("$defs", {})

    def _resolve(self, schema: Schema) -> Schema:
        ref = schema.get("$ref")
        if ref is None:
            return schema
        return self._defs[ref.rsplit("/", 1)[-1]]

    def check(self, schema: Schema, value: Any, path: str, out: list[Problem]) -> None:
        unknown = schema.keys() - _KNOWN
        if unknown:
            raise ValueError(f"schema keyword(s) {sorted(unknown)} at {path} are not supported")
        if "$ref" in schema:
            self.check(self._resolve(schema), value, path, out)
            return
        if "oneOf" in schema and "discriminator" in schema:
            self._tagged(schema, value, path, out)
            return
        if "anyOf" in schema:
            self._any_of(schema["anyOf"], value, path, out)
            return
        if "oneOf" in schema:
            raise ValueError(f"oneOf without a discriminator at {path} is not supported")
        if "const" in schema:
            if type(value) is not type(schema["const"]) or value != schema["const"]:
                out.append((path, f"Input should be {schema['const']!r}"))
            return
        if "enum" in schema:
            if not any(type(value) is type(v) and value == v for v in schema["enum"]):
                out.append((path, "Input should be " + " or ".join(repr(v) for v in schema["enum"])))
            return
        kind = schema.get("type")
        if kind is None:
            return  # Any
        if not _is(kind, value):
            title = schema.get("title")
            extra = f" or instance of {title}" if kind == "object" and "properties" in schema and title else ""
            out.append((path, f"Input should be {_TYPE_WORDS[kind]}{extra}"))
            return
        if kind in ("integer", "number"):
            self._bounds(schema, value, path, out)
        elif kind == "object":
            self._object(schema, value, path, out)
        elif kind == "array" and "items" in schema:
            for i, item in enumerate(value):
                self.check(schema["items"], item, f"{path}.{i}", out)

    def _bounds(self, schema: Schema, value: Any, path: str, out: list[Problem]) -> None:
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and value < low:
            out.append((path, f"Input should be greater than or equal to {low}"))
        if high is not None and value > high:
            out.append((path, f"Input should be less than or equal to {high}"))

    def _object(self, schema: Schema, value: dict[str, Any], path: str, out: list[Problem]) -> None:
        # the models' field order, as pydantic reports it; then fields the schema does not name
        properties: dict[str, Schema] = schema.get("properties", {})
        required = set(schema.get("required", ()))
        for name, sub in properties.items():
            if name in value:
                self.check(sub, value[name], f"{path}.{name}", out)
            elif name in required:
                out.append((f"{path}.{name}", "Field required"))
        extra = schema.get("additionalProperties", True)
        if extra is True:
            return
        for name, item in value.items():
            if name in properties:
                continue
            if isinstance(extra, dict):
                self.check(extra, item, f"{path}.{name}", out)
            else:
                out.append((f"{path}.{name}", "Extra inputs are not permitted"))

    def _any_of(self, options: list[Schema], value: Any, path: str, out: list[Problem]) -> None:
        for option in options:
            found: list[Problem] = []
            self.check(option, value, path, found)
            if not found:
                return
        # pydantic: ``X | None`` reports X's problems as they are; a union of several types reports each
        # member's under the member's name (content.path.0.str, content.path.0.int)
        members = [o for o in options if self._resolve(o).get("type") != "null"]
        if len(members) == 1:
            self.check(members[0], value, path, out)
            return
        for member in members:
            kind = self._resolve(member).get("type")
            if kind not in _PY_NAMES:
                raise ValueError(f"a union member without a simple type at {path} is not supported")
            self.check(member, value, f"{path}.{_PY_NAMES[kind]}", out)

    def _tagged(self, schema: Schema, value: Any, path: str, out: list[Problem]) -> None:
        key = schema["discriminator"]["propertyName"]
        mapping: dict[str, str] = schema["discriminator"]["mapping"]
        if type(value) is not dict:
            out.append((path, "Input should be a valid dictionary or object to extract fields from"))
            return
        if key not in value:
            out.append((f"{path}.{key}", "Field required"))
            return
        tag = value[key]
        ref = mapping.get(tag) if type(tag) is str else None
        if ref is None:
            # in the order of the union's members, as pydantic lists them
            by_ref = {r: t for t, r in mapping.items()}
            expected = ", ".join(repr(by_ref[o["$ref"]]) for o in schema["oneOf"] if o.get("$ref") in by_ref)
            out.append((f"{path}.{key}", f"Input tag '{tag}' found using {key!r} does not match any of the "
                                         f"expected tags: {expected}"))
            return
        self.check({"$ref": ref}, value, path, out)


def problems(schema: Schema, value: Any, prefix: str = "content") -> list[Problem]:
    """Every (path, reason) by which ``value`` breaks ``schema``; empty when it conforms."""
    out: list[Problem] = []
    _Checker(schema).check(schema, value, prefix, out)
    return out


@cache
def request_schemas() -> dict[str, Schema]:
    """msg_type -> JSON Schema of its content, for the messages a kernel receives (the generated file)."""
    loaded: dict[str, Schema] = json.loads(SCHEMAS_FILE.read_text(encoding="utf-8"))
    return loaded


def check_request(msg_type: str, content: Any) -> None:
    """Raise ContentError naming each bad field of a request's content; types without a schema pass (their
    handler judges them, as for debug_request)."""
    schema = request_schemas().get(msg_type)
    if schema is None:
        return
    found = problems(schema, content)
    if found:
        raise ContentError(msg_type, found)
