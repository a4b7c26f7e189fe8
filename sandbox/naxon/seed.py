"""Naxon AI's deterministic seed: the same size and anchor give the same rows.

A support team's bots (models.MODELS below) and the conversations people had with them over the
90 days before the anchor, on WhatsApp, Telegram, Messenger, Instagram, LINE and the web, each a
coherent exchange from dialogues.py. Most people come from sandbox/people.py, the customers
every platform's seed shares, so the same person writes from their phone on WhatsApp and their
email on the web; the rest are one-off anonymous visitors. The first people of PEOPLE have
exactly the conversations sandbox/naxon/shared.py lists (the last ones), and no others, so that
tests can expect exact matches. Every 97th conversation carries a
hostile string (sandbox/connextlive/hostile.py) as a customer message.

Rows are written with plain SQL in batches: the bench size holds some 100,000 messages.
"""

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction

from sandbox.connextlive.hostile import HOSTILE_STRINGS
from sandbox.naxon import dialogues
from sandbox.naxon.auth import token_hash
from sandbox.naxon.credentials import (
    API_TOKEN,
    BIG_ID_MODEL_ID,
    EMPTY_MODEL_ID,
    WEB_CHAT_MODEL_ID,
)
from sandbox.naxon.dialogues import Turn
from sandbox.naxon.ids import snowflake, ulid
from sandbox.naxon.shared import (
    SHARED_PEOPLE,
    WEB_MODEL_ID,
    WHATSAPP_MODEL_ID,
    is_shared,
    shared_conversations,
)
from sandbox.people import PEOPLE, Person

SEED = "switchboard-naxon"
HISTORY_DAYS = 90
BATCH_SIZE = 5_000
HOSTILE_EVERY = 97
# A share of conversations gets a customer's follow-up days later, so that `updated_at` and
# `created_at` tell different stories (sort=updated_at filters on the former).
FOLLOW_UP_SHARE = 0.12


@dataclass(frozen=True)
class NaxonSize:
    conversations: int


SIZES = {
    "test": NaxonSize(conversations=400),
    "demo": NaxonSize(conversations=1_500),
    "bench": NaxonSize(conversations=20_000),
}


@dataclass(frozen=True)
class SeedModel:
    id: int
    name: str
    platforms: tuple[str, ...]
    dialogues: list[tuple[list[Turn], int]]
    weight: int  # its share of the conversations
    days_old: int


MODELS = (
    SeedModel(WEB_CHAT_MODEL_ID, "Acme Web Chat", ("web", "messenger"), dialogues.WEB_CHAT, 5, 400),
    SeedModel(124, "Acme WhatsApp Support", ("whatsapp",), dialogues.WHATSAPP_SUPPORT, 5, 380),
    SeedModel(125, "Acme Returns Assistant", ("web", "whatsapp", "telegram"), dialogues.RETURNS,
              3, 300),
    SeedModel(131, "Acme Billing Assistant", ("web", "messenger"), dialogues.BILLING, 2, 250),
    SeedModel(142, "Acme Telegram Orders", ("telegram",), dialogues.TELEGRAM_ORDERS, 2, 200),
    SeedModel(BIG_ID_MODEL_ID, "Acme Instagram & LINE Concierge", ("instagram", "line"),
              dialogues.CONCIERGE, 2, 120),
    SeedModel(EMPTY_MODEL_ID, "Acme Holiday Campaign (draft)", ("web",), [], 0, 3),
)  # fmt: skip

# Seconds a sender takes to answer the previous message.
REPLY_SECONDS = {"user": (15, 240), "bot": (2, 9), "agent": (60, 900)}


# False for the demo seed (`--content demo`): no attack strings among the messages.
HOSTILE = True


