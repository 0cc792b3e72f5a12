"""The web page for tests: served from a thread on a free port of 127.0.0.1 over a test's user folder, and a
plain HTTP client that sets every header itself (Host, Origin, Cookie), for the security tests."""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from callfirst.web.server import Served
from callfirst.web.site import Site

from .helpers import make_env

# The bundled invitation's interview is on Wednesday 2 December 2026 at 10:00 in New York.
NOW = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
INVITE = Path(__file__).parent.parent / "examples" / "invite.eml"


@contextmanager
def running_page(
    home: Path, sources: Sequence[str | Path] = (), now: datetime = NOW, **env_changes
) -> Iterator[Served]:
    env = make_env(home, clock=lambda: now, **env_changes)
    served = Served(Site(env, tuple(str(s) for s in sources)))
    served.serve_in_background()
    try:
        yield served
    finally:
        served.stop()


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


class Client:
    """One browser's worth of state (its cookie), with nothing added that a test does not ask for."""

    def __init__(self, served: Served) -> None:
        self.served = served
        self.port = served.port
        self.cookie = ""

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict | list | None = None,
        host: str | None = None,
        origin: str | None = "same",
        headers: dict[str, str] | None = None,
    ) -> Reply:
        sent = {"Host": f"127.0.0.1:{self.port}" if host is None else host, **(headers or {})}
        if self.cookie:
            sent["Cookie"] = self.cookie
        if origin == "same":
            origin = self.origin if method != "GET" else None
        if origin is not None:
            sent["Origin"] = origin
        body = None
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            reply = Reply(response.status, response.headers, response.read())
        finally:
            connection.close()
        cookie = reply.header("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return reply

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict | list, **kwargs) -> Reply:
        return self.request("POST", path, form=form, **kwargs)

    def follow(self, reply: Reply, limit: int = 5) -> Reply:
        """The page a redirect leads to, as a browser gets there."""
        while reply.status in (301, 302, 303, 307, 308) and limit:
            reply, limit = self.get(reply.header("Location")), limit - 1
        return reply

    def sign_in(self) -> Reply:
        address = urlsplit(self.served.sign_in_address())
        return self.get(f"{address.path}?{address.query}")

    def csrf_token(self, path: str = "/") -> str:
        page = self.get(path)
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        assert found, page.text[:500]
        return found.group(1)


def interview_links(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'href="(/interview\?[^"]*)"', html)]
