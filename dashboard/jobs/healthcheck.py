"""A worker container's health check: `python -m dashboard.jobs.healthcheck [HOSTNAME]` exits 0
while that worker's heartbeat is fresh -- a task of its own went through the broker and ran in
its pool within JOBS_WORKER_STALE_SECONDS (liveness.py) -- and 1 otherwise. HOSTNAME defaults to
Celery's own default node name, `celery@<this host>`. A ping answered by the worker's main
process would pass with a wedged pool; this does not.
"""

import os
import socket
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    import django

    django.setup()
    from dashboard.jobs import liveness
    from dashboard.jobs.conf import setting

    if len(argv) > 1:
        print(__doc__, file=sys.stderr)
        return 2
    hostname = argv[0] if argv else f"celery@{socket.gethostname()}"
    if liveness.is_fresh(hostname):
        return 0
    limit = int(setting("JOBS_WORKER_STALE_SECONDS"))
    print(f"{hostname} has run no task for more than {limit} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
