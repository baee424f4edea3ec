"""Output written below sys.stdout (file descriptors 1 and 2) reaches the client as stream output, on our
kernel and on ipykernel, through jupyter_client and through our client."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .conftest import Runner

# jupyter_client's blocking client leaves its asyncio loop and sockets to the garbage collector (the suite makes
# ResourceWarning an error); what this module opens itself is closed by its fixtures
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def test_os_write_to_fds_1_and_2(runner: Runner) -> None:
    status, streams = runner.run("import os\nos.write(1, b'to fd 1\\n')\nos.write(2, b'to fd 2\\n')")
    assert status == "ok"
    assert "".join(t for n, t in streams if n == "stdout") == "to fd 1\n"
    assert "".join(t for n, t in streams if n == "stderr") == "to fd 2\n"


def test_subprocess_output(runner: Runner) -> None:
    assert runner.text("import subprocess\nsubprocess.run(['echo', 'hi'], check=True)") == "hi\n"
    err = runner.text("import subprocess\nsubprocess.run('echo oops >&2', shell=True, check=True)", "stderr")
    assert err == "oops\n"


def test_c_printf(runner: Runner) -> None:
    code = "import ctypes\nlibc = ctypes.CDLL(None)\nlibc.printf(b'from C %d\\n', 42)\nlibc.fflush(None)"
    assert runner.text(code) == "from C 42\n"


def test_print_and_fd_writes_keep_their_order(runner: Runner) -> None:
    code = (
        "import os, subprocess\nprint('a')\nos.write(1, b'b\\n')\nprint('c')\n"
        "subprocess.run(['echo', 'd'])\nprint('e')"
    )
    text = runner.text(code)
    if runner.kind == "ipykernel":  # ipykernel forwards fd output from its own thread: order is not kept
        assert sorted(text.splitlines()) == ["a", "b", "c", "d", "e"]
    else:
        assert text == "a\nb\nc\nd\ne\n"


def test_interleaved_print_and_fd_writes_keep_their_order_in_a_loop(runner: Runner) -> None:
    # thousands of alternations give the reader thread every chance to be half-way through a read (bytes taken
    # from the pipe, not yet buffered) when the next print checks the pipe
    code = "import os\nfor i in range(3000):\n    os.write(1, b'c%d\\n' % i)\n    print('p%d' % i)"
    text = runner.text(code)
    expected = "".join(f"c{i}\np{i}\n" for i in range(3000))
    if runner.kind == "ipykernel":  # its reader thread splices fd bytes in anywhere, even inside a line
        assert sorted(text) == sorted(expected)
    else:
        assert text == expected


def test_fd_output_belongs_to_the_cell_that_wrote_it(runner: Runner) -> None:
    first = runner.text("import os\nfor i in range(50):\n    os.write(1, b'x' * 99 + b'\\n')")
    assert first == ("x" * 99 + "\n") * 50
    assert runner.text("print('second')") == "second\n", "nothing of the first cell leaked into the second"


def test_subprocess_output_streams_live(runner: Runner, tmp_path: Path) -> None:
    """The child prints, then waits for a file the test creates only after it has *seen* that print: the
    cell can only finish if its output reached the client while it was still running."""
    flag = tmp_path / "seen"
    child = (
        "import os, sys, time\nprint('first', flush=True)\n"
        f"while not os.path.exists({str(flag)!r}):\n    time.sleep(0.01)\nprint('second', flush=True)"
    )
    code = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {child!r}], timeout=60, check=True)"

    def hook(name: str, text: str) -> None:
        if "first" in text:
            flag.touch()

    status, streams = runner.run(code, hook)
    assert status == "ok"
    assert "".join(t for n, t in streams if n == "stdout") == "first\nsecond\n"


def test_large_subprocess_output_arrives_whole(runner: Runner) -> None:
    code = "import subprocess, sys\nsubprocess.run([sys.executable, '-c', 'print(\"y\" * 999999)'])"
    assert runner.text(code) == "y" * 999999 + "\n"


def test_sys_stdout_fileno_is_the_captured_fd(runner: Runner) -> None:
    if runner.kind == "ipykernel":
        pytest.skip("ipykernel's sys.stdout.fileno() is its original stdout (the terminal), by design")
    code = "import subprocess, sys\nsubprocess.run(['echo', 'via fileno'], stdout=sys.stdout)"
    assert runner.text(code) == "via fileno\n"


def test_kernel_log_stays_out_of_the_client(runner: Runner) -> None:
    """The kernel's own log goes to the original stderr (the manager's log file), never to a cell."""
    if runner.kind != "lite" or runner.stack != "ours":
        pytest.skip("reads the log file our KernelManager keeps, of our kernel")
    runner.kc.send("shell", "no_such_request", {})
    # the kernel answers it with an error reply after logging a warning; the next cell is served after it
    assert runner.text("print('next')") == "next\n"
    assert "unknown message type 'no_such_request'" in runner.km.log_tail()
    status, streams = runner.run("pass")
    assert status == "ok" and all("no_such_request" not in t for _, t in streams)


def test_in_process_kernel_leaves_the_host_fds_alone() -> None:
    import os

    from ipykernel_lite.inprocess import start_in_process

    before = [os.fstat(fd) for fd in (1, 2)]
    kernel, client = start_in_process()
    try:
        r = client.execute("print('inside')", timeout=30)
        assert r.stdout == "inside\n"
        after = [os.fstat(fd) for fd in (1, 2)]
        assert [(s.st_dev, s.st_ino) for s in after] == [(s.st_dev, s.st_ino) for s in before]
    finally:
        client.close()
        assert kernel.shutdown(timeout=5)
    assert sys.stdout is not None
