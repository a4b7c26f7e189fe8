"""LivePerson's deterministic seed: two accounts, each with its connector app. Consumers and
conversations are made through the API (any `ext_consumer_id` gets a consumer), so every size
seeds the same."""

from datetime import datetime

from django.db import transaction

from sandbox.liveperson.auth import secret_hash
from sandbox.liveperson.credentials import (
    ACCOUNT_ID,
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_ACCOUNT_ID,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
)
from sandbox.liveperson.models import Account, App


def seed(size_name: str, anchor: datetime) -> dict[str, int]:
    with transaction.atomic():
        acme = Account.objects.create(id=ACCOUNT_ID, name="Acme")
        globex = Account.objects.create(id=OTHER_ACCOUNT_ID, name="Globex")
        App.objects.create(
            account=acme,
            name="Switchboard broadcasts",
            client_id=CLIENT_ID,
            secret_hash=secret_hash(CLIENT_SECRET),
        )
        App.objects.create(
            account=globex,
            name="Globex connector",
            client_id=OTHER_CLIENT_ID,
            secret_hash=secret_hash(OTHER_CLIENT_SECRET),
        )
    return {"liveperson accounts": 2}
