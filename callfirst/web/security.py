"""Who may use the page, and what a page may do in the browser.

- The address printed at start carries a one-time token; redeemed, it becomes a signed session cookie
  (HttpOnly, SameSite=Strict) and leaves the address bar. Every other request without that session is refused.
- The Host header must be 127.0.0.1:PORT or localhost:PORT (a page on another name that resolves to this
  machine, DNS rebinding, is refused).
- Every change is a POST carrying Flask-WTF's CSRF token (CSRFProtect) and an Origin equal to the page's own.
- The Content-Security-Policy lets a page load only its own files; nothing is framed, nothing is cached.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from urllib.parse import urlencode

from flask import Flask, Response, redirect, render_template, request, session
from werkzeug.wrappers import Response as BaseResponse

SIGNED_IN = "signed_in"
CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self' mailto:",  # the mail-app button answers with a mailto: redirect
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Same-origin keeps the Origin header on the page's own POSTs, and sends no address anywhere else.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Gate:
    """The one-time tokens that let a browser in: each is redeemed once, then forgotten."""

    def __init__(self) -> None:
        self._open: set[str] = set()
        self._lock = threading.Lock()

    def issue(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._open.add(token)
        return token

    def redeem(self, token: str) -> bool:
        with self._lock:
            found = next((t for t in self._open if hmac.compare_digest(t, token)), None)
            if found is None:
                return False
            self._open.discard(found)
            return True


def allowed_hosts(port: int) -> tuple[str, str]:
    return (f"127.0.0.1:{port}", f"localhost:{port}")


def install(app: Flask, gate: Gate) -> None:
    """Every request passes these checks, in this order, before any page runs."""

    @app.before_request
    def only_this_machine() -> BaseResponse | tuple[str, int] | None:
        host = request.headers.get("Host", "").lower()
        if host not in allowed_hosts(app.config["CALLFIRST_PORT"]):
            return refused("This page answers only at the address callfirst printed.", 403)
        return None

    @app.before_request
    def signed_in() -> BaseResponse | tuple[str, int] | None:
        token = request.args.get("token")
        if token is not None:
            if gate.redeem(token) or session.get(SIGNED_IN):
                session.clear()  # a fresh session (and CSRF token) for the browser that came in
                session[SIGNED_IN] = True
                return redirect(_without_token(), code=303)
            return refused(
                "This address has let a browser in already. Press Enter in the terminal where callfirst web runs "
                "for a new one.",
                403,
            )
        if not session.get(SIGNED_IN):
            return refused("Open the address that `callfirst web` printed when it started.", 401)
        return None

    @app.before_request
    def same_origin() -> BaseResponse | tuple[str, int] | None:
        if request.method in CHANGING:
            origin = request.headers.get("Origin", "")
            if origin != f"http://{request.headers.get('Host', '').lower()}":
                return refused("This change did not come from this page, so nothing was done.", 403)
        return None

    @app.after_request
    def protective_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def _without_token() -> str:
    """The address just asked for, without the token."""
    rest = [(key, value) for key, value in request.args.items(multi=True) if key != "token"]
    return request.path + (f"?{urlencode(rest)}" if rest else "")


def refused(message: str, status: int) -> tuple[str, int]:
    """A plain page saying why: it needs nothing the refused browser may not load."""
    return render_template("refused.html", message=message), status
