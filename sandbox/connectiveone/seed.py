"""ConnectiveOne's deterministic seed: the same size and anchor give the same rows.

Credentials are fixed and published (README.md) because the sandbox is for demos and tests:
an API key, an external token (x-auth-token) and an operator who can log in.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from sandbox.connectiveone.auth import secret_hash
from sandbox.connectiveone.credentials import (
    API_KEY,
    ENTRY_ALIAS,
    ENTRY_NODE_ID,
    EXTERNAL_TOKEN,
    MAIN_BOT_ID,
    OPERATOR_EMAIL,
    OPERATOR_PASSWORD,
    OTHER_BOT_ID,
)
from sandbox.connectiveone.models import (
    ApiKey,
    Bot,
    BroadcastTemplate,
    ChatRoom,
    ExternalToken,
    Node,
    Operator,
    Ticket,
)
from sandbox.connectiveone.shared import carries_email, shared_rooms
from sandbox.connextlive.hostile import HOSTILE_STRINGS

SEED = "switchboard-connectiveone"
# A fixed salt, as Connextlive's seed uses: a random one would make two seeds differ.
PASSWORD_SALT = "switchboardconnectiveonesalt"
BATCH_SIZE = 2_000
# Chat rooms are spread over this many days before the anchor.
HISTORY_DAYS = 120


@dataclass(frozen=True)
class ConnectiveOneSize:
    chat_rooms: int
    tickets: int


SIZES = {
    "test": ConnectiveOneSize(chat_rooms=2_500, tickets=300),
    "demo": ConnectiveOneSize(chat_rooms=1_000, tickets=200),
    "bench": ConnectiveOneSize(chat_rooms=100_000, tickets=1_000),
}

FIRST_NAMES = ["Olena", "Taras", "Iryna", "Andrii", "Sofia", "Maksym", "Daria", "Oleh", "Mila"]
LAST_NAMES = ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk"]
CHANNEL_WEIGHTS = [("telegram", 5), ("viber", 3), ("whatsapp", 2), ("webchat", 1)]


def seed(size_name: str, anchor: datetime) -> dict[str, int]:
    """Fill the (migrated, empty) ConnectiveOne tables; returns the rows of each kind."""
    size = SIZES[size_name]
    rng = random.Random(SEED)
    with transaction.atomic():
        operators = _operators(anchor)
        _credentials()
        _bots()
        rooms = _chat_rooms(size.chat_rooms, anchor, operators, rng)
        tickets = _tickets(size.tickets, rooms, operators, rng)
    return {"connectiveone chat rooms": len(rooms), "connectiveone tickets": tickets}


def _operators(anchor: datetime) -> list[Operator]:
    password = make_password(OPERATOR_PASSWORD, salt=PASSWORD_SALT)
    people = [
        (OPERATOR_EMAIL, "Oksana Operator", "admin"),
        ("taras.operator@example.com", "Taras Hnatyuk", "operator"),
    ]
    return [
        Operator.objects.create(
            email=email, name=name, role=role, password=password, created_at=anchor
        )
        for email, name, role in people
    ]


def _credentials() -> None:
    ApiKey.objects.create(name="Switchboard sandbox", key_hash=secret_hash(API_KEY))
    ExternalToken.objects.create(name="Broadcasts", token_hash=secret_hash(EXTERNAL_TOKEN))


def _bots() -> None:
    main = Bot.objects.create(id=MAIN_BOT_ID, name="Acme Assistant")
    other = Bot.objects.create(id=OTHER_BOT_ID, name="Globex Helper")
    Node.objects.bulk_create(
        [
            Node(id=ENTRY_NODE_ID, bot=main, name="Broadcast entry", connector_alias=ENTRY_ALIAS),
            Node(id=102, bot=main, name="Order ready", connector_alias="order_ready"),
            Node(id=103, bot=main, name="Feedback", connector_alias=None),
            Node(id=201, bot=other, name="Broadcast entry", connector_alias=ENTRY_ALIAS),
        ]
    )
    BroadcastTemplate.objects.bulk_create(
        [
            BroadcastTemplate(id=1, bot=main, name="Order ready", text="Your order is ready!"),
            BroadcastTemplate(id=2, bot=main, name="Spring sale", text="20% off this week."),
            BroadcastTemplate(id=3, bot=other, name="Welcome", text="Welcome to Globex."),
        ]
    )


def _chat_rooms(
    count: int, anchor: datetime, operators: list[Operator], rng: random.Random
) -> list[ChatRoom]:
    channels = [name for name, weight in CHANNEL_WEIGHTS for _ in range(weight)]
    span = HISTORY_DAYS * 86_400
    rooms = []
    for index in range(1, count + 1):
        created_at = _to_millis(
            anchor - timedelta(seconds=span * (count - index + 1) / (count + 1))
        )
        channel = channels[index % len(channels)]
        phone = f"380{500_000_000 + index * 37:09d}"[:12]
        rooms.append(
            ChatRoom(
                id=index,
                # Every 20th chat belongs to the second bot.
                bot_id=OTHER_BOT_ID if index % 20 == 0 else MAIN_BOT_ID,
                chat_id=phone if channel == "whatsapp" else f"{567_890 + index}",
                channel=channel,
                status="closed" if rng.random() < 0.4 else "open",
                user_name=_name(index, rng),
                phone=phone,
                operator=rng.choice([None, *operators]),
                created_at=created_at,
                updated_at=created_at + timedelta(minutes=rng.randint(1, 600)),
            )
        )
    for room_id, person in shared_rooms(count).items():
        room = rooms[room_id - 1]
        room.user_name, room.phone = person.name, person.phone_digits
        room.email = person.email if carries_email(person) else None
        if room.channel == "whatsapp":
            room.chat_id = person.phone_digits
    ChatRoom.objects.bulk_create(rooms, batch_size=BATCH_SIZE)
    return rooms


def _to_millis(moment: datetime) -> datetime:
    """Stored as the wire shows it (milliseconds), so a filter on a listed time is exact."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _name(index: int, rng: random.Random) -> str | None:
    if index % 97 == 0:
        return HOSTILE_STRINGS[(index // 97) % len(HOSTILE_STRINGS)]
    if index % 13 == 0:
        return None  # a chat that never told its name
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _tickets(
    count: int, rooms: list[ChatRoom], operators: list[Operator], rng: random.Random
) -> int:
    subjects = ["Order status", "Refund", "Delivery delayed", "Wrong size", "Invoice copy"]
    tickets = []
    for index in range(1, count + 1):
        room = rooms[(index * 7) % len(rooms)]
        created_at = room.created_at + timedelta(minutes=rng.randint(1, 120))
        tickets.append(
            Ticket(
                id=index,
                chat_room_id=room.id,
                subject=rng.choice(subjects),
                status=rng.choice(["new", "in_progress", "resolved"]),
                priority=rng.choice(["low", "normal", "high"]),
                operator=rng.choice([None, *operators]),
                created_at=created_at,
                updated_at=created_at + timedelta(minutes=rng.randint(1, 300)),
            )
        )
    Ticket.objects.bulk_create(tickets, batch_size=BATCH_SIZE)
    return len(tickets)
