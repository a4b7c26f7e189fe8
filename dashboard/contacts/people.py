"""Who the console looks for: an e-mail address (lower case) and/or a phone number (E.164), read
from what a manager typed or from a record the console already shows (a visitor's profile)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import QueryDict

from dashboard.contacts import phones


@dataclass(frozen=True)
class Person:
    email: str = ""
    phone: str = ""

    def __bool__(self) -> bool:
        return bool(self.email or self.phone)

    @property
    def shown(self) -> str:
        return " · ".join(part for part in (self.email, self.phone) if part)

    def query(self) -> QueryDict:
        """The panels' query string: what each platform's panel looks for."""
        query = QueryDict(mutable=True)
        if self.email:
            query["email"] = self.email
        if self.phone:
            query["phone"] = self.phone
        return query


def clean_email(raw: str) -> str | None:
    text = (raw or "").strip()
    if len(text) > 254:
        return None
    try:
        validate_email(text)
    except ValidationError:
        return None
    return text.lower()


def from_search(text: str, region: str) -> Person | None:
    """What a manager typed: an e-mail (it has an `@`) or a phone number in any common writing
    (`+44 7700 900101`, `07700 900101` with the country `GB`, `0044…`); None if neither."""
    text = (text or "").strip()
    if "@" in text:
        email = clean_email(text)
        return Person(email=email) if email else None
    phone = phones.normalise(text, region)
    return Person(phone=phone) if phone else None


def from_query(query: QueryDict) -> Person:
    """The panels' `?email=&phone=`, each kept only if it is already clean (a phone in E.164)."""
    email = clean_email(query.get("email", "")) or ""
    raw_phone = query.get("phone", "")
    phone = phones.normalise(raw_phone) if raw_phone.startswith("+") else None
    return Person(email=email, phone=phone or "")


def from_record(email: str | None, phone: str | None, region: str) -> Person:
    """A record's own email and phone (a visitor's), as far as they are clean."""
    return Person(
        email=clean_email(email or "") or "",
        phone=phones.normalise(phone or "", region) or "",
    )
