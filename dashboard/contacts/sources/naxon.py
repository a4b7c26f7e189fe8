"""Naxon AI: the conversations whose platform user is the person, where a platform user id can
be the person's at all. A WhatsApp conversation's `platform_user_id` is the customer's number as
WhatsApp writes it (the `wa_id`: E.164 without `+`), and a signed-in web visitor's is their
e-mail; a Telegram, Messenger, Instagram or LINE id names neither, so those are never matched
(sandbox/naxon/shared.py says which seeded people have which).

The document gives no filter by person: the conversations are asked for with the sandbox's
`platform_user_id` filter (a guess, sandbox/README.md), one call per identifier, at once, and
only the rows whose platform and platform user id are the person's are kept, so a service that
ignored the filter would show fewer matches (those among its newest conversations), never a
wrong one. A refused API token is this panel's error, never a sign-out."""

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from accounts.access import AuthedRequest
from dashboard.concurrent import gather
from dashboard.contacts.people import Person
from dashboard.contacts.sources import Findings, Match, register
from dashboard.integrations.connections import integration_for
from dashboard.integrations.models import Integration
from dashboard.lib.rows import Clock
from dashboard.naxon import data
from dashboard.naxon.rows import MESSAGE_LENGTH
from dashboard.platforms.naxon import Conversation

MAX_CONVERSATIONS = 20
NOT_CONFIGURED = gettext_lazy(
    "Naxon AI is not connected: a manager can connect it on the Integrations page."
)
PLATFORM_LABELS = {"whatsapp": "WhatsApp", "web": "Web"}


def user_ids(person: Person) -> dict[str, str]:
    """{platform: the platform user id the person would have there}."""
    ids = {}
    if person.phone:
        ids["whatsapp"] = person.phone.removeprefix("+")
    if person.email:
        ids["web"] = person.email
    return ids


def is_them(conversation: Conversation, person: Person) -> bool:
    wanted = user_ids(person).get(conversation.platform)
    if wanted is None:
        return False
    user = conversation.platform_user_id.strip()
    return user.lower() == wanted if conversation.platform == "web" else user == wanted


@register
class NaxonSource:
    key = "naxon"
    label = "Naxon AI"

    def find(self, request: AuthedRequest, person: Person, clock: Clock) -> Findings:
        integration = integration_for(request.user.tenant_id, Integration.Kind.NAXON)
        if integration is None or not integration.setting("base_url"):
            return Findings(unavailable=str(NOT_CONFIGURED))
        try:
            client = data.client_for(request.user.tenant_id)
        except data.NaxonUnavailable as missing:  # the token is missing
            return Findings(error=str(missing))

        def conversations_of(user_id: str):
            return data.guarded(
                lambda: client.list_conversations(
                    platform_user_id=user_id, per_page=MAX_CONVERSATIONS, sort="updated_at"
                )
            )

        outcomes = gather(
            **{platform: conversations_of(user) for platform, user in user_ids(person).items()}
        )
        errors = [data.explain(o.error) for o in outcomes.values() if o.error is not None]
        found: dict[int, Conversation] = {}
        more = False
        for outcome in outcomes.values():
            if outcome.ok:
                page = outcome.value
                more |= page.total_rows > len(page.items)
                for conversation in page.items:
                    if is_them(conversation, person):
                        found.setdefault(conversation.id, conversation)
        newest = sorted(
            found.values(), key=lambda c: (c.updated_at is not None, c.updated_at), reverse=True
        )
        matches = [_match(conversation, clock) for conversation in newest]
        return Findings(matches=matches, error="; ".join(errors) if not matches else "", more=more)


def _match(conversation: Conversation, clock: Clock) -> Match:
    last = conversation.most_recent_message
    text = last.message if last else ""
    if len(text) > MESSAGE_LENGTH:
        text = text[: MESSAGE_LENGTH - 1] + "…"
    platform = PLATFORM_LABELS.get(conversation.platform, conversation.platform)
    model = conversation.model_name or gettext("Model %(id)s") % {"id": conversation.model_id}
    facts = (f"{platform} · {conversation.platform_user_id}", text)
    return Match(
        title=f"{model} · {platform}",
        url=f"{reverse('naxon:conversations')}{conversation.id}/" if conversation.id >= 0 else "",
        facts=tuple(fact for fact in facts if fact),
        when=clock.moment(conversation.updated_at),
    )
