"""Template filters for platform data that becomes a link, and the conversations table's rows."""

from datetime import datetime
from urllib.parse import urlsplit

from django import template
from django.template.defaultfilters import title
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from dashboard.platforms.connextlive_records import ConversationSummary, LastMessage
from dashboard.visitors.templatetags.list_tables import moment, path_segment, text

register = template.Library()


@register.filter
def http_url(value: object) -> str:
    """The URL if it is an absolute http(s) URL, else "": an attachment URL comes from the
    platform (untrusted), and a `javascript:` or `data:` URL must never become an href."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme in ("http", "https") and parts.netloc else ""


@register.filter
def conversation_url(conversation_id: object) -> str:
    """`/conversations/<id>/` for an id from a list: `{% url %}` would raise (a 500) on an id
    that is not a slug, and ids are platform data like the rest."""
    return f"{reverse('conversations:list')}{path_segment(str(conversation_id))}/"


@register.filter
def visitor_url(visitor_id: object) -> str:
    return f"{reverse('visitors:list')}{path_segment(str(visitor_id))}/"


# --- the conversations table, rendered in Python ------------------------------------------------

STATUS_BADGES = {
    "ACTIVE": '<span class="badge bg-green-lt">Active</span>',
    "WAITING": '<span class="badge bg-yellow-lt">Waiting</span>',
    "CLOSED": '<span class="badge bg-secondary-lt">Closed</span>',
}
ONLINE_DOT = '<span class="status-dot status-green" title="Online"></span>'
UNASSIGNED = '<span class="text-secondary">Unassigned</span>'
UNREAD = '<span class="badge bg-red text-red-fg" title="Unread messages">{count}</span>'
NONE_UNREAD = '<span class="text-secondary">0</span>'


@register.simple_tag
def status_badge(status: str) -> SafeString:
    """A conversation's status as a badge; a status the console does not know shows as sent."""
    return SafeString(STATUS_BADGES.get(status) or f'<span class="badge">{text(status)}</span>')


@register.simple_tag
def conversation_rows(conversations: list[ConversationSummary]) -> SafeString:
    """Every row of the conversations table, one `<tr>` per conversation.

    In Python for the reason the visitors' rows are (visitor_tables): through the template
    engine a 25-row page cost about 45 M instructions (1.8 M a row, most of it date formats,
    `timesince` and truncation), here about 2 M. Every value from the platform goes through
    text(); tests/conversations/test_hostile.py checks the seed's hostile strings.
    """
    prefix = reverse("conversations:list")
    now = timezone.now()
    return SafeString("".join([_row(conversation, prefix, now) for conversation in conversations]))


def _row(conversation: ConversationSummary, prefix: str, now: datetime) -> str:
    visitor = conversation.visitor
    online = ONLINE_DOT if visitor and visitor.is_online else ""
    name = (visitor and (visitor.user_name or visitor.user_email)) or "Anonymous visitor"
    subject = (
        f'<div class="small text-secondary text-break">{text(_cut(conversation.subject, 80))}</div>'
        if conversation.subject
        else ""
    )
    agent = conversation.agent
    agent_cell = text(agent.name or agent.id) if agent else UNASSIGNED
    unread = (
        UNREAD.format(count=conversation.unread_count) if conversation.unread_count else NONE_UNREAD
    )
    return (
        "<tr>\n"
        f'<td>{online}<a href="{text(prefix + path_segment(conversation.id))}/">{text(name)}</a>'
        f"{subject}</td>\n"
        f'<td class="text-break">{_last_message(conversation.last_message)}</td>\n'
        f"<td>{status_badge(conversation.status)}</td>\n"
        f"<td>{agent_cell}</td>\n"
        f"<td>{unread}</td>\n"
        f"<td>{conversation.message_count}</td>\n"
        f'<td class="text-nowrap">{moment(conversation.updated_at, now)}</td>\n'
        "</tr>\n"
    )


def _last_message(message: LastMessage | None) -> str:
    if message is None:
        return "—"
    sender = text(title(message.sender_type))
    return f'<span class="text-secondary">{sender}:</span> {text(_cut(message.content, 90))}'


def _cut(value: str, length: int) -> str:
    """What `|truncatechars:length` shows: at most `length` characters, an ellipsis included."""
    return Truncator(value).chars(length)
