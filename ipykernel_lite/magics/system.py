"""Shell escapes and shell-ish magics: ``!cmd``, ``x = !cmd`` (SList), ``%sx``, ``%cd``, ``%pwd``, ``%env``,
``%pip``, ``%conda``, IPython's default aliases (``ls``, ``cat``, ``mkdir``…), ``%alias``, ``%%bash``/``%%sh``/
``%%script``."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from ..kernel.magics import UsageError, parse_options

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel

#: SList has a property named ``list`` (IPython's API): annotations inside it use this name
_List = list

#: IPython's default aliases on Linux ("%s" is where the arguments go; else they follow)
ALIASES: dict[str, str] = {
    "ls": "ls -F --color",
    "ll": "ls -F -o --color",
    "lf": "ls -F -o --color %l | grep ^-",
    "lk": "ls -F -o --color %l | grep ^l",
    "ldir": "ls -F -o --color %l | grep /$",
    "lx": "ls -F -o --color %l | grep ^-..x",
    **{n: n for n in ("mkdir", "rmdir", "mv", "rm", "cp", "cat")},
}


class SList(list[Any]):
    """The lines of a command's output (``x = !cmd``): ``.s`` space-joined, ``.n`` newline-joined, ``.l`` the
    list, ``.p`` paths, ``grep(pattern)``, ``fields(*idx)``, as IPython's SList."""

    @property
    def l(self) -> _List[str]:  # noqa: E743 - IPython's name
        return [*self]

    @property
    def list(self) -> _List[str]:
        return [*self]

    @property
    def s(self) -> str:
        return " ".join(self)

    spstr = s

    @property
    def n(self) -> str:
        return "\n".join(self)

    nlstr = n

    @property
    def p(self) -> _List[Any]:
        from pathlib import Path

        return [Path(x) for x in self if os.path.exists(x)]

    paths = p

    def grep(self, pattern: Any, prune: bool = False, field: int | None = None) -> SList:
        import re

        pred = pattern if callable(pattern) else (lambda x: re.search(pattern, x, re.IGNORECASE) is not None)

        def value(x: str) -> str:
            if field is None:
                return x
            parts = x.split()
            return parts[field] if -len(parts) <= field < len(parts) else ""

        return SList([x for x in self if bool(pred(value(x))) != prune])

    def fields(self, *idx: int) -> SList:
        out = SList()
        for line in self:
            parts = line.split()
            if not idx:
                out.append(parts)
                continue
            out.append(" ".join(parts[i] for i in idx if -len(parts) <= i < len(parts)))
        return out

    def sort(self, field: int | None = None, nums: bool = False) -> SList:  # type: ignore[override]
        def key(x: str) -> Any:
            v = x.split()[field] if field is not None and len(x.split()) > field else x
            if nums:
                try:
                    return int("".join(c for c in v if c.isdigit()) or 0)
                except ValueError:
                    return 0
            return v

        return SList(sorted(self, key=key))


def _shell() -> str:
    return "/bin/sh" if os.name == "posix" else os.environ.get("COMSPEC", "cmd.exe")


def system(kernel: Kernel | None, cmd: str) -> int:
    """Run ``cmd`` in the shell, its output streamed into the cell; ``_exit_code`` gets its status.

    On POSIX the command runs on a pseudo-terminal as in IPython (lines end with CRLF, ``ls`` colours), so
    the text is what ipykernel shows.
    """
    if os.name != "posix":
        return _system_pipe(kernel, cmd)
    import pty

    master, slave = pty.openpty()
    _set_size(slave, 24, 80)
    try:
        proc = subprocess.Popen([_shell(), "-c", cmd], stdin=slave, stdout=slave, stderr=slave,
                                start_new_session=True)
    finally:
        os.close(slave)
    try:
        with open(master, "rb", buffering=0, closefd=True) as out:
            decoder = __import__("codecs").getincrementaldecoder("utf-8")("replace")
            while True:
                try:
                    chunk = out.read(4096)
                except OSError:  # EIO: the command ended and the terminal closed
                    break
                if not chunk:
                    break
                sys.stdout.write(decoder.decode(chunk))
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        raise
    code = proc.wait()
    if kernel is not None:
        kernel.host.executor.ns["_exit_code"] = code
    return code


