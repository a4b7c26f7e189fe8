"""The shared HTTP base of every platform client.

- One long-lived pooled `httpx.Client` per process and base URL (`shared_http_client`), so calls
  reuse kept-alive connections; a forked child (gunicorn, Celery prefork) starts a fresh pool
  instead of sharing the parent's sockets.
- Explicit timeouts, connection limits and a retry policy that retries only what is safe
  (`RetryPolicy`), overridable per call with `with_options(...)`.
- Typed errors from `errors.py`; one log line per attempt with method, path, status, time and
  attempt number, never a body or a header. `RedactSecretsFilter` guards every handler.
- A deadline shared by every call made within `page_deadline(seconds)` (a web request: see
  accounts.middleware.PageDeadlineMiddleware), retries and their waits included: each attempt's
  timeouts are cut to the time left, and no attempt or retry starts once it is spent. Outside
  such a block (Celery tasks, scripts) calls have only their own timeouts.

Nothing here needs Django: `options_from_settings()` reads the PLATFORM_* settings when Django is
configured and falls back to plain defaults otherwise.
"""

import contextvars
import copy
import email.utils
import enum
import http.cookiejar
import json
import logging
import os
import random
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Final, NoReturn, Self

import httpx
import msgspec
import orjson

from dashboard.platforms.errors import (
    UNEXPECTED,
    PlatformError,
    PlatformNotFound,
    PlatformUnavailable,
    error_from_response,
    error_from_transport,
    gettext_noop,
    malformed_response,
    translated,
)
from dashboard.platforms.redaction import RedactSecretsFilter, redact

__all__ = [
    "UNSET",
    "ClientOptions",
    "PlatformHttp",
    "RedactSecretsFilter",
    "RetryPolicy",
    "Unset",
    "close_shared_clients",
    "decode_json",
    "given_fields",
    "options_from_settings",
    "page_deadline",
    "parse_answer",
    "parse_retry_after",
    "path_segment",
    "redact",
    "shared_http_client",
    "time_left",
]

logger = logging.getLogger("dashboard.platforms")

