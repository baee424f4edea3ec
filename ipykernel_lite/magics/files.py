"""Files and scripts: ``%%writefile``/``%%file``, ``%run``, ``%load``, ``%pycat``, ``%history``, ``%page``,
``%%capture``."""

from __future__ import annotations

import builtins
import os
import sys
import time
from typing import TYPE_CHECKING, Any

from ..kernel.magics import UsageError, parse_options
from .running import run_source

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel


def _unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "'\"":
        name = name[1:-1]
    return os.path.expanduser(name)


def cell_writefile(kernel: Kernel, line: str, body: str) -> None:
    """``%%writefile [-a] FILE``: write (or append) the cell's body to FILE."""
    opts, rest = parse_options(line, "a", "append")
    if not rest:
        raise UsageError("the following arguments are required: filename")
    filename = _unquote(" ".join(rest))
    append = "a" in opts or "append" in opts
    if os.path.exists(filename):
        print(f"Appending to {filename}" if append else f"Overwriting {filename}")
    else:
        print(f"Writing {filename}")
    with open(filename, "a" if append else "w", encoding="utf-8") as f:
        f.write(body)


cell_file = cell_writefile


def _find_script(name: str) -> str:
    path = _unquote(name)
    if os.path.isfile(path):
        return path
    if os.path.isfile(path + ".py"):
        return path + ".py"
    # IPython's exception and message
    raise Exception(f"File `{name!r}` not found.")


def line_run(kernel: Kernel, args: str) -> None:
    """``%run [-i] [-t] [-e] [-d [-b [FILE:]N]] [-m MODULE] FILE [ARGS]``: run a script as ``__main__``; its
    names land in the user namespace (``-i``: it runs in the user namespace; ``-d``: under pdb, stopped at its
    first line, with a breakpoint at line N, 1 by default)."""
    opts, rest = _run_options(args)
    user_ns = kernel.host.executor.ns
    debugger = kernel.host.service("debugger") if "d" in opts else None
    if "d" in opts and ("m" in opts or debugger is None):
        raise UsageError("%run -d needs a script file and the kernel's debugger" if debugger is None
                         else "%run -d -m is not supported: use %run -d with the module's file")
    old_argv = sys.argv
    t0 = time.perf_counter()
    try:
        if "m" in opts:
            import runpy

            sys.argv = [opts["m"], *rest]
            found = runpy.run_module(opts["m"], run_name="__main__", alter_sys=True)
            user_ns.update({k: v for k, v in found.items() if not k.startswith("__")})
            return
        if not rest:
            raise UsageError("%run needs a file name")
        path = _find_script(rest[0])
        sys.argv = [path, *rest[1:]]
        with open(path, encoding="utf-8") as f:
            source = f.read()
        if path.endswith(".ipy"):
            from ..kernel.transforms import rewrite_magics

            source = rewrite_magics(source)
        # under the debugger the file is named by its absolute path, as pdb and IPython show it
        code = compile(source, os.path.abspath(path) if debugger else path, "exec", dont_inherit=True)
        if "i" in opts:
            ns = user_ns
            saved = {k: ns.get(k) for k in ("__name__", "__file__")}
        else:
            ns = {"__name__": "__main__", "__builtins__": builtins, "__doc__": None}
            saved = {}
        ns["__name__"], ns["__file__"] = "__main__", os.path.abspath(path)
        sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
        try:
            if debugger is not None:
                from ..kernel.debugger_run import split_breakpoint

                where = split_breakpoint(opts.get("b") or "1", os.path.abspath(path))
                debugger.run_script(code, ns, os.path.abspath(path), where)
            else:
                exec(code, ns)
        except SystemExit as e:
            if e.code not in (None, 0) and "e" not in opts:
                raise
        finally:
            sys.path.remove(os.path.dirname(os.path.abspath(path)))
            if ns is not user_ns:
                user_ns.update({k: v for k, v in ns.items() if not k.startswith("__")})
            else:
                for k, v in saved.items():
                    if v is None:
                        ns.pop(k, None)
                    else:
                        ns[k] = v
    finally:
        sys.argv = old_argv
        if "t" in opts:
            wall = time.perf_counter() - t0
            print(f"\nIPython CPU timings (estimated):\n    Wall time: {wall:.2f} s.")


#: %run's options that take a value (IPython's ``N:b:D:l:s:T:m:``)
_RUN_VALUED = "NbDlsTm"


