"""Visitors: the live list, the profile with its tag and note edits, and deletion.

Managers read and write through `client.tenant.*`; agents read through `client.agent.*` (the
agent API has no site or tag filter and no edits, so those are hidden and answer 403).
"""

import functools
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import AuthedRequest, manager_required, signed_in
from accounts.vault import platform_client
from dashboard import audit
from dashboard.contacts import people as contact_people
from dashboard.contacts.panels import panel_links, workspace_region
from dashboard.lib.deletion import Deletion, DeletionTexts, confirm_or_delete
from dashboard.lib.fragments import (
    Fragment,
    fragment_target,
    redirect_after_post,
    render_list,
    render_out_of_band_only,
    render_partials,
    wants_fragment,
)
from dashboard.lib.pager import Pager
from dashboard.lib.rows import Clock
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.connextlive_records import ConversationSummary, Visitor, VisitorPage
from dashboard.platforms.errors import (
    PlatformCallFailed,
    PlatformNotFound,
    PlatformValidationError,
)
from dashboard.visitors import facets
from dashboard.visitors.forms import (
    AgentVisitorFilterForm,
    NotesForm,
    TagEditForm,
    VisitorFilterForm,
)
from dashboard.visitors.forms import fingerprint as notes_fingerprint
from dashboard.visitors.rows import visitor_row

LIST_TEMPLATE = "visitors/list.html"
DETAIL_TEMPLATE = "visitors/detail.html"
LIVE_REFRESH_SECONDS = 10
VISITOR_DELETION = DeletionTexts(
    namespace="visitors",
    noun="visitor",
    list_title=_("Visitors"),
    heading=_("Delete visitor"),
    consequence=_("and all their data (conversations, messages, notes)"),
    deleted=_("Visitor “%(label)s” was deleted."),
    summary=_("Permanently removes this visitor and everything Connextlive holds about them."),
)
CONVERSATIONS_ON_PROFILE = 20

# What each htmx target of the list gets back (see dashboard.lib.fragments.render_list).
LIST_FRAGMENTS = {
    # Search, filters, paging: the whole table, the stats beside it, a new URL.
    "visitor-table": Fragment(oob=("visitor-stats",)),
    # The live refresh: only the rows, with stats, pager and live status out of band.
    "visitor-rows": Fragment(
        oob=("visitor-stats", "visitor-pager", "visitor-live-status"), push_url=False
    ),
}


# --- the list ------------------------------------------------------------------------------


@require_safe
@signed_in
def visitor_list(request: AuthedRequest) -> HttpResponse:
    list_url = reverse("visitors:list")
    is_agent = request.user.is_agent
    form_class = AgentVisitorFilterForm if is_agent else VisitorFilterForm
    form = form_class(request.GET, list_url=list_url)
    page, error = _fetch_visitor_page(request, form)
    if page is None and fragment_target(request) == "visitor-rows":
        return _live_refresh_failed(request, error)
    visitors = page.items if page else []
    if not is_agent and not wants_fragment(request):  # only the full page shows the filters
        _offer_known_facets(form, facets.remember_facets(request.user.tenant_id, visitors))
    filters = form.filters
    clock = Clock()
    context = {
        **form.list_context(list_url),
        "rows": [visitor_row(visitor, list_url, clock) for visitor in visitors],
        "stats": page.stats if page else None,
        "pager": Pager(filters["page"], filters["limit"], page.total, len(visitors))
        if page
        else None,
        "counted": _counted(page.total) if page else None,
        "error": error,
        "is_agent": is_agent,
        "live_refresh_ms": LIVE_REFRESH_SECONDS * 1000,
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
        "title": ngettext("%(total)s visitor", "%(total)s visitors", total) % {"total": total},
        "bulk_actions": ngettext(
            "Actions on the %(total)s matching visitor",
            "Actions on all %(total)s matching visitors",
            total,
        )
        % {"total": total},
    }


def _fetch_visitor_page(
    request: AuthedRequest, form: VisitorFilterForm
) -> tuple[VisitorPage | None, str]:
    """One platform call, whatever the filters; a failure becomes a message in the table (the
    filters stay usable), except a revoked sign-in, which the middleware handles."""
    client = platform_client(request)
    resource = client.agent if request.user.is_agent else client.tenant
    try:
        return resource.list_visitors(**form.platform_params()), ""
    except PlatformCallFailed as error:
        return None, str(error)


def _live_refresh_failed(request: AuthedRequest, error: str) -> HttpResponse:
    """A failed live refresh keeps the rows the user is reading and says updates are paused;
    the next tick tries again."""
    context = {"live_error": error, "live_refresh_ms": LIVE_REFRESH_SECONDS * 1000}
    return render_out_of_band_only(request, LIST_TEMPLATE, context, ["visitor-live-status"])


