"""An ipykernel_lite kernel inside the caller's process, for embedding and fast tests.

    from ipykernel_lite.inprocess import start_in_process

    kernel, client = start_in_process()
    client.execute("x = 1 + 1")
    kernel.namespace["x"]  # 2
    kernel.shutdown()

The same BlockingClient / AsyncClient API as for a kernel process; limits in docs/inprocess.md.
"""

from .kernel import InProcessKernel, start_in_process

__all__ = ["InProcessKernel", "start_in_process"]