def _run_options(args: str) -> tuple[dict[str, Any], list[str]]:
    """Options up to the script's name (``-b3``, ``-b 3``, ``-ib file:3``); ``-m MODULE`` ends them."""
    import shlex

    argv = shlex.split(args)
    opts: dict[str, Any] = {}
    while argv and argv[0].startswith("-") and len(argv[0]) > 1:
        flag = argv.pop(0)[1:]
        for i, ch in enumerate(flag):
            if ch in _RUN_VALUED:
                opts[ch] = flag[i + 1 :] or (argv.pop(0) if argv else "")
                if ch == "m":
                    return opts, argv
                break
            opts[ch] = ""
    return opts, argv


def line_load(kernel: Kernel, args: str) -> None:
    """``%load FILE``: replace the cell with ``# %load FILE`` and the file's text (a set_next_input payload)."""
    _opts, rest = parse_options(args, "yr:s:n:")
    if not rest:
        raise UsageError("%load needs a file name or URL")
    target = rest[0]
    if target in kernel.host.executor.ns and isinstance(kernel.host.executor.ns[target], str):
        text = kernel.host.executor.ns[target]
    else:
        with open(_unquote(target), encoding="utf-8") as f:
            text = f.read()
    contents = f"# %load {args}\n" + text
    kernel.host.executor.add_payload({"source": "set_next_input", "text": contents, "replace": True})


def line_pycat(kernel: Kernel, args: str) -> None:
    with open(_unquote(args), encoding="utf-8") as f:
        text = f.read()
    kernel.host.executor.add_payload({"source": "page", "data": {"text/plain": text}, "start": 0})


def line_page(kernel: Kernel, args: str) -> None:
    """``%page EXPR``: the value's text in the pager."""
    from ..display import format_bundle

    value = eval(args or "_", kernel.host.executor.ns)
    data, _ = format_bundle(value)
    kernel.host.executor.add_payload({"source": "page", "data": {"text/plain": data["text/plain"]}, "start": 0})


def line_history(kernel: Kernel, args: str) -> None:
    """``%history [-n] [-l N]``: this session's inputs."""
    opts, _rest = parse_options(args, "nl:gpo")
    inputs: dict[int, str] = kernel.host.executor.history._inputs
    items = sorted(inputs.items())
    if "l" in opts:
        items = items[-int(opts["l"] or 10) :]
    for n, code in items:
        text = code.rstrip("\n")
        if "n" in opts:
            text = f"{n:>3}: " + text.replace("\n", "\n     ")
        print(text)


class CapturedIO:
    """What ``%%capture NAME`` stores: ``stdout``, ``stderr``, ``outputs`` and ``show()``."""

    def __init__(self, stdout: str, stderr: str, outputs: list[dict[str, Any]]) -> None:
        self._stdout, self._stderr, self.outputs = stdout, stderr, outputs

    @property
    def stdout(self) -> str:
        return self._stdout

    @property
    def stderr(self) -> str:
        return self._stderr

    def __str__(self) -> str:
        return self._stdout

    def show(self) -> None:
        from .. import display as display_mod

        sys.stdout.write(self._stdout)
        sys.stderr.write(self._stderr)
        for out in self.outputs:
            display_mod.display(out["data"], raw=True, metadata=out.get("metadata"))

    __call__ = show


def cell_capture(kernel: Kernel, line: str, body: str) -> None:
    """``%%capture [--no-stdout] [--no-stderr] [--no-display] [NAME]``."""
    import io

    from .. import display as display_mod

    opts, rest = parse_options(line, "", "no-stdout", "no-stderr", "no-display")
    out, err = io.StringIO(), io.StringIO()
    outputs: list[dict[str, Any]] = []
    old = sys.stdout, sys.stderr, display_mod.publisher
    publish = kernel.publish

    def capture(msg_type: str, content: dict[str, Any]) -> None:
        if msg_type == "display_data":
            outputs.append({"data": content.get("data", {}), "metadata": content.get("metadata", {})})
        else:
            publish(msg_type, content)

    if "no-stdout" not in opts:
        sys.stdout = out
    if "no-stderr" not in opts:
        sys.stderr = err
    if "no-display" not in opts:
        display_mod.publisher = capture
    try:
        value = run_source(kernel, body, first_line=2)
        if value is not None and "no-display" not in opts:
            data, md = display_mod.format_bundle(value)
            outputs.append({"data": data, "metadata": md})
    finally:
        sys.stdout, sys.stderr, display_mod.publisher = old
    if rest:
        kernel.host.executor.ns[rest[0]] = CapturedIO(out.getvalue(), err.getvalue(), outputs)
