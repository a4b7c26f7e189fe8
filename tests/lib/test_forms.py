"""One way to render a form field: {{ field.as_field_group }} through the project's renderer."""

import pytest
from django import forms


class ExampleForm(forms.Form):
    name = forms.CharField(help_text="As people know you.")
    role = forms.ChoiceField(choices=[("a", "Agent"), ("m", "Manager")])
    notify = forms.BooleanField(
        required=False, widget=forms.CheckboxInput(attrs={"role": "switch"})
    )
    colour = forms.CharField(widget=forms.TextInput(attrs={"class": "form-control-color"}))


def test_each_control_gets_the_css_kits_class_for_its_kind():
    form = ExampleForm()

    assert 'class="form-control"' in form["name"].as_field_group()
    assert 'class="form-select"' in form["role"].as_field_group()
    assert 'class="form-check-input"' in form["notify"].as_field_group()
    assert 'class="form-control form-control-color"' in form["colour"].as_field_group()
    assert "form-switch" in form["notify"].as_field_group()


def test_errors_and_hints_are_tied_to_their_control():
    form = ExampleForm({"name": "", "role": "x"})
    assert not form.is_valid()

    html = form["name"].as_field_group()

    assert 'class="form-control is-invalid"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_helptext">As people know you.</div>' in html
    assert 'id="id_name_error">This field is required.</div>' in html
    assert '<label class="form-label required" for="id_name">Name</label>' in html


def test_values_and_errors_are_escaped():
    hostile = '"><script>alert(1)</script>'
    form = ExampleForm({"name": hostile, "role": hostile})
    form.is_valid()

    html = form["name"].as_field_group() + form["role"].as_field_group()

    assert "<script>" not in html and "&lt;script&gt;" in html


class EveryKindOfControl(forms.Form):
    text = forms.CharField(max_length=20, help_text="A hint.", localize=True)
    number = forms.IntegerField(min_value=1)
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    body = forms.CharField(widget=forms.Textarea)
    role = forms.ChoiceField(choices=[("a", "Agent"), ("m", "Manager")])
    grouped = forms.ChoiceField(choices=[("People", [("a", "Agent")]), ("x", "Other")])
    several = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")])
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    notify = forms.BooleanField(required=False)
    disabled = forms.CharField(disabled=True, required=False)


def _known_values_form():
    from dashboard.lib.filters import KnownValuesInput, LenientMultipleTextField, ListFilterForm

    class Tags(ListFilterForm):
        tags = LenientMultipleTextField(
            max_length=30, max_count=5, widget=KnownValuesInput(other_label="Another tag")
        )

    form = Tags({"tags": ["vip", '"><b>x']}, list_url="/visitors/")
    form.fields["tags"].widget.known = ["vip", "new"]
    return form


def _country_form():
    from dashboard.contacts.forms import ContactSearchForm

    return ContactSearchForm({"q": "+1 555", "country": "US"}, list_url="/contacts/")


def _controls(html):
    """Markup with its runs of whitespace as one space (where a template breaks its lines)."""
    return " ".join(html.split())


@pytest.mark.parametrize(
    "form",
    [
        EveryKindOfControl(),
        EveryKindOfControl(
            {"text": '"><script>x</script>', "number": "0", "role": "zz", "several": ["a"]}
        ),
        _known_values_form(),
        _country_form(),
    ],
    ids=["unbound", "bound with errors", "known values", "countries"],
)
def test_the_field_template_writes_the_same_control_as_the_field_itself(form):
    form.is_valid()
    for field in form.visible_fields():
        control = _controls(str(field))

        assert control in _controls(field.as_field_group()), field.name
