"""UChat's deterministic seed: the same size and anchor give the same rows.

Two workspaces: Acme (its store bot, with the subscribers, and an events bot) and Globex (one
bot), so that tests can show a token sees only its own bot. The store bot's first subscribers
are the people shared across platforms (sandbox/people.py); the others are generated. Every
97th generated name is a hostile string; every 50th subscriber has unsubscribed and every 25th
does not allow messages. Credentials are fixed and published (credentials.py).
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction

from sandbox.connextlive.hostile import HOSTILE_STRINGS, HOSTILE_TAGS
from sandbox.people import PEOPLE
from sandbox.state import format_timestamp
from sandbox.uchat.auth import token_hash
from sandbox.uchat.credentials import (
    BOT_TOKEN,
    EVENTS_BOT_TOKEN,
    EVENTS_FLOW_NS,
    MAIN_FLOW_NS,
    MAIN_WORKSPACE_ID,
    MANAGE_FLOW,
    MANAGE_TEAM,
    OTHER_FLOW_NS,
    OTHER_WORKSPACE_ID,
    OTHER_WORKSPACE_TOKEN,
    SPRING_SUB_FLOW_NS,
    TEAM_ONLY_TOKEN,
)
from sandbox.uchat.fields import BOOLEAN, DATE, DATETIME, NUMBER, TEXT, stored
from sandbox.uchat.models import (
    ApiToken,
    Bot,
    FieldValue,
    SubFlow,
    Subscriber,
    SubscriberTag,
    Tag,
    UserField,
    Workspace,
)
from sandbox.uchat.views import tag_ns_for

SEED = "switchboard-uchat"
BATCH_SIZE = 2_000
HISTORY_DAYS = 365
# obs: the document's example user_ns is f190385u394247863; the seed counts on from it.
FIRST_USER_NUMBER = 394_247_863
USER_NUMBER_STEP = 37


@dataclass(frozen=True)
class UChatSize:
    subscribers: int  # of the store bot
    campaign: int  # of them tagged "Spring campaign" (a broadcast audience of a known size)
    others: int  # of each other bot


SIZES = {
    "test": UChatSize(subscribers=400, campaign=40, others=30),
    "demo": UChatSize(subscribers=3_000, campaign=500, others=60),
    "bench": UChatSize(subscribers=12_000, campaign=5_000, others=60),
}

FIRST_NAMES = ["Aisha", "Ben", "Carmen", "Dario", "Eva", "Farid", "Greta", "Hugo", "Ines",
               "Jakob", "Kira", "Luca", "Maya", "Nils", "Oona", "Pavel", "Rosa", "Sami",
               "Tara", "Umar", "Vera", "Wim", "Ximena", "Yusuf", "Zoë"]  # fmt: skip
LAST_NAMES = ["Andersen", "Bianchi", "Costa", "Demir", "Eriksson", "Fischer", "García",
              "Horvat", "Ivanova", "Jovanović", "Keller", "Lambert", "Moreau", "Novak",
              "O'Brien", "Popescu", "Quinn", "Richter", "Santos", "Tamm"]  # fmt: skip
# A channel and how often it is the subscriber's (UChat's channel names, obs).
CHANNEL_WEIGHTS = [("whatsapp_cloud", 5), ("facebook", 2), ("instagram", 2), ("telegram", 1),
                   ("web", 1)]  # fmt: skip
STORES = ["Amsterdam Centraal", "Berlin Mitte", "Lisbon Chiado", "Madrid Sol", "Oslo Aker"]

SUB_FLOWS = {
    MAIN_FLOW_NS: [
        (SPRING_SUB_FLOW_NS, "Spring sale announcement"),
        ("f190385s2693633", "Order ready for pickup"),
        ("f190385s2631581", "Feedback survey"),
        ("f190385s2631590", "Abandoned cart reminder"),
        ("f190385s2631602", "Welcome series"),
        ("f190385s2631617", HOSTILE_STRINGS[2]),
    ],
    EVENTS_FLOW_NS: [("f190390s2700001", "Event reminder"), ("f190390s2700002", "Venue map")],
    OTHER_FLOW_NS: [("f204511s3100001", "Ticket update"), ("f204511s3100002", "Renewal notice")],
}
# Tags with their row ids (a tag's namespace is worked out from its id, views.tag_ns_for).
VIP, NEWSLETTER, LEAD, CUSTOMER, CHURN_RISK, SPRING_CAMPAIGN, HOSTILE_TAG = range(1, 8)
TAGS = {
    MAIN_FLOW_NS: [(VIP, "VIP"), (NEWSLETTER, "Newsletter"), (LEAD, "Lead"),
                   (CUSTOMER, "Customer"), (CHURN_RISK, "Churn risk"),
                   (SPRING_CAMPAIGN, "Spring campaign"), (HOSTILE_TAG, HOSTILE_TAGS[0])],
    EVENTS_FLOW_NS: [(8, "Attendee"), (9, "Speaker")],
    OTHER_FLOW_NS: [(10, "Premium"), (11, "Trial")],
}  # fmt: skip
# The store bot's user fields: (number in the namespace, name, type, share of subscribers
# with a value). Namespaces look like the one seen: f999999v1 (obs).
USER_FIELDS = [
    (1, "Customer ID", TEXT, 0.7),
    (2, "Loyalty points", NUMBER, 0.6),
    (3, "Birthday", DATE, 0.4),
    (4, "SMS opt-in", BOOLEAN, 0.5),
    (5, "Last order at", DATETIME, 0.5),
    (6, "Favourite store", TEXT, 0.3),
    (7, "Cart value", NUMBER, 0.2),
]


# False for the demo seed (`--content demo`): no attack strings as names, a flow or a tag.
HOSTILE = True
DEMO_TEXTS = {HOSTILE_STRINGS[2]: "Holiday opening hours", HOSTILE_TAGS[0]: "Gift card"}


def _text(text: str) -> str:
    return text if HOSTILE else DEMO_TEXTS.get(text, text)


def seed(size_name: str, anchor: datetime, hostile: bool = True) -> dict[str, int]:
    """Fill the (migrated, empty) UChat tables; returns the rows of each kind."""
    global HOSTILE
    HOSTILE = hostile
    size = SIZES[size_name]
    rng = random.Random(SEED)
    with transaction.atomic():
        bots = _workspaces_and_bots()
        _catalogue(bots)
        fields = _user_fields(bots)
        main = _subscribers(bots[MAIN_FLOW_NS], size.subscribers, 0, anchor, rng, shared=True)
        others = []
        for number, flow_ns in enumerate((EVENTS_FLOW_NS, OTHER_FLOW_NS), start=1):
            others += _subscribers(bots[flow_ns], size.others, number * 1_000_000, anchor, rng)
        taggings = _taggings(main, others, size, rng)
        values = _field_values(main, fields, anchor, rng)
    return {
        "uchat subscribers": len(main) + len(others),
        "uchat taggings": taggings,
        "uchat field values": values,
    }


def _workspaces_and_bots() -> dict[str, Bot]:
    Workspace.objects.bulk_create(
        [
            Workspace(id=MAIN_WORKSPACE_ID, name="Acme Retail"),
            Workspace(id=OTHER_WORKSPACE_ID, name="Globex"),
        ]  # fmt: skip
    )
    bots = {
        MAIN_FLOW_NS: Bot.objects.create(
            id=1, workspace_id=MAIN_WORKSPACE_ID, flow_ns=MAIN_FLOW_NS, name="Acme Store Assistant"
        ),
        EVENTS_FLOW_NS: Bot.objects.create(
            id=2, workspace_id=MAIN_WORKSPACE_ID, flow_ns=EVENTS_FLOW_NS, name="Acme Events"
        ),
        OTHER_FLOW_NS: Bot.objects.create(
            id=3, workspace_id=OTHER_WORKSPACE_ID, flow_ns=OTHER_FLOW_NS, name="Globex Helpdesk"
        ),
    }
    tokens = [
        ("Switchboard", BOT_TOKEN, MAIN_FLOW_NS, [MANAGE_FLOW]),
        ("Events", EVENTS_BOT_TOKEN, EVENTS_FLOW_NS, [MANAGE_FLOW]),
        ("Globex", OTHER_WORKSPACE_TOKEN, OTHER_FLOW_NS, [MANAGE_FLOW]),
        ("Team admin", TEAM_ONLY_TOKEN, MAIN_FLOW_NS, [MANAGE_TEAM]),
    ]
    ApiToken.objects.bulk_create(
        ApiToken(name=name, token_hash=token_hash(token), bot=bots[flow], scopes=",".join(scopes))
        for name, token, flow, scopes in tokens
    )
    return bots


def _catalogue(bots: dict[str, Bot]) -> None:
    SubFlow.objects.bulk_create(
        SubFlow(bot=bots[flow], sub_flow_ns=ns, name=_text(name))
        for flow, sub_flows in SUB_FLOWS.items()
        for ns, name in sub_flows
    )
    Tag.objects.bulk_create(
        Tag(id=tag_id, bot=bots[flow], tag_ns=tag_ns_for(flow, tag_id), name=_text(name))
        for flow, tags in TAGS.items()
        for tag_id, name in tags
    )


def _user_fields(bots: dict[str, Bot]) -> list[tuple[UserField, float]]:
    """The store bot's fields (returned with the share of subscribers that have a value) and
    one of the Globex bot's."""
    bot = bots[MAIN_FLOW_NS]
    fields = [
        (
            UserField(bot=bot, var_ns=f"{bot.flow_ns}v{number}", name=name, var_type=var_type,
                      description=f"{name} ({var_type})"),
            share,
        )
        for number, name, var_type, share in USER_FIELDS
    ]  # fmt: skip
    UserField.objects.bulk_create([field for field, _ in fields])
    UserField.objects.create(
        bot=bots[OTHER_FLOW_NS], var_ns=f"{OTHER_FLOW_NS}v1", name="Contract number", var_type=TEXT
    )
    return fields