def seed(size_name: str, anchor: datetime, hostile: bool = True) -> dict[str, int]:
    """Fill the (migrated, empty) Naxon tables; returns the rows of each kind."""
    global HOSTILE
    HOSTILE = hostile
    size = SIZES[size_name]
    rng = random.Random(SEED)
    with transaction.atomic():
        _token()
        _models(anchor)
        conversations, messages = _conversations(size.conversations, anchor, rng)
    return {"naxon conversations": conversations, "naxon messages": messages}


def _token() -> None:
    _insert(
        "naxon_apitoken", ("name", "token_hash"), [("Switchboard sandbox", token_hash(API_TOKEN))]
    )


def _models(anchor: datetime) -> None:
    rows = [
        (model.id, model.name, _stored(anchor - timedelta(days=model.days_old, hours=model.id % 9)))
        for model in MODELS
    ]
    _insert("naxon_chatmodel", ("id", "name", "created_at"), rows)


def _conversations(count: int, anchor: datetime, rng: random.Random) -> tuple[int, int]:
    talking = [model for model in MODELS if model.weight]
    model_picks = [model for model in talking for _ in range(model.weight)]
    span = HISTORY_DAYS * 86_400
    by_id = {model.id: model for model in MODELS}
    shared = shared_conversations()  # the newest conversations (sandbox/naxon/shared.py)
    first_shared = count - len(shared) + 1
    conversations, messages = [], []
    for index in range(1, count + 1):
        model = model_picks[rng.randrange(len(model_picks))]
        platform = model.platforms[rng.randrange(len(model.platforms))]
        person = PEOPLE[rng.randrange(len(PEOPLE))] if rng.random() < 0.65 else None
        if index >= first_shared:
            person, platform = shared[index - first_shared]
            model = by_id[WHATSAPP_MODEL_ID if platform == "whatsapp" else WEB_MODEL_ID]
        elif person is not None and is_shared(person):  # theirs are only the listed ones
            person = PEOPLE[SHARED_PEOPLE + index % (len(PEOPLE) - SHARED_PEOPLE)]
        fields = _fields(person, rng)
        # Evenly over the history, a little jitter, oldest first; whole seconds as on the wire.
        spacing = span / (count + 1)
        start = anchor - timedelta(seconds=spacing * (count - index + 1))
        start = (start + timedelta(seconds=rng.uniform(0, spacing / 2))).replace(microsecond=0)
        turns = _turns(model, index, rng)
        timeline = _timeline(start, turns, anchor, rng)
        conversation_id = snowflake(timeline[0], index)
        for moment, (sender, text) in zip(timeline, turns, strict=True):
            message_number = len(messages) + 1
            messages.append(
                (
                    snowflake(moment, message_number),
                    conversation_id,
                    ulid(moment, rng),
                    sender,
                    text.format(**fields),
                    _stored(moment),
                )
            )
        conversations.append(
            (
                conversation_id,
                model.id,
                platform,
                _platform_user_id(platform, person, rng),
                _stored(timeline[0]),
                _stored(timeline[-1]),
            )
        )
    _insert(
        "naxon_conversation",
        ("id", "model_id", "platform", "platform_user_id", "created_at", "updated_at"),
        conversations,
    )
    _insert(
        "naxon_message",
        ("id", "conversation_id", "seq", "sender", "message", "created_at"),
        messages,
    )
    return len(conversations), len(messages)


