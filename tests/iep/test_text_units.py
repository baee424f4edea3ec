"""The adapter's pure parts: ANSI parsing, locations in output, history, run requests, calltip helpers."""

from __future__ import annotations

from adapters.iep.actions import cell_request, file_request, selection_request
from adapters.iep.ansi import PLAIN, AnsiParser, Style, color_rgb, parse_ansi, strip_ansi
from adapters.iep.calltip import calltip_html, open_call
from adapters.iep.history import InputHistory
from adapters.iep.locations import find_locations, parse_href

# --- ANSI ------------------------------------------------------------------------------------------------


def test_ansi_traceback_colours_as_the_kernel_sends_them() -> None:
    line = '  File "\x1b[0;32m/p/a.py\x1b[0m", line \x1b[1;32m8\x1b[0m, in \x1b[0;36m<module>\x1b[0m'
    spans = parse_ansi(line)
    assert "".join(t for t, _ in spans) == '  File "/p/a.py", line 8, in <module>'
    assert ("/p/a.py", Style(fg=2)) in spans
    assert ("8", Style(fg=2, bold=True)) in spans
    assert ("<module>", Style(fg=6)) in spans
    assert spans[0] == ('  File "', PLAIN)


def test_ansi_state_and_split_escapes_carry_across_chunks() -> None:
    p = AnsiParser()
    assert p.feed("a\x1b[3") == [("a", PLAIN)]  # the escape is held back, not shown
    assert p.feed("1mred") == [("red", Style(fg=1))]
    assert p.feed(" still") == [(" still", Style(fg=1))]  # a colour stays on until reset
    assert p.feed("\x1b[m plain") == [(" plain", PLAIN)]  # ESC[m is a reset
    assert p.feed("\x1b[1;4;7m") == []
    assert p.style == Style(bold=True, underline=True, inverse=True)
    assert p.feed("\x1b[22;24;27mx") == [("x", PLAIN)]


def test_ansi_extended_colours_and_other_sequences() -> None:
    spans = parse_ansi("\x1b[38;5;196mA\x1b[48;2;1;2;3mB\x1b[39;49m\x1b[2KC\x1b]0;title\x07D\x1b[95mE")
    assert spans == [
        ("A", Style(fg=196)),
        ("B", Style(fg=196, bg=(1, 2, 3))),
        ("CD", PLAIN),  # erase-line and the window title are dropped, not shown
        ("E", Style(fg=13)),
    ]
    assert color_rgb(196) == (255, 0, 0)
    assert color_rgb(232) == (8, 8, 8)
    assert color_rgb((1, 2, 3)) == (1, 2, 3)
    assert strip_ansi("\x1b[0;31mZeroDivisionError\x1b[0m: x") == "ZeroDivisionError: x"
    # a stream that ends inside an escape: the text is not lost
    p = AnsiParser()
    assert p.feed("x\x1b") == [("x", PLAIN)]
    assert p.flush() == []


# --- locations -------------------------------------------------------------------------------------------


def test_locations_in_tracebacks_pdb_and_warnings() -> None:
    text = (
        "Traceback (most recent call last):\n"
        '  File "/home/ada/my file.py", line 12, in <module>\n'
        "> /home/ada/shapes.py(3)area()\n"
        "/home/ada/w.py:7: UserWarning: careful\n"
        "nothing here: line 5\n"
    )
    locs = find_locations(text)
    assert [(loc.path, loc.line) for loc in locs] == [
        ("/home/ada/my file.py", 12),
        ("/home/ada/shapes.py", 3),
        ("/home/ada/w.py", 7),
    ]
    assert text[locs[0].start : locs[0].end] == 'File "/home/ada/my file.py", line 12'
    assert text[locs[1].start : locs[1].end] == "/home/ada/shapes.py(3)"
    for loc in locs:
        assert parse_href(loc.href()) == (loc.path, loc.line)
    assert parse_href("https://example.org") is None
    assert parse_href("iep-location:x:/a") is None


