"""The Jinja2 environment of the console's hot partials (settings.TEMPLATES, NAME "jinja2") and of
its form renderer: Jinja2's own, plus Django's `{% querystring %}` as
`querystring(query, key=value)` (the same function, so links read exactly as in Django templates).
Autoescape is always on, whatever the options say.

Translations: Jinja2's i18n extension with Django's gettext and ngettext installed, old style:
`{{ _("Online") }}`, `{{ _("Page %(number)s")|format(number=n) }}`, whose result is escaped
like any other value (placeholders filled before escaping). They follow the language the request
activated. `make messages` extracts these `_("...")` as it does Django templates' (it reads no
`ngettext` here: plurals are worked out in Python or in the Django template that includes)."""

from functools import partial
from typing import Any

from django.template import defaulttags
from django.utils import translation
from jinja2 import Environment

from dashboard.lib import words


def environment(**options: Any) -> Environment:
    options.pop("autoescape", None)
    extensions = [*options.pop("extensions", []), "jinja2.ext.i18n"]
    env = Environment(autoescape=True, extensions=extensions, **options)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext, translation.ngettext, newstyle=False
    )
    # `_("...")` straight to gettext, kept per language (dashboard/lib/words.py): the
    # extension's alias calls it through the template context again, which costs more than
    # the lookup itself.
    env.globals["_"] = words.gettext
    # Django's tag is a plain function of (context, *mappings, **changes); given a mapping it
    # never reads the context.
    env.globals["querystring"] = partial(defaulttags.querystring, None)
    return env
