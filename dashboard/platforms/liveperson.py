"""The LivePerson Messaging Connector API client (seeds/004, platforms.md; the wire shapes in
sandbox/README.md, "LivePerson wire shapes").

    client = LivePersonClient(base_url, account_id, client_id, client_secret,
                              consumer_tokens=store)      # where ConsumerJWS tokens are kept
    conversation_id = client.open_conversation("acme-447700900101", profile={"firstName": "Jane"})
    sequence = client.send_text("acme-447700900101", conversation_id, "Your order has shipped")
    client.close_conversation("acme-447700900101", conversation_id)

Two tokens (doc): the AppJWT, which the app gets from the sentinel with its client credentials
and which expires after 60 minutes, and a ConsumerJWS per `ext_consumer_id`, which never expires.

- The AppJWT is kept per process and per account (and app) until shortly before it expires,
  shared by every client and thread; when the platform refuses it all the same (401, errorCode
  40102) it is fetched again once and the call sent again. A call never costs a token request
  of its own.
- ConsumerJWS tokens are asked once per consumer and kept in a `ConsumerTokenStore` (the console
  keeps them sealed in its database; `InMemoryConsumerTokenStore` is for tests and scripts).
  A stored one the platform refuses (40103) is replaced once.

Built on the shared base (`base.PlatformHttp`): pooled connections, timeouts, safe retries and
typed errors. A 401 was refused, not carried out, so sending the call again is safe; creating a
conversation or publishing a message is otherwise never sent again once it may have arrived.
"""

import copy
import itertools
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, Self

import httpx
import msgspec

from dashboard.platforms.base import ClientOptions, PlatformHttp, path_segment
from dashboard.platforms.errors import (
    UNEXPECTED,
    PlatformError,
    PlatformUnauthorized,
    PlatformUnavailable,
    PlatformValidationError,
)
from dashboard.platforms.liveperson_records import (
    AppToken,
    ConsumerToken,
    Response,
    SendAnswer,
)

__all__ = [
    "APP_JWT_LIFETIME",
    "APP_TOKENS",
    "AppTokenKeeper",
    "INVALID_APP_JWT",
    "INVALID_CONSUMER_JWS",
    "ConsumerTokenStore",
    "InMemoryConsumerTokenStore",
    "LivePersonClient",
    "error_code",
]

APP_JWT_LIFETIME = 60 * 60.0  # doc: seconds
# Renewed this long before it expires, so that a call in flight never carries one that expires
# on the way (guess: the margin is ours).
APP_JWT_RENEW_MARGIN = 5 * 60.0
INVALID_APP_JWT = 40102  # doc
INVALID_CONSUMER_JWS = 40103  # doc
MESSAGING_VERSION = "3"  # doc: ?v=3
TOKEN_VERSION = "1.0"  # doc: ?v=1.0


# --- ConsumerJWS tokens ------------------------------------------------------------------------


class ConsumerTokenStore(Protocol):
    """Where ConsumerJWS tokens are kept, per account and `ext_consumer_id` (they never expire)."""

    def get(self, account_id: str, ext_consumer_id: str) -> str | None: ...

    def put(self, account_id: str, ext_consumer_id: str, token: str) -> None: ...


