"""UChat (konversation Connect): the bot's subscribers as a live table, a subscriber's page (tags
added and removed, user fields read and edited by their type), and the flow tags (created, and
deleted after a confirmation naming how many subscribers carry the tag).

Everything goes through the workspace's UChat integration (its bot token), not the signed-in
user's Connextlive session: a refusal of the token (401, 403) is the integration's problem, shown
on the page, never a sign-out. Agents read; managers change.
"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import AuthedRequest, manager_required, signed_in
from accounts.responses import forbidden_response
from dashboard import audit
from dashboard.integrations.channels import uchat_for
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
from dashboard.platforms.errors import PlatformCallFailed, PlatformError, PlatformNotFound
from dashboard.platforms.uchat import UChatClient
from dashboard.platforms.uchat_records import Subscriber, Tag, UserField
from dashboard.uchat.forms import (
    NewTagForm,
    SubscriberFilterForm,
    SubscriberTagForm,
    UserFieldForm,
    initial_value,
    is_namespace,
)
from dashboard.uchat.rows import subscriber_label, subscriber_row

LIST_TEMPLATE = "uchat/list.html"
DETAIL_TEMPLATE = "uchat/detail.html"
TAGS_TEMPLATE = "uchat/tags.html"
TAG_TEMPLATE = "uchat/tag.html"
LIVE_REFRESH_SECONDS = 10
LIST_FRAGMENTS = {
    "subscriber-table": Fragment(),
    "subscriber-rows": Fragment(oob=("subscriber-pager", "subscriber-live-status"), push_url=False),
}


def _client(request: AuthedRequest) -> UChatClient:
    return uchat_for(request.user.tenant_id)


def _bot_tags(client: UChatClient) -> list[Tag]:
    return list(client.iter_tags())


# --- the list ------------------------------------------------------------------------------


@require_safe
@signed_in
def subscriber_list(request: AuthedRequest) -> HttpResponse:
    list_url = reverse("uchat:list")
    form = SubscriberFilterForm(request.GET, list_url=list_url)
    filters = form.filters
    page, error = None, ""
    try:
        client = _client(request)
        if not wants_fragment(request):  # only the full page shows the filters
            tags = _bot_tags(client)
            form.set_choices("tag", [(t.tag_ns, t.name) for t in tags], blank=_("Any tag"))
        page = client.search_subscribers(**form.platform_params())
    except PlatformError as error_:
        error = str(error_)
        form.set_choices("tag", [], blank=_("Any tag"))
    if page is None and fragment_target(request) == "subscriber-rows":
        context = {"live_error": error, "live_refresh_ms": LIVE_REFRESH_SECONDS * 1000}
        return render_out_of_band_only(request, LIST_TEMPLATE, context, ["subscriber-live-status"])
    subscribers = page.items if page else []
    clock = Clock()
    context = {
        **form.list_context(list_url),
        "rows": [subscriber_row(s, list_url, clock) for s in subscribers],
        "pager": Pager(filters["page"], filters["limit"], page.total, len(subscribers))
        if page
        else None,
        "counted": _counted(page.total) if page else None,
        "error": error,
        "can_edit": request.user.is_manager,
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
        "title": ngettext("%(total)s subscriber", "%(total)s subscribers", total)
        % {"total": total},
        "bulk_actions": ngettext(
            "Actions on the %(total)s matching subscriber",
            "Actions on all %(total)s matching subscribers",
            total,
        )
        % {"total": total},
    }


# --- a subscriber --------------------------------------------------------------------------


def _subscriber(client: UChatClient, user_ns: str) -> Subscriber:
    if not is_namespace(user_ns):
        raise Http404("No such subscriber")
    try:
        return client.get_subscriber(user_ns)
    except PlatformNotFound as error:
        raise Http404("No such subscriber") from error


def _field_forms(subscriber: Subscriber, fields: list[UserField], **bound: Any) -> list[Any]:
    forms = []
    for field in fields:
        if field.var_ns in bound:
            forms.append(bound[field.var_ns])
            continue
        current = subscriber.field(field.var_ns)
        value = initial_value(field.var_type, current.typed if current else None)
        forms.append(UserFieldForm(field=field, initial={"value": value}))
    return forms


def _detail_context(
    request: AuthedRequest,
    client: UChatClient,
    subscriber: Subscriber,
    *,
    tag_form: SubscriberTagForm | None = None,
    field_forms: dict[str, UserFieldForm] | None = None,
    saved_field: str = "",
) -> dict[str, Any]:
    tags = _bot_tags(client)
    fields = list(client.iter_user_fields())
    has = subscriber.tag_ns_set
    choices = [(t.tag_ns, t.name) for t in tags if t.tag_ns not in has]
    return {
        "subscriber": subscriber,
        "label": subscriber_label(subscriber),
        "can_edit": request.user.is_manager,
        "tag_form": tag_form or SubscriberTagForm(tags=choices),
        "field_forms": _field_forms(subscriber, fields, **(field_forms or {})),
        "saved_field": saved_field,
    }


@require_safe
@signed_in
def subscriber_detail(request: AuthedRequest, user_ns: str) -> HttpResponse:
    try:
        client = _client(request)
        subscriber = _subscriber(client, user_ns)
        context = _detail_context(request, client, subscriber)
    except PlatformError as error:
        return render(request, DETAIL_TEMPLATE, {"error": str(error), "label": user_ns}, status=502)
    return render(request, DETAIL_TEMPLATE, context)


def _target(subscriber: Subscriber) -> audit.Target:
    return audit.Target("uchat_subscriber", subscriber.user_ns, subscriber_label(subscriber))


def _answer(
    request: AuthedRequest, context: dict[str, Any], partial: str, *, saved: bool
) -> HttpResponse:
    """htmx gets the edited section back in place (422 with errors); a plain post is redirected
    to the page when saved, or gets the page with the errors."""
    if wants_fragment(request):
        return render_partials(
            request, DETAIL_TEMPLATE, context, partial, status=200 if saved else 422
        )
    if saved:
        url = reverse("uchat:detail", args=[context["subscriber"].user_ns])
        return redirect_after_post(request, url)
    return render(request, DETAIL_TEMPLATE, context, status=422)


@require_POST
@manager_required
def subscriber_tags(request: AuthedRequest, user_ns: str) -> HttpResponse:
    try:
        client = _client(request)
        subscriber = _subscriber(client, user_ns)
        tags = _bot_tags(client)
    except PlatformError as error:
        return render(request, DETAIL_TEMPLATE, {"error": str(error), "label": user_ns}, status=502)
    names = {t.tag_ns: t.name for t in tags}
    form = SubscriberTagForm(request.POST, tags=list(names.items()))
    saved = False
    if form.is_valid():
        add, remove = form.cleaned_data["add"], form.cleaned_data["remove"]
        action = "uchat.tag_add" if add else "uchat.tag_remove"
        tag_ns = add or remove
        try:
            with audit.recording(request, action, target=_target(subscriber)) as event:
                event.changes = {
                    "tag": [None, names.get(tag_ns, tag_ns)] if add else [tag_ns, None]
                }
                if add:
                    client.add_tag(subscriber.user_ns, tag_ns)
                else:
                    client.remove_tag(subscriber.user_ns, tag_ns)
            subscriber = client.get_subscriber(subscriber.user_ns)
            saved = True
        except PlatformError as error:
            form.add_error(None, str(error))
    context = _detail_context(request, client, subscriber, tag_form=None if saved else form)
    if saved and not wants_fragment(request):
        messages.success(request, _("Tags saved."))
    return _answer(request, context, "subscriber-tags", saved=saved)


@require_POST
@manager_required
def subscriber_field(request: AuthedRequest, user_ns: str) -> HttpResponse:
    try:
        client = _client(request)
        subscriber = _subscriber(client, user_ns)
        fields = {f.var_ns: f for f in client.iter_user_fields()}
    except PlatformError as error:
        return render(request, DETAIL_TEMPLATE, {"error": str(error), "label": user_ns}, status=502)
    var_ns = request.POST.get("field", "")
    field = fields.get(var_ns)
    if field is None:
        raise Http404("No such user field")
    form = UserFieldForm(request.POST, field=field)
    saved = False
    if form.is_valid():
        value = form.cleaned_data["value"]
        current = subscriber.field(var_ns)
        try:
            with audit.recording(request, "uchat.field", target=_target(subscriber)) as event:
                event.changes = {
                    field.name or var_ns: [current.value if current else None, str(value)]
                }
                client.set_user_field(subscriber.user_ns, var_ns, value)
            subscriber = client.get_subscriber(subscriber.user_ns)
            saved = True
        except PlatformError as error:
            form.add_error("value", str(error))
    context = _detail_context(
        request,
        client,
        subscriber,
        field_forms={} if saved else {var_ns: form},
        saved_field=var_ns if saved else "",
    )
    if saved and not wants_fragment(request):
        messages.success(request, _("%(field)s saved.") % {"field": field.name or var_ns})
    return _answer(request, context, "subscriber-fields", saved=saved)


# --- flow tags -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def tag_list(request: AuthedRequest) -> HttpResponse:
    """The bot's tags; managers create one here (POST)."""
    form = NewTagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not request.user.is_manager:
        return forbidden_response(request)
    tags: list[Tag] = []
    error = ""
    try:
        client = _client(request)
        if form.is_bound and form.is_valid():
            name = form.cleaned_data["name"]
            target = audit.Target("uchat_tag", "", name)
            with audit.recording(request, "uchat.tag_create", target=target) as event:
                event.changes = {"name": [None, name]}
                created = client.create_tag(name)
            messages.success(request, _("Tag “%(name)s” is ready.") % {"name": created.name})
            return redirect_after_post(request, reverse("uchat_tags:list"))
        tags = _bot_tags(client)
    except PlatformError as error_:
        error = str(error_)
        if form.is_bound:
            form.add_error("name", error)
    context = {"tags": tags, "form": form, "error": error, "can_edit": request.user.is_manager}
    return render(request, TAGS_TEMPLATE, context, status=422 if form.errors else 200)


