"""Editor execution requests: run selection, run cell, run file (pure builders of code + metadata).

Each builder returns ``(code, metadata)`` for an execute_request carrying the ``origin`` extension, so that
tracebacks, warnings, ``inspect.getsource`` and pdb show the editor's path and line numbers. Both clients'
``run_cell`` / ``run_selection`` / ``run_file`` methods are thin wrappers around these.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from ..cells import DEFAULT_MARKERS, Marker, cell_at, prepare_selection

JSONDict = dict[str, Any]


def origin(path: str, line: int, *, cell: str | None = None, **options: Any) -> JSONDict:
    o: JSONDict = {"path": os.fspath(path), "line": int(line), "cell": cell}
    o.update({k: v for k, v in options.items() if v is not None and v is not False})
    return o


def cell_request(
    text: str, line: int, *, path: str, markers: Sequence[Marker] = DEFAULT_MARKERS
) -> tuple[str, JSONDict]:
    """The cell around cursor ``line`` (1-based) of the buffer ``text`` named ``path``."""
    cell = cell_at(text, line, markers)
    return cell.code, {"origin": origin(path, cell.code_start_line, cell=cell.title or None)}


def selection_request(text: str, start_line: int, end_line: int, *, path: str) -> tuple[str, JSONDict]:
    """Lines ``start_line``..``end_line`` (1-based, inclusive), dedented, keeping the file's line numbers."""
    code, first = prepare_selection(text, start_line, end_line)
    return code, {"origin": origin(path, first)}


def file_request(
    path: str,
    *,
    text: str | None = None,
    argv: Sequence[str] | None = None,
    cwd: bool = True,
) -> tuple[str, JSONDict]:
    """The whole file as a script: ``__name__ == "__main__"``, ``__file__`` and ``sys.argv`` set; ``text`` is
    the editor's buffer (unsaved changes) and defaults to the file on disk."""
    if text is None:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    o = origin(path, 1, cwd=cwd, as_main=True)
    o["argv"] = [str(a) for a in (argv or [])]
    return text, {"origin": o}


def _merge(metadata: JSONDict, extra: JSONDict | None) -> JSONDict:
    if extra:
        metadata = {**extra, **metadata, "origin": {**extra.get("origin", {}), **metadata["origin"]}}
    return metadata


class EditorCalls:
    """``run_cell`` / ``run_selection`` / ``run_file`` for BlockingClient: the same ExecuteResult as execute."""

    execute: Callable[..., Any]  # provided by the client class

    def run_cell(self, text: str, line: int, *, path: str, metadata: JSONDict | None = None, **kwargs: Any) -> Any:
        """Run the cell around cursor ``line`` of the editor buffer ``text`` (file or unsaved-buffer name)."""
        code, md = cell_request(text, line, path=path)
        return self.execute(code, metadata=_merge(md, metadata), **kwargs)

    def run_selection(
        self, text: str, start_line: int, end_line: int, *, path: str, metadata: JSONDict | None = None, **kwargs: Any
    ) -> Any:
        """Run lines ``start_line``..``end_line`` (1-based, inclusive) of ``text``; tracebacks use the file's lines."""
        code, md = selection_request(text, start_line, end_line, path=path)
        return self.execute(code, metadata=_merge(md, metadata), **kwargs)

    def run_file(
        self,
        path: str,
        *,
        text: str | None = None,
        argv: Sequence[str] | None = None,
        cwd: bool = True,
        metadata: JSONDict | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run a whole file as ``__main__`` (``__file__``, ``sys.argv``; its folder as cwd for the run)."""
        code, md = file_request(path, text=text, argv=argv, cwd=cwd)
        return self.execute(code, metadata=_merge(md, metadata), **kwargs)


class AsyncEditorCalls:
    """The same calls for AsyncClient, as coroutines."""

    execute: Callable[..., Awaitable[Any]]  # provided by the client class

    async def run_cell(
        self, text: str, line: int, *, path: str, metadata: JSONDict | None = None, **kwargs: Any
    ) -> Any:
        code, md = cell_request(text, line, path=path)
        return await self.execute(code, metadata=_merge(md, metadata), **kwargs)

    async def run_selection(
        self, text: str, start_line: int, end_line: int, *, path: str, metadata: JSONDict | None = None, **kwargs: Any
    ) -> Any:
        code, md = selection_request(text, start_line, end_line, path=path)
        return await self.execute(code, metadata=_merge(md, metadata), **kwargs)

    async def run_file(
        self,
        path: str,
        *,
        text: str | None = None,
        argv: Sequence[str] | None = None,
        cwd: bool = True,
        metadata: JSONDict | None = None,
        **kwargs: Any,
    ) -> Any:
        code, md = file_request(path, text=text, argv=argv, cwd=cwd)
        return await self.execute(code, metadata=_merge(md, metadata), **kwargs)
