"""Shared steps of the visitors and conversations tests: htmx headers, what the sandbox was asked,
and the hostile-string check."""

import re
from typing import Any
from urllib.parse import parse_qs

import markupsafe
from django.utils.html import escape

from sandbox.connextlive.hostile import HOSTILE_STRINGS

# Only strings that escaping changes can be "unescaped"; plain text (Arabic, emoji) is the
# same either way and is meant to be shown as it is.
RISKY_STRINGS = [text for text in HOSTILE_STRINGS if escape(text) != text]


def htmx(target: str, current_url: str = "http://testserver/") -> dict[str, str]:
    """The headers htmx sends for a request aimed at the element with id `target`."""
    return {"HX-Request": "true", "HX-Target": target, "HX-Current-URL": current_url}


def unescaped_hostile_strings(html: str) -> list[str]:
    return [text for text in RISKY_STRINGS if text in html]


def escaped_hostile_strings(html: str) -> list[str]:
    """The hostile strings the page does show (escaped): proof a check was not vacuous."""
    return [text for text in RISKY_STRINGS if any(form in html for form in escaped_forms(text))]


def escaped_forms(text: str) -> set[str]:
    """`text` as each of the console's engines escapes it: Django's (`&#x27;`, `&quot;`) and
    Jinja2's (`&#39;`, `&#34;`), which mean the same to a browser."""
    return {escape(text), str(markupsafe.escape(text))}


def calls_to(platform: Any, method: str, path_pattern: str) -> list[dict]:
    """The requests the sandbox received matching a method and a path regex, oldest first."""
    pattern = re.compile(path_pattern)
    return [
        request
        for request in platform.requests()
        if request["method"] == method and pattern.search(request["path"])
    ]


def query_of(request: dict) -> dict[str, list[str]]:
    query = request.get("query") or ""
    if isinstance(query, dict):
        return {key: value if isinstance(value, list) else [value] for key, value in query.items()}
    return parse_qs(query, keep_blank_values=True)


def detail_links(html: str, prefix: str) -> list[str]:
    """The ids linked as `/<prefix>/<id>/` in a page, in order."""
    return re.findall(rf'href="/{prefix}/([A-Za-z0-9_-]+)/"', html)
