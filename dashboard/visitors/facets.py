"""The sites and tags a workspace's visitors carry, remembered from the pages managers load.

The platform has no endpoint listing sites or tags, and walking every visitor to find them would
cost a page load many calls. So the filter form offers what the console has seen in this
workspace's visitor pages (kept in the cache for a day) plus whatever the URL asks for; a tag or
site typed by hand still filters, the platform simply matching nothing when it is unknown.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache

from dashboard.platforms.connextlive_records import Visitor

CACHE_SECONDS = 24 * 3600
MAX_SITES = 50
MAX_TAGS = 200


@dataclass
class Facets:
    sites: dict[str, str] = field(default_factory=dict)  # site id -> name
    tags: set[str] = field(default_factory=set)

    def sorted_sites(self) -> list[tuple[str, str]]:
        return sorted(self.sites.items(), key=lambda item: (item[1].casefold(), item[0]))

    def sorted_tags(self) -> list[str]:
        return sorted(self.tags, key=str.casefold)


def _key(tenant_id: str) -> str:
    return f"visitors:facets:{tenant_id}"


def known_facets(tenant_id: str) -> Facets:
    cached = cache.get(_key(tenant_id))
    return cached if isinstance(cached, Facets) else Facets()


def remember_facets(tenant_id: str, visitors: Iterable[Visitor]) -> Facets:
    """Add what these visitors show to what the workspace is known to have; written back only
    when something is new, so a steady live table costs no cache writes."""
    facets = known_facets(tenant_id)
    changed = False
    for visitor in visitors:
        if visitor.site and visitor.site.id not in facets.sites and len(facets.sites) < MAX_SITES:
            facets.sites[visitor.site.id] = visitor.site.name or visitor.site.domain
            changed = True
        new_tags = set(visitor.tags) - facets.tags
        if new_tags and len(facets.tags) < MAX_TAGS:
            facets.tags |= new_tags
            changed = True
    if changed:
        cache.set(_key(tenant_id), facets, CACHE_SECONDS)
    return facets
