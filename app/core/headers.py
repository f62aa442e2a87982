"""Security headers on every response: pages, the API, downloads, error pages, static files.

The Content-Security-Policy allows scripts, styles, fonts and connections from the application's
own origin only: no inline script, no inline style, no event-handler attribute, no plugin, no
framing. Templates therefore keep every script and style in static files. Images may also be
``data:`` URLs: Bootstrap draws its icons (menu toggler, select arrows, check marks) as data: SVG
from its stylesheet, and a CSP cannot tell those from others — an image cannot run code.
"""

from flask import current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)

#: Two years, as preload lists expect; without includeSubDomains, since the office's other
#: hosts are not ours to decide for.
HSTS = "max-age=63072000"

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": Flask-WTF checks the Referer of form posts on https (same origin).
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def _is_static():
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


def add_security_headers(response):
    """after_request hook: the headers above; HSTS when the public address is https; no caching
    of anything but static files (pages and downloads hold personal data)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("PUBLIC_BASE_URL", "").startswith("https://"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if not _is_static():
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def init_app(app):
    app.after_request(add_security_headers)
