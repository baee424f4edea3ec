"""What only ipykernel_lite can show: lazy loading, tracebacks with the typed text, %autoreload without
IPython, %run and %load_ext with user files, %timeit's figures. A real kernel through our client."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipykernel_lite.client import start_kernel


@pytest.fixture
def kc(tmp_path: Path) -> Iterator[Any]:
    km, client = start_kernel(env={"IPYKERNEL_LITE_WARMUP": "0"}, cwd=str(tmp_path))
    try:
        yield client
    finally:
        client.close()
        km.shutdown()


def loaded(kc: Any, *modules: str) -> list[bool]:
    out = kc.execute(f"import sys\nprint([m in sys.modules for m in {list(modules)!r}])").stdout
    return eval(out)


def test_magics_pretty_printer_and_shell_load_on_first_use(kc: Any) -> None:
    heavy = ("ipykernel_lite.magics.timing", "ipykernel_lite.pretty", "ipykernel_lite.shell.interactive", "IPython",
             "ipykernel_lite.kernel.debugger_run", "pdb")
    assert loaded(kc, *heavy) == [False, False, False, False, False, False]
    assert kc.execute("1 + 1").result["text/plain"] == "2"
    assert loaded(kc, *heavy) == [False, True, False, False, False, False]
    assert kc.execute("type(get_ipython()).__name__").result["text/plain"] == "'ZMQInteractiveShell'"
    kc.execute("%timeit -q -n 1 -r 1 pass")
    # get_ipython() and the magics never import IPython; the debugger's magics (%%debug, %run -d) and pdb load
    # when one of them runs
    assert loaded(kc, *heavy) == [True, True, True, False, False, False]


def test_tracebacks_show_the_typed_text_not_the_rewritten_call(kc: Any) -> None:
    r = kc.execute("x = 1\n%time 1 / 0")
    assert r.error is not None and r.error.ename == "ZeroDivisionError"
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(r.error.traceback))
    assert "%time 1 / 0" in text
    assert "__ipykernel_lite" not in text


def test_unknown_magic_names_it(kc: Any) -> None:
    r = kc.execute("%frobnicate now")
    assert r.status == "error" and r.stderr == "UsageError: Line magic function `%frobnicate` not found.\n"
    # the kernel keeps serving
    assert kc.execute("40 + 2").result["text/plain"] == "42"


def test_timeit_output_and_result(kc: Any) -> None:
    out = kc.execute("%timeit -n 100 -r 3 sum(range(10))").stdout
    assert re.fullmatch(
        r"\d+(\.\d+)? (ns|μs|ms|s) ± \d+(\.\d+)? (ns|μs|ms|s) per loop "
        r"\(mean ± std\. dev\. of 3 runs, 100 loops each\)\n", out
    ), out
    r = kc.execute("res = %timeit -o -q -n 10 -r 2 pass\n"
                   "res.loops, res.repeat, len(res.timings), res.best <= res.worst")
    assert r.result["text/plain"] == "(10, 2, 2, True)"


def test_autoreload_without_ipython_updates_old_objects(kc: Any, tmp_path: Path) -> None:
    mod = tmp_path / "lesson.py"
    mod.write_text("def greet():\n    return 'v1'\n\nclass Thing:\n    def kind(self):\n        return 'old'\n")
    kc.execute("%load_ext autoreload\n%autoreload 2").raise_for_error()
    kc.execute("import sys\nsys.path.insert(0, '.')\nimport lesson\nthing = lesson.Thing()").raise_for_error()
    assert kc.execute("lesson.greet(), thing.kind()").result["text/plain"] == "('v1', 'old')"
    import os

    mod.write_text("def greet():\n    return 'v2'\n\nclass Thing:\n    def kind(self):\n        return 'new'\n")
    st = mod.stat()
    os.utime(mod, (st.st_atime, st.st_mtime + 5))  # a later mtime, whatever the clock's granularity
    assert kc.execute("lesson.greet(), thing.kind()").result["text/plain"] == "('v2', 'new')"
    assert loaded(kc, "IPython") == [False]


def test_run_script_as_main_with_args_and_interactive(kc: Any, tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(textwrap.dedent("""
        import sys
        if __name__ == "__main__":
            print("main", sys.argv[1:], shared if "shared" in globals() else None)
        made = 7
    """))
    r = kc.execute("%run prog.py one two\nmade")
    assert r.stdout == "main ['one', 'two'] None\n" and r.result["text/plain"] == "7"
    r = kc.execute("shared = 'seen'\n%run -i prog.py")
    assert r.stdout == "main [] seen\n"
    r = kc.execute("%run -e prog_missing.py")
    assert r.error is not None and r.error.evalue == "File `'prog_missing.py'` not found."


def test_load_ext_calls_load_ipython_extension_with_our_shell(kc: Any, tmp_path: Path) -> None:
    (tmp_path / "myext.py").write_text(textwrap.dedent("""
        def load_ipython_extension(ip):
            ip.register_magic_function(lambda line: line.upper(), "line", "shout")
            ip.push({"EXT_LOADED": True})

        def unload_ipython_extension(ip):
            ip.user_ns["EXT_LOADED"] = False
    """))
    kc.execute("import sys\nsys.path.insert(0, '.')").raise_for_error()
    assert kc.execute("%load_ext myext").stdout == ""
    assert kc.execute("%shout hello").result["text/plain"] == "'HELLO'"
    assert "already loaded" in kc.execute("%load_ext myext").stdout
    kc.execute("%unload_ext myext").raise_for_error()
    assert kc.execute("EXT_LOADED").result["text/plain"] == "False"


def test_payloads_set_next_input_load_and_ask_exit(kc: Any, tmp_path: Path) -> None:
    (tmp_path / "snippet.py").write_text("a = 1\n")
    assert kc.execute("%load snippet.py").payload == [
        {"source": "set_next_input", "text": "# %load snippet.py\na = 1\n", "replace": True}
    ]
    assert kc.execute("get_ipython().ask_exit()").payload == [{"source": "ask_exit", "keepkernel": False}]