def _subscribers(
    bot: Bot, count: int, id_offset: int, anchor: datetime, rng: random.Random, shared=False
) -> list[Subscriber]:
    channels = [name for name, weight in CHANNEL_WEIGHTS for _ in range(weight)]
    span = HISTORY_DAYS * 86_400
    subscribers = []
    for index in range(1, count + 1):
        person = PEOPLE[index - 1] if shared and index <= len(PEOPLE) else None
        channel = "whatsapp_cloud" if person else channels[index % len(channels)]
        first, last = _name(index, person, rng)
        phone = _phone(index, id_offset, channel, person, rng)
        subscribed_at = anchor - timedelta(seconds=span * (count - index + 1) / (count + 1))
        subscribed_at = subscribed_at.replace(microsecond=subscribed_at.microsecond // 1000 * 1000)
        last_seen = subscribed_at + timedelta(minutes=rng.randint(1, 60 * 24 * 30))
        user_number = FIRST_USER_NUMBER + (id_offset + index - 1) * USER_NUMBER_STEP
        subscribers.append(
            Subscriber(
                id=id_offset + index,
                bot=bot,
                user_ns=f"{bot.flow_ns}u{user_number}",
                user_id=_user_id(index, id_offset, channel, phone),
                channel=channel,
                name=f"{first} {last}".strip(),
                first_name=first,
                last_name=last,
                gender=rng.choice([None, "male", "female"]),
                email=person.email if person else _email(index, first, last, rng),
                phone=phone,
                phone_digits=phone.lstrip("+") if phone else None,
                subscribed=index % 50 != 0,
                allow_send_message=index % 50 != 0 and index % 25 != 0,
                subscribed_at=subscribed_at,
                last_interaction_at=None if rng.random() < 0.1 else min(last_seen, anchor),
            )
        )
    Subscriber.objects.bulk_create(subscribers, batch_size=BATCH_SIZE)
    return subscribers


def _name(index: int, person: Any, rng: random.Random) -> tuple[str, str]:
    if person:
        return person.first_name, person.last_name
    if HOSTILE and index % 97 == 0:
        return HOSTILE_STRINGS[(index // 97) % len(HOSTILE_STRINGS)], ""
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def _phone(index: int, id_offset: int, channel: str, person: Any, rng: random.Random) -> str | None:
    if person:
        return person.phone
    if channel in ("whatsapp_cloud", "telegram") or rng.random() < 0.3:
        return f"+3162{id_offset + index:07d}"
    return None


def _user_id(index: int, id_offset: int, channel: str, phone: str | None) -> str:
    """The person's id on its channel: a WhatsApp number, a Messenger PSID..."""
    number = id_offset + index
    match channel:
        case "whatsapp_cloud":
            return phone.lstrip("+") if phone else str(number)
        case "facebook":
            return str(2_400_000_000_000_000 + number * 7)
        case "instagram":
            return str(17_841_400_000_000_000 + number * 13)
        case "telegram":
            return str(5_000_000_000 + number * 11)
        case _:
            return f"web-{number:08d}"


def _email(index: int, first: str, last: str, rng: random.Random) -> str | None:
    if index % 97 == 0 or rng.random() < 0.4:
        return None
    return f"{_ascii(first)}.{_ascii(last)}.{index}@example.org"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in folded.lower() if char.isalnum())


def _taggings(
    main: list[Subscriber], others: list[Subscriber], size: UChatSize, rng: random.Random
) -> int:
    taggings = []
    for index, subscriber in enumerate(main, start=1):
        tags = {
            VIP: index % 10 == 0,
            NEWSLETTER: index % 2 == 1,
            LEAD: rng.random() < 0.3,
            CUSTOMER: rng.random() < 0.5,
            CHURN_RISK: index % 17 == 0,
            SPRING_CAMPAIGN: index <= size.campaign,
            HOSTILE_TAG: index % 97 == 0,
        }
        taggings += [
            SubscriberTag(subscriber=subscriber, tag_id=tag) for tag, on in tags.items() if on
        ]
    for subscriber in others:
        first_tag = 8 if subscriber.bot.flow_ns == EVENTS_FLOW_NS else 10
        taggings.append(SubscriberTag(subscriber=subscriber, tag_id=first_tag + rng.randint(0, 1)))
    SubscriberTag.objects.bulk_create(taggings, batch_size=BATCH_SIZE)
    return len(taggings)


def _field_values(
    main: list[Subscriber],
    fields: list[tuple[UserField, float]],
    anchor: datetime,
    rng: random.Random,
) -> int:
    values = []
    for index, subscriber in enumerate(main, start=1):
        for field, share in fields:
            if rng.random() < share:
                value = _value(field, index, anchor, rng)
                values.append(FieldValue(subscriber=subscriber, field=field, value=stored(value)))
    FieldValue.objects.bulk_create(values, batch_size=BATCH_SIZE)
    return len(values)


def _value(field: UserField, index: int, anchor: datetime, rng: random.Random) -> Any:
    match field.name:
        case "Customer ID":
            return f"CUS-{index:06d}"
        case "Loyalty points":
            return rng.randint(0, 5_000)
        case "Birthday":
            return (date(1960, 1, 1) + timedelta(days=rng.randint(0, 16_000))).isoformat()
        case "SMS opt-in":
            return rng.random() < 0.5
        case "Last order at":
            moment = anchor - timedelta(minutes=rng.randint(60, 60 * 24 * 200))
            return format_timestamp(moment)
        case "Favourite store":
            return rng.choice(STORES)
        case _:
            return round(rng.uniform(5, 400), 2)
