"""Gunicorn's settings for the console (`gunicorn -c dashboard/gunicorn.conf.py dashboard.wsgi`).

Environment variables with defaults that suit both `make run` and the container: HOST, PORT,
WEB_CONCURRENCY (worker processes), WEB_THREADS (threads per worker), WEB_TIMEOUT (seconds).
"""

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Set explicitly: without it gunicorn binds 0.0.0.0 whenever PORT is in the environment.
bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{_env_int('PORT', 8000)}"]

# Views spend their time waiting on the platform's API, so threads serve more requests than
# processes for the same memory. Eight per worker: a request that finds every thread of its
# worker busy waits for one, a whole platform call longer, and with four, 20 users of the live
# visitors table queued that way (bench_visitors.py; the figures are in bench/README.md).
worker_class = "gthread"
workers = _env_int("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1), 4))
threads = _env_int("WEB_THREADS", 8)

# Longer than a platform call with its retries (read timeout x attempts, plus backoff).
timeout = _env_int("WEB_TIMEOUT", 60)
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200

# The heartbeat file on a disk-backed /tmp can stall workers inside containers; gunicorn's docs
# recommend the memory-backed /dev/shm (only the heartbeat lives there, nothing secret).
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Gunicorn >= 25 opens a control socket at one fixed per-user path; several consoles on one
# machine (tests, `make run`) would fight over it, and nothing here uses it.
control_socket_disable = True

# URLs never carry tokens or keys (DESIGN.md, Security), so the request line is safe to log.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
