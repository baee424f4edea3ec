"""The kernel REST API of Jupyter Server (also served by Kernel Gateway and Enterprise Gateway).

Plain ``urllib``: a handful of small JSON requests need no HTTP library. Token auth (``Authorization: token``),
TLS verified against the system store or a CA file, extra headers (a JupyterHub token, a proxy's cookie), and
never an environment proxy for loopback.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from .errors import KernelNotFound, KernelStartFailed, ServerAuthError, ServerError, ServerUnreachable

#: seconds for ordinary requests; starting a kernel gets ``start_timeout`` (a remote host may be slow)
REQUEST_TIMEOUT = 30.0


@dataclass
class ServerAuth:
    """How to reach and authenticate to one server."""

    url: str
    token: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    ca_file: str | None = None
    #: False only for a self-signed server you trust by other means; the default verifies
    verify: bool = True

    def __post_init__(self) -> None:
        parsed = urllib.parse.urlsplit(self.url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"server URL must be http(s)://host[:port][/base]; got {self.url!r}")
        self.url = self.url.rstrip("/")

    @property
    def secure(self) -> bool:
        return self.url.startswith("https:")

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.secure:
            return None
        ctx = ssl.create_default_context(cafile=self.ca_file)
        if not self.verify:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        return ctx

    def all_headers(self) -> dict[str, str]:
        h = dict(self.headers)
        if self.token:
            h.setdefault("Authorization", f"token {self.token}")
        return h

    def ws_url(self, path: str) -> str:
        base = "wss" + self.url[5:] if self.secure else "ws" + self.url[4:]
        return base + path


class RestClient:
    """JSON over HTTP against one server; every failure becomes a ``ServerError`` subclass."""

    def __init__(self, auth: ServerAuth) -> None:
        self.auth = auth
        handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
        ctx = auth.ssl_context()
        if ctx is not None:
            handlers.append(urllib.request.HTTPSHandler(context=ctx))
        self._opener = urllib.request.build_opener(*handlers)

    def call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        timeout: float = REQUEST_TIMEOUT,
        what: str = "",
    ) -> Any:
        url = self.auth.url + path
        data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
        req = urllib.request.Request(url, data=data, method=method)
        for k, v in self.auth.all_headers().items():
            req.add_header(k, v)
        req.add_header("Content-Type", "application/json")
        try:
            with self._opener.open(req, timeout=timeout) as r:
                raw = r.read()
        except urllib.error.HTTPError as e:
            raise _http_error(e, method, url, what) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise ServerUnreachable(f"cannot reach {self.auth.url}: {reason}", url=url) from None
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise ServerError(f"{method} {url}: the answer is not JSON (is this a Jupyter server?)", url=url) from None


def _http_error(e: urllib.error.HTTPError, method: str, url: str, what: str) -> ServerError:
    try:
        detail = e.read().decode(errors="replace")
        e.close()
        parsed = json.loads(detail)
        if isinstance(parsed, dict):
            detail = str(parsed.get("message") or parsed.get("reason") or detail)
    except (ValueError, OSError):
        detail = e.reason if isinstance(e.reason, str) else ""
    detail = detail.strip()[:500]
    code = e.code
    if code in (401, 403):
        # 401/403 also come from authorization rules (Enterprise Gateway refuses some users): show the reason
        hint = "check the token" if code == 401 else "check the token and the server's permissions"
        return ServerAuthError(
            f"{method} {url}: the server refused our credentials ({code}: {detail or e.reason}); {hint}",
            status=code,
            url=url,
        )
    if code == 404:
        return KernelNotFound(f"{what or url}: not found on the server ({detail or 404})", status=code, url=url)
    if code >= 500 and method == "POST" and what.startswith("starting"):
        return KernelStartFailed(f"{what} failed on the server ({code}): {detail}", status=code, url=url)
    return ServerError(f"{method} {url} failed ({code}): {detail}", status=code, url=url)
