"""The Jinja2 environment of the console's hot partials (settings.TEMPLATES, NAME "jinja2") and of
its form renderer: Jinja2's own, plus Django's `{% querystring %}` as
`querystring(query, key=value)` (the same function, so links read exactly as in Django templates).
Autoescape is always on, whatever the options say."""

from functools import partial
from typing import Any

from django.template import defaulttags
from jinja2 import Environment


def environment(**options: Any) -> Environment:
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    # Django's tag is a plain function of (context, *mappings, **changes); given a mapping it
    # never reads the context.
    env.globals["querystring"] = partial(defaulttags.querystring, None)
    return env