def _set_size(fd: int, rows: int, cols: int) -> None:
    import fcntl
    import struct
    import termios

    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    except OSError:
        pass


def _system_pipe(kernel: Kernel | None, cmd: str) -> int:
    proc = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    assert proc.stdout is not None
    try:
        with proc.stdout:
            for raw in iter(proc.stdout.readline, b""):
                sys.stdout.write(raw.decode(errors="replace"))
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        raise
    code = proc.wait()
    if kernel is not None:
        kernel.host.executor.ns["_exit_code"] = code
    return code


def getoutput(cmd: str) -> SList:
    """The output of ``cmd`` (stderr merged), as lines."""
    res = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, check=False)
    return SList(res.stdout.decode(errors="replace").splitlines())


def line_system(kernel: Kernel, args: str) -> None:
    system(kernel, args)


def line_sx(kernel: Kernel, args: str) -> SList:
    return getoutput(args)


def cell_system(kernel: Kernel, line: str, body: str) -> None:
    system(kernel, body)


def cell_sx(kernel: Kernel, line: str, body: str) -> SList:
    return getoutput(body)


def _alias(name: str, args: str) -> str:
    template = ALIASES[name]
    if "%l" in template:
        return template.replace("%l", args)
    return f"{template} {args}".rstrip()


def _make_alias(name: str) -> Any:
    def run(kernel: Kernel, args: str) -> None:
        system(kernel, _alias(name, args))

    return run


for _n in ALIASES:
    globals()["line_" + _n] = _make_alias(_n)


def line_alias(kernel: Kernel, args: str) -> None:
    """``%alias``: list the aliases; ``%alias name cmd``: define one (a line magic running ``cmd``)."""
    name, _, cmd = args.strip().partition(" ")
    if not name:
        print(f"Total number of aliases: {len(ALIASES)}")
        return
    ALIASES[name] = cmd.strip() or name
    kernel.host.add_magic(name, _make_alias(name))


def line_unalias(kernel: Kernel, args: str) -> None:
    name = args.strip()
    if ALIASES.pop(name, None) is None:
        raise UsageError(f"{name} is not an alias")


def line_cd(kernel: Kernel, args: str) -> None:
    """``%cd DIR`` (``~`` expanded, ``-`` the previous one); no argument goes home. Prints the new folder."""
    ns = kernel.host.executor.ns
    arg = args.strip()
    opts, rest = parse_options(arg, "qb") if arg.startswith("-") and arg != "-" else ({}, [arg] if arg else [])
    target = rest[0] if rest else "~"
    if target == "-":
        dh = ns.get("_dh") or [os.getcwd()]
        target = dh[-2] if len(dh) > 1 else dh[-1]
    try:
        os.chdir(os.path.expanduser(target))
    except OSError as e:
        print(f"[Errno {e.errno}] {e.strerror}: {target!r}")
        return
    ns.setdefault("_dh", []).append(os.getcwd())
    if "q" not in opts:
        print(os.getcwd())


def line_pwd(kernel: Kernel, args: str) -> str:
    return os.getcwd()


def line_env(kernel: Kernel, args: str) -> Any:
    """``%env``: all variables; ``%env NAME``: one; ``%env NAME=VALUE`` or ``%env NAME VALUE``: set one."""
    args = args.strip()
    if not args:
        return dict(os.environ)
    if "=" in args or " " in args:
        name, _, value = args.replace("=", " ", 1).partition(" ")
        value = value.strip()
        os.environ[name.strip()] = value
        print(f"env: {name.strip()}={value}")
        return None
    if args not in os.environ:
        raise UsageError(f"Environment does not have key: {args}")
    return os.environ[args]


def line_pip(kernel: Kernel, args: str) -> None:
    """``%pip ARGS``: pip of the kernel's own Python."""
    system(kernel, f"{shlex.quote(sys.executable)} -m pip {args}")
    print("Note: you may need to restart the kernel to use updated packages.")


