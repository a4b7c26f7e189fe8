"""UChat (konversation Connect): the bot's subscribers with the person's e-mail or phone, through
the subscriber search (seeds/002: "by name, phone, email"), one call per identifier, at once.

The sandbox compares the phone's digits exactly and the e-mail exactly in any case
(sandbox/README.md, "UChat wire shapes"); the answers are kept only where the subscriber's own
e-mail or normalised phone is the person's, so a looser search on a real UChat adds nothing
false. Everything goes through the workspace's UChat integration (its bot token): a refused token
is this panel's error, never a sign-out."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.access import AuthedRequest
from dashboard.concurrent import gather
from dashboard.contacts import phones
from dashboard.contacts.people import Person
from dashboard.contacts.sources import Findings, Match, register
from dashboard.integrations.channels import uchat_for
from dashboard.integrations.connections import NotConfigured
from dashboard.lib.rows import Badge, Clock, detail_url
from dashboard.platforms.errors import PlatformUnauthorized
from dashboard.platforms.uchat_records import Subscriber
from dashboard.uchat.rows import subscriber_label

MAX_SUBSCRIBERS = 10
NOT_CONFIGURED = gettext_lazy(
    "UChat is not connected: a manager can connect it on the Integrations page."
)
REFUSED = gettext_lazy(
    "UChat refused the bot token: a manager can check it on the Integrations page."
)


@register
class UChatSource:
    key = "uchat"
    label = "UChat"

    def find(self, request: AuthedRequest, person: Person, clock: Clock) -> Findings:
        try:
            client = uchat_for(request.user.tenant_id)
        except NotConfigured:
            return Findings(unavailable=str(NOT_CONFIGURED))
        searches = {
            name: (lambda term=term, name=name: client.search_subscribers(
                **{name: term}, limit=MAX_SUBSCRIBERS))
            for name, term in (("email", person.email), ("phone", person.phone))
            if term
        }  # fmt: skip
        try:
            outcomes = gather(**searches)
        except PlatformUnauthorized:  # the bot token, not the user's sign-in
            return Findings(error=str(REFUSED))
        errors = [str(outcome.error) for outcome in outcomes.values() if not outcome.ok]
        found: dict[str, Subscriber] = {}
        more = False
        for outcome in outcomes.values():
            if outcome.ok:
                more |= outcome.value.total > len(outcome.value.items)
                for subscriber in outcome.value.items:
                    if is_them(subscriber, person):
                        found.setdefault(subscriber.user_ns, subscriber)
        matches = [_match(subscriber, clock) for subscriber in found.values()]
        return Findings(matches=matches, error="; ".join(errors) if not matches else "", more=more)


def is_them(subscriber: Subscriber, person: Person) -> bool:
    if person.email and (subscriber.email or "").strip().lower() == person.email:
        return True
    return bool(person.phone) and phones.normalise(subscriber.phone or "") == person.phone


def _match(subscriber: Subscriber, clock: Clock) -> Match:
    facts = (subscriber.email or "", subscriber.phone or "", subscriber.channel or "")
    return Match(
        title=subscriber_label(subscriber),
        url=detail_url(reverse("uchat:list"), subscriber.user_ns),
        facts=tuple(fact for fact in facts if fact),
        badge=None if subscriber.subscribed else Badge("Unsubscribed", "bg-secondary-lt"),
        when=clock.moment(subscriber.last_interaction_at),
    )
