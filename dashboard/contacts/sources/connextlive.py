"""Connextlive: the workspace's visitors with this e-mail or phone (the visitors search covers
both, seeds/003; it matches parts of words, so the answers are kept only where the e-mail or
the normalised phone is the person's), and, loaded after the panel, each one's conversations.

The search matches the phone as it is written on the platform: a visitor whose phone was stored
in another writing (spaces, a national form) is found by e-mail only."""

from django.urls import reverse
from django.utils.translation import gettext

from accounts.access import AuthedRequest
from accounts.vault import platform_client
from dashboard.concurrent import gather
from dashboard.contacts import phones
from dashboard.contacts.people import Person
from dashboard.contacts.sources import Findings, Item, Match, register
from dashboard.conversations.rows import status_badge
from dashboard.lib.rows import Clock
from dashboard.platforms.connextlive_records import Visitor
from dashboard.visitors.rows import location

MAX_VISITORS = 10
CONVERSATIONS_SHOWN = 10


@register
class ConnextliveSource:
    key = "connextlive"
    label = "Connextlive"

    def find(self, request: AuthedRequest, person: Person, clock: Clock) -> Findings:
        client = platform_client(request)
        visitors = client.agent if request.user.is_agent else client.tenant
        searches = {
            name: (lambda term=term: visitors.list_visitors(search=term, limit=MAX_VISITORS))
            for name, term in (("email", person.email), ("phone", person.phone))
            if term
        }
        outcomes = gather(**searches)
        errors = [str(outcome.error) for outcome in outcomes.values() if not outcome.ok]
        found: dict[str, Visitor] = {}
        more = False
        for outcome in outcomes.values():
            if outcome.ok:
                more |= outcome.value.total > len(outcome.value.items)
                for visitor in outcome.value.items:
                    if is_them(visitor, person):
                        found.setdefault(visitor.id, visitor)
        matches = [self._match(visitor, clock) for visitor in found.values()]
        return Findings(matches=matches, error="; ".join(errors) if not matches else "", more=more)

    @staticmethod
    def _match(visitor: Visitor, clock: Clock) -> Match:
        facts = [visitor.user_email or "", visitor.user_phone or "", location(visitor)]
        return Match(
            title=visitor.user_name or visitor.user_email or gettext("Anonymous visitor"),
            url=reverse("visitors:detail", args=[visitor.id]),
            facts=tuple(fact for fact in facts if fact),
            when=clock.moment(visitor.last_seen_at),
            items_label=gettext("Conversations"),
            items_url=reverse("contacts:conversations", args=[visitor.id]),
        )


def is_them(visitor: Visitor, person: Person) -> bool:
    if person.email and (visitor.user_email or "").strip().lower() == person.email:
        return True
    return bool(person.phone) and phones.normalise(visitor.user_phone or "") == person.phone


def conversations_of(request: AuthedRequest, visitor_id: str, clock: Clock) -> list[Item]:
    """The visitor's latest conversations (what the visitor's profile shows). The tenant search
    covers visitor ids; an agent's covers names and e-mails, so it searches the visitor's
    e-mail. Either may match other conversations too, hence the filter on visitor_id. Raises
    PlatformCallFailed."""
    client = platform_client(request)
    if request.user.is_agent:
        visitor = client.agent.get_visitor(visitor_id)
        if not visitor.user_email:
            return []
        page = client.agent.list_conversations(search=visitor.user_email, limit=50)
    else:
        page = client.tenant.list_conversations(status="all", search=visitor_id, limit=50)
    return [
        Item(
            label=conversation.subject or conversation.id,
            url=reverse("conversations:detail", args=[conversation.id]),
            badge=status_badge(conversation.status or ""),
            when=clock.moment(conversation.updated_at),
        )
        for conversation in page.items
        if conversation.visitor_id == visitor_id
    ][:CONVERSATIONS_SHOWN]
