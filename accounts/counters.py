"""Windowed counters that stay right under concurrency, shared by every web process.

    window = counters.store().hit("signin:pair:…", window_seconds=900)
    if window.count > limit: ...            # the count includes this hit

A counter's window starts at its first hit and lasts `window_seconds`, whatever else happens:
later hits never extend it (a lockout lasts the documented time, not "until the attacker
stops"). When it ends, the next hit starts a new window at 1.

Two stores, one behaviour:
- `DatabaseCounters` (the default): one `ThrottleCounter` row per key, changed inside a
  transaction that holds the row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
  transactions take the write lock at BEGIN) and counted with F(), so no update is lost.
- `RedisCounters` (when CACHE_URL is redis://): a hash per key changed by a Lua script, which
  Redis runs atomically. The key's expiry is set once, when its window is created.

Windows are measured with the console's clock (`django.utils.timezone.now`) in both stores, so
every process agrees with its own clock and a test can move time without sleeping.

Not Django's cache API: its `incr` is a read and a write on the database cache (two requests
that read 3 both write 4), and each write resets the key's timeout to the cache's default.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import ThrottleCounter

REDIS_PREFIX = "switchboard:counter:"
# Redis drops a key this long after its window ended; only the window's end, read by the
# scripts, decides whether it still counts.
REDIS_EXPIRY_SLACK_MS = 60_000
REDIS_SOCKET_TIMEOUT = 2.0


class CountersUnavailable(Exception):
    """The store cannot be reached (Redis down): throttled actions must not go ahead unguarded."""


@dataclass(frozen=True)
class Window:
    """A counter as one hit left it: the count within the current window, and when it ends."""

    count: int
    ends_at: float  # seconds since the epoch

    def seconds_left(self) -> float:
        return max(0.0, self.ends_at - now())


class CounterStore(Protocol):
    def hit(self, key: str, window_seconds: int) -> Window:
        """Add one and return the window (a new one if there was none or it ended)."""
        ...

    def give_back(self, key: str) -> None:
        """Take one away again (a reserved slot that turned out not to count)."""
        ...

    def clear(self, key: str) -> None: ...

    def first_mark(self, key: str) -> bool:
        """True for the first caller in the current window, False for every later one."""
        ...

    def clear_all(self) -> None:
        """Every counter gone (tests)."""
        ...


def now() -> float:
    return timezone.now().timestamp()


def store() -> CounterStore:
    """The store the settings configure: Redis when CACHE_URL says so, else the database."""
    url = settings.CACHE_URL or ""
    if url.startswith(("redis://", "rediss://")):
        return _redis_store(url)
    return DATABASE_COUNTERS


# --- the database -----------------------------------------------------------------------------


class DatabaseCounters:
    def hit(self, key: str, window_seconds: int) -> Window:
        moment = timezone.now()
        # Two first hits may both find no row: one INSERT wins, the other counts on its row.
        for _ in range(3):
            try:
                return self._hit_once(key, moment, timedelta(seconds=window_seconds))
            except IntegrityError:
                continue
        raise CountersUnavailable("the counter row kept changing under us")

    def _hit_once(self, key: str, moment: datetime, window: timedelta) -> Window:
        created = False
        with transaction.atomic():
            row = ThrottleCounter.objects.select_for_update().filter(key=key).first()
            if row is None:
                row = ThrottleCounter.objects.create(
                    key=key, count=1, window_ends_at=moment + window
                )
                created = True
            elif row.window_ends_at <= moment:  # the window ended: this hit starts a new one
                row.count, row.window_ends_at, row.marked = 1, moment + window, False
                row.save(update_fields=["count", "window_ends_at", "marked"])
            else:
                ThrottleCounter.objects.filter(key=key).update(count=F("count") + 1)
                row.refresh_from_db(fields=["count"])
        if created:
            # Rows of ended windows are kept only to be reused; each is deleted once, so this
            # costs little per new row however many made-up emails are tried.
            ThrottleCounter.objects.filter(window_ends_at__lt=moment).delete()
        return Window(row.count, row.window_ends_at.timestamp())

    def give_back(self, key: str) -> None:
        ThrottleCounter.objects.filter(
            key=key, count__gt=0, window_ends_at__gt=timezone.now()
        ).update(count=F("count") - 1)

    def clear(self, key: str) -> None:
        ThrottleCounter.objects.filter(key=key).delete()

    def first_mark(self, key: str) -> bool:
        updated = ThrottleCounter.objects.filter(
            key=key, marked=False, window_ends_at__gt=timezone.now()
        ).update(marked=True)
        return updated == 1

    def clear_all(self) -> None:
        ThrottleCounter.objects.all().delete()


DATABASE_COUNTERS = DatabaseCounters()


# --- Redis ------------------------------------------------------------------------------------

# KEYS[1] the counter; ARGV[1] now and ARGV[2] the window, in milliseconds. Returns {count, end}.
_HIT = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local ends = tonumber(redis.call('HGET', KEYS[1], 'ends'))
if ends == nil or ends <= now then
  ends = now + window
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'ends', ends)
  redis.call('PEXPIRE', KEYS[1], window + tonumber(ARGV[3]))
end
return {redis.call('HINCRBY', KEYS[1], 'count', 1), ends}
"""
_GIVE_BACK = """
local ends = tonumber(redis.call('HGET', KEYS[1], 'ends'))
local count = tonumber(redis.call('HGET', KEYS[1], 'count'))
if ends and count and ends > tonumber(ARGV[1]) and count > 0 then
  return redis.call('HINCRBY', KEYS[1], 'count', -1)
end
return 0
"""
_FIRST_MARK = """
local ends = tonumber(redis.call('HGET', KEYS[1], 'ends'))
if ends and ends > tonumber(ARGV[1]) then
  return redis.call('HSETNX', KEYS[1], 'marked', 1)
end
return 0
"""


