"""One-time submission ids for a form whose answer cannot be a redirect (the page showing a new
key): the browser's "reload" re-sends the POST, and the id tells the second send apart.

The ids live in the session, a few at a time (several tabs may hold the form at once). They are
not secrets: they only say "this form has not been used yet".
"""

import secrets

from django.contrib.sessions.backends.base import SessionBase

SESSION_KEY = "_apikeys_form_submissions"
KEEP = 5


def issue(session: SessionBase) -> str:
    submission = secrets.token_urlsafe(16)
    session[SESSION_KEY] = [*_outstanding(session)[-(KEEP - 1) :], submission]
    return submission


def redeem(session: SessionBase, submission: str) -> bool:
    """True exactly once per issued id."""
    outstanding = _outstanding(session)
    if not submission or submission not in outstanding:
        return False
    outstanding.remove(submission)
    session[SESSION_KEY] = outstanding
    return True


def _outstanding(session: SessionBase) -> list[str]:
    value = session.get(SESSION_KEY)
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
