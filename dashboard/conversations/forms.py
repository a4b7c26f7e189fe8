"""Conversation forms: the list's filters (lenient, like every list) and the actions (strict,
checked before any platform call: an agent id, a status, a reply and its attachments)."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dashboard.lib.filters import (
    LenientChoiceField,
    LenientTextField,
    ListFilterForm,
    PageField,
    PageSizeField,
    SearchField,
)

STATUSES = ("ACTIVE", "WAITING", "CLOSED")
ALL = "all"
MINE = "mine"  # agents: the conversations assigned to them
TABS = (*STATUSES, ALL)
AGENT_TABS = (*TABS, MINE)
PAGE_SIZES = (10, 25, 50, 100)

# seeds/003, agent send-message: "up to 5 files, 10MB each (image/jpeg, image/png, image/webp,
# application/pdf, office docs, zip)".
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
    "image/webp": "WebP image",
    "application/pdf": "PDF",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.ms-excel": "Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
    "application/vnd.ms-powerpoint": "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "PowerPoint presentation"
    ),
    "application/zip": "ZIP archive",
}
# Browsers label a few of these differently; the platform gets the documented name.
_TYPE_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-zip-compressed": "application/zip",
    "application/x-zip": "application/zip",
}
_TYPES_BY_EXTENSION = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
}
ACCEPT_ATTRIBUTE = ",".join([*ATTACHMENT_TYPES, *(f".{ext}" for ext in _TYPES_BY_EXTENSION)])
MAX_REPLY_LENGTH = 10_000


class StatusTabField(LenientChoiceField):
    """ACTIVE | WAITING | CLOSED | all (| mine for agents), in any case (`?status=waiting`);
    anything else is all."""

    def to_python(self, value: Any) -> str:
        text = str(value or "").strip()
        return super().to_python(text.lower() if text.lower() in (ALL, MINE) else text.upper())


class ConversationFilterForm(ListFilterForm):
    """`/conversations/?status=&agentId=&search=&page=&limit=` for managers (tenant API).
    The status is the list's tabs, not a control of the form."""

    # camelCase names: the URL keeps the API's names.
    status = StatusTabField(choices=TABS, default=ALL, widget=forms.HiddenInput)
    search = SearchField(placeholder=_("Message text, visitor id or name"))
    agentId = LenientTextField(max_length=64, label=_("Agent"), widget=forms.Select)
    page = PageField()
    limit = PageSizeField(sizes=PAGE_SIZES, default=25, max_value=100)

    def platform_params(self, status: str | None = None) -> dict[str, Any]:
        """Keyword arguments for `client.tenant.list_conversations` (another tab's `status` for
        its count)."""
        f = self.filters
        return {
            "status": status or f["status"],
            "agent_id": f["agentId"] or None,
            "search": f["search"] or None,
            "limit": f["limit"],
            "offset": (f["page"] - 1) * f["limit"],
        }


class AgentConversationFilterForm(ListFilterForm):
    """The same URL for agents (agent API): no agent filter, `limit` 1-50 as documented, and one
    more tab, `?status=mine`: the conversations assigned to the agent."""

    status = StatusTabField(choices=AGENT_TABS, default=ALL, widget=forms.HiddenInput)
    search = SearchField(placeholder=_("Visitor name or email"))
    page = PageField()
    limit = PageSizeField(sizes=PAGE_SIZES, default=20, max_value=50)

    def platform_params(self) -> dict[str, Any]:
        f = self.filters
        return {
            "statuses": [] if f["status"] in (ALL, MINE) else [f["status"].lower()],
            "search": f["search"] or None,
            "limit": f["limit"],
            "offset": (f["page"] - 1) * f["limit"],
        }


class MessagePageForm(ListFilterForm):
    """`?page=` of a conversation's messages; absent means the latest page."""

    page = PageField(default=0, min_value=0)


# --- actions ----------------------------------------------------------------------------------


class AssignForm(forms.Form):
    """Assign (managers) or transfer (agents) to one of `agents`; the assignee is marked."""

    agent_id = forms.ChoiceField(
        label=_("Assign to"),
        error_messages={"invalid_choice": _("Choose one of the workspace's agents.")},
    )

    def __init__(
        self,
        *args: Any,
        agents: list[tuple[str, str]],
        assignee: str | None = None,
        label: str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"agent_id": assignee})
        super().__init__(*args, **kwargs)
        self.agents = agents
        field = self.fields["agent_id"]
        if label:
            field.label = label
        field.choices = [
            ("", _("Choose an agent")),
            *(
                (
                    value,
                    gettext("%(name)s (assigned)") % {"name": name} if value == assignee else name,
                )
                for value, name in agents
            ),
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("ACTIVE", _("Active")), ("WAITING", _("Waiting")), ("CLOSED", _("Closed"))],
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.Field):
    """The files chosen for one message: checked together in ReplyForm.clean()."""

    widget = MultipleFileInput

    def clean(self, value: Any) -> Any:
        return value


class ReplyForm(forms.Form):
    """An agent's reply: text and/or up to 5 attachments of the documented types and sizes,
    checked here so a refusal costs no upload to the platform."""

    content = forms.CharField(
        required=False,
        strip=True,
        max_length=MAX_REPLY_LENGTH,
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = AttachmentsField(
        required=False,
        label=_("Attachments"),
        help_text=format_lazy(
            _(
                "Up to {count} files, 10 MB each: JPEG, PNG or WebP images, PDF, Word, Excel or "
                "PowerPoint documents, ZIP archives."
            ),
            count=MAX_ATTACHMENTS,
        ),
        widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_reply_%s")
        super().__init__(*args, **kwargs)
        self.chosen_files: list[UploadedFile] = (
            list(self.files.getlist("attachments")) if self.files else []
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        files = [f for f in self.chosen_files if f.name]
        errors = attachment_errors(files)
        for error in errors:
            self.add_error(None, error)
        if not errors and not data.get("content") and not files:
            self.add_error("content", _("Write a message or attach a file."))
        data["uploads"] = [] if errors else files
        return data


def attachment_type(upload: UploadedFile) -> str | None:
    """The documented type of an upload: the browser's label (normalised), or the extension's
    when the browser sent a generic one; None when it is not an allowed type."""
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    declared = _TYPE_ALIASES.get(declared, declared)
    if declared in ATTACHMENT_TYPES:
        return declared
    if declared in ("", "application/octet-stream"):
        extension = (upload.name or "").rsplit(".", 1)[-1].lower()
        return _TYPES_BY_EXTENSION.get(extension)
    return None


def attachment_errors(files: list[UploadedFile]) -> list[str]:
    errors = []
    if len(files) > MAX_ATTACHMENTS:
        errors.append(
            gettext("Attach at most %(most)d files to one message (%(chosen)d chosen).")
            % {"most": MAX_ATTACHMENTS, "chosen": len(files)}
        )
    for upload in files:
        name = upload.name or "file"
        if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
            megabytes = upload.size / (1024 * 1024)
            errors.append(
                gettext("“%(name)s” is %(size)s MB; each file may be at most 10 MB.")
                % {"name": name, "size": formats.number_format(megabytes, 1)}
            )
        if attachment_type(upload) is None:
            errors.append(
                gettext(
                    "“%(name)s” is not an allowed type. Allowed: JPEG, PNG or WebP images, PDF, "
                    "Word, Excel or PowerPoint documents, ZIP archives."
                )
                % {"name": name}
            )
    return errors
