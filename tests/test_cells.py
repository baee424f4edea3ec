"""Cells, selections and lines of an editor buffer."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipykernel_lite.cells import (
    Cell,
    cell_at,
    cells_below,
    line_at,
    prepare_selection,
    split_cells,
    split_lines,
)

SCRIPT = """\
import os
x = 1
# %% Load data
data = [1, 2]
#%% [md]
# Some *notes*
## pyzo cell
y = 2
"""


def test_split_cells_lines_titles_and_code() -> None:
    cells = split_cells(SCRIPT)
    assert cells == [
        Cell("", 1, 1, 2, "import os\nx = 1", "code"),
        Cell("# %% Load data", 3, 4, 4, "data = [1, 2]", "code"),
        Cell("#%% [md]", 5, 6, 6, "# Some *notes*", "markdown"),
        # The text ends with a line break, so its last (empty) line belongs to the last cell.
        Cell("## pyzo cell", 7, 8, 9, "y = 2\n", "code"),
    ]


@pytest.mark.parametrize(
    "marker",
    [
        "##",
        "### Title",
        "#%%",
        "# %%",
        "# %% Title",
        "# <codecell>",
        "# In[ ]",
        "# In[12]:",
        "#In[3]",
        "  # %%",
    ],
)
def test_default_markers(marker: str) -> None:
    cells = split_cells(f"a = 1\n{marker}\nb = 2")
    assert [(c.start_line, c.code) for c in cells] == [(1, "a = 1"), (2, "b = 2")]
    assert cells[1].title == marker.strip()


@pytest.mark.parametrize(
    "line", ["# % not a cell", "#x%%", "x = 1  # %%", "# In [3]", "# In[x]", "# codecell"]
)
def test_lines_that_are_not_markers(line: str) -> None:
    assert len(split_cells(f"a = 1\n{line}\nb = 2")) == 1


@pytest.mark.parametrize(
    ("marker", "kind"),
    [
        ("# %% [markdown]", "markdown"),
        ("#%% [md]", "markdown"),
        ("# %% Intro [markdown]", "markdown"),
        ("# %% [raw]", "code"),
        ("## [markdown]", "code"),
    ],
)
def test_markdown_cells(marker: str, kind: str) -> None:
    (cell,) = split_cells(f"{marker}\n# text")
    assert cell.kind == kind


def test_blank_leading_code_is_omitted() -> None:
    cells = split_cells("\n  \n\t\n# %% first\nx = 1")
    assert [c.title for c in cells] == ["# %% first"]
    assert split_cells("") == []
    assert split_cells("\n\n") == []


def test_text_without_markers_is_one_cell() -> None:
    assert split_cells("a = 1\nb = 2") == [Cell("", 1, 1, 2, "a = 1\nb = 2")]


def test_trailing_marker_with_no_code() -> None:
    cells = split_cells("x = 1\n# %% empty")
    assert cells[-1] == Cell("# %% empty", 2, 3, 2, "", "code")
    cells = split_cells("x = 1\n# %% empty\n")
    assert cells[-1] == Cell("# %% empty", 2, 3, 3, "", "code")


def test_crlf_and_lone_cr_give_the_same_cells_as_lf() -> None:
    crlf = split_cells(SCRIPT.replace("\n", "\r\n"))
    cr = split_cells(SCRIPT.replace("\n", "\r"))
    assert crlf == cr == split_cells(SCRIPT)
    assert all("\r" not in c.code and "\r" not in c.title for c in crlf)


def test_only_python_line_breaks_split_lines() -> None:
    # \f, \v and U+2028 are not line ends for Python: line numbers must not move.
    text = "a = '\u2028'\n\x0cb = 1\n# %%\nc = '\x0b'"
    assert split_lines(text) == ["a = '\u2028'", "\x0cb = 1", "# %%", "c = '\x0b'"]
    assert [c.start_line for c in split_cells(text)] == [1, 3]


def test_tabs_and_non_ascii() -> None:
    text = "# %% Données été\ndef f():\n\treturn 'ünï'\n\t# %% 日本語\n\tz = 'π'"
    cells = split_cells(text)
    assert [c.title for c in cells] == ["# %% Données été", "# %% 日本語"]
    assert cells[0].code == "def f():\n\treturn 'ünï'"
    assert cells[1] == Cell("# %% 日本語", 4, 5, 5, "\tz = 'π'")


def test_custom_markers_prefixes_and_regexes() -> None:
    text = "a\n# ---\nb\n#+ cell\nc\n# %%\nd"
    cells = split_cells(text, markers=("# ---", re.compile(r"#\+")))
    assert [c.code for c in cells] == ["a", "b", "c\n# %%\nd"]


def test_cell_at_marker_line_belongs_to_the_cell_it_opens() -> None:
    assert cell_at(SCRIPT, 1).title == ""
    assert cell_at(SCRIPT, 2).title == ""
    assert cell_at(SCRIPT, 3).title == "# %% Load data"
    assert cell_at(SCRIPT, 4).title == "# %% Load data"
    assert cell_at(SCRIPT, 5).kind == "markdown"
    assert cell_at(SCRIPT, 9).title == "## pyzo cell"
    assert cell_at(SCRIPT, 99).title == "## pyzo cell"


def test_cell_at_in_blank_leading_lines_is_an_empty_cell() -> None:
    cell = cell_at("\n\n# %% a\nx = 1", 1)
    assert cell == Cell("", 1, 1, 2, "\n")
    assert not cell.code.strip()
    assert cell_at("", 1) == Cell("", 1, 1, 1, "")


def test_cell_at_rejects_line_zero() -> None:
    with pytest.raises(ValueError):
        cell_at(SCRIPT, 0)
    with pytest.raises(ValueError):
        cells_below(SCRIPT, 0)


def test_cells_below() -> None:
    assert [c.start_line for c in cells_below(SCRIPT, 1)] == [1, 3, 5, 7]
    assert [c.start_line for c in cells_below(SCRIPT, 4)] == [3, 5, 7]
    assert [c.start_line for c in cells_below(SCRIPT, 5)] == [5, 7]
    assert [c.start_line for c in cells_below(SCRIPT, 9)] == [7]
    # In a blank leading region every cell is below.
    assert [c.start_line for c in cells_below("\n\n# %%\na\n# %%\nb", 1)] == [3, 5]


def test_prepare_selection_dedents_and_keeps_blank_lines() -> None:
    text = "def f(x):\n    if x:\n        y = 1\n\n        z = 2\n    print(y)\n"
    code, first = prepare_selection(text, 3, 5)
    assert (code, first) == ("y = 1\n\nz = 2", 3)
    code, first = prepare_selection(text, 2, 6)
    assert first == 2
    assert code == "if x:\n    y = 1\n\n    z = 2\nprint(y)"
    compile(code, "<sel>", "exec")


def test_prepare_selection_with_tabs_and_whitespace_only_lines() -> None:
    text = "class A:\n\tdef f(self):\n\t\tx = 'é'\n\t  \n\t\treturn x\n"
    code, first = prepare_selection(text, 3, 5)
    assert (code, first) == ("x = 'é'\n\nreturn x", 3)
    code, _ = prepare_selection(text, 2, 5)
    assert code == "def f(self):\n\tx = 'é'\n\n\treturn x"
    compile(code, "<sel>", "exec")


def test_prepare_selection_mixed_indent_only_removes_the_shared_part() -> None:
    code, _ = prepare_selection("\t    a = 1\n\t\tb = 2", 1, 2)
    assert code == "    a = 1\n\tb = 2"


def test_prepare_selection_bounds() -> None:
    text = "a = 1\nb = 2"
    assert prepare_selection(text, 2, 10) == ("b = 2", 2)
    assert prepare_selection(text, 5, 6) == ("", 5)
    with pytest.raises(ValueError):
        prepare_selection(text, 2, 1)
    with pytest.raises(ValueError):
        prepare_selection(text, 0, 1)


def test_line_at() -> None:
    text = "def f():\r\n    return 'ü'  # x\r\n"
    assert line_at(text, 2) == ("return 'ü'  # x", 2)
    assert line_at(text, 1) == ("def f():", 1)
    assert line_at(text, 3) == ("", 3)


_lines = st.lists(
    st.one_of(
        st.sampled_from(["# %%", "#%% [md]", "## t", "# In[3]", "", "  ", "x = 1", "\tif y:", "# note"]),
        st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=8),
    ),
    max_size=12,
)


@given(_lines, st.sampled_from(["\n", "\r\n", "\r"]))
def test_cells_tile_the_text(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    all_lines = split_lines(text)
    cells = split_cells(text)
    # Cells are contiguous, in order, and end at the last line.
    if cells:
        assert cells[-1].end_line == len(all_lines)
    for before, after in itertools.pairwise(cells):
        assert after.start_line == before.end_line + 1
    for cell in cells:
        body = all_lines[cell.code_start_line - 1 : cell.end_line]
        assert cell.code == "\n".join(body)
        if cell.title:
            assert cell.code_start_line == cell.start_line + 1
            assert all_lines[cell.start_line - 1].strip() == cell.title
    # Whatever was omitted is the blank code before the first marker.
    first = cells[0].start_line if cells else len(all_lines) + 1
    assert all(not line.strip() for line in all_lines[: first - 1])
    for n in range(1, len(all_lines) + 1):
        cell = cell_at(text, n)
        assert cell.start_line <= n <= cell.end_line
