"""Shell settings: ``%load_ext``/``%reload_ext``/``%unload_ext``, ``%config``, ``%xmode``, ``%pdb``,
``%precision``, ``%autoreload``/``%aimport``, ``%lsmagic``/``%magic``, ``%automagic``, ``%colors``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..kernel.magics import UsageError

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel
    from ..shell.interactive import ZMQInteractiveShell


def _shell(kernel: Kernel) -> ZMQInteractiveShell:
    get = kernel.host.service("shell")
    if get is None:
        raise UsageError("this magic needs the shell extension (get_ipython), which is not installed")
    shell: ZMQInteractiveShell = get()
    return shell


def line_load_ext(kernel: Kernel, args: str) -> None:
    name = args.strip()
    if not name:
        raise UsageError("Missing module name.")
    if _shell(kernel).extension_manager.load_extension(name) == "already loaded":
        print(f"The {name} extension is already loaded. To reload it, use:\n  %reload_ext {name}")


def line_unload_ext(kernel: Kernel, args: str) -> None:
    name = args.strip()
    res = _shell(kernel).extension_manager.unload_extension(name)
    if res == "not loaded":
        print(f"The {name} extension is not loaded.")


def line_reload_ext(kernel: Kernel, args: str) -> None:
    _shell(kernel).extension_manager.reload_extension(args.strip())


def line_config(kernel: Kernel, args: str) -> None:
    """``%config Class.trait = value``: set; ``%config Class``: show the section; no argument: the classes."""
    cfg = _shell(kernel).config
    line = args.strip()
    if not line:
        print("Available objects for config:")
        for name in sorted(cfg):
            print(f"    {name}")
        return
    if "=" not in line:
        section = cfg.get(line)
        print(f"{line} options\n{'-' * (len(line) + 8)}")
        for key, value in (section or {}).items():
            print(f"{line}.{key}=<{type(value).__name__}>\n    Current: {value!r}")
        return
    target, _, expr = line.partition("=")
    cls, _, attr = target.strip().partition(".")
    if not attr:
        raise UsageError(f"expected Class.trait = value, got {line!r}")
    value = eval(expr.strip(), kernel.host.executor.ns)
    getattr(cfg, cls)[attr] = value
    _apply(kernel, cls, attr, value)


def _apply(kernel: Kernel, cls: str, attr: str, value: Any) -> None:
    """Settings the kernel acts on."""
    if cls == "InlineBackend" and attr in ("figure_format", "figure_formats"):
        formats = [value] if isinstance(value, str) else list(value)
        import sys

        if "matplotlib" in sys.modules:
            import matplotlib

            fmt = formats[0] if formats else "png"
            matplotlib.rcParams["savefig.format"] = "png" if fmt == "retina" else fmt
            if fmt == "retina":
                matplotlib.rcParams["figure.dpi"] = matplotlib.rcParams["figure.dpi"]
    elif cls == "InlineBackend" and attr == "rc" and isinstance(value, dict):
        import matplotlib

        matplotlib.rcParams.update(value)


XMODES = ("Plain", "Context", "Verbose", "Minimal", "Docs")


def line_xmode(kernel: Kernel, args: str) -> None:
    """``%xmode [Plain|Context|Verbose|Minimal]``: traceback detail; no argument cycles."""
    shell = _shell(kernel)
    arg = args.strip().capitalize()
    if not arg:
        arg = XMODES[(XMODES.index(shell.xmode) + 1) % 4] if shell.xmode in XMODES else "Context"
    if arg not in XMODES:
        raise UsageError(f"Invalid mode: {args.strip()}")
    shell.xmode = arg
    shell.config.InteractiveShell["xmode"] = arg
    print(f"Exception reporting mode: {arg}")


def line_pdb(kernel: Kernel, args: str) -> None:
    """``%pdb [on|off|1|0]``: post-mortem debugger on each error (toggles without argument)."""
    shell = _shell(kernel)
    arg = args.strip().lower()
    if arg in ("on", "1", "true"):
        new = True
    elif arg in ("off", "0", "false"):
        new = False
    elif not arg:
        new = not shell.pdb
    else:
        raise UsageError(f"Incorrect argument. Use on/1, off/0, or nothing for a toggle: {args.strip()}")
    shell.pdb = new
    debugger = kernel.host.service("debugger")
    if debugger is not None:
        debugger.auto_post_mortem = new
    print(f"Automatic pdb calling has been turned {'ON' if new else 'OFF'}")


def line_precision(kernel: Kernel, args: str) -> str:
    """``%precision N`` / ``%precision %.3f``: floats in text/plain; no argument resets."""
    shell = _shell(kernel)
    fmt_arg = args.strip()
    plain = shell.display_formatter.formatters["text/plain"]
    if not fmt_arg:
        plain.pop(float, None)
        fmt = "%r"
    else:
        if "%" in fmt_arg:
            fmt = fmt_arg
            fmt % 3.14159
        else:
            try:
                fmt = f"%.{int(fmt_arg)}f"
            except ValueError:
                raise UsageError(f"Precision must be int or format string, not {fmt_arg!r}") from None
        f = fmt

        def show(obj: float, p: Any, cycle: bool) -> None:
            p.text(f % obj)

        plain.for_type(float, show)
    try:
        import numpy as np

        if fmt == "%r":
            np.set_printoptions(precision=8)
        elif "f" in fmt and "." in fmt:
            np.set_printoptions(precision=int(fmt.split(".")[1].rstrip("f") or 0))
    except ImportError:
        pass
    return fmt


def line_automagic(kernel: Kernel, args: str) -> None:
    shell = _shell(kernel)
    arg = args.strip().lower()
    shell.automagic = (arg in ("on", "1", "true")) if arg else not shell.automagic
    print(f"\nAutomagic is {'ON' if shell.automagic else 'OFF'}, % prefix {'NOT ' if shell.automagic else ''}"
          "needed for line magics.")


def line_colors(kernel: Kernel, args: str) -> None:
    _shell(kernel).colors = args.strip() or "Neutral"


def line_doctest_mode(kernel: Kernel, args: str) -> None:
    print("Doctest mode is not supported by ipykernel_lite (prompts are the front end's).")


def line_pprint(kernel: Kernel, args: str) -> None:
    print("Pretty printing has been turned ON")


def line_lsmagic(kernel: Kernel, args: str) -> str:
    """``%lsmagic``: the magics, as a string (IPython returns one too)."""
    host = kernel.host
    return (
        "Available line magics:\n"
        + "  ".join(f"%{n}" for n in host.magic_names() if n != "system")
        + "\n\nAvailable cell magics:\n"
        + "  ".join(f"%%{n}" for n in host.cell_magic_names())
        + "\n\nAutomagic is ON, % prefix IS NOT needed for line magics."
    )


def line_magic(kernel: Kernel, args: str) -> None:
    """``%magic``: each magic and its first doc line."""
    from importlib import import_module

    from ..kernel.magics import LINE

    host = kernel.host
    for name in host.magic_names():
        fn = host.magic(name)
        doc = ""
        if name in LINE and fn is not None and fn.__doc__ == f"%{name}":
            real = getattr(import_module(f"ipykernel_lite.magics.{LINE[name]}"), "line_" + name, None)
            doc = (getattr(real, "__doc__", None) or "").strip()
        else:
            doc = (getattr(fn, "__doc__", None) or "").strip()
        first = doc.splitlines()[0] if doc else ""
        print(f"%{name:<12} {first}")


def line_autoreload(kernel: Kernel, args: str) -> None:
    from .autoreload import autoreload_magic

    autoreload_magic(kernel, args)


def line_aimport(kernel: Kernel, args: str) -> None:
    from .autoreload import aimport_magic

    aimport_magic(kernel, args)
