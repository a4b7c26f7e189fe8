"""Naxon's control endpoints, under /__sandbox__/naxon/ (tests and benchmarks only): the keyword
webhook's settings, injecting a customer's message, notifying on command (once, or a burst),
and the delivery log. Answers and errors are in the shape of the other control endpoints
(sandbox/control.py): 400 with field errors, 404 for an unknown record."""

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.urls import path

from sandbox.connextlive.http import (
    endpoint,
    finite_number,
    json_object,
    not_found,
    type_name,
    validation_error,
)
from sandbox.naxon import deliveries, serializers, triggers
from sandbox.naxon.deliveries import Webhook
from sandbox.naxon.http import int64
from sandbox.naxon.rules import (
    DEFAULT_LOG_PAGE,
    DEFAULT_RETRIES,
    LARGEST_INT64,
    MAX_BURST,
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS,
    MAX_LOG_PAGE,
    MAX_MESSAGE_LENGTH,
    MAX_REPEAT,
    SENDERS,
    SMALLEST_INT64,
)


class _Fields:
    """Reads a JSON body's fields, collecting a message per bad one."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.errors: dict[str, list[str]] = {}

    def bad(self, name: str, message: str) -> None:
        self.errors[name] = [message]

    def number(
        self, name: str, default: Any, low: float, high: float, *, whole: bool = False
    ) -> Any:
        value = self.body.get(name)
        if value is None:
            return default
        if not finite_number(value) or not low <= value <= high or (whole and value % 1):
            kind = "a whole number" if whole else "a number"
            self.bad(name, f"Expected {kind} from {low} to {high}, received {value!r:.50}")
            return default
        return int(value) if whole else float(value)

    def record_id(self, name: str) -> int | None:
        """An int64 id: a JSON number, or a string of digits (ids beyond 2**53 survive)."""
        value = self.body.get(name)
        if value is None:
            return None
        number = int64(value) if isinstance(value, str) and value.isascii() else value
        if type(number) is not int or not SMALLEST_INT64 <= number <= LARGEST_INT64:
            self.bad(name, f"Expected a 64-bit integer, received {type_name(value)}")
            return None
        return number

    def check(self) -> None:
        if self.errors:
            raise validation_error(self.errors)


# --- the webhook -------------------------------------------------------------------------------


def get_webhook(request: HttpRequest) -> dict[str, Any]:
    hook = deliveries.webhook()
    return {"webhook": hook.to_json() if hook else None}


def set_webhook(request: HttpRequest) -> dict[str, Any]:
    """Replaces the webhook: its URL, the keywords it watches, and (for tests) how it retries."""
    fields = _Fields(json_object(request))
    url = fields.body.get("url")
    if not _is_http_url(url):
        fields.bad("url", "Expected an absolute http:// or https:// URL")
    keywords = _keywords(fields)
    hook = Webhook(
        url=str(url),
        keywords=keywords,
        timeout=fields.number("timeoutSeconds", DEFAULT_RETRIES.timeout, 0.01, 60),
        retry_delay=fields.number("retryDelaySeconds", DEFAULT_RETRIES.first_delay, 0, 60),
        max_attempts=fields.number("maxAttempts", DEFAULT_RETRIES.max_attempts, 1, 20, whole=True),
    )
    fields.check()
    deliveries.set_webhook(hook)
    return get_webhook(request)


def clear_webhook(request: HttpRequest) -> dict[str, Any]:
    deliveries.clear_webhook()
    return get_webhook(request)


def _is_http_url(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 2_000:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _keywords(fields: _Fields) -> tuple[str, ...]:
    value = fields.body.get("keywords")
    words = value if isinstance(value, list) else []
    cleaned = [word.strip() for word in words if isinstance(word, str) and word.strip()]
    if not words or len(cleaned) != len(words) or len(words) > MAX_KEYWORDS:
        fields.bad("keywords", f"Expected 1 to {MAX_KEYWORDS} non-blank strings")
    elif any(len(word) > MAX_KEYWORD_LENGTH for word in cleaned):
        fields.bad("keywords", f"Each keyword has at most {MAX_KEYWORD_LENGTH} characters")
    unique: dict[str, str] = {}
    for word in cleaned:
        unique.setdefault(word.casefold(), word)
    return tuple(unique.values())


def _required_webhook(fields: _Fields) -> Webhook:
    hook = deliveries.webhook()
    if hook is None:
        fields.bad("webhook", "Set the webhook first: POST /__sandbox__/naxon/webhook")
        fields.check()
    return hook


# --- triggers ----------------------------------------------------------------------------------


def inject_message(request: HttpRequest, conversation_id: str) -> dict[str, Any]:
    """A new message in the conversation, as if its customer (or the bot) had written it; every
    watched keyword it contains is notified."""
    fields = _Fields({**json_object(request), "conversationId": conversation_id})
    target = fields.record_id("conversationId")
    text = fields.body.get("message")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE_LENGTH:
        fields.bad("message", f"Expected 1 to {MAX_MESSAGE_LENGTH} characters")
    sender = fields.body.get("sender", "user")
    if sender not in SENDERS:
        fields.bad("sender", f"Expected one of {', '.join(SENDERS)}")
    fields.check()
    try:
        injected = triggers.inject_message(target, text, sender)
    except triggers.NotFound as missing:
        raise not_found(str(missing)) from None
    return {
        "message": serializers.message(injected.message),
        "keywords": injected.keywords,
        "deliveries": injected.deliveries,
    }


def send_notification(request: HttpRequest) -> dict[str, Any]:
    """Notify one message now: `messageId` (default: the newest with a watched keyword),
    `keyword` (default: each watched one it contains), `repeat` times each."""
    fields = _Fields(json_object(request))
    message_id = fields.record_id("messageId")
    keyword = fields.body.get("keyword")
    if keyword is not None and (not isinstance(keyword, str) or not keyword.strip()):
        fields.bad("keyword", "Expected a watched keyword")
    repeat = fields.number("repeat", 1, 1, MAX_REPEAT, whole=True)
    fields.check()
    hook = _required_webhook(fields)
    try:
        message, keywords, sent = triggers.notify_message(hook, message_id, keyword, repeat)
    except triggers.NotFound as missing:
        raise not_found(str(missing)) from None
    if not keywords:
        fields.bad("keyword" if keyword else "messageId", "The message has no watched keyword")
        fields.check()
    return {"messageId": message.id, "keywords": keywords, "deliveries": sent}


def start_burst(request: HttpRequest) -> dict[str, Any]:
    """`count` deliveries of new messages' notifications, `redeliveryShare` of them repeats of
    an earlier one, `perSecond` (default: as fast as it goes)."""
    fields = _Fields(json_object(request))
    count = fields.number("count", None, 1, MAX_BURST, whole=True)
    if count is None and "count" not in fields.errors:
        fields.bad("count", "Required")
    share = fields.number("redeliveryShare", 0.0, 0, 0.9)
    per_second = fields.number("perSecond", None, 0.1, 10_000)
    fields.check()
    burst = triggers.start_burst(_required_webhook(fields), count, share, per_second)
    return {
        "burst": burst.id,
        "deliveries": burst.deliveries,
        "distinct": burst.distinct,
        "redeliveries": burst.redeliveries,
    }


# --- the delivery log --------------------------------------------------------------------------


def list_deliveries(request: HttpRequest) -> dict[str, Any]:
    """The log in order (`after` an id, at most `limit`, of one `burst`), and counts by state."""
    errors: dict[str, list[str]] = {}
    after = _query_number(request, "after", 0, 0, LARGEST_INT64, errors)
    limit = _query_number(request, "limit", DEFAULT_LOG_PAGE, 1, MAX_LOG_PAGE, errors)
    if errors:
        raise validation_error(errors)
    burst = request.GET.get("burst") or None
    return {
        "deliveries": deliveries.deliveries(after=after, limit=limit, burst=burst),
        "summary": deliveries.summary(burst),
    }


def _query_number(
    request: HttpRequest, name: str, default: int, low: int, high: int, errors: dict
) -> int:
    raw = request.GET.get(name)
    if not raw:
        return default
    if raw.isascii() and raw.isdigit() and low <= int(raw) <= high:
        return int(raw)
    errors[name] = [f"Expected a whole number from {low} to {high}"]
    return default


def clear_deliveries(request: HttpRequest) -> dict[str, Any]:
    """Empties the log; deliveries and bursts under way stop."""
    deliveries.clear_deliveries()
    return {"success": True}


urlpatterns = [
    path("webhook", endpoint(GET=get_webhook, POST=set_webhook, DELETE=clear_webhook)),
    path("webhook/send", endpoint(POST=send_notification)),
    path("webhook/burst", endpoint(POST=start_burst)),
    path("conversations/<str:conversation_id>/messages", endpoint(POST=inject_message)),
    path("deliveries", endpoint(GET=list_deliveries, DELETE=clear_deliveries)),
]
