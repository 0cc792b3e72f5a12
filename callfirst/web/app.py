"""The Flask application: its settings, the security layer, the pages, and one sentence for every error."""

from __future__ import annotations

import secrets
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from ..errors import CallfirstError, EventNotFound, ProfileMissing
from . import security
from .site import Site
from .words import MISSING_WORDS, plain_words, sentence

if TYPE_CHECKING:
    from ..model import Problem

MAX_UPLOAD = 50 * 1024 * 1024  # a whole calendar export fits; more is refused before it is read

HTTP_WORDS = {
    404: "There is no such page here.",
    405: "That page cannot be used that way.",
    413: "That file is too big (over 50 MB) to be an invitation.",
}


def create_app(site: Site, gate: security.Gate) -> Flask:
    """The page for `site`; `site.port` must be set before the first request (the Host check needs it)."""
    from .routes import pages

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # new each run: a session never outlives its server
        SESSION_COOKIE_NAME=f"callfirst-{site.port}",  # cookies ignore ports: one per server
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=False,  # plain HTTP on 127.0.0.1, never on a network
        TRUSTED_HOSTS=["127.0.0.1", "localhost"],
        MAX_CONTENT_LENGTH=MAX_UPLOAD,
        WTF_CSRF_TIME_LIMIT=None,  # a token lasts as long as the session (the server's life)
        CALLFIRST_SITE=site,
        CALLFIRST_PORT=site.port,
    )
    app.jinja_env.autoescape = True  # every template, whatever its name
    _filters(app, site)
    security.install(app, gate)
    CSRFProtect(app)
    app.register_blueprint(pages)
    _error_pages(app, site)
    return app


def _filters(app: Flask, site: Site) -> None:
    from ..notice import hours_text
    from ..timetext import place, place_time, when_at_place
    from ..timezones import zone_named

    def when_in(moment: datetime, zone: tzinfo) -> str:
        return when_at_place(moment, zone)

    def zone_place(key: str) -> str:
        zone = zone_named(key)
        return place(zone) if zone else key

    def problem_text(problem: Problem) -> str:
        where = site.shown_where(problem.source)
        line = f", line {problem.line}" if problem.line else ""
        text = f"{where}{line}: {problem.message}" if where else problem.message
        return plain_words(text)

    def zone_name(zone: tzinfo | None) -> str:
        return getattr(zone, "key", None) or str(zone)

    app.add_template_filter(when_in, "when")
    app.add_template_filter(problem_text, "problem")
    app.add_template_filter(zone_name, "zone_name")
    app.add_template_filter(hours_text, "hours")
    app.add_template_filter(place_time, "place")
    app.add_template_filter(zone_place, "zone_place")


def _error_pages(app: Flask, site: Site) -> None:
    @app.errorhandler(CSRFError)
    def expired_form(_exc: CSRFError) -> ResponseReturnValue:
        message = "This form is out of date or did not come from this page, so nothing was done. Reload the page and try again."
        return render_template("error.html", message=message), 400

    @app.errorhandler(ProfileMissing)
    def profile_missing(exc: ProfileMissing) -> ResponseReturnValue:
        from flask import url_for

        message = MISSING_WORDS.get(exc.detail, "A detail about you is missing:")
        return render_template("error.html", message=message, details_url=url_for("pages.details")), 400

    @app.errorhandler(CallfirstError)
    def callfirst_error(exc: CallfirstError) -> ResponseReturnValue:
        where = site.shown_where(exc.where)
        line = f", line {exc.line}" if exc.line and where else ""
        message = f"{where}{line}: {exc.message}" if where else exc.message
        status = 404 if isinstance(exc, EventNotFound) else 400
        return render_template("error.html", message=sentence(plain_words(message))), status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        message = HTTP_WORDS.get(status, f"{exc.name}.")
        return render_template("error.html", message=message), status

    @app.errorhandler(Exception)
    def anything_else(exc: Exception) -> ResponseReturnValue:
        if site.env.debug:
            raise exc
        from ..errors import short_error

        print(f"callfirst web: internal error: {type(exc).__name__}: {short_error(exc)}", file=site.env.stderr)
        message = "Something went wrong on callfirst's side, so this page could not be shown. Nothing was changed."
        return render_template("error.html", message=message), 500
