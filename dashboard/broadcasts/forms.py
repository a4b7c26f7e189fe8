"""Composing a broadcast: the message, the channel and the audience, checked together (a
ConnectiveOne broadcast needs a bot and a scenario entry; a CSV must fit the channel)."""

from datetime import datetime
from typing import Any

from django import forms
from django.http import QueryDict
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.broadcasts.models import Broadcast
from dashboard.conversations.forms import TABS, ConversationFilterForm
from dashboard.visitors.forms import VisitorFilterForm

MAX_MESSAGE = 4096  # the sandbox's call_node limit (guess); Connextlive's content allows more
Channel, Audience = Broadcast.Channel, Broadcast.Audience
PRESENCE = [("", _("Anyone")), ("true", _("Online")), ("false", _("Offline"))]
UCHAT_AUDIENCES = (Audience.UCHAT_TAGS, Audience.UCHAT_SEARCH)
# The channels each audience can get (what `ComposeForm.clean` accepts): the compose page shows
# only the chosen channel's audiences (static/js/broadcasts.js).
AUDIENCE_CHANNELS = {
    Audience.CONVERSATIONS: (Channel.CONNEXTLIVE,),
    Audience.VISITORS: (Channel.CONNEXTLIVE,),
    Audience.CHATS: (Channel.CONNECTIVEONE,),
    Audience.UCHAT_TAGS: (Channel.UCHAT,),
    Audience.UCHAT_SEARCH: (Channel.UCHAT,),
    Audience.CSV: tuple(Channel.values),
}
STATUS_LABELS = {
    "ACTIVE": _("Active"),
    "WAITING": _("Waiting"),
    "CLOSED": _("Closed"),
    "all": _("All"),
}


