"""People who are customers on several platforms at once: the one list every seed draws them from.

A later issue matches people across platforms by email and phone; for that to find anything, the
same person must appear with the same email and phone wherever they appear. Each platform's
seed takes these people first (UChat: its first subscribers, `sandbox/uchat/seed.py`; LivePerson
publishes an `ext_consumer_id` for each, `sandbox/liveperson/credentials.py`) and generates the
rest of its people around them. Connextlive's seed keeps its own visitors for now; Jane Cooper is
here with the email its seed gives her, so she already matches across the two.

Pure Python, no Django: tests and benchmarks import it without the sandbox's models.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    email: str
    phone: str  # E.164, with its +

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def phone_digits(self) -> str:
        return self.phone.lstrip("+")


# Phones are in ranges set aside for fiction (UK 07700 900xxx, US 555-01xx) or plainly made up.
SHARED_PEOPLE: tuple[Person, ...] = (
    Person("Jane", "Cooper", "jane.cooper@example.net", "+447700900101"),
    Person("Liam", "Murphy", "liam.murphy@example.net", "+447700900102"),
    Person("Olivia", "Schmidt", "olivia.schmidt@example.net", "+447700900103"),
    Person("Noah", "Kowalski", "noah.kowalski@example.net", "+447700900104"),
    Person("Emma", "Rossi", "emma.rossi@example.net", "+447700900105"),
    Person("Mateo", "Fernández", "mateo.fernandez@example.net", "+447700900106"),
    Person("Ava", "Nguyen", "ava.nguyen@example.net", "+447700900107"),
    Person("Lucas", "Dubois", "lucas.dubois@example.net", "+447700900108"),
    Person("Mia", "Jansen", "mia.jansen@example.net", "+447700900109"),
    Person("Elias", "Lindqvist", "elias.lindqvist@example.net", "+447700900110"),
    Person("Zeynep", "Kaya", "zeynep.kaya@example.net", "+447700900111"),
    Person("Hiroshi", "Tanaka", "hiroshi.tanaka@example.net", "+447700900112"),
    Person("Amara", "Okafor", "amara.okafor@example.net", "+447700900113"),
    Person("Chloé", "Martin", "chloe.martin@example.net", "+447700900114"),
    Person("Jonas", "Becker", "jonas.becker@example.net", "+447700900115"),
    Person("Sofía", "López", "sofia.lopez@example.net", "+447700900116"),
    Person("Arjun", "Mehta", "arjun.mehta@example.net", "+12025550117"),
    Person("Grace", "Walker", "grace.walker@example.net", "+12025550118"),
    Person("Oskar", "Nowak", "oskar.nowak@example.net", "+12025550119"),
    Person("Leila", "Haddad", "leila.haddad@example.net", "+12025550120"),
    Person("Ivan", "Petrov", "ivan.petrov@example.net", "+12025550121"),
    Person("Nora", "Berg", "nora.berg@example.net", "+12025550122"),
    Person("Tomás", "Silva", "tomas.silva@example.net", "+12025550123"),
    Person("Yuki", "Sato", "yuki.sato@example.net", "+12025550124"),
)
