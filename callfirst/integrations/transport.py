"""The HTTP transport for Google: httplib2, except that a request goes only where the user said (a redirect to
another origin is refused), and a request that is not safe to repeat is sent once.

httplib2 sends a request again when the connection drops before the answer arrives (at least once, for
what it takes for a stale connection, whatever `httplib2.RETRIES` says). For a POST that created a Gmail
draft, that second send creates a second draft. Here such a request goes out once, on a fresh connection;
when its answer is lost, the caller finds out what happened (gmail.py looks the draft up by its Message-ID).
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httplib2

from ..errors import GoogleError

SAFE_TO_REPEAT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


class SendOnceHttp(httplib2.Http):  # type: ignore[misc]  # httplib2 ships no types
    """httplib2.Http that sends requests only to the origins of `allowed` (URLs), following no redirect away
    from them, and never resends a POST or PATCH."""

    def __init__(self, allowed: Iterable[str], **settings: Any) -> None:
        super().__init__(**settings)
        self.origins = frozenset(origin(url) for url in allowed)

    def request(self, uri: str, *args: Any, **kwargs: Any) -> tuple[httplib2.Response, bytes]:
        # httplib2 follows a redirect by calling request() again with the new address.
        if origin(uri) not in self.origins:
            where = urlsplit(uri).netloc or uri
            raise GoogleError(
                f"Google's server sent callfirst on to another server ({where[:80]}); refused: requests go only to "
                "Google (or to CALLFIRST_GOOGLE_API_ROOT when it is set)"
            )
        response: tuple[httplib2.Response, bytes] = super().request(uri, *args, **kwargs)
        return response

    def _conn_request(
        self, conn: Any, request_uri: str, method: str, body: bytes | str | None, headers: dict[str, str]
    ) -> tuple[httplib2.Response, bytes]:
        if method in SAFE_TO_REPEAT:
            response: tuple[httplib2.Response, bytes] = super()._conn_request(conn, request_uri, method, body, headers)
            return response
        try:
            conn.close()  # a fresh connection: a stale one would fail before sending, with no way to tell
            conn.connect()
            conn.request(method, request_uri, body, headers)
            answer = conn.getresponse()
            content = answer.read()
        except BaseException:
            conn.close()
            raise
        response = httplib2.Response(answer)
        return response, _decoded(response, content)


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: where a request goes."""
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:  # a port that is no number
        port = -1
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def _decoded(response: httplib2.Response, content: bytes) -> bytes:
    """The body without its content-encoding, as httplib2 hands it on."""
    encoding = response.get("content-encoding", "")
    if encoding not in ("gzip", "deflate"):
        return content
    content = gzip.decompress(content) if encoding == "gzip" else zlib.decompress(content, -zlib.MAX_WBITS)
    response["-content-encoding"] = response.pop("content-encoding")
    response["content-length"] = str(len(content))
    return content
