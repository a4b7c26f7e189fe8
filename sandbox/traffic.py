"""WSGI middleware in front of Django for platform traffic (`/connextlive`, ...): injects the
configured faults and writes the request log.

It sits below Django so that it can hash the raw request body as Django reads it (multipart
uploads included, without holding them in memory twice), answer before Django when a fault
says so, and close the client's socket to simulate a dropped connection.
"""

import errno
import hashlib
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from http import HTTPStatus
from typing import Any

from sandbox.connextlive.serializers import error_body_bytes
from sandbox.state import DATABASE_GATE, STATE, FaultDecision, LoggedRequest, format_timestamp

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_DRAIN_CHUNK = 64 * 1024


class HashingInput:
    """A `wsgi.input` wrapper that hashes every byte read through it."""

    def __init__(self, stream: Any, content_length: int) -> None:
        self._stream = stream
        self._remaining = content_length
        self._sha256 = hashlib.sha256()

    def _seen(self, data: bytes) -> bytes:
        self._sha256.update(data)
        self._remaining -= len(data)
        return data

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._remaining
        return self._seen(self._stream.read(min(size, max(self._remaining, 0))))

    def readline(self, size: int = -1) -> bytes:
        limit = self._remaining if size is None or size < 0 else min(size, self._remaining)
        return self._seen(self._stream.readline(max(limit, 0)))

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def hexdigest(self) -> str:
        """The hash of the whole body: whatever the application left unread is read now."""
        while self._remaining > 0 and self.read(_DRAIN_CHUNK):
            pass
        return self._sha256.hexdigest()


class PlatformTraffic:
    def __init__(self, app: WSGIApp, prefixes: Iterable[str]) -> None:
        self._app = app
        self._prefixes = tuple(prefixes)

    def _is_platform_path(self, path: str) -> bool:
        return any(path == prefix or path.startswith(prefix + "/") for prefix in self._prefixes)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if not self._is_platform_path(path):
            return self._app(environ, start_response)

        started = time.perf_counter()
        arrived_at = format_timestamp(STATE.now())
        body = HashingInput(environ["wsgi.input"], _content_length(environ))
        environ["wsgi.input"] = body

        def log(status: int | None) -> None:
            STATE.log_request(
                LoggedRequest(
                    method=environ.get("REQUEST_METHOD", ""),
                    path=path,
                    query=environ.get("QUERY_STRING", ""),
                    status=status,
                    ms=round((time.perf_counter() - started) * 1000, 2),
                    bodySha256=body.hexdigest(),
                    at=arrived_at,
                )
            )

        decision = STATE.decide_fault(path)
        if decision.latency_ms:
            time.sleep(decision.latency_ms / 1000)
        if decision.drop:
            log(None)
            _drop_connection(environ)
        if decision.status is not None:
            log(decision.status)
            return _fault_response(decision, start_response)

        statuses: list[int] = []

        def capture_status(status: str, headers: list, exc_info: Any = None) -> Any:
            statuses.append(int(status.split(" ", 1)[0]))
            return start_response(status, headers, exc_info)

        with DATABASE_GATE.shared():
            result = self._app(environ, capture_status)
        # Logged before the server sends the answer, so that a client that has its answer
        # always finds its request in the log.
        log(statuses[-1] if statuses else None)
        return result


def _content_length(environ: dict[str, Any]) -> int:
    try:
        return max(int(environ.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _fault_response(decision: FaultDecision, start_response: Callable[..., Any]) -> list[bytes]:
    status = decision.status or 500
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Injected Fault"
    payload = error_body_bytes(status, phrase)
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    if decision.retry_after is not None:
        headers.append(("Retry-After", str(decision.retry_after)))
    start_response(f"{status} {phrase}", headers)
    return [payload]


def _drop_connection(environ: dict[str, Any]) -> None:
    """Close the client's connection without an answer.

    Gunicorn hands its socket to the application in the environ; shutting it down and raising
    EPIPE makes the worker abandon the request quietly, as for any client that went away.
    """
    sock = environ.get("gunicorn.socket")
    if sock is not None:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    raise BrokenPipeError(errno.EPIPE, "connection dropped by an injected fault")
