"""What the audit page calls an action and a changed field: words a manager reads
("Signed in", "Company name"), not the codes the log stores (`auth.sign_in`, `companyName`).
The codes stay in the database, the filters' URLs and the CSV export."""

import re

ACTION_LABELS = {
    "auth.sign_in": "Signed in",
    "auth.sign_in_failed": "Sign-in failed",
    "auth.sign_out": "Signed out",
    "auth.lockout": "Sign-in locked out",
    "auth.reauth": "Confirmed password",
    "user.preferences": "Changed own preferences",
    "workspace.update": "Workspace settings changed",
    "agent.invite": "Agent invited",
    "agents.invite": "Agents invited from a file",
    "apikey.create": "Widget key created",
    "apikey.revoke": "Widget key revoked",
    "apikey.rotate": "Widget key rotated",
    "apikey.rotate.schedule": "Old widget key scheduled for revocation",
    "apikey.rotation.keep": "Old widget key kept",
    "apikey.rotation.revoke_now": "Old widget key revoked early",
    "apikey.scheduled_revoke": "Old widget key revoked on schedule",
    "visitor.tags": "Visitor tags changed",
    "visitor.notes": "Visitor notes changed",
    "visitor.delete": "Visitor deleted",
    "visitors.add_tags": "Tags added to visitors",
    "visitors.remove_tags": "Tags removed from visitors",
    "visitors.delete": "Visitors deleted",
    "visitors.export": "Visitors exported",
    "conversation.assign": "Conversation assigned",
    "conversation.transfer": "Conversation transferred",
    "conversation.resolve": "Conversation resolved",
    "conversation.status": "Conversation status changed",
    "conversation.mark_read": "Conversation marked read",
    "conversation.reply": "Reply sent",
    "conversation.delete": "Conversation deleted",
    "conversations.assign": "Conversations assigned",
    "conversations.resolve": "Conversations resolved",
    "conversations.export": "Conversations exported",
    "broadcast.create": "Broadcast created",
    "broadcast.discard": "Broadcast discarded",
    "broadcast.test_send": "Broadcast test sent",
    "job.start": "Job started",
    "job.schedule": "Job scheduled",
    "job.pause": "Job paused",
    "job.resume": "Job resumed",
    "job.cancel": "Job cancelled",
    "job.finish": "Job finished",
    "job.retry_failed": "Failed items retried",
    "job.retry_unknown": "Unknown items retried",
    "integration.update": "Integration saved",
    "integration.test": "Integration tested",
    "integration.remove": "Integration removed",
}


def words(code: str) -> str:
    """ "emailOnNewConversation" or "retry_failed" -> "email on new conversation"."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", code).replace("_", " ").replace("-", " ")
    return spaced.lower().strip()


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def action_label(code: str) -> str:
    """A known action's label; an unknown one (a newer code) in words: "Thing: do it"."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    subject, _, verb = code.partition(".")
    return sentence(f"{words(subject)}: {words(verb)}" if verb else words(subject))


def field_label(name: str) -> str:
    """A changed field in words: "companyName" -> "Company name";
    "settings.widget.position" -> "Widget: position"."""
    parts = [part for part in name.split(".") if part]
    if len(parts) > 1 and parts[0] == "settings":
        parts = parts[1:]
    return sentence(": ".join(words(part) for part in parts)) if parts else name