#: conda commands that act on an environment (given ``--prefix`` of the kernel's own unless one is named) and
#: that ask for confirmation (given ``--yes``: the kernel's subprocess has no one to answer), as in IPython
CONDA_PREFIX_COMMANDS = frozenset({"install", "list", "remove", "uninstall", "update", "upgrade"})
CONDA_YES_COMMANDS = frozenset({"install", "remove", "uninstall", "update", "upgrade"})


def line_conda(kernel: Kernel, args: str) -> None:
    """``%conda ARGS``: conda on the kernel's own environment. Outside a conda environment: IPython's
    ValueError, which tells to use ``%pip``."""
    if not os.path.exists(os.path.join(sys.prefix, "conda-meta", "history")):
        raise ValueError(
            "The python kernel does not appear to be a conda environment.  Please use ``%pip install`` instead."
        )
    words = shlex.split(args)
    command, rest = (words[0], words[1:]) if words else ("", [])
    extra: list[str] = []
    if command in CONDA_YES_COMMANDS and not {"-y", "--y", "--yes"} & set(rest):
        extra.append("--yes")
    if command in CONDA_PREFIX_COMMANDS and not {"-p", "--prefix", "-n", "--name"} & set(rest):
        extra += ["--prefix", sys.prefix]
    system(kernel, " ".join(shlex.quote(w) for w in [_conda_executable(), command, *extra, *rest]))
    print("\nNote: you may need to restart the kernel to use updated packages.")


def _conda_executable() -> str:
    """conda as the environment knows it: $CONDA_EXE, conda beside the interpreter, the command recorded in
    the environment's history, else whatever ``conda`` the PATH finds."""
    import re

    exe = os.environ.get("CONDA_EXE")
    if exe and os.path.isfile(exe):
        return os.path.realpath(exe)
    beside = os.path.join(os.path.dirname(sys.executable), "conda")
    if os.path.isfile(beside):
        return beside
    try:
        with open(os.path.join(sys.prefix, "conda-meta", "history"), encoding="utf-8") as f:
            history = f.read()
    except OSError:
        return "conda"
    m = re.search(r"^#\s*cmd:\s*(.*conda)\s(?:create|install)", history, flags=re.MULTILINE)
    return m.group(1) if m else "conda"


def _script(kernel: Kernel, interpreter: str, line: str, body: str) -> None:
    opts, rest = parse_options(line, "", "bg", "proc=", "out=", "err=", "no-raise-error")
    argv = shlex.split(interpreter) + rest
    proc = subprocess.run(argv, input=body.encode(), capture_output=True, check=False)
    out, err = proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")
    ns = kernel.host.executor.ns
    if "out" in opts:
        ns[opts["out"]] = out
    else:
        sys.stdout.write(out)
    if "err" in opts:
        ns[opts["err"]] = err
    else:
        sys.stderr.write(err)
    if proc.returncode != 0 and "no-raise-error" not in opts:
        raise subprocess.CalledProcessError(proc.returncode, body)


def cell_bash(kernel: Kernel, line: str, body: str) -> None:
    _script(kernel, "bash", line, body)


def cell_sh(kernel: Kernel, line: str, body: str) -> None:
    _script(kernel, "sh", line, body)


def cell_perl(kernel: Kernel, line: str, body: str) -> None:
    _script(kernel, "perl", line, body)


def cell_ruby(kernel: Kernel, line: str, body: str) -> None:
    _script(kernel, "ruby", line, body)


def cell_python(kernel: Kernel, line: str, body: str) -> None:
    _script(kernel, shlex.quote(sys.executable), line, body)


cell_python3 = cell_python


def cell_script(kernel: Kernel, line: str, body: str) -> None:
    """``%%script INTERPRETER [options]``."""
    parts = shlex.split(line)
    if not parts:
        raise UsageError("%%script needs the interpreter to run, e.g. %%script bash")
    opts = [p for p in parts[1:]]
    _script(kernel, parts[0], " ".join(shlex.quote(o) for o in opts), body)
