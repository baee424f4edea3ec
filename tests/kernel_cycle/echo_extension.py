"""A third-party kernel extension, loaded by the kernel from IPYKERNEL_LITE_EXTENSIONS in the tests."""

from __future__ import annotations

from typing import Any

from ipykernel_lite.kernel.extensions import ExtensionHost, KernelExtension


class Echo(KernelExtension):
    name = "echo"
    features = ("echo",)

    def install(self, host: ExtensionHost) -> None:
        self.calls: list[str] = []
        host.handle("echo_request", self.echo, channels=("shell", "control"))
        host.hooks.pre_execute.append(lambda msg: self.calls.append("pre"))
        host.hooks.post_execute.append(lambda: self.calls.append("post"))
        host.add_magic("echo_calls", lambda kernel, args: list(self.calls))
        host.provide("echo", self)

    def echo(self, msg: Any) -> dict[str, Any]:
        return {"status": "ok", "echo": msg.content.get("text"), "services": sorted(["echo"])}

    def kernel_info(self, reply: dict[str, Any]) -> None:
        reply["echo_version"] = 1