def _turns(model: SeedModel, index: int, rng: random.Random) -> list[Turn]:
    scripts = [script for script, weight in model.dialogues for _ in range(weight)]
    turns = list(scripts[rng.randrange(len(scripts))])
    if len(turns) > 2 and rng.random() < 0.15:
        turns = turns[: rng.randint(1, len(turns) - 1)]  # the customer left mid-way
    if HOSTILE and index % HOSTILE_EVERY == 0:
        hostile = HOSTILE_STRINGS[(index // HOSTILE_EVERY) % len(HOSTILE_STRINGS)]
        # Braces doubled: the text goes through str.format with the other turns.
        turns.insert(1, ("user", hostile.replace("{", "{{").replace("}", "}}")))
    if rng.random() < FOLLOW_UP_SHARE:
        turns += dialogues.FOLLOW_UP
    return turns


def _timeline(
    start: datetime, turns: list[Turn], anchor: datetime, rng: random.Random
) -> list[datetime]:
    """When each turn was written: replies seconds or minutes apart; a follow-up days later."""
    moments = [start]
    for position, (sender, _) in enumerate(turns[1:], start=1):
        low, high = REPLY_SECONDS[sender]
        gap = timedelta(
            seconds=rng.randint(low, high)
        )  # at least a second: seq order is time order
        if turns[position] == dialogues.FOLLOW_UP[0]:
            gap = timedelta(days=rng.uniform(1, 10))
        moments.append((moments[-1] + gap).replace(microsecond=0))
    # Nothing after the anchor: a conversation that would end later happened that much earlier.
    overshoot = moments[-1] - (anchor - timedelta(minutes=1))
    if overshoot > timedelta(0):
        moments = [moment - overshoot for moment in moments]
    return moments


def _fields(person: Person | None, rng: random.Random) -> dict[str, str]:
    return {
        "name": person.first_name if person else "there",
        "order": f"#{rng.randint(100_000, 999_999)}",
        "amount": f"${rng.randint(12, 480)}.{rng.randint(0, 99):02d}",
        "date": f"{rng.randint(1, 28)} {rng.choice(['Mar', 'Apr', 'May', 'Jun', 'Jul'])}",
        "carrier": rng.choice(dialogues.CARRIERS),
        "tracking": f"1Z{rng.randrange(16**12):012X}",
        "city": rng.choice(dialogues.CITIES),
        "agent": rng.choice(dialogues.AGENTS),
        "address": rng.choice(dialogues.ADDRESSES),
    }


def _platform_user_id(platform: str, person: Person | None, rng: random.Random) -> str:
    """How each platform names the person (guess): a known person keeps one id per platform."""
    if person is None:
        return _anonymous_user_id(platform, rng)
    digest = int(hashlib.sha256(f"{platform}:{person.email}".encode()).hexdigest(), 16)
    match platform:
        case "whatsapp":
            return person.phone.removeprefix("+")  # WhatsApp's wa_id: E.164 without the +
        case "web":
            return person.email  # a signed-in visitor
        case "telegram":
            return str(100_000_000 + digest % 6_000_000_000)
        case "messenger":
            return str(10**15 + digest % (9 * 10**15))  # a page-scoped id
        case "instagram":
            return str(17_800_000_000_000_000 + digest % 10**15)
        case _:  # line
            return f"U{digest % 16**32:032x}"


def _anonymous_user_id(platform: str, rng: random.Random) -> str:
    match platform:
        case "whatsapp":
            number = rng.choice(
                [f"447700900{rng.randint(0, 999):03d}", f"1202555{rng.randint(100, 199)}"]
            )
            return _nobodys(number)
        case "web":
            return f"u{rng.randint(1000, 99_999)}"  # an anonymous visitor (the doc's `u1234`)
        case "telegram":
            return str(rng.randint(100_000_000, 6_000_000_000))
        case "messenger":
            return str(rng.randint(10**15, 10**16 - 1))
        case "instagram":
            return str(rng.randint(17_800_000_000_000_000, 17_899_999_999_999_999))
        case _:
            return f"U{rng.getrandbits(128):032x}"


KNOWN_NUMBERS = frozenset(person.phone_digits for person in PEOPLE)


def _nobodys(number: str) -> str:
    """An anonymous WhatsApp number that is no known person's: the next free one of its range
    (without another draw, so the rest of the seed stays as it was)."""
    while number in KNOWN_NUMBERS:
        number = f"{number[:-3]}{(int(number[-3:]) + 1) % 1000:03d}"
    return number


def _stored(moment: datetime) -> str:
    """A datetime as Django's SQLite backend stores one (naive UTC)."""
    return connection.ops.adapt_datetimefield_value(moment)


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])
