"""Libraries that probe get_ipython() or publish rich output (sympy, matplotlib, pandas, tqdm), run on
ipykernel and on ipykernel_lite through jupyter_client: the outputs must be identical (images by type)."""

from __future__ import annotations

from typing import Any

import pytest

from .compare import run

pytest.importorskip("sympy")
pytest.importorskip("matplotlib")
pytest.importorskip("pandas")

CELLS: list[tuple[str, str]] = [
    ("sympy init_printing", "import sympy as sp\nsp.init_printing()\nx, y = sp.symbols('x y')\n(x + sp.pi)**2"),
    ("sympy matrix", "sp.Matrix([[x, 1], [0, y]])"),
    ("sympy list", "[sp.sqrt(x), sp.Rational(1, 3)]"),
    ("sympy display", "from IPython.display import display\ndisplay(sp.Integral(sp.exp(-x**2), x))"),
    ("matplotlib inline", "%matplotlib inline\nimport matplotlib.pyplot as plt"),
    ("figure shown after the cell", "plt.plot([1, 2, 3]);"),
    ("empty figure: text only", "plt.figure()"),
    ("figure with only text", "fig = plt.figure()\nfig.text(0.5, 0.5, 'only text')"),
    ("figure as value", "fig, ax = plt.subplots()\nax.plot([1, 2])\nfig"),
    ("figure then error", "plt.plot([3, 2, 1])\n1/0"),
    ("plain after", "print('still here')"),
    ("pandas frame", "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})\ndf"),
    ("pandas series", "df['a']"),
    ("pandas frontend probe", "from pandas.io.formats.console import in_ipython_frontend\nin_ipython_frontend()"),
    ("pandas display", "display(df.head(1))"),
    ("numpy", "import numpy as np\nnp.arange(30).reshape(3, 10)"),
    ("types and default reprs", "class Thing: pass\n[int, Thing, Thing.__name__, len]"),
    ("long list wraps", "list(range(40))"),
    ("nested dict wraps", "{i: list(range(i)) for i in range(8)}"),
]


@pytest.fixture(scope="module")
def results(both: tuple[Any, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    ref, lite = both
    return {name: (run(ref, code), run(lite, code)) for name, code in CELLS}


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", [n for n, _ in CELLS])
def test_same_as_ipykernel(results: dict[str, Any], name: str) -> None:
    ref, lite = results[name]
    assert lite == ref


DRAW_ERROR = "fig, ax = plt.subplots()\nax.set_title(r'$\\frac{1$')"


def test_error_while_drawing_after_the_cell_is_an_error_output(results: dict[str, Any], both: Any) -> None:
    """ipykernel reports it twice (matplotlib's draw callback, then the inline flush); we draw once, so one
    error output, then the figure as text; the cell itself succeeded."""
    ref, lite = both
    expected = run(ref, DRAW_ERROR)
    got = run(lite, DRAW_ERROR)
    assert got["status"] == expected["status"] == "ok"
    ref_errors = [o for o in expected["outputs"] if o[0] == "error"]
    errors = [o for o in got["outputs"] if o[0] == "error"]
    assert len(errors) == 1 and errors[0] == ref_errors[-1]
    assert got["outputs"][0] == expected["outputs"][0]  # the Text value
    figure_as_text = ("display_data", {"text/plain": "<Figure size 640x… with 1 Axes>"})
    assert got["outputs"][-1] == expected["outputs"][-1] == figure_as_text
