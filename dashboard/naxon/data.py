"""What the Naxon pages read: the workspace's client, and each page's platform calls, concurrent
where a page needs more than one. Every failure becomes a sentence for the page: a Naxon 401 is
the integration's token, never the manager's own sign-in (which the middleware would end)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard.concurrent import gather
from dashboard.integrations.connections import NotConfigured, integration_for, naxon_client
from dashboard.integrations.models import Integration
from dashboard.platforms.errors import (
    PlatformCallFailed,
    PlatformError,
    PlatformNotFound,
    PlatformUnauthorized,
)
from dashboard.platforms.naxon import Conversation, Message, Model, NaxonClient


class NaxonUnavailable(Exception):
    """Not set up, or Naxon refused or failed: the page says so, in these words."""


class NaxonNotFound(Exception):
    pass


def client_for(tenant_id: str) -> NaxonClient:
    try:
        return naxon_client(integration_for(tenant_id, Integration.Kind.NAXON))
    except NotConfigured as missing:
        raise NaxonUnavailable(
            _("%(missing)s: a manager sets it up on the integrations page.") % {"missing": missing}
        ) from None


class TokenRefused(PlatformCallFailed):
    """Naxon answered 401: the integration's token, not the user's sign-in, is at fault."""

    title = gettext_lazy("Naxon AI refused the API token")

    def detail(self) -> str:
        return _("a manager can replace it on the integrations page")


def guarded[T](function: Callable[[], T]) -> Callable[[], T]:
    """`function`, with Naxon's 401 turned into a failed call: `gather` reports it like any
    other, and it never reaches the middleware that ends the user's own session."""

    def run() -> T:
        try:
            return function()
        except PlatformUnauthorized as refused:
            raise TokenRefused(refused.message, status=401) from None

    return run


def explain(error: Exception) -> str:
    return str(error)


def call[T](function: Callable[[], T]) -> T:
    try:
        return guarded(function)()
    except PlatformNotFound as missing:
        raise NaxonNotFound(str(missing)) from None
    except PlatformError as error:
        raise NaxonUnavailable(explain(error)) from None


@dataclass(frozen=True)
class ModelSummary:
    model: Model
    conversations: int | None  # None: its count could not be read


def models_with_counts(client: NaxonClient) -> list[ModelSummary]:
    models = call(lambda: list(client.iter_models()))

    def count(model_id: int) -> Callable[[], int]:
        return lambda: client.list_conversations(model_id=model_id, per_page=1).total_rows

    counts = gather(**{str(index): guarded(count(model.id)) for index, model in enumerate(models)})
    return [
        ModelSummary(model, counts[str(index)].value if counts[str(index)].ok else None)
        for index, model in enumerate(models)
    ]


@dataclass
class Listing:
    conversations: list[Conversation] = field(default_factory=list)
    total: int = 0
    model: Model | None = None
    error: str = ""


def conversation_listing(
    client: NaxonClient, params: dict[str, Any], model_id: int | None
) -> Listing:
    """One page of conversations, of one model or of all. The list answers 404 for a model
    that does not exist, and its rows name their model, so the model's own record is read only
    when the page has no row to name it (one call per page, as a rule)."""
    try:
        page = guarded(lambda: client.list_conversations(model_id=model_id, **params))()
    except PlatformNotFound as missing:
        raise NaxonNotFound(str(missing)) from None
    except PlatformCallFailed as error:
        return Listing(error=explain(error))
    model = None
    if model_id is not None:
        named = next((c for c in page.items if c.model_id == model_id and c.model_name), None)
        if named is not None:
            model = Model(id=model_id, name=named.model_name or "")
        else:
            outcome = gather(model=guarded(lambda: client.get_model(model_id)))["model"]
            if isinstance(outcome.error, PlatformNotFound):
                raise NaxonNotFound(str(outcome.error))
            model = outcome.value
    return Listing(page.items, page.total_rows, model)


@dataclass(frozen=True)
class Thread:
    conversation: Conversation
    messages: list[Message]


def conversation_thread(client: NaxonClient, conversation_id: int) -> Thread:
    outcomes = gather(
        conversation=guarded(lambda: client.get_conversation(conversation_id)),
        messages=guarded(lambda: list(client.iter_messages(conversation_id))),
    )
    for outcome in outcomes.values():
        if isinstance(outcome.error, PlatformNotFound):
            raise NaxonNotFound(str(outcome.error))
    for outcome in outcomes.values():
        if outcome.error is not None:
            raise NaxonUnavailable(explain(outcome.error))
    return Thread(outcomes["conversation"].value, outcomes["messages"].value)