class ComposeForm(forms.Form):
    name = forms.CharField(
        max_length=200, label=_("Name"), help_text=_("For you; recipients never see it.")
    )
    message = forms.CharField(
        max_length=MAX_MESSAGE,
        required=False,  # a UChat sub-flow carries its own content
        label=_("Message"),
        help_text=_("UChat sends the chosen sub-flow instead, unless “send the text” is checked."),
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                # The preview beside it follows the text as it is typed.
                "hx-post": reverse_lazy("broadcasts:preview"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#message-preview",
                "hx-swap": "innerHTML",
            }
        ),
    )
    channel = forms.ChoiceField(
        choices=Channel.choices, widget=forms.RadioSelect, label=_("Channel")
    )
    audience = forms.ChoiceField(
        choices=Audience.choices, widget=forms.RadioSelect, label=_("Audience")
    )
    # Connextlive conversations: the conversations page's filters.
    conversation_status = forms.ChoiceField(
        choices=[(tab, STATUS_LABELS.get(tab, tab)) for tab in TABS],
        required=False,
        label=_("Conversation status"),
    )
    conversation_search = forms.CharField(
        max_length=200, required=False, label=_("Search in conversations")
    )
    spare_other_agents = forms.BooleanField(
        required=False,
        label=_("Only conversations already assigned to the sender, or unassigned"),
        help_text=_("Leaves other agents’ conversations alone: they are not messaged or taken."),
    )
    # Connextlive visitors: the visitors page's filters.
    visitor_search = forms.CharField(max_length=200, required=False, label=_("Search visitors"))
    visitor_online = forms.ChoiceField(choices=PRESENCE, required=False, label=_("Presence"))
    visitor_tags = forms.CharField(
        max_length=500,
        required=False,
        label=_("With all these tags"),
        help_text=_("Separate with commas."),
    )
    # What a list page's link carried that the fields above do not show (an agent, a site).
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)
    # Another channel's audience for this draft broadcast (its id): sent together, each person
    # once (once.py).
    part_of = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # ConnectiveOne chats.
    chats_from = forms.DateTimeField(
        required=False,
        label=_("Chats created after"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    chats_to = forms.DateTimeField(
        required=False,
        label=_("and before"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    bot_id = forms.IntegerField(required=False, min_value=1, label=_("Bot id"))
    connector_alias = forms.CharField(
        max_length=100,
        required=False,
        label=_("Connector alias"),
        help_text=_("The scenario entry, e.g. entry_point_alias; or give a node id instead."),
    )
    node_id = forms.IntegerField(required=False, min_value=1, label=_("Node id"))
    csv_file = forms.FileField(
        required=False,
        label=_("Recipients (CSV)"),
        # The compose page shows the chosen channel's columns under the field (CSV_COLUMNS).
    )
    # UChat: a sub-flow picked from the bot's list, or the message as text; the audience's tags
    # (any of them) or search.
    sub_flow = forms.ChoiceField(required=False, label=_("Sub-flow to send"))
    send_text = forms.BooleanField(
        required=False, label=_("Send the text above instead of a sub-flow")
    )
    uchat_tags = forms.MultipleChoiceField(
        required=False,
        label=_("Subscribers with any of these tags"),
        widget=forms.CheckboxSelectMultiple,
    )
    uchat_search = forms.CharField(
        max_length=200,
        required=False,
        label=_("Subscribers matching a search"),
        help_text=_("A name, an email or a phone number, as on the subscribers page."),
    )
    # LivePerson.
    close_conversation = forms.BooleanField(
        required=False, label=_("Close each conversation after sending")
    )

    def __init__(
        self,
        *args: Any,
        sub_flows: list[tuple[str, str]] = (),
        tags: list[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        """`sub_flows` and `tags`: the UChat bot's (tag_ns or sub_flow_ns, name), when the
        workspace has one."""
        super().__init__(*args, **kwargs)
        self.fields["sub_flow"].choices = [("", _("Choose a sub-flow…")), *sub_flows]
        self.fields["uchat_tags"].choices = list(tags)
        # Read in the viewer's zone (the active one): the labels say which.
        zone = timezone.get_current_timezone_name()
        self.fields["chats_from"].label = _("Chats created after (%(zone)s)") % {"zone": zone}
        self.fields["chats_to"].label = _("and before (%(zone)s)") % {"zone": zone}

    def audience_choices(self) -> list[tuple[Any, str]]:
        """Each audience radio with the channels that can send to it (space-separated)."""
        return [
            (radio, " ".join(AUDIENCE_CHANNELS[radio.data["value"]])) for radio in self["audience"]
        ]

    def clean_message(self) -> str:
        return self.cleaned_data["message"].replace("\r\n", "\n").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        channel, audience = data.get("channel"), data.get("audience")
        sub_flow_only = channel == Channel.UCHAT and not data.get("send_text")
        if "message" in data and not data["message"] and not sub_flow_only:
            self.add_error("message", _("Write the message."))
        if audience in UCHAT_AUDIENCES and channel != Channel.UCHAT:
            self.add_error("audience", _("UChat subscribers can only get a UChat broadcast."))
        if channel == Channel.UCHAT:
            self._check_uchat(data, audience)
        elif channel == Channel.LIVEPERSON and audience != Audience.CSV:
            self.add_error(
                "audience", _("A LivePerson broadcast goes to the consumers of a CSV file.")
            )
        elif channel == Channel.CONNECTIVEONE:
            self._check_connectiveone(data, audience)
        elif channel == Channel.CONNEXTLIVE and audience == Audience.CHATS:
            self.add_error(
                "audience", _("ConnectiveOne chats can only get a ConnectiveOne broadcast.")
            )
        if audience == Audience.CSV and not data.get("csv_file"):
            self.add_error("csv_file", _("Choose the CSV file of recipients."))
        if audience == Audience.CHATS:
            start, end = data.get("chats_from"), data.get("chats_to")
            if start and end and start >= end:
                self.add_error("chats_to", _("The end must be after the start."))
        return data

    def _check_uchat(self, data: dict[str, Any], audience: str | None) -> None:
        if audience not in (*UCHAT_AUDIENCES, Audience.CSV):
            self.add_error(
                "audience",
                _("A UChat broadcast goes to subscribers (by tag, a search, or a CSV)."),
            )
        if not data.get("send_text") and not data.get("sub_flow"):
            self.add_error("sub_flow", _("Choose the sub-flow to send (or send the text)."))
        if audience == Audience.UCHAT_TAGS and not data.get("uchat_tags"):
            self.add_error("uchat_tags", _("Choose at least one tag."))
        if audience == Audience.UCHAT_SEARCH and not data.get("uchat_search", "").strip():
            self.add_error("uchat_search", _("Type a name, an email or a phone number."))

    def sub_flow_name(self) -> str:
        return dict(self.fields["sub_flow"].choices).get(self.cleaned_data.get("sub_flow"), "")

    def tag_names(self) -> list[str]:
        names = dict(self.fields["uchat_tags"].choices)
        return [names.get(tag, tag) for tag in self.cleaned_data.get("uchat_tags", [])]

    def _check_connectiveone(self, data: dict[str, Any], audience: str | None) -> None:
        if audience in (Audience.CONVERSATIONS, Audience.VISITORS):
            self.add_error(
                "audience", _("A ConnectiveOne broadcast goes to ConnectiveOne chats or a CSV.")
            )
        if not data.get("bot_id"):
            self.add_error("bot_id", _("Which bot sends it?"))
        if bool(data.get("connector_alias")) == bool(data.get("node_id")):
            self.add_error(
                "connector_alias", _("Give a connector alias or a node id (one of them).")
            )

    def clean_chats_from(self) -> datetime | None:
        return _aware(self.cleaned_data.get("chats_from"))

    def clean_chats_to(self) -> datetime | None:
        return _aware(self.cleaned_data.get("chats_to"))

    def audience_query(self) -> str:
        """The list page's query string for this audience: what came with the link, with the
        fields shown here on top, normalised by the list's own filter form."""
        data = self.cleaned_data
        query = QueryDict(data.get("query", ""), mutable=True)
        if data["audience"] == Audience.CONVERSATIONS:
            query["status"] = data.get("conversation_status") or "all"
            query["search"] = data.get("conversation_search", "")
            return ConversationFilterForm(query).canonical_query(page=1).urlencode()
        query["search"] = data.get("visitor_search", "")
        query["isOnline"] = data.get("visitor_online", "")
        tags = [t.strip() for t in data.get("visitor_tags", "").split(",") if t.strip()]
        if tags:
            query.setlist("tags", tags)
        return VisitorFilterForm(query).canonical_query(page=1).urlencode()


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


class TestSendForm(forms.Form):
    """A test goes to one of the dry run's sample, picked by who they are (never a raw id: the
    list is the audience's own recipients)."""

    recipient = forms.ChoiceField(
        label=_("Send a test to"),
        help_text=_("One of the audience’s recipients shown above."),
        error_messages={
            "required": _("Choose who gets the test."),
            "invalid_choice": _("Choose one of the audience’s recipients from the list."),
        },
    )

    def __init__(self, *args: Any, sample: list[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (entry["key"], entry.get("label") or entry["key"])
            for entry in sample
            if isinstance(entry, dict) and entry.get("key")
        ]
        self.fields["recipient"].choices = [("", _("Choose a recipient…")), *choices]

    @property
    def has_choices(self) -> bool:
        return len(self.fields["recipient"].choices) > 1


def initial_from_link(params: QueryDict) -> dict[str, Any]:
    """`/broadcasts/new/?audience=visitors&<the visitors page's filters>` (or
    `?channel=uchat&tag=&search=`, from the UChat subscribers page): the compose form starts
    with the audience the manager was looking at."""
    audience = params.get("audience", "")
    initial: dict[str, Any] = {"channel": Channel.CONNEXTLIVE, "audience": Audience.CONVERSATIONS}
    if params.get("channel") == Channel.UCHAT:  # from the UChat subscribers page
        tag, search = params.get("tag", ""), params.get("search", "")[:200]
        initial |= {"channel": Channel.UCHAT, "uchat_tags": [tag] if tag else []}
        if search or not tag:
            initial |= {"audience": Audience.UCHAT_SEARCH, "uchat_search": search}
        else:
            initial |= {"audience": Audience.UCHAT_TAGS}
        return initial
    if audience == Audience.VISITORS:
        form = VisitorFilterForm(params)
        filters = form.filters
        initial |= {
            "audience": Audience.VISITORS,
            "visitor_search": filters["search"],
            "visitor_online": filters["isOnline"],
            "visitor_tags": ", ".join(filters["tags"]),
            "query": form.canonical_query(page=1).urlencode(),
        }
    elif audience == Audience.CONVERSATIONS:
        form = ConversationFilterForm(params)
        filters = form.filters
        initial |= {
            "conversation_status": filters["status"],
            "conversation_search": filters["search"],
            "query": form.canonical_query(page=1).urlencode(),
        }
    return initial
