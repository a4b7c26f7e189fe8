"""Template tags and filters of list and detail pages: `{% load lists %}`."""

from urllib.parse import urlsplit

from django import template
from django.template import engines
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from dashboard.platforms.errors import stored_text as _stored_text

register = template.Library()


@register.simple_tag
def jinja(template_name: str, **context: object) -> SafeString:
    """A Jinja2 partial (`templates/jinja2/`) inside a Django page, for the parts a page repeats
    many times (a table's rows, the pager's links):

        {% jinja "visitors/rows.html" rows=rows %}

    Safe: Jinja2's autoescape escaped every value on its way into the markup."""
    return SafeString(engines["jinja2"].get_template(template_name).render(context))


@register.filter
def http_url(value: object) -> str:
    """The URL if it is an absolute http(s) URL, else "": a URL from the platform (an attachment,
    a page a visitor saw) is untrusted, and a `javascript:` or `data:` URL must never become an
    href."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme in ("http", "https") and parts.netloc else ""


# An agent's presence on the platform, as people read it (seeds/003: ONLINE, AWAY, OFFLINE).
AGENT_STATUSES = {"ONLINE": _("Online"), "AWAY": _("Away"), "OFFLINE": _("Offline")}


@register.filter
def agent_status(value: object) -> str:
    """`{{ agent.status|agent_status }}`: "Online", "Away", "Offline" in the active language; an
    unknown status as the platform sent it, capitalised."""
    text = str(value or "")
    label = AGENT_STATUSES.get(text)
    return str(label) if label is not None else text.lower().capitalize()


@register.filter
def language_name(code: object) -> str:
    """`{{ workspace.language|language_name }}`: a language code (en, tr, de, es) as its name in
    the active language; an unknown code as sent."""
    text = str(code or "")
    try:
        return translation.get_language_info(text)["name_translated"]
    except KeyError:
        return text


@register.filter
def stored_text(text: object) -> str:
    """A text the console kept in English (a platform error's `str()`, a gettext_noop note a
    worker wrote) in the reader's language; the platform's own words, and any other text, as
    they are."""
    return _stored_text(str(text or ""))
