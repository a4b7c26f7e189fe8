"""Helpers for the platform client's tests: a scripted transport and a client that never sleeps."""

from collections.abc import Callable
from typing import Any

import httpx

from dashboard.platforms.base import ClientOptions, PlatformHttp, RetryPolicy
from dashboard.platforms.connextlive import ConnextliveClient

BASE_URL = "http://platform.test/connextlive"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlLXRoYXQtaXMtc2VjcmV0"

type Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class ScriptedTransport(httpx.MockTransport):
    """Answers each request with the next entry of a script and records every request.

    An entry is a response, an exception to raise (a transport failure), or a function of the
    request. Running out of script is a test bug and fails loudly.
    """

    def __init__(self, *answers: Answer) -> None:
        self.requests: list[httpx.Request] = []
        self._answers = list(answers)
        super().__init__(self._answer)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if not self._answers:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        answer = self._answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def error_response(
    status: int, message: str = "Something failed", data: Any = None, **headers: str
) -> httpx.Response:
    body = {"statusCode": status, "statusMessage": message, "data": data}
    return httpx.Response(status, json=body, headers=headers)


class Sleeps(list[float]):
    """Stands in for time.sleep: records each delay instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def fixed_options(max_retries: int = 2, retry_after_cap: float = 5.0) -> ClientOptions:
    """Options that do not depend on Django settings, with a jitter that always picks the top."""
    return ClientOptions(
        retry=RetryPolicy(
            max_retries=max_retries, retry_after_cap=retry_after_cap, random=lambda: 1.0
        )
    )


def make_http(transport: ScriptedTransport, sleeps: Sleeps, **options: Any) -> PlatformHttp:
    return PlatformHttp(
        BASE_URL, token=TOKEN, options=fixed_options(**options), transport=transport, sleep=sleeps
    )


def make_client(transport: ScriptedTransport, sleeps: Sleeps, **options: Any) -> ConnextliveClient:
    return ConnextliveClient(
        BASE_URL, TOKEN, options=fixed_options(**options), transport=transport, sleep=sleeps
    )
