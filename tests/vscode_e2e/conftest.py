"""Real VS Code for the extension's end-to-end tests: code-server (VS Code in a browser) with the packaged .vsix
installed, driven by Playwright with Debian's chromium.

Needs, else the tests skip with the reason:
- code-server 4.100.3: ``IPYKERNEL_LITE_CODE_SERVER`` (its executable; the workplace's
  ``shared/tools/install-code-server.sh DIR`` installs it from npm without other downloads and prints it, which is
  what ``.ci/run`` does), else ``code-server`` on PATH;
- chromium: ``IPYKERNEL_LITE_CHROMIUM``, else ``/usr/bin/chromium``; Playwright for Python (never downloads a
  browser here: it launches that executable);
- node and npm, to build the .vsix (``npx @vscode/vsce package``), unless ``IPYKERNEL_LITE_VSIX`` names one.

Select them with ``-m vscode_e2e``. Screenshots go to ``IPYKERNEL_LITE_SCREENSHOTS`` (e.g. ``docs/img``) when set.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "adapters" / "vscode"
LISTENING = re.compile(r"HTTP server listening on (http://127\.0\.0\.1:\d+/)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "vscode_e2e: the VS Code extension in real VS Code (code-server + chromium)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "vscode_e2e" in item.nodeid:
            item.add_marker(pytest.mark.vscode_e2e)


def _code_server() -> str:
    found = os.environ.get("IPYKERNEL_LITE_CODE_SERVER") or shutil.which("code-server")
    if not found:
        pytest.skip("no code-server: set IPYKERNEL_LITE_CODE_SERVER (install-code-server.sh prints the path)")
    return found


def _chromium() -> str:
    path = os.environ.get("IPYKERNEL_LITE_CHROMIUM", "/usr/bin/chromium")
    if not os.access(path, os.X_OK):
        pytest.skip(f"no chromium at {path} (apt-get install chromium)")
    return path


def _vsix(tmp: Path) -> Path:
    given = os.environ.get("IPYKERNEL_LITE_VSIX")
    if given:
        return Path(given)
    if not shutil.which("npm"):
        pytest.skip("no npm to package the extension")
    if not (EXTENSION / "node_modules" / "@vscode" / "vsce").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=EXTENSION, check=True, capture_output=True)
    out = tmp / "ipykernel-lite-vscode.vsix"
    # vscode:prepublish compiles with tsc first, as from a clean checkout
    subprocess.run(
        ["npx", "@vscode/vsce", "package", "--no-dependencies", "-o", str(out)],
        cwd=EXTENSION,
        check=True,
        capture_output=True,
    )
    return out


@dataclass
class CodeServer:
    url: str
    workspace: Path
    log: Path


@pytest.fixture(scope="session")
def code_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CodeServer]:
    binary = _code_server()
    tmp = tmp_path_factory.mktemp("vscode")
    user_data, extensions, workspace = tmp / "user-data", tmp / "extensions", tmp / "workspace"
    for d in (user_data / "User", extensions, workspace):
        d.mkdir(parents=True)
    vsix = _vsix(tmp)
    base = [binary, "--user-data-dir", str(user_data), "--extensions-dir", str(extensions)]
    subprocess.run([*base, "--install-extension", str(vsix)], check=True, capture_output=True, timeout=120)
    settings = {
        "ipykernelLite.python": sys.executable,
        "workbench.startupEditor": "none",
        "security.workspace.trust.enabled": False,
        "telemetry.telemetryLevel": "off",
        "extensions.autoUpdate": False,
        "extensions.autoCheckUpdates": False,
        "update.mode": "none",
        "workbench.tips.enabled": False,
        "editor.minimap.enabled": False,
        # the tests type code: keep the editor from adding brackets, quotes and indentation of its own
        "editor.autoClosingBrackets": "never",
        "editor.autoClosingQuotes": "never",
        "editor.autoIndent": "none",
        "editor.acceptSuggestionOnEnter": "off",
        "editor.quickSuggestions": {"other": False, "comments": False, "strings": False},
        "editor.suggestOnTriggerCharacters": False,
    }
    (user_data / "User" / "settings.json").write_text(json.dumps(settings))
    (tmp / "config.yaml").write_text("bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n")
    log = tmp / "code-server.log"
    env = dict(os.environ)  # PYTHONPATH (tests/conftest.py) reaches the bridge through the extension host
    proc = subprocess.Popen(
        [
            *base,
            "--config",
            str(tmp / "config.yaml"),
            "--bind-addr",
            "127.0.0.1:0",  # a free port; the log line names it
            "--auth",
            "none",
            "--disable-telemetry",
            "--disable-update-check",
            "--disable-workspace-trust",
            str(workspace),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,  # its extension host, our bridge and kernel: one process group to stop
    )
    assert proc.stdout is not None
    stdout = proc.stdout
    drain: threading.Thread | None = None
    try:
        url = None
        seen: list[bytes] = []
        for line in stdout:  # ends when code-server exits
            seen.append(line)
            m = LISTENING.search(line.decode(errors="replace"))
            if m:
                url = m[1]
                break
        if url is None:
            pytest.fail("code-server did not start:\n" + b"".join(seen).decode(errors="replace"))
        # keep draining its output into the log, so that it never blocks on a full pipe
        drain = threading.Thread(target=_copy, args=(stdout, log, b"".join(seen)), daemon=True)
        drain.start()
        yield CodeServer(url, workspace, log)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        if drain is not None:
            drain.join(10)  # the group is gone: the pipe is at its end
        stdout.close()


def _copy(stream: Any, log: Path, head: bytes) -> None:
    with open(log, "wb") as out:
        out.write(head)
        for line in stream:
            out.write(line)
            out.flush()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    chromium = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()


def screenshot(page: Any, name: str, **kwargs: Any) -> None:
    folder = os.environ.get("IPYKERNEL_LITE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), **kwargs)
