"""SESSION_ENGINE: Django's database sessions, the session row read with SQL.

Every request reads its session. Building and compiling the queryset of
`Session.objects.get(session_key=..., expire_date__gt=now)` costs about three times the query
itself (bench/README.md), so the row is read with the same condition written as SQL: the same
row, the same model instance, an expired or unknown key none (and then a new key, as Django's).
Everything else (saving, creating, deleting, the async reads) is Django's own.
"""

import functools

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        for session in Session.objects.raw(_live_session_sql(), [self.session_key, now]):
            return session
        self._session_key = None
        return None


@functools.cache
def _live_session_sql() -> str:
    """The session by key, while it has not expired; the names come from the model."""
    quote = connection.ops.quote_name
    meta = Session._meta
    return (
        f"SELECT * FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.get_field('session_key').column)} = %s "
        f"AND {quote(meta.get_field('expire_date').column)} > %s"
    )