DEFAULT_CONNECT_TIMEOUT = 3.0
DEFAULT_READ_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_RETRY_AFTER_CAP = 5.0
# Views fan out a few calls per page from threads; gunicorn runs a few threads per worker.
DEFAULT_LIMITS = httpx.Limits(max_connections=32, max_keepalive_connections=16, keepalive_expiry=30)
USER_AGENT = "switchboard/0.1"

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
# The request provably never left this process: safe to send again, whatever the method.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# The request may have reached the server: only an idempotent call may be sent again.
_MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def make_timeout(connect: float, read: float) -> httpx.Timeout:
    """Connect and pool waits share the connect budget; writes share the read budget."""
    return httpx.Timeout(read, connect=connect, pool=connect)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Which failures are retried and how long to wait before the next attempt."""

    max_retries: int = DEFAULT_MAX_RETRIES
    retry_after_cap: float = DEFAULT_RETRY_AFTER_CAP
    backoff_base: float = 0.2
    backoff_max: float = 4.0
    random: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def backoff(self, retries_done: int) -> float:
        """Exponential backoff with full jitter: uniform in [0, min(max, base * 2^n)]."""
        ceiling = min(self.backoff_max, self.backoff_base * 2**retries_done)
        return ceiling * self.random()

    def delay_after_status(
        self, status: int, retry_after: float | None, *, idempotent: bool, retries_done: int
    ) -> float | None:
        """Seconds to wait before retrying an error answer, or None to give up now."""
        if status not in RETRYABLE_STATUSES or not idempotent:
            return None
        if retries_done >= self.max_retries:
            return None
        if retry_after is None:
            return self.backoff(retries_done)
        # Waiting longer than the cap would hold a page or a worker hostage: let the caller decide.
        return retry_after if retry_after <= self.retry_after_cap else None

    def delay_after_transport_error(
        self, exc: httpx.RequestError, *, idempotent: bool, retries_done: int
    ) -> float | None:
        if retries_done >= self.max_retries:
            return None
        if isinstance(exc, _NEVER_SENT) or (idempotent and isinstance(exc, _MAYBE_SENT)):
            return self.backoff(retries_done)
        return None


@dataclass(frozen=True, slots=True)
class ClientOptions:
    timeout: httpx.Timeout = field(
        default_factory=lambda: make_timeout(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT)
    )
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def with_changes(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        max_retries: int | None = None,
        retry_after_cap: float | None = None,
    ) -> Self:
        """A copy with the given values; a plain number as `timeout` bounds every phase."""
        new_timeout = self.timeout
        if timeout is not None:
            new_timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        if connect_timeout is not None or read_timeout is not None:
            new_timeout = make_timeout(
                connect_timeout if connect_timeout is not None else new_timeout.connect,
                read_timeout if read_timeout is not None else new_timeout.read,
            )
        retry = self.retry
        if max_retries is not None:
            retry = replace(retry, max_retries=max_retries)
        if retry_after_cap is not None:
            retry = replace(retry, retry_after_cap=retry_after_cap)
        return replace(self, timeout=new_timeout, retry=retry)


def options_from_settings() -> ClientOptions:
    """Defaults from Django's PLATFORM_* settings when Django is configured, else plain defaults."""
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:
        return ClientOptions()
    try:
        return ClientOptions().with_changes(
            connect_timeout=getattr(settings, "PLATFORM_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
            read_timeout=getattr(settings, "PLATFORM_READ_TIMEOUT", DEFAULT_READ_TIMEOUT),
            max_retries=getattr(settings, "PLATFORM_MAX_RETRIES", DEFAULT_MAX_RETRIES),
            retry_after_cap=getattr(settings, "PLATFORM_RETRY_AFTER_CAP", DEFAULT_RETRY_AFTER_CAP),
        )
    except ImproperlyConfigured:
        return ClientOptions()


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds from now: delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _PooledClients:
    """One `httpx.Client` per base URL for this process; thread-safe, reset in a forked child."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[str, httpx.Client] = {}

    def get(self, base_url: str) -> httpx.Client:
        with self._lock:
            client = self._clients.get(base_url)
            if client is None or client.is_closed:
                client = self._clients[base_url] = _new_pooled_client(base_url)
            return client

    def close_all(self) -> None:
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()

    def forget_after_fork(self) -> None:
        # The inherited connections belong to the parent: a child that used them would interleave
        # its requests with the parent's on the same socket. Drop them unclosed; start afresh.
        # The lock may have been held by a parent thread at fork time, so it is replaced too.
        self._lock = threading.Lock()
        self._clients = {}


def no_cookies() -> http.cookiejar.CookieJar:
    """A cookie jar that keeps nothing. Every platform call is authorised by its own token; the
    pooled client serves every user of the process, so a cookie a platform (or a load balancer
    in front of it) set in one user's answer would otherwise go out with everyone's requests."""
    return http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


class _NoCookies(httpx.Cookies):
    """Cookies that stay empty, over a jar that keeps nothing (`no_cookies`).

    httpx hands every answer to its client's cookies, which build a urllib request and response
    around it for the jar to read its Set-Cookie headers from: work for nothing when the jar
    refuses them all. Here the answer is not read at all; should a future httpx reach the jar
    another way, the jar still refuses."""

    def __init__(self) -> None:
        super().__init__(no_cookies())

    def extract_cookies(self, response: httpx.Response) -> None:
        pass


class _CookielessClient(httpx.Client):
    """An `httpx.Client` whose `cookies` are `_NoCookies`: it neither keeps nor sends any.

    httpx copies any cookies given to its constructor or setter into a plain `Cookies`, so the
    property is the public place to give it ours."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cookies=no_cookies(), **kwargs)
        self._kept_none = _NoCookies()

    @property
    def cookies(self) -> httpx.Cookies:
        return self._kept_none

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        raise AttributeError("a platform client keeps no cookies")


def _new_pooled_client(base_url: str) -> httpx.Client:
    return _CookielessClient(
        base_url=base_url,
        timeout=make_timeout(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT),
        limits=DEFAULT_LIMITS,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        follow_redirects=False,
    )


_POOL = _PooledClients()
os.register_at_fork(after_in_child=_POOL.forget_after_fork)


def shared_http_client(base_url: str) -> httpx.Client:
    """The process's pooled client for this base URL."""
    return _POOL.get(base_url.rstrip("/"))


def close_shared_clients() -> None:
    _POOL.close_all()


@dataclass(frozen=True, slots=True)
class _Deadline:
    at: float  # time.monotonic()
    seconds: float  # the budget it was set with, for the message


_DEADLINE: contextvars.ContextVar[_Deadline | None] = contextvars.ContextVar(
    "platform_deadline", default=None
)


@contextmanager
def page_deadline(seconds: float | None) -> Iterator[None]:
    """Every platform call inside the block shares `seconds` in all (None or <= 0: no deadline).

    A context variable: threads that run calls for this block must run them in a copy of its
    context (`contextvars.copy_context().run`, as dashboard.concurrent.gather does)."""
    deadline = _Deadline(time.monotonic() + seconds, seconds) if seconds and seconds > 0 else None
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left() -> float | None:
    """Seconds left before the current deadline (<= 0: spent), or None without one."""
    deadline = _DEADLINE.get()
    return None if deadline is None else deadline.at - time.monotonic()


class OutOfTime(PlatformUnavailable):
    """The page's time for platform calls ran out: said in the reader's language."""

    def __init__(self, seconds: float | None, **kwargs: Any) -> None:
        allowed = f"{seconds:g} s" if seconds is not None else "time"
        super().__init__(f"no answer within the page's {allowed} for platform calls", **kwargs)
        self.seconds = seconds

    def detail(self) -> str:
        if self.seconds is None:
            return translated(gettext_noop("no answer within the page's time for platform calls"))
        said = translated(
            gettext_noop("no answer within the page's %(seconds)s s for platform calls")
        )
        return said % {"seconds": f"{self.seconds:g}"}


def _out_of_time(method: str, path: str) -> PlatformUnavailable:
    deadline = _DEADLINE.get()
    return OutOfTime(deadline.seconds if deadline else None, method=method, path=path)


def _timeout_within(timeout: httpx.Timeout, left: float | None) -> httpx.Timeout:
    """The attempt's timeouts, none longer than the time left."""
    if left is None:
        return timeout

    def capped(value: float | None) -> float:
        return left if value is None else min(value, left)

    return httpx.Timeout(
        connect=capped(timeout.connect),
        read=capped(timeout.read),
        write=capped(timeout.write),
        pool=capped(timeout.pool),
    )


type QueryValue = str | int | float | bool | None | Sequence[str]


class PlatformHttp:
    """Sends one logical call to a platform: retries, timing, logging and typed errors.

    Cheap to create and immutable: `with_options` and `with_token` return copies that share the
    same pooled connections, so one instance is safe to use from many threads.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        options: ClientOptions | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.options = options if options is not None else options_from_settings()
        # A given transport (tests) gets a private client; everyone else shares the pool.
        self._private_client = (
            _CookielessClient(base_url=self.base_url, transport=transport, follow_redirects=False)
            if transport is not None
            else None
        )
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"PlatformHttp({self.base_url!r}, token={'set' if self._token else None})"

    @property
    def has_token(self) -> bool:
        return self._token is not None

    def close(self) -> None:
        """Close a private client (one built on a given transport); the shared pool stays open."""
        if self._private_client is not None:
            self._private_client.close()

    def with_options(self, **changes: Any) -> Self:
        """A copy with other timeouts or retries (see `ClientOptions.with_changes`)."""
        clone = copy.copy(self)
        clone.options = self.options.with_changes(**changes)
        return clone

    def with_token(self, token: str | None) -> Self:
        clone = copy.copy(self)
        clone._token = token
        return clone

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, QueryValue] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        files: Sequence[tuple[str, tuple[str, bytes, str]]] | None = None,
        idempotent: bool | None = None,
        decode: Callable[[bytes], Any] | None = None,
    ) -> Any:
        """Send the call, retrying what is safe to retry, and return the decoded JSON body.

        `idempotent` marks a POST that is naturally idempotent (resolve, mark-read); by default
        only GET, HEAD, OPTIONS, PUT and DELETE are. A creating POST is sent again only when the
        connection was never made. `decode` reads a successful answer's bytes: JSON into Python
        data by default, or straight into a typed record (a ValueError is a malformed answer, a
        `msgspec.ValidationError` an answer of the wrong shape).
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        content = {"params": params, "json": json, "data": data, "files": files}
        attempt = 0
        while True:
            attempt += 1
            left = time_left()
            if left is not None and left <= 0:
                raise _out_of_time(method, path)
            timeout = _timeout_within(self.options.timeout, left)
            try:
                response = self._send_once(method, path, attempt, timeout, **content)
            except httpx.RequestError as exc:
                if isinstance(exc, httpx.TimeoutException) and _spent():
                    raise _out_of_time(method, path) from exc
                error: PlatformError = error_from_transport(exc, method=method, path=path)
                delay = self.options.retry.delay_after_transport_error(
                    exc, idempotent=idempotent, retries_done=attempt - 1
                )
                if delay is None or not _time_for(delay):
                    raise error from exc
            else:
                if response.is_success:
                    return _decoded_json(response, decode, method=method, path=path)
                if method == "DELETE" and response.status_code == 404 and attempt > 1:
                    # An earlier attempt may have deleted it before its answer was lost: gone is
                    # what the caller asked for.
                    return None
                error, delay = self._error_and_retry_delay(
                    response, method, path, idempotent, attempt
                )
                if delay is None or not _time_for(delay):
                    raise error
            logger.info("%s %s retried in %.2f s after: %s", method, path, delay, error.message)
            self._sleep(delay)

    def _error_and_retry_delay(
        self, response: httpx.Response, method: str, path: str, idempotent: bool, attempt: int
    ) -> tuple[PlatformError, float | None]:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        error = error_from_response(response, method=method, path=path, retry_after=retry_after)
        delay = self.options.retry.delay_after_status(
            response.status_code, retry_after, idempotent=idempotent, retries_done=attempt - 1
        )
        return error, delay

    def auth_headers(self) -> dict[str, str]:
        """The credential headers of every request; a platform with another scheme overrides
        this (ConnectiveOne's `API-Key`, `x-auth-token`)."""
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def _send_once(
        self, method: str, path: str, attempt: int, timeout: httpx.Timeout, **content: Any
    ) -> httpx.Response:
        client = self._private_client or shared_http_client(self.base_url)
        request = _request_for(
            client,
            method,
            self.base_url,
            path,
            _query_params(content.pop("params")),
            self.auth_headers(),
            timeout,
            {key: value for key, value in content.items() if value is not None},
        )
        started = time.perf_counter()
        outcome = "failed"
        try:
            response = client.send(request)
            outcome = str(response.status_code)
            return _unbound(response)
        except httpx.RequestError as exc:
            outcome = type(exc).__name__
            raise
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            logger.info(
                "%s %s -> %s in %.0f ms (attempt %d)", method, path, outcome, elapsed_ms, attempt
            )


def _request_for(
    client: httpx.Client,
    method: str,
    base_url: str,
    path: str,
    params: list[tuple[str, str]],
    headers: dict[str, str],
    timeout: httpx.Timeout,
    content: dict[str, Any],
) -> httpx.Request:
    """The request `client.build_request(method, path, ...)` builds (`base_url` is the
    client's, without its trailing "/"), built for less.

    `build_request` parses the URL three times (the path, the path joined to the base URL, then
    again with the query merged in), each a character-by-character check of every component.
    Here the base URL, the path and the query are joined as text and parsed once. A path of
    another shape than "/segment..." (every client's), or one with its own query or fragment,
    goes the general way."""
    if not path.startswith("/") or path.startswith("//") or "?" in path or "#" in path:
        return client.build_request(
            method, path, params=params, headers=headers, timeout=timeout, **content
        )
    url = f"{base_url}{path}?{httpx.QueryParams(params)}" if params else f"{base_url}{path}"
    merged = httpx.Headers(client.headers)
    merged.update(headers)
    return httpx.Request(
        method, url, headers=merged, extensions={"timeout": timeout.as_dict()}, **content
    )


def _unbound(response: httpx.Response) -> httpx.Response:
    """The answer, read and closed, without its reference cycle.

    httpx 0.28 binds a response's stream back to the response (`BoundSyncStream`, to set
    `elapsed` on close; encode/httpx#3733), a reference cycle: each answer, its bytes with it,
    outlives its last use until a collection of the oldest generation, which is rare in a big
    process. A report walking a thousand pages then held some hundreds of them at once (its peak
    of memory grew with the list). Once the body is read and the stream closed, the stream is
    never used again; a plain one over the same bytes in its place breaks the cycle, so an
    answer is freed the moment nothing refers to it.
    """
    if response.is_stream_consumed and response.is_closed:
        response.stream = httpx.ByteStream(response.content)
    return response


def _spent() -> bool:
    left = time_left()
    return left is not None and left <= 0


def _time_for(delay: float) -> bool:
    """Whether a retry after `delay` seconds would still start before the deadline."""
    left = time_left()
    return left is None or left > delay


def _query_params(params: Mapping[str, QueryValue] | None) -> list[tuple[str, str]]:
    """Drop unset values; booleans as true/false; sequences become repeated parameters."""
    pairs: list[tuple[str, str]] = []
    for name, value in (params or {}).items():
        match value:
            case None:
                continue
            case bool():
                pairs.append((name, "true" if value else "false"))
            case str() | int() | float():
                pairs.append((name, str(value)))
            case _:
                pairs.extend((name, str(item)) for item in value)
    return pairs


def _decoded_json(
    response: httpx.Response, decode: Callable[[bytes], Any] | None, *, method: str, path: str
) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return (decode or decode_json)(response.content)
    except msgspec.ValidationError as exc:  # JSON, but not the shape of the record asked for
        raise PlatformUnavailable(
            UNEXPECTED, status=response.status_code, method=method, path=path
        ) from exc
    except _NotJsonConstant as exc:
        raise PlatformUnavailable(
            f"malformed response: {exc}", status=response.status_code, method=method, path=path
        ) from None
    except ValueError:
        raise malformed_response(response, method=method, path=path) from None


class _NotJsonConstant(ValueError):
    """NaN, Infinity or -Infinity in an answer: Python's json reads them, but they are not JSON."""


def decode_json(content: bytes) -> Any:
    """An answer's body as Python data; ValueError when it is not JSON.

    orjson decodes a page of 100 visitors in half the time the standard library takes. Where it is
    stricter, the standard library (what httpx's `Response.json` used) reads the answer as before:
    a byte-order mark, UTF-16 or UTF-32, a lone surrogate. NaN and Infinity are refused on both
    paths: they are not JSON, and a record built from one fails far from here (`int(inf)` raises
    OverflowError, which no caller expects). One difference remains: orjson reads an integer
    beyond 64 bits as a float.
    """
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content, parse_constant=_refuse_constant)


