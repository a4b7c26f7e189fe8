"""ConnectiveOne's chats and tickets: live tables over `OpChatRooms/list` and `Ticket/list`, and
one chat's page. Read-only for everyone (the API offers these as lists), so agents and managers
see the same pages; the instance is the workspace's ConnectiveOne integration."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from accounts.access import AuthedRequest, signed_in
from dashboard.connectiveone import data
from dashboard.connectiveone.forms import ChatFilterForm, TicketFilterForm
from dashboard.connectiveone.rows import (
    channel_label,
    chat_name,
    chat_row,
    phone_shown,
    ticket_row,
)
from dashboard.contacts import people as contact_people
from dashboard.contacts.panels import panel_links
from dashboard.lib.fragments import (
    Fragment,
    fragment_target,
    render_list,
    render_out_of_band_only,
)
from dashboard.lib.pager import Pager
from dashboard.lib.rows import Clock
from dashboard.platforms.errors import PlatformError, PlatformNotFound

CHATS_TEMPLATE = "connectiveone/chats.html"
TICKETS_TEMPLATE = "connectiveone/tickets.html"
CHAT_TEMPLATE = "connectiveone/chat.html"
LIVE_REFRESH_SECONDS = 15


def _fragments(name: str) -> dict[str, Fragment]:
    return {
        # Filters, sorting, paging: the whole table and a new URL.
        f"{name}-table": Fragment(),
        # The live refresh: the rows, with the pager and the live status out of band.
        f"{name}-rows": Fragment(oob=(f"{name}-pager", f"{name}-live-status"), push_url=False),
    }


CHAT_FRAGMENTS = _fragments("chat")
TICKET_FRAGMENTS = _fragments("ticket")


@require_safe
@signed_in
def chat_list(request: AuthedRequest) -> HttpResponse:
    list_url = reverse("connectiveone:chats")
    tenant_id = request.user.tenant_id
    form = ChatFilterForm(request.GET, list_url=list_url)
    page, error = data.attempt(tenant_id, lambda c: c.list_chat_rooms(**form.platform_params()))
    if page is None and fragment_target(request) == "chat-rows":
        return _live_refresh_failed(request, CHATS_TEMPLATE, "chat-live-status", error)
    rooms = page.items if page else []
    seen = {r.operator.id: r.operator.name or r.operator.email for r in rooms if r.operator}
    form.set_choices("operator", data.remember_operators(tenant_id, seen), blank=_("Any operator"))
    clock = Clock()
    rows = [chat_row(room, clock) for room in rooms]
    return _render(
        request,
        CHATS_TEMPLATE,
        CHAT_FRAGMENTS,
        form,
        list_url,
        rows,
        page,
        error,
        counted=_chats_counted,
    )


@require_safe
@signed_in
def ticket_list(request: AuthedRequest) -> HttpResponse:
    list_url = reverse("connectiveone:tickets")
    form = TicketFilterForm(request.GET, list_url=list_url)
    page, error = data.attempt(
        request.user.tenant_id, lambda c: c.list_tickets(**form.platform_params())
    )
    if page is None and fragment_target(request) == "ticket-rows":
        return _live_refresh_failed(request, TICKETS_TEMPLATE, "ticket-live-status", error)
    clock = Clock()
    rows = [ticket_row(ticket, clock) for ticket in (page.items if page else [])]
    return _render(
        request,
        TICKETS_TEMPLATE,
        TICKET_FRAGMENTS,
        form,
        list_url,
        rows,
        page,
        error,
        counted=_tickets_counted,
    )


def _chats_counted(total: int) -> str:
    """The chats table's title, in the active language's plural form."""
    return ngettext("%(total)s chat", "%(total)s chats", total) % {"total": total}


def _tickets_counted(total: int) -> str:
    """The tickets table's title, in the active language's plural form."""
    return ngettext("%(total)s ticket", "%(total)s tickets", total) % {"total": total}


def _render(
    request, template, fragments, form, list_url, rows, page, error, *, counted
) -> HttpResponse:
    filters = form.filters
    context = {
        **form.list_context(list_url),
        "rows": rows,
        "pager": Pager(filters["page"], filters["limit"], page.total, len(rows)) if page else None,
        "counted": counted(page.total) if page else None,
        "error": error,
        "connected": data.is_connected(request.user.tenant_id),
        "is_agent": request.user.is_agent,
        "live_refresh_ms": LIVE_REFRESH_SECONDS * 1000,
    }
    return render_list(
        request, template, context, fragments=fragments, canonical_url=context["refresh_url"]
    )


def _live_refresh_failed(request, template: str, status_id: str, error: str) -> HttpResponse:
    """A failed live refresh keeps the rows the user is reading and says updates are paused."""
    context = {"live_error": error, "live_refresh_ms": LIVE_REFRESH_SECONDS * 1000}
    return render_out_of_band_only(request, template, context, [status_id])


@require_safe
@signed_in
def chat_detail(request: AuthedRequest, room_id: int) -> HttpResponse:
    """One chat (the API's "Getting chat by ID"), with its operator, bot and tickets."""
    if room_id > 2**31 - 1:
        raise Http404("No such chat")
    try:
        room = data.client_for(request.user.tenant_id).get_chat_room(
            room_id, include=("operator", "bot", "tickets")
        )
        error = ""
    except PlatformNotFound as gone:
        raise Http404("No such chat") from gone
    except PlatformError as failure:
        room, error = None, data.failure_message(failure)
    clock = Clock()
    them = (
        contact_people.from_record(room.email, f"+{room.phone}" if room.phone else "", "")
        if room
        else None
    )
    context = {
        # The same person on the other platforms, each panel loaded after the page.
        "also_on": panel_links(them, exclude=("connectiveone",)) if them else [],
        "room": room,
        "error": error,
        "name": chat_name(room) if room else _("Chat %(id)s") % {"id": room_id},
        "phone": phone_shown(room.phone) if room else "",
        "channel": channel_label(room.channel) if room else "",
        "created": clock.moment(room.created_at) if room else None,
        "updated": clock.moment(room.updated_at) if room else None,
        "tickets": [ticket_row(ticket, clock) for ticket in (room.tickets or [] if room else [])],
        "status": chat_row(room, clock).status if room else None,
    }
    return render(request, CHAT_TEMPLATE, context)
