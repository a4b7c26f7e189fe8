from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dashboard.platforms.connextlive_records import AgentRoster

NAME_MAX = 100


class InviteForm(forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX,
        label=_("Full name"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self) -> str:
        # One person, one address: the duplicate check and the platform see the same spelling.
        return self.cleaned_data["email"].lower()


def duplicate_reason(email: str, roster: AgentRoster, own_email: str = "") -> str | None:
    """Why this email cannot be invited (already an agent, or already invited), or None."""
    wanted = email.casefold()
    if wanted == own_email.casefold():
        return gettext("That is your own address: you are already a member of this workspace.")
    if any(agent.email.casefold() == wanted for agent in roster.agents):
        return gettext("%(email)s is already an agent of this workspace.") % {"email": email}
    for invitation in roster.invitations:
        if invitation.email.casefold() == wanted and invitation.status == "PENDING":
            return gettext(
                "%(email)s already has a pending invitation; it has not expired yet."
            ) % {"email": email}
    return None
