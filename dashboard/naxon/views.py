"""/naxon/: the Naxon AI models with their conversation counts; the conversations of one model
or of all (a live table, dates in the viewer's zone); one conversation with its whole thread.
Read-only, for managers and agents alike; the account is set up on /integrations/."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from accounts.access import AuthedRequest, signed_in
from dashboard.lib.fragments import (
    Fragment,
    fragment_target,
    render_list,
    render_out_of_band_only,
)
from dashboard.lib.pager import Pager
from dashboard.lib.rows import Clock
from dashboard.naxon import data
from dashboard.naxon.forms import NaxonConversationFilterForm
from dashboard.naxon.rows import conversation_row

LIST_TEMPLATE = "naxon/conversations.html"
LIVE_REFRESH_SECONDS = 15
LIST_FRAGMENTS = {
    "naxon-table": Fragment(),
    "naxon-rows": Fragment(oob=("naxon-pager", "naxon-count", "naxon-live-status"), push_url=False),
}


def _unavailable(request: AuthedRequest, reason: str) -> HttpResponse:
    return render(request, "naxon/unavailable.html", {"reason": reason}, status=200)


@require_safe
@signed_in
def index(request: AuthedRequest) -> HttpResponse:
    try:
        client = data.client_for(request.user.tenant_id)
        models = data.models_with_counts(client)
    except (data.NaxonUnavailable, data.NaxonNotFound) as problem:
        return _unavailable(request, str(problem))
    naxon_url = reverse("naxon:index")
    clock = Clock()
    rows = [
        {
            "summary": summary,
            "url": f"{naxon_url}models/{summary.model.id}/" if summary.model.id >= 0 else "",
            "created": clock.moment(summary.model.created_at),
        }
        for summary in models
    ]
    return render(request, "naxon/index.html", {"rows": rows})


@require_safe
@signed_in
def all_conversations(request: AuthedRequest) -> HttpResponse:
    return _conversations(request, None)


@require_safe
@signed_in
def model_conversations(request: AuthedRequest, model_id: int) -> HttpResponse:
    return _conversations(request, model_id)


def _conversations(request: AuthedRequest, model_id: int | None) -> HttpResponse:
    if model_id is None:
        list_url = reverse("naxon:conversations")
    else:
        list_url = reverse("naxon:model", args=[model_id])
    form = NaxonConversationFilterForm(request.GET, list_url=list_url)
    try:
        client = data.client_for(request.user.tenant_id)
        listing = data.conversation_listing(client, form.platform_params(), model_id)
    except data.NaxonUnavailable as problem:
        return _unavailable(request, str(problem))
    except data.NaxonNotFound:
        raise Http404("No such model") from None
    live_refresh_ms = LIVE_REFRESH_SECONDS * 1000
    if listing.error and fragment_target(request) == "naxon-rows":
        context = {"live_error": listing.error, "live_refresh_ms": live_refresh_ms}
        return render_out_of_band_only(request, LIST_TEMPLATE, context, ["naxon-live-status"])
    filters = form.filters
    clock = Clock()
    naxon_url = reverse("naxon:index")
    rows = [conversation_row(c, naxon_url, clock) for c in listing.conversations]
    context = {
        **form.list_context(list_url),
        "listing": listing,
        "model": listing.model,
        "model_id": model_id,
        "rows": rows,
        "pager": None
        if listing.error
        else Pager(filters["page"], filters["limit"], listing.total, len(rows)),
        "counted": None if listing.error else _counted(listing.total),
        "error": listing.error,
        "live_refresh_ms": live_refresh_ms,
    }
    return render_list(
        request,
        LIST_TEMPLATE,
        context,
        fragments=LIST_FRAGMENTS,
        canonical_url=context["refresh_url"],
    )


def _counted(total: int) -> dict[str, str]:
    """The table's words that hold its count, in the active language's plural form."""
    return {
        "title": ngettext("%(total)s conversation", "%(total)s conversations", total)
        % {"total": total},
    }


@require_safe
@signed_in
def conversation_detail(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    try:
        client = data.client_for(request.user.tenant_id)
        thread = data.conversation_thread(client, conversation_id)
    except data.NaxonUnavailable as problem:
        return _unavailable(request, str(problem))
    except data.NaxonNotFound:
        raise Http404("No such conversation") from None
    clock = Clock()
    conversation = thread.conversation
    naxon_url = reverse("naxon:index")
    model_id = conversation.model_id
    context = {
        "conversation": conversation,
        "created": clock.moment(conversation.created_at),
        "updated": clock.moment(conversation.updated_at),
        "model_url": f"{naxon_url}models/{model_id}/"
        if model_id is not None and model_id >= 0
        else "",
        "messages_shown": [
            {"message": message, "at": clock.moment(message.created_at)}
            for message in thread.messages
        ],
    }
    return render(request, "naxon/detail.html", context)
