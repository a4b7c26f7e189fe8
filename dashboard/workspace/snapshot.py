"""What the workspace form was loaded from, and how two versions of a workspace differ.

The edit form carries a signed snapshot of the workspace as it was loaded. On save the console
re-reads the workspace: if anything differs from the snapshot, someone changed it meanwhile and
the save is refused with the differences shown, rather than silently overwriting their change.

A workspace is compared as a flat mapping of *paths* to leaf values: ("name",), ("timezone",),
("settings", "widget", "greeting")... The same paths name the form's fields and the audit
event's changes ("settings.widget.greeting").
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core import signing

from dashboard.platforms.connextlive_records import Workspace

type Path = tuple[str, ...]

# The workspace's own fields, by their platform (camelCase) key, in the order the form shows them.
TOP_LEVEL_KEYS = ("name", "companyName", "contactEmail", "language", "timezone")
SNAPSHOT_MAX_AGE = 24 * 3600  # a form left open longer than a day is reloaded, not trusted
_SALT = "workspace.snapshot"


@dataclass(frozen=True)
class Snapshot:
    """The workspace as the form saw it, in the platform's own keys."""

    id: str
    name: str
    values: dict[str, Any]  # TOP_LEVEL_KEYS plus "settings"

    @classmethod
    def of(cls, workspace: Workspace) -> "Snapshot":
        return cls(
            id=workspace.id,
            name=workspace.name,
            values={
                "name": workspace.name,
                "companyName": workspace.company_name,
                "contactEmail": workspace.contact_email,
                "language": workspace.language,
                "timezone": workspace.timezone,
                "settings": workspace.settings,
            },
        )

    @property
    def settings(self) -> dict[str, Any]:
        value = self.values.get("settings")
        return value if isinstance(value, dict) else {}

    def leaves(self) -> dict[Path, Any]:
        leaves: dict[Path, Any] = {(key,): self.values.get(key) for key in TOP_LEVEL_KEYS}
        leaves.update(walk(self.settings, ("settings",)))
        return leaves

    def sign(self, user_id: Any) -> str:
        payload = {"id": self.id, "name": self.name, "values": self.values}
        return signing.dumps(payload, salt=_salt(user_id), compress=True)

    @classmethod
    def unsign(cls, token: str, user_id: Any) -> "Snapshot | None":
        """The snapshot a form carried, or None when it was tampered with, is stale or is not
        one (never an exception: the token comes from the browser)."""
        try:
            payload = signing.loads(token, salt=_salt(user_id), max_age=SNAPSHOT_MAX_AGE)
        except (signing.BadSignature, ValueError, TypeError):
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("values"), dict):
            return None
        return cls(
            id=str(payload.get("id", "")),
            name=str(payload.get("name", "")),
            values=payload["values"],
        )


def walk(mapping: Mapping[str, Any], prefix: Path) -> Iterator[tuple[Path, Any]]:
    """Every leaf of a nested JSON object with its path; an empty object is a leaf of its own."""
    for key, value in mapping.items():
        path = (*prefix, str(key))
        if isinstance(value, dict) and value:
            yield from walk(value, path)
        else:
            yield path, value


def dotted(path: Path) -> str:
    return ".".join(path)


def same_value(a: Any, b: Any) -> bool:
    """Equal as a manager would see them: no value equals an empty string, line endings and
    surrounding blanks of text do not count, 1 equals 1.0 (JSON has one number type)."""
    return _normal(a) == _normal(b)


def differences(before: Mapping[Path, Any], after: Mapping[Path, Any]) -> dict[Path, tuple]:
    """{path: (before, after)} for every leaf that differs, appeared or disappeared."""
    paths = list(before) + [path for path in after if path not in before]
    return {
        path: (before.get(path), after.get(path))
        for path in paths
        if not same_value(before.get(path), after.get(path))
    }


def nested_patch(changes: Mapping[Path, Any]) -> dict[str, Any]:
    """{("settings", "widget", "greeting"): "Hi"} -> {"settings": {"widget": {"greeting": "Hi"}}}
    — only the changed keys, which the platform deep-merges into what it has."""
    patch: dict[str, Any] = {}
    for path, value in changes.items():
        node = patch
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return patch


def _normal(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, bool):
        return ("bool", value)  # keep True apart from 1
    return value


def _salt(user_id: Any) -> str:
    # Bound to the user, so a snapshot cannot be carried from one account's form to another's.
    return f"{_SALT}:{user_id}"
