"""Tenant — API Keys (CUSTOMER role): widget keys, stored only as a SHA-256 hash."""

import hashlib
import json
import secrets

from django.http import HttpRequest

from sandbox.connextlive import serializers
from sandbox.connextlive.auth import customer_only
from sandbox.connextlive.http import String, json_object, not_found, validate_body
from sandbox.connextlive.ids import new_id
from sandbox.connextlive.models import ApiKey, ApiKeyStatus, User
from sandbox.connextlive.queries import api_keys_of
from sandbox.state import STATE

PLAIN_KEY_PREFIX = "cxl_live_"
# sandbox/README.md: "cxl_live_" plus 3 characters, so that keys can be told apart by it.
KEY_PREFIX_LENGTH = 12


def _domains_problem(value: str) -> str | None:
    """doc: a JSON array encoded as a string, e.g. "[\\"company.com\\"]"."""
    try:
        domains = json.loads(value)
    except (ValueError, RecursionError):
        return "Expected a string holding a JSON array of domains"
    if not isinstance(domains, list) or not all(isinstance(item, str) for item in domains):
        return "Expected a string holding a JSON array of domains"
    if len(domains) > 100 or any(not 1 <= len(item) <= 253 for item in domains):
        return "At most 100 domains of 1 to 253 characters each"
    return None


CREATE_FIELDS = {
    "name": String(min_length=1, max_length=100, strip=True),  # doc: max 100 chars
    "domains": String(max_length=30_000, check=_domains_problem),
    "status": String(max_length=10, choices=tuple(ApiKeyStatus.values)),
}


def hash_key(plain_key: str) -> str:
    return hashlib.sha256(plain_key.encode()).hexdigest()


def new_plain_key(token: str | None = None) -> str:
    """`cxl_live_` and 40 URL-safe characters."""
    return PLAIN_KEY_PREFIX + (token or secrets.token_urlsafe(30))


@customer_only
def list_api_keys(request: HttpRequest, user: User) -> dict:
    return {"apiKeys": [serializers.api_key(key) for key in api_keys_of(user.tenant)]}


@customer_only
def create_api_key(request: HttpRequest, user: User) -> dict:
    """The plain key is in this answer only; what is stored is its hash and first characters."""
    body = validate_body(json_object(request), CREATE_FIELDS, required=("name",))
    plain_key = new_plain_key()
    now = STATE.now()
    key = ApiKey.objects.create(
        id=new_id("key", now),
        tenant=user.tenant,
        name=body["name"],
        key_hash=hash_key(plain_key),
        key_prefix=plain_key[:KEY_PREFIX_LENGTH],
        domains=body.get("domains", "[]"),
        status=body.get("status", ApiKeyStatus.ACTIVE),
        created_at=now,
        last_used_at=None,
    )
    return serializers.api_key(key, plain_key=plain_key)


@customer_only
def delete_api_key(request: HttpRequest, user: User, key_id: str) -> dict:
    deleted, _ = ApiKey.objects.filter(tenant=user.tenant, id=key_id).delete()
    if not deleted:
        raise not_found("API key")
    return serializers.success()
