"""The project's form renderer: one way to render a form field (`{{ field.as_field_group }}`).

Every field group comes from `templates/jinja2/forms/field.html` (label, control, hint, errors,
with the ids that `aria-describedby` points at), and every control carries the CSS kit's class
for its kind (`form-control`, `form-select`, `form-check-input`) and `is-invalid` when it has
errors. A checkbox whose widget says `role="switch"` is shown as a switch.

Forms render through Django's Jinja2 form renderer, in the pages' own Jinja2 environment (Django's
own Jinja2 widget templates, autoescape on): the Django template engine renders a select's
options one include at a time, and a list page's filter form cost several times its table's rows
that way (bench/README.md).
"""

from typing import Any

from django import forms
from django.forms.renderers import Jinja2
from django.template import engines
from django.template.backends.jinja2 import Jinja2 as Jinja2Backend


def control_class(widget: forms.Widget) -> str:
    match widget:
        case forms.CheckboxInput() | forms.RadioSelect() | forms.CheckboxSelectMultiple():
            return "form-check-input"
        case forms.Select():
            return "form-select"
        case _:
            return "form-control"


class ConsoleBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = [control_class(widget), widget.attrs.get("class", ""), attrs.get("class", "")]
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(dict.fromkeys(c for c in classes if c))
        return attrs

    def widget_context(self) -> dict[str, Any]:
        """The control's template context (its `widget`), worked out as `as_widget` does for
        `{{ field }}`: the field template includes the widget's template in its own render
        (templates/jinja2/forms/field.html) rather than through the renderer, a render of its own
        per control (a filter form has five). tests/lib/test_forms.py checks both write the same
        control."""
        widget = self.field.widget
        if self.field.localize:
            widget.is_localized = True
        attrs = self.build_widget_attrs({}, widget)
        if self.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", self.auto_id)
        return widget.get_context(self.html_name, self.value(), attrs)["widget"]


class ConsoleFormRenderer(Jinja2):
    """FORM_RENDERER: the pages' own Jinja2 environment (settings.TEMPLATES, NAME "jinja2"), whose
    templates come first (templates/jinja2/), then Django's own Jinja2 widget templates."""

    field_template_name = "forms/field.html"
    bound_field_class = ConsoleBoundField

    @property
    def engine(self) -> Jinja2Backend:
        return engines["jinja2"]
