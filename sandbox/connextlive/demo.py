"""The demo seed's words: what `make run` shows a newcomer (`--content demo`), a support team's
week that reads like one. The hostile seed (`--content hostile`, what the tests use) keeps the
attack strings of hostile.py and the plain vocabulary of seed.py.

- People are named after their country (names from many countries), and a visitor with an email
  or a phone always has a name (no "Anonymous visitor" with an email).
- Phone numbers follow each country's own format, in ranges kept for fiction or drama where the
  country has one (UK 07700 900xxx, North America 555-01xx); the others are well-formed mobile
  numbers with a made-up subscriber part.
- Each conversation follows one topic: its subject, the visitor's opening question, the agent's
  answers in order and the visitor's follow-ups all belong to it. A closed conversation ends with
  thanks; an open one ends with the visitor still waiting for an answer.

Pure Python, no Django.
"""

import random
from dataclasses import dataclass

# country, ISO code, cities, first names, last names, phone(rng) -> E.164-ish display string
COUNTRIES: list[tuple[str, str, list[str], list[str], list[str]]] = [
    ("United States", "US", ["New York", "Austin", "Chicago", "Seattle"],
     ["Emily", "Michael", "Jessica", "David", "Ashley", "Chris"],
     ["Johnson", "Miller", "Davis", "Walker", "Brooks", "Reed"]),
    ("Germany", "DE", ["Berlin", "Munich", "Hamburg", "Cologne"],
     ["Lena", "Felix", "Hannah", "Jonas", "Lukas", "Marie"],
     ["Müller", "Schmidt", "Becker", "Hoffmann", "Wagner", "Fischer"]),
    ("Turkey", "TR", ["Istanbul", "Ankara", "Izmir", "Bursa"],
     ["Aylin", "Mehmet", "Zeynep", "Emre", "Elif", "Burak"],
     ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın"]),
    ("Spain", "ES", ["Madrid", "Barcelona", "Valencia", "Seville"],
     ["Lucía", "Hugo", "Carmen", "Javier", "Marta", "Pablo"],
     ["García", "Martínez", "López", "Sánchez", "Romero", "Navarro"]),
    ("United Kingdom", "GB", ["London", "Manchester", "Edinburgh", "Bristol"],
     ["Oliver", "Amelia", "Harry", "Isla", "George", "Freya"],
     ["Taylor", "Evans", "Wright", "Hughes", "Clarke", "Turner"]),
    ("France", "FR", ["Paris", "Lyon", "Marseille", "Toulouse"],
     ["Chloé", "Louis", "Camille", "Hugo", "Léa", "Théo"],
     ["Dubois", "Moreau", "Laurent", "Girard", "Lefèvre", "Fontaine"]),
    ("Brazil", "BR", ["São Paulo", "Rio de Janeiro", "Belo Horizonte"],
     ["João", "Ana", "Gabriel", "Beatriz", "Rafael", "Larissa"],
     ["Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira"]),
    ("India", "IN", ["Bengaluru", "Mumbai", "Pune", "Chennai"],
     ["Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Isha"],
     ["Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Nair"]),
    ("Japan", "JP", ["Tokyo", "Osaka", "Yokohama", "Fukuoka"],
     ["Yuki", "Haruto", "Sakura", "Ren", "Aoi", "Sota"],
     ["Tanaka", "Sato", "Suzuki", "Takahashi", "Watanabe", "Ito"]),
    ("Mexico", "MX", ["Mexico City", "Guadalajara", "Monterrey"],
     ["Sofía", "Mateo", "Valentina", "Santiago", "Camila", "Diego"],
     ["Hernández", "Ramírez", "Torres", "Flores", "Vargas", "Castillo"]),
    ("Nigeria", "NG", ["Lagos", "Abuja", "Ibadan"],
     ["Chinedu", "Amara", "Tunde", "Ngozi", "Emeka", "Funmi"],
     ["Okafor", "Adeyemi", "Eze", "Balogun", "Nwosu", "Okonkwo"]),
    ("Canada", "CA", ["Toronto", "Vancouver", "Montréal", "Calgary"],
     ["Liam", "Charlotte", "Noah", "Olivia", "Ethan", "Maya"],
     ["Tremblay", "Roy", "Campbell", "MacDonald", "Gagnon", "Wilson"]),
    ("Australia", "AU", ["Sydney", "Melbourne", "Brisbane", "Perth"],
     ["Jack", "Mia", "Lachlan", "Chloe", "Cooper", "Ruby"],
     ["Smith", "Kelly", "Mitchell", "Ryan", "Murphy", "Bennett"]),
    ("Netherlands", "NL", ["Amsterdam", "Rotterdam", "Utrecht"],
     ["Daan", "Sanne", "Bram", "Fleur", "Sem", "Lotte"],
     ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "de Boer"]),
    ("Poland", "PL", ["Warsaw", "Kraków", "Gdańsk"],
     ["Zofia", "Jakub", "Julia", "Kacper", "Maja", "Szymon"],
     ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski"]),
    ("Egypt", "EG", ["Cairo", "Alexandria", "Giza"],
     ["Omar", "Nour", "Youssef", "Mariam", "Karim", "Salma"],
     ["Hassan", "Mahmoud", "Ibrahim", "Mostafa", "Farouk", "Said"]),
]  # fmt: skip


def phone_number(code: str, rng: random.Random) -> str:
    """A number in the country's own format (see the module's docstring)."""
    d = rng.randint
    match code:
        case "US" | "CA":
            return f"+1 {d(201, 989)} 555 01{d(0, 99):02d}"
        case "GB":
            return f"+44 7700 900{d(0, 999):03d}"
        case "DE":
            return f"+49 15{d(1, 9)} {d(1000000, 9999999)}"
        case "TR":
            return f"+90 5{d(30, 59)} {d(100, 999)} {d(10, 99)} {d(10, 99)}"
        case "ES":
            return f"+34 6{d(10, 99)} {d(100, 999)} {d(100, 999)}"
        case "FR":
            return f"+33 6 {d(10, 99)} {d(10, 99)} {d(10, 99)} {d(10, 99)}"
        case "BR":
            return f"+55 {d(11, 99)} 9{d(1000, 9999)}-{d(1000, 9999)}"
        case "IN":
            return f"+91 9{d(1000, 9999)} {d(10000, 99999)}"
        case "JP":
            return f"+81 90 {d(1000, 9999)} {d(1000, 9999)}"
        case "MX":
            return f"+52 55 {d(1000, 9999)} {d(1000, 9999)}"
        case "NG":
            return f"+234 80{d(1, 9)} {d(100, 999)} {d(1000, 9999)}"
        case "AU":
            return f"+61 4{d(10, 99)} {d(100, 999)} {d(100, 999)}"
        case "NL":
            return f"+31 6 {d(10000000, 99999999)}"
        case "PL":
            return f"+48 {d(500, 899)} {d(100, 999)} {d(100, 999)}"
        case "EG":
            return f"+20 10 {d(1000, 9999)} {d(1000, 9999)}"
    return f"+44 7700 900{d(0, 999):03d}"


@dataclass(frozen=True)
class Topic:
    subject: str
    openers: tuple[str, ...]
    replies: tuple[str, ...]  # the agent's answers, in order
    follow_ups: tuple[str, ...]  # the visitor's lines between them, in order
    waiting: tuple[str, ...]  # the visitor's last lines while nobody has answered yet
    thanks: tuple[str, ...]  # a closed conversation's last visitor line
    tags: tuple[str, ...] = ()


TOPICS = (
    Topic(
        "Where is my order?",
        ("Hi, my order #{n} was due on Monday and it still hasn't arrived.",
         "Hello! Can you tell me where order #{n} is? The tracking hasn't moved in days."),
        ("Sorry about the wait! Let me look up order #{n} for you.",
         "It left our warehouse on Friday; the carrier shows a delay in your area.",
         "I've asked the carrier to prioritise it: it should reach you within two days."),
        ("Thanks. Is there a tracking link I can follow?",
         "OK. Could it be left with a neighbour if I'm out?"),
        ("Hello? Is anyone there?", "Any news about my order?"),
        ("Great, thanks for chasing it!", "Perfect, thank you so much!"),
    ),
    Topic(
        "Refund for a damaged item",
        ("The mug in my order #{n} arrived broken. Can I get a refund?",
         "Hi, one of the items in order #{n} was damaged in transit."),
        ("I'm sorry it arrived like that! Could you send a photo of the damage?",
         "Thank you. I've started a full refund to your card: it takes 3 to 5 working days.",
         "You'll get an email confirming the refund shortly."),
        ("Sure, here is the photo.", "Do I need to send the broken one back?"),
        ("I sent the photo an hour ago, any update?", "Is someone looking at this?"),
        ("That's quick, thank you!", "Thanks, appreciated."),
        ("returning-buyer",),
    ),
    Topic(
        "Can't sign in",
        ("I can't sign in to my account, it keeps saying my password is wrong.",
         "Hi, the sign-in page says my account is locked."),
        ("Let's sort that out. Which email address do you sign in with?",
         "I've sent a password reset link to that address; it works for one hour.",
         "Your account is unlocked now. Try signing in again."),
        ("It's the same address I'm writing from.", "Got the email, resetting now."),
        ("Still locked out, can someone help?", "Hello? I still can't get in."),
        ("I'm in, thanks a lot!", "Works now, thank you!"),
    ),
    Topic(
        "Invoice for my company",
        ("Could I get an invoice with my company's VAT number for order #{n}?",
         "Hi, our accounts team needs an invoice for last month's subscription."),
        ("Of course. What company name and VAT number should be on it?",
         "Done: the invoice is attached, and a copy went to your email.",
         "From next month the invoices will carry those details automatically."),
        ("Northwind Ltd, VAT GB123456789.", "Thanks, could you also add our PO number?"),
        ("Any news on the invoice?", "We need it for month-end closing, is it on its way?"),
        ("Perfect, that's exactly what we needed.", "Great, thank you!"),
        ("enterprise",),
    ),
    Topic(
        "Change of plan",
        ("We're growing: can we move from the Starter to the Team plan mid-month?",
         "Hi, is it possible to switch to yearly billing now?"),
        ("Yes! The change applies at once and you only pay the difference for this month.",
         "I've switched your workspace; the new price shows on your next invoice.",
         "Yearly billing is 20% cheaper, so it will go down from next year."),
        ("Great, and do we keep our data?", "Will the team members need to sign in again?"),
        ("Just checking whether someone saw my question?", "Any update on switching plans?"),
        ("Brilliant, thanks for the help.", "Thanks, that was easy."),
        ("trial",),
    ),
    Topic(
        "Delivery to another country",
        ("Do you deliver to {country}? I can't pick it at checkout.",
         "Hi, how long does shipping to {country} take?"),
        ("Yes, we deliver to {country}: it's in our international zone, 5 to 8 working days.",
         "At checkout, choose 'International' and the country list appears.",
         "Customs fees are included in the price, so nothing more to pay on delivery."),
        ("And what does it cost?", "Found it, thanks. Is tracking included?"),
        ("Hello, still waiting on an answer about shipping.", "Could someone reply please?"),
        ("Good to know, ordering now.", "Thanks, that answers it."),
    ),
    Topic(
        "Card payment declined",
        ("My card keeps getting declined at checkout, but it works everywhere else.",
         "Payment failed three times on order #{n}. What's going on?"),
        ("Sorry about that. Our payment provider sometimes asks for 3-D Secure: did a bank "
         "prompt appear?",
         "I see the attempts: the bank declined them. Trying again in a private window often "
         "helps.",
         "The order is reserved for 24 hours, so nothing is lost."),
        ("No prompt appeared at all.", "OK, I'll try that now."),
        ("It failed again, I need this today.", "Anyone there? My payment still fails."),
        ("That worked, thank you!", "Paid now, thanks for your patience."),
    ),
    Topic(
        "Size exchange",
        ("The jacket from order #{n} is too small. Can I exchange it for a large?",
         "Hi, can I swap the shoes I bought for a size bigger?"),
        ("Happy to help! The large is in stock, I've reserved one for you.",
         "I've emailed you a free return label: drop the parcel at any post office.",
         "We'll send the new size as soon as the return is scanned."),
        ("Great, do I need the original box?", "Thanks! How long does the exchange take?"),
        ("Just following up on my exchange request.", "Hello? Waiting to hear about the swap."),
        ("Perfect, thanks!", "Great service, thank you."),
        ("returning-buyer",),
    ),
)  # fmt: skip
DEMO_TAGS = ["vip", "trial", "enterprise", "returning-buyer", "newsletter", "wholesale"]
NOTES = [
    "Prefers email follow-ups.",
    "Asked about volume discounts twice.",
    "Renewal due next quarter.",
    "Had a delivery problem in March; be extra careful with shipping dates.",
    "Speaks Spanish and English.",
]


def conversation_lines(
    topic: Topic, turns: int, agent: bool, open_tail: int, rng: random.Random, **words: str
) -> list[tuple[str, str]]:
    """[("visitor" | "agent", text)] for one conversation of `turns` messages on `topic`. The
    agent answers every other message once assigned; an open conversation ends with
    `open_tail` visitor lines nobody has answered; a closed one with the visitor's thanks."""
    lines = [("visitor", rng.choice(topic.openers).format(**words))]
    replies = iter(topic.replies)
    follow_ups = iter(topic.follow_ups)
    tail = min(open_tail, len(topic.waiting)) if open_tail else 1
    for turn in range(1, max(turns - tail, 1)):
        said = next(replies, None) if agent and turn % 2 == 1 else next(follow_ups, None)
        if said is None:
            break  # the topic has no more to say: on to the end
        lines.append(("agent" if agent and turn % 2 == 1 else "visitor", said.format(**words)))
    if open_tail:
        lines += [("visitor", line) for line in topic.waiting[:tail]]
    else:
        lines.append(("visitor", rng.choice(topic.thanks)))
    return lines
