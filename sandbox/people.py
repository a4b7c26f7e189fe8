"""The customers who write to the demo company on several platforms: one list for every
platform's seed, so that the same person (by email or phone) turns up on more than one of them.

Naxon's seed uses it first (its web conversations carry emails, its WhatsApp ones phone
numbers); other platforms' seeds can draw on it so that people can be matched across platforms.
Pure Python, no Django.

Emails are at the reserved example.com/.net/.org domains. Phone numbers are in ranges set aside
for fiction, so none rings a real person: UK +44 7700 900xxx (Ofcom) and US +1 NXX 555-01xx
(NANPA). They are written in E.164.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str  # E.164, with the leading +

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


PEOPLE: tuple[Person, ...] = (
    Person("Maria Gonzalez", "maria.gonzalez@example.com", "+447700900123"),
    Person("James Okafor", "james.okafor@example.net", "+447700900456"),
    Person("Priya Raman", "priya.raman@example.org", "+12025550143"),
    Person("Tom Becker", "tom.becker@example.com", "+447700900702"),
    Person("Aiko Tanaka", "aiko.tanaka@example.com", "+447700900789"),
    Person("Lucas Moreau", "lucas.moreau@example.net", "+13125550178"),
    Person("Fatima Zahra Benali", "fatima.benali@example.org", "+12145550106"),
    Person("Daniel Kim", "daniel.kim@example.com", "+14155550123"),
    Person("Sofia Rossi", "sofia.rossi@example.com", "+447700900321"),
    Person("Noah Williams", "noah.williams@example.net", "+12125550199"),
    Person("Chloe Dubois", "chloe.dubois@example.org", "+447700900748"),
    Person("Mateo Silva", "mateo.silva@example.com", "+447700900654"),
    Person("Hannah Schmidt", "hannah.schmidt@example.net", "+13055550111"),
    Person("Arjun Mehta", "arjun.mehta@example.com", "+16025550181"),
    Person("Olivia Brown", "olivia.brown@example.org", "+447700900987"),
    Person("Kwame Mensah", "kwame.mensah@example.com", "+12065550132"),
    Person("Emma Johansson", "emma.johansson@example.net", "+447700900815"),
    Person("Somchai Wongsakul", "somchai.w@example.com", "+447700900246"),
    Person("Linh Nguyen", "linh.nguyen@example.org", "+17135550187"),
    Person("Ahmed Hassan", "ahmed.hassan@example.com", "+19175550137"),
    Person("Isabella Costa", "isabella.costa@example.net", "+447700900135"),
    Person("Ethan Clarke", "ethan.clarke@example.com", "+16175550164"),
    Person("Yuki Sato", "yuki.sato@example.org", "+447700900533"),
    Person("Grace O'Neill", "grace.oneill@example.com", "+447700900579"),
    Person("Rafael Ortega", "rafael.ortega@example.net", "+13035550126"),
    Person("Amara Eze", "amara.eze@example.com", "+14255550195"),
    Person("Lena Fischer", "lena.fischer@example.org", "+447700900864"),
    Person("Oliver Smith", "oliver.smith@example.com", "+15125550172"),
    Person("Mei Chen", "mei.chen@example.net", "+447700900941"),
    Person("Diego Herrera", "diego.herrera@example.com", "+447700900312"),
    Person("Zoe Martin", "zoe.martin@example.org", "+14045550158"),
    Person("Ibrahim Diallo", "ibrahim.diallo@example.com", "+13125550104"),
    Person("Anna Kowalska", "anna.kowalska@example.net", "+447700900698"),
    Person("Samuel Adeyemi", "samuel.adeyemi@example.com", "+17025550119"),
    Person("Nina Petrova", "nina.petrova@example.org", "+447700900274"),
    Person("Lars Nielsen", "lars.nielsen@example.com", "+447700900417"),
)