def _offer_known_facets(form: VisitorFilterForm, known: facets.Facets) -> None:
    """The sites and tags seen so far in this workspace, as the filters' options."""
    form.set_choices("siteId", known.sorted_sites(), blank=gettext("All sites"))
    form.fields["tags"].widget.known = known.sorted_tags()


# --- the profile ---------------------------------------------------------------------------


def _get_visitor_for_user(
    request: AuthedRequest, client: ConnextliveClient, visitor_id: str
) -> Visitor:
    """The visitor through the API of the user's role; another workspace's visitor (the platform
    answers 404) or a malformed id is a 404 here."""
    if len(visitor_id) > 64:
        raise Http404("No such visitor")
    try:
        if request.user.is_agent:
            return client.agent.get_visitor(visitor_id)
        return client.tenant.get_visitor(visitor_id)
    except PlatformNotFound as error:
        raise Http404("No such visitor") from error


def visitor_label(visitor: Visitor) -> str:
    return (
        visitor.user_name
        or visitor.user_email
        or gettext("Anonymous visitor %(id)s") % {"id": visitor.id}
    )


def _visitor_target(visitor: Visitor) -> audit.Target:
    return audit.Target("visitor", visitor.id, visitor_label(visitor))


def _conversations_of(
    request: AuthedRequest, client: ConnextliveClient, visitor: Visitor
) -> tuple[list[ConversationSummary], str]:
    """The visitor's conversations. The tenant search covers visitor ids; the agent search only
    names and emails, so it searches the email. Either may match other conversations too (a
    message quoting the id), hence the filter on visitor_id."""
    try:
        if request.user.is_agent:
            if not visitor.user_email:
                return [], ""
            page = client.agent.list_conversations(
                search=visitor.user_email, limit=CONVERSATIONS_ON_PROFILE
            )
        else:
            page = client.tenant.list_conversations(
                status="all", search=visitor.id, limit=CONVERSATIONS_ON_PROFILE
            )
    except PlatformCallFailed as error:
        return [], str(error)
    return [c for c in page.items if c.visitor_id == visitor.id], ""


def _profile_context(
    request: AuthedRequest,
    client: ConnextliveClient,
    visitor: Visitor,
    **forms: Any,
) -> dict[str, Any]:
    conversations, conversations_error = _conversations_of(request, client, visitor)
    them = contact_people.from_record(
        visitor.user_email, visitor.user_phone, workspace_region(request)
    )
    return {
        # The same person on the other platforms, each panel loaded after the page.
        "also_on": panel_links(them, exclude=("connextlive",)) if them else [],
        "visitor": visitor,
        "label": visitor_label(visitor),
        "can_edit": request.user.is_manager,
        "deletion": visitor_deletion(visitor),
        "conversations": conversations,
        "conversations_error": conversations_error,
        "tag_form": forms.get("tag_form") or TagEditForm(),
        "notes_form": forms.get("notes_form") or _fresh_notes_form(visitor),
        "notes_saved": forms.get("notes_saved", False),
    }


def _notes_as_shown(visitor: Visitor) -> str:
    """The notes as the form shows them: notes never written (None) are an empty text."""
    return visitor.notes or ""


def _fresh_notes_form(visitor: Visitor) -> NotesForm:
    notes = _notes_as_shown(visitor)
    return NotesForm(initial={"notes": notes, "seen": notes_fingerprint(notes)})


@require_safe
@signed_in
def visitor_detail(request: AuthedRequest, visitor_id: str) -> HttpResponse:
    client = platform_client(request)
    visitor = _get_visitor_for_user(request, client, visitor_id)
    return render(request, DETAIL_TEMPLATE, _profile_context(request, client, visitor))


def _profile_answer(
    request: AuthedRequest,
    client: ConnextliveClient,
    visitor: Visitor,
    partial: str,
    *,
    saved: bool,
    **forms: Any,
) -> HttpResponse:
    """After an edit: htmx gets the edited section back in place (errors included); a plain
    form post is redirected to the profile when saved, or gets the profile with the errors."""
    if wants_fragment(request):
        context = {
            "visitor": visitor,
            "label": visitor_label(visitor),
            "can_edit": True,
            "tag_form": forms.get("tag_form") or TagEditForm(),
            "notes_form": forms.get("notes_form") or _fresh_notes_form(visitor),
            "notes_saved": forms.get("notes_saved", False),
        }
        response = render_partials(request, DETAIL_TEMPLATE, context, partial)
        # Errors are re-rendered in place with 422 (base.html tells htmx to swap that status).
        response.status_code = 200 if saved else 422
        return response
    if saved:
        return redirect_after_post(request, reverse("visitors:detail", args=[visitor.id]))
    context = _profile_context(request, client, visitor, **forms)
    return render(request, DETAIL_TEMPLATE, context, status=400)


