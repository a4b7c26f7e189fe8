"""The customers who write to the demo company on several platforms: one list every platform's
seed draws them from, so that the same person (the same email and phone) turns up on several
platforms and can be matched across them.

Each seed takes these people first and generates the rest of its people around them: UChat's
first subscribers (`sandbox/uchat/seed.py`), LivePerson's published consumers
(`sandbox/liveperson/credentials.py`), Naxon's conversations (web ones by email, messenger ones
by phone: `sandbox/naxon/seed.py`), ConnectiveOne's chat rooms (the first 12 people, which rooms
and with what: `sandbox/connectiveone/shared.py`). Connextlive's seed keeps its own visitors for
now, except Jane Cooper (PEOPLE[0]): its first visitor of each workspace has her name, email and
phone (E.164), so she matches across all of them.

Emails are at the reserved example.com/.net/.org domains. Phone numbers are in ranges set aside
for fiction, so none rings a real person: UK +44 7700 900xxx (Ofcom) and US +1 NXX 555-01xx
(NANPA), written in E.164. Pure Python, no Django.
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


PEOPLE: tuple[Person, ...] = (
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
    Person("Maria", "Gonzalez", "maria.gonzalez@example.com", "+447700900123"),
    Person("James", "Okafor", "james.okafor@example.net", "+447700900456"),
    Person("Priya", "Raman", "priya.raman@example.org", "+12025550143"),
    Person("Tom", "Becker", "tom.becker@example.com", "+447700900702"),
    Person("Aiko", "Tanaka", "aiko.tanaka@example.com", "+447700900789"),
    Person("Lucas", "Moreau", "lucas.moreau@example.net", "+13125550178"),
    Person("Fatima", "Zahra Benali", "fatima.benali@example.org", "+12145550106"),
    Person("Daniel", "Kim", "daniel.kim@example.com", "+14155550123"),
    Person("Sofia", "Rossi", "sofia.rossi@example.com", "+447700900321"),
    Person("Noah", "Williams", "noah.williams@example.net", "+12125550199"),
    Person("Chloe", "Dubois", "chloe.dubois@example.org", "+447700900748"),
    Person("Mateo", "Silva", "mateo.silva@example.com", "+447700900654"),
    Person("Hannah", "Schmidt", "hannah.schmidt@example.net", "+13055550111"),
    Person("Olivia", "Brown", "olivia.brown@example.org", "+447700900987"),
    Person("Kwame", "Mensah", "kwame.mensah@example.com", "+12065550132"),
    Person("Emma", "Johansson", "emma.johansson@example.net", "+447700900815"),
    Person("Somchai", "Wongsakul", "somchai.w@example.com", "+447700900246"),
    Person("Linh", "Nguyen", "linh.nguyen@example.org", "+17135550187"),
    Person("Ahmed", "Hassan", "ahmed.hassan@example.com", "+19175550137"),
    Person("Isabella", "Costa", "isabella.costa@example.net", "+447700900135"),
    Person("Ethan", "Clarke", "ethan.clarke@example.com", "+16175550164"),
    Person("Grace", "O'Neill", "grace.oneill@example.com", "+447700900579"),
    Person("Rafael", "Ortega", "rafael.ortega@example.net", "+13035550126"),
    Person("Amara", "Eze", "amara.eze@example.com", "+14255550195"),
    Person("Lena", "Fischer", "lena.fischer@example.org", "+447700900864"),
    Person("Oliver", "Smith", "oliver.smith@example.com", "+15125550172"),
    Person("Mei", "Chen", "mei.chen@example.net", "+447700900941"),
    Person("Diego", "Herrera", "diego.herrera@example.com", "+447700900312"),
    Person("Zoe", "Martin", "zoe.martin@example.org", "+14045550158"),
    Person("Ibrahim", "Diallo", "ibrahim.diallo@example.com", "+13125550104"),
    Person("Anna", "Kowalska", "anna.kowalska@example.net", "+447700900698"),
    Person("Samuel", "Adeyemi", "samuel.adeyemi@example.com", "+17025550119"),
    Person("Nina", "Petrova", "nina.petrova@example.org", "+447700900274"),
    Person("Lars", "Nielsen", "lars.nielsen@example.com", "+447700900417"),
)
