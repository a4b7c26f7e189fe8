"""Who of the shared people (sandbox/people.py) each platform's seed knows, and by what: how many
records a lookup by the person's e-mail, and by their phone, finds on each platform. Tests of the
contact view read this to expect exact matches. Pure Python, no Django.

- Connextlive: only Jane Cooper (PEOPLE[0]), the first visitor of each workspace, with her
  e-mail and phone (sandbox/connextlive/seed.py).
- ConnectiveOne: the first 12 people, a chat room each (Jane two), which carries the phone, and
  the e-mail for people at an even position (sandbox/connectiveone/shared.py).
- UChat: every person, the store bot's first subscribers, with e-mail and phone
  (sandbox/uchat/seed.py).
- Naxon AI: the first 12 people, a WhatsApp conversation each (found by phone), and a signed-in
  web one (found by e-mail) for people at an even position (sandbox/naxon/shared.py).

So Jane Cooper is on all four platforms by e-mail and by phone; Liam Murphy (PEOPLE[1]) is on
ConnectiveOne, UChat and Naxon by phone, and on UChat only by e-mail.
"""

from dataclasses import dataclass

from sandbox.connectiveone.shared import carries_email, shared_rooms
from sandbox.naxon.shared import shared_conversations
from sandbox.people import PEOPLE, Person

PLATFORMS = ("connextlive", "connectiveone", "uchat", "naxon")
TEST_CHAT_ROOMS = 2_500  # ConnectiveOne's chat rooms at the `test` size


@dataclass(frozen=True)
class Found:
    by_email: int = 0
    by_phone: int = 0


def found(person: Person, chat_rooms: int = TEST_CHAT_ROOMS) -> dict[str, Found]:
    """{platform: what a lookup of the person finds there} (every platform, zeros included)."""
    rooms = sum(1 for who in shared_rooms(chat_rooms).values() if who == person)
    naxon = [platform for who, platform in shared_conversations() if who == person]
    return {
        "connextlive": Found(1, 1) if person == PEOPLE[0] else Found(),
        "connectiveone": Found(rooms if carries_email(person) else 0, rooms),
        "uchat": Found(1, 1),
        "naxon": Found(naxon.count("web"), naxon.count("whatsapp")),
    }
