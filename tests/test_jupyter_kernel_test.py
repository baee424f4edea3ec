"""The Jupyter community's conformance suite (jupyter_kernel_test), with every sample filled in."""

from __future__ import annotations

import unittest

import jupyter_kernel_test as jkt

from .conftest import TEST_KERNEL


class IpykernelLiteTests(jkt.KernelTests):
    kernel_name = TEST_KERNEL
    language_name = "python"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_stderr = "import sys; print('test', file=sys.stderr)"
    completion_samples = [
        {"text": "zi", "matches": {"zip"}},
        {"text": "import collections.abc\ncollections.abc.Sequ", "matches": {"Sequence"}},
    ]
    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n  return x*2\n\n\n"]
    incomplete_code_samples = ["print('''hello", "def f(x):\n  x*2", "for i in range(3):"]
    invalid_code_samples = ["import = 7q", "1 +* 2"]
    code_page_something = "print?"
    code_generate_error = "raise Exception('an expected error')"
    code_execute_result = [
        {"code": "1+2+3", "result": "6"},
        {"code": "[n*n for n in range(1, 4)]", "result": "[1, 4, 9]"},
        {"code": "x = 6\nx * 7", "result": "42"},
    ]
    code_display_data = [
        {
            "code": "from ipykernel_lite.display import display\ndisplay({'a': 1}, raw=False)",
            "mime": "text/plain",
        },
        {"code": "class H:\n  def _repr_html_(self): return '<b>x</b>'\ndisplay(H())", "mime": "text/html"},
        {"code": "class P:\n  def _repr_png_(self): return b'\\x89PNG'\ndisplay(P())", "mime": "image/png"},
    ]
    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "zip"
    code_clear_output = "from ipykernel_lite.display import clear_output\nclear_output()"


class IpykernelLiteWelcomeTests(jkt.IopubWelcomeTests):
    kernel_name = TEST_KERNEL
    support_iopub_welcome = True


if __name__ == "__main__":
    unittest.main()
