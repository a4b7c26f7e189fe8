"""The ConnectiveOne tables' rows: each chat's or ticket's cell values, worked out once
(dashboard/lib/rows.py), for `templates/jinja2/connectiveone/*_rows.html`."""

from typing import NamedTuple

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dashboard.lib.rows import Badge, Clock, Moment
from dashboard.platforms.connectiveone import ChatRoom, Ticket

CHAT_STATUS_BADGES = {
    "open": Badge(_("Open"), "bg-green-lt"),
    "closed": Badge(_("Closed"), "bg-secondary-lt"),
}
TICKET_STATUS_BADGES = {
    "new": Badge(_("New"), "bg-blue-lt"),
    "in_progress": Badge(_("In progress"), "bg-yellow-lt"),
    "resolved": Badge(_("Resolved"), "bg-secondary-lt"),
}
PRIORITY_BADGES = {
    "high": Badge(_("High"), "bg-red-lt"),
    "normal": Badge(_("Normal"), "bg-secondary-lt"),
    "low": Badge(_("Low"), "bg-secondary-lt"),
}
CHANNELS = {"telegram": "Telegram", "viber": "Viber", "whatsapp": "WhatsApp",
            "facebook": "Facebook", "instagram": "Instagram", "webchat": _("Web chat")}  # fmt: skip


class ChatRow(NamedTuple):
    url: str
    name: str
    phone: str
    email: str
    channel: str
    bot: str
    status: Badge
    operator: str  # "" when no operator took it
    tickets: int | None  # None: not known
    created: Moment | None
    updated: Moment | None


class TicketRow(NamedTuple):
    subject: str
    chat_url: str
    chat_name: str
    status: Badge
    priority: Badge
    operator: str
    created: Moment | None
    updated: Moment | None


def chat_url(room_id: int) -> str:
    return reverse("connectiveone:chat", args=[room_id])


def chat_name(room: ChatRoom) -> str:
    return (
        room.user_name
        or (f"+{room.phone}" if room.phone else "")
        or gettext("Chat %(id)s") % {"id": room.chat_id}
    )


def phone_shown(phone: str | None) -> str:
    """The API writes phones internationally without `+`; the console shows E.164."""
    return f"+{phone}" if phone else ""


def chat_row(room: ChatRoom, clock: Clock) -> ChatRow:
    return ChatRow(
        url=chat_url(room.id),
        name=chat_name(room),
        phone=phone_shown(room.phone),
        email=room.email or "",
        channel=channel_label(room.channel),
        bot=room.bot.name if room.bot else str(room.bot_id),
        status=badge(CHAT_STATUS_BADGES, room.status),
        operator=room.operator.name or room.operator.email if room.operator else "",
        tickets=len(room.tickets) if room.tickets is not None else None,
        created=clock.moment(room.created_at),
        updated=clock.moment(room.updated_at),
    )


def ticket_row(ticket: Ticket, clock: Clock) -> TicketRow:
    room = ticket.chat_room
    return TicketRow(
        subject=ticket.subject or gettext("Ticket %(id)s") % {"id": ticket.id},
        chat_url=chat_url(ticket.chat_room_id),
        chat_name=chat_name(room) if room else gettext("Chat %(id)s") % {"id": ticket.chat_room_id},
        status=badge(TICKET_STATUS_BADGES, ticket.status),
        priority=badge(PRIORITY_BADGES, ticket.priority),
        operator=ticket.operator.name or ticket.operator.email if ticket.operator else "",
        created=clock.moment(ticket.created_at),
        updated=clock.moment(ticket.updated_at),
    )


def channel_label(channel: str) -> str:
    return str(CHANNELS.get(channel, channel))


def badge(known: dict[str, Badge], value: str) -> Badge:
    """A status or priority as a badge; one the console does not know shows as sent."""
    return known.get(value) or Badge(value or "—")
