"""The platforms the contact view asks, one module per platform, each a `Source` registered
here: given a person (an e-mail and/or an E.164 phone), it returns that platform's records of
them, each with its page in the console.

To add a platform (Naxon and UChat, once their consoles are merged): write
`dashboard/contacts/sources/<platform>.py` with a class that has `key`, `label` and
`find(request, person, clock) -> Findings`, decorate it with `@register`, and name the module in
SOURCE_MODULES. The page gets a panel for it, loaded on its own; nothing else changes.

A source catches its own platform's failures into `Findings.error` (its panel's banner). Only a
revoked Connextlive sign-in is the session's and propagates, for the middleware to sign out.
"""

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from dashboard.lib.rows import Badge, Clock, Moment

if TYPE_CHECKING:
    from accounts.access import AuthedRequest
    from dashboard.contacts.people import Person

SOURCE_MODULES = (
    "dashboard.contacts.sources.connextlive",
    "dashboard.contacts.sources.connectiveone",
)


@dataclass(frozen=True)
class Item:
    """A record under a match: a conversation, a ticket."""

    label: str
    url: str = ""
    badge: Badge | None = None
    when: Moment | None = None


@dataclass(frozen=True)
class Match:
    """One record of the person on a platform (a visitor, a chat), with its console page."""

    title: str
    url: str
    facts: tuple[str, ...] = ()
    badge: Badge | None = None
    when: Moment | None = None
    items: tuple[Item, ...] = ()
    items_label: str = ""
    # Related records loaded after the panel (htmx), "" when there are none to load.
    items_url: str = ""


@dataclass(frozen=True)
class Findings:
    matches: list[Match] = field(default_factory=list)
    error: str = ""  # the platform failed: the panel's banner
    unavailable: str = ""  # the platform is not connected: said plainly, not as a failure
    more: bool = False  # the platform has more than the panel shows


class Source(Protocol):
    key: str  # the panel's id and URL part
    label: str  # the platform's name

    def find(self, request: "AuthedRequest", person: "Person", clock: Clock) -> Findings: ...


SOURCES: dict[str, Source] = {}


def register[S: type](source_class: S) -> S:
    source = source_class()
    SOURCES[source.key] = source
    return source_class


def load() -> None:
    for module in SOURCE_MODULES:
        importlib.import_module(module)


def source_named(key: str) -> Source | None:
    return SOURCES.get(key)


def all_sources(exclude: Sequence[str] = ()) -> list[Source]:
    return [source for key, source in SOURCES.items() if key not in exclude]