def _refuse_constant(name: str) -> NoReturn:
    raise _NotJsonConstant(f"{name} is not valid JSON")


def parse_answer[T](parse: Callable[[Any], T], payload: Any, *, method: str, path: str) -> T:
    """Build a record from a decoded answer; a shape we cannot read is the platform's failure."""
    try:
        return parse(payload)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PlatformUnavailable(UNEXPECTED, method=method, path=path) from exc


# What quote(safe="") leaves as it is. Platform ids (`vis_01H...`) are made of these only, and
# telling so costs less than quote() itself (a list page builds a hundred links).
_UNRESERVED = re.compile("[A-Za-z0-9_.~-]+").fullmatch


def path_segment(value: str) -> str:
    """An id made safe to put in a path, the platform's or the console's: one percent-encoded
    segment, and never a dot segment that a URL normaliser would resolve into another endpoint
    (`/visitors/..` is `/`): such an id names nothing (PlatformNotFound)."""
    text = str(value)
    if text in {"", ".", ".."}:
        raise PlatformNotFound("no such id")
    return text if _UNRESERVED(text) else urllib.parse.quote(text, safe="")


class Unset(enum.Enum):
    """Marks an argument the caller did not give, where None is a meaningful value."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


def given_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The body of a partial update: only the keys whose value is not UNSET."""
    return {name: value for name, value in fields.items() if value is not UNSET}
