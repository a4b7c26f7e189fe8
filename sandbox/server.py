"""Serving the sandbox with gunicorn, programmatically: a few processes (a real platform answers
concurrent requests in parallel; one Python process would queue them for its GIL), each with
many threads, so that injected latency does not serialise requests. The control state the
processes share lives in SQLite (sandbox/state.py)."""

from typing import Any

from gunicorn.app.base import BaseApplication

KEEPALIVE_SECONDS = 75


class SandboxServer(BaseApplication):
    def __init__(self, host: str, port: int, threads: int, workers: int) -> None:
        self.url = f"http://{_url_host(host)}:{port}"
        self.options: dict[str, Any] = {
            "bind": f"{_url_host(host)}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            # The main thread of a gthread worker keeps the heartbeat, so slow (injected)
            # requests do not get the worker killed; this only catches a stuck worker.
            "timeout": 120,
            "graceful_timeout": 5,
            # An idle connection stays open longer than the console keeps one for reuse (30 s,
            # dashboard.platforms.base.DEFAULT_LIMITS), as nginx's 75 s does in front of a real
            # platform. Were it shorter, a request sent on a connection the sandbox was closing
            # at that moment fails unanswered, and a POST (a sign-in) cannot be sent again.
            "keepalive": KEEPALIVE_SECONDS,
            "limit_request_line": 8190,
            "accesslog": None,  # the request log at /__sandbox__/requests is the access log
            "loglevel": "warning",
            "proc_name": "switchboard-sandbox",
            # Gunicorn's control socket lives at one fixed path per user: parallel sandboxes
            # (tests, benches) would unlink each other's.
            "control_socket_disable": True,
            "when_ready": self._announce,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from sandbox.wsgi import application

        return application

    def _announce(self, server: Any) -> None:
        print(f"Sandbox ready at {self.url} (Connextlive at {self.url}/connextlive)", flush=True)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
