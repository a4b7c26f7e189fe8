"""The receiver of Naxon AI's keyword webhook: `POST /hooks/naxon/<secret>/`.

It answers fast and never calls a platform: it checks, stores and answers. In order:

- not POST: 405; a secret no workspace has (or one whose overlap ended): 404;
- a body over 256 KB: 413; a content type other than JSON: 415; a body that is not a keyword
  notification (not JSON, another event, a missing field, too deeply nested...): 400 with the
  reason. Each refusal of a known workspace's URL is kept in its "rejected deliveries" list;
- a notification: stored once (`KeywordAlert`'s unique constraint on the delivery's identity)
  and answered 200 `{"status": "accepted"}`; a redelivery gets the same answer (so the platform
  stops retrying it) and changes nothing.
"""

import hashlib
from datetime import datetime

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from accounts.access import public
from dashboard.alerts.hooks import tenant_of_secret
from dashboard.alerts.models import KeywordAlert, RejectedDelivery
from dashboard.platforms.naxon import (
    MAX_NOTIFICATION_BYTES,
    KeywordNotification,
    MalformedNotification,
    parse_keyword_notification,
)

JSON_TYPES = ("application/json",)


@csrf_exempt
@public
def naxon_keyword_hook(request: HttpRequest, secret: str) -> HttpResponse:
    if request.method != "POST":
        response = JsonResponse({"error": "Only POST is accepted."}, status=405)
        response["Allow"] = "POST"
        return response
    tenant_id = tenant_of_secret(secret)
    if tenant_id is None:
        return JsonResponse({"error": "Not found."}, status=404)
    content_type = request.content_type or ""
    declared = _declared_length(request)
    if declared is not None and declared > MAX_NOTIFICATION_BYTES:
        return _reject(tenant_id, 413, "the body is larger than 256 KB", content_type, declared)
    body = request.read(MAX_NOTIFICATION_BYTES + 1)
    if len(body) > MAX_NOTIFICATION_BYTES:
        return _reject(tenant_id, 413, "the body is larger than 256 KB", content_type, len(body))
    if content_type.lower() not in JSON_TYPES:
        reason = f"the content type is {content_type or 'missing'}, not application/json"
        return _reject(tenant_id, 415, reason, content_type, len(body), body)
    try:
        notification = parse_keyword_notification(body)
    except MalformedNotification as problem:
        return _reject(tenant_id, 400, str(problem), content_type, len(body), body)
    store(tenant_id, notification)
    return JsonResponse({"status": "accepted"})


def store(tenant_id: str, notification: KeywordNotification, now: datetime | None = None) -> None:
    """Keep the notification, unless it is already kept: one `INSERT ... ON CONFLICT DO NOTHING`
    on the unique (workspace, identity), in autocommit (no transaction held around it), so
    concurrent deliveries of one notification, in any process, leave exactly one row. Plain SQL
    (SQLite and PostgreSQL both speak it): the ORM's bulk_create cost more than the insert."""
    payload = notification.payload
    message = payload.most_recent_message
    moment = message.created_at if message else payload.updated_at
    values = [
        tenant_id,
        hashlib.sha256(notification.dedup_key.encode()).hexdigest(),
        _text(payload.keyword, 200),
        payload.model_id,
        _text(payload.model_name or "", 200),
        payload.id,
        _text(payload.platform, 64),
        _text(payload.platform_user_id, 200),
        message.id if message else None,
        _text(message.sender if message else "", 32),
        _text(message.message if message else "", 10_000),
        connection.ops.adapt_datetimefield_value(moment) if moment else None,
        connection.ops.adapt_datetimefield_value(now or timezone.now()),
        "",
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, values)


_COLUMNS = (
    "tenant_id",
    "dedup_key",
    "keyword",
    "model_id",
    "model_name",
    "conversation_id",
    "platform",
    "platform_user_id",
    "message_id",
    "message_sender",
    "message",
    "message_at",
    "received_at",
    "handled_by_email",
)
_INSERT = (
    f"INSERT INTO {KeywordAlert._meta.db_table} ({', '.join(_COLUMNS)})"  # noqa: S608 - ours
    f" VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
    " ON CONFLICT (tenant_id, dedup_key) DO NOTHING"
)


def _text(value: str, length: int) -> str:
    """Platform text as a database keeps it: PostgreSQL refuses NUL in text."""
    return value.replace("\x00", "\ufffd")[:length]


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _reject(
    tenant_id: str,
    status: int,
    reason: str,
    content_type: str,
    size: int,
    body: bytes = b"",
) -> HttpResponse:
    RejectedDelivery.objects.create(
        tenant_id=tenant_id,
        status=status,
        reason=_text(reason, 300),
        content_type=_text(content_type, 100),
        size=max(0, size),
        excerpt=_text(body[:300].decode("utf-8", "replace"), 300),
    )
    keep = RejectedDelivery.objects.filter(tenant_id=tenant_id).order_by("-received_at", "-pk")
    stale = keep.values_list("pk", flat=True)[RejectedDelivery.KEEP : RejectedDelivery.KEEP + 100]
    RejectedDelivery.objects.filter(pk__in=list(stale)).delete()
    return JsonResponse({"error": reason}, status=status)
