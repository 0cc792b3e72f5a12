"""An HTTP proxy on 127.0.0.1 in front of a real server (plain HTTP), that can answer in the server's place:
429 or 503 with Retry-After, or bytes that are not HTTP. Every request is recorded."""

from __future__ import annotations

import http.client
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from .local_server import LocalServer


@dataclass
class Fault:
    method: str  # "*" for any
    status: int | str  # an HTTP status, or "garbage"
    headers: dict = field(default_factory=dict)


class FaultyProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        proxy = self

        class Handler(_Forwarding):
            owner = proxy

        self.local = LocalServer(Handler)

    @property
    def url(self) -> str:
        return self.local.url

    def fail(self, method: str, status: int | str, times: int = 1, **headers: str) -> None:
        for _ in range(times):
            self.faults.append(Fault(method, status, {k.replace("_", "-"): v for k, v in headers.items()}))

    def close(self) -> None:
        self.local.stop()


class _Forwarding(BaseHTTPRequestHandler):
    owner: FaultyProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.owner.requests.append((self.command, self.path))
        fault = next((f for f in self.owner.faults if f.method in ("*", self.command)), None)
        if fault is not None:
            self.owner.faults.remove(fault)
            if fault.status == "garbage":
                self.wfile.write(b"\x00\xffthis is not HTTP\r\n\r\n")
                self.close_connection = True
                return
            self.send_response(int(fault.status))
            for name, value in fault.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        upstream = http.client.HTTPConnection("127.0.0.1", self.owner.upstream_port, timeout=30)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            content = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
        finally:
            upstream.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_OPTIONS = do_HEAD = _handle
    do_PROPFIND = do_PROPPATCH = do_REPORT = do_MKCALENDAR = do_MKCOL = _handle
