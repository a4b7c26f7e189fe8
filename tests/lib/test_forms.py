"""One way to render a form field: {{ field.as_field_group }} through the project's renderer."""

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
