"""The alerts feed's rows: each alert's cell values, worked out once (dashboard/lib/rows.py), for
`templates/jinja2/alerts/rows.html`."""

from typing import NamedTuple

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dashboard.alerts.models import KeywordAlert
from dashboard.lib.rows import Clock, Moment

MESSAGE_LENGTH = 160


class AlertRow(NamedTuple):
    pk: int
    keyword: str
    model: str
    model_url: str
    platform: str
    platform_user: str
    message: str
    conversation_url: str
    received: Moment | None
    handled: Moment | None
    handled_by: str
    handle_url: str


def alert_row(alert: KeywordAlert, naxon_url: str, alerts_url: str, clock: Clock) -> AlertRow:
    """`naxon_url` is /naxon/ (models and conversations are below it), `alerts_url` /alerts/."""
    message = alert.message
    return AlertRow(
        pk=alert.pk,
        keyword=alert.keyword,
        model=alert.model_name or _("Model %(id)s") % {"id": alert.model_id},
        model_url=f"{naxon_url}models/{alert.model_id}/",
        platform=alert.platform,
        platform_user=alert.platform_user_id,
        message=Truncator(message).chars(MESSAGE_LENGTH)
        if len(message) > MESSAGE_LENGTH
        else message,
        conversation_url=f"{naxon_url}conversations/{alert.conversation_id}/",
        received=clock.moment(alert.received_at),
        handled=clock.moment(alert.handled_at),
        handled_by=alert.handled_by_email,
        handle_url=f"{alerts_url}{alert.pk}/handle/",
    )
