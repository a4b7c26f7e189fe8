"""The conversations table's rows: each conversation's cell values, worked out once
(dashboard/lib/rows.py), for `templates/jinja2/conversations/rows.html`."""

from typing import NamedTuple

from django.utils.text import Truncator
from django.utils.translation import gettext_noop as _

from dashboard.lib.rows import Badge, Clock, Moment, detail_url
from dashboard.lib.words import gettext
from dashboard.platforms.connextlive_records import ConversationSummary

# In English; said in the viewer's language through the kept words (dashboard/lib/words.py):
# a table says one of these in every row.
STATUS_BADGES = {
    "ACTIVE": Badge(_("Active"), "bg-green-lt"),
    "WAITING": Badge(_("Waiting"), "bg-yellow-lt"),
    "CLOSED": Badge(_("Closed"), "bg-secondary-lt"),
}
SENDER_NAMES = {"VISITOR": _("Visitor"), "AGENT": _("Agent"), "SYSTEM": _("System")}


def status_name(status: str, language: str | None = None) -> str:
    """A conversation status as people read it ("Active"), in the active language (or
    `language`, the active one read once for many rows)."""
    badge = STATUS_BADGES.get(status)
    return gettext(badge.label, language) if badge else status.title()


def sender_name(sender_type: str, language: str | None = None) -> str:
    """Who sent a message ("Visitor", "Agent", "System"), in the active language (or
    `language`, as status_name)."""
    name = SENDER_NAMES.get(sender_type)
    return gettext(name, language) if name is not None else sender_type.title()


SUBJECT_LENGTH = 80
MESSAGE_LENGTH = 90


class ConversationRow(NamedTuple):
    url: str
    visitor: str
    visitor_online: bool
    subject: str
    last_sender: str  # "Visitor", "Agent", "System"; "" when there is no message yet
    last_message: str
    status: Badge
    agent: str  # "" when unassigned
    unread: int
    messages: int
    updated: Moment | None


def conversation_row(
    conversation: ConversationSummary, list_url: str, clock: Clock
) -> ConversationRow:
    visitor = conversation.visitor
    agent = conversation.agent
    last = conversation.last_message
    return ConversationRow(
        url=detail_url(list_url, conversation.id),
        visitor=(visitor and (visitor.user_name or visitor.user_email))
        or gettext("Anonymous visitor", clock.language),
        visitor_online=bool(visitor and visitor.is_online),
        subject=cut(conversation.subject or "", SUBJECT_LENGTH),
        last_sender=sender_name(last.sender_type or "", clock.language) if last else "",
        last_message=cut(last.content or "", MESSAGE_LENGTH) if last else "",
        status=status_badge(conversation.status or "", clock.language),
        agent=(agent.name or agent.id) if agent else "",
        unread=conversation.unread_count or 0,
        messages=conversation.message_count or 0,
        updated=clock.moment(conversation.updated_at),
    )


def status_badge(status: str, language: str | None = None) -> Badge:
    """A conversation's status as a badge, in the active language (or `language`, as
    status_name); a status the console does not know shows as sent."""
    badge = STATUS_BADGES.get(status)
    return Badge(gettext(badge.label, language), badge.css) if badge else Badge(status)


def cut(value: str, length: int) -> str:
    """What `|truncatechars:length` shows: at most `length` characters, an ellipsis included."""
    return Truncator(value).chars(length) if len(value) > length else value
