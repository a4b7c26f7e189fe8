"""Throttling of password guesses, at sign-in and on the "confirm it's you" page.

    match throttle.reserve_sign_in(request, email):
        case throttle.Lockout() as lockout: ...          # refused: the platform is not asked
        case reservation: ...                            # ask the platform, then say how it went:
    reservation.failed() / .succeeded() / .abandoned()   # wrong password / right / no answer

An attempt reserves its slot in every counter before the platform is asked, so parallel
attempts cannot all pass a check made before any of them is counted: of 30 at once with 5
slots left, 5 reach the platform. A wrong password keeps the slot; the right one, or a platform
that did not answer (an outage is not a guess), gives it back. The counters are atomic in every
store (accounts.counters) and each window lasts its configured time from its first attempt.

Sign-in counts three things, each with its own limit and window:
- the account at this address (SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP, 5 per 15 minutes): what a
  guesser meets first. It locks that address out of that account and nobody else out;
- the address across accounts (SIGN_IN_FAILURES_PER_IP, 20 per 15 minutes): a spray of emails;
- the account from anywhere (SIGN_IN_FAILURES_PER_ACCOUNT, 50 per hour): guesses spread over
  many addresses. One address alone cannot reach it (5 per 15-minute window: at most 25 in an
  hour), so nobody can lock a colleague out from their own desk.
The address counter is never cleared by a success, or one valid account would let an attacker
reset it at will; a success gives back its own slot there.

A signed-in session's confirmation is counted per session only (CONFIRM_FAILURES_PER_SESSION,
5 per 15 minutes): failed sign-ins from elsewhere never stop a user from confirming.

Every lockout is audited once per window ("auth.lockout"), and the message says how long it
lasts. Counter keys are keyed hashes: no email or address is stored in clear.
"""

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import ngettext

from accounts import counters
from dashboard import audit
from dashboard.audit.log import client_ip

AUDIT_LOCKOUT = "auth.lockout"

type Scope = Literal["account_address", "address", "account", "session"]
type OnSuccess = Literal["clear", "give_back"]


def _locked_message(scope: Scope, minutes: int) -> str:
    """What a lockout says, in the active language (literal strings: `make messages` reads
    them)."""
    if scope == "account_address":
        text = ngettext(
            "Too many failed sign-in attempts for this account. Try again in %(minutes)d minute.",
            "Too many failed sign-in attempts for this account. Try again in %(minutes)d minutes.",
            minutes,
        )
    elif scope == "address":
        text = ngettext(
            "Too many failed sign-in attempts from your network. Try again in %(minutes)d minute.",
            "Too many failed sign-in attempts from your network. Try again in %(minutes)d minutes.",
            minutes,
        )
    elif scope == "account":
        text = ngettext(
            "Too many failed sign-in attempts for this account: it is locked."
            " Try again in %(minutes)d minute.",
            "Too many failed sign-in attempts for this account: it is locked."
            " Try again in %(minutes)d minutes.",
            minutes,
        )
    else:
        text = ngettext(
            "Too many failed attempts to confirm your password. Try again in %(minutes)d minute.",
            "Too many failed attempts to confirm your password. Try again in %(minutes)d minutes.",
            minutes,
        )
    return text % {"minutes": minutes}


_AUDITED_WHY: dict[Scope, str] = {
    "account_address": "failed sign-ins for this account from one address",
    "address": "failed sign-ins from one address",
    "account": "failed sign-ins for this account from any address",
    "session": "wrong passwords on the confirmation page in one session",
}


@dataclass(frozen=True)
class Counter:
    scope: Scope
    key: str
    limit: int
    window: int  # seconds
    on_success: OnSuccess


@dataclass(frozen=True)
class Lockout:
    scope: Scope
    seconds_left: float

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds_left / 60))

    @property
    def message(self) -> str:
        return _locked_message(self.scope, self.minutes)