class InMemoryConsumerTokenStore:
    """A ConsumerTokenStore in a dict (tests, scripts); the console keeps its own, sealed."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"InMemoryConsumerTokenStore({len(self._tokens)} tokens)"

    def get(self, account_id: str, ext_consumer_id: str) -> str | None:
        with self._lock:
            return self._tokens.get((account_id, ext_consumer_id))

    def put(self, account_id: str, ext_consumer_id: str, token: str) -> None:
        with self._lock:
            self._tokens[(account_id, ext_consumer_id)] = token


# --- the AppJWT, kept per process --------------------------------------------------------------


@dataclass
class _KeptToken:
    token: str = field(repr=False)
    renew_at: float  # on the monotonic clock


class AppTokenKeeper:
    """The AppJWT of each (sentinel, account, app), shared by every client of the process.

    One lock per key: threads that need the token at once wait for the one fetching it rather
    than each asking the sentinel. A forked child starts with fresh locks (a parent thread may
    have held one at the fork) but keeps the tokens, which are still good.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._tokens: dict[tuple[str, str, str], _KeptToken] = {}
        self._locks: dict[tuple[str, str, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, key: tuple[str, str, str]) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def current(self, key: tuple[str, str, str], fetch: Callable[[], str]) -> str:
        """The kept token, or a new one when there is none or it is due for renewal."""
        with self._lock(key):
            kept = self._tokens.get(key)
            if kept is None or self.clock() >= kept.renew_at:
                kept = self._fetch(key, fetch)
            return kept.token

    def replace(self, key: tuple[str, str, str], refused: str, fetch: Callable[[], str]) -> str:
        """A new token in place of one the platform refused (unless another thread replaced it
        already: then that one)."""
        with self._lock(key):
            kept = self._tokens.get(key)
            if kept is None or kept.token == refused:
                kept = self._fetch(key, fetch)
            return kept.token

    def renew(self, key: tuple[str, str, str], fetch: Callable[[], str]) -> str:
        """A new token now, kept in place of any other (checking the credentials)."""
        with self._lock(key):
            return self._fetch(key, fetch).token

    def _fetch(self, key: tuple[str, str, str], fetch: Callable[[], str]) -> _KeptToken:
        fetched_at = self.clock()
        kept = _KeptToken(fetch(), fetched_at + APP_JWT_LIFETIME - APP_JWT_RENEW_MARGIN)
        self._tokens[key] = kept
        return kept

    def forget(self) -> None:
        """Drop every kept token (tests)."""
        with self._guard:
            self._tokens.clear()

    def after_fork(self) -> None:
        self._guard = threading.Lock()
        self._locks = {}


APP_TOKENS = AppTokenKeeper()
os.register_at_fork(after_in_child=APP_TOKENS.after_fork)


# --- HTTP --------------------------------------------------------------------------------------


class _LivePersonHttp(PlatformHttp):
    """The shared base with LivePerson's headers: `Authorization: <AppJWT>` (doc: the token
    alone) and `X-LP-ON-BEHALF: <ConsumerJWS>`; and its error bodies read into the errors."""

    app_jwt: str | None = None
    consumer_jws: str | None = None

    def __repr__(self) -> str:
        return f"_LivePersonHttp({self.base_url!r})"

    def with_tokens(self, app_jwt: str | None, consumer_jws: str | None = None) -> Self:
        clone = copy.copy(self)
        clone.app_jwt, clone.consumer_jws = app_jwt, consumer_jws
        return clone

    def auth_headers(self) -> dict[str, str]:
        headers = {}
        if self.app_jwt:
            headers["Authorization"] = self.app_jwt
        if self.consumer_jws:
            headers["X-LP-ON-BEHALF"] = self.consumer_jws
        return headers

    def _error_and_retry_delay(
        self, response: httpx.Response, method: str, path: str, idempotent: bool, attempt: int
    ) -> tuple[PlatformError, float | None]:
        """The base's error, with LivePerson's words: the ErrorResp body's `details` and
        `errorCode` (doc), or the sentinel's OAuth `error_description` (guess)."""
        error, delay = super()._error_and_retry_delay(response, method, path, idempotent, attempt)
        details, data = _error_details(response)
        if details:
            error.message, error.data = details, data
        return error, delay


def _error_details(response: httpx.Response) -> tuple[str, dict[str, Any] | None]:
    try:
        payload = response.json()
    except ValueError:
        return "", None
    if not isinstance(payload, dict):
        return "", None
    body = payload.get("body")
    if isinstance(body, dict) and isinstance(body.get("details"), str):
        code = body.get("errorCode")
        suffix = f" ({code})" if isinstance(code, int) else ""
        return body["details"] + suffix, body
    if isinstance(payload.get("error_description"), str):
        return payload["error_description"], payload
    return "", None


def error_code(error: PlatformError) -> int | None:
    """LivePerson's errorCode of a failure (40102...), when its answer gave one."""
    data = error.data
    code = data.get("errorCode") if isinstance(data, dict) else None
    return code if isinstance(code, int) else None


# --- the client --------------------------------------------------------------------------------


class LivePersonClient:
    """A connector app of one account: its client credentials, and where ConsumerJWS tokens
    are kept. `sentinel_url` is where AppJWTs come from (the real service serves it from a
    domain of its own; the base URL by default)."""

    def __init__(
        self,
        base_url: str,
        account_id: str,
        client_id: str,
        client_secret: str,
        *,
        consumer_tokens: ConsumerTokenStore | None = None,
        sentinel_url: str | None = None,
        options: ClientOptions | None = None,
        transport: httpx.BaseTransport | None = None,
        app_tokens: AppTokenKeeper = APP_TOKENS,
    ) -> None:
        self.account_id = account_id
        self._client_id = client_id
        self._client_secret = client_secret
        self.consumer_tokens = consumer_tokens or InMemoryConsumerTokenStore()
        self._http = _LivePersonHttp(base_url, options=options, transport=transport)
        self._sentinel = _LivePersonHttp(
            sentinel_url or base_url, options=options, transport=transport
        )
        self._app_tokens = app_tokens
        self._request_ids = itertools.count(1)

    def __repr__(self) -> str:
        return f"LivePersonClient({self._http.base_url!r}, account={self.account_id!r})"

    @property
    def base_url(self) -> str:
        return self._http.base_url

    def with_options(self, **changes: Any) -> Self:
        """A copy with other timeouts or retries (see `ClientOptions.with_changes`)."""
        clone = copy.copy(self)
        clone._http = self._http.with_options(**changes)
        clone._sentinel = self._sentinel.with_options(**changes)
        return clone

    def close(self) -> None:
        self._http.close()
        self._sentinel.close()

    # --- tokens ---

    @property
    def _account(self) -> str:
        return path_segment(self.account_id)

    @property
    def _token_key(self) -> tuple[str, str, str]:
        return (self._sentinel.base_url, self.account_id, self._client_id)

    def app_token(self) -> str:
        """The AppJWT: kept until shortly before it expires, then fetched anew."""
        return self._app_tokens.current(self._token_key, self._fetch_app_token)

    def renew_app_token(self) -> str:
        """A new AppJWT from the sentinel now (what a credentials check needs: a kept one would
        prove nothing), kept for the calls after it."""
        return self._app_tokens.renew(self._token_key, self._fetch_app_token)

    def _fetch_app_token(self) -> str:
        answer = self._sentinel.request(
            "POST",
            f"/sentinel/api/account/{self._account}/app/token",
            params={"v": TOKEN_VERSION, "grant_type": "client_credentials"},
            data={"client_id": self._client_id, "client_secret": self._client_secret},
            idempotent=True,  # a second token harms nothing
            decode=AppToken.from_json,
        )
        return _required(answer, AppToken, "POST", "app/token").access_token

    def consumer_token(self, ext_consumer_id: str) -> str:
        """The consumer's ConsumerJWS: from the store, or asked for once and stored."""
        kept = self.consumer_tokens.get(self.account_id, ext_consumer_id)
        return kept if kept is not None else self._fetch_consumer_token(ext_consumer_id)

    def _fetch_consumer_token(self, ext_consumer_id: str) -> str:
        path = f"/api/account/{self._account}/consumer"
        answer = self._with_app_token(
            lambda http: http.request(
                "POST",
                path,
                params={"v": TOKEN_VERSION},
                json={"ext_consumer_id": ext_consumer_id},
                idempotent=True,  # the same consumer, whatever token it gets
                decode=ConsumerToken.from_json,
            )
        )
        token = _required(answer, ConsumerToken, "POST", path).token
        self.consumer_tokens.put(self.account_id, ext_consumer_id, token)
        return token

    def _with_app_token(self, call: Callable[[_LivePersonHttp], Any]) -> Any:
        """The call with the AppJWT; refused as invalid (40102), once more with a new one."""
        token = self.app_token()
        try:
            return call(self._http.with_tokens(token))
        except PlatformUnauthorized as refused:
            if error_code(refused) != INVALID_APP_JWT:
                raise
            token = self._app_tokens.replace(self._token_key, token, self._fetch_app_token)
            return call(self._http.with_tokens(token))

    def _on_behalf(self, ext_consumer_id: str, call: Callable[[_LivePersonHttp], Any]) -> Any:
        """The call with both tokens. A refused AppJWT (40102) is replaced once; a refused
        ConsumerJWS (40103) is asked for anew once (another consumer's conversation is refused
        the same way, so that one still fails after)."""
        app_jwt, consumer_jws = self.app_token(), self.consumer_token(ext_consumer_id)
        renewed: set[int] = set()
        while True:
            try:
                return call(self._http.with_tokens(app_jwt, consumer_jws))
            except PlatformUnauthorized as refused:
                code = error_code(refused)
                if code in renewed or code not in (INVALID_APP_JWT, INVALID_CONSUMER_JWS):
                    raise
                renewed.add(code)
                if code == INVALID_APP_JWT:
                    app_jwt = self._app_tokens.replace(
                        self._token_key, app_jwt, self._fetch_app_token
                    )
                else:
                    consumer_jws = self._fetch_consumer_token(ext_consumer_id)

    def _request_id(self) -> str:
        return str(next(self._request_ids))

    # --- CONVERSATION and SEND ---

    def open_conversation(
        self,
        ext_consumer_id: str,
        *,
        profile: Mapping[str, Any] | None = None,
        skill_id: str | None = None,
        **request_fields: Any,
    ) -> str:
        """CONVERSATION: set the consumer's profile, then open a conversation; returns its id.
        `request_fields` go into cm.ConsumerRequestConversation as given (campaignInfo,
        conversationContext, ttrDefName...)."""
        wanted: dict[str, Any] = {"brandId": self.account_id, "channelType": "MESSAGING"}
        if skill_id is not None:
            wanted["skillId"] = skill_id
        wanted |= request_fields
        batch = [
            self._payload("userprofile.SetUserProfile", dict(profile or {})),
            self._payload("cm.ConsumerRequestConversation", wanted),
        ]
        path = f"/api/account/{self._account}/messaging/consumer/conversation"
        answers = self._on_behalf(
            ext_consumer_id,
            lambda http: http.request(
                "POST",
                path,
                params={"v": MESSAGING_VERSION},
                json=batch,
                decode=_decode_responses,
            ),
        )
        return _conversation_id(answers, path)

    def send_text(self, ext_consumer_id: str, conversation_id: str, text: str) -> int:
        """SEND `ms.PublishEvent`: a text message; returns its sequence. A closed conversation
        refuses it (PlatformValidationError)."""
        event = {"type": "ContentEvent", "contentType": "text/plain", "message": text}
        answer = self._send(
            ext_consumer_id, "ms.PublishEvent", {"dialogId": conversation_id, "event": event}
        )
        if answer.body is None or answer.body.sequence is None:
            raise PlatformUnavailable(UNEXPECTED, method="POST", path="send")
        return answer.body.sequence

    def close_conversation(self, ext_consumer_id: str, conversation_id: str) -> None:
        """SEND `cm.UpdateConversationField` CLOSE; closing a closed conversation is fine, so a
        retry after a lost answer is safe."""
        field_ = {"field": "ConversationStateField", "conversationState": "CLOSE"}
        self._update_field(ext_consumer_id, conversation_id, field_)

    def rate_conversation(
        self, ext_consumer_id: str, conversation_id: str, rate: int, *, resolved: bool | None = None
    ) -> None:
        """SEND `cm.UpdateConversationField` CSATRate (1 to 5)."""
        field_: dict[str, Any] = {"field": "CSATRate", "csatRate": rate, "status": "FILLED"}
        if resolved is not None:
            field_["csatResolutionConfirmation"] = resolved
        self._update_field(ext_consumer_id, conversation_id, field_)

    def set_profile(self, ext_consumer_id: str, profile: Mapping[str, Any]) -> None:
        """SEND `userprofile.SetUserProfile`."""
        self._send(ext_consumer_id, "userprofile.SetUserProfile", dict(profile), idempotent=True)

    def _update_field(
        self, ext_consumer_id: str, conversation_id: str, field_: dict[str, Any]
    ) -> None:
        body = {"conversationId": conversation_id, "conversationField": field_}
        self._send(ext_consumer_id, "cm.UpdateConversationField", body, idempotent=True)

    def _send(
        self, ext_consumer_id: str, kind: str, body: dict[str, Any], *, idempotent: bool = False
    ) -> SendAnswer:
        payload = self._payload(kind, body)
        path = f"/api/account/{self._account}/messaging/consumer/conversation/send"
        answer = self._on_behalf(
            ext_consumer_id,
            lambda http: http.request(
                "POST",
                path,
                params={"v": MESSAGING_VERSION},
                json=payload,
                idempotent=idempotent,
                decode=SendAnswer.from_json,
            ),
        )
        return _required(answer, SendAnswer, "POST", path)

    def _payload(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        """A request as the document writes it: `{kind: "req", id, type, body}`."""
        return {"kind": "req", "id": self._request_id(), "type": kind, "body": body}


def _decode_responses(content: bytes) -> list[Response]:
    return msgspec.json.decode(content, type=list[Response], strict=False)


def _conversation_id(answers: Any, path: str) -> str:
    """The second answer's `body.conversationId`; an answer with another code is a failure."""
    if not isinstance(answers, list) or len(answers) < 2:
        raise PlatformUnavailable(UNEXPECTED, method="POST", path=path)
    for answer in answers:
        if answer.code not in (200, "200", "OK"):
            raise PlatformValidationError(str(answer.body), method="POST", path=path)
    body = answers[1].body
    conversation_id = body.get("conversationId") if isinstance(body, dict) else None
    if not isinstance(conversation_id, str) or not conversation_id:
        raise PlatformUnavailable(UNEXPECTED, method="POST", path=path)
    return conversation_id


def _required[R](answer: Any, record: type[R], method: str, path: str) -> R:
    if not isinstance(answer, record):  # an empty answer, where a record was due
        raise PlatformUnavailable(UNEXPECTED, method=method, path=path)
    return answer
