"""The panels of a contact lookup: one per platform source, each loaded by its own request (htmx,
on load), so that a slow or failing platform holds back only its own panel. Used by the contacts
page and by a Connextlive visitor's "Also on" section."""

from collections.abc import Sequence
from typing import NamedTuple

from django.http import HttpRequest
from django.urls import reverse

from accounts import vault
from dashboard.contacts import phones
from dashboard.contacts.people import Person
from dashboard.contacts.sources import all_sources


class PanelLink(NamedTuple):
    key: str
    label: str
    url: str


def panel_links(person: Person, exclude: Sequence[str] = ()) -> list[PanelLink]:
    query = person.query().urlencode()
    return [
        PanelLink(
            source.key, source.label, f"{reverse('contacts:panel', args=[source.key])}?{query}"
        )
        for source in all_sources(exclude)
    ]


def workspace_region(request: HttpRequest) -> str:
    """The country of numbers written without `+`: the workspace's, from its time zone."""
    return phones.region_for_zone(vault.workspace_zone(request.session))
