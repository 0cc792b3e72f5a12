"""Serving the page: werkzeug's WSGI server on 127.0.0.1 only, one thread per request, quiet in the terminal."""

from __future__ import annotations

import socket
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import create_app
from .security import Gate
from .site import Site

HOST = "127.0.0.1"  # this machine only: never another interface


class QuietHandler(WSGIRequestHandler):
    """Requests are not written to the terminal (an address may carry the sign-in token)."""

    def log_request(self, _code: int | str = "-", _size: int | str = "-") -> None:
        return None


class Served:
    """The page being served: its server, where it listens, and the addresses that sign a browser in."""

    def __init__(self, site: Site, port: int = 0) -> None:
        """Listen on `port` (0: a free one); OSError when it cannot be had."""
        self.gate = Gate()
        # The socket is bound here, so a port in use is an OSError to report (werkzeug would exit the process).
        with socket.create_server((HOST, port)) as listening:
            self.server: BaseWSGIServer = make_server(
                HOST,
                listening.getsockname()[1],
                _not_ready,
                threaded=True,
                request_handler=QuietHandler,
                fd=listening.fileno(),  # werkzeug serves a duplicate of it
            )
        site.port = self.server.port
        self.site = site
        self.server.app = create_app(site, self.gate)

    @property
    def port(self) -> int:
        return self.site.port

    @property
    def address(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def sign_in_address(self) -> str:
        """The page's address with a new one-time token."""
        return f"{self.address}?token={self.gate.issue()}"

    def serve(self) -> None:
        """Until Ctrl-C (werkzeug stops on it quietly; it is raised again for the command's exit status 130)."""
        self.server.serve_forever()
        raise KeyboardInterrupt

    def serve_in_background(self) -> None:
        """For tests and embedding: serve from a thread until `stop`."""
        import threading

        threading.Thread(target=self.server.serve_forever, args=(0.05,), name="callfirst-web", daemon=True).start()

    def stop(self) -> None:
        """Stop serving from the thread, and close."""
        self.server.shutdown()
        self.close()

    def close(self) -> None:
        self.server.server_close()


def _not_ready(_environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]