@require_POST
@manager_required
def visitor_tags(request: AuthedRequest, visitor_id: str) -> HttpResponse:
    """Add or remove one tag. The platform replaces the whole array, so the change is applied to
    the visitor's current tags (fetched now), never to a possibly stale copy from the page."""
    client = platform_client(request)
    visitor = _get_visitor_for_user(request, client, visitor_id)
    form = TagEditForm(request.POST, focus=True)
    saved = False
    if form.is_valid() and (twin := form.twin_of(_tags_known(request, visitor))):
        if form.cleaned_data["use_existing"]:
            form.cleaned_data["add"] = twin  # the manager chose the existing spelling
        else:
            form.case_twin = twin  # ask first: "VIP" and "vip" would be two tags
    if form.is_valid() and not form.case_twin:
        try:
            new_tags = form.apply_to(visitor.tags)
        except ValidationError as error:
            form.add_error("add", error)
        else:
            visitor, saved = _save_tags(request, client, visitor, new_tags, form)
    if saved:
        form = TagEditForm(focus=True)
        if not wants_fragment(request):
            messages.success(request, gettext("Tags saved."))
    return _profile_answer(request, client, visitor, "visitor-tags", saved=saved, tag_form=form)


def _tags_known(request: AuthedRequest, visitor: Visitor) -> list[str]:
    """The visitor's own tags, then the workspace's as the visitor pages have seen them."""
    return [*visitor.tags, *facets.known_facets(request.user.tenant_id).sorted_tags()]


def _save_tags(
    request: AuthedRequest,
    client: ConnextliveClient,
    visitor: Visitor,
    new_tags: list[str],
    form: TagEditForm,
) -> tuple[Visitor, bool]:
    if new_tags == visitor.tags:
        return visitor, True  # adding a tag it has, removing one it lacks: nothing to send
    try:
        with audit.recording(request, "visitor.tags", target=_visitor_target(visitor)) as event:
            event.changes = {"tags": [visitor.tags, new_tags]}
            return client.tenant.update_visitor(visitor.id, tags=new_tags), True
    except PlatformValidationError as error:
        messages_for_tags = error.field_errors.get("tags") or [str(error)]
        form.add_error("add", messages_for_tags)
    except PlatformCallFailed as error:
        form.add_error(None, str(error))
    return visitor, False


@require_POST
@manager_required
def visitor_notes(request: AuthedRequest, visitor_id: str) -> HttpResponse:
    client = platform_client(request)
    visitor = _get_visitor_for_user(request, client, visitor_id)
    form = NotesForm(request.POST)
    saved = False
    if form.is_valid():
        if form.cleaned_data["seen"] != notes_fingerprint(_notes_as_shown(visitor)):
            form.add_error(
                "notes",
                gettext(
                    "Someone changed these notes since you opened the page. Their version is shown "
                    "below yours; copy what you need and save again."
                ),
            )
            form.data = form.data.copy()
            form.data["seen"] = notes_fingerprint(_notes_as_shown(visitor))
        else:
            visitor, saved = _save_notes(request, client, visitor, form)
    if saved and not wants_fragment(request):
        messages.success(request, gettext("Notes saved."))
    notes_form = _fresh_notes_form(visitor) if saved else form
    return _profile_answer(
        request,
        client,
        visitor,
        "visitor-notes",
        saved=saved,
        notes_form=notes_form,
        notes_saved=saved,
    )


def _save_notes(
    request: AuthedRequest, client: ConnextliveClient, visitor: Visitor, form: NotesForm
) -> tuple[Visitor, bool]:
    notes = form.cleaned_data["notes"]
    if notes == _notes_as_shown(visitor):
        return visitor, True
    try:
        with audit.recording(request, "visitor.notes", target=_visitor_target(visitor)) as event:
            event.changes = {"notes": [visitor.notes, notes]}
            return client.tenant.update_visitor(visitor.id, notes=notes), True
    except PlatformValidationError as error:
        form.add_error("notes", error.field_errors.get("notes") or [str(error)])
    except PlatformCallFailed as error:
        form.add_error(None, str(error))
    return visitor, False


# --- deletion ------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@manager_required
def visitor_delete(request: AuthedRequest, visitor_id: str) -> HttpResponse:
    """GET: the confirmation naming the visitor. POST: delete, after re-authentication."""
    client = platform_client(request)
    visitor = _get_visitor_for_user(request, client, visitor_id)
    delete = functools.partial(client.tenant.delete_visitor, visitor.id)
    return confirm_or_delete(request, visitor_deletion(visitor), delete)


def visitor_deletion(visitor: Visitor) -> Deletion:
    return Deletion(VISITOR_DELETION, visitor.id, visitor_label(visitor), _visitor_target(visitor))
