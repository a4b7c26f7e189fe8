"""Sign-in throttling: failures counted per account and per client address in Django's cache.

Why not django-axes: its releases do not cover Django 6.1 yet, it would count "platform
unreachable" as a failed attempt unless worked around, and it brings its own tables and admin.
What is needed here is two counters, so they are kept in the shared cache (see CACHES in
settings: Redis or a database table, never per-process memory, so every web process counts
together).

Each counter lives for one window from its first failure; at the limit, sign-in is refused
without calling the platform until the counter expires. Only wrong credentials count, and a
successful sign-in clears its account's counter but never the address's (or one valid account
would let an attacker reset the address limit at will). Keys are hashes: no email or address
is stored in the cache in clear.
"""

import hashlib
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from dashboard.audit.log import client_ip


@dataclass(frozen=True)
class Lockout:
    scope: str  # "account" or "address"
    minutes: int

    @property
    def message(self) -> str:
        return (
            "Too many failed sign-in attempts. "
            f"Try again in {self.minutes} minute{'s' if self.minutes != 1 else ''}."
        )


def lockout_for(request: HttpRequest, email: str) -> Lockout | None:
    """The lockout that applies to this attempt, if any (checked before asking the platform)."""
    minutes = max(1, math.ceil(settings.SIGN_IN_THROTTLE_WINDOW / 60))
    if _count(_account_key(email)) >= settings.SIGN_IN_FAILURES_PER_ACCOUNT:
        return Lockout("account", minutes)
    if _count(_address_key(request)) >= settings.SIGN_IN_FAILURES_PER_IP:
        return Lockout("address", minutes)
    return None


def record_failure(request: HttpRequest, email: str) -> None:
    for key in (_account_key(email), _address_key(request)):
        _increment(key)


def clear_account(email: str) -> None:
    cache.delete(_account_key(email))


def _count(key: str) -> int:
    value = cache.get(key, 0)
    return value if isinstance(value, int) else 0


def _increment(key: str) -> None:
    # add() starts the window only if the key is new; incr() is atomic on Redis.
    cache.add(key, 0, timeout=settings.SIGN_IN_THROTTLE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr(): start a new window
        cache.add(key, 1, timeout=settings.SIGN_IN_THROTTLE_WINDOW)


def _account_key(email: str) -> str:
    return "signin-fail:account:" + _digest(email.strip().lower())


def _address_key(request: HttpRequest) -> str:
    return "signin-fail:address:" + _digest(client_ip(request) or "unknown")


def _digest(value: str) -> str:
    # Keyed, so the cache cannot be used to test whether an address or email was seen.
    return hashlib.blake2b(
        value.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16
    ).hexdigest()
