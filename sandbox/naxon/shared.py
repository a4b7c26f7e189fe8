"""Which of the people shared across platforms (sandbox/people.py) talk to Naxon's bots, on which
platform and under which platform user id: the seed follows this, and tests read it to expect
exact matches. Pure Python, no Django.

The first SHARED_PEOPLE people each have a WhatsApp conversation (with "Acme WhatsApp Support"),
its platform user id their phone as WhatsApp writes it (E.164 without `+`, the `wa_id`); those at
an even position in PEOPLE also have a web conversation (with "Acme Web Chat"), signed in, its
platform user id their e-mail. These are the seed's last conversations (among the newest;
their order in time may differ a little). No other conversation is theirs: the
seed's random picks of people skip them, and anonymous WhatsApp numbers avoid every shared
person's number. (Other people of PEOPLE turn up in the rest at random, as before.)

How each platform names a person is a guess (the document's example is `"u1234"`); a Telegram,
Messenger, Instagram or LINE id carries neither a phone nor an e-mail, so only WhatsApp and web
conversations can be matched to a person.
"""

from sandbox.people import PEOPLE, Person

SHARED_PEOPLE = 12
WHATSAPP_MODEL_ID = 124  # "Acme WhatsApp Support"
WEB_MODEL_ID = 123  # "Acme Web Chat"


def shared_conversations() -> list[tuple[Person, str]]:
    """(person, platform) of each shared conversation, oldest first."""
    found = []
    for position, person in enumerate(PEOPLE[:SHARED_PEOPLE]):
        found.append((person, "whatsapp"))
        if position % 2 == 0:
            found.append((person, "web"))
    return found


def is_shared(person: Person) -> bool:
    return person in PEOPLE[:SHARED_PEOPLE]


def user_id(person: Person, platform: str) -> str:
    """The platform user id of a shared person's conversation."""
    return person.phone_digits if platform == "whatsapp" else person.email


def platforms_of(person: Person) -> list[str]:
    return [platform for who, platform in shared_conversations() if who == person]
