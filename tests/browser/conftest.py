"""JupyterLab on 127.0.0.1 (random port, token) with our kernelspec, and headless Debian chromium driven by
Playwright. Select these tests with ``-m browser``; they skip when chromium, Playwright or JupyterLab is missing.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives JupyterLab in headless chromium (slow, needs chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Lab:
    def __init__(self, url: str, token: str, root: Path) -> None:
        self.url, self.token, self.root = url, token, root

    def open_url(self, path: str) -> str:
        return f"{self.url}/lab/tree/{path}?token={self.token}"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    pytest.importorskip("jupyterlab")
    pytest.importorskip("ipywidgets")
    root = tmp_path_factory.mktemp("lab")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ)  # JUPYTER_PATH names our test kernelspec (tests/conftest.py)
    env["JUPYTER_CONFIG_DIR"] = str(root / ".config")
    env["JUPYTER_RUNTIME_DIR"] = str(root / ".runtime")
    env["MPLCONFIGDIR"] = str(root / ".mpl")
    # no "get notified about Jupyter news?" toast over the screenshot
    notification = root / ".settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text('{"fetchNews": "false"}')
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         f"--LabApp.workspaces_dir={root / '.ws'}", f"--LabApp.user_settings_dir={root / '.settings'}",
         "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=root,
    )
    up = threading.Event()
    lines: list[str] = []
    # the server says where it listens once it serves: wait for that line (no polling)
    reader = threading.Thread(target=_read_log, args=(proc, root / "lab.log", lines, up), daemon=True)
    reader.start()
    try:
        if not up.wait(120) or not any("is running at" in line for line in lines):
            raise RuntimeError("jupyter lab did not start:\n" + "".join(lines[-40:]))
        yield Lab(f"http://127.0.0.1:{port}", token, root)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(10)
        if proc.stdout is not None:
            proc.stdout.close()


def _read_log(proc: subprocess.Popen[bytes], path: Path, lines: list[str], up: threading.Event) -> None:
    assert proc.stdout is not None
    with open(path, "w") as log:
        for raw in proc.stdout:
            line = raw.decode(errors="replace")
            lines.append(line)
            log.write(line)
            log.flush()
            if "is running at" in line:
                up.set()
    up.set()  # the server exited: let the fixture fail with its output


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()