class RedisCounters:
    def __init__(self, url: str) -> None:
        import redis  # only a Redis deployment needs it loaded

        self._errors = (redis.RedisError,)
        self._redis = redis.Redis.from_url(
            url, socket_timeout=REDIS_SOCKET_TIMEOUT, socket_connect_timeout=REDIS_SOCKET_TIMEOUT
        )
        self._hit = self._redis.register_script(_HIT)
        self._give_back = self._redis.register_script(_GIVE_BACK)
        self._first_mark = self._redis.register_script(_FIRST_MARK)

    def hit(self, key: str, window_seconds: int) -> Window:
        count, ends_ms = self._run(
            self._hit, key, _now_ms(), window_seconds * 1000, REDIS_EXPIRY_SLACK_MS
        )
        return Window(int(count), int(ends_ms) / 1000)

    def give_back(self, key: str) -> None:
        self._run(self._give_back, key, _now_ms())

    def clear(self, key: str) -> None:
        self._call(lambda: self._redis.delete(REDIS_PREFIX + key))

    def first_mark(self, key: str) -> bool:
        return bool(self._run(self._first_mark, key, _now_ms()))

    def clear_all(self) -> None:
        def delete_every_counter() -> None:
            for name in self._redis.scan_iter(match=REDIS_PREFIX + "*", count=500):
                self._redis.delete(name)

        self._call(delete_every_counter)

    def _run(self, script: Callable[..., Any], key: str, *args: int) -> Any:
        return self._call(lambda: script(keys=[REDIS_PREFIX + key], args=list(args)))

    def _call(self, operation: Callable[[], Any]) -> Any:
        try:
            return operation()
        except self._errors as error:
            raise CountersUnavailable(type(error).__name__) from error


_redis_stores: dict[str, RedisCounters] = {}
_redis_lock = threading.Lock()


def _redis_store(url: str) -> RedisCounters:
    with _redis_lock:
        if url not in _redis_stores:
            _redis_stores[url] = RedisCounters(url)
        return _redis_stores[url]


def _now_ms() -> int:
    return int(now() * 1000)
