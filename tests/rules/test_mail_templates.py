"""E-mail templates merge the customer's details and nothing else: hostile templates and
hostile values stay inert, and an empty field is shown as such before sending."""

import pytest

from hearth.rules import mail_templates as mt

CUSTOMER = {
    "name": "Maria Borg",
    "email": "maria@example.org",
    "company": "Borg Studio",
    "custom": {"budget": 250000, "rooms": ["Kitchen", "Bath"]},
}
SENDER = {"name": "Ana", "email": "ana@studio-lumen.test"}


def values(customer=CUSTOMER):
    return mt.context(customer, sender=SENDER, business="Studio Lumen", stage_label="Lead")


def test_merge_fields_from_the_customer_its_custom_fields_and_the_sender():
    out = mt.render(
        "Your quote, {{ customer.first_name }}",
        "Hi {{ customer.first_name }} of {{ customer.company }},\n\nRooms: "
        "{{ customer.custom.rooms }}.\n{{ sender.name }}, {{ business }}",
        values(),
    )
    assert out.subject == "Your quote, Maria"
    assert "Hi Maria of Borg Studio," in out.text
    assert "Rooms: Kitchen, Bath." in out.text
    assert out.text.endswith("Ana, Studio Lumen")
    assert out.html.startswith("<p>Hi Maria of Borg Studio,</p>")
    assert out.empty == ()


def test_a_missing_field_renders_empty_and_is_named():
    out = mt.render(
        "Hi {{ customer.first_name }}",
        "At {{ customer.company }}.",
        values({"email": "x@example.org"}),
    )
    assert out.subject == "Hi"
    assert out.text == "At ."
    assert set(out.empty) == {"first_name", "company"}


def test_a_missing_field_can_have_a_default():
    out = mt.render("s", "Hi {{ customer.first_name | default('there') }}", values({}))
    assert out.text == "Hi there"


def test_a_hostile_value_is_data_never_template_code():
    hostile = {"name": "{{ 7*7 }} <img src=x onerror=alert(1)>"}
    out = mt.render(
        "s", "Hi {{ customer.name }}", values(hostile), html="<p>Hi {{ customer.name }}</p>"
    )
    assert "{{ 7*7 }}" in out.text and "49" not in out.text
    assert "<img" not in out.html and "&lt;img src=x onerror=alert(1)&gt;" in out.html


def test_the_html_made_from_plain_text_is_escaped():
    out = mt.render("s", "{{ customer.name }}", values({"name": "<script>x</script>"}))
    assert out.html == "<p>&lt;script&gt;x&lt;/script&gt;</p>"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ customer.update({'name': 'x'}) }}",
        "{% for i in range(10) %}{% endfor %}",
        "{{ lipsum() }}",
    ],
)
def test_template_code_cannot_reach_python(source):
    with pytest.raises(mt.RefusedTemplateError) as refused:
        mt.render("s", source, values())
    assert refused.value.part == "text"


def test_a_template_that_does_not_compile_is_refused_naming_the_part():
    with pytest.raises(mt.RefusedTemplateError) as refused:
        mt.check("subject", "Hi {{ customer.name ")
    assert refused.value.part == "subject"
    assert "mistake" in str(refused.value)


def test_a_private_attribute_renders_as_nothing():
    out = mt.render("s", "[{{ customer.__class__ }}][{{ customer.custom.__init__ }}]", values())
    assert out.text == "[][]"
