"""One person across every platform: `/contacts/?q=` looks an e-mail or phone up on each
connected platform at once, one panel per platform, each loaded by its own request."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from accounts.access import AuthedRequest, signed_in
from dashboard.contacts import people
from dashboard.contacts.forms import ContactSearchForm
from dashboard.contacts.panels import panel_links, workspace_region
from dashboard.contacts.sources import source_named
from dashboard.contacts.sources.connextlive import conversations_of
from dashboard.lib.fragments import render_partials, wants_fragment
from dashboard.lib.rows import Clock
from dashboard.platforms.errors import PlatformCallFailed, PlatformNotFound

SEARCH_TEMPLATE = "contacts/search.html"
PANEL_TEMPLATE = "contacts/panel.html"


@require_safe
@signed_in
def search(request: AuthedRequest) -> HttpResponse:
    list_url = reverse("contacts:search")
    form = ContactSearchForm(request.GET, default_country=workspace_region(request))
    filters = form.filters
    person = people.from_search(filters["q"], filters["country"]) if filters["q"] else None
    context = {
        "form": form,
        "list_url": list_url,
        "typed": filters["q"],
        "person": person,
        "panels": panel_links(person) if person else [],
    }
    return render(request, SEARCH_TEMPLATE, context)


@require_safe
@signed_in
def panel(request: AuthedRequest, source: str) -> HttpResponse:
    """One platform's records of the person (`?email=&phone=`, already normalised)."""
    found_in = source_named(source)
    if found_in is None:
        raise Http404("No such platform")
    person = people.from_query(request.GET)
    findings = found_in.find(request, person, Clock()) if person else None
    context = {"source": found_in, "person": person, "findings": findings}
    if wants_fragment(request):
        return render_partials(request, PANEL_TEMPLATE, context, "contact-panel")
    return render(request, PANEL_TEMPLATE, context)


@require_safe
@signed_in
def visitor_conversations(request: AuthedRequest, visitor_id: str) -> HttpResponse:
    """A Connextlive visitor's conversations, under its match in the panel."""
    if len(visitor_id) > 64:
        raise Http404("No such visitor")
    try:
        items, error = conversations_of(request, visitor_id, Clock()), ""
    except PlatformNotFound as gone:
        raise Http404("No such visitor") from gone
    except PlatformCallFailed as failure:
        items, error = [], str(failure)
    context = {"items": items, "error": error, "label": gettext("conversations")}
    return render_partials(request, PANEL_TEMPLATE, context, "match-items")
