"""gunicorn settings for Vidhuk in production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be overridden by the environment (GUNICORN_* below) or on the command line.

- Workers: one process per core (2 on a 2-core machine). Pages spend their time in the database
  and in Python; on 2 cores 4 processes answered no faster than 2 and held twice the memory
  (~200 MB each, plus the pandoc helper a process starts once it shows a letter preview; the
  helpers of all processes are capped per machine, see app/letters/pandoc.py).
- Threads: 4 per process (gthread), so a slow request (a large export, a PDF preview) does not
  hold a whole process while others wait.
- Keep-alive 75 s: longer than a typical reverse proxy's idle timeout (nginx 60 s), so the
  proxy, not gunicorn, closes idle connections; gunicorn's default of 2 s reset 0.2–2.7 % of
  requests under load.
- Timeouts: 60 s for a request, 30 s for a graceful stop or reload (`kill -HUP` reloads the
  code without dropping requests).
- max_requests with jitter: each process is replaced after a few thousand requests, so memory
  growth (fragmentation, caches) cannot accumulate.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count()))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
keepalive = _int("GUNICORN_KEEPALIVE", 75)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Behind a TLS-terminating proxy on the same machine: trust its X-Forwarded-* headers only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
# Each process builds its own app (database pools and Redis clients are not shared across fork).
preload_app = False
