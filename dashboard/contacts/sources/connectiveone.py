"""ConnectiveOne: the chat rooms whose data carries the person's phone or e-mail (the sandbox's
`filter[phone]` and `filter[email]`, guesses: the document names no such filter), with their
tickets (`include=tickets`), one call per identifier, at once."""

from django.utils.translation import gettext

from accounts.access import AuthedRequest
from dashboard.concurrent import gather
from dashboard.connectiveone import data
from dashboard.connectiveone.rows import (
    TICKET_STATUS_BADGES,
    badge,
    channel_label,
    chat_name,
    chat_row,
    chat_url,
    phone_shown,
)
from dashboard.contacts.people import Person
from dashboard.contacts.sources import Findings, Item, Match, register
from dashboard.lib.rows import Clock
from dashboard.platforms.connectiveone import ChatRoom
from dashboard.platforms.errors import PlatformError

MAX_CHATS = 20
INCLUDE = ("bot", "tickets")


@register
class ConnectiveOneSource:
    key = "connectiveone"
    label = "ConnectiveOne"

    def find(self, request: AuthedRequest, person: Person, clock: Clock) -> Findings:
        tenant_id = request.user.tenant_id
        if not data.is_connected(tenant_id):
            return Findings(unavailable=str(data.NOT_CONFIGURED))
        try:
            client = data.client_for(tenant_id)
            searches = {}
            if person.phone:
                searches["phone"] = lambda: client.list_chat_rooms(
                    phone=person.phone, include=INCLUDE, limit=MAX_CHATS
                )
            if person.email:
                searches["email"] = lambda: client.list_chat_rooms(
                    email=person.email, include=INCLUDE, limit=MAX_CHATS
                )
            outcomes = gather(**searches)
        except PlatformError as error:  # a refused credential, or no credential at all
            return Findings(error=data.failure_message(error))
        errors = [data.failure_message(o.error) for o in outcomes.values() if not o.ok]
        rooms: dict[int, ChatRoom] = {}
        more = False
        for outcome in outcomes.values():
            if outcome.ok:
                more |= outcome.value.total > len(outcome.value.items)
                for room in outcome.value.items:
                    rooms.setdefault(room.id, room)
        newest = sorted(rooms.values(), key=lambda room: room.created_at, reverse=True)
        matches = [_match(room, clock) for room in newest]
        return Findings(matches=matches, error="; ".join(errors) if not matches else "", more=more)


def _match(room: ChatRoom, clock: Clock) -> Match:
    bot = room.bot.name if room.bot else gettext("bot %(id)s") % {"id": room.bot_id}
    facts = (phone_shown(room.phone), room.email or "", f"{channel_label(room.channel)} · {bot}")
    return Match(
        title=chat_name(room),
        url=chat_url(room.id),
        facts=tuple(fact for fact in facts if fact),
        badge=chat_row(room, clock).status,
        when=clock.moment(room.updated_at),
        items_label=gettext("Tickets"),
        items=tuple(
            Item(
                label=ticket.subject or gettext("Ticket %(id)s") % {"id": ticket.id},
                badge=badge(TICKET_STATUS_BADGES, ticket.status),
                when=clock.moment(ticket.created_at),
            )
            for ticket in room.tickets or ()
        ),
    )
