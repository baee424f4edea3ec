"""%gui asyncio: the kernel's loop runs between cells, and top-level await uses that same loop."""

from __future__ import annotations

from gui_kernels import GuiKernel, active_gui, stream_text, wait_printed

TASK = """
import asyncio
async def ticker():
    while True:
        print("tick", flush=True)
        await asyncio.sleep(0.02)
task = asyncio.ensure_future(ticker())
"""


def test_task_from_one_cell_progresses_before_the_next(kernel: GuiKernel) -> None:
    assert kernel.request("gui_request", {"gui": "asyncio"})["content"]["gui"] == "asyncio"
    kernel.execute(TASK)
    wait_printed(kernel, "tick", 5, timeout=10, start=len(kernel.iopub))
    assert kernel.value("task.done()") == "False"
    # top-level await runs on the loop the task lives on
    assert kernel.value("await asyncio.sleep(0)\nsame = asyncio.get_running_loop() is task.get_loop()\n"
                        "same") == "True"
    kernel.execute("task.cancel()")


def test_asyncio_run_uses_the_kernel_loop(kernel: GuiKernel) -> None:
    kernel.execute("%gui asyncio")
    kernel.execute(TASK.replace("task = asyncio.ensure_future(ticker())", ""))
    code = (
        "async def main():\n"
        "    global background\n"
        "    background = asyncio.get_running_loop().create_task(ticker())\n"
        "    return 42\n"
        "print('result', asyncio.run(main()))"
    )
    _, outputs = kernel.execute(code)
    assert "result 42" in stream_text(outputs)
    # what the script started outlives asyncio.run: it keeps running between cells
    wait_printed(kernel, "tick", 3, timeout=10, start=len(kernel.iopub))
    # inside an await cell the loop is busy: asyncio.run schedules and returns the task
    _, outputs = kernel.execute("t = asyncio.run(main())\nawait asyncio.sleep(0)\nprint(type(t).__name__)")
    assert "Task" in stream_text(outputs)
    assert "asyncio.run() scheduled the coroutine" in stream_text(outputs, "stderr")
    kernel.execute("background.cancel()")


def test_gui_none_puts_asyncio_run_back(kernel: GuiKernel) -> None:
    kernel.execute("%gui asyncio")
    kernel.execute("%gui none")
    _, outputs = kernel.execute("import asyncio\nasync def f():\n    return asyncio.get_running_loop()\n"
                                "loop = asyncio.run(f())\nprint(loop.is_closed())")
    assert stream_text(outputs) == "True\n"  # the standard asyncio.run closes its own loop


def test_interrupts_with_asyncio_active(kernel: GuiKernel) -> None:
    kernel.execute("%gui asyncio")
    kernel.execute(TASK)
    for _ in range(2):  # while idle in the loop: nothing to interrupt, nothing breaks
        assert kernel.interrupt()["content"]["status"] == "ok"
    start = len(kernel.iopub)
    msg_id = kernel.send_execute("print('started', flush=True)\nawait asyncio.sleep(60)")
    wait_printed(kernel, "started", 1, timeout=10, start=start)
    kernel.interrupt()
    reply, _ = kernel.finish(msg_id, timeout=10)
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    # the interrupted cell's coroutine was cancelled; the task from the earlier cell was not
    wait_printed(kernel, "tick", 3, timeout=10, start=len(kernel.iopub))
    assert kernel.value("task.done()") == "False"


def test_loop_runs_while_waiting_for_input(kernel: GuiKernel) -> None:
    kernel.execute("%gui asyncio")
    kernel.execute(TASK)
    msg_id = kernel.send_execute("answer = input('? ')", allow_stdin=True)
    assert kernel.client.get_stdin_msg(timeout=10)["msg_type"] == "input_request"
    wait_printed(kernel, "tick", 3, timeout=10, start=len(kernel.iopub))
    kernel.client.input("yes")
    reply, _ = kernel.finish(msg_id)
    assert reply["content"]["status"] == "ok"


def test_a_broken_loop_falls_back_to_socket_waiting(kernel: GuiKernel) -> None:
    kernel.execute("%gui asyncio")
    start = len(kernel.iopub)
    kernel.execute("import asyncio\nasyncio.get_event_loop().close()")
    # the next idle wait fails inside the toolkit; the kernel switches it off and keeps serving (a request
    # that is already waiting is served first: the failure shows once the kernel is really idle)
    assert kernel.value("6 * 7") == "42"
    wait_printed(kernel, "event loop failed and was switched off", 1, timeout=30, start=start, name="stderr")
    assert active_gui(kernel) is None
    assert "event loop failed and was switched off" in "".join(
        m["content"]["text"] for m in kernel.iopub if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
    assert kernel.value("asyncio.run.__module__") == "'asyncio.runners'"  # its patch was taken back
    assert kernel.request("gui_request", {"gui": "asyncio"})["content"]["gui"] == "asyncio"
    assert kernel.value("await asyncio.sleep(0, 'again')") == "'again'"
