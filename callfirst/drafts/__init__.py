"""Email drafts and the call plan: jinja2 templates, their pure rendering, the RFC 5322 and iTIP forms."""
