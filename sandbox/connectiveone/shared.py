"""Which of the people shared across platforms (sandbox/people.py) chat with ConnectiveOne's
bots, in which chat rooms, and with what: the seed follows this, and tests read it to expect
exact matches. Pure Python, no Django.

The first SHARED_PEOPLE people each have one chat room among the newest (Jane Cooper,
PEOPLE[0], has ROOMS_OF_FIRST_PERSON). Every such room carries the person's name and phone
(digits, without `+`); the rooms of people at an even position in PEOPLE also carry their e-mail
(they gave it to the bot), the others do not.
"""

from sandbox.people import PEOPLE, Person

SHARED_PEOPLE = 12
ROOMS_OF_FIRST_PERSON = 2


def shared_rooms(room_count: int) -> dict[int, Person]:
    """The chat rooms (by id, 1 to `room_count`) of the shared people: among the newest, never
    one the seed names with a hostile string (every 97th) or gives the second bot (every 20th)."""
    wanted = [PEOPLE[0]] * ROOMS_OF_FIRST_PERSON + list(PEOPLE[1:SHARED_PEOPLE])
    rooms: dict[int, Person] = {}
    index = room_count
    for person in wanted:
        while index % 97 == 0 or index % 20 == 0:
            index -= 1
        rooms[index] = person
        index -= 4
    return rooms


def carries_email(person: Person) -> bool:
    return PEOPLE.index(person) % 2 == 0
