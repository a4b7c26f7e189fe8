"""The Jinja2 environment of the console's layout, list pages and hot partials (settings.TEMPLATES,
NAME "jinja2") and of its form renderer: Jinja2's own, plus Django's `{% querystring %}` as
`querystring(query, key=value)` (the same function, so links read exactly as in Django templates),
`static("css/app.css")` and `url("visitors:list")` (Django's `static()` and `reverse()`).
Autoescape is always on, whatever the options say.

Translations: Jinja2's i18n extension with Django's gettext and ngettext installed, old style:
`{{ _("Online") }}`, `{{ _("Page %(number)s")|format(number=n) }}`, whose result is escaped
like any other value (placeholders filled before escaping). They follow the language the request
activated. `make messages` extracts these `_("...")` as it does Django templates' (it reads no
`ngettext` here: plurals are worked out in Python or in the Django template that includes)."""

from functools import cache, partial
from typing import Any

import markupsafe
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaulttags
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from jinja2 import Environment, Template

from dashboard.lib import words

# markupsafe's own escaping of a str, before it wraps the result in Markup (its C speedup, or its
# pure-Python fallback where that was not built). A private name: should a release drop it, the
# public function stands in (slower, the same text; tests/lib/test_jinja2.py compares the two).
_escape_text = getattr(markupsafe, "_escape_inner", None) or (
    lambda text: str(markupsafe.escape(text))
)


def escape_output(value: object) -> str:
    """What a compiled template's `{{ value }}` is passed through: markupsafe's escaping, with
    the same characters replaced and `__html__` honoured the same way, as a plain str.

    markupsafe's `escape` wraps each result in a new `Markup`, and creating that str subclass
    costs several times the escaping itself; a list page escapes a couple of thousand values
    (bench/README.md, bench_work.py). An output position only joins what it gets into the
    page, so the wrapper buys nothing there."""
    if type(value) is str:
        return _escape_text(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return str(markupsafe.escape(value))


class ConsoleTemplate(Template):
    """Jinja2's Template with `escape_output` for what `{{ }}` writes.

    Jinja2's code generator writes `escape(...)` around each output expression when autoescape
    is on, and that name is looked up in the compiled template's own namespace (imported from
    jinja2.runtime); it is used nowhere else there. tests/lib/test_jinja2.py checks both: that
    the templates use this function, and that a hostile value still comes out inert."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):  # type: ignore[override]
        namespace["escape"] = escape_output
        return super()._from_namespace(environment, namespace, globals)


def environment(**options: Any) -> Environment:
    options.pop("autoescape", None)
    extensions = [*options.pop("extensions", []), "jinja2.ext.i18n"]
    env = Environment(autoescape=True, extensions=extensions, **options)
    env.template_class = ConsoleTemplate
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
    env.globals["static"] = static_url
    env.globals["url"] = url
    return env


@cache
def static_url(path: str) -> str:
    """`{{ static("css/app.css") }}`: Django's `static()`, worked out once per path. A static file's
    URL (with its hash, from the manifest) does not change while the process runs, and every page
    names the same few (the layout's styles and scripts)."""
    return static(path)


@receiver(setting_changed)
def _forget_static_urls(*, setting: str, **kwargs: object) -> None:
    if setting in ("STATIC_URL", "STORAGES"):
        static_url.cache_clear()


def url(name: str, *args: object, **kwargs: object) -> str:
    """`{{ url("visitors:detail", visitor_id) }}`: Django's `{% url %}`."""
    return reverse(name, args=args or None, kwargs=kwargs or None)
