"""The bridge's remote-kernel models: which Jupyter server a ``start`` runs or attaches the kernel on, and
``server_kernels``, which lists what the server offers (docs/remote.md)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .schema_base import BridgeModel


class ServerAccess(BridgeModel):
    """How to reach a Jupyter Server / Kernel Gateway / Enterprise Gateway."""

    url: str = Field(description="The server's base URL, http(s)://host:port[/base].")
    token: str | None = Field(default=None, description="The server's token (sent as 'Authorization: token').")
    headers: dict[str, str] | None = Field(default=None, description="Extra HTTP headers (a JupyterHub token).")
    ca_file: str | None = Field(default=None, description="CA bundle to verify an https server against.")


class ServerParams(ServerAccess):
    """A server to run the kernel on: a new kernel of ``kernel_name``, or the running kernel ``kernel_id``."""

    kernel_name: str | None = Field(default=None, description="Kernelspec to start there; default: the server's.")
    kernel_id: str | None = Field(
        default=None,
        description="Attach to this kernel, which the server already runs (see server_kernels), instead of "
        "starting one. shutdown then only detaches: the kernel keeps running on the server.",
    )


class ServerKernelsParams(ServerAccess):
    """What the server offers: its running kernels (to attach to) and its kernelspecs (to start)."""

    timeout: float = Field(default=30.0, gt=0, description="Seconds for each request to the server.")


class ServerKernel(BridgeModel):
    """A kernel the server runs (its REST model, the fields every server has)."""

    id: str
    name: str = Field(description="Its kernelspec.")
    execution_state: str | None = Field(default=None, description="'idle', 'busy', 'starting', 'dead'…")
    connections: int | None = Field(default=None, description="Websockets open on it (clients attached).")
    last_activity: str | None = None


class ServerKernelsResult(BridgeModel):
    kernels: list[ServerKernel] = Field(
        description="The running kernels; empty when the server does not list them (Kernel Gateway without "
        "list_kernels, see listed)."
    )
    listed: bool = Field(description="False when the server refused to list its kernels.")
    kernelspecs: dict[str, dict[str, Any]] = Field(description="name: the kernelspec (display_name, language…).")
    default: str | None = Field(description="The kernelspec the server starts when none is named.")
