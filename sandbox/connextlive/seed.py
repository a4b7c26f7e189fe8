"""The deterministic seed: the same size and anchor give the same rows, every time.

Every random choice comes from `random.Random` streams seeded with fixed strings, and every
timestamp is an offset from the anchor (by default the start of the current UTC day, so that
the demo looks recent; pass one to get identical data on any day).
"""

import functools
import random
import struct
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from sandbox.connextlive.actions import RESOLVED_TEXT
from sandbox.connextlive.credentials import (
    AGENT_EMAIL,
    DEMO_PASSWORD,
    MANAGER_EMAIL,
    NEWCOMER_EMAIL,
    OTHER_AGENT_EMAIL,
    OTHER_EMAIL,
)
from sandbox.connextlive.hostile import HOSTILE_STRINGS, HOSTILE_TAGS
from sandbox.connextlive.ids import new_id
from sandbox.connextlive.models import (
    ApiKey,
    ApiKeyStatus,
    Attachment,
    Conversation,
    ConversationStatus,
    Invitation,
    Message,
    MessageType,
    PresenceStatus,
    Role,
    SeedInfo,
    SenderType,
    Site,
    Tenant,
    User,
    Visitor,
    VisitorTag,
    Workspace,
)
from sandbox.connextlive.queries import default_workspace_settings
from sandbox.connextlive.views.api_keys import KEY_PREFIX_LENGTH, hash_key, new_plain_key
from sandbox.people import PEOPLE

SEED = "switchboard-sandbox"
BATCH_SIZE = 2_000


@dataclass(frozen=True)
class SeedSize:
    name: str
    visitors: int
    conversations: int
    other_visitors: int
    other_conversations: int


SIZES = {
    "test": SeedSize(
        "test", visitors=150, conversations=60, other_visitors=30, other_conversations=10
    ),
    "demo": SeedSize(
        "demo", visitors=2_000, conversations=400, other_visitors=200, other_conversations=40
    ),
    "bench": SeedSize(
        "bench",
        visitors=100_000,
        conversations=5_000,
        other_visitors=1_000,
        other_conversations=100,
    ),
}


