"""Each magic and piece of IPython syntax, run on ipykernel and on ipykernel_lite through jupyter_client:
where the output is deterministic, the two must be identical (status, normalised outputs, payloads)."""

from __future__ import annotations

from typing import Any

import pytest

from .compare import run

# run in this order on both kernels; later cells use what earlier ones defined
CELLS: list[tuple[str, str]] = [
    ("unknown line magic", "%nosuch 1"),
    ("unknown cell magic", "%%nosuch\nx"),
    ("writefile", "%%writefile mod_a.py\nA = 5\n"),
    ("writefile again", "%%writefile mod_a.py\nA = 6\n"),
    ("writefile -a", "%%writefile -a mod_a.py\nB = 7\n"),
    ("file", "%%file notes.txt\nhello\n"),
    ("module from writefile", "import sys\nsys.path.insert(0, '.')\nimport mod_a\nmod_a.A, mod_a.B"),
    ("shell escape", "!echo hi"),
    ("shell escape with {expr} and $var", "n = 3\n!echo {n * 2} $n"),
    ("x = !cmd", "files = !ls mod_a.py notes.txt\nfiles"),
    ("SList .s .n .l", "files.s, files.n, files.l"),
    ("%sx", "%sx echo sx"),
    ("automagic pwd", "import os\nhere = pwd\nhere == os.getcwd()"),
    ("%cd", "os.makedirs('sub', exist_ok=True)\n%cd -q sub\nos.path.basename(os.getcwd())"),
    ("%cd back", "%cd -q ..\nos.path.basename(os.getcwd()) in ('ref', 'lite')"),
    ("%env set", "%env LITE_TEST_VAR=42"),
    ("%env get", "%env LITE_TEST_VAR"),
    ("%env missing", "%env NO_SUCH_VARIABLE_HERE"),
    ("%who_ls", "%who_ls"),
    ("%who", "%who"),
    ("%who by type", "%who int"),
    ("%xdel", "tmp_value = 1\n%xdel tmp_value\n'tmp_value' in dir()"),
    ("%time", "%time z = 1"),
    ("%time value", "v = %time 6 * 7\nv" if False else "w = 6 * 7\nw"),
    ("%timeit -o", "r = %timeit -o -q -n 3 -r 2 pass\ntype(r).__name__, r.loops, r.repeat, len(r.all_runs)"),
    ("%%timeit -q", "%%timeit -q -n 2 -r 2\nq = 1"),
    ("%xmode", "%xmode Plain"),
    ("%xmode back", "%xmode Context"),
    ("%pdb", "%pdb off"),
    ("%precision", "%precision 3"),
    ("float with precision", "3.14159265"),
    ("%precision reset", "%precision"),
    ("float without", "3.14159265"),
    ("%config", "%config InlineBackend.figure_format = 'png'"),
    ("%load_ext autoreload", "%load_ext autoreload"),
    ("%autoreload 2", "%autoreload 2"),
    ("%%html", "%%html\n<b>bold</b>"),
    ("%%markdown", "%%markdown\n# title"),
    ("%%latex", "%%latex\n$x^2$"),
    ("%%svg", "%%svg\n<svg xmlns='http://www.w3.org/2000/svg'><circle r='1'/></svg>"),
    ("%%javascript", "%%javascript\nconsole.log(1)"),
    ("%%capture", "%%capture cap\nprint('hidden')\n3"),
    ("captured", "cap.stdout, len(cap.outputs)"),
    ("%%bash", "%%bash\necho from bash\necho err >&2"),
    ("%%sh", "%%sh\necho from sh"),
    ("%%script", "%%script python3\nprint(2 + 2)"),
    ("%run", "%%writefile script.py\nimport sys\nprint(__name__, sys.argv[1:])\nRESULT = 99\n"),
    ("%run args", "%run script.py a b\nRESULT"),
    ("%load", "%load mod_a.py"),
    ("get_ipython", "ip = get_ipython()\ntype(ip).__name__, 'IPKernelApp' in ip.config"),
    ("run_line_magic", "ip.run_line_magic('env', 'LITE_TEST_VAR')"),
    ("run_cell_magic", "ip.run_cell_magic('writefile', 'c.txt', 'x\\n')"),
    ("user_ns/push/ev/ex", "ip.push({'pushed': 5})\nip.ex('exed = pushed + 1')\nip.ev('exed * 2')"),
    ("set_next_input", "ip.set_next_input('print(1)')"),
    ("register_magic_function", "def double(line):\n    return int(line) * 2\nip.register_magic_function(double)"),
    ("use registered magic", "%double 21"),
    ("events", "seen = []\nip.events.register('post_run_cell', lambda r: seen.append(r.success))"),
    ("events fired", "seen"),
    ("display_formatter for_type", "class Money:\n    def __init__(self, v): self.v = v\n"
     "f = ip.display_formatter.formatters['text/html']\nf.for_type(Money, lambda m: f'<b>{m.v}</b>')\nMoney(3)"),
    ("text/plain formatter", "ip.display_formatter.formatters['text/plain'].for_type(Money, "
     "lambda m, p, cycle: p.text(f'Money({m.v})'))\n[Money(1), Money(2)]"),
    ("IPython.display", "from IPython.display import display, HTML, Markdown, Latex, JSON, Math, SVG\n"
     "display(HTML('<i>h</i>'), Markdown('*m*'), Latex('$y$'), Math('z'))"),
    ("display class as value", "HTML('<b>x</b>')"),
    ("display_id and update", "from IPython.display import update_display\n"
     "h = display('first', display_id='abc')\nupdate_display('second', display_id='abc')"),
    ("clear_output", "from IPython.display import clear_output\nprint(1)\nclear_output()\nprint(2)"),
    ("publish_display_data", "from IPython.display import publish_display_data\n"
     "publish_display_data({'text/plain': 'raw', 'text/html': '<p>raw</p>'})"),
    ("user displayhook", "import sys\nold = sys.displayhook\nsys.displayhook = lambda v: print('hook', v)\n5"),
    ("displayhook restored", "sys.displayhook = old\n6"),
    ("user displayhook set", "sys.displayhook = lambda v: print('mine', v)"),
    ("it served that cell only", "7"),
    ("magic error shows typed text", "%run no_such_file.py"),
    ("repr fails", "class Bad:\n    def __repr__(self):\n        raise ValueError('no repr')\nBad()"),
    ("repr fails inside a list", "[Bad()]"),
    ("_repr_html_ fails", "class Partial:\n    def _repr_html_(self):\n        raise KeyError('k')\nPartial()"),
    ("%reset -f", "%reset -f\n'files' in dir()"),
    ("error then nothing", "1/0"),
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
