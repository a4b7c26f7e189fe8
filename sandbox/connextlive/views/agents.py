"""Tenant — Agents (CUSTOMER role): the workspace's agents and their invitations."""

from django.http import HttpRequest

from sandbox.connextlive import serializers
from sandbox.connextlive.auth import customer_only
from sandbox.connextlive.http import String, json_object, validate_body, validation_error
from sandbox.connextlive.ids import new_id
from sandbox.connextlive.models import Invitation, User
from sandbox.connextlive.queries import agents_of, invitations_of, workspace_of
from sandbox.connextlive.serializers import INVITATION_LIFETIME, timestamp
from sandbox.state import STATE


@customer_only
def list_agents(request: HttpRequest, user: User) -> dict:
    """Agents with their CSAT scores, and every invitation not accepted: expired ones too,
    marked EXPIRED by the sandbox's clock."""
    now = STATE.now()
    return {
        "agents": [serializers.user(agent) for agent in agents_of(user.tenant)],
        "invitations": [serializers.invitation(item, now) for item in invitations_of(user.tenant)],
    }


INVITE_FIELDS = {
    "name": String(min_length=1, max_length=100, strip=True),  # maximum: guess
    "email": String(min_length=1, max_length=254, email=True, strip=True),
}


@customer_only
def invite_agent(request: HttpRequest, user: User) -> dict:
    """Records the invitation and the email that carries it (doc: the link expires in 7 days).

    An email that already belongs to someone of the workspace, or has a pending invitation, is
    refused; an expired invitation for it is replaced by the new one (guess)."""
    body = validate_body(json_object(request), INVITE_FIELDS, required=("name", "email"))
    email = body["email"].lower()
    now = STATE.now()
    if User.objects.filter(tenant=user.tenant, email__iexact=email).exists():
        raise validation_error({"email": ["This email already belongs to a workspace member"]})
    earlier = Invitation.objects.filter(tenant=user.tenant, email__iexact=email)
    if earlier.filter(invited_at__gt=now - INVITATION_LIFETIME).exists():
        raise validation_error({"email": ["An invitation is already pending for this email"]})
    earlier.delete()
    invitation = Invitation.objects.create(
        id=new_id("inv", now), tenant=user.tenant, name=body["name"], email=email, invited_at=now
    )
    _send_invitation_email(invitation, inviter=user)
    return serializers.invitation(invitation, now)


def _send_invitation_email(invitation: Invitation, inviter: User) -> None:
    workspace_name = workspace_of(inviter.tenant).name
    expires_at = timestamp(invitation.invited_at + INVITATION_LIFETIME)
    STATE.send_email(
        to=invitation.email,
        subject=f"You're invited to join {workspace_name} on Connextlive",
        body=(
            f"Hi {invitation.name},\n\n{inviter.name} invited you to answer chats for "
            f"{workspace_name}. Accept before {expires_at}:\n"
            f"https://connextlive.io/invite/{invitation.id}\n"
        ),
        kind="agent-invitation",
        invitationId=invitation.id,
    )