def test_unsaved_buffer_names_are_locations_too() -> None:
    (loc,) = find_locations('  File "untitled-1", line 4, in greet')
    assert (loc.path, loc.line) == ("untitled-1", 4)


# --- history ---------------------------------------------------------------------------------------------


def test_history_walks_entries_with_the_typed_prefix() -> None:
    h = InputHistory(max_entries=3)
    for entry in ("import os", "x = 1", "x = 1", "print(x)", "   "):
        h.add(entry)
    assert h.entries == ["import os", "x = 1", "print(x)"]
    assert h.older("") == "print(x)"
    assert h.older("") == "x = 1"
    assert h.newer() == "print(x)"
    assert h.newer() == ""  # past the newest: back to what was typed
    assert not h.walking
    assert h.older("x") == "x = 1"  # only entries starting with "x"
    assert h.older("x") is None
    h.add("y")
    assert h.entries == ["x = 1", "print(x)", "y"]  # the oldest fell off


# --- run requests ----------------------------------------------------------------------------------------

BUFFER = """import math

## Setup
radius = 2.0

## Area
area = math.pi * radius ** 2
ratio = area / (radius - 2.0)

# %% [markdown]
# Notes.
"""


def test_cell_request_sends_the_cell_with_its_buffer_line() -> None:
    r = cell_request(BUFFER, 8, "/p/circle.py")
    assert r.code == "area = math.pi * radius ** 2\nratio = area / (radius - 2.0)\n"
    assert r.origin == {"path": "/p/circle.py", "line": 7, "cell": "## Area"}
    assert not r.post_mortem
    assert r.label == "[run cell '## Area' of circle.py, line 7]"
    assert r.next_line == 10  # the markdown cell's marker
    d = cell_request(BUFFER, 6, "/p/circle.py", debug=True)
    assert d.post_mortem and d.code == r.code and d.label.startswith("[debug cell")
    assert cell_request(BUFFER, 11, "/p/circle.py").empty  # markdown is not run
    assert cell_request(BUFFER, 1, "/p/circle.py").origin["cell"] is None


def test_selection_and_file_requests() -> None:
    source = "for p in paths:\n    size = os.path.getsize(p)\n    print(p, size)\n"
    r = selection_request(source, 2, 3, "untitled-1")
    assert r.code == "size = os.path.getsize(p)\nprint(p, size)"
    assert r.origin == {"path": "untitled-1", "line": 2, "cell": None}
    assert r.label == "[run lines 2-3 of untitled-1]"
    f = file_request(BUFFER, "/p/circle.py", ["--n", "3"])
    assert f.code == BUFFER
    assert f.origin == {"path": "/p/circle.py", "line": 1, "cell": None, "as_main": True, "cwd": True,
                        "argv": ["--n", "3"]}  # fmt: skip


# --- calltip helpers -------------------------------------------------------------------------------------


def test_open_call_skips_strings_comments_and_closed_calls() -> None:
    assert open_call("divmod(")
    assert open_call("f(a, [1, 2")
    assert open_call("f(g(x), ")
    assert not open_call("f(x)")
    assert not open_call("x = '('")
    assert not open_call("x = 1  # f(")
    assert open_call('print("a)b", ')
    assert not open_call("[1, 2")
    assert open_call('f("""\n)""", ')


def test_calltip_html_bolds_the_active_parameter() -> None:
    tip = {"signature": "join(a, *p)", "name": "join", "params": ["a", "*p"], "active_param": 1,
           "doc": "Join <paths>."}  # fmt: skip
    html = calltip_html(tip)
    assert "join(a, <b><u>*p</u></b>)" in html
    assert "Join &lt;paths&gt;." in html
    assert calltip_html({"signature": "f(...)", "name": "f", "params": []}) == "<code>f(...)</code>"
