"""The Naxon conversations table's rows, worked out once (dashboard/lib/rows.py), for
`templates/jinja2/naxon/rows.html`."""

from typing import NamedTuple

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dashboard.lib.rows import Clock, Moment
from dashboard.platforms.naxon import Conversation

MESSAGE_LENGTH = 100


class NaxonConversationRow(NamedTuple):
    id: int
    url: str
    model: str
    model_url: str
    platform: str
    platform_user: str
    last_sender: str
    last_message: str
    created: Moment | None
    updated: Moment | None


def conversation_row(
    conversation: Conversation, naxon_url: str, clock: Clock
) -> NaxonConversationRow:
    """`naxon_url` is /naxon/: models and conversations are below it (ids are ints: no escaping
    needed in a path)."""
    last = conversation.most_recent_message
    text = last.message if last else ""
    model_id = conversation.model_id
    return NaxonConversationRow(
        id=conversation.id,
        url=f"{naxon_url}conversations/{conversation.id}/" if conversation.id >= 0 else "",
        model=conversation.model_name
        or (_("Model %(id)s") % {"id": model_id} if model_id is not None else ""),
        model_url=f"{naxon_url}models/{model_id}/"
        if model_id is not None and model_id >= 0
        else "",
        platform=conversation.platform,
        platform_user=conversation.platform_user_id,
        last_sender=(last.sender or "").title() if last else "",
        last_message=Truncator(text).chars(MESSAGE_LENGTH) if len(text) > MESSAGE_LENGTH else text,
        created=clock.moment(conversation.created_at),
        updated=clock.moment(conversation.updated_at),
    )