def size_with_visitors(base: SeedSize, visitors: int) -> SeedSize:
    """`--visitors N`: N visitors in the demo workspace, conversations in proportion."""
    conversations = min(max(visitors // 5, min(visitors, 40)), 20_000)
    return SeedSize(
        base.name, visitors, conversations, base.other_visitors, base.other_conversations
    )


def size_with_conversations(base: SeedSize, conversations: int) -> SeedSize:
    """`--conversations N`: N conversations in the demo workspace (the reports' benchmark)."""
    return SeedSize(
        base.name, base.visitors, conversations, base.other_visitors, base.other_conversations
    )


def default_anchor() -> datetime:
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


# --- vocabulary --------------------------------------------------------------------------------

FIRST_NAMES = [
    "Jane",
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Mateo",
    "Sofia",
    "Lucas",
    "Mia",
    "Ethan",
    "Aylin",
    "Mehmet",
    "Zeynep",
    "Can",
    "Lena",
    "Felix",
    "Hannah",
    "Jonas",
    "Lucía",
    "Hugo",
    "Carmen",
    "Diego",
    "Aarav",
    "Priya",
    "Yuki",
    "Haruto",
    "Chloé",
    "Louis",
    "Amara",
    "Kwame",
    "Fatima",
    "Omar",
    "Noa",
    "Ariel",
    "Ana",
    "João",
    "Ingrid",
    "Lars",
    "Mei",
    "Wei",
]
LAST_NAMES = [
    "Cooper",
    "Smith",
    "Johnson",
    "García",
    "Martínez",
    "Müller",
    "Schmidt",
    "Yılmaz",
    "Kaya",
    "Demir",
    "Rossi",
    "Dubois",
    "Tanaka",
    "Sato",
    "Patel",
    "Sharma",
    "Okafor",
    "Mensah",
    "Haddad",
    "Cohen",
    "Silva",
    "Santos",
    "Nilsen",
    "Berg",
    "Chen",
    "Wang",
    "O'Brien",
    "Nguyen",
    "Kowalski",
    "Novak",
]
COUNTRIES = [
    ("United States", "US", ["New York", "San Francisco", "Austin", "Chicago"]),
    ("Germany", "DE", ["Berlin", "Munich", "Hamburg"]),
    ("Turkey", "TR", ["Istanbul", "Ankara", "Izmir"]),
    ("Spain", "ES", ["Madrid", "Barcelona", "Valencia"]),
    ("United Kingdom", "GB", ["London", "Manchester", "Edinburgh"]),
    ("France", "FR", ["Paris", "Lyon"]),
    ("Brazil", "BR", ["São Paulo", "Rio de Janeiro"]),
    ("India", "IN", ["Bengaluru", "Mumbai", "Delhi"]),
    ("Japan", "JP", ["Tokyo", "Osaka"]),
    ("Mexico", "MX", ["Mexico City", "Guadalajara"]),
    ("Egypt", "EG", ["Cairo", "Alexandria"]),
    ("Israel", "IL", ["Tel Aviv", "Haifa"]),
    ("Canada", "CA", ["Toronto", "Vancouver", "Montréal"]),
    ("Australia", "AU", ["Sydney", "Melbourne"]),
    ("Netherlands", "NL", ["Amsterdam", "Rotterdam"]),
]
TAGS = [
    "vip",
    "trial",
    "enterprise",
    "churn-risk",
    "newsletter",
    "returning-buyer",
    "beta",
    "support-priority",
    "wholesale",
]
BROWSERS = ["Chrome 131", "Firefox 133", "Safari 18", "Edge 131", "Samsung Internet 26"]
SYSTEMS = ["Windows 11", "macOS 15", "iOS 18", "Android 15", "Ubuntu 24.04"]
DEVICES = ["desktop", "mobile", "tablet"]
PAGES = ["/", "/pricing", "/checkout", "/account", "/orders", "/help/shipping", "/blog/launch"]
IP_OCTETS = [(11, 223), (0, 255), (0, 255), (1, 254)]
REFERRERS = [
    None,
    "https://www.google.com/",
    "https://duckduckgo.com/",
    "https://www.linkedin.com/",
    "https://news.ycombinator.com/",
    "https://t.co/x",
]
NOTES = [
    "Prefers email follow-ups.",
    "Asked about volume discounts twice.",
    "Renewal due next quarter.",
    "Reported a checkout bug on Safari.",
    "Talk to Priya before offering refunds.",
]
OPENERS = [
    "Hi, I have a question about my order #{n}.",
    "Is there a discount for annual plans?",
    "I can't log in to my account.",
    "Do you ship to {country}?",
    "How do I reset my password?",
    "The checkout page shows an error when I pay by card.",
    "Can I change my subscription plan mid-cycle?",
    "Where can I download my invoice?",
    "Is the API available on the starter plan?",
    "My package says delivered but I never got it.",
]
REPLIES = [
    "Thanks for reaching out! Let me check that for you.",
    "Could you share your order number, please?",
    "I've sent a password reset link to your email.",
    "Yes, annual plans are 20% cheaper than monthly ones.",
    "I've escalated this to our billing team.",
    "Here is the guide you asked for.",
    "That should be fixed now. Could you try again?",
]
FOLLOW_UPS = [
    "Thanks!",
    "Still not working, sorry.",
    "Great, that helped.",
    "Any update?",
    "Perfect, thank you so much!",
    "Could you check again?",
    "OK, I'll wait.",
]
SUBJECTS = [
    "Order question",
    "Billing",
    "Login problem",
    "Shipping",
    "Plans and pricing",
    "Invoice request",
    "Bug report",
    None,
]


# --- small generated files ---------------------------------------------------------------------


def small_png(rgb: tuple[int, int, int], size: int = 16) -> bytes:
    """A valid `size`×`size` PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size, 9))
        + chunk(b"IEND", b"")
    )


def small_pdf(text: str) -> bytes:
    """A valid one-page PDF showing `text` (ASCII)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)


# --- conversation times ------------------------------------------------------------------------

# Conversations are spread over this many days before the anchor: the longest report range.
REPORT_DAYS = 90


def conversation_status(index: int) -> str:
    """One of each among the three most recent, then 3 in 10 active, 2 in 10 waiting (the
    first of them assigned, index % 10 == 3; the other not), the rest closed, by position (not
    drawn), so that a report's figures can be worked out by hand."""
    if index < 3:
        return [
            ConversationStatus.ACTIVE,
            ConversationStatus.WAITING,
            ConversationStatus.CLOSED,
        ][index]
    share = index % 10
    if share < 3:
        return ConversationStatus.ACTIVE
    if share < 5:
        return ConversationStatus.WAITING
    return ConversationStatus.CLOSED


@dataclass(frozen=True)
class ConversationTimes:
    """When the conversation at `index` (0: the most recent) starts, is first answered and ends.

    Created `REPORT_DAYS / count` apart, the most recent 3 hours before the anchor; the agent's
    first reply (the second message, when the conversation has an agent) comes 1 to 5 minutes
    after it starts (1 + index % 5), and the last message 10 to 60 minutes after it starts
    (10 × (1 + index % 6)): a closed conversation is closed then. All three in whole seconds.
    """

    created: datetime
    first_reply: datetime
    last_activity: datetime

    @classmethod
    def of(cls, anchor: datetime, index: int, count: int) -> "ConversationTimes":
        spacing_seconds = REPORT_DAYS * 86_400 / max(count, 1)
        created = anchor - timedelta(hours=3, seconds=int(spacing_seconds * index))
        return cls(
            created=created,
            first_reply=created + timedelta(minutes=1 + index % 5),
            last_activity=created + timedelta(minutes=10 * (1 + index % 6)),
        )

    def message_at(self, turn: int, turns: int) -> datetime:
        """The opening message when it is created, the second at the first reply, the others
        evenly after it, the last one before the conversation's last activity."""
        if turn == 0:
            return self.created
        step = (self.last_activity - self.first_reply) / turns
        return self.first_reply + step * (turn - 1)


# --- the seeder --------------------------------------------------------------------------------

Row = dict[str, Any]  # a record as column values, keyed by the model field's attname


class _Seeder:
    """Builds every record as a plain row first, then writes them in bulk.

    Plain rows and `executemany` instead of model instances and `bulk_create`: at 100,000
    visitors the ORM's per-object work is most of the time.
    """

    def __init__(self, anchor: datetime) -> None:
        self.anchor = anchor
        self.tables: dict[type[models.Model], list[Row]] = {
            model: []
            for model in (Tenant, User, Workspace, Site, Visitor, VisitorTag, Conversation,
                          Message, Attachment, Invitation, ApiKey)
        }  # fmt: skip
        self._password_hash = make_password(DEMO_PASSWORD, salt="switchboardsandboxsalt")

    @staticmethod
    def stream(name: str) -> random.Random:
        return random.Random(f"{SEED}:{name}")

    def ago(self, **delta: float) -> datetime:
        return self.anchor - timedelta(**delta)

    def add(self, model: type[models.Model], **row: Any) -> Row:
        self.tables[model].append(row)
        return row

    # tenants, people, sites

    def tenant(self, name: str, rng: random.Random) -> Row:
        return self.add(Tenant, id=new_id("ten", self.ago(days=400), rng), name=name)

    def user(
        self,
        tenant: Row,
        email: str,
        name: str,
        role: Role,
        rng: random.Random,
        csat: float | None = None,
        status: str = PresenceStatus.OFFLINE,
    ) -> Row:
        created_at = self.ago(days=rng.randint(30, 380), minutes=rng.randint(0, 1439))
        return self.add(
            User,
            id=new_id("usr", created_at, rng),
            tenant_id=tenant["id"],
            email=email,
            name=name,
            role=role,
            password=self._password_hash,
            avatar_url=None,
            csat_score=csat,
            status=status,
            created_at=created_at,
        )

    def workspace(
        self,
        tenant: Row,
        name: str,
        language: str,
        timezone: str,
        contact_email: str,
        rng: random.Random,
    ) -> Row:
        created_at = self.ago(days=390)
        return self.add(
            Workspace,
            id=new_id("wsp", created_at, rng),
            tenant_id=tenant["id"],
            name=name,
            company_name=f"{tenant['name']} Inc.",
            contact_email=contact_email,
            language=language,
            timezone=timezone,
            settings=default_workspace_settings(),
            created_at=created_at,
            updated_at=self.ago(days=12),
        )

    def site(self, tenant: Row, name: str, domain: str, rng: random.Random) -> Row:
        return self.add(
            Site,
            id=new_id("site", self.ago(days=380), rng),
            tenant_id=tenant["id"],
            name=name,
            domain=domain,
        )

    # visitors

    def visitors(
        self, tenant: Row, sites: Sequence[Row], count: int, stream: str, hostile: bool
    ) -> list[Row]:
        rng = self.stream(stream)
        spacing = timedelta(days=90) / max(count, 1)
        visitors, tags = [], []
        for index in range(count):
            last_seen = self.anchor - spacing * index - spacing * rng.random()
            visitors.append(self._visitor(tenant, rng.choice(sites), last_seen, rng))
            tags.append(rng.sample(TAGS, k=rng.choice([0, 0, 1, 1, 1, 2, 3])))
        if visitors:
            self._make_jane(visitors[0], tags)
        if hostile:
            self._spread_hostile_strings(visitors, tags)
        self.tables[Visitor] += visitors
        self.tables[VisitorTag] += [
            {"visitor_id": visitor["id"], "tag": tag, "position": position}
            for visitor, visitor_tags in zip(visitors, tags, strict=True)
            for position, tag in enumerate(visitor_tags)
        ]
        return visitors

    def _visitor(self, tenant: Row, site: Row, last_seen: datetime, rng: random.Random) -> Row:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        country, code, cities = rng.choice(COUNTRIES)
        returning = rng.random() < 0.4
        first_seen = last_seen - timedelta(
            days=rng.uniform(0, 200) if returning else 0, minutes=rng.randint(1, 90)
        )
        email = f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 999)}@example.net"
        phone = f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(10**6, 10**7 - 1)}"
        return {
            "id": new_id("vis", first_seen, rng), "tenant_id": tenant["id"],
            "site_id": site["id"],
            "user_name": f"{first} {last}" if rng.random() < 0.85 else None,
            "user_email": email if rng.random() < 0.75 else None,
            "user_phone": phone if rng.random() < 0.4 else None,
            "ip": ".".join(str(rng.randint(low, high)) for low, high in IP_OCTETS),
            "country": country, "country_code": code, "city": rng.choice(cities),
            "notes": rng.choice(NOTES) if rng.random() < 0.15 else None,
            "external_ids": {"crm": f"CRM-{rng.randint(10000, 99999)}"}
            if rng.random() < 0.3 else {},
            "is_online": rng.random() < 0.12, "is_returning": returning,
            "visit_count": rng.randint(2, 40) if returning else 1,
            "browser": rng.choice(BROWSERS), "os": rng.choice(SYSTEMS),
            "device": rng.choice(DEVICES),
            "current_page": f"https://{site['domain']}{rng.choice(PAGES)}",
            "referrer": rng.choice(REFERRERS), "first_seen_at": first_seen,
            "last_seen_at": last_seen, "created_at": first_seen,
        }  # fmt: skip

    @staticmethod
    def _make_jane(visitor: Row, tags: list[list[str]]) -> None:
        """The visitor of the document's example query (`?search=jane&isOnline=true`)."""
        jane = PEOPLE[0]  # shared across platforms (sandbox/people.py): her email and phone
        visitor.update(
            user_name=jane.name, user_email=jane.email, user_phone=jane.phone, is_online=True
        )
        tags[0] = ["vip", "enterprise"]

    @staticmethod
    def _spread_hostile_strings(visitors: list[Row], tags: list[list[str]]) -> None:
        """Near the top of the list: names of every third visitor, notes and tags of the
        ones after them."""
        for offset, text in enumerate(HOSTILE_STRINGS):
            if 2 + 3 * offset < len(visitors):
                visitors[1 + 3 * offset]["user_name"] = text
                visitors[2 + 3 * offset]["notes"] = text
        for offset, tag in enumerate(HOSTILE_TAGS):
            if 3 + 3 * offset < len(visitors):
                tags[3 + 3 * offset] = [tag, "vip"]

    # conversations

    def conversations(
        self,
        tenant: Row,
        visitors: Sequence[Row],
        agents: Sequence[Row],
        count: int,
        stream: str,
        language: str,
        hostile: bool,
    ) -> None:
        """`count` conversations spread evenly over the REPORT_DAYS before the anchor, with
        times a test can work out by hand (`ConversationTimes`): reports are checked against
        exact figures."""
        rng = self.stream(stream)
        for index in range(count):
            # Skewed towards recent visitors, as real traffic is.
            visitor = visitors[min(int(rng.random() ** 2 * len(visitors)), len(visitors) - 1)]
            status = conversation_status(index)
            agent = None
            if status != ConversationStatus.WAITING or index % 10 == 3:
                # The first conversations belong to agents[0] (agent@example.com), so that
                # its transfers can be tried on a fresh seed.
                agent = agents[0] if index < 6 else rng.choice(agents)
            hostile_text = None
            if hostile and index < len(HOSTILE_STRINGS):
                hostile_text = HOSTILE_STRINGS[index]
            self._conversation(
                tenant,
                visitor,
                agent,
                status,
                ConversationTimes.of(self.anchor, index, count),
                language,
                hostile_text,
                with_file=index % 7 == 3,
                rng=rng,
            )

    def _conversation(
        self,
        tenant: Row,
        visitor: Row,
        agent: Row | None,
        status: str,
        times: "ConversationTimes",
        language: str,
        hostile_text: str | None,
        with_file: bool,
        rng: random.Random,
    ) -> None:
        turns = rng.randint(2, 9)
        closed = status == ConversationStatus.CLOSED
        # Open conversations end with visitor messages nobody has read yet.
        unread_tail = 0 if closed else rng.randint(1, 3)
        if agent is not None:
            turns = max(turns, unread_tail + 2)  # the agent's first reply is the second message
        conversation = self.add(
            Conversation,
            id=new_id("cnv", times.created, rng),
            tenant_id=tenant["id"],
            visitor_id=visitor["id"],
            agent_id=agent["id"] if agent else None,
            site_id=visitor["site_id"],
            status=status,
            subject=rng.choice(SUBJECTS),
            created_at=times.created,
            updated_at=times.last_activity,
            closed_at=times.last_activity if closed else None,
        )
        texts = self._texts(turns, visitor, agent, hostile_text, unread_tail, rng)
        for turn, (sender, text) in enumerate(texts):
            message = self._message(
                conversation,
                sender,
                visitor,
                agent,
                text,
                times.message_at(turn, turns),
                turn < len(texts) - unread_tail,
                rng,
            )
            if with_file and turn == 1 and sender == SenderType.AGENT:
                self._attach(message, rng)
        if closed:
            self._message(
                conversation,
                SenderType.SYSTEM,
                visitor,
                agent,
                RESOLVED_TEXT[language],
                times.last_activity,
                True,
                rng,
            )

    @staticmethod
    def _texts(
        turns: int,
        visitor: Row,
        agent: Row | None,
        hostile_text: str | None,
        unread_tail: int,
        rng: random.Random,
    ) -> list[tuple[str, str]]:
        opener = rng.choice(OPENERS).format(n=rng.randint(1000, 9999), country=visitor["country"])
        texts = [(SenderType.VISITOR, hostile_text if hostile_text is not None else opener)]
        for turn in range(1, turns):
            if agent is not None and turn % 2 == 1 and turn < turns - unread_tail:
                texts.append((SenderType.AGENT, rng.choice(REPLIES)))
            else:
                texts.append((SenderType.VISITOR, rng.choice(FOLLOW_UPS)))
        return texts

    def _message(
        self,
        conversation: Row,
        sender: str,
        visitor: Row,
        agent: Row | None,
        text: str,
        at: datetime,
        is_read: bool,
        rng: random.Random,
    ) -> Row:
        sender_id, sender_name = {
            SenderType.VISITOR: (visitor["id"], visitor["user_name"]),
            SenderType.AGENT: (agent["id"], agent["name"]) if agent else (None, None),
            SenderType.SYSTEM: (None, "System"),
        }[sender]
        return self.add(
            Message,
            id=new_id("msg", at, rng),
            conversation_id=conversation["id"],
            sender_type=sender,
            sender_id=sender_id,
            sender_name=sender_name,
            content=text,
            message_type=MessageType.SYSTEM if sender == SenderType.SYSTEM else MessageType.TEXT,
            is_read=is_read,
            created_at=at,
        )

    def _attach(self, message: Row, rng: random.Random) -> None:
        message["message_type"] = MessageType.FILE
        if rng.random() < 0.5:
            colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
            name, mime, data = "screenshot.png", "image/png", small_png(colour)
        else:
            number = rng.randint(1000, 9999)
            name, mime = f"invoice-{number}.pdf", "application/pdf"
            data = small_pdf(f"Invoice {number}")
        self.add(
            Attachment,
            id=new_id("att", message["created_at"], rng),
            message_id=message["id"],
            file_name=name,
            mime_type=mime,
            size=len(data),
            data=data,
        )

    # invitations and keys

    def invitation(
        self, tenant: Row, name: str, email: str, days_ago: float, rng: random.Random
    ) -> None:
        invited_at = self.ago(days=days_ago)
        self.add(
            Invitation,
            id=new_id("inv", invited_at, rng),
            tenant_id=tenant["id"],
            name=name,
            email=email,
            invited_at=invited_at,
        )

    def api_key(
        self,
        tenant: Row,
        name: str,
        domains: str,
        status: str,
        rng: random.Random,
        last_used_days: float | None,
    ) -> None:
        created_at = self.ago(days=rng.randint(20, 300))
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        plain_key = new_plain_key("".join(rng.choice(alphabet) for _ in range(40)))
        self.add(
            ApiKey,
            id=new_id("key", created_at, rng),
            tenant_id=tenant["id"],
            name=name,
            key_hash=hash_key(plain_key),
            key_prefix=plain_key[:KEY_PREFIX_LENGTH],
            domains=domains,
            status=status,
            created_at=created_at,
            last_used_at=self.ago(days=last_used_days) if last_used_days else None,
        )

    def write(self) -> dict[str, int]:
        with transaction.atomic():
            for model, rows in self.tables.items():
                _insert_rows(model, rows)
        return {model._meta.verbose_name_plural: len(rows) for model, rows in self.tables.items()}


