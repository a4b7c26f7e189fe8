"""The session store (SESSION_ENGINE, accounts/sessions.py): Django's database sessions, whose
row is read with SQL. A live session reads back what was stored; an expired or unknown key reads
nothing and is forgotten, as Django's own store does."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def stored_session(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_live_session_reads_back_what_was_stored(db):
    key = stored_session(user="42", theme="dark")

    assert SessionStore(key).load() == {"user": "42", "theme": "dark"}


def test_an_expired_session_reads_nothing_and_its_key_is_forgotten(db):
    key = stored_session(user="42")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_an_unknown_key_reads_nothing(db):
    stored_session(user="42")

    store = SessionStore("x" * 32)
    assert store.load() == {}
    assert store.session_key is None
