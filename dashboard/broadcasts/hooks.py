"""`/hooks/liveperson/<hook id>/`: LivePerson's webhooks for a workspace's connector app.

- POST only, at most MAX_BODY bytes, CSRF-exempt on this endpoint alone.
- The signature (`X-Liveperson-Signature: sha1=<base64 HMAC-SHA1(secret, body)>`) is checked in
  constant time against the workspace's secret; a bad one gets 401 and a log line that says so,
  never the body.
- Answered fast (LivePerson waits 5 seconds): no platform call here, only a few rows written.
- A redelivered body is acknowledged and ignored (its SHA-256 is kept); a reply is also kept once
  per conversation and sequence, whatever the body around it.
- A consumer's message in a conversation a broadcast opened is kept as its reply (shown on the
  broadcast's page as "replied"); a conversation's state change (closed) is noted.
"""

import hashlib
import logging

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.access import public
from dashboard.broadcasts.models import BroadcastConversation, BroadcastReply, ReceivedHook
from dashboard.integrations.models import Integration
from dashboard.platforms.liveperson_records import (
    SIGNATURE_HEADER,
    ConversationChangeNotification,
    MalformedNotification,
    MessagingChange,
    MessagingEventNotification,
    parse_notification,
    verify_signature,
)

logger = logging.getLogger(__name__)

MAX_BODY = 256 * 1024
MAX_REPLY = 10_000


@public
@csrf_exempt
@require_POST
def liveperson_hook(request: HttpRequest, hook_id: str) -> HttpResponse:
    integration = (
        Integration.objects.filter(kind=Integration.Kind.LIVEPERSON, config__hook_id=hook_id)
        .only("tenant_id", "sealed_secrets")
        .first()
    )
    if integration is None:
        return HttpResponse(status=404)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        return HttpResponse(status=413)
    body = request.body
    if len(body) > MAX_BODY:
        return HttpResponse(status=413)
    secret = integration.secrets().get("webhook_secret", "")
    if not verify_signature(secret, body, request.headers.get(SIGNATURE_HEADER)):
        logger.warning(
            "LivePerson webhook refused: bad signature (workspace %s, %d bytes, from %s)",
            integration.tenant_id,
            len(body),
            request.META.get("REMOTE_ADDR", "?"),
        )
        return HttpResponse(status=401)
    digest = hashlib.sha256(body).hexdigest()
    if ReceivedHook.objects.filter(digest=digest).exists():
        return JsonResponse({"status": "duplicate"})
    try:
        notification = parse_notification(body)
    except MalformedNotification:
        return HttpResponse(status=400)
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReceivedHook.objects.create(digest=digest)
        except IntegrityError:  # the same body, received at the same moment
            return JsonResponse({"status": "duplicate"})
        match notification:
            case MessagingEventNotification():
                for change in notification.changes:
                    _keep_reply(integration.tenant_id, change)
            case ConversationChangeNotification():
                for state_change in notification.changes:
                    if state_change.state:
                        _conversations(integration.tenant_id).filter(
                            conversation_id=state_change.conversation_id
                        ).update(state=state_change.state[:20])
    return JsonResponse({"status": "ok"})


def _conversations(tenant_id: str):  # noqa: ANN202 (a queryset)
    return BroadcastConversation.objects.filter(broadcast__job__tenant_id=tenant_id)


def _keep_reply(tenant_id: str, change: MessagingChange) -> None:
    """A consumer's text in one of this workspace's broadcast conversations (the connector's own
    messages come back too, marked with its app id: those are not replies)."""
    if not change.is_text or change.app_id or change.role != "CONSUMER":
        return
    conversation = _conversations(tenant_id).filter(conversation_id=change.conversation_id).first()
    if conversation is None or change.sequence is None:
        return
    BroadcastReply.objects.get_or_create(
        conversation=conversation,
        sequence=change.sequence,
        defaults={"text": (change.event.message or "")[:MAX_REPLY], "sent_at": change.sent_at},
    )
