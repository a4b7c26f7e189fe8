"""Which platform records are the person's: only an exact e-mail or phone (UChat), and only a
WhatsApp number or a signed-in web e-mail (Naxon AI), so that a platform answering more than it
was asked (a looser search, a filter it ignores) adds nothing false."""

from dashboard.contacts.people import Person
from dashboard.contacts.sources import naxon, uchat
from dashboard.platforms.naxon import Conversation
from dashboard.platforms.uchat_records import Subscriber

JANE = Person(email="jane.cooper@example.net", phone="+447700900101")


def conversation(platform: str, user: str) -> Conversation:
    return Conversation(id=1, platform=platform, platform_user_id=user)


def test_naxon_matches_a_whatsapp_number_and_a_web_email_only():
    assert naxon.is_them(conversation("whatsapp", "447700900101"), JANE)
    assert naxon.is_them(conversation("web", "Jane.Cooper@example.net"), JANE)
    assert not naxon.is_them(conversation("telegram", "447700900101"), JANE)
    assert not naxon.is_them(conversation("web", "447700900101"), JANE)
    assert not naxon.is_them(conversation("whatsapp", "4477009001010"), JANE)
    assert not naxon.is_them(conversation("whatsapp", "447700900101"), Person(email=JANE.email))
    assert naxon.user_ids(JANE) == {"whatsapp": "447700900101", "web": JANE.email}


def test_uchat_matches_the_same_email_or_number_in_any_writing():
    assert uchat.is_them(Subscriber(user_ns="u1", phone="+44 7700 900101"), JANE)
    assert uchat.is_them(Subscriber(user_ns="u1", email=" JANE.cooper@example.net"), JANE)
    assert not uchat.is_them(Subscriber(user_ns="u1", phone="+447700900102"), JANE)
    assert not uchat.is_them(Subscriber(user_ns="u1", email="jane@example.net"), JANE)
    assert not uchat.is_them(Subscriber(user_ns="u1"), JANE)
