"""Text of an inspect_reply / ``obj?`` from an :class:`ObjectInfo`: plain text and Markdown."""

from __future__ import annotations

import re

from .object_info import ObjectInfo

_NO_DOC = "<no docstring>"
_BACKTICKS = re.compile(r"`{3,}")


def _header_fields(info: ObjectInfo) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    if info.signature is not None:
        label = "Init signature" if info.kind == "class" else "Signature"
        fields.append((label, info.name + info.signature.text))
    fields.append(("Type", info.type_name))
    if info.string_form is not None:
        fields.append(("String form", info.string_form))
    if info.length is not None:
        fields.append(("Length", str(info.length)))
    if info.file:
        fields.append(("File", info.file))
    return fields


def render_plain(info: ObjectInfo, detail_level: int) -> str:
    fields = _header_fields(info)
    width = max(len(label) for label, _ in fields) + 2
    lines = [f"{label + ':':<{width}}{value}" for label, value in fields]
    lines.append("Docstring:")
    lines.append(info.doc or _NO_DOC)
    if detail_level >= 1 and info.source:
        lines.append("Source:")
        lines.append(info.source.rstrip("\n"))
    return "\n".join(lines)


def _fence(text: str, lang: str = "") -> str:
    """A fenced block that the content's own backtick runs cannot close."""
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=2)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text.rstrip()}\n{ticks}"


def _code_span(text: str) -> str:
    ticks = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def render_markdown(info: ObjectInfo, detail_level: int) -> str:
    parts: list[str] = []
    if info.signature is not None:
        parts.append(_fence(info.name + info.signature.text, "python"))
    else:
        parts.append(f"**{_code_span(info.name)}**")
    facts = [
        f"*{label}:* {_code_span(value)}"
        for label, value in _header_fields(info)
        if "signature" not in label.lower()
    ]
    parts.append("  \n".join(facts))
    # Docstrings are reStructuredText or plain text more often than Markdown: keep them verbatim.
    parts.append(_fence(info.doc, "text") if info.doc else f"*{_NO_DOC}*")
    if detail_level >= 1 and info.source:
        parts.append("**Source:**")
        parts.append(_fence(info.source, "python"))
    return "\n\n".join(parts) + "\n"
