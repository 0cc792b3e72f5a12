"""Servers that misbehave, on 127.0.0.1: one that accepts and never speaks, one that answers with garbage, and a
TCP proxy in front of a real server that can swallow the answer to an IMAP APPEND (the work is done, the
answer is lost)."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress


def closed_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def listening(answer: bytes | None) -> Iterator[int]:
    """A server on 127.0.0.1 that sends `answer` to each connection and then keeps it open, silent (None: sends
    nothing at all). Yields its port."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)
            if answer:
                with suppress(OSError):
                    conn.sendall(answer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        server.close()


class ImapProxy:
    """Forwards 127.0.0.1:port to a plain IMAP server. With `lose_append_answers` > 0, the server's answer to
    an APPEND is swallowed and the connection closed instead, that many times; with `lose_appends` > 0, the
    APPEND itself never reaches the server."""

    _APPEND = re.compile(rb"(?m)^(\S+) (?:UID )?APPEND ", re.IGNORECASE)

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.lose_append_answers = 0
        self.lose_appends = 0  # APPENDs never forwarded: the connection closes as the command is sent
        self.appends_seen = 0
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.1)
        self.stop_event = threading.Event()
        self.sockets: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.getsockname()[1]

    def close(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=5)
        for sock in self.sockets:
            _shut(sock)
        self.server.close()

    def _accept(self) -> None:
        while not self.stop_event.is_set():
            try:
                client, _ = self.server.accept()
            except OSError:
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            pending: list[bytes] = []  # the tag of an APPEND whose answer is awaited
            threading.Thread(target=self._client_to_server, args=(client, upstream, pending), daemon=True).start()
            threading.Thread(target=self._server_to_client, args=(upstream, client, pending), daemon=True).start()

    def _client_to_server(self, client: socket.socket, upstream: socket.socket, pending: list[bytes]) -> None:
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                break
            if not data:
                break
            for match in self._APPEND.finditer(data):
                self.appends_seen += 1
                pending.append(match.group(1))
                if self.lose_appends > 0:
                    self.lose_appends -= 1
                    _shut(client)
                    _shut(upstream)
                    return
            try:
                upstream.sendall(data)
            except OSError:
                break
        _shut(upstream)

    def _server_to_client(self, upstream: socket.socket, client: socket.socket, pending: list[bytes]) -> None:
        buffer = b""
        while True:
            try:
                data = upstream.recv(65536)
            except OSError:
                break
            if not data:
                break
            buffer += data
            lines, _, buffer = buffer.rpartition(b"\n")
            if not lines and not _:
                continue
            out = b""
            for line in (lines + b"\n").splitlines(keepends=True):
                tag = next((t for t in pending if line.startswith(t + b" ")), None)
                if tag is not None:
                    pending.remove(tag)
                    if self.lose_append_answers > 0:
                        self.lose_append_answers -= 1
                        if out:
                            client.sendall(out)
                        _shut(client)
                        _shut(upstream)
                        return
                out += line
            try:
                client.sendall(out)
            except OSError:
                break
        _shut(client)


def _shut(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
