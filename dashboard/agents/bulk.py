"""Inviting many agents from a CSV file (/agents/bulk/invite/): a preview that checks every row
(format, repeats, people already in the workspace or invited), then a draft job of the good
rows, started from the preview, that sends one invitation per row under the agents page's
hourly limit. The job kind is registered with the engine from apps.py.
"""

from datetime import timedelta

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.access import AuthedRequest, manager_required
from accounts.vault import platform_client
from dashboard.agents import quota
from dashboard.agents.forms import InviteForm, duplicate_reason
from dashboard.audit import Target, record
from dashboard.audit.log import readable_error
from dashboard.jobs.confirmation import create_job
from dashboard.jobs.kinds import ItemSpec, JobKind, Performer, register, tenant_client
from dashboard.jobs.models import Job
from dashboard.jobs.outcomes import WaitUntil
from dashboard.jobs.uploads import UnreadableUpload, parse_upload

PAGE = "agents/invite_csv.html"
MAX_INVITES = 1_000


# --- the job kind -------------------------------------------------------------------------------


class Invite(Performer):
    """One invitation per row, under the same hourly limit as the agents page: past it the job
    waits (not an error) until the oldest counted invitation leaves the hour. Each invitation is
    its own audit event, which is also what the limit counts; the manager's sending slot is held
    for each one, so the agents page and the job cannot both slip past the limit at once."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.client = tenant_client(job)

    def perform(self, item: ItemSpec) -> str:
        manager = self.job.created_by
        if manager is None:
            return self._invite(item)
        try:
            with quota.sending_slot(manager):
                if allowed_at := quota.next_invite_allowed_at(manager):
                    limit = quota.hourly_limit()
                    raise WaitUntil(
                        allowed_at, f"The limit of {limit} invitations an hour is reached."
                    )
                return self._invite(item)
        except quota.InviteInProgress:
            retry_at = timezone.now() + timedelta(seconds=2)
            raise WaitUntil(retry_at, "Another invitation of this manager is being sent.") from None

    def _invite(self, item: ItemSpec) -> str:
        name, email = str(item.payload.get("name", "")), item.key
        label = f"{name} <{email}>"
        try:
            invitation = self.client.tenant.invite_agent(name=name, email=email)
        except Exception as error:
            self._audit(label, "", error=readable_error(error))
            raise
        self._audit(label, invitation.id)
        return f"invited ({invitation.id})"

    def _audit(self, label: str, invitation_id: str, *, error: str = "") -> None:
        record(
            None,
            quota.INVITE_ACTION,
            actor=self.job.created_by,
            tenant_id=self.job.tenant_id,
            target=Target("invitation", invitation_id, label),
            changes={"job": [None, self.job.pk]},
            outcome="failure" if error else "success",
            error=error,
        )


@register
class InviteKind(JobKind):
    kind = "agents.invite"
    label = "Invite agents"
    idempotent = False  # an invitation is an email to a person
    # One at a time: the hourly limit is counted before each invitation.
    max_runners = 1
    max_concurrency = 1
    performer_class = Invite


# --- the page -----------------------------------------------------------------------------------


class InviteUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("A header row with the columns name and email, then one person per row."),
    )


def parse_invitee(row: dict[str, str]) -> tuple[str, str]:
    """A row as (name, email), checked as the agents page's invite form checks one person."""
    form = InviteForm({"name": row.get("name", ""), "email": row.get("email", "")})
    if not form.is_valid():
        problems = [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
        raise ValueError("; ".join(problems))
    return form.cleaned_data["name"], form.cleaned_data["email"]


def invite_allowance(request: AuthedRequest) -> dict[str, int]:
    """The hourly invitation limit, and how many more fit in this hour (the rest wait)."""
    limit = quota.hourly_limit()
    return {
        "hourly_limit": limit,
        "invites_left": max(0, limit - len(quota.recent_invitations(request.user))),
    }


@require_http_methods(["GET", "POST"])
@manager_required
def invite_from_csv(request: AuthedRequest) -> HttpResponse:
    """Upload -> a preview that checks every row -> a draft job of the good rows, which the
    preview's button starts (the job page's start control)."""
    data = request.POST if request.method == "POST" else None
    form = InviteUploadForm(data, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        context = {"form": form, **invite_allowance(request)}
        return render(request, PAGE, context, status=422 if form.is_bound else 200)
    try:
        parsed = parse_upload(
            form.cleaned_data["file"],
            required=("name", "email"),
            max_rows=MAX_INVITES,
            parse_row=parse_invitee,
            key_of=lambda row: row[1],
        )
    except UnreadableUpload as problem:
        form.add_error("file", str(problem))
        context = {"form": form, **invite_allowance(request)}
        return render(request, PAGE, context, status=422)
    roster = platform_client(request).tenant.list_agents()
    parsed.recheck(lambda row: duplicate_reason(row[1], roster, request.user.email))
    job = None
    if parsed.rows:
        items = [ItemSpec(email, name, {"name": name}) for name, email in parsed.rows]
        job = create_job(
            request,
            InviteKind.kind,
            f"Invite {len(items)} agents",
            {"rows": len(items), "refused": parsed.error_count},
            items=items,
            start=False,
        )
    context = {
        "form": InviteUploadForm(),
        "parsed": parsed,
        "rows": parsed.rows,
        "job": job,
        **invite_allowance(request),
    }
    return render(request, PAGE, context)
