"""The HTTP transport for Google: httplib2, except that a request that is not safe to repeat is sent once.

httplib2 sends a request again when the connection drops before the answer arrives (at least once, for
what it takes for a stale connection, whatever `httplib2.RETRIES` says). For a POST that created a Gmail
draft, that second send creates a second draft. Here such a request goes out once, on a fresh connection;
when its answer is lost, the caller finds out what happened (gmail.py looks the draft up by its Message-ID).
"""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import httplib2

SAFE_TO_REPEAT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


class SendOnceHttp(httplib2.Http):
    """httplib2.Http that never resends a POST or PATCH."""

    def _conn_request(
        self, conn: Any, request_uri: str, method: str, body: bytes | str | None, headers: dict[str, str]
    ) -> tuple[httplib2.Response, bytes]:
        if method in SAFE_TO_REPEAT:
            return super()._conn_request(conn, request_uri, method, body, headers)
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


def _decoded(response: httplib2.Response, content: bytes) -> bytes:
    """The body without its content-encoding, as httplib2 hands it on."""
    encoding = response.get("content-encoding", "")
    if encoding not in ("gzip", "deflate"):
        return content
    content = gzip.decompress(content) if encoding == "gzip" else zlib.decompress(content, -zlib.MAX_WBITS)
    response["-content-encoding"] = response.pop("content-encoding")
    response["content-length"] = str(len(content))
    return content
