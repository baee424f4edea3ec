"""Namespace-based completion, used when jedi fails, is too slow, or would be unsafe.

Works from the live namespaces only: names, builtins, keywords, attributes via ``dir()``
(types found with ``getattr_static``, so properties are never run), keyword arguments of
a resolvable callee, module names in imports and file paths inside strings.
"""

from __future__ import annotations

import builtins
import keyword
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from .jedi_complete import Match
from .namespace import MISSING, dedupe, kind_of, resolve, safe_dir, sort_key, static_attribute
from .positions import LexState, dotted_before, dotted_name, enclosing_call, identifier_start
from .signatures import KEYWORD_ONLY, POSITIONAL_OR_KEYWORD, live_signature

MAX_PATH_ENTRIES = 2_000
_MAX_SIGNATURES = 20
_FROM_IMPORT = re.compile(r"^\s*from\s+(\.*[\w.]*)\s+import\s+(?:\(?\s*)?(?:[\w\s,]*,\s*)?$")
_IMPORT_MODULE = re.compile(r"^\s*(?:from\s+|import\s+(?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*)*)([\w.]*)$")
_KEYWORD: Any = object()  # stands for "a keyword" where a value is expected


def _line_before(code: str, start: int) -> str:
    nl = max(code.rfind("\n", 0, start), code.rfind("\r", 0, start))
    return code[nl + 1 : start]


def _with_signatures(names: list[tuple[str, Any]], start: int) -> list[Match]:
    out: list[Match] = []
    budget = _MAX_SIGNATURES
    for name, value in names:
        kind = "keyword" if value is _KEYWORD else kind_of(value)
        signature = ""
        if kind == "function" and budget > 0:
            budget -= 1
            info = live_signature(value)
            signature = info.text if info is not None else ""
        out.append(Match(name, start, kind, signature))
    return out


def _matches_prefix(name: str, prefix: str) -> bool:
    return name[: len(prefix)].lower() == prefix.lower()


def attribute_matches(obj: Any, prefix: str, start: int) -> list[Match]:
    names = sorted((n for n in safe_dir(obj) if _matches_prefix(n, prefix)), key=sort_key)
    return _with_signatures([(n, static_attribute(obj, n)) for n in names], start)


def _module_names(dotted: str) -> list[str]:
    """Importable names for ``import <dotted>``: what is loaded or stdlib, no disk scan."""
    parent, _, _ = dotted.rpartition(".")
    if parent:
        depth = parent.count(".") + 1
        return sorted(
            {m.split(".")[depth] for m in list(sys.modules) if m.startswith(parent + ".")},
            key=sort_key,
        )
    names = {m.split(".")[0] for m in list(sys.modules)}
    names.update(sys.builtin_module_names)
    names.update(getattr(sys, "stdlib_module_names", ()))
    return sorted(names, key=sort_key)


def _callee_params(code: str, pos: int, state: LexState, namespaces: Sequence[dict[str, Any]]) -> list[str]:
    """``name=`` for keyword-capable parameters when the cursor starts a call argument."""
    call = enclosing_call(code, state)
    if call is None:
        return []
    callee_start, paren = call
    callee = dotted_name(code[callee_start:paren])
    segment_start = max(paren, code.rfind(",", paren, pos)) + 1
    if code[segment_start : identifier_start(code, pos)].strip():
        return []
    obj = resolve(callee, namespaces) if callee is not None else MISSING
    if obj is MISSING:
        return []
    info = live_signature(obj)
    if info is None:
        return []
    return [p.name + "=" for p in info.params if p.kind in (POSITIONAL_OR_KEYWORD, KEYWORD_ONLY)]


def _path_matches(code: str, pos: int, state: LexState) -> list[Match]:
    s = state.string
    assert s is not None
    typed = code[s.body_start : pos]
    if "\n" in typed or ("{" in typed and "f" in s.prefix.lower()):
        return []
    head, sep, base = typed.rpartition("/")
    directory = os.path.expanduser(head or "/") if sep else "."
    out: list[Match] = []
    try:
        with os.scandir(directory) as entries:
            for n, entry in enumerate(entries):
                if n >= MAX_PATH_ENTRIES:
                    break
                if not entry.name.startswith(base):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                text = entry.name + ("/" if is_dir else "" if s.closed else s.quote)
                out.append(Match(text, pos - len(base), "path"))
    except OSError:
        return []
    out.sort(key=lambda m: sort_key(m.text))
    return out


def complete_fallback(code: str, pos: int, state: LexState, namespaces: Sequence[dict[str, Any]]) -> list[Match]:
    if state.in_comment:
        return []
    if state.string is not None:
        return _path_matches(code, pos, state)
    start = identifier_start(code, pos)
    prefix = code[start:pos]
    if prefix[:1].isdigit():
        return []
    line = _line_before(code, start)
    m = _FROM_IMPORT.match(line)
    if m:
        module = sys.modules.get(m.group(1))
        if module is None:
            return []
        return attribute_matches(module, prefix, start)
    m = _IMPORT_MODULE.match(line + prefix)
    if m:
        dotted = m.group(1)
        return [Match(n, start, "module") for n in _module_names(dotted) if _matches_prefix(n, prefix)]

    before = start
    while before > 0 and code[before - 1] in " \t":
        before -= 1
    if before > 0 and code[before - 1] == ".":
        subject = dotted_before(code, before - 1)
        if subject is None:
            return []
        obj = resolve(subject[1], namespaces)
        if obj is MISSING or isinstance(obj, property):
            return []
        return attribute_matches(obj, prefix, start)

    params = [Match(p, start, "param") for p in _callee_params(code, pos, state, namespaces)]
    params = [m for m in params if _matches_prefix(m.text, prefix)]
    values: dict[str, Any] = {}
    for ns in namespaces:
        for name, value in ns.items():
            if isinstance(name, str) and name not in values and _matches_prefix(name, prefix):
                values[name] = value
    for name, value in builtins.__dict__.items():
        if name not in values and _matches_prefix(name, prefix):
            values[name] = value
    for kw in keyword.kwlist:
        if kw not in values and _matches_prefix(kw, prefix):
            values[kw] = _KEYWORD
    names = sorted(dedupe(values), key=sort_key)
    return params + _with_signatures([(n, values[n]) for n in names], start)