def _tag(client: UChatClient, tag_ns: str) -> Tag:
    if not is_namespace(tag_ns):
        raise Http404("No such tag")
    found = next((t for t in client.iter_tags() if t.tag_ns == tag_ns), None)
    if found is None:
        raise Http404("No such tag")
    return found


def _carriers(client: UChatClient, tag: Tag) -> int:
    return client.search_subscribers(tag_ns=tag.tag_ns, limit=1).total


def tag_deletion(tag: Tag, carriers: int) -> Deletion:
    texts = DeletionTexts(
        namespace="uchat_tags",
        noun="tag",
        list_title=gettext_lazy("Flow tags"),
        consequence=ngettext(
            "and take it off the %(count)d subscriber who carries it",
            "and take it off the %(count)d subscribers who carry it",
            carriers,
        )
        % {"count": carriers},
        summary=gettext_lazy(
            "Deletes the tag from the bot; every subscriber who carries it loses it."
        ),
        heading=gettext_lazy("Delete tag"),
        deleted=gettext_lazy("Tag “%(label)s” was deleted."),
        platform="UChat",
    )
    return Deletion(texts, tag.tag_ns, tag.name, audit.Target("uchat_tag", tag.tag_ns, tag.name))


@require_safe
@signed_in
def tag_detail(request: AuthedRequest, tag_ns: str) -> HttpResponse:
    try:
        client = _client(request)
        tag = _tag(client, tag_ns)
        carriers = _carriers(client, tag)
    except PlatformError as error:
        return render(request, TAG_TEMPLATE, {"error": str(error)}, status=502)
    context = {
        "tag": tag,
        "carriers": carriers,
        "deletion": tag_deletion(tag, carriers),
        "can_edit": request.user.is_manager,
    }
    return render(request, TAG_TEMPLATE, context)


@require_http_methods(["GET", "HEAD", "POST"])
@manager_required
def tag_delete(request: AuthedRequest, tag_ns: str) -> HttpResponse:
    """GET: the confirmation, naming how many subscribers carry the tag (counted now). POST:
    delete it, after re-authentication."""
    try:
        client = _client(request)
        tag = _tag(client, tag_ns)
        carriers = _carriers(client, tag)
    except PlatformError as error:
        return render(request, TAG_TEMPLATE, {"error": str(error)}, status=502)

    def delete() -> None:
        try:
            client.delete_tag(tag.tag_ns)
        except PlatformCallFailed:
            raise
        except PlatformError as error:  # the bot's token refused: not the manager's sign-in
            raise PlatformCallFailed(str(error)) from error

    return confirm_or_delete(request, tag_deletion(tag, carriers), delete)
