"""Template helpers for every page: `{% load console %}`.

`{{ field|as_control }}` renders a form field's widget with the CSS kit's classes (and
`is-invalid` when it has errors); `includes/field.html` wraps it with its label, hint and errors.
"""

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def as_control(field: forms.BoundField) -> SafeString:
    classes = [_control_class(field.field.widget), field.field.widget.attrs.get("class", "")]
    if field.errors:
        classes.append("is-invalid")
    return field.as_widget(attrs={"class": " ".join(c for c in classes if c)})


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


def _control_class(widget: forms.Widget) -> str:
    match widget:
        case forms.CheckboxInput() | forms.RadioSelect() | forms.CheckboxSelectMultiple():
            return "form-check-input"
        case forms.Select():
            return "form-select"
        case _:
            return "form-control"
