"""One confirm-and-delete flow for every record the console can delete (a visitor, a
conversation...): the same panel on the record's page, the same confirmation page without
JavaScript, the same audit event, the same answers.

    @require_http_methods(["GET", "HEAD", "POST"])
    @manager_required
    def visitor_delete(request, visitor_id):
        visitor = ...                                  # a 404 for outsiders
        deletion = Deletion(VISITOR_DELETION, visitor.id, label, audit_target)
        return confirm_or_delete(request, deletion, lambda: client...delete(visitor.id))

GET asks for confirmation (the panel in place for htmx, a page otherwise). POST needs a recent
password (accounts.reauth), then deletes inside one audit event: on success the user goes back to
the list (an htmx redirect, or 303), on a refusal the panel says why (422 in place, or the page
with the refusal's status).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext

from accounts.reauth import reauth_required
from accounts.responses import status_for_platform_error
from dashboard import audit
from dashboard.lib.fragments import redirect_after_post, wants_fragment
from dashboard.platforms.errors import PlatformCallFailed

PANEL = "lists/delete_panel.html"
PAGE = "lists/delete_page.html"


StrOrPromise = str | Promise  # texts are translated when shown (gettext_lazy)


@dataclass(frozen=True)
class DeletionTexts:
    """What an area's delete panel says, whatever the record."""

    namespace: str  # the area's URL namespace, whose `list`, `detail` and `delete` it links
    noun: str  # "visitor": the DOM id's and the audit action's (shown only by the defaults)
    list_title: StrOrPromise  # "Visitors"
    consequence: StrOrPromise  # "and all their data (conversations, messages, notes)"
    summary: StrOrPromise  # what the panel says before "Delete…" is pressed
    platform: str = "Connextlive"  # where the record is deleted from (a name: not translated)
    # In the viewer's language (gettext_lazy); left out, they are made from `noun`.
    heading: StrOrPromise = ""  # "Delete visitor"
    deleted: StrOrPromise = ""  # "Visitor “%(label)s” was deleted."


@dataclass(frozen=True)
class Deletion:
    """The deletion of one record: what the panel and the page say, where they lead, and what is
    audited."""

    texts: DeletionTexts
    record_id: str
    label: str  # the record as people know it: "Jane Doe"
    target: audit.Target

    @property
    def heading(self) -> str:
        if self.texts.heading:
            return str(self.texts.heading)
        return gettext("Delete %(noun)s") % {"noun": self.texts.noun}

    @property
    def deleted_message(self) -> str:
        if self.texts.deleted:
            return str(self.texts.deleted) % {"label": self.label}
        return gettext("Deleted: %(label)s.") % {"label": self.label}

    @property
    def noun(self) -> str:
        return self.texts.noun

    @property
    def dom_id(self) -> str:
        return f"{self.texts.noun}-delete"

    @property
    def delete_url(self) -> str:
        return reverse(f"{self.texts.namespace}:delete", args=[self.record_id])

    @property
    def detail_url(self) -> str:
        return reverse(f"{self.texts.namespace}:detail", args=[self.record_id])

    @property
    def list_url(self) -> str:
        return reverse(f"{self.texts.namespace}:list")


def confirm_or_delete(
    request: HttpRequest, deletion: Deletion, delete: Callable[[], Any]
) -> HttpResponse:
    """GET asks, POST deletes (`delete` runs only once the password is confirmed)."""
    if request.method == "POST":
        return delete_after_reauth(request, deletion, delete)
    return confirm_deletion(request, deletion)


def confirm_deletion(request: HttpRequest, deletion: Deletion) -> HttpResponse:
    context = {"deletion": deletion, "confirming": True}
    if wants_fragment(request):
        return render(request, PANEL, context)
    return render(request, PAGE, context)


@reauth_required
def delete_after_reauth(
    request: HttpRequest, deletion: Deletion, delete: Callable[[], Any]
) -> HttpResponse:
    try:
        with audit.recording(request, f"{deletion.noun}.delete", target=deletion.target):
            delete()
    except PlatformCallFailed as error:
        context = {"deletion": deletion, "error": str(error)}
        if wants_fragment(request):
            return render(request, PANEL, context, status=422)  # shown in place (base.html)
        return render(request, PAGE, context, status=status_for_platform_error(error))
    messages.success(request, deletion.deleted_message)
    return redirect_after_post(request, deletion.list_url)
