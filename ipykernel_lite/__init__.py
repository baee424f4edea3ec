"""ipykernel_lite: a small, fast Python kernel and client for editors, speaking Jupyter messaging 5.4.

Importing this package is cheap on purpose: the kernel's start-up path imports only what its first reply
needs. Import the parts you use: ``ipykernel_lite.client``, ``ipykernel_lite.protocol``, ``ipykernel_lite.cells``.
"""

__version__ = "0.1.0"