def _insert_rows(model: type[models.Model], rows: list[Row]) -> None:
    """One INSERT per batch of rows, with values adapted the way the ORM adapts them."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if field.attname in rows[0]]
    adapters = [_adapter(field) for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(
                sql,
                [
                    tuple(
                        adapt(row[field.attname])
                        for field, adapt in zip(fields, adapters, strict=True)
                    )
                    for row in rows[start : start + BATCH_SIZE]
                ],
            )


def _adapter(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.JSONField):
        return functools.partial(connection.ops.adapt_json_value, encoder=field.encoder)
    return _unchanged


def _unchanged(value: Any) -> Any:
    return value


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


# The demo workspace's agents: email, name, CSAT score, presence. The first is the demo agent.
ACME_AGENTS = [
    (AGENT_EMAIL, "Alex Rivera", 4.6, PresenceStatus.ONLINE),
    ("priya@example.com", "Priya Patel", 4.8, PresenceStatus.ONLINE),
    ("jonas@example.com", "Jonas Weber", 4.2, PresenceStatus.AWAY),
    ("elif@example.com", "Elif Yılmaz", 4.9, PresenceStatus.ONLINE),
    ("sofia@example.com", "Sofía García", 3.7, PresenceStatus.OFFLINE),
    ("kenji@example.com", "Kenji Sato", None, PresenceStatus.OFFLINE),  # new: no ratings yet
]
# Invitations: name, email, days before the anchor (7 and more: expired).
ACME_INVITATIONS = [
    ("Bob Smith", "bob@example.com", 1),
    ("Carla Gómez", "carla@example.com", 3),
    ("Dmitri Ivanov", "dmitri@example.com", 10),
    ("Erin Walsh", "erin@example.com", 30),
]
# API keys: name, domains, status, days since last use.
ACME_KEYS = [
    ("Production Widget", '["acme.example", "www.acme.example"]', ApiKeyStatus.ACTIVE, 0.2),
    ("Staging Widget", '["staging.acme.example"]', ApiKeyStatus.ACTIVE, 6),
    ("Legacy Widget", "[]", ApiKeyStatus.INACTIVE, None),
]


def seed(size: SeedSize, anchor: datetime) -> dict[str, int]:
    """Fill an empty, migrated database. Returns the number of rows of each kind."""
    seeder = _Seeder(anchor)
    people = seeder.stream("people")
    _seed_acme(seeder, size, people)
    _seed_globex(seeder, size, people)
    initech = seeder.tenant("Initech", people)  # signed up, no workspace yet
    seeder.user(initech, NEWCOMER_EMAIL, "Nina Newcomer", Role.CUSTOMER, people)
    counts = seeder.write()
    SeedInfo.objects.create(size=size.name, visitors=size.visitors, anchor=anchor)
    return counts


def _seed_acme(seeder: _Seeder, size: SeedSize, people: random.Random) -> None:
    """The demo workspace, hostile strings included."""
    acme = seeder.tenant("Acme", people)
    seeder.user(acme, MANAGER_EMAIL, "Morgan Lee", Role.CUSTOMER, people)
    agents = [
        seeder.user(acme, email, name, Role.AGENT, people, csat, presence)
        for email, name, csat, presence in ACME_AGENTS
    ]
    seeder.workspace(acme, "Acme Support", "en", "America/New_York", "support@acme.example", people)
    sites = [
        seeder.site(acme, "Acme Store", "shop.acme.example", people),
        seeder.site(acme, "Acme Docs", "docs.acme.example", people),
        seeder.site(acme, "Acme Careers", "careers.acme.example", people),
    ]
    visitors = seeder.visitors(acme, sites, size.visitors, "acme-visitors", hostile=True)
    seeder.conversations(
        acme, visitors, agents, size.conversations, "acme-talk", "en", hostile=True
    )
    for name, email, days_ago in ACME_INVITATIONS:
        seeder.invitation(acme, name, email, days_ago, people)
    for name, domains, status, last_used_days in ACME_KEYS:
        seeder.api_key(acme, name, domains, status, people, last_used_days)


def _seed_globex(seeder: _Seeder, size: SeedSize, people: random.Random) -> None:
    """The second workspace, whose data the first must never see; it speaks German."""
    globex = seeder.tenant("Globex", people)
    seeder.user(globex, OTHER_EMAIL, "Hank Scorpio", Role.CUSTOMER, people)
    agent = seeder.user(
        globex, OTHER_AGENT_EMAIL, "Gabriel Stone", Role.AGENT, people, 4.4, PresenceStatus.ONLINE
    )
    seeder.workspace(globex, "Globex Help", "de", "Europe/Berlin", "help@globex.example", people)
    sites = [seeder.site(globex, "Globex", "www.globex.example", people)]
    visitors = seeder.visitors(globex, sites, size.other_visitors, "globex-visitors", hostile=False)
    seeder.conversations(
        globex, visitors, [agent], size.other_conversations, "globex-talk", "de", hostile=False
    )
    seeder.invitation(globex, "Greta Berg", "greta@example.com", 2, people)
    seeder.api_key(
        globex, "Globex Widget", '["www.globex.example"]', ApiKeyStatus.ACTIVE, people, 1
    )
