"""What the seed's conversations say: a support team's everyday exchanges with its bots.

Each dialogue is a list of turns (sender, text); `{...}` fields are filled per conversation by
seed.py. Senders are `user` (the customer), `bot` (the model) and `agent` (a person of the team
who took over); the values are a guess (seeds/001 shows none). Some dialogues use the words a
team watches (`refund`, `cancel`, `lawyer`: credentials.WATCHED_KEYWORDS), some only their
relatives ("refunded", "cancelled", "cancelar"), which a whole-word match must not take.
"""

type Turn = tuple[str, str]

ORDER_STATUS: list[Turn] = [
    ("user", "Hi, where is my order {order}?"),
    ("bot", "Hi {name}! Let me check order {order} for you."),
    ("bot", "Order {order} left our warehouse on {date} with {carrier}. Tracking: {tracking}."),
    ("user", "Great, thanks!"),
    ("bot", "You're welcome! Anything else I can help with?"),
]

REFUND_DAMAGED: list[Turn] = [
    ("user", "I want a refund for order {order}, the blender arrived broken."),
    ("bot", "I'm sorry to hear that, {name}. Could you send a photo of the damage?"),
    ("user", "Sent the photo just now."),
    (
        "bot",
        "Thank you. I've opened a return for order {order}. A refund of {amount} will reach "
        "your card within 5-7 business days.",
    ),
    ("user", "ok thanks"),
]

CANCEL_SUBSCRIPTION: list[Turn] = [
    ("user", "How do I cancel my subscription?"),
    (
        "bot",
        "You can cancel anytime under Account > Plan > Cancel plan. Would you like me to do it "
        "for you?",
    ),
    ("user", "Yes please, cancel it."),
    ("bot", "Done: your plan ends on {date} and you won't be charged again."),
]

LAWYER: list[Turn] = [
    ("user", "This is the third time my package went missing. I'm talking to my lawyer."),
    ("bot", "I'm really sorry, {name}. I'm passing this to a member of our team right away."),
    (
        "agent",
        "Hi {name}, this is {agent} from Acme. I've reshipped order {order} by express and "
        "refunded the shipping.",
    ),
    ("user", "Fine. Thank you."),
]

DELIVERY_DELAYED: list[Turn] = [
    ("user", "My parcel was due yesterday and still nothing."),
    ("bot", "Sorry for the wait! Order {order} is held at the {city} depot; new estimate {date}."),
    ("user", "Can I change the delivery address?"),
    ("bot", "Yes: reply with the new address and I'll update it before it leaves the depot."),
    ("user", "{address}"),
    ("bot", "Updated. You'll get a text when it's out for delivery."),
]

DOUBLE_CHARGE: list[Turn] = [
    ("user", "I was charged twice for my last order"),
    (
        "bot",
        "I can see two payments of {amount} on {date}. One is a pending authorisation that "
        "drops off within 3 days.",
    ),
    ("user", "If it doesn't I want a refund."),
    ("bot", "Of course. If it's still there after 3 days, reply here and we'll refund it."),
]

INVOICE_COPY: list[Turn] = [
    ("user", "Can I get an invoice for order {order}? I need it for my company."),
    ("bot", "Sure! What company name and VAT number should it show?"),
    ("user", "Northwind Ltd, GB123456789"),
    ("bot", "Done. The invoice for {amount} is on its way to your email."),
]

PRODUCT_QUESTION: list[Turn] = [
    ("user", "Does the X200 vacuum work on carpets?"),
    ("bot", "Yes! The X200 has a carpet mode with a motorised brush for low and medium pile."),
    ("user", "And the battery?"),
    ("bot", "Up to 60 minutes in eco mode, about 25 minutes in carpet mode."),
    ("user", "Perfect, ordering one now"),
]

STORE_HOURS: list[Turn] = [
    ("user", "What time does the {city} store open on Sunday?"),
    ("bot", "The {city} store opens at 10:00 and closes at 18:00 on Sundays."),
]

PASSWORD_RESET: list[Turn] = [
    ("user", "I can't log in, I forgot my password"),
    ("bot", "No problem. I've sent a reset link to your email. It's valid for 30 minutes."),
    ("user", "Got it, thanks"),
]

CANCEL_ORDER: list[Turn] = [
    ("user", "Can I cancel order {order}? I ordered the wrong size."),
    ("bot", "Order {order} hasn't shipped yet. Shall I cancel it, or swap the size instead?"),
    ("user", "Swap to a medium please"),
    ("bot", "Done! Order {order} now has size M, same delivery date."),
]

ALREADY_CANCELLED: list[Turn] = [
    ("user", "Why was my order {order} cancelled??"),
    (
        "bot",
        "The payment for order {order} was declined twice, so it was cancelled automatically. "
        "You can place it again with another card.",
    ),
    ("user", "ok will do"),
]

SPANISH_CANCEL: list[Turn] = [
    ("user", "Hola, quiero cancelar mi pedido {order}"),
    (
        "bot",
        "¡Hola {name}! El pedido {order} ya está cancelado. Recibirás un email de confirmación.",
    ),
    ("user", "Gracias"),
]

FOLLOW_UP: list[Turn] = [
    ("user", "Hi again, any news on this?"),
    ("bot", "Thanks for checking in, {name}. It's all sorted on our side now."),
]

# Which dialogues each kind of model has, with weights.
WEB_CHAT = [(ORDER_STATUS, 4), (PRODUCT_QUESTION, 3), (STORE_HOURS, 2), (PASSWORD_RESET, 2),
            (DELIVERY_DELAYED, 2), (CANCEL_ORDER, 1)]  # fmt: skip
WHATSAPP_SUPPORT = [(ORDER_STATUS, 4), (DELIVERY_DELAYED, 3), (REFUND_DAMAGED, 2), (LAWYER, 1),
                    (CANCEL_ORDER, 2), (ALREADY_CANCELLED, 1), (SPANISH_CANCEL, 1)]  # fmt: skip
RETURNS = [(REFUND_DAMAGED, 4), (CANCEL_ORDER, 2), (LAWYER, 1), (ALREADY_CANCELLED, 1)]
BILLING = [(DOUBLE_CHARGE, 3), (CANCEL_SUBSCRIPTION, 3), (INVOICE_COPY, 3)]
TELEGRAM_ORDERS = [(ORDER_STATUS, 4), (CANCEL_ORDER, 2), (PRODUCT_QUESTION, 2),
                   (DELIVERY_DELAYED, 1)]  # fmt: skip
CONCIERGE = [(PRODUCT_QUESTION, 4), (STORE_HOURS, 3), (REFUND_DAMAGED, 1), (SPANISH_CANCEL, 1)]

CARRIERS = ["DHL", "UPS", "FedEx", "Royal Mail", "Kerry Express"]
CITIES = ["Bangkok", "London", "Chicago", "Sydney", "Berlin", "Madrid", "Singapore"]
AGENTS = ["Ploy", "Ben", "Carla", "Hiro", "Sarah"]
ADDRESSES = [
    "12 Baker Street, London NW1 6XE",
    "88 Sukhumvit Soi 11, Bangkok 10110",
    "221 W Madison St, Chicago IL 60606",
    "Calle de Alcalá 45, 28014 Madrid",
]
