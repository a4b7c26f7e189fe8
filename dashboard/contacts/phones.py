"""Phone numbers as people type them, to E.164 (`+447700900101`), with a default country for
numbers written nationally (`07700 900101`): the workspace's, worked out from its time zone.

The check is "possible", not "valid": a number in a range set aside for fiction or not yet
allocated is still a number someone may have typed into a chat.
"""

import functools
import zoneinfo
from pathlib import Path

import phonenumbers

REGIONS = tuple(sorted(phonenumbers.SUPPORTED_REGIONS))


def normalise(raw: str, region: str = "") -> str | None:
    """E.164 for `raw`, reading a number without `+` (or `00`) as one of `region`; None when it
    is not a possible phone number."""
    text = (raw or "").strip()
    if not any(ch.isdigit() for ch in text) or len(text) > 40:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def calling_code(region: str) -> int:
    return phonenumbers.country_code_for_region(region)


def region_for_zone(zone_name: str) -> str:
    """The country (ISO 3166 alpha-2) of an IANA zone, as the time zone database's zone.tab
    lists it ("" when the zone is not a country's, like UTC, or the table is missing)."""
    return _zone_countries().get(zone_name or "", "")


@functools.cache
def _zone_countries() -> dict[str, str]:
    for folder in zoneinfo.TZPATH:
        table = Path(folder) / "zone.tab"
        if table.is_file():
            countries = {}
            for line in table.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    fields = line.split("\t")
                    if len(fields) >= 3:
                        countries[fields[2]] = fields[0]
            return countries
    return {}