class Reservation:
    """The slots one attempt holds, until it says how the platform answered."""

    def __init__(
        self, request: HttpRequest, email: str, held: list[tuple[Counter, counters.Window]]
    ) -> None:
        self._request = request
        self._email = email
        self._held = held

    def failed(self) -> Lockout | None:
        """A wrong password: the slots stay taken. Returns the lockout this failure completed."""
        for counter, window in self._held:
            if window.count >= counter.limit:
                _audit_once(self._request, self._email, counter, window)
                return Lockout(counter.scope, window.seconds_left())
        return None

    def succeeded(self) -> None:
        store = counters.store()
        for counter, _ in self._held:
            if counter.on_success == "clear":
                store.clear(counter.key)
            else:
                store.give_back(counter.key)

    def abandoned(self) -> None:
        """The platform gave no verdict: the attempt does not count."""
        _give_back(counter for counter, _ in self._held)


def reserve_sign_in(request: HttpRequest, email: str) -> Reservation | Lockout:
    email = normalise(email)
    address = client_ip(request) or "unknown"
    window = settings.SIGN_IN_THROTTLE_WINDOW
    # In this order: an attempt refused by one counter never weighs on those after it, so a
    # locked-out guesser cannot push the account's own counter up by hammering.
    checks = [
        Counter(
            "account_address",
            "signin:pair:" + _digest(f"{email}\n{address}"),
            settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP,
            window,
            "clear",
        ),
        Counter(
            "address",
            "signin:address:" + _digest(address),
            settings.SIGN_IN_FAILURES_PER_IP,
            window,
            "give_back",
        ),
        Counter(
            "account",
            "signin:account:" + _digest(email),
            settings.SIGN_IN_FAILURES_PER_ACCOUNT,
            settings.SIGN_IN_ACCOUNT_WINDOW,
            "give_back",
        ),
    ]
    return _reserve(request, email, checks)


def reserve_confirmation(request: HttpRequest) -> Reservation | Lockout:
    user = request.user
    session_key = request.session.session_key or ""
    checks = [
        Counter(
            "session",
            "confirm:session:" + _digest(session_key),
            settings.CONFIRM_FAILURES_PER_SESSION,
            settings.SIGN_IN_THROTTLE_WINDOW,
            "clear",
        )
    ]
    return _reserve(request, getattr(user, "email", ""), checks)


def normalise(email: str) -> str:
    return email.strip().lower()


def _reserve(request: HttpRequest, email: str, checks: list[Counter]) -> Reservation | Lockout:
    store = counters.store()
    held: list[tuple[Counter, counters.Window]] = []
    for counter in checks:
        window = store.hit(counter.key, counter.window)
        if window.count > counter.limit:
            _give_back([counter, *(taken for taken, _ in held)])
            _audit_once(request, email, counter, window)
            return Lockout(counter.scope, window.seconds_left())
        held.append((counter, window))
    return Reservation(request, email, held)


def _give_back(taken: Iterable[Counter]) -> None:
    store = counters.store()
    for counter in taken:
        store.give_back(counter.key)


def _audit_once(
    request: HttpRequest, email: str, counter: Counter, window: counters.Window
) -> None:
    """The first time a lockout is met in a window, it goes into the audit log."""
    if not counters.store().first_mark(counter.key):
        return
    lockout = Lockout(counter.scope, window.seconds_left())
    known_user = _local_user(email)
    audit.record(
        request,
        AUDIT_LOCKOUT,
        target=audit.Target("user", str(known_user.pk) if known_user else "", email),
        changes={"scope": counter.scope, "minutes": lockout.minutes},
        outcome="failure",
        error=f"{counter.limit} {_AUDITED_WHY[counter.scope]}: locked for {lockout.minutes} min",
        actor_email=email,
        # The workspace's managers see lockouts of their own people.
        tenant_id=str(getattr(known_user, "tenant_id", "") or ""),
    )


def _local_user(email: str) -> object | None:
    if not email:
        return None
    return get_user_model()._default_manager.filter(email__iexact=email).first()


def _digest(value: str) -> str:
    # Keyed, so the store cannot be used to test whether an address or email was seen.
    return hashlib.blake2b(
        value.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16
    ).hexdigest()
